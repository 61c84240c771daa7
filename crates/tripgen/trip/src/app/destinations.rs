//! Destinations chained by date: resolved through the gazetteer (cities) and the catalogue
//! (hotels), with suggestions for unknown names (TRIP-040).

use chrono::NaiveDate;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use uuid::Uuid;

use crate::app::input::{self, DestinationDraft};
use crate::app::travel_points::{self, Which};
use crate::app::views::{self};
use crate::domain::calendar::{self};
use crate::domain::model::{Destination, TripRecord};
use crate::domain::rules;
use crate::dto::*;
use crate::ports::CityMatch;
use crate::store::{TravelPoints, TripDates};

use super::*;

impl TripService {
    // --- destinations --------------------------------------------------------------------

    /// Resolves drafts through the gazetteer; unknown cities become field errors with
    /// suggestions (collected into `suggestions` by field).
    pub(crate) async fn resolve(
        &self,
        drafts: &[(String, DestinationDraft)],
        v: &mut Validator,
        suggestions: &mut serde_json::Map<String, serde_json::Value>,
    ) -> ApiResult<Vec<Option<Destination>>> {
        let lookups = futures::future::join_all(drafts.iter().map(|(_, d)| async move {
            let city = self
                .ports
                .gazetteer
                .resolve_city(&d.destination_name)
                .await?;
            let hotel = match (&city, &d.accommodation) {
                (CityMatch::Found(c), Some(h)) => self.ports.gazetteer.resolve_hotel(c, h).await?,
                _ => None,
            };
            anyhow::Ok((city, hotel))
        }))
        .await;
        let mut out = Vec::with_capacity(drafts.len());
        for ((prefix, d), lookup) in drafts.iter().zip(lookups) {
            let field = if prefix.is_empty() {
                "destinationName".to_string()
            } else {
                format!("{prefix}.destinationName")
            };
            let (city, hotel) = lookup.map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "gazetteer unavailable");
                ApiError::unavailable("The city directory is not reachable right now; try again.")
            })?;
            match city {
                CityMatch::NotFound { suggestions: s } => {
                    let msg = if s.is_empty() {
                        format!("We do not know the city `{}`.", d.destination_name)
                    } else {
                        format!(
                            "We do not know the city `{}`. Did you mean: {}?",
                            d.destination_name,
                            s.join(", ")
                        )
                    };
                    v.add(field.clone(), "UNKNOWN_CITY", msg);
                    suggestions.insert(field, serde_json::json!(s));
                    out.push(None);
                }
                CityMatch::Found(c) => {
                    if calendar::parse_tz(&c.time_zone).is_none() {
                        tracing::error!(zone = %c.time_zone, city = %c.name, "gazetteer returned an unknown time zone");
                        return Err(ApiError::internal());
                    }
                    let (lodging, resolved) = match hotel {
                        Some(p) => (p, true),
                        None => (c.position, false),
                    };
                    out.push(Some(Destination {
                        id: Uuid::now_v7(),
                        destination_name: d.destination_name.clone(),
                        city_name: c.name,
                        position: c.position,
                        time_zone: c.time_zone,
                        country: c.country,
                        nights: d.nights,
                        accommodation: d.accommodation.clone(),
                        lodging,
                        lodging_resolved: resolved,
                        check_in_time: d.check_in_time.clone(),
                        check_out_time: d.check_out_time.clone(),
                        start_date: NaiveDate::default(),
                        end_date: NaiveDate::default(),
                    }));
                }
            }
        }
        Ok(out)
    }

    pub(crate) fn finish_with_suggestions(
        v: Validator,
        suggestions: serde_json::Map<String, serde_json::Value>,
    ) -> ApiResult<()> {
        v.finish().map_err(|e| {
            if suggestions.is_empty() {
                e
            } else {
                e.with_extra(serde_json::json!({ "suggestions": suggestions }))
            }
        })
    }

    /// Chains `destinations` from `start`, checks the 60-day limit and stores them with the
    /// trip's dates. `field` names the input blamed for a too-long trip.
    /// `points` (the batch call) replaces the arrival and departure too.
    pub(crate) async fn store_destinations(
        &self,
        r: &TripRecord,
        start: NaiveDate,
        mut destinations: Vec<Destination>,
        points: Option<TravelPoints<'_>>,
        field: &str,
    ) -> ApiResult<()> {
        let nights: Vec<u32> = destinations.iter().map(|d| d.nights).collect();
        let total: i64 = nights.iter().map(|n| i64::from(*n)).sum();
        if let Err((code, msg)) = rules::check_trip_days(total) {
            return Err(ApiError::field(field, code, msg));
        }
        for (d, (s, e)) in destinations.iter_mut().zip(calendar::chain(start, &nights)) {
            d.start_date = s;
            d.end_date = e;
        }
        let window = calendar::window(&views::stays(&destinations));
        let dates = TripDates {
            start_date: Some(start),
            end_date: destinations.last().map(|d| d.end_date),
            starts_at: window.map(|w| w.0.timestamp_millis()),
            ends_at: window.map(|w| w.1.timestamp_millis()),
        };
        let points_changed = points.is_some_and(|p| {
            p.arrival != r.arrival.as_ref() || p.departure != r.departure.as_ref()
        });
        let outdated = !same_stays(&r.destinations, &destinations) || points_changed;
        self.repo
            .replace_destinations(r.id, &destinations, dates, points, self.now_ms(), outdated)
            .await?;
        self.invalidate(r.id, r.owner_id).await;
        Ok(())
    }

    /// TRIP-090: forward only when the earlier steps are complete.
    pub(crate) fn require_basic_settings(r: &TripRecord) -> ApiResult<()> {
        let s = views::step_state(r);
        if s.current == crate::domain::steps::Step::BasicSettings {
            return Err(ApiError::conflict(
                "STEP_INCOMPLETE",
                "Complete the basic settings (transport and members) before the destinations.",
            )
            .with_extra(serde_json::json!({ "missing": s.missing })));
        }
        Ok(())
    }

    /// TRIP-040: the whole list in one call; dates are chained by the server.
    pub async fn destinations_batch(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: DestinationsBatchRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        Self::require_basic_settings(&r)?;
        let mut v = Validator::new();
        let start = input::date(&mut v, "startDate", &req.start_date);
        let mut drafts = Vec::new();
        match &req.destinations {
            None => v.add("destinations", "REQUIRED", "Add at least one destination."),
            Some(list) if list.is_empty() => {
                v.add("destinations", "TOO_FEW", "Add at least one destination.")
            }
            Some(list) if list.len() > rules::DESTINATIONS_MAX => v.add(
                "destinations",
                "TOO_MANY",
                format!(
                    "A trip has at most {} destinations.",
                    rules::DESTINATIONS_MAX
                ),
            ),
            Some(list) => {
                for (i, d) in list.iter().enumerate() {
                    let prefix = format!("destinations[{i}]");
                    if let Some(draft) = input::destination(&mut v, &prefix, d) {
                        drafts.push((prefix, draft));
                    }
                }
                if drafts.len() == list.len() {
                    let total: i64 = drafts.iter().map(|(_, d)| i64::from(d.nights)).sum();
                    if let Err((c, m)) = rules::check_trip_days(total) {
                        v.add("destinations", c, m);
                    }
                }
            }
        }
        let arrival = req
            .arrival
            .as_ref()
            .and_then(|p| travel_points::draft(&mut v, Which::Arrival, p));
        let departure = req
            .departure
            .as_ref()
            .and_then(|p| travel_points::draft(&mut v, Which::Departure, p));
        let mut suggestions = serde_json::Map::new();
        let resolved = self.resolve(&drafts, &mut v, &mut suggestions).await?;
        // The points are looked up near the first and last city, once those are known.
        let (first, last) = (
            resolved.first().and_then(Option::as_ref),
            resolved.last().and_then(Option::as_ref),
        );
        let arrival = match (arrival, first) {
            (Some(p), Some(d)) => {
                let t = r.transport_mode;
                self.resolve_point(&mut v, &mut suggestions, Which::Arrival, p, d, t)
                    .await?
            }
            _ => None,
        };
        let departure = match (departure, last) {
            (Some(p), Some(d)) => {
                let t = r.transport_mode;
                self.resolve_point(&mut v, &mut suggestions, Which::Departure, p, d, t)
                    .await?
            }
            _ => None,
        };
        Self::finish_with_suggestions(v, suggestions)?;
        let destinations: Vec<Destination> = resolved.into_iter().flatten().collect();
        let start = start.ok_or_else(ApiError::internal)?;
        let points = TravelPoints {
            arrival: arrival.as_ref(),
            departure: departure.as_ref(),
        };
        self.store_destinations(&r, start, destinations, Some(points), "destinations")
            .await?;
        self.fresh_detail(id, r.owner_id).await
    }

    pub async fn destinations(&self, who: &AuthUser, id: Uuid) -> ApiResult<Vec<DestinationView>> {
        let r = self.owned(who, id).await?;
        Ok(r.destinations
            .iter()
            .enumerate()
            .map(|(i, d)| views::destination_view(i, d))
            .collect())
    }

    pub async fn destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        did: Uuid,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        r.destinations
            .iter()
            .enumerate()
            .find(|(_, d)| d.id == did)
            .map(|(i, d)| views::destination_view(i, d))
            .ok_or_else(destination_not_found)
    }

    pub(crate) async fn resolve_one(&self, req: &DestinationRequest) -> ApiResult<Destination> {
        let mut v = Validator::new();
        let draft = input::destination(&mut v, "", req);
        let drafts: Vec<_> = draft.into_iter().map(|d| (String::new(), d)).collect();
        let mut suggestions = serde_json::Map::new();
        let resolved = self.resolve(&drafts, &mut v, &mut suggestions).await?;
        Self::finish_with_suggestions(v, suggestions)?;
        resolved
            .into_iter()
            .flatten()
            .next()
            .ok_or_else(ApiError::internal)
    }

    /// Adds a destination at `position` (default: the end); the chain moves after it.
    pub async fn add_destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: DestinationRequest,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        Self::require_basic_settings(&r)?;
        let Some(start) = r.start_date else {
            return Err(ApiError::field(
                "startDate",
                "REQUIRED",
                "Set the trip's start date first (PUT /destinations/batch or PUT /trips/{id}).",
            ));
        };
        if r.destinations.len() >= rules::DESTINATIONS_MAX {
            return Err(ApiError::field(
                "destinations",
                "TOO_MANY",
                format!(
                    "A trip has at most {} destinations.",
                    rules::DESTINATIONS_MAX
                ),
            ));
        }
        let at = match req.position {
            None => r.destinations.len(),
            Some(p) if p >= 0 && (p as usize) <= r.destinations.len() => p as usize,
            Some(_) => {
                return Err(ApiError::field(
                    "position",
                    "OUT_OF_RANGE",
                    format!("Position is between 0 and {}.", r.destinations.len()),
                ));
            }
        };
        let d = self.resolve_one(&req).await?;
        let did = d.id;
        let mut list = r.destinations.clone();
        list.insert(at, d);
        self.store_destinations(&r, start, list, None, "nights")
            .await?;
        self.destination(who, id, did).await
    }

    /// Replaces one destination's fields; the chain after it moves with its nights.
    pub async fn update_destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        did: Uuid,
        req: DestinationRequest,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        let at = r
            .destinations
            .iter()
            .position(|d| d.id == did)
            .ok_or_else(destination_not_found)?;
        let start = r.start_date.ok_or_else(ApiError::internal)?;
        let mut d = self.resolve_one(&req).await?;
        d.id = did;
        let mut list = r.destinations.clone();
        list[at] = d;
        self.store_destinations(&r, start, list, None, "nights")
            .await?;
        self.destination(who, id, did).await
    }

    pub async fn delete_destination(&self, who: &AuthUser, id: Uuid, did: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        let at = r
            .destinations
            .iter()
            .position(|d| d.id == did)
            .ok_or_else(destination_not_found)?;
        if r.destinations.len() == 1 {
            return Err(ApiError::field(
                "destinations",
                "TOO_FEW",
                "A trip keeps at least one destination; add another before removing this one.",
            ));
        }
        let start = r.start_date.ok_or_else(ApiError::internal)?;
        let mut list = r.destinations.clone();
        list.remove(at);
        self.store_destinations(&r, start, list, None, "destinations")
            .await
    }
}

pub(crate) fn destination_not_found() -> ApiError {
    ApiError::not_found(
        "DESTINATION_NOT_FOUND",
        "This trip has no such destination.",
    )
}
