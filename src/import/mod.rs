//! `import`: a published report (web text, `pdftotext` output, DOCX or an HTML page) → the
//! input model.
//!
//! Offices start from last year's published report, and a county office audits every published
//! report's 勾稽 in one run; most of those reports were typed by hand. Three front ends turn the
//! source into one sequence of [`Item`]s — lines of text (with their layout, for PDF text) and
//! real tables (DOCX) — each piece carrying its input line number:
//! - [`text`]: bytes → text (UTF-8, UTF-16, GB18030), web text with one table cell per line;
//! - [`pdftext`]: `pdftotext -layout` output: page footers dropped, hard-wrapped lines re-joined,
//!   table rows split into cells;
//! - [`docx`]: paragraphs and tables of a DOCX read with docx-rs;
//! - [`html`]: a saved portal page (or the article's HTML): the article body found among the
//!   portal's chrome, real tables with their merges resolved.
//!
//! Blank cells meaning 0 (empty lines of web text, blank HTML cells) are read by
//! [`blank_cells`], from the column count of the official table form.
//!
//! [`document`] finds the structure (title, preamble, the six sections, subsections, signature)
//! and [`tables`] reads the three tables, mapping labels to the rows of
//! [`crate::model::tables`]; [`contact`] picks the contact details out of the preamble.
//!
//! Nothing is guessed silently: text that could not be placed becomes an `x-unplaced` note
//! (line, text, reason) and a warning; a table that cannot be read is an error. Every placed
//! number keeps the span it came from, so the consistency rules run on the import
//! ([`Imported::check`]) point at the line of the published report.

pub mod blank_cells;
pub mod contact;
pub mod document;
pub mod docx;
pub mod html;
pub mod pdftext;
pub mod source;
pub mod tables;
pub mod text;

use std::ops::Range;

use crate::diag::{Diagnostic, Diagnostics, SpanMap};
use crate::model::encode::{self, Json};
use crate::model::Report;

/// The three source forms `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Text copied from a government website: tables flattened, one cell per line.
    Web,
    /// `pdftotext -layout` output: one table row per line, hard-wrapped paragraphs, footers.
    Pdf,
    /// A Word document.
    Docx,
    /// An HTML page: a saved portal page or the article's HTML.
    Html,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Web => "web",
            Form::Pdf => "pdf",
            Form::Docx => "docx",
            Form::Html => "html",
        }
    }

    pub fn parse(s: &str) -> Option<Form> {
        match s {
            "web" | "text" | "txt" => Some(Form::Web),
            "pdf" | "pdftotext" => Some(Form::Pdf),
            "docx" => Some(Form::Docx),
            "html" | "htm" => Some(Form::Html),
            _ => None,
        }
    }
}

/// A piece of the source that found no place in the report (kept as `x-unplaced`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    /// 1-based input line (for DOCX: the line of [`Imported::listing`]).
    pub line: usize,
    pub text: String,
    /// Why, in Chinese and English.
    pub reason: String,
}

/// The result of importing one source.
#[derive(Debug, Clone)]
pub struct Imported {
    pub form: Form,
    /// `None` only when the source gave no agency or year (or could not be read at all).
    pub report: Option<Report>,
    pub unplaced: Vec<Unplaced>,
    /// Import findings (rules `import-…`), located in [`Imported::listing`].
    pub diagnostics: Diagnostics,
    /// JSON path → span in the listing of every placed value, for locating check findings.
    pub spans: SpanMap,
    /// The text that line numbers count in: the source text itself for text forms; for DOCX a
    /// listing with one line per paragraph and per table row (cells separated by ` | `).
    pub listing: String,
}

impl Imported {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Every consistency rule (input-format.md rules 1–4, 6; rule 7 with `previous`) on the
    /// imported report, located at the lines of the source.
    pub fn check(&self, previous: Option<&Report>) -> Diagnostics {
        let Some(report) = &self.report else { return Diagnostics::default() };
        let mut found = crate::check::check(report, previous);
        found.locate(&self.spans, &self.listing);
        found
    }

    /// The report as input-format JSON, with `x-source` (the file name) and, when something
    /// could not be placed, `x-unplaced` (`[{line, text, reason}]`).
    pub fn to_json(&self, source: &str) -> Option<Json> {
        let report = self.report.as_ref()?;
        let mut root = encode::to_json(report);
        if let Json::Object(members) = &mut root {
            members.push(("x-source".into(), Json::String(source.to_string())));
            if !self.unplaced.is_empty() {
                let notes = self
                    .unplaced
                    .iter()
                    .map(|u| {
                        Json::Object(vec![
                            ("line".into(), Json::Raw(u.line.to_string())),
                            ("text".into(), Json::String(u.text.clone())),
                            ("reason".into(), Json::String(u.reason.clone())),
                        ])
                    })
                    .collect();
                members.push(("x-unplaced".into(), Json::Array(notes)));
            }
        }
        Some(root)
    }
}

