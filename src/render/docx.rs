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
//! docx-rs 0.4.22 cannot express a few of these; the `patch_*` functions at the bottom add
//! them to the built XML parts, each naming the gap it covers. Output is deterministic: no
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
use crate::resolve::{Cell, CellKind, Metadata, Resolved, Table as ResolvedTable};

use super::SealImage;

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
pub fn render(
    doc: &Resolved,
    profile: &Profile,
    seal: Option<&SealImage>,
    options: &DocxOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let mut w = Writer::new(profile, options.fonts);
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
}

impl<'a> Writer<'a> {
    fn new(p: &'a Profile, fonts: DocxFonts) -> Writer<'a> {
        Writer { p, fonts, u: Units::new(p), next_para_id: 0, header_rows: Vec::new() }
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
        Paragraph::new().id(format!("{:08X}", self.next_para_id)).style(style)
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

    fn styles(&self) -> Vec<Style> {
        let p = self.p;
        let exact = |twips: i32| LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips).before(0).after(0);
        let no_indent = |s: Style| s.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None);
        let face = |s: Style, role: &str| {
            let f = self.face(role);
            let s = s.fonts(run_fonts(&f.name));
            if f.bold {
                s.bold()
            } else {
                s
            }
        };
        // Titles, tables and page numbers are set at their natural width, off the body's
        // tracking (see Normal below).
        let untracked = |mut s: Style| {
            s.run_property = s.run_property.character_spacing(0);
            s
        };
        let keep_next = |mut s: Style| {
            s.paragraph_property = s.paragraph_property.keep_next(true);
            s
        };

        // Normal: 3号仿宋, exact line pitch, first line indented 2 字 (official-format §1.2,
        // §1.4 正文). The indent is written in twips here and as firstLineChars by
        // `patch_styles`, so Word keeps it at 2 characters when the size changes.
        let normal = Style::new(NORMAL, StyleType::Paragraph)
            .name("Normal")
            .size(pt_to_half_points(p.body.size_pt))
            .line_spacing(exact(self.u.line_twips))
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(self.u.chars(p.body.first_line_indent_chars as f64))),
                Some(0),
                None,
            )
            .align(if p.body.justify { AlignmentType::Both } else { AlignmentType::Left });
        let mut normal = face(normal, "body");
        // Tracking that fits 28 characters of 16 pt into 156 mm (official-format §1.1), as
        // the PDF does; see the document grid in `setup` for why not a character grid.
        normal.run_property = normal.run_property.character_spacing(self.body_tracking_twentieths());
        // A full page holds exactly its 22 lines: no line moves to the next page to avoid a
        // widow or an orphan (the PDF does the same).
        normal.paragraph_property = normal.paragraph_property.widow_control(false);

        // Title: 2号小标宋, centred (official-format §1.4 标题). Off the document grid, so that
        // an office switching Word to a character grid does not get 22 pt characters spread
        // over two 16 pt cells each.
        let title = Style::new(TITLE, StyleType::Paragraph)
            .name("Title")
            .based_on(NORMAL)
            .next(NORMAL)
            .size(pt_to_half_points(p.title.size_pt))
            .line_spacing(exact(pt_to_twips(p.title.line_pitch_pt)))
            .align(AlignmentType::Center)
            .snap_to_grid(false);
        let title = keep_next(untracked(face(no_indent(title), "title")));

        // Headings 「一、」黑体 and 「（一）」楷体 (official-format §1.2), indented like the body.
        let h1 =
            Style::new(HEADING1, StyleType::Paragraph).name("heading 1").based_on(NORMAL).next(NORMAL).outline_lvl(0);
        let h1 = keep_next(face(h1, "heading1"));
        let h2 =
            Style::new(HEADING2, StyleType::Paragraph).name("heading 2").based_on(NORMAL).next(NORMAL).outline_lvl(1);
        let h2 = keep_next(face(h2, "heading2"));

        // Table cells: the table size and pitch, centred, off the document grid (as the title).
        let table_text = Style::new(TABLE_TEXT, StyleType::Paragraph)
            .name("Table Text")
            .based_on(NORMAL)
            .size(pt_to_half_points(p.table.size_pt))
            .line_spacing(exact(pt_to_twips(p.table.line_pitch_pt)))
            .align(AlignmentType::Center)
            .snap_to_grid(false);
        let table_text = untracked(face(no_indent(table_text), "table"));
        let table_head = Style::new(TABLE_HEAD, StyleType::Paragraph).name("Table Head").based_on(TABLE_TEXT);
        let table_head = face(table_head, "table_header");

        let caption = Style::new(CAPTION, StyleType::Paragraph)
            .name("Table Caption")
            .based_on(NORMAL)
            .align(AlignmentType::Center);
        let caption = keep_next(no_indent(caption));

        let signature =
            Style::new(SIGNATURE, StyleType::Paragraph).name("Signature").based_on(NORMAL).align(AlignmentType::Right);
        let signature = keep_next(no_indent(signature));

        // Page number: 4号宋体 (official-format §1.3), one line of its own size.
        let footer = Style::new(FOOTER, StyleType::Paragraph)
            .name("footer")
            .based_on(NORMAL)
            .size(pt_to_half_points(p.page_number.size_pt))
            .line_spacing(exact(pt_to_twips(p.page_number.size_pt)))
            .snap_to_grid(false);
        let footer = untracked(face(no_indent(footer), "page_number"));

        let table = Style::new(TABLE_STYLE, StyleType::Table)
            .name("Table Grid")
            .table_property(TableProperty::new().set_borders(self.table_borders()).set_margins(self.cell_margins()));

        vec![normal, title, h1, h2, table_text, table_head, caption, signature, footer, table]
    }

    fn table_borders(&self) -> TableBorders {
        // Border widths are in eighths of a point.
        let size = (self.p.table.rule_pt * 8.0).round().max(1.0) as usize;
        let mut b = TableBorders::new();
        for pos in [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            b = b.set(TableBorder::new(pos).border_type(BorderType::Single).size(size).color("000000"));
        }
        b
    }

    /// The cell padding. Left and right as the profile says; top and bottom less half the gap
    /// between table lines, which Word's exact line height already holds (the PDF's lines are
    /// one size high with the gap between them), so rows are as high as in the PDF.
    fn cell_margins(&self) -> TableCellMargins {
        let t = &self.p.table;
        let pad = mm_to_twips(t.cell_padding_mm).max(0);
        let gap = pt_to_twips(t.line_pitch_pt - t.size_pt).max(0);
        let vertical = (pad - gap / 2).max(0) as usize;
        TableCellMargins::new().margin(vertical, pad as usize, vertical, pad as usize)
    }

    /// 「— 1 —」 with a PAGE field: odd pages at the right, even pages at the left, one 4号
    /// character in from the edge of the type area (official-format §1.3).
    fn footer(&mut self, odd: bool) -> Footer {
        let p = self.p;
        let face = self.face("page_number");
        let size = pt_to_half_points(p.page_number.size_pt);
        let side = pt_to_twips(p.page_number.size_pt * p.page_number.side_indent_chars as f64);
        let run = || {
            let r = Run::new().fonts(run_fonts(&face.name)).size(size);
            if face.bold {
                r.bold()
            } else {
                r
            }
        };
        let mut para = self.para(FOOTER);
        para = if odd {
            para.align(AlignmentType::Right).indent(None, None, Some(side), None)
        } else {
            para.align(AlignmentType::Left).indent(Some(side), None, None, None)
        };
        para = para
            .add_run(run().add_text("— "))
            .add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
            .add_run(run().add_text(" —"));
        Footer::new().add_paragraph(para)
    }

    fn text(&mut self, style: &str, text: &str) -> Paragraph {
        self.para(style).add_run(text_run(text))
    }

    fn blank_lines(&mut self, mut docx: Docx, n: u32) -> Docx {
        for _ in 0..n {
            docx = docx.add_paragraph(self.para(NORMAL));
        }
        docx
    }

    fn body(&mut self, mut docx: Docx, doc: &Resolved, seal: Option<(&SealImage, &[u8])>) -> Result<Docx, Diagnostic> {
        let n = doc.title_lines.len();
        let after = self.title_space_after(&doc.title_lines);
        for (i, line) in doc.title_lines.iter().enumerate() {
            let mut para = self.text(TITLE, line);
            if i + 1 == n && after > 0 {
                para = para.line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(pt_to_twips(self.p.title.line_pitch_pt))
                        .before(0)
                        .after(after as u32),
                );
            }
            docx = docx.add_paragraph(para);
        }
        docx = self.blank_lines(docx, self.p.title.blank_lines_after);
        for para in &doc.preamble {
            docx = docx.add_paragraph(self.text(NORMAL, para));
        }
        for section in &doc.sections {
            docx = docx.add_paragraph(self.text(HEADING1, &section.heading));
            for para in &section.paragraphs {
                docx = docx.add_paragraph(self.text(NORMAL, para));
            }
            for sub in &section.subsections {
                docx = docx.add_paragraph(self.text(HEADING2, &sub.heading));
                for para in &sub.paragraphs {
                    docx = docx.add_paragraph(self.text(NORMAL, para));
                }
            }
            if let Some(table) = &section.table {
                docx = self.blank_lines(docx, self.p.table.lines_before);
                if let Some(caption) = &table.caption {
                    docx = docx.add_paragraph(self.text(CAPTION, caption));
                }
                docx = docx.add_table(self.table(table)?);
                docx = self.blank_lines(docx, self.p.table.lines_after);
            }
        }
        // The last paragraph stays on the page of the signature (official-format §1.6: the
        // 署名 and seal are never alone on a page).
        if let Some(docx_rs::DocumentChild::Paragraph(last)) = docx.document.children.last_mut() {
            **last = last.as_ref().clone().keep_next(true);
        }
        Ok(self.signature(docx, doc, seal))
    }

    /// Space after the title so that the title block takes whole body lines and the text
    /// below it stays on the body line pitch, as in the PDF: the title's lines (long ones
    /// wrapped at the type area less half a title character) rounded up to body lines.
    fn title_space_after(&self, lines: &[String]) -> i32 {
        let t = &self.p.title;
        let width_pt = self.u.type_width_twips as f64 / 20.0 - 0.5 * t.size_pt;
        let per_line = (width_pt / t.size_pt).floor().max(1.0);
        let printed: f64 = lines.iter().map(|l| (text_chars(l) / per_line).ceil().max(1.0)).sum();
        let pitch = self.p.grid.line_pitch_pt;
        // Height of the title lines as the PDF measures it: the last line without its gap.
        let height = printed * t.line_pitch_pt - (t.line_pitch_pt - t.size_pt);
        let gap = pitch - self.p.body.size_pt;
        let slots = ((height + gap) / pitch - 0.001).ceil();
        pt_to_twips(slots * pitch - printed * t.line_pitch_pt).max(0)
    }

    /// Column widths in twips: the fractions of the type area width, the last column taking
    /// the rounding remainder so that the table is exactly as wide as the type area.
    fn grid(&self, fractions: &[f64]) -> Vec<i32> {
        let total: f64 = fractions.iter().sum();
        let width = self.u.type_width_twips;
        let mut cols: Vec<i32> = fractions.iter().map(|f| (f / total * width as f64).round() as i32).collect();
        let used: i32 = cols.iter().sum();
        if let Some(last) = cols.last_mut() {
            *last += width - used;
        }
        cols
    }

    /// One resolved table as a Word table.
    fn table(&mut self, t: &ResolvedTable) -> Result<Table, Diagnostic> {
        let grid = self.grid(&t.column_fractions);
        let placed = place(t)?;
        let span_width = |col: usize, span: usize| grid[col..col + span].iter().sum::<i32>().max(0) as usize;
        let pad = 2 * mm_to_twips(self.p.table.cell_padding_mm).max(0) as usize;
        let table_char = pt_to_twips(self.p.table.size_pt).max(1) as f64;
        // Row labels are flush left in a table where some label does not fit on one line of
        // its cell (table 三's sentences), centred otherwise (table 二), as in the PDF.
        let labels_left = placed.iter().flatten().any(|slot| match slot {
            Slot::Cell { cell, col, span } if cell.kind == CellKind::Label => {
                text_chars(&cell.text) > span_width(*col, *span).saturating_sub(pad) as f64 / table_char
            }
            _ => false,
        });
        let mut rows = Vec::with_capacity(placed.len());
        for slots in &placed {
            let mut cells = Vec::with_capacity(slots.len());
            for slot in slots {
                let tc = match *slot {
                    Slot::Cell { cell, col, span } => {
                        let mut para = self.text(cell_style(cell.kind), &cell.text);
                        if cell.kind == CellKind::Label && labels_left {
                            para = para.align(AlignmentType::Left);
                        }
                        let mut tc = TableCell::new().width(span_width(col, span), WidthType::Dxa);
                        if span > 1 {
                            tc = tc.grid_span(span);
                        }
                        if cell.rowspan > 1 {
                            tc = tc.vertical_merge(VMergeType::Restart);
                        }
                        tc.vertical_align(VAlignType::Center).add_paragraph(para)
                    }
                    // Word needs the cells a row span covers: empty, marked as continuing it.
                    Slot::Continue { kind, col, span } => TableCell::new()
                        .width(span_width(col, span), WidthType::Dxa)
                        .grid_span(span)
                        .vertical_merge(VMergeType::Continue)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(self.para(cell_style(kind))),
                };
                cells.push(tc);
            }
            rows.push(TableRow::new(cells).cant_split());
        }
        self.header_rows.push(t.header_rows.min(t.rows.len()));
        Ok(Table::new(rows)
            .set_grid(grid.iter().map(|&w| w.max(0) as usize).collect())
            .width(self.u.type_width_twips.max(0) as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .style(TABLE_STYLE)
            .set_borders(self.table_borders())
            .margins(self.cell_margins()))
    }

    /// 署名 and 成文日期 (official-format §1.6).
    ///
    /// Without a seal: 署名 2 字 from the right, the date below starting 2 字 right of the
    /// 署名's first character (a date longer than the name goes 2 字 from the right and pushes
    /// the name left). With a seal: the date 4 字 from the right, the name centred over it, the
    /// seal floating in front of both, centred on them, its centre raised by the profile's
    /// `seal_raise_lines` so that name and date sit slightly below it.
    fn signature(&mut self, mut docx: Docx, doc: &Resolved, seal: Option<(&SealImage, &[u8])>) -> Docx {
        let s = &doc.signature;
        let sp = &self.p.signature;
        let name_w = text_chars(&s.agency);
        let date_w = text_chars(&s.date_text);
        let has_date = !s.date_text.is_empty();
        let (blank, name_ri, date_ri) = match (seal, has_date) {
            (Some(_), true) => {
                let date_ri = sp.sealed_date_right_indent_chars as f64;
                (sp.sealed_blank_lines_before, (date_ri + (date_w - name_w) / 2.0).max(0.0), date_ri)
            }
            (Some(_), false) => (sp.sealed_blank_lines_before, sp.sealed_date_right_indent_chars as f64, 0.0),
            (None, _) => {
                let r = sp.unsealed_right_indent_chars as f64;
                let shift = sp.unsealed_date_shift_chars as f64;
                let date_ri = if has_date { (r + name_w - shift - date_w).max(r) } else { r };
                let name_ri = if has_date { date_ri + date_w + shift - name_w } else { r };
                (sp.blank_lines_before, name_ri, date_ri)
            }
        };
        for _ in 0..blank {
            docx = docx.add_paragraph(self.para(SIGNATURE));
        }

        let mut name = self.para(SIGNATURE).indent(None, None, Some(self.u.chars(name_ri)), None);
        if let Some((img, png)) = seal {
            let centre_from_right = if has_date { date_ri + date_w / 2.0 } else { name_ri + name_w / 2.0 };
            let centre_x = self.u.type_width_twips as f64 - centre_from_right * self.u.char_twips as f64;
            let (pitch, size) = (self.u.line_twips as f64, self.u.char_twips as f64);
            let width = mm_to_pt(sp.seal_diameter_mm) * 20.0;
            let height = if img.width > 0.0 && img.height > 0.0 { width * img.height / img.width } else { width };
            // The middle of the 署名 and date text, from the top of the 署名 line. Word and
            // LibreOffice set text at the foot of a line of exact height, so a line's text spans
            // its last `size`. The seal's top stays below the text of the line above the blank
            // lines (within one line of it: official-format §1.6).
            let pair_mid = if has_date { (3.0 * pitch - size) / 2.0 } else { pitch - size / 2.0 };
            let top = (pair_mid - sp.seal_raise_lines * pitch - height / 2.0).max(-(blank as f64 * pitch));
            name =
                name.add_run(Run::new().add_image(seal_picture(img, png, centre_x - width / 2.0, top, width, height)));
        }
        docx = docx.add_paragraph(name.add_run(text_run(&s.agency)));
        if has_date {
            let date = self.para(SIGNATURE).indent(None, None, Some(self.u.chars(date_ri)), None);
            docx = docx.add_paragraph(date.add_run(text_run(&s.date_text)));
        }
        docx
    }
}

