//! The Goal context's rules: streaks, points, celebrations and statistics.

pub mod stats;
pub mod streak;
