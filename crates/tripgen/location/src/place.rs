//! The place model: what the catalogue stores and the planner consumes.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::OSM_ATTRIBUTION;
use crate::category::{Category, Exposure};
use crate::error::ValidationError;
use crate::geo::GeoPoint;
use crate::opening_hours::OpeningHours;
use crate::significance::Significance;

/// OSM element type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ElementKind {
    Node,
    Way,
    Relation,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Node => "node",
            ElementKind::Way => "way",
            ElementKind::Relation => "relation",
        }
    }
}

impl FromStr for ElementKind {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "node" => Ok(ElementKind::Node),
            "way" => Ok(ElementKind::Way),
            "relation" => Ok(ElementKind::Relation),
            _ => Err(ValidationError::UnknownValue {
                field: "elementType".to_owned(),
                value: s.to_owned(),
            }),
        }
    }
}

/// An OSM element: type + id. Node 1 and way 1 are different elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementRef {
    pub kind: ElementKind,
    pub id: i64,
}

/// Stable place id, derived from the OSM element: `osm:node:123`, `osm:way:456`.
///
/// Readable, deterministic across imports (so the 2020 extract and the 2025 GeoJSON agree on
/// the id of the same café) and safe to use in URLs. An opaque UUID would add nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlaceId(String);

impl PlaceId {
    pub fn from_element(element: ElementRef) -> Self {
        Self(format!("osm:{}:{}", element.kind.as_str(), element.id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The OSM element this id was derived from.
    pub fn element(&self) -> Option<ElementRef> {
        let mut parts = self.0.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("osm"), Some(kind), Some(id)) => Some(ElementRef {
                kind: kind.parse().ok()?,
                id: id.parse().ok()?,
            }),
            _ => None,
        }
    }
}

impl FromStr for PlaceId {
    type Err = ValidationError;
    /// Accepts only well-formed `osm:<type>:<id>` ids.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = PlaceId(s.to_owned());
        match id.element() {
            Some(element) if PlaceId::from_element(element) == id => Ok(id),
            _ => Err(ValidationError::UnknownValue {
                field: "id".to_owned(),
                value: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for PlaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names as tagged: `name` (local), `name:en`, `name:ko`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceNames {
    pub local: String,
    pub en: Option<String>,
    pub ko: Option<String>,
}

impl PlaceNames {
    /// Best name for a UI language (`ko`, `en`, anything else → local), falling back to local.
    pub fn display(&self, language: &str) -> &str {
        let preferred = match language {
            "ko" => self.ko.as_deref(),
            "en" => self.en.as_deref(),
            _ => None,
        };
        preferred.unwrap_or(&self.local)
    }
}

/// `wheelchair=*` as tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Wheelchair {
    Yes,
    Limited,
    No,
    #[default]
    Unknown,
}

impl Wheelchair {
    pub fn from_tag(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("yes" | "designated") => Wheelchair::Yes,
            Some("limited") => Wheelchair::Limited,
            Some("no") => Wheelchair::No,
            _ => Wheelchair::Unknown,
        }
    }
}

/// `addr:*` tags.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub street: Option<String>,
    pub housenumber: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// `addr:full`, for places tagged with a single free-text address.
    pub full: Option<String>,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        *self == Address::default()
    }

