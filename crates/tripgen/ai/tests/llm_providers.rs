//! The language-model providers against a local fake server speaking both protocols
//! (OpenAI-compatible chat completions and Anthropic Messages): structured answers, auth
//! headers, malformed and schema-violating answers, timeouts, retries, the circuit
//! breaker, and the deterministic fallback the caller gets when a provider fails.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tripgen_ai::config::{AiConfig, AiProviderKind};
use tripgen_ai::llm::{
    self, Anthropic, BreakerState, LanguageModel, OpenAiCompatible, ProviderOptions,
};
use tripgen_ai::requests;
use tripgen_planner::itinerary::{Category, Pace};

const REQUEST: &str = "We must visit Marienplatz, no museums please, and a slow pace.";

/// What the fake answers to one call.
#[derive(Clone)]
enum Reply {
    /// A well-formed answer carrying this structured value (wrapped per protocol).
    Answer(Value),
    /// OpenAI: this value as `message.content`; Anthropic: this value as the tool input.
    RawContent(Value),
    /// This body as is, status 200.
    Body(Value),
    /// This status, with an optional `retry-after-ms` header, and a JSON error body.
    Status(u16, Option<&'static str>),
    /// Sleep, then answer like `Answer(good())`.
    Sleep(Duration),
}

#[derive(Debug, Clone)]
struct Seen {
    headers: HeaderMap,
    query: Option<String>,
    body: Value,
}

#[derive(Default)]
struct Fake {
    script: Mutex<VecDeque<Reply>>,
    /// Answer when the script is empty (default: a good answer).
    fallback: Mutex<Option<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

impl Fake {
    fn calls(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
    fn last(&self) -> Seen {
        self.seen.lock().unwrap().last().cloned().expect("a call")
    }
    fn next(&self, headers: HeaderMap, uri: &Uri, body: Value) -> Reply {
        self.seen.lock().unwrap().push(Seen {
            headers,
            query: uri.query().map(str::to_string),
            body,
        });
        let scripted = self.script.lock().unwrap().pop_front();
        scripted
            .or_else(|| self.fallback.lock().unwrap().clone())
            .unwrap_or(Reply::Answer(good()))
    }
}

fn good() -> Value {
    json!({
        "mustVisit": ["Marienplatz"],
        "avoidPlaces": [],
        "avoidCategories": ["museum"],
        "moreOf": ["park"],
        "lessOf": [],
        "pace": "slow",
        "dietary": []
    })
}

fn error_response(status: u16, retry_after_ms: Option<&'static str>) -> Response {
    let mut r = (
        StatusCode::from_u16(status).unwrap(),
        Json(json!({ "error": { "message": "fake failure" } })),
    )
        .into_response();
    if let Some(ms) = retry_after_ms {
        r.headers_mut()
            .insert("retry-after-ms", ms.parse().unwrap());
    }
    r
}

async fn openai(
    State(f): State<Arc<Fake>>,
    headers: HeaderMap,
    uri: Uri,
    Json(body): Json<Value>,
) -> Response {
    let wrap = |content: Value| {
        Json(json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{
                "index": 0,
                "finish_reason": "stop",
                "message": { "role": "assistant", "content": content, "refusal": null }
            }]
        }))
        .into_response()
    };
    match f.next(headers, &uri, body) {
        Reply::Answer(v) => wrap(Value::String(v.to_string())),
        Reply::RawContent(v) => wrap(v),
        Reply::Body(v) => Json(v).into_response(),
        Reply::Status(s, ra) => error_response(s, ra),
        Reply::Sleep(d) => {
            tokio::time::sleep(d).await;
            wrap(Value::String(good().to_string()))
        }
    }
}

async fn anthropic(
    State(f): State<Arc<Fake>>,
    headers: HeaderMap,
    uri: Uri,
    Json(body): Json<Value>,
) -> Response {
    let tool = body
        .pointer("/tool_choice/name")
        .and_then(Value::as_str)
        .unwrap_or("none")
        .to_string();
    let wrap = |input: Value| {
        Json(json!({
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "stop_reason": "tool_use",
            "content": [
                { "type": "text", "text": "Here you go." },
                { "type": "tool_use", "id": "toolu_1", "name": tool, "input": input }
            ]
        }))
        .into_response()
    };
    match f.next(headers, &uri, body) {
        Reply::Answer(v) | Reply::RawContent(v) => wrap(v),
        Reply::Body(v) => Json(v).into_response(),
        Reply::Status(s, ra) => error_response(s, ra),
        Reply::Sleep(d) => {
            tokio::time::sleep(d).await;
            wrap(good())
        }
    }
}

