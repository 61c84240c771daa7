//! User context: accounts, sessions and profiles (PRODUCT.md §1, USER-010..040).

pub mod avatar;
pub mod config;
pub mod domain;
pub mod dto;
pub mod http;
pub mod password_hash;
pub mod repo;
pub mod service;

pub use repo::migrations;
pub use service::UserService;
