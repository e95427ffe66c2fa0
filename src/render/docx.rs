//! DOCX output through docx-rs: the file offices open in Word or WPS, correct, print, sign and
//! archive.
//!
//! The document is built from the same [`Resolved`] report and the same [`Profile`] as the PDF.
//! Every length is a profile number converted here to twips, half-points or EMU; every text
//! comes from the resolved report. The result is real Word structure, so an office can edit it
//! as if it had been typed in Word:
//! - styles: Normal (body), Title, heading 1 / heading 2 with outline levels (Word's navigation
//!   pane), table text and table head, signature, footer, and a table style;
//! - an A4 section with the profile's margins, a 22-line document grid and body tracking for
//!   28 characters per line (official-format §1.1);
//! - odd and even footers with a real PAGE field (official-format §1.3);
//! - the tables 二, 三, 四 as grids with `gridSpan` / `vMerge` merges, repeated header rows and
//!   rows that cannot split (official-format §2.3–2.5);
//! - the signature block with or without a floating seal (official-format §1.6);
//! - core properties from the report's metadata.
//!
//! One concern per submodule: `styles`, `body`, `tables`, `seal` (signature and seal),
//! `footer`, `package` (core properties, font table). docx-rs 0.4.22 cannot express a few of
//! these; the `patch_*` functions add them to the built XML parts, each naming the gap it
//! covers. Output is deterministic: no
//! clock, fixed paragraph and relationship ids, ZIP entries dated 1980-01-01 by docx-rs.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, DrawingPosition, FieldCharType, Footer,
    InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Pic, RelativeFromHType,
    RelativeFromVType, Run, RunFonts, SpecialIndentType, Style, StyleType, Table, TableAlignmentType, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableProperty, TableRow,
    VAlignType, VMergeType, WidthType,
};
use unicode_width::UnicodeWidthStr;

use crate::diag::Diagnostic;
use crate::profile::{mm_to_pt, mm_to_twips, pt_to_half_points, pt_to_twips, Profile};
use crate::resolve::layout::{self, PageNumberText};
use crate::resolve::{Cell, CellAlign, Metadata, Resolved, Table as ResolvedTable};

use super::SealImage;

mod body;
mod footer;
mod package;
mod seal;
mod styles;
mod tables;

use super::pdf::AfterTable;
use super::xml::{escape as escape_xml, xml_char};
use package::{core_properties, patch_font_table};
use seal::patch_negative_offsets;
use styles::patch_styles;
use tables::patch_table_header_rows;

/// Which font names the DOCX carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocxFonts {
    /// The official names (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体).
    #[default]
    Official,
    /// The bundled Fandol families, for machines without the official fonts.
    Bundled,
}

#[derive(Debug, Clone, Default)]
pub struct DocxOptions {
    pub fonts: DocxFonts,
}

// Style ids. Word recognises "heading 1" / "heading 2" / "Title" / "footer" / "Table Grid" by
// their names as its built-in styles (标题 1, 标题 2, 标题, 页脚, 网格型).
const NORMAL: &str = "Normal";
const TITLE: &str = "Title";
const HEADING1: &str = "Heading1";
const HEADING2: &str = "Heading2";
const TABLE_TEXT: &str = "TableText";
const TABLE_HEAD: &str = "TableHead";
const CAPTION: &str = "TableCaption";
const SIGNATURE: &str = "Signature";
const FOOTER: &str = "Footer";
const TABLE_STYLE: &str = "TableGrid";

/// Relationship id of the seal picture (fixed, so the output does not depend on how many
/// pictures docx-rs has numbered before in this process).
const SEAL_REL_ID: &str = "rIdSeal";

/// Unit conversions (not layout numbers).
const EMU_PER_TWIP: f64 = 635.0;
/// Word's `charSpace` is in 1/4096 pt.
const CHAR_SPACE_UNITS_PER_PT: f64 = 4096.0;
/// The GB2312 character set id in `fontTable.xml`.
const CHARSET_GB2312: &str = "86";