/// The seal as a floating picture in front of the text, anchored to the 署名 paragraph; `x`
/// is from the left edge of the type area and `y` from the top of the paragraph, all in twips.
fn seal_picture(img: &SealImage, png: &[u8], x: f64, y: f64, width: f64, height: f64) -> Pic {
    let (x, y) = (x * EMU_PER_TWIP, y * EMU_PER_TWIP);
    let (w, h) = (width * EMU_PER_TWIP, height * EMU_PER_TWIP);
    Pic::new_with_dimensions(png.to_vec(), img.width.round().max(1.0) as u32, img.height.round().max(1.0) as u32)
        .id(SEAL_REL_ID)
        .size(w.round() as u32, h.round() as u32)
        .floating()
        .overlapping()
        .relative_from_h(RelativeFromHType::Margin)
        .relative_from_v(RelativeFromVType::Paragraph)
        .position_h(DrawingPosition::Offset(x.round() as i32))
        .position_v(DrawingPosition::Offset(y.round() as i32))
}

/// Where a cell of a resolved table sits in the Word grid.
enum Slot<'t> {
    /// A cell of the resolved grid, starting at grid column `col`.
    Cell { cell: &'t Cell, col: usize, span: usize },
    /// A place covered by a row span from above.
    Continue { kind: CellKind, col: usize, span: usize },
}

