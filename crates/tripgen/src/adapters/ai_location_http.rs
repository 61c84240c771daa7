//! The AI context's place port over the location target's HTTP API (split mode: the `ai`
//! target runs without the location context in its process). Candidates come from the
//! keyword/nearby search and each place's hours per date from `…/places/{id}/day/{date}`.

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
        let q = [
            ("lat", centre.lat.to_string()),
            ("lon", centre.lon.to_string()),
            ("radius", format!("{}", radius_m.round())),
            ("limit", limit.to_string()),
        ];
        let Some(v) = self.get("/api/v1/locations/places/around", &q).await? else {
            anyhow::bail!("the location target does not serve /places/around");
        };
        let items = v["items"].as_array().cloned().unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for p in items {
            let Some(id) = p["id"].as_str() else { continue };
            let mut hours = Vec::with_capacity(dates.len());
            for d in dates {
                let day = self
                    .get(&format!("/api/v1/locations/places/{id}/day/{d}"), &[])
                    .await?;
                hours.push(day.and_then(|day| {
                    day["open"].as_array().map(|a| {
                        a.iter()
                            .filter_map(|iv| {
                                Some(OpenInterval {
                                    open: u32::try_from(iv[0].as_u64()?).ok()?,
                                    close: u32::try_from(iv[1].as_u64()?).ok()?,
                                })
                            })
                            .collect()
                    })
                }));
            }
            let names = ["local", "en", "ko"]
                .iter()
                .filter_map(|k| p["names"][k].as_str().map(str::to_string))
                .collect();
            out.push(PlaceFacts {
                id: id.to_string(),
                name: p["names"]["local"].as_str().unwrap_or(id).to_string(),
                names,
                category: category(&p["category"]),
                kind: p["kind"].as_str().unwrap_or_default().to_string(),
                position: LatLon {
                    lat: p["position"]["lat"].as_f64().unwrap_or_default(),
                    lon: p["position"]["lon"].as_f64().unwrap_or_default(),
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
            });
        }
        Ok(out)
    }

    fn travel_model(&self) -> Arc<dyn TravelModel + Send + Sync> {
        // The planner's own straight-line model (same published numbers); a matrix over
        // HTTP would cost one request per pair.
        Arc::new(StraightLine::default())
    }
}