/// Write the report as DOCX bytes.
///
/// `after_tables` is what the PDF's layout recorded after each table
/// ([`crate::render::pdf::after_tables`]): the DOCX leaves the same space after a table, so
/// that its text starts on the same line of the page grid as in the PDF, which moves the text
/// after a table down to the next grid line (official-format §1.1). Word and LibreOffice set
/// it right below the table. Without it (no layout at hand) the text follows the table's
/// blank lines.
pub fn render(
    doc: &Resolved,
    profile: &Profile,
    seal: Option<&SealImage>,
    options: &DocxOptions,
    after_tables: &[AfterTable],
) -> Result<Vec<u8>, Diagnostic> {
    let mut w = Writer::new(profile, options.fonts, doc.page_number.clone(), after_tables);
    let mut docx = w.setup();
    let bitmap = seal.map(|s| s.bitmap()).transpose()?;
    let seal = seal.zip(bitmap.as_deref());
    docx = w.body(docx, doc, seal)?;

    let mut xml = docx.build();
    xml.styles = patch_styles(&xml.styles, &w.u, &doc.metadata.language)?;
    xml.document = patch_table_header_rows(&xml.document, &w.header_rows)?;
    xml.document = patch_negative_offsets(&xml.document)?;
    xml.doc_props.core = core_properties(&doc.metadata).into_bytes();
    xml.font_table = patch_font_table(&xml.font_table, &w.font_names())?;

    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| {
        Diagnostic::error("docx-write", "", format!("无法生成 DOCX：{e}"), format!("cannot write the DOCX: {e}"))
    })?;
    Ok(out.into_inner())
}

/// Profile numbers in Word units, computed once.
struct Units {
    /// One 字: the body size (official-format §1.1 "字").
    char_twips: i32,
    /// The body line pitch (exact line spacing of Normal).
    line_twips: i32,
    type_width_twips: i32,
    type_height_twips: i32,
}

impl Units {
    fn new(p: &Profile) -> Units {
        Units {
            char_twips: pt_to_twips(p.body.size_pt),
            line_twips: pt_to_twips(p.grid.line_pitch_pt),
            type_width_twips: mm_to_twips(p.type_area_width_mm()),
            type_height_twips: mm_to_twips(p.type_area_height_mm()),
        }
    }

    fn chars(&self, n: f64) -> i32 {
        (n * self.char_twips as f64).round() as i32
    }
}

/// A font for one role: its name in this DOCX and whether runs are bold.
struct Face {
    name: String,
    bold: bool,
}

struct Writer<'a> {
    p: &'a Profile,
    fonts: DocxFonts,
    u: Units,
    next_para_id: u32,
    /// Header row count of each table, in document order (for `w:tblHeader`).
    header_rows: Vec<usize>,
    /// The footer's text around the PAGE field.
    page_number: PageNumberText,
    /// Where the text after each table went in the PDF (see [`render`]).
    after_tables: &'a [AfterTable],
    /// The next paragraph starts a page (the PDF's text after a table did).
    break_before: bool,
}

