//! The request suite (`data/eval/requests.json`): requests with the wishes each must
//! yield. Scored here at intent level (a case is right when its wishes are exactly the
//! expected ones); `tripgen bench requests` plans them. A yardstick, never an input.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::text::fold;
use super::{Effect, WishDay, WishKind, parse};

#[derive(Debug, Clone, Deserialize)]
pub struct Suite {
    /// Stand-in catalogue: per place its names (local, en, ko).
    pub catalogue: Vec<Vec<String>>,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub text: String,
    pub lang: String,
    pub wishes: Vec<Expected>,
    /// Written with the others, never tuned on.
    #[serde(default)]
    pub holdout: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct Expected {
    pub kind: WishKind,
    pub target: String,
    pub effect: Effect,
    /// The one day the wish is for, when it names one.
    #[serde(default)]
    pub day: Option<WishDay>,
}

impl PartialOrd for WishKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for WishKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}
impl PartialOrd for Effect {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Effect {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

impl Suite {
    pub fn from_json(text: &str) -> anyhow::Result<Suite> {
        Ok(serde_json::from_str(text)?)
    }

    /// The catalogue as `(id, names)`, ids `suite:<n>`.
    pub fn places(&self) -> Vec<(String, Vec<String>)> {
        self.catalogue
            .iter()
            .enumerate()
            .map(|(i, names)| (format!("suite:{i}"), names.clone()))
            .collect()
    }
}

/// The wishes of `text` as the suite compares them: a named place by the catalogue's
/// first name when it is there, else as written (folded); catalogue names found in the
/// text count too.
pub fn understood(text: &str, places: &[(String, Vec<String>)]) -> BTreeSet<Expected> {
    let intent = parse(text);
    let r = intent.resolve(places);
    let mut out = BTreeSet::new();
    for (i, w) in intent.wishes.iter().enumerate() {
        let target = match r.matched.iter().find(|m| m.0 == i) {
            Some((_, _, name)) => fold(name),
            None if w.kind == WishKind::Place => fold(&w.target),
            None => w.target.clone(),
        };
        out.insert(Expected {
            kind: w.kind,
            target,
            effect: w.effect,
            day: w.day,
        });
    }
    for (w, _, name) in &r.found {
        out.insert(Expected {
            kind: w.kind,
            target: fold(name),
            effect: w.effect,
            day: w.day,
        });
    }
    out
}

/// The expected wishes of a case, places folded as [`understood`] gives them.
pub fn expected(case: &Case) -> BTreeSet<Expected> {
    case.wishes
        .iter()
        .map(|e| Expected {
            target: if e.kind == WishKind::Place {
                fold(&e.target)
            } else {
                e.target.clone()
            },
            ..e.clone()
        })
        .collect()
}

/// Share of cases understood exactly, and the cases that were not (text, got, wanted).
pub type Miss = (String, BTreeSet<Expected>, BTreeSet<Expected>);

pub fn intent_accuracy<'a>(
    cases: impl Iterator<Item = &'a Case>,
    places: &[(String, Vec<String>)],
) -> (f64, usize, Vec<Miss>) {
    let mut n = 0;
    let mut misses = Vec::new();
    for c in cases {
        n += 1;
        let (got, want) = (understood(&c.text, places), expected(c));
        if got != want {
            misses.push((c.text.clone(), got, want));
        }
    }
    let ok = n - misses.len();
    let acc = if n == 0 { 1.0 } else { ok as f64 / n as f64 };
    (acc, n, misses)
}
