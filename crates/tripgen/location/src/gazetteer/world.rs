//! The world gazetteer shipped with the product: every city of ≥ 15,000 inhabitants from
//! GeoNames (CC BY 4.0, https://www.geonames.org/), with its English, Korean and local
//! names. Built by `scripts/gazetteer/build.py` into `data/gazetteer/cities15000.tsv.gz`,
//! embedded in the binary with its name index (folded and sorted at build time by
//! `build.rs`) and parsed once, on first use.

use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

use crate::gazetteer::names::city_keys;
use crate::geo::GeoPoint;

/// Attribution every surface that shows gazetteer data carries.
pub const GEONAMES_ATTRIBUTION: &str = "City data © GeoNames (geonames.org), CC BY 4.0";

static DATA: &[u8] = include_bytes!("../../../../../data/gazetteer/cities15000.tsv.gz");
/// The names of [`DATA`] folded and sorted (see `build.rs` for the layout).
static KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/world_keys.bin"));

static WORLD: LazyLock<WorldGazetteer> = LazyLock::new(|| {
    let started = std::time::Instant::now();
    match parse_shipped() {
        Ok(w) => {
            tracing::info!(
                cities = w.cities.len(),
                names = w.keys.len(),
                ms = started.elapsed().as_millis() as u64,
                "world gazetteer loaded"
            );
            w
        }
        Err(e) => {
            // Only a broken build can get here (the file is embedded); keep serving with
            // the catalogue's own cities rather than failing every request.
            tracing::error!(error = %e, "world gazetteer unreadable; only imported cities are known");
            WorldGazetteer::default()
        }
    }
});

/// Parses the shipped file afresh (benchmarks measure this; the product uses [`world`]).
pub fn parse_shipped() -> anyhow::Result<WorldGazetteer> {
    let mut w = WorldGazetteer::cities_from_tsv(&inflate(DATA)?)?;
    w.attach_index(KEYS)?;
    Ok(w)
}

fn inflate(bytes: &[u8]) -> anyhow::Result<String> {
    let mut text = String::with_capacity(bytes.len().saturating_mul(4));
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text)?;
    Ok(text)
}

/// Size of the shipped (compressed) file in bytes.
pub fn shipped_size() -> usize {
    DATA.len()
}

/// The shipped world gazetteer (parsed on first call, then shared).
pub fn world() -> &'static WorldGazetteer {
    &WORLD
}

/// A GeoNames city.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldCity {
    pub geonames_id: u32,
    /// GeoNames' main name: the English usage (`Munich`, `Moscow`, `Vienna`).
    pub name: String,
    pub centre: GeoPoint,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub time_zone: String,
    pub population: u64,
    /// Hangul names, display name first.
    pub names_ko: Vec<String>,
    /// Every other alternate name (local and foreign spellings, codes), unordered, as
    /// shipped: `|`-separated (one allocation per city rather than one per name; see
    /// [`Self::names_other`]).
    names_other: String,
}

impl WorldCity {
    pub fn name_ko(&self) -> Option<&str> {
        self.names_ko.first().map(String::as_str)
    }

    /// Every other alternate name (local and foreign spellings, codes), unordered.
    pub fn names_other(&self) -> impl Iterator<Item = &str> {
        self.names_other.split('|').filter(|n| !n.is_empty())
    }

    /// All names: main, Korean, others.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.names_ko.iter().map(String::as_str))
            .chain(self.names_other())
    }

    /// How far the city reaches for attaching places: grows with the cube root of the
    /// population (a town of 15,000 ≈ 5 km, a city of 1 M ≈ 17 km, 10 M ≈ 37 km).
    pub fn radius_m(&self) -> f64 {
        radius_for_population(self.population)
    }
}

pub fn radius_for_population(population: u64) -> f64 {
    let r = 8_000.0 * (population as f64 / 100_000.0).cbrt();
    r.clamp(5_000.0, 40_000.0)
}

/// Grid cell size for the position lookup, in degrees.
const CELL_DEG: f64 = 0.5;

fn cell(p: GeoPoint) -> (i32, i32) {
    (
        (p.lat() / CELL_DEG).floor() as i32,
        (p.lon() / CELL_DEG).floor() as i32,
    )
}

