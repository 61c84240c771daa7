//! Places a request names that lie outside the neighbourhood the candidates come from
//! ("the Olympic park" 5 km from the hotel): looked up by name over the whole city and
//! added to the city's places, so the request's wish finds them and the planner gets them
//! as must-visits. A name no city search matches stays unmatched and is explained.

use chrono::NaiveDate;

use crate::ports::{PlaceFacts, PlacePort};
use crate::requests::{Effect, RequestIntent, WishKind, names};

/// A match this good (a typo at most) needs no search beyond the hotel's neighbourhood.
const CLOSE: u8 = 3;

fn names_of(places: &[PlaceFacts]) -> Vec<(String, Vec<String>)> {
    places
        .iter()
        .map(|p| (p.id.clone(), p.names.clone()))
        .collect()
}

/// Adds to `places` (a city's candidates) the place each must-see wish names when the
/// candidates lack it and the city has it; returns how many were added.
pub async fn add_named_places(
    port: &dyn PlacePort,
    city: &str,
    dates: &[NaiveDate],
    intent: &RequestIntent,
    places: &mut Vec<PlaceFacts>,
) -> anyhow::Result<usize> {
    let mut added = 0;
    for w in &intent.wishes {
        if w.kind != WishKind::Place || w.effect != Effect::Include {
            continue;
        }
        // A close match around the hotel (same name, a typo) is the place; a loose one
        // (a consonant skeleton, word by word) may be beaten by the city's.
        let near = names::best_quality(&w.target, &names_of(places));
        if near >= CLOSE {
            continue;
        }
        let found = port.named(city, &w.target, dates).await?;
        let found_names = names_of(&found);
        if names::best_quality(&w.target, &found_names) <= near {
            continue;
        }
        let Some((id, _)) = names::best_match(&w.target, &found_names).cloned() else {
            continue;
        };
        if let Some(p) = found.into_iter().find(|p| p.id == id)
            && !places.iter().any(|x| x.id == p.id)
        {
            tracing::debug!(wish = %w.target, place = %p.name, "named place found beyond the hotel's neighbourhood");
            places.push(p);
            added += 1;
        }
    }
    Ok(added)
}
