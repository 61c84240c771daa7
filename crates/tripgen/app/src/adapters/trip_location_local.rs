//! The trip context's ports backed by the location service in the same process.

use std::sync::Arc;

use chrono::NaiveDate;
use tripgen_location::dto::KeywordParams;
use tripgen_location::service::{CityLookup, LocationService};
use tripgen_location::{Exposure, GeoPoint, TravelTimeModel};
use tripgen_trip::domain::model::LatLon;
use tripgen_trip::domain::schedule::{LegEstimate, Mode, OpenInterval};
use tripgen_trip::ports::{
    CataloguePlace, City, CityMatch, Gazetteer, OpenNearby, PlaceCatalogue, PointMatch,
    TravelTimes, async_trait,
};

use super::{planner_category, travel_points};

pub struct LocalLocation {
    pub service: Arc<LocationService>,
}

fn point(p: LatLon) -> anyhow::Result<GeoPoint> {
    GeoPoint::new(p.lat, p.lon).map_err(|e| anyhow::anyhow!("{e}"))
}

fn api_err(e: tripgen_platform::ApiError) -> anyhow::Error {
    anyhow::anyhow!("location context: {e}")
}

#[async_trait]
impl Gazetteer for LocalLocation {
    async fn resolve_city(&self, name: &str) -> anyhow::Result<CityMatch> {
        Ok(
            match self.service.resolve_city(name).await.map_err(api_err)? {
                CityLookup::Found(c) => CityMatch::Found(City {
                    name: c.name_en.clone().unwrap_or_else(|| c.name.clone()),
                    position: LatLon {
                        lat: c.centre.lat(),
                        lon: c.centre.lon(),
                    },
                    time_zone: c.time_zone.clone().unwrap_or_else(|| "UTC".into()),
                    country: c.country.clone(),
                }),
                CityLookup::NotFound { suggestions } => CityMatch::NotFound { suggestions },
            },
        )
    }

    async fn resolve_hotel(&self, city: &City, hotel_name: &str) -> anyhow::Result<Option<LatLon>> {
        let found = self
            .service
            .find_hotel(point(city.position)?, hotel_name)
            .await
            .map_err(api_err)?;
        Ok(found.map(|p| LatLon {
            lat: p.lat(),
            lon: p.lon(),
        }))
    }

    async fn resolve_point(
        &self,
        city: &City,
        typed: &str,
        name: &str,
    ) -> anyhow::Result<PointMatch> {
        if travel_points::airport(city, typed, name).is_some() {
            return Ok(travel_points::resolve(city, typed, name, Vec::new()));
        }
        let params = KeywordParams {
            q: Some(name.to_string()),
            lat: Some(city.position.lat),
            lon: Some(city.position.lon),
            radius: Some(travel_points::PLACE_RADIUS_M),
            category: None,
            sort: Some("relevance".into()),
            page: None,
            size: Some(5),
        };
        let places = match self.service.keyword(params).await {
            Ok(page) => page
                .items
                .into_iter()
                .map(|h| {
                    let p = h.place.position;
                    (h.place.names.local, LatLon::new(p.lat(), p.lon()))
                })
                .collect(),
            // A name the keyword search refuses (too short …) is simply not a place.
            Err(e) if e.status.is_client_error() => Vec::new(),
            Err(e) => return Err(api_err(e)),
        };
        Ok(travel_points::resolve(city, typed, name, places))
    }
}

#[async_trait]
impl TravelTimes for LocalLocation {
    async fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<LegEstimate>> {
        let model = self.service.travel_model();
        let model = if step_free {
            Arc::new(model.with_step_free())
        } else {
            model
        };
        let e = model.estimate(point(from)?, point(to)?, super::travel_mode(mode));
        Ok(Some(LegEstimate {
            minutes: e.minutes,
            metres: e.metres,
        }))
    }

