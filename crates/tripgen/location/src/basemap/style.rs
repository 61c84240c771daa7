//! The map style: `basemap/style.json` (OpenMapTiles layers, kept in the repository) made
//! concrete for the tile sets present. Every tile set is its own source, so each template
//! layer is repeated per source, keeping the drawing order (water under roads under
//! labels) across areas. No sprite and no `glyphs`: MapLibre draws labels with the
//! browser's own fonts, so no request leaves the server and Korean renders.

use serde_json::{Value, json};

use super::TileSetInfo;

const TEMPLATE: &str = include_str!("../../basemap/style.json");

/// Reserved: `/tiles/style.json` is the style, not a tile set.
pub(super) const STYLE_NAME: &str = "style";

/// The language labels add to the local name (when OSM has the name in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Ko,
}

impl Language {
    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "ko" => Some(Language::Ko),
            _ => None,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Language::En => "name:en",
            Language::Ko => "name:ko",
        }
    }
}

/// The local name, with the reader's language on a second line where OSM has it
/// (the tiles carry `name:xx` only when it differs from `name`).
fn label(lang: Language) -> Value {
    json!([
        "case",
        ["has", lang.tag()],
        ["concat", ["get", "name"], "\n", ["get", lang.tag()]],
        ["get", "name"]
    ])
}

/// The style for `sets`, tiles addressed as `/tiles/{id}/{z}/{x}/{y}.pbf`.
pub fn style_json(sets: &[TileSetInfo], lang: Language) -> Value {
    // The template is part of the binary and checked by a test: a broken one is a bug.
    let template: Value = serde_json::from_str(TEMPLATE).unwrap_or_else(|_| json!({}));
    let mut style = template.clone();
    let mut sources = serde_json::Map::new();
    for s in sets {
        sources.insert(
            source_name(&s.id),
            json!({
                "type": "vector",
                "tiles": [format!("/tiles/{}/{{z}}/{{x}}/{{y}}.pbf", s.id)],
                "bounds": s.bounds,
                "minzoom": s.minzoom,
                "maxzoom": s.maxzoom,
                "attribution": crate::OSM_ATTRIBUTION_HTML,
            }),
        );
    }
    let mut layers = Vec::new();
    for layer in template["layers"].as_array().into_iter().flatten() {
        if layer.get("source").is_none() {
            layers.push(layer.clone());
            continue;
        }
        for s in sets {
            let mut l = layer.clone();
            let id = l["id"].as_str().unwrap_or("layer").to_string();
            l["id"] = json!(format!("{}:{id}", s.id));
            l["source"] = json!(source_name(&s.id));
            if l["layout"]["text-field"] == json!("{name}") {
                l["layout"]["text-field"] = label(lang);
            }
            layers.push(l);
        }
    }
    style["sources"] = Value::Object(sources);
    style["layers"] = Value::Array(layers);
    style["metadata"]["tripgen:tilesets"] = json!(sets.iter().map(|s| &s.id).collect::<Vec<_>>());
    style
}

fn source_name(id: &str) -> String {
    format!("tiles-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(id: &str) -> TileSetInfo {
        TileSetInfo {
            id: id.into(),
            bounds: [11.5, 48.1, 11.6, 48.2],
            minzoom: 0,
            maxzoom: 14,
            vector_layers: json!([]),
            bytes: 1,
        }
    }

    #[test]
    fn the_template_is_a_style_with_the_main_layers() {
        let t: Value = serde_json::from_str(TEMPLATE).expect("style.json parses");
        assert_eq!(t["version"], 8);
        assert!(t.get("glyphs").is_none() && t.get("sprite").is_none());
        let layers: Vec<&str> = t["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["source-layer"].as_str())
            .collect();
        for wanted in [
            "water",
            "park",
            "building",
            "transportation",
            "transportation_name",
            "place",
        ] {
            assert!(layers.contains(&wanted), "{wanted}");
        }
    }

    #[test]
    fn repeats_layers_per_tile_set_in_drawing_order() {
        let s = style_json(&[set("munchen"), set("porto")], Language::Ko);
        assert_eq!(s["sources"].as_object().unwrap().len(), 2);
        assert_eq!(
            s["sources"]["tiles-porto"]["tiles"][0],
            "/tiles/porto/{z}/{x}/{y}.pbf"
        );
        let ids: Vec<&str> = s["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids[0], "background");
        let water = ids.iter().position(|i| *i == "porto:water").unwrap();
        let roads = ids.iter().position(|i| *i == "munchen:road-minor").unwrap();
        assert!(water < roads);
        let place = s["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == "munchen:place-name")
            .unwrap();
        assert!(
            place["layout"]["text-field"]
                .to_string()
                .contains("name:ko")
        );
        assert_eq!(
            s["metadata"]["tripgen:tilesets"],
            json!(["munchen", "porto"])
        );
    }

    #[test]
    fn no_tile_sets_is_a_plain_background() {
        let s = style_json(&[], Language::En);
        assert_eq!(s["layers"].as_array().unwrap().len(), 1);
        assert_eq!(s["sources"], json!({}));
    }
}
