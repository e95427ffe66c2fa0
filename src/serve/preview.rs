//! Page previews: the report typeset by the same Typst document as the PDF, each page as SVG.
//!
//! Each page is identified by a fingerprint of what it draws ([`fingerprint`]). The client says
//! which pages it holds (their fingerprints); only pages it does not hold are converted to SVG
//! and sent, so an edit in one paragraph converts and re-sends the pages that paragraph moved,
//! not the whole report. (Converting a page of CJK text to SVG costs more than laying the whole
//! report out again: every glyph outline is written out.)
//!
//! Between edits the engine keeps the Typst library, the fonts and the parsed template, and
//! comemo keeps the memoised layout of everything the edit did not touch. After each preview the
//! memo cache drops entries unused for [`CACHE_MAX_AGE`] compilations, so a long session does
//! not grow without bound.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
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
    /// Fingerprint of what the page draws: equal fingerprints, equal pictures.
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
                let hash = fingerprint(page);
                let size = page.frame.size();
                let svg = if have.contains(&hash) {
                    None
                } else {
                    sent += 1;
                    Some(typst_svg::svg(page, &options))
                };
                pages.push(Page { hash, svg, width_pt: size.x.to_pt(), height_pt: size.y.to_pt() });
            }
        }
        Err(errors) => diagnostics.extend(errors),
    }
    typst::comemo::evict(CACHE_MAX_AGE);
    Preview { pages, compile_ms: started.elapsed().as_secs_f64() * 1000.0, sent, diagnostics }
}

/// A fingerprint of everything a page draws, as 32 hex digits.
///
/// Not the frame's own hash: that also covers layout-internal identities (introspection tags,
/// locations, source spans) that differ between compilations of the same text. This walks the
/// frame and hashes only what the SVG is made of, so a page that looks the same after an edit
/// keeps its fingerprint and is neither converted nor sent again.
pub fn fingerprint(page: &typst_layout::Page) -> String {
    struct Drawn<'a>(&'a typst_layout::Page);
    impl Hash for Drawn<'_> {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.0.fill_or_white().hash(state);
            self.0.bleed.hash(state);
            hash_frame(&self.0.frame, state);
        }
    }
    format!("{:032x}", typst::utils::hash128(&Drawn(page)))
}

fn hash_frame<H: Hasher>(frame: &typst::layout::Frame, state: &mut H) {
    use typst::layout::FrameItem;
    use typst::model::Destination;
    frame.size().hash(state);
    frame.baseline().hash(state);
    for (pos, item) in frame.items() {
        // Introspection only: nothing is drawn.
        if let FrameItem::Tag(_) = item {
            continue;
        }
        pos.hash(state);
        match item {
            FrameItem::Group(g) => {
                0u8.hash(state);
                g.transform.hash(state);
                g.clip.hash(state);
                hash_frame(&g.frame, state);
            }
            FrameItem::Text(t) => {
                1u8.hash(state);
                t.font.hash(state);
                t.size.hash(state);
                t.fill.hash(state);
                t.stroke.hash(state);
                t.text.hash(state);
                for g in &t.glyphs {
                    (g.id, g.x_advance, g.x_offset, g.y_advance, g.y_offset, &g.range).hash(state);
                }
            }
            FrameItem::Shape(shape, _) => {
                2u8.hash(state);
                shape.hash(state);
            }
            FrameItem::Image(image, size, _) => {
                3u8.hash(state);
                image.hash(state);
                size.hash(state);
            }
            FrameItem::Link(dest, size) => {
                4u8.hash(state);
                size.hash(state);
                match dest {
                    Destination::Url(url) => url.hash(state),
                    Destination::Position(p) => p.hash(state),
                    // Resolved late; the picture does not depend on which element it names.
                    Destination::Location(_) => {}
                }
            }
            FrameItem::Tag(_) => {}
        }
    }
}
