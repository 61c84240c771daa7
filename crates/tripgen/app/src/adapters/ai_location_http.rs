//! The AI context's place port over the location target's HTTP API (split mode: the `ai`
//! target runs without the location context in its process). Candidates and their hours
//! on the dates planned come from `GET /places/around` (one request per city); a single
//! place from `GET /places/{id}` and its hours per date from `…/places/{id}/day/{date}`;
//! a place a traveller names, anywhere in the city, from `GET /places/named`; stations and
//! ferry routes for the journeys from the shared catalogue database, as the street graphs.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tripgen_ai::ports::{PlaceFacts, PlacePort};
use tripgen_location::Exposure;
use tripgen_location::dto::{AroundPage, AroundPlace, PlaceDay, PlaceDetail};
use tripgen_location::roads::SharedRoads;
use tripgen_planner::itinerary::{LatLon, OpenInterval, TravelModel};

use super::ai_location_local::{access, category, facts_with_hours};
use super::location_api::{self, LocationApi};

pub struct HttpPlaces {
    api: LocationApi,
    /// The street graphs of the shared catalogue database, routed here (see
    /// `tripgen_location::roads::shared`): plans get the same times as in-process.
    roads: Arc<SharedRoads>,
}

impl HttpPlaces {
    pub fn new(base: &str, roads: Arc<SharedRoads>) -> anyhow::Result<Self> {
        Ok(HttpPlaces {
            api: LocationApi::new(base, Duration::from_secs(10))?,
            roads,
        })
    }

    /// Reloads the street graphs when the catalogue changed; the plan keeps the model it
    /// has when the database does not answer (the candidates' request reports that).
    async fn current_roads(&self) {
        if let Err(e) = self.roads.refresh().await {
            tracing::warn!(error = %format!("{e:#}"), "street graphs not reloaded");
        }
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

/// An `/places/around` item as the AI context knows places.
fn facts(p: AroundPlace) -> PlaceFacts {
    let hours = p
        .hours
        .iter()
        .map(|h| h.as_deref().map(intervals))
        .collect();
    let mut names: Vec<String> = [Some(p.names.local.clone()), p.names.en, p.names.ko]
        .into_iter()
        .flatten()
        .chain(p.names.other)
        .collect();
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    PlaceFacts {
        name: p.names.local,
        names,
        category: location_api::category(&p.category)
            .map(category)
            .unwrap_or(tripgen_planner::itinerary::Category::Other),
        kind: p.kind,
        position: LatLon::new(p.position.lat, p.position.lon),
        visit_minutes: u32::from(p.visit_minutes),
        indoor: match location_api::exposure(&p.exposure) {
            Some(Exposure::Indoor) => Some(true),
            Some(Exposure::Outdoor) => Some(false),
            _ => None,
        },
        access: access(location_api::wheelchair(&p.wheelchair)),
        rating: p.rating,
        review_count: p.review_count,
        hours,
        opening_hours: p.opening_hours,
        significance: p.significance,
        cuisine: p.cuisine,
        id: p.id,
    }
}

#[tripgen_trip::ports::async_trait]
impl PlacePort for HttpPlaces {
    async fn candidates(
        &self,
        _city: &str,
        centre: LatLon,
        radius_m: f64,
        limit: usize,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>> {
        // Before every plan (candidates come first, the travel model after).
        self.current_roads().await;
        let dates_param: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        let q = [
            ("lat", centre.lat.to_string()),
            ("lon", centre.lon.to_string()),
            ("radius", format!("{}", radius_m.round())),
            ("limit", limit.min(2_000).to_string()),
            ("dates", dates_param.join(",")),
        ];
        let Some(page) = self
            .api
            .get::<AroundPage>("/api/v1/locations/places/around", &q)
            .await?
        else {
            anyhow::bail!("the location target does not serve /places/around");
        };
        Ok(page.items.into_iter().map(facts).collect())
    }

    async fn place(
        &self,
        _city: &str,
        id: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Option<PlaceFacts>> {
        let Some(detail) = self
            .api
            .get::<PlaceDetail>(&format!("/api/v1/locations/places/{id}"), &[])
            .await?
        else {
            return Ok(None);
        };
        let mut hours = Vec::with_capacity(dates.len());
        for d in dates {
            let day: Option<PlaceDay> = self
                .api
                .get(&format!("/api/v1/locations/places/{id}/day/{d}"), &[])
                .await?;
            hours.push(day.and_then(|day| day.open.as_deref().map(intervals)));
        }
        Ok(Some(facts_with_hours(
            &detail.place,
            detail.rating,
            detail.review_count,
            hours,
        )))
    }

    async fn named(
        &self,
        city: &str,
        name: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>> {
        let dates_param: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        let q = [
            ("city", city.to_string()),
            ("name", name.to_string()),
            ("limit", super::ai_location_local::NAMED_LIMIT.to_string()),
            ("dates", dates_param.join(",")),
        ];
        let Some(page) = self
            .api
            .get::<AroundPage>("/api/v1/locations/places/named", &q)
            .await?
        else {
            anyhow::bail!("the location target does not serve /places/named");
        };
        Ok(page.items.into_iter().map(facts).collect())
    }

    fn travel_model(&self) -> Arc<dyn TravelModel + Send + Sync> {
        // The location context's routed model, as in-process (`all`) plans with: split
        // mode and `all` plan the same days.
        Arc::new(super::ai_location_local::LocationTravel(self.roads.model()))
    }

    /// From the shared catalogue database, like the street graphs (no request each).
    async fn journey_links(
        &self,
        from: LatLon,
        to: LatLon,
    ) -> anyhow::Result<tripgen_planner::itinerary::JourneyLinks> {
        let networks = self.roads.store().transport_networks().await?;
        Ok(super::ai_location_local::journey_links(
            networks.links(from, to),
        ))
    }
}