#[derive(Debug, Default)]
pub struct WorldGazetteer {
    cities: Vec<WorldCity>,
    /// Every folded name, back to back (one allocation for ~300,000 keys).
    key_text: String,
    /// One per (folded name, city), sorted by key then city: exact and prefix lookups by
    /// binary search.
    keys: Vec<NameKey>,
    by_id: HashMap<u32, u32>,
    grid: HashMap<(i32, i32), Vec<u32>>,
}

/// A folded name of a city, in [`WorldGazetteer::key_text`].
#[derive(Debug, Clone, Copy)]
struct NameKey {
    start: u32,
    len: u32,
    city: u32,
    /// The main or a Korean name (else another alternate).
    primary: bool,
}

/// How a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameMatch {
    /// The main (English) or a Korean name.
    Exact,
    /// Another alternate name. GeoNames' alternates carry no language and some are loose
    /// (Bordeaux lists "Porto"), so they rank after main names.
    Alternate,
    Prefix,
}

impl WorldGazetteer {
    /// Reads a gazetteer file, folding its names (the shipped one comes with its index).
    pub fn from_gzip(bytes: &[u8]) -> anyhow::Result<Self> {
        Self::from_tsv(&inflate(bytes)?)
    }

    pub fn from_tsv(text: &str) -> anyhow::Result<Self> {
        let mut w = Self::cities_from_tsv(text)?;
        let mut keys: Vec<(String, u32, bool)> = Vec::new();
        for (idx, city) in w.cities.iter().enumerate() {
            let idx = u32::try_from(idx)?;
            for (key, primary) in city_keys(city.names(), 1 + city.names_ko.len()) {
                keys.push((key, idx, primary));
            }
        }
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        w.key_text = String::with_capacity(keys.iter().map(|k| k.0.len()).sum());
        for (key, city, primary) in keys {
            w.keys.push(NameKey {
                start: u32::try_from(w.key_text.len())?,
                len: u32::try_from(key.len())?,
                city,
                primary,
            });
            w.key_text.push_str(&key);
        }
        Ok(w)
    }

