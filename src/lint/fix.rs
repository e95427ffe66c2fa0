//! `check --fix`: the safe rewrites (half-width punctuation between Chinese characters, padded
//! dates) applied to the JSON text at their exact byte ranges, so the rest of the file keeps its
//! formatting, and a unified diff of the changed lines. The input is never written: the caller
//! writes the result to a new file atomically.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Edit, Input, LintConfig};
use crate::diag::Diagnostic;

/// A report's text with the safe rewrites applied.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The new file, byte for byte (a BOM the input had is kept).
    pub bytes: Vec<u8>,
    /// The rewrites applied, in file order.
    pub edits: Vec<Edit>,
}

/// The safe rewrites of a report (`input.source` is its text), applied. `None` when there is
/// nothing to rewrite. `had_bom` keeps a UTF-8 BOM the input file began with.
pub fn fix(input: &Input, cfg: &LintConfig, had_bom: bool) -> Result<Option<Fixed>, Diagnostic> {
    let mut edits = super::run(input, cfg).edits;
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    // Overlapping rewrites cannot both apply; keep the first.
    let mut kept: Vec<Edit> = Vec::new();
    for e in edits {
        if kept.last().is_none_or(|k| k.range.end <= e.range.start) {
            kept.push(e);
        }
    }
    if kept.is_empty() {
        return Ok(None);
    }
    let text = apply(input.source, &kept);
    // The rewrites only touch characters inside string literals; the result must decode as
    // well as the input did, or nothing is written.
    let before = crate::model::decode(input.source).diagnostics.errors();
    let after = crate::model::decode(&text);
    if after.report.is_none() || after.diagnostics.errors() > before {
        return Err(Diagnostic::error(
            "fix",
            "",
            "自动改正后的文件无法通过解析，未写入任何文件",
            "the rewritten file would not decode; nothing was written",
        ));
    }
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if had_bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    Ok(Some(Fixed { bytes, edits: kept }))
}

/// Apply non-overlapping edits sorted by position.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Unified diff (no context lines) of two texts with the same line structure, as `--fix`
/// produces: rewrites never add or remove a line break. Falls back to a whole-file hunk when
/// the line counts differ.
pub fn diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let a: Vec<&str> = old.split('\n').collect();
    let b: Vec<&str> = new.split('\n').collect();
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    if a.len() != b.len() {
        out.push_str(&format!("@@ -1,{} +1,{} @@\n", a.len(), b.len()));
        a.iter().for_each(|l| out.push_str(&format!("-{l}\n")));
        b.iter().for_each(|l| out.push_str(&format!("+{l}\n")));
        return out;
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    let mut hunks: Vec<Range<usize>> = Vec::new();
    for i in changed {
        match hunks.last_mut() {
            Some(h) if h.end == i => h.end = i + 1,
            _ => hunks.push(i..i + 1),
        }
    }
    for h in hunks {
        let count = h.len();
        let start = h.start + 1;
        let head = if count == 1 { format!("{start}") } else { format!("{start},{count}") };
        out.push_str(&format!("@@ -{head} +{head} @@\n"));
        for i in h.clone() {
            out.push_str(&format!("-{}\n", a[i].trim_end_matches('\r')));
        }
        for i in h {
            out.push_str(&format!("+{}\n", b[i].trim_end_matches('\r')));
        }
    }
    out
}

/// What `--fix` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub output: PathBuf,
    pub edits: usize,
    /// Unified diff of the input against the output.
    pub diff: String,
}

/// `check --fix` for one file: apply the safe rewrites of `report` (the lint input of `bytes`,
/// read from `path`) and write them to `output` (default [`default_output`]) atomically. The
/// input itself is never written: an output that names the input file is refused. `Ok(None)`
/// when there is nothing to rewrite (nothing is written then).
pub fn fix_file(
    path: &Path,
    bytes: &[u8],
    report: &Input,
    cfg: &LintConfig,
    output: Option<&Path>,
) -> Result<Option<Written>, Diagnostic> {
    let input = path;
    let output = output.map(Path::to_path_buf).unwrap_or_else(|| default_output(input));
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(&output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    };
    if same {
        return Err(Diagnostic::error(
            "fix",
            "",
            format!("--fix 不会改写输入文件 {}，请用 --fix-output 指定另一个文件", input.display()),
            format!("--fix never rewrites the input {}; name another file with --fix-output", input.display()),
        ));
    }
    let had_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let Some(fixed) = fix(report, cfg, had_bom)? else { return Ok(None) };
    crate::output::write_atomic(&output, &fixed.bytes)?;
    let new_text = String::from_utf8_lossy(&fixed.bytes);
    let new_text = new_text.strip_prefix('\u{feff}').unwrap_or(&new_text);
    let diff = diff(report.source, new_text, &input.display().to_string(), &output.display().to_string());
    Ok(Some(Written { output, edits: fixed.edits.len(), diff }))
}

/// Where `--fix` writes when no `--fix-output` is given: `report.json` → `report.fixed.json`.
pub fn default_output(input: &Path) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    input.with_file_name(format!("{stem}.fixed.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_only_changed_lines() {
        let d = diff("a\nb,c\nd\ne;f\ng", "a\nb，c\nd\ne；f\ng", "x.json", "x.fixed.json");
        assert_eq!(d, "--- x.json\n+++ x.fixed.json\n@@ -2 +2 @@\n-b,c\n+b，c\n@@ -4 +4 @@\n-e;f\n+e；f\n");
    }

    #[test]
    fn edits_apply_in_place() {
        let e = |r: Range<usize>, s: &str| Edit { rule: "halfwidth-punct", range: r, replacement: s.into() };
        assert_eq!(apply("ab,cd;e", &[e(2..3, "，"), e(5..6, "；")]), "ab，cd；e");
    }

    #[test]
    fn default_output_sits_beside_the_input() {
        assert_eq!(default_output(std::path::Path::new("dir/r.json")), std::path::PathBuf::from("dir/r.fixed.json"));
    }
}
