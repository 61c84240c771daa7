//! Wishes for one day, as the planner's candidates: the planner plans a city's days as a
//! whole, so a wish for one day becomes opening hours — a place wished on Monday is open
//! only on Monday (and a must-visit), "museum on Monday" makes the best museum open that
//! day a must-visit for that day only, "no museums on Monday" closes them on Monday.
//! Day start and end are the day slots' (see `plan_input::wished_hours`).

use tripgen_planner::itinerary::{Candidate, Constraints, OpenInterval};

use crate::plan_input::{DaySlot, planner_date};
use crate::requests::{Effect, RequestIntent, Resolved, WishDay, WishKind, category_of};

const WHOLE_DAY: OpenInterval = OpenInterval {
    open: 0,
    close: 24 * 60,
};

/// Which of the city's days (`slots`, one per request day) are `day`.
fn days_of(day: WishDay, slots: &[DaySlot], last: usize) -> Vec<bool> {
    slots
        .iter()
        .map(|s| day.is(s.index, planner_date(s.date).weekday(), last))
        .collect()
}

fn open_on(c: &Candidate, k: usize) -> bool {
    match c.hours.get(k) {
        Some(Some(h)) => !h.is_empty(),
        _ => c.always_open,
    }
}

/// Open only on the `on` days (as it is open then; a place open at any time all day).
fn only_on(c: &mut Candidate, on: &[bool]) {
    for (k, day) in on.iter().enumerate() {
        let Some(h) = c.hours.get_mut(k) else {
            continue;
        };
        if !day {
            *h = Some(Vec::new());
        } else if c.always_open && h.is_none() {
            *h = Some(vec![WHOLE_DAY]);
        }
    }
    c.always_open = false;
}

/// Closed on the `on` days.
fn closed_on(c: &mut Candidate, on: &[bool]) {
    let on: Vec<bool> = on.iter().map(|d| !d).collect();
    only_on(c, &on);
}

/// Applies the request's one-day wishes to one city's candidates and constraints.
pub fn apply(
    candidates: &mut [Candidate],
    constraints: &mut Constraints,
    slots: &[DaySlot],
    last: usize,
    intent: &RequestIntent,
    resolved: &Resolved,
) {
    for (i, w) in intent.wishes.iter().enumerate() {
        let Some(day) = w.day else { continue };
        let on = days_of(day, slots, last);
        if !on.contains(&true) {
            continue; // not one of this city's days (the verdict says so if no city has it)
        }
        match w.kind {
            WishKind::Place => {
                let Some((_, id, _)) = resolved.matched.iter().find(|(k, _, _)| *k == i) else {
                    continue;
                };
                let Some(c) = candidates.iter_mut().find(|c| &c.id == id) else {
                    continue;
                };
                if w.effect == Effect::Avoid {
                    closed_on(c, &on);
                } else {
                    only_on(c, &on);
                }
            }
            WishKind::Category => {
                let Some(cat) = category_of(&w.target) else {
                    continue;
                };
                match w.effect {
                    Effect::Avoid | Effect::Less => {
                        for c in candidates.iter_mut().filter(|c| {
                            c.category == cat && !constraints.must_visit.contains(&c.id)
                        }) {
                            closed_on(c, &on);
                        }
                    }
                    _ => {
                        // At least one of them that day: the best one open then.
                        let best = candidates
                            .iter_mut()
                            .filter(|c| {
                                c.category == cat
                                    && !constraints.avoid_places.contains(&c.id)
                                    && !constraints.must_visit.contains(&c.id)
                                    && on.iter().enumerate().any(|(k, d)| *d && open_on(c, k))
                            })
                            .max_by(|a, b| a.score.total_cmp(&b.score));
                        if let Some(c) = best {
                            only_on(c, &on);
                            constraints.must_visit.push(c.id.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_input::DayPart;
    use crate::requests::parse;
    use chrono::NaiveDate;
    use tripgen_planner::itinerary::{Access, Category, DayKind, LatLon};

    fn slot(index: usize, date: &str) -> DaySlot {
        DaySlot {
            index,
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            stay: 0,
            kind: DayKind::Full,
            start: 9 * 60,
            end: 20 * 60,
            part: DayPart::Whole,
            journey: None,
        }
    }

    fn museum(id: &str, score: f64) -> Candidate {
        Candidate {
            id: id.into(),
            name: id.into(),
            position: LatLon::new(48.14, 11.57),
            category: Category::Museum,
            hours: vec![
                Some(vec![OpenInterval {
                    open: 600,
                    close: 1080
                }]);
                3
            ],
            always_open: false,
            hours_assumed: false,
            opening_hours: None,
            visit_minutes: 90,
            score,
            indoor: Some(true),
            access: Access::Unknown,
        }
    }

    /// Tuesday 8 … Thursday 10 June 2027.
    fn days() -> Vec<DaySlot> {
        vec![
            slot(0, "2027-06-08"),
            slot(1, "2027-06-09"),
            slot(2, "2027-06-10"),
        ]
    }

    fn run(text: &str, candidates: &mut [Candidate]) -> Constraints {
        let intent = parse(text);
        let resolved = intent.resolve(&[]);
        let mut c = resolved.constraints.clone();
        apply(candidates, &mut c, &days(), 2, &intent, &resolved);
        c
    }

    #[test]
    fn a_category_for_one_day_is_its_best_place_that_day_only() {
        let mut cands = vec![museum("a", 10.0), museum("b", 50.0)];
        let c = run("Wednesday: museum", &mut cands);
        assert_eq!(c.must_visit, vec!["b".to_string()]);
        assert!(c.more_of.is_empty(), "not for every day: {c:?}");
        assert_eq!(cands[1].hours[0], Some(vec![]));
        assert!(cands[1].hours[1].as_ref().is_some_and(|h| !h.is_empty()));
        assert_eq!(cands[1].hours[2], Some(vec![]));
        assert_eq!(cands[0].hours[1], cands[0].hours[0], "the others untouched");
    }

    #[test]
    fn avoided_for_one_day_is_closed_that_day_and_a_missing_day_changes_nothing() {
        let mut cands = vec![museum("a", 10.0)];
        let c = run("no museums on the last day", &mut cands);
        assert!(c.avoid_categories.is_empty());
        assert_eq!(cands[0].hours[2], Some(vec![]));
        assert!(cands[0].hours[0].as_ref().is_some_and(|h| !h.is_empty()));
        let mut cands = vec![museum("a", 10.0)];
        let before = cands.clone();
        let c = run("Monday: museum", &mut cands);
        assert!(c.must_visit.is_empty());
        assert_eq!(cands, before);
    }
}