    /// The cities of a file, without their name index.
    fn cities_from_tsv(text: &str) -> anyhow::Result<Self> {
        let mut w = WorldGazetteer::default();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let city = parse_line(line)
                .ok_or_else(|| anyhow::anyhow!("gazetteer line {}: malformed", n + 1))?;
            let idx = u32::try_from(w.cities.len())?;
            w.by_id.insert(city.geonames_id, idx);
            w.grid.entry(cell(city.centre)).or_default().push(idx);
            w.cities.push(city);
        }
        Ok(w)
    }

    /// Takes the name index `build.rs` wrote for the same file.
    fn attach_index(&mut self, blob: &[u8]) -> anyhow::Result<()> {
        let bad = || anyhow::anyhow!("gazetteer index does not match its file");
        let word = |at: usize| -> anyhow::Result<u32> {
            let b = blob.get(at..at + 4).ok_or_else(bad)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        if blob.get(..4) != Some(b"GZK1".as_slice()) || word(4)? as usize != self.cities.len() {
            return Err(bad());
        }
        let count = word(8)? as usize;
        let text_at = 12 + count * 13;
        let text = std::str::from_utf8(blob.get(text_at..).ok_or_else(bad)?)?;
        self.keys = Vec::with_capacity(count);
        for i in 0..count {
            let at = 12 + i * 13;
            let key = NameKey {
                start: word(at)?,
                len: word(at + 4)?,
                city: word(at + 8)?,
                primary: blob.get(at + 12) == Some(&1),
            };
            let end = key.start as usize + key.len as usize;
            if end > text.len() || key.city as usize >= self.cities.len() {
                return Err(bad());
            }
            self.keys.push(key);
        }
        self.key_text = text.to_owned();
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.cities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cities.is_empty()
    }

    /// Every city, in GeoNames id order.
    pub fn cities(&self) -> &[WorldCity] {
        &self.cities
    }

    pub fn by_id(&self, geonames_id: u32) -> Option<&WorldCity> {
        self.by_id
            .get(&geonames_id)
            .and_then(|i| self.cities.get(*i as usize))
    }

    /// Cities with a name whose key equals (or starts with) `key`, each once with its best
    /// match, at most `limit` prefix matches looked at (exact ones always all).
    pub fn search(&self, key: &str, limit: usize) -> Vec<(NameMatch, &WorldCity)> {
        if key.is_empty() {
            return Vec::new();
        }
        let start = self
            .keys
            .partition_point(|k| key_str(&self.key_text, k) < key);
        let mut out: Vec<(NameMatch, &WorldCity)> = Vec::new();
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let mut prefixes = 0;
        for entry in self.keys.iter().skip(start) {
            let k = key_str(&self.key_text, entry);
            let idx = &entry.city;
            if !k.starts_with(key) {
                break;
            }
            let how = if k == key {
                if entry.primary {
                    NameMatch::Exact
                } else {
                    NameMatch::Alternate
                }
            } else {
                prefixes += 1;
                if prefixes > limit {
                    break;
                }
                NameMatch::Prefix
            };
            let Some(city) = self.cities.get(*idx as usize) else {
                continue;
            };
            match seen.get(idx) {
                Some(&at) => {
                    if let Some(slot) = out.get_mut(at)
                        && how < slot.0
                    {
                        slot.0 = how;
                    }
                }
                None => {
                    seen.insert(*idx, out.len());
                    out.push((how, city));
                }
            }
        }
        out
    }

    /// Cities whose centre lies within `radius_m` of `point` (any radius up to ~50 km).
    pub fn within(
        &self,
        point: GeoPoint,
        radius_m: f64,
    ) -> impl Iterator<Item = (&WorldCity, f64)> {
        let (clat, clon) = cell(point);
        // One ring of 0.5° cells covers ≥ 27 km everywhere below 60° N; two rings ≥ 50 km.
        let rings = if radius_m <= 25_000.0 { 1 } else { 2 };
        let cos = point.lat().to_radians().cos().max(0.05);
        let lon_rings = ((f64::from(rings) / cos).ceil() as i32).min(720);
        (clat - rings..=clat + rings)
            .flat_map(move |la| (clon - lon_rings..=clon + lon_rings).map(move |lo| (la, lo)))
            .filter_map(|c| self.grid.get(&c))
            .flatten()
            .filter_map(|i| self.cities.get(*i as usize))
            .map(move |c| (c, c.centre.haversine_m(&point)))
            .filter(move |(_, d)| *d <= radius_m)
    }

    /// The city a point belongs to: among cities whose radius covers it, the one it is
    /// relatively closest to (distance ÷ radius), so a metropolis keeps its outskirts and a
    /// satellite town its own centre. A district of a much larger city (GeoNames lists
    /// London's boroughs as cities) counts as that city.
    pub fn city_at(&self, point: GeoPoint) -> Option<&WorldCity> {
        self.nearest_relative(point).map(|c| self.dominant(c))
    }

    /// [`Self::city_at`] before districts are merged into their city.
    pub fn nearest_relative(&self, point: GeoPoint) -> Option<&WorldCity> {
        self.within(point, 40_000.0)
            .filter(|(c, d)| *d <= c.radius_m())
            .min_by(|a, b| (a.1 / a.0.radius_m()).total_cmp(&(b.1 / b.0.radius_m())))
            .map(|(c, _)| c)
    }

    /// The much larger city `city` is a district of, or `city` itself: one with ten times
    /// the population whose centre is within a quarter of its radius.
    pub fn dominant<'a>(&'a self, city: &'a WorldCity) -> &'a WorldCity {
        self.within(city.centre, 10_000.0)
            .filter(|(big, d)| {
                big.population >= city.population.saturating_mul(10) && *d <= big.radius_m() / 4.0
            })
            .max_by_key(|(big, _)| big.population)
            .map_or(city, |(big, _)| big)
    }
}

fn key_str<'a>(text: &'a str, key: &NameKey) -> &'a str {
    let start = key.start as usize;
    text.get(start..start + key.len as usize).unwrap_or("")
}

