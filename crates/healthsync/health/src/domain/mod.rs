//! The health rules as pure functions: item vocabulary, versioned ranges, rounding, derived
//! values, evaluation, score and risk level (spec §2.2, §4.2). No I/O.

pub mod derived;
pub mod evaluation;
pub mod items;
pub mod link;
pub mod ranges;
pub mod rounding;
pub mod score;

pub use evaluation::{Evaluation, ItemResult, Measurements, evaluate};
pub use items::{Group, ITEMS, Item, item_by_code};
pub use ranges::{Bands, Interval, RangeRow, RangeTable, Sex, Status};
pub use score::RiskLevel;