impl<'a> Writer<'a> {
    fn new(
        p: &'a Profile,
        fonts: DocxFonts,
        page_number: PageNumberText,
        after_tables: &'a [AfterTable],
    ) -> Writer<'a> {
        Writer {
            p,
            fonts,
            u: Units::new(p),
            next_para_id: 0,
            header_rows: Vec::new(),
            page_number,
            after_tables,
            break_before: false,
        }
    }

    /// The role's font: the official name, or the bundled family with its weight (the bundled
    /// 小标宋 stand-in is Song Bold, profile `bundled_weight`).
    fn face(&self, role: &str) -> Face {
        let f = self.p.role(role);
        match self.fonts {
            DocxFonts::Official => Face { name: f.official.clone(), bold: false },
            DocxFonts::Bundled => Face { name: f.bundled.clone(), bold: f.bundled_weight == "bold" },
        }
    }

    fn font_names(&self) -> Vec<String> {
        let mut names: Vec<String> = crate::profile::ROLES.iter().map(|r| self.face(r).name).collect();
        names.sort();
        names.dedup();
        names
    }

    /// A paragraph with a stable id (docx-rs numbers paragraphs from a thread-local counter
    /// otherwise, which would make the bytes depend on what ran before in the thread).
    fn para(&mut self, style: &str) -> Paragraph {
        self.next_para_id += 1;
        let p = Paragraph::new().id(format!("{:08X}", self.next_para_id)).style(style);
        if std::mem::take(&mut self.break_before) {
            p.page_break_before(true)
        } else {
            p
        }
    }

    /// Page, margins, grid, styles and footers.
    fn setup(&mut self) -> Docx {
        let p = self.p;
        let body = self.face("body");
        // Word measures the footer from the page's bottom edge to the bottom of the footer
        // line. The 一字线 is at the middle of that one-line box and sits `below_type_area_mm`
        // under the type area (official-format §1.3), as in the PDF.
        let footer_twips = (mm_to_twips(p.page.bottom_margin_mm - p.page_number.below_type_area_mm)
            - pt_to_twips(p.page_number.size_pt / 2.0))
        .max(0);
        let mut docx = Docx::new()
            .page_size(mm_to_twips(p.page.width_mm) as u32, mm_to_twips(p.page.height_mm) as u32)
            .page_margin(
                PageMargin::new()
                    .top(mm_to_twips(p.page.top_margin_mm))
                    .bottom(mm_to_twips(p.page.bottom_margin_mm))
                    .left(mm_to_twips(p.page.left_margin_mm))
                    .right(mm_to_twips(p.page.right_margin_mm))
                    .footer(footer_twips),
            )
            .default_fonts(run_fonts(&body.name))
            .default_size(pt_to_half_points(p.body.size_pt));
        for s in self.styles() {
            docx = docx.add_style(s);
        }
        // The document grid: 22 lines per page (official-format §1.1). It is a line grid
        // only; the 28 characters per line come from Normal's tracking, as in the PDF. A
        // lines-and-characters grid would give them in Word, but LibreOffice lays such a grid
        // out differently (a 16 pt character in its 15.79 pt cell takes two cells, spreading
        // the text over half as many characters per line), so the same file would not look
        // the same in every client. `charSpace` is still written, computed, so that an office
        // switching Word to 「指定行和字符网格」 gets 28 characters per line.
        docx.document = docx.document.doc_grid(
            DocGrid::new()
                .grid_type(DocGridType::Lines)
                .line_pitch(self.grid_line_pitch() as usize)
                .char_space(self.grid_char_space()),
        );
        let odd = self.footer(true);
        let even = self.footer(false);
        // `even_footer` also writes <w:evenAndOddHeaders/> into settings.xml.
        docx.footer(odd).even_footer(even)
    }

    /// The grid's line pitch: the type area height shared by the lines per page, rounded
    /// down so that all of them fit (225 mm / 22 → 579 twips, official-format §1.1).
    fn grid_line_pitch(&self) -> i32 {
        self.u.type_height_twips / self.p.grid.lines_per_page.max(1) as i32
    }

    /// The grid's character spacing: the offset of the character pitch (type area width / 28)
    /// from the Normal font size, in 1/4096 pt, rounded down so that 28 characters fit
    /// (156 mm / 28 = 15.79 pt → −849).
    fn grid_char_space(&self) -> isize {
        let pitch_pt = self.u.type_width_twips as f64 / 20.0 / self.p.grid.chars_per_line.max(1) as f64;
        ((pitch_pt - self.p.body.size_pt) * CHAR_SPACE_UNITS_PER_PT).floor() as isize
    }

    /// Character spacing of body text in twentieths of a point: the (negative) tracking that
    /// makes `chars_per_line` body characters fit the type area width, rounded down.
    fn body_tracking_twentieths(&self) -> i32 {
        let chars = self.p.grid.chars_per_line.max(1) as f64;
        let tracking_pt = (self.u.type_width_twips as f64 / 20.0 - chars * self.p.body.size_pt) / chars;
        (tracking_pt * 20.0).floor().min(0.0) as i32
    }
}