fn split_names(field: &str) -> Vec<String> {
    field
        .split('|')
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_line(line: &str) -> Option<WorldCity> {
    let mut f = line.split('\t');
    let geonames_id = f.next()?.parse().ok()?;
    let name = f.next()?.to_owned();
    let lat = f.next()?.parse().ok()?;
    let lon = f.next()?.parse().ok()?;
    let centre = GeoPoint::new(lat, lon).ok()?;
    let country = f.next()?.to_owned();
    let time_zone = f.next()?.to_owned();
    let population = f.next()?.parse().ok()?;
    let names_ko = split_names(f.next()?);
    let names_other = f.next().unwrap_or("").to_owned();
    Some(WorldCity {
        geonames_id,
        name,
        centre,
        country,
        time_zone,
        population,
        names_ko,
        names_other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::names::name_key;

    fn top<'a>(w: &'a WorldGazetteer, q: &str) -> Option<&'a WorldCity> {
        let mut hits = w.search(&name_key(q), 50);
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.population.cmp(&a.1.population)));
        hits.first().map(|h| h.1)
    }

    #[test]
    fn shipped_file_answers_english_korean_and_local_names() {
        let w = world();
        assert!(w.len() > 30_000, "{}", w.len());
        for (q, id) in [
            ("Moscow", 524901),
            ("모스크바", 524901),
            ("Москва", 524901),
            ("Munich", 2867714),
            ("München", 2867714),
            ("munchen", 2867714),
            ("뮌헨", 2867714),
            ("Lisbon", 2267057),
            ("Lisboa", 2267057),
            ("리스본", 2267057),
            ("Vienna", 2761369),
            ("Wien", 2761369),
            ("빈", 2761369),
            ("Porto", 2735943),
            ("포르투", 2735943),
            ("London", 2643743),
            ("런던", 2643743),
            ("Helsinki", 658225),
            ("Helsingfors", 658225),
            ("헬싱키", 658225),
            ("Seoul", 1835848),
            ("서울", 1835848),
            ("Monaco", 2993458),
            ("모나코", 2993458),
            ("Andorra la Vella", 3041563),
            ("안도라", 3041563),
        ] {
            let c = top(w, q).unwrap_or_else(|| panic!("{q}: no city"));
            assert_eq!(c.geonames_id, id, "{q} → {}", c.name);
        }
        let seoul = w.by_id(1835848).unwrap();
        assert_eq!(seoul.name_ko(), Some("서울"));
        assert_eq!(seoul.time_zone, "Asia/Seoul");
        assert_eq!(w.by_id(2761369).unwrap().name_ko(), Some("빈"));
    }

    #[test]
    fn the_index_built_at_compile_time_is_the_one_lookups_would_build() {
        let shipped = parse_shipped().unwrap();
        let folded = WorldGazetteer::from_gzip(DATA).unwrap();
        assert_eq!(shipped.cities, folded.cities);
        assert_eq!(shipped.keys.len(), folded.keys.len());
        let entries = |w: &WorldGazetteer| {
            w.keys
                .iter()
                .map(|k| (key_str(&w.key_text, k).to_owned(), k.city, k.primary))
                .collect::<Vec<_>>()
        };
        assert!(entries(&shipped) == entries(&folded));
        // A blob for another file is refused, not misread.
        let mut other = WorldGazetteer::cities_from_tsv("1\tA\t1\t1\tXX\tUTC\t1\t\t\n").unwrap();
        assert!(other.attach_index(KEYS).is_err());
    }

    #[test]
    fn prefixes_find_cities_being_typed() {
        let w = world();
        let hits = w.search(&name_key("mosc"), 50);
        assert!(
            hits.iter()
                .any(|(m, c)| *m == NameMatch::Prefix && c.geonames_id == 524901)
        );
        assert!(w.search(&name_key("zzqxv"), 50).is_empty());
    }

    #[test]
    fn points_belong_to_the_metropolis_not_its_boroughs() {
        let w = world();
        let at = |lat, lon| {
            w.city_at(GeoPoint::new(lat, lon).unwrap())
                .map(|c| c.name.clone())
        };
        // Soho and Islington are GeoNames "cities" inside London.
        assert_eq!(at(51.5136, -0.1365).as_deref(), Some("London"));
        assert_eq!(at(51.5362, -0.1033).as_deref(), Some("London"));
        assert_eq!(at(55.7539, 37.6208).as_deref(), Some("Moscow"));
        assert_eq!(at(48.1374, 11.5755).as_deref(), Some("Munich"));
        assert_eq!(at(41.1456, -8.6108).as_deref(), Some("Porto"));
        assert_eq!(
            at(43.7384, 7.4246).map(|n| n.starts_with("Mon")),
            Some(true)
        );
        assert_eq!(at(0.0, -160.0), None);
    }
}
