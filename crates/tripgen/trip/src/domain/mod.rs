//! Trip domain: rules, dates and status, the wizard, schedules, map data and covers.
//! Pure functions, no I/O.

pub mod calendar;
pub mod changes;
pub mod cover;
pub mod model;
pub mod planned;
pub mod route;
pub mod rules;
pub mod schedule;
pub mod steps;
pub mod texts;