/// Lay a resolved table out on its grid. The resolved rows omit the cells covered by a row
/// span from above; the occupancy of each grid column is tracked to put them back.
fn place(t: &ResolvedTable) -> Result<Vec<Vec<Slot<'_>>>, Diagnostic> {
    struct Cover {
        rows_left: usize,
        span: usize,
        kind: CellKind,
    }
    let bad = |zh: String, en: String| {
        Diagnostic::error(
            "docx-table",
            "",
            format!("表格 {} 的网格不一致：{zh}", t.key),
            format!("table {} has an inconsistent grid: {en}", t.key),
        )
    };
    let ncols = t.column_fractions.len();
    let mut cover: Vec<Option<Cover>> = (0..ncols).map(|_| None).collect();
    let mut out = Vec::with_capacity(t.rows.len());
    for (ri, row) in t.rows.iter().enumerate() {
        let mut slots = Vec::new();
        let mut given = row.iter();
        let mut col = 0;
        while col < ncols {
            if let Some(c) = cover[col].as_mut() {
                let (span, kind) = (c.span, c.kind);
                c.rows_left -= 1;
                if c.rows_left == 0 {
                    cover[col] = None;
                }
                slots.push(Slot::Continue { kind, col, span });
                col += span;
                continue;
            }
            let Some(cell) = given.next() else {
                return Err(bad(format!("第 {} 行缺少单元格", ri + 1), format!("row {} is short of cells", ri + 1)));
            };
            let span = cell.colspan.max(1);
            if col + span > ncols {
                return Err(bad(format!("第 {} 行超出列数", ri + 1), format!("row {} is wider than the grid", ri + 1)));
            }
            if cell.rowspan > 1 {
                cover[col] = Some(Cover { rows_left: cell.rowspan - 1, span, kind: cell.kind });
            }
            slots.push(Slot::Cell { cell, col, span });
            col += span;
        }
        if given.next().is_some() {
            return Err(bad(format!("第 {} 行单元格过多", ri + 1), format!("row {} has too many cells", ri + 1)));
        }
        out.push(slots);
    }
    if cover.iter().any(Option::is_some) {
        return Err(bad("纵向合并超出表格末行".into(), "a row span runs past the last row".into()));
    }
    Ok(out)
}

