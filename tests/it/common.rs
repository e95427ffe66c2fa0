//! Helpers shared by the integration tests: samples, exact text edits that keep line numbers,
//! and lookups in diagnostics.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::diag::{Diagnostic, Severity};
use nianbao::inspect::{check_bytes, Checked};
use nianbao::model::Report;

pub const WENDENG: &str = "wendeng-emergency-2021.json";
pub const LANSHAN_2022: &str = "lanshan-market-2022.json";
pub const LANSHAN_2023: &str = "lanshan-market-2023.json";

pub fn sample_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples").join(name)
}

pub fn sample(name: &str) -> String {
    std::fs::read_to_string(sample_path(name)).expect("sample is readable")
}

/// `text` with the one occurrence of `from` replaced by `to` (fails when `from` is not unique,
/// so an edit never lands somewhere unintended).
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur exactly once");
    text.replacen(from, to, 1)
}

/// 1-based line of the one occurrence of `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` must occur exactly once");
    let at = text.find(needle).unwrap_or(0);
    text[..at].matches('\n').count() + 1
}

pub fn check(text: &str) -> Checked {
    check_bytes(text.as_bytes(), None)
}

pub fn check_with(text: &str, previous: &Report) -> Checked {
    check_bytes(text.as_bytes(), Some(previous))
}

pub fn report(text: &str) -> Report {
    let d = nianbao::model::decode(text);
    assert!(!d.diagnostics.has_errors(), "{:?}", d.diagnostics);
    d.report.expect("report decodes")
}

/// Whether `rule` is one of the proofreading lints (warnings about wording, which these tests
/// leave to the lint tests: the seed report really has a doubled word).
pub fn is_lint(rule: &str) -> bool {
    nianbao::lint::rules().any(|r| r.id == rule)
}

/// The diagnostics of decoding and of the consistency rules, without the proofreading lints.
pub fn core(c: &Checked) -> Vec<&Diagnostic> {
    c.diagnostics.iter().filter(|d| !is_lint(d.rule)).collect()
}

pub fn rules(c: &Checked) -> Vec<&'static str> {
    core(c).iter().map(|d| d.rule).collect()
}

/// The only diagnostic with `rule` (fails when there are none or several).
pub fn only<'a>(c: &'a Checked, rule: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.rule == rule).collect();
    assert_eq!(found.len(), 1, "expected one `{rule}`, got {:#?}", c.diagnostics);
    found[0]
}

/// The diagnostic of `rule`, which must be the only rule found (proofreading lints aside).
pub fn sole<'a>(c: &'a Checked, rule: &str) -> &'a Diagnostic {
    assert_eq!(rules(c), [rule], "{:#?}", c.diagnostics);
    only(c, rule)
}

pub fn at<'a>(c: &'a Checked, rule: &str, path: &str) -> &'a Diagnostic {
    c.diagnostics
        .iter()
        .find(|d| d.rule == rule && d.path == path)
        .unwrap_or_else(|| panic!("no `{rule}` at `{path}` in {:#?}", c.diagnostics))
}

/// The value of the involved number named `what`.
pub fn involved<'a>(d: &'a Diagnostic, what: &str) -> &'a str {
    d.involved
        .iter()
        .find(|i| i.what == what)
        .map(|i| i.value.as_str())
        .unwrap_or_else(|| panic!("`{what}` not among the numbers of {d:#?}"))
}

pub fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What every diagnostic must carry: a rule, a Chinese and an English message, a position when
/// it has a span; and rendering it must not fail.
pub fn assert_well_formed(c: &Checked) {
    for d in c.diagnostics.iter() {
        assert!(!d.rule.is_empty());
        assert!(has_cjk(&d.message_zh), "Chinese message expected: {d:#?}");
        assert!(!d.message_en.trim().is_empty(), "English message expected: {d:#?}");
        if d.span.is_some() {
            assert!(d.line.is_some() && d.column.is_some(), "span without line:column: {d:#?}");
        }
        let shown = nianbao::diag::render_human(d, "in.json", &c.text);
        assert!(shown.contains(d.rule));
    }
}

