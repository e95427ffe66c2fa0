//! Proofreading lints: what a reader or an evaluator notices in the text before it is signed.
//!
//! [`figures`] compares the figures the narrative quotes (受理申请12件, 行政复议7件, 收取行政事业性
//! 收费12.5万元) with the tables (official-format §3.3); [`text`] finds careless writing
//! (repeated words, half-width punctuation, unbalanced brackets, padded dates, empty sections,
//! self-numbered titles, sentences copied from last year's report). Every finding is a warning,
//! the same [`Diagnostic`] as the 勾稽 rules, at the exact characters of the JSON string
//! ([`source`] maps decoded characters back through escapes). [`LintConfig`] switches rules off;
//! [`fix`] rewrites the safe findings into a new file.
//!
//! The lints run inside [`crate::inspect::check_bytes`], so `check`, `build` and batch runs all
//! show them.

pub mod config;
pub mod figures;
pub mod fix;
pub mod source;
pub mod text;

use std::ops::Range;

pub use config::LintConfig;

use crate::diag::{Diagnostic, Diagnostics, SpanMap};
use crate::model::Report;
use crate::rules::{Level, Rule, Stage};
use source::Located;

/// The lint rules of the registry: the warnings `lint.toml` and `--allow` switch on and off.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    crate::rules::of_stage(Stage::Lint).filter(|r| r.level == Level::Warning)
}

/// The lint rule id nearest to a misspelt one.
pub fn closest_rule(name: &str) -> Option<&'static str> {
    crate::rules::closest(name, rules())
}

/// A safe rewrite: replace the source bytes `range` by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub rule: &'static str,
    pub range: Range<usize>,
    pub replacement: String,
}

/// What the lints found: warnings, and the rewrites `--fix` may apply.
#[derive(Debug, Default)]
pub struct Findings {
    pub diagnostics: Diagnostics,
    pub edits: Vec<Edit>,
}

/// Everything a lint may read.
pub struct Input<'a> {
    pub report: &'a Report,
    /// Last year's report (`--previous`), for `copied-sentence`.
    pub previous: Option<&'a Report>,
    /// The decoded JSON text (BOM removed) and the decoder's span map.
    pub source: &'a str,
    pub spans: &'a SpanMap,
    /// Paths the decoder refused (a negative count, a short row): figures are not compared with
    /// a table that holds such a value, since it was replaced by 0.
    pub broken: &'a [&'a str],
}

/// Run every enabled lint.
pub fn run(input: &Input, cfg: &LintConfig) -> Findings {
    let units: Vec<Located> =
        source::units(input.report).into_iter().map(|u| Located::new(u, input.source, input.spans)).collect();
    let mut out = Findings::default();
    if cfg.is_on("narrative-figure") {
        figures::check(input, &units, &mut out);
    }
    text::check(input.report, input.previous, &units, cfg, &mut out);
    out
}

/// Most findings of one rule listed for one text; a text typed with half-width commas
/// throughout gets this many and a count of the rest (`--fix` still rewrites them all). The
/// bound also keeps a pathological 50 MB paragraph from turning into millions of diagnostics.
const MAX_PER_TEXT: usize = 20;

/// Counts the findings of one rule in one text and lets the first [`MAX_PER_TEXT`] be listed.
pub(crate) struct Tally {
    rule: &'static str,
    n: usize,
}

impl Tally {
    pub(crate) fn new(rule: &'static str) -> Tally {
        Tally { rule, n: 0 }
    }

    /// Count one more finding; whether it is listed.
    pub(crate) fn next(&mut self) -> bool {
        self.n += 1;
        self.n <= MAX_PER_TEXT
    }

    /// Add the count of the findings not listed.
    pub(crate) fn finish(self, path: &str, out: &mut Findings) {
        if self.n > MAX_PER_TEXT {
            let more = self.n - MAX_PER_TEXT;
            out.diagnostics.push(Diagnostic::warning(
                self.rule,
                path,
                format!("此处另有 {more} 处同类问题未逐一列出（共 {} 处）", self.n),
                format!("{more} more findings of this kind here are not listed ({} in all)", self.n),
            ));
        }
    }
}

/// A warning at characters `range` of a text unit: the span is the exact bytes in the JSON
/// string, and the character offset is among the numbers involved.
pub(crate) fn finding(
    rule: &'static str,
    u: &Located,
    range: Range<usize>,
    zh: impl Into<String>,
    en: impl Into<String>,
) -> Diagnostic {
    let mut d = Diagnostic::warning(rule, &u.unit.path, zh, en).with_involved("字符位置 / char offset", range.start);
    if let Some(span) = u.span(range) {
        d = d.with_span(span);
    }
    d
}

/// Longest quotation of a sentence in a message; longer ones are cut around the finding.
const QUOTE_CHARS: usize = 60;

/// The sentence around characters `range`, cut to a readable length around them.
pub(crate) fn sentence_at(c: &[char], range: Range<usize>) -> String {
    let stop = |ch: char| matches!(ch, '。' | '！' | '？' | '；' | '\n');
    // Only a bounded stretch is searched, so a paragraph without full stops costs no more.
    let from = range.start.min(c.len());
    let to = range.end.min(c.len());
    let lo = from.saturating_sub(QUOTE_CHARS);
    let hi = (to + QUOTE_CHARS).min(c.len());
    let start = (lo..from).rev().find(|&k| stop(c[k])).map(|k| k + 1).unwrap_or(lo);
    let end = (to..hi).find(|&k| stop(c[k])).map(|k| k + 1).unwrap_or(hi);
    let (mut a, mut b) = (start, end);
    if b - a > QUOTE_CHARS {
        a = a.max(range.start.saturating_sub(QUOTE_CHARS / 2));
        b = b.min(a + QUOTE_CHARS).max(range.end.min(c.len()));
    }
    let mut s: String = c[a..b].iter().collect::<String>().trim().to_string();
    if a > start || (start == lo && lo > 0 && !stop(c[lo - 1])) {
        s.insert(0, '…');
    }
    if b < end || (end == hi && hi < c.len()) {
        s.push('…');
    }
    s
}
