//! The one diagnostic type of nianbao.
//!
//! Every problem the tool finds — malformed JSON, an unknown key, a table that does not balance,
//! a missing glyph, an unwritable output path — is a [`Diagnostic`]: a rule id, a severity, the
//! JSON path it concerns, the byte span in the input (line:column is derived from it), a Chinese
//! message with the English alongside, the numbers involved and an optional hint. Checks produce
//! paths only; [`Diagnostics::locate`] attaches spans from the decoder's [`SpanMap`] afterwards,
//! so rules never deal with source positions.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// A character that must not reach a terminal or a printed page raw: C0 controls other than
/// tab and line feed (ESC, BEL, CR …), DEL, C1 controls, NUL, and the bidi embedding, override
/// and isolate controls, which reorder what a reader sees (CVE-2021-42574).
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `U+001B`: how an unprintable character is named in messages.
pub fn escape_char(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `text` with every unprintable character written as `<U+001B>`, so that quoting a report's
/// text or a file name in a message cannot move the cursor, ring the bell, reorder the line or
/// rewrite what was printed before it.
pub fn escape_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) {
            out.push('<');
            out.push_str(&escape_char(c));
            out.push('>');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Error or warning: declared with each rule in the registry, which owns the type.
pub use crate::rules::Severity;

/// A number that took part in a finding, named by its JSON path (or a short description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Involved {
    pub what: String,
    pub value: String,
}

