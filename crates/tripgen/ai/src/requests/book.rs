//! The wish book of one generation: the request's wishes, what each city's catalogue made
//! of them, and — once every city is planned — the verdict on each and the day remarks.

use std::collections::HashMap;

use tripgen_planner::itinerary::Warning;

use super::outcome::{Evidence, PlaceInfo, PlannedDay, Understood, judge};
use super::{Effect, RequestIntent, Resolved, Wish, WishKind};
use crate::ports::{GeneratedDay, PlaceFacts};

pub struct WishBook {
    wishes: Vec<Wish>,
    /// Wish index → (place id, catalogue name), the first city that has it.
    matched: HashMap<usize, (String, String)>,
    places: HashMap<String, PlaceInfo>,
    /// The planner's trip-level warnings of every city.
    pub planner_warnings: Vec<Warning>,
    /// The trip's last day (0-based); unset: the last day judged.
    pub last_day: Option<usize>,
}

impl WishBook {
    pub fn new(intent: &RequestIntent) -> WishBook {
        WishBook {
            wishes: intent.wishes.clone(),
            matched: HashMap::new(),
            places: HashMap::new(),
            planner_warnings: Vec::new(),
            last_day: None,
        }
    }

    /// What one city's catalogue made of the wishes (`places`: its candidates).
    pub fn record(&mut self, resolved: &Resolved, places: &[PlaceFacts]) {
        for (i, id, name) in &resolved.matched {
            self.matched
                .entry(*i)
                .or_insert_with(|| (id.clone(), name.clone()));
        }
        for (wish, id, name) in &resolved.found {
            let known = self.wishes.iter().position(|w| {
                w.kind == WishKind::Place && w.effect == wish.effect && w.target == wish.target
            });
            let i = known.unwrap_or_else(|| {
                self.wishes.push(wish.clone());
                self.wishes.len() - 1
            });
            self.matched
                .entry(i)
                .or_insert_with(|| (id.clone(), name.clone()));
        }
        for p in places {
            self.places.insert(
                p.id.clone(),
                PlaceInfo {
                    cuisine: p.cuisine.clone(),
                    access: Some(p.access),
                },
            );
        }
    }

    /// The verdict on every wish; a wish not honoured leaves its remark on the day it
    /// concerns. A named place a city lacks is only "not in the catalogue" when no city
    /// had it. Capitalised words that name nothing and were asked for nothing (no
    /// polarity) are not wishes: the parser only keeps names in wishing clauses.
    pub fn judge(&self, days: &mut [GeneratedDay]) -> Vec<Understood> {
        let (understood, remarks) = {
            let ev = Evidence {
                days: days.iter().map(|d| PlannedDay { plan: &d.plan }).collect(),
                matched: self.matched.clone(),
                planner_warnings: &self.planner_warnings,
                places: &self.places,
                last_day: self
                    .last_day
                    .unwrap_or_else(|| days.iter().map(|d| d.plan.day_index).max().unwrap_or(0)),
            };
            judge(&self.wishes, &ev)
        };
        for (d, w) in remarks {
            // A must-visit the planner already explained keeps the planner's warning.
            let explained = w.params.get("wish").is_some_and(|t| {
                self.wishes.iter().enumerate().any(|(i, x)| {
                    x.kind == WishKind::Place
                        && x.effect == Effect::Include
                        && &x.target == t
                        && self.matched.get(&i).is_some_and(|(id, _)| {
                            self.planner_warnings
                                .iter()
                                .any(|p| p.place_id.as_deref() == Some(id.as_str()))
                        })
                })
            });
            if let (Some(day), false) = (days.get_mut(d), explained) {
                day.plan.warnings.push(w);
            }
        }
        understood
    }
}