    async fn path(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<Vec<LatLon>>> {
        let model = self.service.travel_model();
        let (a, b, m) = (point(from)?, point(to)?, super::travel_mode(mode));
        let line = tokio::task::spawn_blocking(move || model.leg_path(a, b, m, step_free)).await?;
        Ok(line.map(|l| {
            l.into_iter()
                .map(|(lat, lon)| LatLon { lat, lon })
                .collect()
        }))
    }

    async fn transit_journey(
        &self,
        from: LatLon,
        to: LatLon,
        date: chrono::NaiveDate,
        depart: u32,
        step_free: bool,
    ) -> anyhow::Result<Option<tripgen_trip::ports::TransitJourney>> {
        let model = self.service.travel_model();
        let (a, b) = (point(from)?, point(to)?);
        let journey = tokio::task::spawn_blocking(move || {
            model.transit_journey(a, b, date, depart, step_free)
        })
        .await?;
        Ok(journey.map(|j| tripgen_trip::ports::TransitJourney {
            minutes: j.minutes,
            rides: j
                .rides
                .into_iter()
                .map(|r| tripgen_trip::domain::schedule::LegRide {
                    line: r.line,
                    from: r.from,
                    to: r.to,
                    departs: r.departs,
                    arrives: r.arrives,
                })
                .collect(),
            path: j
                .path
                .into_iter()
                .map(|(lat, lon)| LatLon { lat, lon })
                .collect(),
        }))
    }
}

#[async_trait]
impl PlaceCatalogue for LocalLocation {
    async fn place(
        &self,
        place_id: &str,
        date: NaiveDate,
    ) -> anyhow::Result<Option<CataloguePlace>> {
        let Some(p) = self
            .service
            .place_on(place_id, date)
            .await
            .map_err(api_err)?
        else {
            return Ok(None);
        };
        Ok(Some(CataloguePlace {
            id: p.place.id.as_str().to_string(),
            name: p.place.names.local.clone(),
            category: planner_category(p.place.category).to_string(),
            position: LatLon {
                lat: p.place.position.lat(),
                lon: p.place.position.lon(),
            },
            visit_minutes: u32::from(p.place.visit_minutes),
            indoor: p.place.exposure == Exposure::Indoor,
            hours: p.open.map(|iv| {
                iv.into_iter()
                    .map(|(open, close)| OpenInterval {
                        open: u32::from(open),
                        close: u32::from(close),
                    })
                    .collect()
            }),
        }))
    }

    async fn open_nearby(
        &self,
        q: &OpenNearby,
        limit: usize,
    ) -> anyhow::Result<Vec<CataloguePlace>> {
        let around = self
            .service
            .places_around(point(q.near)?, q.radius_m, 1_000, &[q.date])
            .await
            .map_err(api_err)?;
        let mut found: Vec<(u32, CataloguePlace)> = around
            .into_iter()
            .filter(|a| planner_category(a.place.category) == q.category)
            .filter(|a| !q.exclude.contains(a.place.id.as_str()))
            .filter_map(|a| {
                let hours: Vec<OpenInterval> = a
                    .hours
                    .first()?
                    .as_ref()?
                    .iter()
                    .map(|(o, c)| OpenInterval {
                        open: u32::from(*o),
                        close: u32::from(*c),
                    })
                    .collect();
                hours
                    .iter()
                    .any(|iv| iv.open <= q.start && q.end <= iv.close)
                    .then(|| {
                        let position = LatLon {
                            lat: a.place.position.lat(),
                            lon: a.place.position.lon(),
                        };
                        let metres = tripgen_trip::domain::changes::metres(q.near, position);
                        (
                            metres,
                            CataloguePlace {
                                id: a.place.id.as_str().to_string(),
                                name: a.place.names.local.clone(),
                                category: q.category.clone(),
                                position,
                                visit_minutes: u32::from(a.place.visit_minutes),
                                indoor: a.place.exposure == Exposure::Indoor,
                                hours: Some(hours),
                            },
                        )
                    })
            })
            .collect();
        found.sort_by_key(|(m, _)| *m);
        Ok(found.into_iter().take(limit).map(|(_, p)| p).collect())
    }
}