/// One problem found in a report, in a command line or in the environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable rule id (kebab-case), e.g. `table3-balance`. Listed in the README.
    pub rule: &'static str,
    /// JSON path such as `applications.results.total[0]`; empty for the whole document.
    pub path: String,
    /// Byte range in the input text, when known.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// 1-based line and column of the span start, filled in by [`Diagnostics::locate`].
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The spreadsheet cell, `表三!D12`, when the report was read from a workbook (then line
    /// and column are absent: they would point into no file the user has).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub message_zh: String,
    pub message_en: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub involved: Vec<Involved>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: &'static str, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, path, zh, en)
    }

    pub fn warning(rule: &'static str, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(Severity::Warning, rule, path, zh, en)
    }

    fn new(
        severity: Severity,
        rule: &'static str,
        path: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        // Every rule id is declared once, in the registry; an undeclared one is a defect.
        debug_assert!(
            crate::rules::find(rule).is_some_and(|r| r.level.allows(severity)),
            "rule `{rule}` is not in the registry at {severity} (src/rules.rs)"
        );
        Diagnostic {
            severity,
            rule,
            path: path.into(),
            span: None,
            line: None,
            column: None,
            cell: None,
            message_zh: zh.into(),
            message_en: en.into(),
            involved: Vec::new(),
            hint: None,
        }
    }

    pub fn with_span(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_cell(mut self, cell: impl Into<String>) -> Self {
        self.cell = Some(cell.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_involved(mut self, what: impl Into<String>, value: impl ToString) -> Self {
        self.involved.push(Involved { what: what.into(), value: value.to_string() });
        self
    }

    /// A copy whose quoted text (messages, path, hint, numbers) has every unprintable
    /// character escaped ([`escape_terminal`]).
    pub fn escaped(&self) -> Diagnostic {
        let e = |s: &str| escape_terminal(s).into_owned();
        Diagnostic {
            path: e(&self.path),
            message_zh: e(&self.message_zh),
            message_en: e(&self.message_en),
            involved: self.involved.iter().map(|i| Involved { what: e(&i.what), value: e(&i.value) }).collect(),
            hint: self.hint.as_deref().map(e),
            ..self.clone()
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One-line form `rule: 中文 / English (path)`, for logs and summaries.
    pub fn one_line(&self) -> String {
        let mut s = format!(
            "{}[{}]: {} / {}",
            self.severity,
            self.rule,
            escape_terminal(&self.message_zh),
            escape_terminal(&self.message_en)
        );
        if !self.path.is_empty() {
            s.push_str(&format!(" ({})", escape_terminal(&self.path)));
        }
        if let Some(cell) = &self.cell {
            s.push_str(&format!(" at {cell}"));
        } else if let (Some(l), Some(c)) = (self.line, self.column) {
            s.push_str(&format!(" at {l}:{c}"));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.one_line())
    }
}

/// Where each JSON path of a report stands in its source text (value spans, keys included for
/// object members). Filled by the decoder, read when diagnostics are located.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    spans: HashMap<String, Range<usize>>,
    /// For a report read from a workbook: the cell of each path (`表三!D12`).
    cells: Option<HashMap<String, String>>,
}

impl SpanMap {
    /// Locate paths by workbook cell from now on (the spans point into JSON text that was
    /// derived from the workbook, which the user never sees).
    pub fn set_cells(&mut self, cells: HashMap<String, String>) {
        self.cells = Some(cells);
    }

    /// The cell of `path` or of its nearest ancestor, for a report read from a workbook.
    pub fn find_cell(&self, path: &str) -> Option<String> {
        let cells = self.cells.as_ref()?;
        let mut p = path;
        loop {
            if let Some(c) = cells.get(p) {
                return Some(c.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    pub fn is_workbook(&self) -> bool {
        self.cells.is_some()
    }

    pub fn insert(&mut self, path: &str, span: Range<usize>) {
        self.spans.entry(path.to_string()).or_insert(span);
    }

    /// The span of `path`, or of its nearest ancestor that has one (an omitted row is reported
    /// at the object that should have held it).
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
            if p.is_empty() {
                return self.spans.get("").cloned();
            }
        }
    }
}

/// Converts byte offsets to 1-based line and column (columns count characters, not bytes).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// All findings about one input, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Attach spans (from the path, when the diagnostic has none) and line:column.
    pub fn locate(&mut self, spans: &SpanMap, text: &str) {
        let index = LineIndex::new(text);
        for d in &mut self.0 {
            if spans.is_workbook() {
                if d.cell.is_none() {
                    d.cell = spans.find_cell(&d.path);
                }
                d.span = None;
                d.line = None;
                d.column = None;
                continue;
            }
            if d.span.is_none() {
                d.span = spans.find(&d.path);
            }
            if let Some(span) = &d.span {
                let (l, c) = index.line_col(span.start);
                d.line = Some(l);
                d.column = Some(c);
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Join a JSON path with a key.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Join a JSON path with an array index.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Output forms of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Longest stretch of a source line shown in a snippet; a 50 MB paragraph on one line is cut
/// around the caret instead of being printed whole.
const SNIPPET_CHARS: usize = 80;

/// Human form of one diagnostic: rule and messages, `file:line:column`, the JSON path, the
/// source line with a caret, the numbers involved and the hint.
pub fn render_human(d: &Diagnostic, file: &str, text: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let file = &*escape_terminal(file);
    let mut out = format!("{}[{}]: {}\n", d.severity, d.rule, escape_terminal(&d.message_zh));
    out.push_str(&format!("  = {}\n", escape_terminal(&d.message_en)));
    let location = match (&d.cell, d.line, d.column) {
        (Some(cell), ..) => format!("{file} {cell}"),
        (None, Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        _ => file.to_string(),
    };
    if d.path.is_empty() {
        out.push_str(&format!("  --> {location}\n"));
    } else {
        out.push_str(&format!("  --> {location}  ({})\n", escape_terminal(&d.path)));
    }
    if let (Some(span), Some(line_no)) = (&d.span, d.line) {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
        // Only the characters that can be shown are read, so a 50 MB line costs no more than a
        // short one.
        let mut before: Vec<char> = text[line_start..start].chars().rev().take(SNIPPET_CHARS / 2 + 1).collect();
        before.reverse();
        let after: Vec<char> = text[start..line_end].trim_end_matches('\r').chars().take(SNIPPET_CHARS + 1).collect();
        let keep_before = before.len().min(SNIPPET_CHARS / 2);
        let keep_after = after.len().min(SNIPPET_CHARS - keep_before);
        // Unprintable characters of the snippet are shown escaped (a tab as a space), and the
        // caret is placed by the width of what is shown.
        let shown_char = |c: &char| -> String {
            match *c {
                '\t' => " ".to_string(),
                c if is_unprintable(c) => format!("<{}>", escape_char(c)),
                c => c.to_string(),
            }
        };
        let head: String = before[before.len() - keep_before..].iter().map(shown_char).collect();
        let tail: String = after[..keep_after].iter().map(shown_char).collect();
        let cut_left = keep_before < before.len();
        let cut_right = keep_after < after.len();
        let shown = format!("{}{}{}{}", if cut_left { "…" } else { "" }, head, tail, if cut_right { "…" } else { "" });
        let caret_at = (if cut_left { 1 } else { 0 }) + UnicodeWidthStr::width(head.as_str());
        let span_len = text
            .get(start..span.end.min(line_end))
            .map(|s| s.chars().take(40).map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)).sum::<usize>())
            .unwrap_or(1)
            .clamp(1, 40);
        let gutter = line_no.to_string().len();
        out.push_str(&format!("{:gutter$} |\n", ""));
        out.push_str(&format!("{line_no} | {}\n", shown.trim_end_matches('\r')));
        out.push_str(&format!("{:gutter$} | {}{}\n", "", " ".repeat(caret_at), "^".repeat(span_len)));
    }
    if !d.involved.is_empty() {
        let parts: Vec<String> = d
            .involved
            .iter()
            .map(|i| format!("{} = {}", escape_terminal(&i.what), escape_terminal(&i.value)))
            .collect();
        out.push_str(&format!("  = 涉及数字 / numbers: {}\n", parts.join(", ")));
    }
    if let Some(h) = &d.hint {
        out.push_str(&format!("  = 提示 / hint: {}\n", escape_terminal(h)));
    }
    out
}

/// Machine-readable form of the findings about one file (`--message-format json`).
///
/// Quoted text is escaped as in the human form: JSON escapes C0 controls itself, but C1
/// controls and bidi overrides would otherwise reach a terminal raw.
pub fn to_json(file: &str, diags: &Diagnostics) -> serde_json::Value {
    let escaped: Vec<Diagnostic> = diags.iter().map(Diagnostic::escaped).collect();
    serde_json::json!({
        "file": escape_terminal(file),
        "errors": diags.errors(),
        "warnings": diags.warnings(),
        "diagnostics": escaped,
    })
}