fn cell_style(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Band | CellKind::Head => TABLE_HEAD,
        CellKind::Label | CellKind::Group | CellKind::Number | CellKind::Note => TABLE_TEXT,
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

/// Characters allowed in XML 1.0 (besides tab, line feed and carriage return).
fn xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escape text for an XML element or a double-quoted attribute.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_char(c) || c == '\t' || c == '\n' => out.push(c),
            _ => {}
        }
    }
    out
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

/// styles.xml, four docx-rs gaps:
/// - docx-rs always writes its own empty `Normal` style before the added ones, so ours would
///   be a duplicate: drop the empty one and mark ours as the default paragraph style;
/// - `firstLineChars` is accepted but never written (docx-rs #668): add it to every `w:ind`
///   with a `w:firstLine`, in hundredths of a body character, so "2 字" stays 2 characters;
/// - no `w:lang`: without `eastAsia="zh-CN"` LibreOffice picks a Japanese fallback face for a
///   missing Chinese font;
/// - no `w:autoSpaceDE` / `w:autoSpaceDN` (below).
fn patch_styles(styles: &[u8], u: &Units, language: &str) -> Result<Vec<u8>, Diagnostic> {
    let mut xml = utf8("styles.xml", styles)?;
    const BARE_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;
    const NORMAL_OPEN: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    let bare = xml.find(BARE_NORMAL).ok_or_else(|| patch_error("styles.xml", "Normal"))?;
    xml.replace_range(bare..bare + BARE_NORMAL.len(), "");
    if xml.matches(NORMAL_OPEN).count() != 1 {
        return Err(patch_error("styles.xml", "Normal"));
    }
    xml = xml.replace(NORMAL_OPEN, r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#);

    xml = add_first_line_chars(&xml, u.char_twips);

    // No CJK–Latin autospace: the PDF sets digits and Latin letters against Chinese text
    // without extra space, and Word or LibreOffice would otherwise add about a quarter em
    // around every number and move the line breaks.
    let normal = xml.find(r#"w:styleId="Normal">"#).ok_or_else(|| patch_error("styles.xml", "Normal"))?;
    let ppr = normal
        + xml[normal..].find("<w:pPr>").ok_or_else(|| patch_error("styles.xml", "Normal pPr"))?
        + "<w:pPr>".len();
    xml.insert_str(ppr, r#"<w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" />"#);

    let lang = format!(r#"<w:lang w:val="en-US" w:eastAsia="{}" w:bidi="ar-SA" />"#, escape_xml(language));
    let start = xml.find("<w:rPrDefault>").ok_or_else(|| patch_error("styles.xml", "rPrDefault"))?;
    let rest = &xml[start..];
    if let Some(end) = rest.find("</w:rPr></w:rPrDefault>") {
        xml.insert_str(start + end, &lang);
    } else if rest.starts_with("<w:rPrDefault><w:rPr /></w:rPrDefault>") {
        xml.replace_range(
            start..start + "<w:rPrDefault><w:rPr /></w:rPrDefault>".len(),
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"),
        );
    } else {
        return Err(patch_error("styles.xml", "rPrDefault"));
    }
    Ok(xml.into_bytes())
}

/// Add `w:firstLineChars` after every `w:firstLine="N"` (docx-rs #668).
fn add_first_line_chars(xml: &str, char_twips: i32) -> String {
    const ATTR: &str = r#" w:firstLine=""#;
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(i) = rest.find(ATTR) {
        let value_start = i + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        let value_end = value_start + len + 1;
        out.push_str(&rest[..value_end]);
        if let Ok(twips) = rest[value_start..value_start + len].parse::<i64>() {
            let hundredths = (twips * 100) as f64 / char_twips.max(1) as f64;
            out.push_str(&format!(r#" w:firstLineChars="{}""#, hundredths.round() as i64));
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// document.xml: docx-rs has no `w:tblHeader` (repeat as header row on each page). Mark the
/// first `header_rows[k]` rows of the k-th table. Every row carries `<w:cantSplit />`, written
/// by docx-rs, which the flag is placed after (CT_TrPr allows them in any order).
fn patch_table_header_rows(document: &[u8], header_rows: &[usize]) -> Result<Vec<u8>, Diagnostic> {
    const ROW_PR: &str = "<w:trPr><w:cantSplit />";
    let xml = utf8("document.xml", document)?;
    let mut out = String::with_capacity(xml.len() + 512);
    let mut rest = xml.as_str();
    for &n in header_rows {
        let t = rest.find("<w:tbl>").ok_or_else(|| patch_error("document.xml", "w:tbl"))?;
        out.push_str(&rest[..t]);
        rest = &rest[t..];
        let table_end = rest.find("</w:tbl>").ok_or_else(|| patch_error("document.xml", "/w:tbl"))?;
        let mut table = &rest[..table_end];
        for _ in 0..n {
            let r = table.find(ROW_PR).ok_or_else(|| patch_error("document.xml", "w:trPr"))?;
            out.push_str(&table[..r + ROW_PR.len()]);
            out.push_str("<w:tblHeader />");
            table = &table[r + ROW_PR.len()..];
        }
        out.push_str(table);
        rest = &rest[table_end..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

/// document.xml: docx-rs writes a drawing's position offset as `offset as u32`, so a negative
/// offset (the seal reaching above its paragraph) comes out as a huge number. Restore the
/// signed value.
fn patch_negative_offsets(document: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    const OPEN: &str = "<wp:posOffset>";
    let xml = utf8("document.xml", document)?;
    if !xml.contains(OPEN) {
        return Ok(document.to_vec());
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(i) = rest.find(OPEN) {
        let start = i + OPEN.len();
        let end = start + rest[start..].find('<').ok_or_else(|| patch_error("document.xml", "wp:posOffset"))?;
        out.push_str(&rest[..start]);
        match rest[start..end].parse::<u32>() {
            Ok(v) => out.push_str(&(v as i32).to_string()),
            Err(_) => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

/// docProps/core.xml: docx-rs has no setters for title, creator, subject, keywords or language
/// (it writes `dc:creator` "unknown"), so the part is written here. Created and modified are
/// the signature date, never the clock; without a date they are left out.
fn core_properties(m: &Metadata) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    ));
    x.push_str(&format!("<dc:title>{}</dc:title>", escape_xml(&m.title)));
    x.push_str(&format!("<dc:subject>{}</dc:subject>", escape_xml(&m.subject)));
    x.push_str(&format!("<dc:creator>{}</dc:creator>", escape_xml(&m.author)));
    x.push_str(&format!("<cp:keywords>{}</cp:keywords>", escape_xml(&m.keywords.join(", "))));
    x.push_str(&format!("<dc:language>{}</dc:language>", escape_xml(&m.language)));
    x.push_str(&format!("<cp:lastModifiedBy>{}</cp:lastModifiedBy>", escape_xml(&m.author)));
    x.push_str("<cp:revision>1</cp:revision>");
    if let Some(date) = &m.date {
        let stamp = format!("{}T00:00:00Z", escape_xml(date));
        x.push_str(&format!(r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>"#));
        x.push_str(&format!(r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#));
    }
    x.push_str("</cp:coreProperties>");
    x
}

/// fontTable.xml: docx-rs lists only Times New Roman, Symbol and Arial. List the document's
/// fonts with the GB2312 character set, so that Word on a machine without one of them
/// substitutes a Chinese face instead of a Latin one.
fn patch_font_table(table: &[u8], names: &[String]) -> Result<Vec<u8>, Diagnostic> {
    let mut xml = utf8("fontTable.xml", table)?;
    let end = xml.rfind("</w:fonts>").ok_or_else(|| patch_error("fontTable.xml", "w:fonts"))?;
    let entries: String = names
        .iter()
        .map(|n| {
            format!(
                r#"<w:font w:name="{}"><w:charset w:val="{CHARSET_GB2312}" /><w:family w:val="auto" /><w:pitch w:val="variable" /></w:font>"#,
                escape_xml(n)
            )
        })
        .collect();
    xml.insert_str(end, &entries);
    Ok(xml.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_numbers_follow_the_profile() {
        let p = Profile::builtin();
        let w = Writer::new(&p, DocxFonts::Official);
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
