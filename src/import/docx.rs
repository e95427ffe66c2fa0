//! The DOCX front end: paragraphs and real tables, read with docx-rs.
//!
//! A DOCX has no line numbers, so the import writes a listing — one line per paragraph (and
//! per manual line break) and one per table row, its non-empty cells separated by ` | ` — and
//! every position it reports is a line of that listing. Cells covered by a merge are empty in
//! WordprocessingML and are skipped; each remaining cell is one token for
//! [`super::tables`], whatever its inner spacing or paragraphs.

use docx_rs::{
    DocumentChild, InsertChild, MoveToChild, Paragraph, ParagraphChild, RunChild, StructuredDataTagChild, Table,
    TableCellContent, TableChild, TableRowChild,
};

use super::{Ctx, Item};
use crate::limits::{mib, DOCX_TABLE_NESTING_MAX, ZIP_ENTRIES_MAX, ZIP_ENTRY_BYTES_MAX, ZIP_UNPACKED_BYTES_MAX};

/// Check a DOCX (zip) before docx-rs reads it: entry count, each entry's declared and actual
/// unpacked size, their total, and the nesting of the main document. docx-rs allocates an
/// entry's declared size up front and panics on a damaged entry, so both are found here, by
/// unpacking each entry into nothing with a bound, before it runs.
fn check_package(bytes: &[u8]) -> Result<(), (&'static str, String, String)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        ("import-read", format!("不是有效的 DOCX（zip）文件：{e}"), format!("not a valid DOCX (zip) file: {e}"))
    })?;
    if archive.len() > ZIP_ENTRIES_MAX {
        return Err((
            "import-limit",
            format!("zip 条目 {} 个，超过上限 {ZIP_ENTRIES_MAX}", archive.len()),
            format!("{} zip entries, more than the limit of {ZIP_ENTRIES_MAX}", archive.len()),
        ));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            ("import-read", format!("zip 条目 {i} 无法读取：{e}"), format!("zip entry {i} cannot be read: {e}"))
        })?;
        let name: String = entry.name().chars().take(100).collect();
        let declared = entry.size();
        if declared > ZIP_ENTRY_BYTES_MAX {
            return Err((
                "import-limit",
                format!("条目 {name} 解压后 {}，超过上限 {}", mib(declared), mib(ZIP_ENTRY_BYTES_MAX)),
                format!(
                    "entry {name} unpacks to {}, more than the limit of {}",
                    mib(declared),
                    mib(ZIP_ENTRY_BYTES_MAX)
                ),
            ));
        }
        total += declared;
        if total > ZIP_UNPACKED_BYTES_MAX {
            return Err((
                "import-limit",
                format!("解压后总大小超过上限 {}", mib(ZIP_UNPACKED_BYTES_MAX)),
                format!("the entries unpack to more than the limit of {}", mib(ZIP_UNPACKED_BYTES_MAX)),
            ));
        }
        let keep = name.ends_with("word/document.xml");
        let mut xml = Vec::new();
        let actual = if keep {
            (&mut entry).take(ZIP_ENTRY_BYTES_MAX + 1).read_to_end(&mut xml).map(|n| n as u64)
        } else {
            std::io::copy(&mut (&mut entry).take(ZIP_ENTRY_BYTES_MAX + 1), &mut std::io::sink())
        }
        .map_err(|e| ("import-read", format!("条目 {name} 已损坏：{e}"), format!("entry {name} is damaged: {e}")))?;
        if actual != declared {
            return Err((
                "import-limit",
                format!("条目 {name} 的实际大小与其记录不符"),
                format!("entry {name} does not unpack to the size its header gives"),
            ));
        }
        if keep {
            check_nesting(&xml).map_err(|(zh, en)| ("import-limit", zh, en))?;
        }
    }
    Ok(())
}

/// Table nesting of WordprocessingML (`<w:tbl>` in a cell), counted on the raw text: the
/// reader and this import recurse into nested tables.
fn check_nesting(xml: &[u8]) -> Result<(), (String, String)> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = xml[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let rest = &xml[i..];
        let opens = rest.starts_with(b"w:tbl") && matches!(rest.get(5), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r'));
        if opens {
            depth += 1;
            if depth > DOCX_TABLE_NESTING_MAX {
                return Err((
                    format!("表格嵌套超过 {DOCX_TABLE_NESTING_MAX} 层"),
                    format!("tables nest deeper than {DOCX_TABLE_NESTING_MAX}"),
                ));
            }
        } else if rest.starts_with(b"/w:tbl>") {
            depth = depth.saturating_sub(1);
        }
    }
    Ok(())
}

