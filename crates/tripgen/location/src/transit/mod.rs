//! Public transport from timetables (issue 17): GTFS feeds imported with
//! `tripgen import gtfs FILE.zip` ([`import`], [`feed`]) are kept as compact timetables
//! ([`timetable`], `transit_timetables` table) and routed with RAPTOR ([`raptor`]) from
//! and to stops on the street graph ([`feed_router`]). The travel model uses them where a
//! feed covers the city and falls back to the headway model elsewhere
//! (docs/location.md, *Public transport timetables*).

pub mod feed;
pub mod feed_router;
pub mod import;
pub mod raptor;
pub mod store;
pub mod timetable;

pub use feed::FeedError;
pub use feed_router::FeedRouter;
pub use import::{GtfsImportError, GtfsReport, import_gtfs};
pub use timetable::Timetable;

#[cfg(test)]
mod tests;
