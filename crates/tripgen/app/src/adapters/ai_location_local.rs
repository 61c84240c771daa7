//! The AI context's place port backed by the location service in the same process:
//! candidates from the catalogue's spatial index, opening hours evaluated per date in the
//! city's zone (holidays and sun times included), the location context's travel model.

use std::sync::Arc;

use chrono::NaiveDate;
use tripgen_ai::ports::{PlaceFacts, PlacePort};
use tripgen_location::service::{CityLookup, LocationService};
use tripgen_location::{Exposure, GeoPoint, OpeningContext, Place, TravelTimeModel, Wheelchair};
use tripgen_planner::itinerary::{
    Access, Category, FerryLink, Hub, JourneyLinks, LatLon, LegEstimate, Mode, OpenInterval,
    TravelModel,
};

use super::planner_category;

/// Most places a name search offers the matcher.
pub const NAMED_LIMIT: usize = 100;

pub struct LocalPlaces {
    pub service: Arc<LocationService>,
}

fn api(e: tripgen_platform::ApiError) -> anyhow::Error {
    anyhow::anyhow!("location context: {e}")
}

/// The location context's travel model behind the planner's trait.
pub struct LocationTravel(pub Arc<dyn TravelTimeModel>);

fn geo(p: LatLon) -> Option<GeoPoint> {
    GeoPoint::new(p.lat, p.lon).ok()
}

fn leg(e: tripgen_location::TravelEstimate) -> LegEstimate {
    LegEstimate {
        minutes: f64::from(e.minutes),
        metres: f64::from(e.metres),
    }
}

impl TravelModel for LocationTravel {
    fn estimate(&self, from: LatLon, to: LatLon, mode: Mode) -> Option<LegEstimate> {
        let e = self
            .0
            .estimate(geo(from)?, geo(to)?, super::travel_mode(mode));
        Some(leg(e))
    }

    /// One many-to-many query of the location model (the street router's matrix).
    fn matrix(&self, points: &[LatLon], mode: Mode) -> Vec<Option<LegEstimate>> {
        let Some(geo_points) = points.iter().map(|p| geo(*p)).collect::<Option<Vec<_>>>() else {
            // A point out of range: pair by pair, so only its legs are impossible.
            return points
                .iter()
                .flat_map(|a| points.iter().map(move |b| self.estimate(*a, *b, mode)))
                .collect();
        };
        let m = self.0.square_matrix(&geo_points, super::travel_mode(mode));
        (0..points.len())
            .flat_map(|i| (0..points.len()).map(move |j| (i, j)))
            .map(|(i, j)| m.get(i, j).map(leg))
            .collect()
    }

    /// The location model's step-free variant (the street router's stair-free walks).
    fn step_free(&self) -> Option<Box<dyn TravelModel + '_>> {
        let model = self.0.step_free()?;
        Some(Box::new(LocationTravel(model)))
    }
}

pub fn category(c: tripgen_location::Category) -> Category {
    serde_json::from_value(serde_json::Value::String(planner_category(c).into()))
        .unwrap_or(Category::Other)
}

pub fn access(w: Wheelchair) -> Access {
    match w {
        Wheelchair::Yes => Access::StepFree,
        Wheelchair::Limited => Access::Limited,
        Wheelchair::No => Access::NotStepFree,
        Wheelchair::Unknown => Access::Unknown,
    }
}

/// A catalogue place with its hours on `dates` (`None` when a day has no known open
/// minute but unknown ones: a plan must not rely on a guess), and the raw value for the
/// plan validator's own reading.
pub fn place_facts(
    place: &Place,
    rating: Option<f32>,
    review_count: Option<u32>,
    ctx: Option<&OpeningContext>,
    dates: &[NaiveDate],
) -> PlaceFacts {
    let hours = match ctx {
        Some(c) => place.opening_hours.localized(c),
        None => place.opening_hours.clone(),
    };
    let per_day = dates
        .iter()
        .map(|d| {
            let day = hours.day_schedule(*d);
            day.plannable().map(|open| {
                open.iter()
                    .map(|r| OpenInterval {
                        open: u32::from(r.start),
                        close: u32::from(r.end),
                    })
                    .collect()
            })
        })
        .collect();
    facts_with_hours(place, rating, review_count, per_day)
}

