//! The `tripgen` binary's library half: composition of targets, the gateway and the
//! server loop. Integration tests start the real app through it.

pub mod adapters;
pub mod app;
pub mod backup;
pub mod bench_catalogue;
pub mod bench_queue;
pub mod bench_realism;
pub mod bench_requests;
pub mod catalogue_cli;
pub mod cli_progress;
pub mod config;
pub mod download;
pub mod gateway;
pub mod hours_agreement;
pub mod openapi;
pub mod server;