    /// One-line rendering, e.g. `Marienplatz 8, 80331 München`.
    pub fn one_line(&self) -> Option<String> {
        if let Some(full) = &self.full {
            return Some(full.clone());
        }
        let street = match (&self.street, &self.housenumber) {
            (Some(s), Some(n)) => Some(format!("{s} {n}")),
            (Some(s), None) => Some(s.clone()),
            _ => None,
        };
        let town = match (&self.postcode, &self.city) {
            (Some(p), Some(c)) => Some(format!("{p} {c}")),
            (None, Some(c)) => Some(c.clone()),
            (Some(p), None) => Some(p.clone()),
            (None, None) => None,
        };
        let parts: Vec<String> = [street, town].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Where a record came from and how fresh it is; what "newer version wins" compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRecord {
    pub element: ElementRef,
    /// OSM element version, when the file carries it (PBF with metadata).
    pub version: Option<u32>,
    /// Last edit of the element, when the file carries it.
    pub timestamp: Option<DateTime<Utc>>,
    /// When the file was produced (PBF replication timestamp, GeoJSON `metadata.generatedAt`).
    pub snapshot_at: Option<DateTime<Utc>>,
    /// File name the record was read from (no directory), for provenance.
    pub dataset: String,
}

impl SourceRecord {
    /// The instant up to which this record is known to be current: the snapshot date of the
    /// file if known (the element was current when the file was cut), else its last edit.
    pub fn observed_at(&self) -> Option<DateTime<Utc>> {
        self.snapshot_at.or(self.timestamp)
    }

    /// "Newer version wins": should `self` replace `incumbent` (same element) in the store?
    ///
    /// 1. Both have an OSM version → the higher version wins (versions are monotonic per
    ///    element); on equal versions the later observation wins, ties keep the incumbent.
    /// 2. Otherwise the later [`observed_at`](Self::observed_at) wins; a record with no date at
    ///    all never replaces a dated one; ties keep the incumbent (imports are idempotent).
    pub fn supersedes(&self, incumbent: &SourceRecord) -> bool {
        if self.element != incumbent.element {
            return false;
        }
        if let (Some(mine), Some(theirs)) = (self.version, incumbent.version)
            && mine != theirs
        {
            return mine > theirs;
        }
        match (self.observed_at(), incumbent.observed_at()) {
            (Some(mine), Some(theirs)) => mine > theirs,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// A place of interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    pub id: PlaceId,
    pub names: PlaceNames,
    pub position: GeoPoint,
    pub category: Category,
    /// The OSM tag that decided the category, e.g. `tourism=museum`.
    pub kind: String,
    pub opening_hours: OpeningHours,
    pub visit_minutes: u16,
    pub exposure: Exposure,
    pub wheelchair: Wheelchair,
    pub address: Address,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// `cuisine=*` split on `;`, e.g. `["bavarian", "german"]`.
    pub cuisine: Vec<String>,
    pub source: SourceRecord,
    /// `wikidata=Q…`: the identity of the physical place across elements and imports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Every other `name:xx` as tagged (language code → name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_names: BTreeMap<String, String>,
    /// Area of the way or relation (m²), when the element encloses one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    /// How much travellers come for it, with the evidence (see `significance`).
    #[serde(default)]
    pub significance: Significance,
    /// Other OSM elements of the same physical place merged into this one at import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<ElementRef>,
}

/// What lists and search results need of a place: small enough to keep a whole
/// catalogue's worth in memory for nearby search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceSummary {
    pub id: PlaceId,
    pub names: PlaceNames,
    pub position: GeoPoint,
    pub category: Category,
    pub kind: String,
    pub cuisine: Vec<String>,
    /// One-line address, when known.
    pub address: Option<String>,
    pub wheelchair: Wheelchair,
    pub exposure: Exposure,
    #[serde(default)]
    pub significance: Significance,
}

impl From<&Place> for PlaceSummary {
    fn from(p: &Place) -> Self {
        PlaceSummary {
            id: p.id.clone(),
            names: p.names.clone(),
            position: p.position,
            category: p.category,
            kind: p.kind.clone(),
            cuisine: p.cuisine.clone(),
            address: p.address.one_line(),
            wheelchair: p.wheelchair,
            exposure: p.exposure,
            significance: p.significance.clone(),
        }
    }
}

impl Place {
    /// Attribution to show with this place (all current sources are OpenStreetMap).
    pub fn attribution(&self) -> &'static str {
        OSM_ATTRIBUTION
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rec(version: Option<u32>, ts: Option<i64>, snap: Option<i64>) -> SourceRecord {
        let t = |y: i64| Utc.with_ymd_and_hms(y as i32, 1, 1, 0, 0, 0).single();
        SourceRecord {
            element: ElementRef {
                kind: ElementKind::Node,
                id: 1,
            },
            version,
            timestamp: ts.and_then(t),
            snapshot_at: snap.and_then(t),
            dataset: "x".into(),
        }
    }

    #[test]
    fn place_id_roundtrip() {
        let el = ElementRef {
            kind: ElementKind::Way,
            id: 42,
        };
        let id = PlaceId::from_element(el);
        assert_eq!(id.as_str(), "osm:way:42");
        assert_eq!(id.element(), Some(el));
        assert_eq!("osm:way:42".parse::<PlaceId>().unwrap(), id);
        assert!("osm:way:042".parse::<PlaceId>().is_err());
        assert!("way:42".parse::<PlaceId>().is_err());
        assert!("osm:area:1".parse::<PlaceId>().is_err());
    }

    #[test]
    fn newer_version_wins() {
        assert!(rec(Some(5), Some(2020), None).supersedes(&rec(Some(4), Some(2024), None)));
        assert!(!rec(Some(4), None, None).supersedes(&rec(Some(5), None, None)));
        // 2025 GeoJSON (no version, snapshot 2025) replaces a 2020 PBF record.
        assert!(rec(None, None, Some(2025)).supersedes(&rec(Some(7), Some(2019), Some(2020))));
        assert!(!rec(Some(7), Some(2019), Some(2020)).supersedes(&rec(None, None, Some(2025))));
        // Undated never replaces dated; equal keeps incumbent.
        assert!(!rec(None, None, None).supersedes(&rec(None, Some(2000), None)));
        assert!(!rec(None, None, Some(2025)).supersedes(&rec(None, None, Some(2025))));
    }

    #[test]
    fn address_and_names() {
        let a = Address {
            street: Some("Marienplatz".into()),
            housenumber: Some("8".into()),
            postcode: Some("80331".into()),
            city: Some("München".into()),
            ..Address::default()
        };
        assert_eq!(
            a.one_line().as_deref(),
            Some("Marienplatz 8, 80331 München")
        );
        assert_eq!(Address::default().one_line(), None);
        let n = PlaceNames {
            local: "München".into(),
            en: Some("Munich".into()),
            ko: None,
        };
        assert_eq!(n.display("en"), "Munich");
        assert_eq!(n.display("ko"), "München");
        assert_eq!(Wheelchair::from_tag(Some("limited")), Wheelchair::Limited);
        assert_eq!(Wheelchair::from_tag(Some("bogus")), Wheelchair::Unknown);
    }
}
