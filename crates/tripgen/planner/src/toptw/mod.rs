//! Team Orienteering Problem with Time Windows: instance model and solver.
//!
//! The solver is generic: it knows nothing of places, days or hotels. The itinerary layer
//! and the benchmark harness build [`Instance`]s for it.

pub mod construct;
pub mod instance;
pub mod intra;
pub mod local_search;
pub mod perturb;
pub mod pool;
pub mod solution;
pub mod solver;

pub use instance::{
    Instance, InstanceError, InstanceSpec, RouteSpec, TimeWindow, VisitScore, VisitSpec,
    VisitWindows,
};
pub use solver::{SolveResult, SolverConfig, solve};
