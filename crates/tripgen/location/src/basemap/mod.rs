//! The offline base map (docs/maps.md): vector tiles built from the same `.osm.pbf` the
//! places come from, one MBTiles file per dataset in `<data_dir>/tiles`, and the one map
//! style (OpenMapTiles layers, no sprite, no glyph server) the web app and exports draw.
//!
//! The tiles are built by tilemaker (a Debian package) driven by the trimmed OpenMapTiles
//! config and Lua kept next to this crate (`basemap/`). Without tilemaker the import says
//! so and everything else works: maps then draw routes on a plain background.

mod build;
mod clean;
mod jobs;
mod shapes;
mod style;
mod tileset;

use std::path::{Path, PathBuf};

pub use build::{BasemapBuilder, BasemapReport, TILEMAKER};
pub use jobs::{build_all, spawn_missing};
pub use shapes::{MapClass, MapShape, decode_tile};
pub use style::{Language, style_json};
pub use tileset::{TileLookup, TileSet, TileSetInfo, TileSets};

/// Where the tile sets of a data dir live.
pub fn tiles_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tiles")
}

/// The URL-safe name of a dataset's tile set, from its file name: `munchen.osm.pbf` →
/// `munchen`, `Helsinki.osm.pbf` → `helsinki`; `None` when nothing usable is left.
pub fn tileset_id(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_str()?.to_ascii_lowercase();
    let stem = name
        .strip_suffix(".osm.pbf")
        .or_else(|| name.strip_suffix(".pbf"))
        .unwrap_or(&name);
    let mut id = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    (valid_id(&id) && id != style::STYLE_NAME).then_some(id)
}

/// What a tile set id may look like (also what the gateway accepts in a URL).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !id.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_file_names() {
        assert_eq!(
            tileset_id(Path::new("data/osm/munchen.osm.pbf")).as_deref(),
            Some("munchen")
        );
        assert_eq!(
            tileset_id(Path::new("Helsinki.osm.pbf")).as_deref(),
            Some("helsinki")
        );
        assert_eq!(
            tileset_id(Path::new("berlin-latest.osm.pbf")).as_deref(),
            Some("berlin-latest")
        );
        assert_eq!(
            tileset_id(Path::new("São Paulo.osm.pbf")).as_deref(),
            Some("s-o-paulo")
        );
        assert_eq!(tileset_id(Path::new("..osm.pbf")), None);
        assert_eq!(tileset_id(Path::new("style.osm.pbf")), None);
    }

    #[test]
    fn ids_the_gateway_accepts() {
        assert!(valid_id("munchen"));
        assert!(!valid_id("../etc"));
        assert!(!valid_id("Munchen"));
        assert!(!valid_id(""));
    }
}
