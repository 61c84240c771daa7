//! What both products' OpenAPI documents say beyond the handlers' annotations, applied to
//! the merged document: the bearer scheme, and errors as they are sent. Every error answer
//! is `application/problem+json` with the `Problem` schema, and the answers any operation
//! of its shape can give are documented where its annotation leaves them out: 400 (an
//! unreadable body or parameter), 401 (a secured operation without a valid token), 413 and
//! 415 (a body too large or not JSON), 422 (a field breaking a rule) and 429 (rate limited,
//! with `Retry-After`). Clients and property-based testers (schemathesis in CI) read this
//! document, so it must say what the server does.

use utoipa::Modify;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Type};

/// The media type of every error answer (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// `bearer`: the JWT access token scheme the secured operations name.
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Completes the error answers of every operation of `doc` (see the module's text).
pub fn complete_errors(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            complete_operation(op);
        }
    }
}

fn complete_operation(op: &mut Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let body = op.request_body.is_some();
    let params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let responses = &mut op.responses.responses;
    for (status, answer) in responses.iter_mut() {
        let RefOr::T(answer) = answer else { continue };
        if status.starts_with('4') || status.starts_with('5') {
            as_problem(answer);
        }
        if answer.description.is_empty() {
            answer.description = default_description(status).to_owned();
        }
    }
    let mut add = |status: &str, when: bool, description: &str| {
        if when && !responses.contains_key(status) {
            responses.insert(status.to_owned(), RefOr::T(problem(description)));
        }
    };
    add(
        "400",
        body || params,
        "The request cannot be read: a body that is not valid JSON, or a parameter of the wrong type.",
    );
    add(
        "401",
        secured,
        "Sign in first: the bearer token is missing, invalid or expired (`UNAUTHORIZED`).",
    );
    add("413", body, "The body is larger than the server accepts.");
    add("415", body, "The body is not `application/json`.");
    add(
        "422",
        body || params,
        "A field breaks a rule: `errors` names each field with its code (`VALIDATION_FAILED`).",
    );
    if !responses.contains_key("429") {
        let mut limited = problem("Too many requests: try again after `Retry-After` seconds.");
        limited.headers.insert(
            "Retry-After".to_owned(),
            RefOr::T(
                HeaderBuilder::new()
                    .schema(Some(utoipa::openapi::Object::with_type(Type::Integer)))
                    .description(Some("Seconds to wait before the next request."))
                    .build(),
            ),
        );
        responses.insert("429".to_owned(), RefOr::T(limited));
    }
}

/// An error answer's body as it is sent: `application/problem+json`, schema `Problem`.
fn as_problem(answer: &mut Response) {
    if answer.content.contains_key(PROBLEM_JSON) {
        return;
    }
    answer.content.shift_remove("application/json");
    answer.content.insert(
        PROBLEM_JSON.to_owned(),
        RefOr::T(
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        ),
    );
}

fn problem(description: &str) -> Response {
    let mut answer = ResponseBuilder::new().description(description).build();
    as_problem(&mut answer);
    answer
}

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted: the work goes on in the background",
        "204" => "Done; no content",
        "304" => "Not modified",
        "404" => "Not found",
        "409" => "Conflict with the current state",
        _ => "See the problem's `code`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::security::SecurityRequirement;

    #[test]
    fn errors_become_problem_json_and_missing_ones_are_added() {
        let op = OperationBuilder::new()
            .request_body(Some(RequestBodyBuilder::new().build()))
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
            .response(
                "404",
                ResponseBuilder::new().content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                ),
            )
            .response("204", ResponseBuilder::new())
            .build();
        let mut doc = OpenApi::new(
            utoipa::openapi::Info::new("t", "1"),
            PathsBuilder::new().path("/x", PathItem::new(HttpMethod::Post, op)),
        );
        complete_errors(&mut doc);
        let op = doc.paths.paths["/x"]
            .post
            .as_ref()
            .map(|o| &o.responses.responses);
        let Some(responses) = op else {
            panic!("operation lost")
        };
        for status in ["400", "401", "404", "413", "415", "422", "429"] {
            let Some(RefOr::T(r)) = responses.get(status) else {
                panic!("{status} missing")
            };
            assert!(r.content.contains_key(PROBLEM_JSON), "{status}");
            assert!(!r.content.contains_key("application/json"), "{status}");
            assert!(!r.description.is_empty(), "{status}");
        }
        let Some(RefOr::T(done)) = responses.get("204") else {
            panic!("204 missing")
        };
        assert!(done.content.is_empty());
        assert_eq!(done.description, "Done; no content");
    }
}
