//! Response compression (gzip) for every target: JSON, the web app's files, GeoJSON,
//! iCalendar and GPX shrink to a fraction. Left alone: server-sent events (a compressor
//! holds small writes back, so events would arrive late), files that are compressed
//! already (PDF, ZIP, images other than SVG, fonts), and bodies too small to gain.
//! Brotli is not offered: its encoder adds a large dependency for a few per cent over
//! gzip on these bodies.

use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

/// Bodies smaller than this are sent as they are: the gzip header and the CPU cost
/// outweigh the bytes saved (and a TCP packet carries about this much anyway).
pub const MIN_COMPRESS_BYTES: u64 = 1024;

/// Content types never compressed (prefix match, as `Content-Type` may carry parameters).
const ALREADY_COMPRESSED_OR_STREAMED: [NotForContentType; 6] = [
    NotForContentType::SSE,
    NotForContentType::IMAGES,
    NotForContentType::const_new("application/pdf"),
    NotForContentType::const_new("application/zip"),
    NotForContentType::const_new("application/gzip"),
    NotForContentType::const_new("font/woff"),
];

/// The layer with the rules above.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let [sse, images, pdf, zip, gzip, woff] = ALREADY_COMPRESSED_OR_STREAMED;
    let predicate = SizeAbove::new(MIN_COMPRESS_BYTES)
        .and(sse)
        .and(images)
        .and(pdf)
        .and(zip)
        .and(gzip)
        .and(woff);
    CompressionLayer::new().gzip(true).compress_when(predicate)
}
