//! The `healthsync` binary's library: configuration, composition of targets, server, CLI.

pub mod adapters;
pub mod analytics;
pub mod app;
pub mod backup;
pub mod batch_cmd;
pub mod bench_split;
pub mod cli;
pub mod config;
pub mod contexts;
pub mod import_cmd;
pub mod internal;
pub mod openapi;
pub mod sample;
pub mod seed;
pub mod server;
pub mod store;
pub mod topology;
pub mod web;