/// What the AI context knows of a place, with its hours per requested date given.
pub fn facts_with_hours(
    place: &Place,
    rating: Option<f32>,
    review_count: Option<u32>,
    per_day: Vec<Option<Vec<OpenInterval>>>,
) -> PlaceFacts {
    // Every name the place is tagged with (`name:de`, `name:fr` …): a traveller writes the
    // one they know ("Frauenkirche" for the Dom zu Unserer Lieben Frau).
    let mut names: Vec<String> = [
        Some(&place.names.local),
        place.names.en.as_ref(),
        place.names.ko.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(place.other_names.values())
    .cloned()
    .collect();
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    PlaceFacts {
        id: place.id.as_str().to_string(),
        name: place.names.local.clone(),
        names,
        category: category(place.category),
        kind: place.kind.clone(),
        position: place.position.lat_lon(),
        visit_minutes: u32::from(place.visit_minutes),
        indoor: match place.exposure {
            Exposure::Indoor => Some(true),
            Exposure::Outdoor => Some(false),
            Exposure::Mixed => None,
        },
        access: access(place.wheelchair),
        rating,
        review_count,
        hours: per_day,
        opening_hours: place.opening_hours.raw().map(str::to_string),
        significance: place.significance.score,
        cuisine: place.cuisine.clone(),
    }
}

#[tripgen_trip::ports::async_trait]
impl PlacePort for LocalPlaces {
    async fn candidates(
        &self,
        city: &str,
        centre: LatLon,
        radius_m: f64,
        limit: usize,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>> {
        let point = GeoPoint::new(centre.lat, centre.lon).map_err(|e| anyhow::anyhow!("{e}"))?;
        let ctx = match self.service.resolve_city(city).await.map_err(api)? {
            CityLookup::Found(c) => Some(c.opening_context()),
            CityLookup::NotFound { .. } => None,
        };
        let mut places = self
            .service
            .store
            .within_places(point, radius_m, i64::try_from(limit).unwrap_or(i64::MAX))
            .await?;
        places.retain(|(p, _, _)| {
            !matches!(
                p.category,
                tripgen_location::Category::Lodging | tripgen_location::Category::Laundry
            )
        });
        let dates = dates.to_vec();
        // Evaluating opening hours for every place and date is CPU work.
        Ok(tokio::task::spawn_blocking(move || {
            places
                .iter()
                .map(|(p, rating, reviews)| place_facts(p, *rating, *reviews, ctx.as_ref(), &dates))
                .collect()
        })
        .await?)
    }

    async fn place(
        &self,
        city: &str,
        id: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Option<PlaceFacts>> {
        let Some((p, rating, reviews)) = self.service.store.get(id).await? else {
            return Ok(None);
        };
        let ctx = match self.service.resolve_city(city).await.map_err(api)? {
            CityLookup::Found(c) => Some(c.opening_context()),
            CityLookup::NotFound { .. } => None,
        };
        Ok(Some(place_facts(&p, rating, reviews, ctx.as_ref(), dates)))
    }

    async fn named(
        &self,
        city: &str,
        name: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>> {
        let found = self
            .service
            .places_named(city, name, NAMED_LIMIT, dates)
            .await
            .map_err(api)?;
        Ok(found
            .iter()
            .map(|a| {
                let hours = a
                    .hours
                    .iter()
                    .map(|h| {
                        h.as_ref().map(|v| {
                            v.iter()
                                .map(|(open, close)| OpenInterval {
                                    open: u32::from(*open),
                                    close: u32::from(*close),
                                })
                                .collect()
                        })
                    })
                    .collect();
                facts_with_hours(&a.place, a.rating, a.review_count, hours)
            })
            .collect())
    }

    fn travel_model(&self) -> Arc<dyn TravelModel + Send + Sync> {
        Arc::new(LocationTravel(self.service.travel_model()))
    }

    async fn journey_links(&self, from: LatLon, to: LatLon) -> anyhow::Result<JourneyLinks> {
        let networks = self.service.store.transport_networks().await?;
        Ok(journey_links(networks.links(from, to)))
    }
}

fn hub(h: tripgen_location::transport::TransportHub) -> Hub {
    Hub {
        name: h.name,
        position: h.position,
    }
}

/// The location context's stations and ferry link as the planner's journey model takes
/// them (both place ports: the networks come from the catalogue database either way).
pub fn journey_links(l: tripgen_location::transport::JourneyLinks) -> JourneyLinks {
    JourneyLinks {
        from_station: l.from_station.map(hub),
        to_station: l.to_station.map(hub),
        ferry: l.ferry.map(|f| FerryLink {
            name: f.route.name,
            from: hub(f.from),
            to: hub(f.to),
            metres: f.route.metres,
            minutes: f.route.minutes,
        }),
    }
}
