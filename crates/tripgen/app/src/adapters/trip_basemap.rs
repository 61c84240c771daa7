//! The trip context's base-map port (export maps, issue 20) backed by the tile sets in
//! `<data_dir>/tiles` — the same files the gateway serves to the web map.

use std::sync::Arc;

use tripgen_location::basemap::{MapClass, MapShape, TileSets};
use tripgen_trip::domain::model::LatLon;
use tripgen_trip::ports::{BaseClass, BaseMaps, BaseShape, async_trait};

pub struct TileBaseMaps {
    pub tiles: Arc<TileSets>,
}

fn class(c: MapClass) -> BaseClass {
    match c {
        MapClass::Green => BaseClass::Green,
        MapClass::Park => BaseClass::Park,
        MapClass::Water => BaseClass::Water,
        MapClass::Building => BaseClass::Building,
        MapClass::Waterway => BaseClass::Waterway,
        MapClass::Path => BaseClass::Path,
        MapClass::MinorRoad => BaseClass::MinorRoad,
        MapClass::MajorRoad => BaseClass::MajorRoad,
        MapClass::Motorway => BaseClass::Motorway,
        MapClass::Rail => BaseClass::Rail,
    }
}

fn shape(s: MapShape) -> BaseShape {
    BaseShape {
        class: class(s.class),
        parts: s
            .parts
            .into_iter()
            .map(|p| {
                p.into_iter()
                    .map(|(lon, lat)| LatLon::new(lat, lon))
                    .collect()
            })
            .collect(),
    }
}

#[async_trait]
impl BaseMaps for TileBaseMaps {
    async fn shapes(&self, bbox: [f64; 4]) -> anyhow::Result<Vec<BaseShape>> {
        Ok(self
            .tiles
            .shapes(bbox)
            .await?
            .into_iter()
            .map(shape)
            .collect())
    }
}
