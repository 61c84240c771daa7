//! Language models, used for two jobs only: turning special requests into the planner's
//! constraints, and writing recommendation text. Never for feasibility: every answer is
//! validated like user input, and any failure falls back to the deterministic path.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};
use tripgen_planner::itinerary::{Category, Pace};

use crate::requests::RequestIntent;

/// A chat model that answers with JSON following a schema.
#[async_trait]
pub trait LanguageModel: Send + Sync + 'static {
    /// Provider name for logs and metrics.
    fn name(&self) -> &str;
    async fn json(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> anyhow::Result<Value>;
}

const CATEGORY_NAMES: &[&str] = &[
    "attraction",
    "museum",
    "gallery",
    "viewpoint",
    "park",
    "nature",
    "religious",
    "historic",
    "shopping",
    "restaurant",
    "cafe",
    "bar",
    "sports",
];

/// JSON schema of the constraints a model must answer with.
pub fn constraints_schema() -> Value {
    let cats = json!({ "type": "array", "items": { "type": "string", "enum": CATEGORY_NAMES } });
    let names = json!({ "type": "array", "items": { "type": "string", "maxLength": 100 } });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["mustVisit", "avoidPlaces", "avoidCategories", "moreOf", "lessOf", "pace", "dietary"],
        "properties": {
            "mustVisit": names, "avoidPlaces": names,
            "avoidCategories": cats, "moreOf": cats, "lessOf": cats,
            "pace": { "type": "string", "enum": ["slow", "normal", "fast"] },
            "dietary": { "type": "array", "items": { "type": "string", "maxLength": 40 } }
        }
    })
}

const SYSTEM: &str = "You turn a traveller's special requests (Korean or English) into \
    structured planning constraints. Place names go to mustVisit or avoidPlaces exactly as \
    written. Only use the categories listed in the schema. Answer with JSON only.";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelConstraints {
    must_visit: Vec<String>,
    avoid_places: Vec<String>,
    avoid_categories: Vec<String>,
    more_of: Vec<String>,
    less_of: Vec<String>,
    pace: String,
    dietary: Vec<String>,
}

fn categories(v: &[String]) -> anyhow::Result<Vec<Category>> {
    v.iter()
        .take(20)
        .map(|c| {
            if !CATEGORY_NAMES.contains(&c.as_str()) {
                anyhow::bail!("unknown category `{c}`");
            }
            serde_json::from_value(Value::String(c.clone()))
                .map_err(|_| anyhow::anyhow!("unknown category `{c}`"))
        })
        .collect()
}

fn short(v: &[String], max: usize) -> Vec<String> {
    v.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && s.chars().count() <= max)
        .take(20)
        .map(str::to_string)
        .collect()
}

/// Asks `model` for the constraints of `text` and validates the answer like user input.
pub async fn intent(model: &dyn LanguageModel, text: &str) -> anyhow::Result<RequestIntent> {
    let v = model
        .json(SYSTEM, text, "trip_constraints", &constraints_schema())
        .await?;
    let m: ModelConstraints = serde_json::from_value(v)
        .map_err(|e| anyhow::anyhow!("answer does not fit the schema: {e}"))?;
    let pace = match m.pace.as_str() {
        "slow" => Some(Pace::Slow),
        "fast" => Some(Pace::Fast),
        "normal" => None,
        other => anyhow::bail!("unknown pace `{other}`"),
    };
    Ok(RequestIntent::from_parts(
        categories(&m.avoid_categories)?,
        categories(&m.more_of)?,
        categories(&m.less_of)?,
        pace,
        short(&m.dietary, 40),
        short(&m.must_visit, 100),
        short(&m.avoid_places, 100),
    ))
}
