//! Page previews: the report typeset by the same Typst document as the PDF, each page as SVG.
//!
//! Each page is identified by a hash of its SVG. The client says which pages it
//! holds (their hashes); only pages it does not hold are converted to SVG and sent, so an edit
//! in one paragraph re-sends the pages that paragraph moved, not the whole report.
//!
//! Between edits the engine keeps the Typst library, the fonts and the parsed template, and
//! comemo keeps the memoised layout of everything the edit did not touch. After each preview the
//! memo cache drops entries unused for [`CACHE_MAX_AGE`] compilations, so a long session does
//! not grow without bound.

use std::collections::HashSet;
use std::time::Instant;

use serde::Serialize;

use crate::build::Engine;
use crate::diag::Diagnostics;
use crate::render::pdf::missing_glyphs;
use crate::render::SealImage;
use crate::resolve::Resolved;

/// Memo entries unused for this many previews are evicted. A few, so that switching between two
/// versions (undo, redo) still hits the cache.
pub const CACHE_MAX_AGE: usize = 4;

/// One page of a preview.
#[derive(Debug, Serialize)]
pub struct Page {
    /// Hash of the page's SVG: equal hashes, equal pictures.
    pub hash: String,
    /// The SVG, or `None` when the client already holds this page.
    pub svg: Option<String>,
    pub width_pt: f64,
    pub height_pt: f64,
}

/// A preview and what typesetting found.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub pages: Vec<Page>,
    /// Time to lay out the pages and convert the changed ones, in milliseconds.
    pub compile_ms: f64,
    /// Pages converted and sent in this response.
    pub sent: usize,
    #[serde(skip)]
    pub diagnostics: Diagnostics,
}

/// Typeset `doc` and return its pages, SVG only for those whose hash is not in `have`.
pub fn preview(engine: &Engine, doc: &Resolved, seal: Option<&SealImage>, have: &HashSet<String>) -> Preview {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    if let Some(d) = missing_glyphs(doc, engine.fonts()) {
        diagnostics.push(d);
    }
    let compiled = engine.pdf().compile(doc, engine.profile(), seal);
    let mut pages = Vec::new();
    let mut sent = 0;
    match compiled {
        Ok((document, warnings)) => {
            diagnostics.extend(warnings.into_iter().filter(|d| !d.message_en.is_empty()));
            let options = typst_svg::SvgOptions::default();
            for page in document.pages() {
                // The hash of the picture itself: a frame's hash also covers layout-internal
                // identities that differ between compilations of the same text.
                let svg = typst_svg::svg(page, &options);
                let hash = crate::build::sha256_hex(svg.as_bytes())[..32].to_string();
                let size = page.frame.size();
                let svg = if have.contains(&hash) {
                    None
                } else {
                    sent += 1;
                    Some(svg)
                };
                pages.push(Page { hash, svg, width_pt: size.x.to_pt(), height_pt: size.y.to_pt() });
            }
        }
        Err(errors) => diagnostics.extend(errors),
    }
    typst::comemo::evict(CACHE_MAX_AGE);
    Preview { pages, compile_ms: started.elapsed().as_secs_f64() * 1000.0, sent, diagnostics }
}
