//! The AI context's place port over the location target's HTTP API (split mode: the `ai`
//! target runs without the location context in its process). Candidates and their hours
//! on the dates planned come from `GET /places/around` (one request per city); a single
//! place from `GET /places/{id}` and its hours per date from `…/places/{id}/day/{date}`.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;
use tripgen_ai::ports::{PlaceFacts, PlacePort};
use tripgen_planner::itinerary::{
    Access, Category, LatLon, OpenInterval, StraightLine, TravelModel,
};

pub struct HttpPlaces {
    base: String,
    http: reqwest::Client,
}

impl HttpPlaces {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(HttpPlaces {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
        })
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> anyhow::Result<Option<Value>> {
        let resp = self
            .http
            .get(format!("{}{}", self.base, path))
            .query(query)
            .send()
            .await?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status().is_success() {
            anyhow::bail!("location target answered {} for {path}", resp.status());
        }
        Ok(Some(resp.json().await?))
    }
}

fn category(v: &Value) -> Category {
    serde_json::from_value::<tripgen_location::Category>(v.clone())
        .map(super::ai_location_local::category)
        .unwrap_or(Category::Other)
}

fn access(v: &Value) -> Access {
    serde_json::from_value::<tripgen_location::Wheelchair>(v.clone())
        .map(super::ai_location_local::access)
        .unwrap_or(Access::Unknown)
}

fn intervals(v: &Value) -> Option<Vec<OpenInterval>> {
    v.as_array().map(|a| {
        a.iter()
            .filter_map(|iv| {
                Some(OpenInterval {
                    open: u32::try_from(iv[0].as_u64()?).ok()?,
                    close: u32::try_from(iv[1].as_u64()?).ok()?,
                })
            })
            .collect()
    })
}

/// A place as the location API writes it (an `/places/around` item, or the `place` of
/// a place detail), with `hours` given separately.
fn facts(p: &Value, hours: Vec<Option<Vec<OpenInterval>>>) -> Option<PlaceFacts> {
    let id = p["id"].as_str()?;
    let names = ["local", "en", "ko"]
        .iter()
        .filter_map(|k| p["names"][k].as_str().map(str::to_string))
        .collect();
    Some(PlaceFacts {
        id: id.to_string(),
        name: p["names"]["local"].as_str().unwrap_or(id).to_string(),
        names,
        category: category(&p["category"]),
        kind: p["kind"].as_str().unwrap_or_default().to_string(),
        position: LatLon {
            lat: p["position"]["lat"].as_f64()?,
            lon: p["position"]["lon"].as_f64()?,
        },
        visit_minutes: p["visitMinutes"]
            .as_u64()
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(45),
        indoor: match p["exposure"].as_str() {
            Some("indoor") => Some(true),
            Some("outdoor") => Some(false),
            _ => None,
        },
        access: access(&p["wheelchair"]),
        rating: p["rating"].as_f64().map(|r| r as f32),
        review_count: p["reviewCount"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok()),
        hours,
        significance: p["significance"]["score"]
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or(0),
    })
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
        let dates_param: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        let q = [
            ("lat", centre.lat.to_string()),
            ("lon", centre.lon.to_string()),
            ("radius", format!("{}", radius_m.round())),
            ("limit", limit.min(2_000).to_string()),
            ("dates", dates_param.join(",")),
        ];
        let Some(v) = self.get("/api/v1/locations/places/around", &q).await? else {
            anyhow::bail!("the location target does not serve /places/around");
        };
        let items = v["items"].as_array().cloned().unwrap_or_default();
        Ok(items
            .iter()
            .filter_map(|p| {
                let hours = (0..dates.len())
                    .map(|i| intervals(&p["hours"][i]))
                    .collect();
                facts(p, hours)
            })
            .collect())
    }

    async fn place(
        &self,
        _city: &str,
        id: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Option<PlaceFacts>> {
        let Some(detail) = self
            .get(&format!("/api/v1/locations/places/{id}"), &[])
            .await?
        else {
            return Ok(None);
        };
        let mut hours = Vec::with_capacity(dates.len());
        for d in dates {
            let day = self
                .get(&format!("/api/v1/locations/places/{id}/day/{d}"), &[])
                .await?;
            hours.push(day.and_then(|day| intervals(&day["open"])));
        }
        let mut place = detail["place"].clone();
        place["rating"] = detail["rating"].clone();
        place["reviewCount"] = detail["reviewCount"].clone();
        Ok(facts(&place, hours))
    }

    fn travel_model(&self) -> Arc<dyn TravelModel + Send + Sync> {
        // The planner's own straight-line model (same published numbers); a matrix over
        // HTTP would cost one request per pair.
        Arc::new(StraightLine::default())
    }
}
