//! Language models, used for two jobs only: turning special requests into the planner's
//! constraints, and writing recommendation text. Never for feasibility: every answer is
//! validated like user input, and any failure falls back to the deterministic path.

// The transport and providers live in the shared `llm` crate (HealthSync uses them too).
pub use llm::{anthropic, http, openai};

use std::sync::Arc;
use std::time::Duration;

use crate::config::{AiConfig, AiProviderKind};
use serde::Deserialize;
use serde_json::{Value, json};
use tripgen_planner::itinerary::{Category, Pace};

use crate::requests::{self, Effect, RequestIntent, Wish, WishKind};

pub use llm::{Anthropic, BreakerState, LanguageModel, OpenAiCompatible, ProviderOptions};

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
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ModelConstraints {
    must_visit: Vec<String>,
    avoid_places: Vec<String>,
    avoid_categories: Vec<String>,
    more_of: Vec<String>,
    less_of: Vec<String>,
    pace: String,
    dietary: Vec<String>,
}

/// Most items of one list (as the API's rules for user input).
const MAX_ITEMS: usize = 20;

fn categories(key: &str, v: &[String]) -> anyhow::Result<Vec<Category>> {
    if v.len() > MAX_ITEMS {
        anyhow::bail!("`{key}` has more than {MAX_ITEMS} items");
    }
    let mut out: Vec<Category> = Vec::new();
    for c in v {
        if !CATEGORY_NAMES.contains(&c.as_str()) {
            anyhow::bail!("unknown category `{c}` in `{key}`");
        }
        let cat: Category = serde_json::from_value(Value::String(c.clone()))
            .map_err(|_| anyhow::anyhow!("unknown category `{c}` in `{key}`"))?;
        if !out.contains(&cat) {
            out.push(cat);
        }
    }
    Ok(out)
}

/// Lower-cased, whitespace collapsed: how names are compared with the request text.
fn folded(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Free-text items: at most `MAX_ITEMS`, each at most `max` characters; blanks dropped.
fn texts(key: &str, v: &[String], max: usize) -> anyhow::Result<Vec<String>> {
    if v.len() > MAX_ITEMS {
        anyhow::bail!("`{key}` has more than {MAX_ITEMS} items");
    }
    let mut out = Vec::new();
    for s in v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if s.chars().count() > max {
            anyhow::bail!("an item of `{key}` is longer than {max} characters");
        }
        if s.chars().any(char::is_control) {
            anyhow::bail!("an item of `{key}` contains control characters");
        }
        out.push(s.to_string());
    }
    Ok(out)
}

/// Place names must be written in the request itself (the prompt asks for them "exactly
/// as written"): a name the traveller never wrote is an invention and rejects the answer.
/// Names are then matched against each city's catalogue; unmatched ones are ignored there.
fn place_names(key: &str, v: &[String], request: &str) -> anyhow::Result<Vec<String>> {
    let names = texts(key, v, 100)?;
    let text = folded(request);
    if let Some(unknown) = names.iter().find(|n| !text.contains(&folded(n))) {
        anyhow::bail!("`{key}` names `{unknown}`, which the request does not mention");
    }
    Ok(names)
}

/// Asks `model` for the constraints of `text` and validates the answer like user input:
/// unknown fields, categories or pace, too many or too long items, and place names the
/// request does not mention are errors.
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
    let avoid = categories("avoidCategories", &m.avoid_categories)?;
    let mut more = categories("moreOf", &m.more_of)?;
    let mut less = categories("lessOf", &m.less_of)?;
    // As the parser: a category both wanted and avoided is avoided.
    more.retain(|c| !avoid.contains(c));
    less.retain(|c| !avoid.contains(c));
    let dietary = texts("dietary", &m.dietary, 40)?;
    let must = place_names("mustVisit", &m.must_visit, text)?;
    let avoid_names = place_names("avoidPlaces", &m.avoid_places, text)?;
    // The model's answer as the parser's wishes (same schema, same validation).
    let mut wishes = Vec::new();
    let mut wish = |kind, target: String, effect| {
        wishes.push(Wish {
            text: target.clone(),
            kind,
            target,
            effect,
            day: None,
        })
    };
    for n in must {
        wish(WishKind::Place, n, Effect::Include);
    }
    for n in avoid_names {
        wish(WishKind::Place, n, Effect::Avoid);
    }
    for (list, effect) in [
        (avoid, Effect::Avoid),
        (more, Effect::More),
        (less, Effect::Less),
    ] {
        for c in list {
            wish(WishKind::Category, c.key(), effect);
        }
    }
    if let Some(p) = pace {
        let target = if p == Pace::Slow { "slow" } else { "fast" };
        wish(WishKind::Pace, target.into(), Effect::Set);
    }
    for d in dietary {
        // Only the diets the planner knows; other notes are left to the parser.
        if let Some((_, key)) = requests::lexicon::DIETS
            .iter()
            .find(|(w, _)| requests::text::fold(&d).contains(w))
        {
            wish(WishKind::Diet, (*key).into(), Effect::Prefer);
        }
    }
    Ok(RequestIntent::from_wishes(wishes))
}

/// Special requests → intent, the way the generation job does it: the model's validated
/// answer when a model is configured and answers well, else (no model, blank text, any
/// failure) the deterministic parser.
pub async fn understand(model: Option<&dyn LanguageModel>, text: &str) -> RequestIntent {
    let (Some(model), false) = (model, text.trim().is_empty()) else {
        return requests::parse(text);
    };
    match intent(model, text).await {
        // The parser's wishes keep their words and times; the model adds what it missed.
        Ok(intent) => requests::parse(text).merged(intent),
        Err(e) => {
            tracing::warn!(
                provider = model.name(),
                error = %e,
                "language model answer not used; using the parser"
            );
            requests::parse(text)
        }
    }
}

/// Provider options from `[ai]` (`None` for `provider = "none"`).
pub fn provider_options(config: &AiConfig) -> Option<ProviderOptions> {
    if config.provider == AiProviderKind::None {
        return None;
    }
    let base = config
        .base_url
        .clone()
        .or_else(|| config.provider.default_base_url().map(str::to_string))?;
    Some(ProviderOptions {
        base_url: base,
        model: config.model.clone().unwrap_or_default(),
        api_key: config.api_key.clone().filter(|k| !k.trim().is_empty()),
        azure_api_version: config.azure_api_version.clone(),
        timeout: Duration::from_millis(config.timeout_ms),
        max_tokens: config.max_tokens,
        retries: config.retries,
        failure_threshold: config.failure_threshold,
        cooldown: Duration::from_secs(config.cooldown_secs),
    })
}

/// The language model configured in `[ai]`: `Ok(None)` for `provider = "none"` (the
/// deterministic parser and template texts), an error for an unusable configuration.
pub fn language_model_from_config(
    config: &AiConfig,
) -> anyhow::Result<Option<Arc<dyn LanguageModel>>> {
    let Some(options) = provider_options(config) else {
        return Ok(None);
    };
    if options.model.trim().is_empty() {
        anyhow::bail!(
            "invalid configuration `ai.model`: required when ai.provider = {}",
            config.provider.as_str()
        );
    }
    let model: Arc<dyn LanguageModel> = match config.provider {
        AiProviderKind::None => return Ok(None),
        AiProviderKind::OpenAi => Arc::new(OpenAiCompatible::new(options)?),
        AiProviderKind::Anthropic => Arc::new(Anthropic::new(options)?),
    };
    Ok(Some(model))
}
