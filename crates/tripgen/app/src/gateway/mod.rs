//! The gateway target: the public HTTP edge.

pub mod compression;
pub mod proxy;
pub mod rate_limit;
pub mod web;
