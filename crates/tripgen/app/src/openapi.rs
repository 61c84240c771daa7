//! The OpenAPI document, generated from the handlers' annotations, and its docs page
//! (Swagger UI, vendored into the binary so it works offline).

use tripgen_platform::openapi::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TripGen API",
        description = "Realistic hour-by-hour travel itineraries. Errors are RFC 9457 problem details \
                       (`application/problem+json`) with a stable `code` and per-field `errors`.\n\n\
                       Map data © OpenStreetMap contributors, ODbL. \
                       City data © GeoNames (geonames.org), CC BY 4.0.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    // The base map, served by the edge (targets `all` and `gateway`; docs/maps.md).
    paths(
        crate::gateway::tiles::style,
        crate::gateway::tiles::tilejson,
        crate::gateway::tiles::tile
    ),
    // Bodies no handler names as its response: the `extra` of 409 SCHEDULE_RULES_VIOLATED,
    // and the `result` of a completed generation's status.
    components(schemas(
        tripgen_trip::dto::RejectedEdit,
        tripgen_ai::generation::GenerationResult,
        tripgen_ai::requests::outcome::Understood,
        tripgen_ai::requests::Wish,
        tripgen_ai::requests::WishKind,
        tripgen_ai::requests::Effect
    )),
    tags(
        (name = "users", description = "Accounts, sessions and profiles"),
        (name = "trips", description = "Trips, members, destinations, schedules, map data and share links"),
        (name = "ai", description = "Schedule generation requests, weather impact and place recommendations"),
        (name = "maps", description = "The offline base map: style, TileJSON and vector tiles built from the same OpenStreetMap data (© OpenStreetMap contributors, ODbL)"),
    )
)]
pub struct ApiDoc;
