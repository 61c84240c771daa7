//! The trip context's ports over the location target's HTTP API (split mode: the `trip`
//! target runs without the location context in its process), through [`LocationApi`].

use std::time::Duration;

use chrono::NaiveDate;
use tripgen_location::dto::{
    AroundPage, AroundPlace, CityResolution, KeywordPage, PlaceDay, Route,
};
use tripgen_location::{Category, Exposure};
use tripgen_trip::domain::model::LatLon;
use tripgen_trip::domain::schedule::{LegEstimate, Mode, OpenInterval};
use tripgen_trip::ports::{
    CataloguePlace, City, CityMatch, Gazetteer, OpenNearby, PlaceCatalogue, PointMatch,
    TravelTimes, async_trait,
};

use super::location_api::{self, LocationApi};
use super::travel_points;

pub struct HttpLocation {
    api: LocationApi,
}

impl HttpLocation {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(HttpLocation {
            api: LocationApi::new(base, Duration::from_secs(5))?,
        })
    }
}

fn intervals(v: &[[u16; 2]]) -> Vec<OpenInterval> {
    v.iter()
        .map(|[open, close]| OpenInterval {
            open: u32::from(*open),
            close: u32::from(*close),
        })
        .collect()
}

fn planner_category(name: &str) -> String {
    location_api::category(name)
        .map(|c| super::planner_category(c).to_string())
        .unwrap_or_else(|| "other".into())
}

#[async_trait]
impl Gazetteer for HttpLocation {
    async fn resolve_city(&self, name: &str) -> anyhow::Result<CityMatch> {
        let r: CityResolution = self
            .api
            .get(
                "/api/v1/locations/cities/resolve",
                &[("name", name.to_string())],
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("city resolution not available"))?;
        Ok(match r.city {
            Some(c) => CityMatch::Found(City {
                name: c.name_en.unwrap_or(c.name),
                position: LatLon::new(c.lat, c.lon),
                time_zone: c.time_zone.unwrap_or_else(|| "UTC".into()),
                country: c.country,
            }),
            None => CityMatch::NotFound {
                suggestions: r.suggestions,
            },
        })
    }

    async fn resolve_hotel(&self, city: &City, hotel_name: &str) -> anyhow::Result<Option<LatLon>> {
        let q = [
            ("q", hotel_name.to_string()),
            ("lat", city.position.lat.to_string()),
            ("lon", city.position.lon.to_string()),
            ("radius", "25000".to_string()),
            ("size", "20".to_string()),
            ("sort", "relevance".to_string()),
        ];
        let Some(page) = self
            .api
            .get::<KeywordPage>("/api/v1/locations/search/keyword", &q)
            .await?
        else {
            return Ok(None);
        };
        let pick = page
            .items
            .iter()
            .find(|i| i.place.category == Category::Lodging)
            .or_else(|| page.items.first());
        Ok(pick.map(|i| i.place.position.lat_lon()))
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
        let q = [
            ("q", name.to_string()),
            ("lat", city.position.lat.to_string()),
            ("lon", city.position.lon.to_string()),
            ("radius", travel_points::PLACE_RADIUS_M.to_string()),
            ("size", "5".to_string()),
            ("sort", "relevance".to_string()),
        ];
        // `None`: the location target refused the name (too short …): not a place.
        let places = self
            .api
            .get::<KeywordPage>("/api/v1/locations/search/keyword", &q)
            .await?
            .map(|page| {
                page.items
                    .into_iter()
                    .map(|i| (i.place.names.local.clone(), i.place.position.lat_lon()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(travel_points::resolve(city, typed, name, places))
    }
}

impl HttpLocation {
    /// `GET /locations/routes` between two points.
    async fn route(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<Route>> {
        let q = [
            ("from", format!("{},{}", from.lat, from.lon)),
            ("to", format!("{},{}", to.lat, to.lon)),
            ("mode", super::travel_mode(mode).as_str().to_string()),
            ("stepFree", step_free.to_string()),
        ];
        self.api.get("/api/v1/locations/routes", &q).await
    }
}

#[async_trait]
impl TravelTimes for HttpLocation {
    async fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<LegEstimate>> {
        let route = self.route(from, to, mode, step_free).await?;
        Ok(route.map(|r| LegEstimate {
            minutes: r.minutes,
            metres: r.metres,
        }))
    }

    /// The location target's route geometry, when it has streets there (a two-point line
    /// is the straight line).
    async fn path(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<Vec<LatLon>>> {
        let route = self.route(from, to, mode, step_free).await?;
        Ok(route
            .filter(|r| r.provider != "straight-line" && r.geometry.len() > 2)
            .map(|r| {
                r.geometry
                    .into_iter()
                    .map(|[lon, lat]| LatLon::new(lat, lon))
                    .collect()
            }))
    }
}

fn catalogue_place(p: AroundPlace, hours: Option<Vec<OpenInterval>>) -> CataloguePlace {
    CataloguePlace {
        name: p.names.local,
        category: planner_category(&p.category),
        position: LatLon::new(p.position.lat, p.position.lon),
        visit_minutes: u32::from(p.visit_minutes),
        indoor: location_api::exposure(&p.exposure) == Some(Exposure::Indoor),
        hours,
        id: p.id,
    }
}

#[async_trait]
impl PlaceCatalogue for HttpLocation {
    async fn place(
        &self,
        place_id: &str,
        date: NaiveDate,
    ) -> anyhow::Result<Option<CataloguePlace>> {
        let day: Option<PlaceDay> = self
            .api
            .get(
                &format!("/api/v1/locations/places/{place_id}/day/{date}"),
                &[],
            )
            .await?;
        Ok(day.map(|p| CataloguePlace {
            id: place_id.to_string(),
            name: p.name,
            category: planner_category(&p.category),
            position: LatLon::new(p.lat, p.lon),
            visit_minutes: u32::from(p.visit_minutes),
            indoor: location_api::exposure(&p.exposure) == Some(Exposure::Indoor),
            hours: p.open.as_deref().map(intervals),
        }))
    }

    async fn open_nearby(
        &self,
        q: &OpenNearby,
        limit: usize,
    ) -> anyhow::Result<Vec<CataloguePlace>> {
        let query = [
            ("lat", q.near.lat.to_string()),
            ("lon", q.near.lon.to_string()),
            ("radius", format!("{}", q.radius_m.round())),
            ("limit", "1000".to_string()),
            ("dates", q.date.to_string()),
        ];
        let Some(page) = self
            .api
            .get::<AroundPage>("/api/v1/locations/places/around", &query)
            .await?
        else {
            return Ok(Vec::new());
        };
        let mut found: Vec<(u32, CataloguePlace)> = Vec::new();
        for p in page.items {
            if planner_category(&p.category) != q.category || q.exclude.contains(&p.id) {
                continue;
            }
            let hours = p
                .hours
                .first()
                .cloned()
                .flatten()
                .map(|h| intervals(&h))
                .unwrap_or_default();
            if !hours
                .iter()
                .any(|iv| iv.open <= q.start && q.end <= iv.close)
            {
                continue;
            }
            let place = catalogue_place(p, Some(hours));
            found.push((
                tripgen_trip::domain::changes::metres(q.near, place.position),
                place,
            ));
        }
        found.sort_by_key(|(m, _)| *m);
        Ok(found.into_iter().take(limit).map(|(_, p)| p).collect())
    }
}
