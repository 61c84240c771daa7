//! The pieces of a product's gateway target (the public HTTP edge) that every product
//! shares: forwarding `/api/v1/<context>` to a separately deployed target, and the
//! per-user / per-IP rate limits, and serving the built web app from a folder.

pub mod proxy;
pub mod rate_limit;
pub mod static_files;
