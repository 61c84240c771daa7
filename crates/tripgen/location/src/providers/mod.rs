//! External provider adapters of the Location context: routing services (OSRM, Google
//! Routes) behind [`TravelProviders`] and forecast services (Open-Meteo, OpenWeatherMap)
//! behind [`WeatherProviders`].
//!
//! Both facades are chosen by configuration (`[location.travel]`, `[location.weather]`),
//! cache answers by TTL on the platform's two-level cache, give every upstream a timeout,
//! one retry of transient failures and a circuit breaker, and never fail: travel falls back
//! to the straight-line model (`provider: "straight-line"`), weather answers
//! `available: false` ("forecast unavailable"). See `docs/location.md`, "Providers".

pub mod cache;
pub mod chunking;
pub mod error;
pub mod google_routes;
pub mod http_client;
pub mod open_meteo;
pub mod openweathermap;
pub mod osrm;
pub mod routing;
pub mod travel;
pub mod warnings;
pub mod weather;

pub use cache::{ProviderCache, ROUTE_TTL, WEATHER_TTL};
pub use error::{ProviderConfigError, ProviderError};
pub use travel::{MIXED, MatrixAnswer, RouteAnswer, STRAIGHT_LINE, TravelProviders};
pub use tripgen_platform::outbound::{BreakerState, CircuitBreaker};
pub use weather::{FORECAST_UNAVAILABLE, WeatherAnswer, WeatherProviders};
