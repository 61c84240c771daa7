//! HealthSync's OpenAPI document, generated from the handlers' annotations; served at
//! `/api/openapi.json` with the offline docs page at `/api/docs`.

use tripgen_platform::openapi::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HealthSync API",
        description = "Health-checkup results, daily missions and an assistant for office workers. \
                       Errors are RFC 9457 problem details (`application/problem+json`) with a \
                       stable `code` and per-field `errors`. Server texts are Korean unless \
                       `Accept-Language` or `?lang=en` asks for English.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in with OpenID Connect (authorization code + PKCE), tokens, sign-out"),
        (name = "users", description = "Profile, occupations, settings, account deletion"),
        (name = "health", description = "Checkup results, ranges, history and checkup files"),
        (name = "goals", description = "Goals of daily missions, check-offs, streaks, points, history and resets"),
        (name = "intelligence", description = "Mission recommendations (rules; AI providers next)"),
    )
)]
pub struct ApiDoc;
