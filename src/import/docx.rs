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

use super::{Ctx, Item, Line, Token};

/// Read a DOCX: its items and the listing they point into.
pub fn read(bytes: &[u8], ctx: &mut Ctx) -> Option<(Vec<Item>, String)> {
    let doc = match docx_rs::read_docx(bytes) {
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
    Some((w.items, w.text))
}

#[derive(Default)]
struct Listing {
    text: String,
    lines: usize,
    items: Vec<Item>,
}

impl Listing {
    /// Start a listing line; returns its number and byte offset.
    fn new_line(&mut self) -> (usize, usize) {
        if self.lines > 0 {
            self.text.push('\n');
        }
        self.lines += 1;
        (self.lines, self.text.len())
    }

    fn paragraph(&mut self, text: &str) {
        for piece in text.split('\n') {
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let (no, start) = self.new_line();
            self.text.push_str(trimmed);
            let span = start..self.text.len();
            self.items.push(Item::Line(Line {
                no,
                text: trimmed.to_string(),
                span: span.clone(),
                tokens: super::text::words(trimmed, start, no),
                indent: 0,
                width: 0,
                page_break: false,
                page: 0,
                blank_before: false,
            }));
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
            let (no, _) = self.new_line();
            let mut tokens = Vec::new();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    self.text.push_str(" | ");
                }
                let start = self.text.len();
                self.text.push_str(cell);
                tokens.push(Token { text: cell.clone(), line: no, span: start..self.text.len() });
            }
            rows.push(tokens);
        }
        if !rows.is_empty() {
            self.items.push(Item::Table(rows));
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
