//! Embeds the built web app (`web/dist`) into the binary for release builds and with the
//! `embed-web` feature, so the gateway serves it without a folder next to the binary.
//! A missing `web/dist` never fails the build (CI builds Rust before npm): the binary then
//! has no embedded files and the gateway falls back to the folder. `TRIPGEN_EMBED_WEB=0`
//! turns embedding off, `=1` forces it on.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, base, out);
        } else if let Ok(rel) = p.strip_prefix(base) {
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((key, p));
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TRIPGEN_EMBED_WEB");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dist = manifest.join("../../../web/dist");
    let wanted = match env::var("TRIPGEN_EMBED_WEB").ok().as_deref() {
        Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        _ => {
            env::var_os("CARGO_FEATURE_EMBED_WEB").is_some()
                || env::var("PROFILE").ok().as_deref() == Some("release")
        }
    };
    let mut list = Vec::new();
    if wanted {
        // Only watched when embedding, so debug builds never rebuild for a new web build.
        println!("cargo:rerun-if-changed={}", dist.display());
        if dist.join("index.html").is_file() {
            files(&dist, &dist, &mut list);
        } else {
            println!(
                "cargo:warning=web/dist is missing: the web app is not embedded (the gateway serves the folder when present)"
            );
        }
    }
    list.sort();
    let mut src = String::from(
        "/// Files of `web/dist` (path relative to it, bytes), sorted by path.\n\
         pub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for (key, path) in &list {
        let _ = writeln!(
            src,
            "    ({key:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    src.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(e) = fs::write(out.join("web_assets.rs"), src) {
        panic!("cannot write web_assets.rs: {e}");
    }
}
