//! User rules as pure functions: occupations, profile validation, age.

pub mod occupations;
pub mod profile;