/// Whether an external tool (pdftotext, soffice, …) is installed. Without it the caller skips
/// what needs it, with a note; with NIANBAO_REQUIRE_TOOLS=1 (CI) a missing tool fails the test.
pub fn tool(name: &str) -> bool {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().is_ok_and(|o| o.status.success());
    if !found {
        missing(name);
    }
    found
}

/// LibreOffice and a Python that has its UNO bridge (the workbook edits, the DOCX renders).
pub fn uno_python() -> Option<&'static str> {
    if !tool("soffice") {
        return None;
    }
    let found = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| Command::new(p).args(["-c", "import uno"]).output().is_ok_and(|o| o.status.success()));
    if found.is_none() {
        missing("python3 with the UNO bridge (python3-uno)");
    }
    found
}

/// What a test needs and the machine lacks (a command, a Python module, an npm package): a
/// failure under `NIANBAO_REQUIRE_TOOLS=1`, else a note and a recorded skip. The one place
/// every tool-gated test reports a skip.
pub fn missing(what: &str) {
    record_skip(what);
    assert!(
        std::env::var("NIANBAO_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "{what} is required (NIANBAO_REQUIRE_TOOLS=1)"
    );
    eprintln!("note: {what} not found; that part of the test is skipped");
}

/// A test part skipped for a missing tool is a line `test<TAB>tool` in the file that
/// `NIANBAO_SKIP_LOG` names, so `.ci/run` can count and print the skips (libtest only knows
/// passed, failed and ignored). One `write` per line with `O_APPEND`, so parallel tests never
/// interleave inside a line.
fn record_skip(tool: &str) {
    let test = std::thread::current().name().unwrap_or("?").to_string();
    append_line("NIANBAO_SKIP_LOG", &format!("{test}\t{tool}"));
}

/// A measured figure of the suite (the layout audit, PDF ≡ DOCX parity): printed, and a line in
/// the file that `NIANBAO_FIGURES_LOG` names, which `.ci/run` prints after the test summary
/// (libtest shows a passing test's output only with `--nocapture`).
pub fn figure(line: &str) {
    println!("{line}");
    append_line("NIANBAO_FIGURES_LOG", line);
}

/// Append `line` to the file the environment variable `var` names, if it is set.
fn append_line(var: &str, line: &str) {
    let Some(path) = std::env::var_os(var) else { return };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes()));
    if let Err(e) = written {
        eprintln!("note: could not write to {}: {e}", std::path::Path::new(&path).display());
    }
}

pub fn errors(c: &Checked) -> Vec<&Diagnostic> {
    c.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect()
}

/// Every paragraph and heading of the narrative as printed (the standard preamble when the
/// input has none).
pub fn printed_text(r: &Report) -> Vec<String> {
    let d = nianbao::resolve::resolve(r, None);
    let mut out = d.preamble.clone();
    for s in &d.sections {
        out.push(s.heading.clone());
        out.extend(s.paragraphs.iter().cloned());
        for sub in &s.subsections {
            out.push(sub.heading.clone());
            out.extend(sub.paragraphs.iter().cloned());
        }
    }
    out.push(d.signature.agency.clone());
    out.push(d.signature.date_text.clone());
    out
}

/// Every file below `dir` (recursively), by its path relative to `dir`, with its bytes.
pub fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The engine with the bundled fonts only (reproducible layouts), built once for the tests.
pub fn bundled_engine() -> &'static nianbao::build::Engine {
    static ENGINE: std::sync::OnceLock<nianbao::build::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        nianbao::build::Engine::from_options(&nianbao::build::EngineOptions {
            fonts: nianbao::fonts::FontOptions { font_paths: vec![], policy: nianbao::fonts::FontPolicy::Bundled },
            ..Default::default()
        })
        .expect("engine with the bundled fonts")
    })
}
