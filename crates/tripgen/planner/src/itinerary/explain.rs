//! "Why this place": a stable reason code plus deterministic English text, and the
//! parameters (`name`, `category`, `interest`) another language renders it from.

use super::category::Interest;
use super::model::{Candidate, Reason, ReasonCode, TextParams, TripRequest};

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

pub fn reason(code: ReasonCode, c: &Candidate, req: &TripRequest) -> Reason {
    let cat = c.category.label();
    let a = article(cat);
    let mut params = TextParams::new();
    params.insert("name".into(), c.name.clone());
    params.insert("category".into(), c.category.key());
    let text = match code {
        ReasonCode::MustVisit => format!("You asked to visit {}.", c.name),
        ReasonCode::MatchesInterest => {
            let interest = req
                .interests
                .iter()
                .find(|i| i.categories().contains(&c.category))
                .map(|i: &Interest| i.label())
                .unwrap_or("this");
            params.insert("interest".into(), interest.into());
            format!(
                "{} is {a} {cat} and matches your interest in {interest}.",
                c.name
            )
        }
        ReasonCode::MoreOfCategory => {
            format!(
                "You asked for more of this kind of place: {} is {a} {cat}.",
                c.name
            )
        }
        ReasonCode::IndoorOnWetDay => {
            format!(
                "{} is {a} {cat} indoors, a good choice for a wet day.",
                c.name
            )
        }
        ReasonCode::StepFreeAccess => {
            format!("{} is a well-rated {cat} with step-free access.", c.name)
        }
        ReasonCode::HighlyRated => format!(
            "{} is one of the best-rated places ({cat}) near your route.",
            c.name
        ),
        ReasonCode::OnTheWay => format!("{} is {a} {cat} on the way.", c.name),
        ReasonCode::Lunch => format!("Lunch at {}, {a} {cat} close to your route.", c.name),
        ReasonCode::Dinner => format!("Dinner at {}, {a} {cat} close to your route.", c.name),
        ReasonCode::Rest => format!("A break at {} ({cat}) to rest before going on.", c.name),
        ReasonCode::Journey => format!("On the way to {}.", c.name),
    };
    Reason { code, text, params }
}