/// Starts the fake on 127.0.0.1:0; returns its state and base address.
async fn fake(script: Vec<Reply>) -> (Arc<Fake>, String) {
    let state = Arc::new(Fake {
        script: Mutex::new(script.into()),
        ..Fake::default()
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(openai))
        .route("/v1/messages", post(anthropic))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (state, format!("http://{addr}"))
}

fn options(base: String) -> ProviderOptions {
    ProviderOptions {
        timeout: Duration::from_millis(1_000),
        cooldown: Duration::from_millis(200),
        ..ProviderOptions::new(base, "test-model")
    }
}

fn openai_model(base: &str) -> OpenAiCompatible {
    OpenAiCompatible::new(options(format!("{base}/v1")).with_api_key("sk-test-openai")).unwrap()
}

fn anthropic_model(base: &str) -> Anthropic {
    Anthropic::new(options(base.to_string()).with_api_key("sk-ant-test")).unwrap()
}

/// Both providers against the same fake.
fn both(base: &str) -> Vec<Box<dyn LanguageModel>> {
    vec![
        Box::new(openai_model(base)),
        Box::new(anthropic_model(base)),
    ]
}

fn assert_good(intent: &requests::RequestIntent) {
    assert_eq!(intent.avoid_categories(), vec![Category::Museum]);
    assert_eq!(intent.more_of(), vec![Category::Park]);
    assert_eq!(intent.pace(), Some(Pace::Slow));
    let c = intent.constraints(&[
        ("p-marien".into(), vec!["Marienplatz".into()]),
        ("p-other".into(), vec!["Englischer Garten".into()]),
    ]);
    assert_eq!(c.must_visit, vec!["p-marien".to_string()]);
}

#[tokio::test]
async fn openai_answers_constraints_with_bearer_auth_and_a_strict_schema() {
    let (f, base) = fake(vec![]).await;
    let model = openai_model(&base);
    assert_eq!(model.name(), "openai");
    let intent = llm::intent(&model, REQUEST).await.unwrap();
    assert_good(&intent);
    let seen = f.last();
    assert_eq!(seen.headers["authorization"], "Bearer sk-test-openai");
    assert!(seen.headers.get("api-key").is_none());
    assert_eq!(seen.query, None);
    let b = &seen.body;
    assert_eq!(b["model"], "test-model");
    assert_eq!(b["messages"][0]["role"], "system");
    assert_eq!(b["messages"][1]["content"], REQUEST);
    assert_eq!(b["response_format"]["type"], "json_schema");
    let js = &b["response_format"]["json_schema"];
    assert_eq!(js["name"], "trip_constraints");
    assert_eq!(js["strict"], true);
    assert_eq!(js["schema"]["additionalProperties"], false);
    assert!(!js["schema"].to_string().contains("maxLength"), "{js}");
}

#[tokio::test]
async fn azure_uses_the_api_key_header_and_api_version() {
    let (f, base) = fake(vec![]).await;
    let model = OpenAiCompatible::new(ProviderOptions {
        azure_api_version: Some("2024-10-21".into()),
        ..options(format!("{base}/v1")).with_api_key("azure-secret")
    })
    .unwrap();
    assert_eq!(model.name(), "azure-openai");
    assert_good(&llm::intent(&model, REQUEST).await.unwrap());
    let seen = f.last();
    assert_eq!(seen.headers["api-key"], "azure-secret");
    assert!(seen.headers.get("authorization").is_none());
    assert_eq!(seen.query.as_deref(), Some("api-version=2024-10-21"));
}

#[tokio::test]
async fn a_local_server_without_key_gets_no_auth_header() {
    let (f, base) = fake(vec![]).await;
    let model = OpenAiCompatible::new(options(format!("{base}/v1"))).unwrap();
    assert_good(&llm::intent(&model, REQUEST).await.unwrap());
    assert!(f.last().headers.get("authorization").is_none());
}

#[tokio::test]
async fn anthropic_answers_through_a_forced_tool_with_x_api_key() {
    let (f, base) = fake(vec![]).await;
    let model = anthropic_model(&base);
    assert_eq!(model.name(), "anthropic");
    assert_good(&llm::intent(&model, REQUEST).await.unwrap());
    let seen = f.last();
    assert_eq!(seen.headers["x-api-key"], "sk-ant-test");
    assert_eq!(seen.headers["anthropic-version"], "2023-06-01");
    assert!(seen.headers.get("authorization").is_none());
    let b = &seen.body;
    assert_eq!(b["model"], "test-model");
    assert_eq!(b["max_tokens"], 1024);
    assert!(b["system"].as_str().unwrap().contains("constraints"));
    assert_eq!(b["messages"][0]["content"], REQUEST);
    assert_eq!(b["tools"][0]["name"], "trip_constraints");
    assert_eq!(b["tools"][0]["input_schema"]["type"], "object");
    assert_eq!(
        b["tool_choice"],
        json!({ "type": "tool", "name": "trip_constraints" })
    );
}

#[tokio::test]
async fn anthropic_requires_a_key() {
    assert!(Anthropic::new(options("http://127.0.0.1:9".into())).is_err());
}

#[tokio::test]
async fn malformed_answers_are_errors() {
    let (f, base) = fake(vec![
        // OpenAI: content that is not JSON, JSON that is not an object, no choices, no content.
        Reply::RawContent(json!("{\"mustVisit\": [\"Marienplatz\"")),
        Reply::RawContent(json!("[1, 2]")),
        Reply::Body(json!({ "choices": [] })),
        Reply::RawContent(Value::Null),
        // Anthropic: a tool input that is not an object, no tool call at all.
        Reply::RawContent(json!("not an object")),
        Reply::Body(json!({ "type": "message", "content": [{ "type": "text", "text": "hi" }] })),
    ])
    .await;
    let o = openai_model(&base);
    for _ in 0..4 {
        let e = llm::intent(&o, REQUEST).await.unwrap_err();
        assert!(e.to_string().starts_with("openai:"), "{e}");
    }
    let a = anthropic_model(&base);
    for _ in 0..2 {
        let e = llm::intent(&a, REQUEST).await.unwrap_err();
        assert!(e.to_string().starts_with("anthropic:"), "{e}");
    }
    assert_eq!(f.calls(), 6, "malformed answers are not retried");
}

#[tokio::test]
async fn a_fenced_json_answer_of_a_local_model_is_accepted() {
    let fenced = format!("```json\n{}\n```", good());
    let (_f, base) = fake(vec![Reply::RawContent(Value::String(fenced))]).await;
    assert_good(&llm::intent(&openai_model(&base), REQUEST).await.unwrap());
}

#[tokio::test]
async fn answers_violating_the_schema_are_rejected() {
    let with = |key: &str, v: Value| {
        let mut g = good();
        g[key] = v;
        g
    };
    let mut unknown_field = good();
    unknown_field["budget"] = json!("low");
    let mut missing = good();
    missing.as_object_mut().unwrap().remove("pace");
    let bad = [
        ("unknown field", unknown_field),
        ("missing field", missing),
        ("unknown category", with("moreOf", json!(["casino"]))),
        (
            "unplanned category",
            with("avoidCategories", json!(["laundry"])),
        ),
        ("unknown pace", with("pace", json!("sprint"))),
        ("wrong type", with("dietary", json!("vegan"))),
        ("too many items", with("lessOf", json!(vec!["park"; 21]))),
        ("too long name", with("mustVisit", json!(["M".repeat(101)]))),
        (
            "invented place",
            with("mustVisit", json!(["Neuschwanstein Castle"])),
        ),
        (
            "invented avoided place",
            with("avoidPlaces", json!(["Hofbräuhaus"])),
        ),
    ];
    let script = bad
        .iter()
        .flat_map(|(_, v)| [Reply::Answer(v.clone()), Reply::Answer(v.clone())])
        .collect();
    let (_f, base) = fake(script).await;
    let (o, a) = (openai_model(&base), anthropic_model(&base));
    for (what, _) in &bad {
        for model in [&o as &dyn LanguageModel, &a] {
            let r = llm::intent(model, REQUEST).await;
            assert!(r.is_err(), "{what} ({}) accepted: {r:?}", model.name());
        }
    }
    // Case and spacing of a mentioned name do not matter.
    let (_f, base) = fake(vec![Reply::Answer(with(
        "mustVisit",
        json!(["marienPLATZ"]),
    ))])
    .await;
    assert!(llm::intent(&openai_model(&base), REQUEST).await.is_ok());
}

#[tokio::test]
async fn a_server_sleeping_past_the_timeout_fails_fast_after_one_retry() {
    let (f, base) = fake(vec![]).await;
    *f.fallback.lock().unwrap() = Some(Reply::Sleep(Duration::from_millis(1_500)));
    let short = |o: ProviderOptions| ProviderOptions {
        timeout: Duration::from_millis(200),
        ..o
    };
    let models: Vec<Box<dyn LanguageModel>> = vec![
        Box::new(OpenAiCompatible::new(short(options(format!("{base}/v1")))).unwrap()),
        Box::new(Anthropic::new(short(options(base.clone()).with_api_key("k"))).unwrap()),
    ];
    for (i, model) in models.iter().enumerate() {
        let started = Instant::now();
        let e = llm::intent(model.as_ref(), REQUEST).await.unwrap_err();
        let took = started.elapsed();
        assert!(e.to_string().contains("no answer within 200 ms"), "{e}");
        assert!(took < Duration::from_millis(1_200), "{took:?}");
        assert_eq!(f.calls(), 2 * (i + 1), "one retry after a timeout");
    }
}

#[tokio::test]
async fn a_500_then_success_is_retried() {
    let (f, base) = fake(vec![
        Reply::Status(500, None),
        Reply::Answer(good()),
        Reply::Status(503, None),
        Reply::Answer(good()),
    ])
    .await;
    for model in both(&base) {
        assert_good(&llm::intent(model.as_ref(), REQUEST).await.unwrap());
    }
    assert_eq!(f.calls(), 4);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_up_to_two_seconds() {
    let (f, base) = fake(vec![
        Reply::Status(429, Some("300")),
        Reply::Answer(good()),
        Reply::Status(429, Some("5000")),
    ])
    .await;
    let model = openai_model(&base);
    let started = Instant::now();
    assert_good(&llm::intent(&model, REQUEST).await.unwrap());
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(f.calls(), 2);
    // Asked to wait 5 s: not retried, the caller falls back now.
    let started = Instant::now();
    let e = llm::intent(&model, REQUEST).await.unwrap_err();
    assert!(format!("{e:#}").contains("HTTP 429"), "{e:#}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(f.calls(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let (f, base) = fake(vec![Reply::Status(401, None), Reply::Status(400, None)]).await;
    for model in both(&base) {
        let e = llm::intent(model.as_ref(), REQUEST).await.unwrap_err();
        assert!(e.to_string().contains("HTTP 40"), "{e}");
    }
    assert_eq!(f.calls(), 2);
}

/// Three failed calls open the breaker; while open nothing reaches the server; after the
/// cool-down one probe goes through and its success closes the circuit.
async fn breaker_cycle(f: &Fake, model: &dyn LanguageModel, state: &dyn Fn() -> BreakerState) {
    let before = f.calls();
    *f.fallback.lock().unwrap() = Some(Reply::Status(500, None));
    for _ in 0..3 {
        assert!(llm::intent(model, REQUEST).await.is_err());
    }
    assert_eq!(f.calls() - before, 3);
    assert_eq!(state(), BreakerState::Open);
    for _ in 0..5 {
        let e = llm::intent(model, REQUEST).await.unwrap_err();
        assert!(e.to_string().contains("circuit open"), "{e}");
    }
    assert_eq!(f.calls() - before, 3, "no calls while open");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(state(), BreakerState::HalfOpen);
    f.script.lock().unwrap().push_back(Reply::Answer(good()));
    assert_good(&llm::intent(model, REQUEST).await.unwrap());
    assert_eq!(state(), BreakerState::Closed);
    assert_eq!(f.calls() - before, 4);
}

#[tokio::test]
async fn the_breaker_opens_after_consecutive_failures_then_probes() {
    let (f, base) = fake(vec![]).await;
    let o = |base: String| ProviderOptions {
        retries: 0,
        failure_threshold: 3,
        cooldown: Duration::from_millis(300),
        ..options(base).with_api_key("k")
    };
    let openai = OpenAiCompatible::new(o(format!("{base}/v1"))).unwrap();
    breaker_cycle(&f, &openai, &|| openai.breaker_state()).await;
    let anthropic = Anthropic::new(o(base.clone())).unwrap();
    breaker_cycle(&f, &anthropic, &|| anthropic.breaker_state()).await;
}

#[tokio::test]
async fn the_caller_gets_the_deterministic_parser_when_the_provider_fails() {
    let parsed = requests::parse(REQUEST);
    let (f, base) = fake(vec![
        Reply::Status(500, None),
        Reply::Status(500, None),
        Reply::RawContent(json!("not json")),
        Reply::Answer(json!({ "mustVisit": ["Atlantis"] })),
    ])
    .await;
    let o = openai_model(&base);
    let a = anthropic_model(&base);
    // 500 twice (with the retry), then malformed content, then a schema violation.
    assert_eq!(llm::understand(Some(&o), REQUEST).await, parsed);
    assert_eq!(llm::understand(Some(&o), REQUEST).await, parsed);
    assert_eq!(llm::understand(Some(&a), REQUEST).await, parsed);
    assert_eq!(f.calls(), 4);
    // No model, or a blank request: the parser, no call.
    assert_eq!(llm::understand(None, REQUEST).await, parsed);
    assert_eq!(llm::understand(Some(&o), "  ").await, requests::parse("  "));
    assert_eq!(f.calls(), 4);
    // A good answer is used (it differs from the parser's: `moreOf` park).
    let used = llm::understand(Some(&a), REQUEST).await;
    assert_ne!(used, parsed);
    assert_good(&used);
    // A provider nobody listens on: connection refused → the parser.
    let dead = OpenAiCompatible::new(options("http://127.0.0.1:9/v1".into())).unwrap();
    assert_eq!(llm::understand(Some(&dead), REQUEST).await, parsed);
}

#[tokio::test]
async fn providers_from_the_ai_config() {
    let none = llm::language_model_from_config(&AiConfig::default()).unwrap();
    assert!(none.is_none());
    let (_f, base) = fake(vec![]).await;
    let openai = AiConfig {
        provider: AiProviderKind::OpenAi,
        base_url: Some(format!("{base}/v1")),
        model: Some("llama3.1".into()),
        ..AiConfig::default()
    };
    let model = llm::language_model_from_config(&openai).unwrap().unwrap();
    assert_eq!(model.name(), "openai");
    assert_good(&llm::understand(Some(model.as_ref()), REQUEST).await);
    let anthropic = AiConfig {
        provider: AiProviderKind::Anthropic,
        base_url: Some(base.clone()),
        model: Some("claude-test".into()),
        api_key: Some("sk-ant".into()),
        ..AiConfig::default()
    };
    let model = llm::language_model_from_config(&anthropic)
        .unwrap()
        .unwrap();
    assert_eq!(model.name(), "anthropic");
    assert_good(&llm::understand(Some(model.as_ref()), REQUEST).await);
    let no_key = AiConfig {
        api_key: None,
        ..anthropic
    };
    assert!(llm::language_model_from_config(&no_key).is_err());
    let o = llm::provider_options(&AiConfig {
        provider: AiProviderKind::Anthropic,
        model: Some("m".into()),
        api_key: Some("secret-key".into()),
        ..AiConfig::default()
    })
    .unwrap();
    assert_eq!(o.base_url, "https://api.anthropic.com");
    assert_eq!(o.timeout, Duration::from_millis(8_000));
    assert!(!format!("{o:?}").contains("secret-key"));
}
