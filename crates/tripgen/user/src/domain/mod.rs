//! User domain: rules for account fields and passwords. No I/O.

pub mod password_policy;
pub mod rules;
