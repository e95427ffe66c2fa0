//! Embedded fonts: each face the layout used, subset to the glyphs the document draws.
//!
//! The subsetter is `allsorts` (YesLogic's font toolkit). The PDF path's subsetter (`subsetter`,
//! used by krilla) drops the `cmap` table on purpose, because a PDF carries its own CID map;
//! an OFD reader has no such map: it finds a character's glyph through the embedded font's
//! `cmap` (GB/T 33190-2016 §11.4, one-to-one case) and needs the glyph's advance (`hmtx`) and
//! the face's metrics (`head`, `hhea`, `maxp`, `OS/2`, `name`, `post`). `allsorts`' minimal
//! profile keeps exactly those tables and writes a Unicode `cmap` restricted to the kept glyphs.
//! Glyph ids are renumbered (kept glyphs in ascending order, `.notdef` first); [`Subset::new_id`]
//! maps the layout's ids to the subset's.

use std::collections::{BTreeSet, HashMap};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use typst::text::Font;

use crate::diag::Diagnostic;

/// One embedded font file.
pub struct Subset {
    /// `FontName` and `FamilyName` (GB/T 33190-2016 §11.1, table 43): the family as the font
    /// book names it, which is also what a reader falls back to when it ignores the file.
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    /// The subset font file (OpenType: CFF or TrueType outlines).
    pub data: Vec<u8>,
    /// `otf` (CFF outlines) or `ttf`.
    pub extension: &'static str,
    /// Layout glyph id → subset glyph id.
    new_ids: HashMap<u16, u16>,
    /// Character → glyph id as the subset's own `cmap` maps it (for the characters asked about).
    cmap: HashMap<char, u16>,
}

impl Subset {
    /// Subset `font` to `glyphs` (layout ids; `.notdef` is added) and read the subset's `cmap`
    /// for `chars`, so that [`Subset::cmap_maps`] answers from the file a reader will get.
    pub fn new(font: &Font, glyphs: &BTreeSet<u16>, chars: &BTreeSet<char>) -> Result<Subset, Diagnostic> {
        let info = font.info();
        let family = info.family.clone();
        let mut ids: Vec<u16> = vec![0];
        ids.extend(glyphs.iter().copied().filter(|g| *g != 0));
        let data = subset_bytes(font.data(), font.index(), &ids).map_err(|e| {
            Diagnostic::error(
                "ofd-font",
                "",
                format!("无法将字体 {family} 子集化后嵌入 OFD：{e}"),
                format!("cannot subset the font {family} for embedding in the OFD: {e}"),
            )
        })?;
        let new_ids: HashMap<u16, u16> = ids.iter().enumerate().map(|(new, old)| (*old, new as u16)).collect();
        let face = ttf_parser::Face::parse(&data, 0).map_err(|e| {
            Diagnostic::error(
                "ofd-font",
                "",
                format!("字体 {family} 的子集无法读取：{e}"),
                format!("the subset of the font {family} cannot be read back: {e}"),
            )
        })?;
        let cmap = chars.iter().filter_map(|c| face.glyph_index(*c).map(|g| (*c, g.0))).collect();
        let extension = if data.starts_with(b"OTTO") { "otf" } else { "ttf" };
        Ok(Subset {
            family,
            bold: info.variant.weight.to_number() >= 600,
            italic: info.variant.style != typst::text::FontStyle::Normal,
            data,
            extension,
            new_ids,
            cmap,
        })
    }

    /// The subset's id of a layout glyph (`.notdef` for a glyph not kept, which cannot happen
    /// for glyphs passed to [`Subset::new`]).
    pub fn new_id(&self, old: u16) -> u16 {
        self.new_ids.get(&old).copied().unwrap_or(0)
    }

    /// Whether a reader that maps `c` through the embedded `cmap` gets the subset glyph `new`.
    pub fn cmap_maps(&self, c: char, new: u16) -> bool {
        self.cmap.get(&c) == Some(&new)
    }
}

fn subset_bytes(data: &[u8], index: u32, ids: &[u16]) -> Result<Vec<u8>, String> {
    let file = ReadScope::new(data).read::<FontData<'_>>().map_err(|e| format!("{e:?}"))?;
    let provider = file.table_provider(index as usize).map_err(|e| format!("{e:?}"))?;
    subset(&provider, ids, &SubsetProfile::Minimal, CmapTarget::Unicode).map_err(|e| format!("{e:?}"))
}
