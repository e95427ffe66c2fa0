//! One report read and checked: decoding (JSON or a workbook), the consistency rules of
//! [`crate::check`] and the proofreading lints of [`crate::lint`], with every finding located
//! and all of them returned together. The orchestration lives here so that neither the rules
//! nor the lints depend on each other: `check` knows only the model, `lint` only the model and
//! its source text.

use crate::diag::Diagnostics;
use crate::lint::{self, LintConfig};
use crate::model::Report;

/// A report read and checked: what the decoder built, the text (for snippets) and every
/// finding of decoding and of the rules, located.
pub struct Checked {
    pub report: Option<Report>,
    pub text: String,
    pub spans: crate::diag::SpanMap,
    pub diagnostics: Diagnostics,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// What the lints (and `check --fix`) read of this report, `None` when nothing decoded.
    pub fn lint_input<'a>(&'a self, previous: Option<&'a Report>) -> Option<lint::Input<'a>> {
        let report = self.report.as_ref()?;
        Some(lint::Input { report, previous, source: &self.text, spans: &self.spans, broken: &[] })
    }
}

/// Decode `bytes` and run every rule on what could be decoded, so that all problems of a
/// report are reported together (a wrong type elsewhere does not hide an unbalanced table).
pub fn check_bytes(bytes: &[u8], previous: Option<&Report>) -> Checked {
    check_bytes_with(bytes, previous, &LintConfig::default())
}

/// [`check_bytes`] with the proofreading lints ([`crate::lint`]) chosen by `lints`.
pub fn check_bytes_with(bytes: &[u8], previous: Option<&Report>, lints: &LintConfig) -> Checked {
    // JSON text or a workbook (`.xlsx`, `.ods`), told apart by the bytes.
    let decoded = crate::workbook::decode_input(bytes);
    let mut diagnostics = decoded.diagnostics;
    if let Some(report) = &decoded.report {
        let mut found = crate::check::check(report, previous);
        // The decoder replaces a value it refused (a negative count, a 5-cell row, a misspelt
        // row key) by 0; sums over it would quote numbers the input never held. Findings about a
        // table (or a table 四 group, a table 二 row) that holds such a value wait until it is
        // fixed.
        let broken: Vec<&str> = diagnostics.iter().filter(|d| d.is_error()).map(|d| d.path.as_str()).collect();
        found.0.retain(|f| !broken.iter().any(|b| overlaps(b, scope(&f.path))));
        let input = lint::Input { report, previous, source: &decoded.text, spans: &decoded.spans, broken: &broken };
        found.extend(lint::run(&input, lints).diagnostics);
        found.locate(&decoded.spans, &decoded.text);
        diagnostics.extend(found);
    }
    Checked { report: decoded.report, text: decoded.text, spans: decoded.spans, diagnostics }
}

/// The part of a report whose numbers a finding at `path` depends on: all of table 三, one group
/// of table 四, one row of table 二, or the path itself.
fn scope(path: &str) -> &str {
    if path.starts_with("applications") {
        return "applications";
    }
    if path.starts_with("review_litigation.") || path.starts_with("active_disclosure.") {
        let second = path.match_indices(['.', '[']).nth(1).map(|(i, _)| i);
        return second.map_or(path, |i| &path[..i]);
    }
    path
}

/// Whether one path lies within the other (`a.b` and `a.b[3]`, `a` and `a.b`), on segment
/// boundaries (`review` does not contain `reviewer`).
fn overlaps(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    !a.is_empty() && !b.is_empty() && (within(a, b) || within(b, a))
}
