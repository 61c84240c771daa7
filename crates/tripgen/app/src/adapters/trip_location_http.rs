//! The trip context's ports over the location target's HTTP API (split mode: the `trip`
//! target runs without the location context in its process).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use tripgen_trip::domain::model::LatLon;
use tripgen_trip::domain::schedule::{LegEstimate, Mode, OpenInterval};
use tripgen_trip::ports::{
    CataloguePlace, City, CityMatch, Gazetteer, OpenNearby, PlaceCatalogue, TravelTimes,
    async_trait,
};

pub struct HttpLocation {
    base: String,
    http: reqwest::Client,
}

impl HttpLocation {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(HttpLocation {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Resolved {
    city: Option<ResolvedCity>,
    suggestions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResolvedCity {
    name: String,
    name_en: Option<String>,
    lat: f64,
    lon: f64,
    time_zone: Option<String>,
    country: Option<String>,
}

#[async_trait]
impl Gazetteer for HttpLocation {
    async fn resolve_city(&self, name: &str) -> anyhow::Result<CityMatch> {
        let v = self
            .get(
                "/api/v1/locations/cities/resolve",
                &[("name", name.to_string())],
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("city resolution not available"))?;
        let r: Resolved = serde_json::from_value(v)?;
        Ok(match r.city {
            Some(c) => CityMatch::Found(City {
                name: c.name_en.unwrap_or(c.name),
                position: LatLon {
                    lat: c.lat,
                    lon: c.lon,
                },
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
        let Some(v) = self.get("/api/v1/locations/search/keyword", &q).await? else {
            return Ok(None);
        };
        let items = v["items"].as_array().cloned().unwrap_or_default();
        let pick = items
            .iter()
            .find(|i| i["place"]["category"] == "lodging")
            .or_else(|| items.first());
        Ok(pick.and_then(|i| {
            Some(LatLon {
                lat: i["place"]["position"]["lat"].as_f64()?,
                lon: i["place"]["position"]["lon"].as_f64()?,
            })
        }))
    }
}

#[async_trait]
impl TravelTimes for HttpLocation {
    async fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
    ) -> anyhow::Result<Option<LegEstimate>> {
        let mode = super::trip_location_local::travel_mode(mode).as_str();
        let q = [
            ("from", format!("{},{}", from.lat, from.lon)),
            ("to", format!("{},{}", to.lat, to.lon)),
            ("mode", mode.to_string()),
        ];
        let Some(v) = self.get("/api/v1/locations/routes", &q).await? else {
            return Ok(None);
        };
        Ok(Some(LegEstimate {
            minutes: v["minutes"].as_u64().unwrap_or(0) as u32,
            metres: v["metres"].as_u64().unwrap_or(0) as u32,
        }))
    }
}

#[async_trait]
impl PlaceCatalogue for HttpLocation {
    async fn place(
        &self,
        place_id: &str,
        date: NaiveDate,
    ) -> anyhow::Result<Option<CataloguePlace>> {
        let Some(p) = self
            .get(
                &format!("/api/v1/locations/places/{place_id}/day/{date}"),
                &[],
            )
            .await?
        else {
            return Ok(None);
        };
        let hours = p["open"].as_array().map(|a| {
            a.iter()
                .filter_map(|iv| {
                    Some(OpenInterval {
                        open: iv[0].as_u64()? as u32,
                        close: iv[1].as_u64()? as u32,
                    })
                })
                .collect()
        });
        Ok(Some(CataloguePlace {
            id: place_id.to_string(),
            name: p["name"].as_str().unwrap_or_default().to_string(),
            category: serde_json::from_value::<tripgen_location::Category>(p["category"].clone())
                .map(|c| super::planner_category(c).to_string())
                .unwrap_or_else(|_| "other".into()),
            position: LatLon {
                lat: p["lat"].as_f64().unwrap_or_default(),
                lon: p["lon"].as_f64().unwrap_or_default(),
            },
            visit_minutes: p["visitMinutes"].as_u64().unwrap_or(60) as u32,
            indoor: p["exposure"] == "indoor",
            hours,
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
        let Some(v) = self.get("/api/v1/locations/places/around", &query).await? else {
            return Ok(Vec::new());
        };
        let mut found: Vec<(u32, CataloguePlace)> = Vec::new();
        for p in v["items"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let Some(id) = p["id"].as_str() else { continue };
            let category =
                serde_json::from_value::<tripgen_location::Category>(p["category"].clone())
                    .map(|c| super::planner_category(c).to_string())
                    .unwrap_or_else(|_| "other".into());
            if category != q.category || q.exclude.contains(id) {
                continue;
            }
            let hours: Vec<OpenInterval> = p["hours"][0]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|iv| {
                            Some(OpenInterval {
                                open: u32::try_from(iv[0].as_u64()?).ok()?,
                                close: u32::try_from(iv[1].as_u64()?).ok()?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !hours
                .iter()
                .any(|iv| iv.open <= q.start && q.end <= iv.close)
            {
                continue;
            }
            let (Some(lat), Some(lon)) =
                (p["position"]["lat"].as_f64(), p["position"]["lon"].as_f64())
            else {
                continue;
            };
            let position = LatLon { lat, lon };
            found.push((
                tripgen_trip::domain::changes::metres(q.near, position),
                CataloguePlace {
                    id: id.to_string(),
                    name: p["names"]["local"].as_str().unwrap_or(id).to_string(),
                    category,
                    position,
                    visit_minutes: p["visitMinutes"].as_u64().unwrap_or(60) as u32,
                    indoor: p["exposure"] == "indoor",
                    hours: Some(hours),
                },
            ));
        }
        found.sort_by_key(|(m, _)| *m);
        Ok(found.into_iter().take(limit).map(|(_, p)| p).collect())
    }
}