/// Read a DOCX: its items and the listing they point into.
pub fn read(bytes: &[u8], ctx: &mut Ctx) -> Option<(Vec<Item>, String)> {
    if let Err((rule, zh, en)) = check_package(bytes) {
        ctx.error(rule, None, format!("DOCX 文件未导入：{zh}"), format!("the DOCX file was not imported: {en}"));
        return None;
    }
    // Embedded pictures are not part of a report: no previews, so no image decoder runs.
    let options = docx_rs::ReadDocxOptions::default().with_image_previews(false);
    let doc = match docx_rs::read_docx_with_options(bytes, options) {
        Ok(d) => d,
        Err(e) => {
            ctx.error(
                "import-read",
                None,
                format!("无法读取 DOCX 文件：{e}"),
                format!("cannot read the DOCX file: {e}"),
            );
            return None;
        }
    };
    let mut w = Listing::default();
    for child in &doc.document.children {
        match child {
            DocumentChild::Paragraph(p) => w.paragraph(&para_text(p)),
            DocumentChild::Table(t) => w.table(t),
            DocumentChild::StructuredDataTag(sdt) => {
                for c in &sdt.children {
                    w.sdt_child(c);
                }
            }
            _ => {}
        }
    }
    Some((w.0.items, w.0.text))
}

/// The DOCX's listing: paragraphs and tables in document order.
#[derive(Default)]
struct Listing(super::source::Listing);

impl Listing {
    fn paragraph(&mut self, text: &str) {
        for piece in text.split('\n') {
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                self.0.push_line(trimmed);
            }
        }
    }

    fn sdt_child(&mut self, c: &StructuredDataTagChild) {
        match c {
            StructuredDataTagChild::Paragraph(p) => self.paragraph(&para_text(p)),
            StructuredDataTagChild::Table(t) => self.table(t),
            StructuredDataTagChild::StructuredDataTag(s) => {
                for c in &s.children {
                    self.sdt_child(c);
                }
            }
            _ => {}
        }
    }

    fn table(&mut self, t: &Table) {
        let mut rows = Vec::new();
        for TableChild::TableRow(row) in &t.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|TableRowChild::TableCell(c)| {
                    let mut s = String::new();
                    for content in &c.children {
                        s.push_str(&cell_content_text(content));
                    }
                    s.trim().to_string()
                })
                .filter(|s| !s.is_empty())
                .collect();
            if cells.is_empty() {
                continue;
            }
            let (no, _) = self.0.new_line();
            let tokens = cells.iter().enumerate().map(|(i, cell)| self.0.push_cell(no, i == 0, cell)).collect();
            rows.push(tokens);
        }
        if !rows.is_empty() {
            self.0.items.push(Item::Table(rows));
        }
    }
}

fn cell_content_text(c: &TableCellContent) -> String {
    match c {
        TableCellContent::Paragraph(p) => para_text(p).replace('\n', ""),
        TableCellContent::Table(t) => {
            let mut s = String::new();
            for TableChild::TableRow(r) in &t.rows {
                for TableRowChild::TableCell(c) in &r.cells {
                    for content in &c.children {
                        s.push_str(&cell_content_text(content));
                    }
                }
            }
            s
        }
        _ => String::new(),
    }
}

/// The text of a paragraph: runs, insertions, hyperlinks (a website address is often one), with
/// tabs as tabs and manual line breaks as `\n`.
fn para_text(p: &Paragraph) -> String {
    let mut s = String::new();
    children_text(&p.children, &mut s);
    s
}

fn run_text(children: &[RunChild], s: &mut String) {
    for c in children {
        match c {
            RunChild::Text(t) => s.push_str(&t.text),
            RunChild::Sym(sym) => s.push_str(&sym.char),
            RunChild::Tab(_) | RunChild::PTab(_) => s.push('\t'),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => s.push('\n'),
            _ => {}
        }
    }
}

fn children_text(children: &[ParagraphChild], s: &mut String) {
    for c in children {
        match c {
            ParagraphChild::Run(r) => run_text(&r.children, s),
            ParagraphChild::Insert(i) => {
                for c in &i.children {
                    if let InsertChild::Run(r) = c {
                        run_text(&r.children, s);
                    }
                }
            }
            ParagraphChild::MoveTo(m) => {
                for c in &m.children {
                    if let MoveToChild::Run(r) = c {
                        run_text(&r.children, s);
                    }
                }
            }
            ParagraphChild::Hyperlink(h) => children_text(&h.children, s),
            ParagraphChild::StructuredDataTag(sdt) => {
                for c in &sdt.children {
                    match c {
                        StructuredDataTagChild::Run(r) => run_text(&r.children, s),
                        StructuredDataTagChild::Paragraph(p) => children_text(&p.children, s),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}