/// Import a source. `form` forces the form; by default it is recognised from the bytes (a ZIP
/// is DOCX; text that starts with a doctype or an HTML tag is HTML; text with page breaks, page
/// footers or rows of space-separated numbers is `pdftotext` output; other text is web text).
pub fn import(bytes: &[u8], form: Option<Form>) -> Imported {
    let mut ctx = Ctx::default();
    let forced = form;
    let form = form.unwrap_or(if bytes.starts_with(b"PK\x03\x04") { Form::Docx } else { Form::Web });
    if form == Form::Docx {
        let Some((items, listing)) = docx::read(bytes, &mut ctx) else { return ctx.finish(form, None, String::new()) };
        let report = document::read(items, form, &mut ctx);
        return ctx.finish(form, report, listing);
    }
    let Some(source) = text::decode(bytes, &mut ctx) else { return ctx.finish(form, None, String::new()) };
    let form = match forced {
        Some(f) => f,
        None if html::looks_like_html(&source) => Form::Html,
        None => text::detect(&source),
    };
    if form == Form::Html {
        let Some((items, listing)) = html::read(&source, &mut ctx) else {
            return ctx.finish(form, None, String::new());
        };
        let report = document::read(items, form, &mut ctx);
        return ctx.finish(form, report, listing);
    }
    let items = match form {
        Form::Pdf => pdftext::items(&source, &mut ctx),
        _ => blank_cells::fill(text::items(&source), &source, &mut ctx),
    };
    let report = document::read(items, form, &mut ctx);
    ctx.finish(form, report, source)
}

/// A cell or a word of the source, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub line: usize,
    /// Byte range in the listing.
    pub span: Range<usize>,
}

/// A line of the source: a line of web text, a line of `pdftotext` output, a DOCX paragraph.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the listing.
    pub no: usize,
    /// The text as prose (trimmed; for PDF text the extraction's spaces inside Chinese removed).
    pub text: String,
    /// Byte range of the trimmed line in the listing.
    pub span: Range<usize>,
    /// The line cut into cells: at whitespace (text forms).
    pub tokens: Vec<Token>,
    /// Layout, for PDF text: leading spaces and the display width of the line.
    pub indent: usize,
    pub width: usize,
    /// A page break (with its footer) came right before this line.
    pub page_break: bool,
    /// The page the line is on, counted from 0 (PDF text; 0 elsewhere).
    pub page: usize,
    /// Blank lines came right before this line (not counting those around a page break).
    pub blank_before: bool,
}

/// What the structure reader reads.
#[derive(Debug, Clone)]
pub enum Item {
    Line(Line),
    /// A real table (DOCX): its rows of non-empty cells.
    Table(Vec<Vec<Token>>),
}

/// A paragraph put together from one or more lines.
#[derive(Debug, Clone)]
pub struct Para {
    pub text: String,
    pub line: usize,
    pub span: Range<usize>,
}

/// What an import collects on the way.
#[derive(Default)]
pub struct Ctx {
    pub(crate) diags: Diagnostics,
    pub(crate) unplaced: Vec<Unplaced>,
    pub(crate) spans: SpanMap,
}

impl Ctx {
    pub(crate) fn error(&mut self, rule: &'static str, span: Option<Range<usize>>, zh: String, en: String) {
        let mut d = Diagnostic::error(rule, "", zh, en);
        d.span = span;
        self.diags.push(d);
    }

    pub(crate) fn warn(&mut self, rule: &'static str, span: Option<Range<usize>>, zh: String, en: String) {
        let mut d = Diagnostic::warning(rule, "", zh, en);
        d.span = span;
        self.diags.push(d);
    }

    /// Text that found no place: a warning and an `x-unplaced` note.
    pub(crate) fn unplaced(&mut self, line: usize, span: Range<usize>, text: &str, zh: &str, en: &str) {
        let shown: String = text.chars().take(60).collect();
        let shown = if shown.len() < text.len() { format!("{shown}…") } else { shown };
        self.warn(
            "import-unplaced",
            Some(span),
            format!("第 {line} 行“{shown}”未能归入报告：{zh}"),
            format!("line {line} `{shown}` was not placed in the report: {en}"),
        );
        self.unplaced.push(Unplaced { line, text: text.to_string(), reason: format!("{zh} / {en}") });
    }

    /// An error about a piece of the source that could not be read: the text is kept as an
    /// `x-unplaced` note too, so the written JSON shows what to fill in by hand.
    pub(crate) fn unreadable(&mut self, line: usize, span: Range<usize>, text: &str, zh: String, en: String) {
        self.unplaced.push(Unplaced { line, text: text.to_string(), reason: format!("{zh} / {en}") });
        self.error("import-table", Some(span), zh, en);
    }

    /// Remember where the value at a JSON path came from.
    pub(crate) fn place(&mut self, path: &str, span: &Range<usize>) {
        self.spans.insert(path, span.clone());
    }

    fn finish(mut self, form: Form, report: Option<Report>, listing: String) -> Imported {
        self.diags.locate(&SpanMap::default(), &listing);
        Imported { form, report, unplaced: self.unplaced, diagnostics: self.diags, spans: self.spans, listing }
    }
}