/// The same family for CJK and Latin text, so digits and letters match the role's font.
fn run_fonts(name: &str) -> RunFonts {
    RunFonts::new().ascii(name).hi_ansi(name).east_asia(name).cs(name).hint("eastAsia")
}

/// Width of a text in 字: CJK characters count one, Latin letters and digits one half.
fn text_chars(text: &str) -> f64 {
    UnicodeWidthStr::width(text) as f64 / 2.0
}

/// A run of report text. Text is data: a line feed becomes a line break, a tab a tab, and
/// characters XML 1.0 cannot carry are dropped.
fn text_run(text: &str) -> Run {
    let mut run = Run::new();
    let mut buf = String::new();
    let flush = |run: Run, buf: &mut String| {
        if buf.is_empty() {
            run
        } else {
            run.add_text(std::mem::take(buf))
        }
    };
    for ch in text.chars() {
        match ch {
            '\n' => run = flush(run, &mut buf).add_break(BreakType::TextWrapping),
            '\t' => run = flush(run, &mut buf).add_tab(),
            '\r' => {}
            c if xml_char(c) => buf.push(c),
            _ => {}
        }
    }
    flush(run, &mut buf)
}

fn patch_error(part: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "docx-write",
        "",
        format!("无法生成 DOCX：{part} 中未找到预期的结构（{what}）"),
        format!("cannot write the DOCX: expected markup not found in {part} ({what})"),
    )
}

fn utf8(part: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    String::from_utf8(bytes.to_vec()).map_err(|_| patch_error(part, "UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::styles::add_first_line_chars;
    use super::*;

    #[test]
    fn grid_numbers_follow_the_profile() {
        let p = Profile::builtin();
        let w = Writer::new(&p, DocxFonts::Official, PageNumberText::gbt9704(), &[]);
        assert_eq!(w.grid_line_pitch(), 579);
        // 28 characters of 16 + charSpace/4096 pt must fit in 156 mm.
        let cs = w.grid_char_space();
        let pitch = p.body.size_pt + cs as f64 / 4096.0;
        assert!(pitch * 28.0 <= 8844.0 / 20.0, "{cs}");
        assert!((pitch + 1.0 / 4096.0) * 28.0 > 8844.0 / 20.0 - 0.01, "{cs}");
    }

    #[test]
    fn first_line_chars_are_hundredths_of_a_character() {
        let x =
            add_first_line_chars(r#"<w:ind w:left="0" w:right="0" w:firstLine="640" /><w:ind w:firstLine="0" />"#, 320);
        assert_eq!(
            x,
            r#"<w:ind w:left="0" w:right="0" w:firstLine="640" w:firstLineChars="200" /><w:ind w:firstLine="0" w:firstLineChars="0" />"#
        );
    }

    #[test]
    fn negative_offsets_are_restored() {
        let x =
            patch_negative_offsets(b"<wp:posOffset>4294967196</wp:posOffset><wp:posOffset>5</wp:posOffset>").unwrap();
        assert_eq!(String::from_utf8(x).unwrap(), "<wp:posOffset>-100</wp:posOffset><wp:posOffset>5</wp:posOffset>");
    }

    #[test]
    fn text_is_data() {
        let r = text_run("a\u{1}<b>&\nc");
        let xml = String::from_utf8(docx_rs::BuildXML::build(&r)).unwrap();
        assert!(xml.contains("a&lt;b&gt;&amp;"), "{xml}");
        assert!(xml.contains("<w:br w:type=\"textWrapping\" />"), "{xml}");
        assert!(!xml.contains('\u{1}'));
    }
}
