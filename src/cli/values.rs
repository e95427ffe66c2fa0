//! The typed values of the command line: output formats (`--format`), PDF standards
//! (`--pdf-standard`), shards (`--shard`), batch name patterns (`--name`) and lint rule ids
//! (`--allow`). Each is parsed by clap, so a bad value is clap's usage error (exit 2) naming the
//! flag, carrying the library's own message; no subcommand parses these by hand.

use nianbao::batch::{NamePattern, Shard};
use nianbao::build::OutputKind;
use nianbao::diag::Diagnostic;
use nianbao::lint::LintConfig;
use typst_pdf::PdfStandard;

/// One output kind of `--format` (`build`, `batch`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Format {
    /// PDF（GB/T 9704 版式）/ the print-ready PDF
    Pdf,
    /// Word 文档 / the DOCX
    Docx,
    /// OFD（GB/T 33190），与 PDF 同一版面 / OFD, from the PDF's layout
    Ofd,
    /// 网站发布用的网页 / the portal page
    Html,
}

impl From<Format> for OutputKind {
    fn from(f: Format) -> OutputKind {
        match f {
            Format::Pdf => OutputKind::Pdf,
            Format::Docx => OutputKind::Docx,
            Format::Ofd => OutputKind::Ofd,
            Format::Html => OutputKind::Html,
        }
    }
}

/// The kinds of `--format pdf,docx,…` in the order given, each once (a repeated kind writes
/// one file, and the manifest lists it once).
pub fn output_kinds(formats: &[Format]) -> Vec<OutputKind> {
    let mut out: Vec<OutputKind> = Vec::new();
    for k in formats.iter().map(|&f| OutputKind::from(f)) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// `--pdf-standard a-2b[,ua-1]`: the standards, and the value as given (lowercased), which the
/// batch manifest records.
#[derive(Clone, Debug)]
pub struct PdfStandards {
    pub text: String,
    pub standards: Vec<PdfStandard>,
}

/// Parse `--pdf-standard`: the spellings and messages of [`nianbao::render::pdf::parse_standards`].
pub fn pdf_standards(text: &str) -> Result<PdfStandards, String> {
    let standards = nianbao::render::pdf::parse_standards(text).map_err(|d| message(&d))?;
    Ok(PdfStandards { text: text.to_lowercase(), standards })
}

/// Parse `--shard I/N` ([`Shard::parse`]).
pub fn shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text).map_err(|d| message(&d))
}

/// `--name PATTERN`: the pattern, and the value as given, which the batch manifest records.
#[derive(Clone, Debug)]
pub struct Names {
    pub text: String,
    pub pattern: NamePattern,
}

/// Parse `--name` ([`NamePattern::parse`]).
pub fn names(text: &str) -> Result<Names, String> {
    let pattern = NamePattern::parse(text).map_err(|d| message(&d))?;
    Ok(Names { text: text.to_string(), pattern })
}

/// A proofreading lint of the registry (`src/rules.rs`), as `--allow` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LintRule(pub &'static str);

/// Parse one `--allow` id: a lint of the registry. Anything else is refused with the lint
/// configuration's own message: the nearest lint id for a misspelt one, what lets a consistency
/// rule through for one of those.
pub fn lint_rule(text: &str) -> Result<LintRule, String> {
    let id = text.trim();
    LintConfig::default().set(id, false).map_err(|d| message(&d))?;
    nianbao::lint::rules()
        .find(|r| r.id == id)
        .map(|r| LintRule(r.id))
        .ok_or_else(|| format!("未知的检查规则 \"{id}\"\n  = unknown lint rule `{id}`"))
}

/// The ids of `--allow`, as the lint configuration takes them.
pub fn lint_ids(rules: &[LintRule]) -> Vec<String> {
    rules.iter().map(|r| r.0.to_string()).collect()
}

/// A library diagnostic as the text of clap's "invalid value" error: Chinese, then English
/// and the hint on lines of their own, as a diagnostic prints them.
fn message(d: &Diagnostic) -> String {
    let mut out = format!("{}\n  = {}", d.message_zh, d.message_en);
    if let Some(h) = &d.hint {
        out.push_str(&format!("\n  = 提示 / hint: {h}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_the_library_does() {
        assert_eq!(output_kinds(&[Format::Pdf, Format::Ofd, Format::Pdf]), [OutputKind::Pdf, OutputKind::Ofd]);
        assert_eq!(pdf_standards("A-2b").map(|s| s.text).as_deref(), Ok("a-2b"));
        assert!(pdf_standards("a-9z").is_err_and(|e| e.contains("a-9z") && e.contains("accepted")));
        assert!(pdf_standards("a-2b,a-3b").is_err());
        assert_eq!(shard("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert!(shard("0/3").is_err_and(|e| e.contains("I/N")));
        assert!(names("{year}/{id}").is_ok());
        assert!(names("fixed").is_err_and(|e| e.contains("placeholder")));
        assert_eq!(lint_rule(" repeated-text"), Ok(LintRule("repeated-text")));
        assert!(lint_rule("repeted-text").is_err_and(|e| e.contains("did you mean repeated-text")));
        assert!(lint_rule("table3-balance").is_err_and(|e| e.contains("--allow-inconsistent")));
    }
}
