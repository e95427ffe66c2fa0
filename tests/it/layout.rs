//! Print fidelity, measured on real outputs: the layout audit (`pdftotext -bbox` over both
//! samples, the fixtures and at least 200 generated reports of varied length, sealed and
//! unsealed, short and very long agency names), the signature for 署名 of 4–20 characters in
//! both outputs, text too wide for its line, and PDF ≡ DOCX parity through LibreOffice.
//!
//! Every report is built in this process through one `Engine` (bundled fonts, so the numbers
//! hold on every machine); poppler reads the PDFs, LibreOffice renders the DOCX files in one
//! invocation. The audit's rules:
//! - every body line (16 pt text in the type area) sits on the 22-line grid;
//! - every text page that is not the last ends on its 22nd line, unless the next page opens
//!   with a heading (kept with its text) or holds the signature block (kept with the last
//!   paragraph), or the page ends with a table;
//! - no line starts with closing punctuation or ends with opening punctuation;
//! - no paragraph's last line is a lone character;
//! - no heading is the last line of a page;
//! - page numbers 「— N —」 odd right, even left, one character in;
//! - the 署名 and date where GB/T 9704 §7.3.5 puts them (checked against the rule, not
//!   against `resolve`'s numbers).

use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::build::{build_report, BuildOptions, Engine, OutputKind};
use nianbao::resolve::Resolved;
use rayon::prelude::*;

use crate::common::tool;

const MM: f64 = 72.0 / 25.4;
const LEFT: f64 = 28.0 * MM;
const RIGHT_EDGE: f64 = (210.0 - 26.0) * MM;
const TOP: f64 = 37.0 * MM;
const BOTTOM_EDGE: f64 = (297.0 - 35.0) * MM;
const PITCH: f64 = 28.95;
const LINES: usize = 22;
/// One 字 on the 28-per-line grid.
const ZI: f64 = 156.0 * MM / 28.0;
const CLOSING: &str = "。，、；：？！）》”’」』】〕";
const OPENING: &str = "（《“‘「『【〔";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine() -> &'static Engine {
    crate::common::bundled_engine()
}

/// One report to audit: its name, JSON and folder (for a relative seal).
struct Case {
    name: String,
    json: Vec<u8>,
    dir: PathBuf,
}

/// A report built: the resolved form and both documents.
struct Built {
    name: String,
    doc: Resolved,
    pdf: Vec<u8>,
    docx: Vec<u8>,
    pages: usize,
}

fn build(cases: &[Case]) -> Vec<Built> {
    // The layout is under test here; a consistency finding of a contrived report is a warning.
    let options = BuildOptions {
        formats: vec![OutputKind::Pdf, OutputKind::Docx],
        allow_inconsistent: true,
        ..Default::default()
    };
    // Typst lays out deeply nested content: worker threads get a batch worker's stack.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).stack_size(64 << 20).build().expect("thread pool");
    pool.install(|| {
        cases
            .par_iter()
            .map(|c| {
                let o = build_report(engine(), &c.json, &c.name, Some(&c.dir), None, &options);
                assert!(o.succeeded(), "{}: {:?}", c.name, o.diagnostics);
                let of = |k: OutputKind| o.outputs.iter().find(|x| x.kind == k).expect("output");
                Built {
                    name: c.name.clone(),
                    doc: o.resolved.clone().expect("resolved"),
                    pdf: of(OutputKind::Pdf).data.clone(),
                    docx: of(OutputKind::Docx).data.clone(),
                    pages: of(OutputKind::Pdf).pages.unwrap_or(0),
                }
            })
            .collect()
    })
}

/// The two samples, the layout fixtures, and `n` generated reports (seed 2024) with every
/// fifth given a very long agency name and every seventh its seal toggled.
fn cases(dir: &Path, n: usize) -> Vec<Case> {
    let mut out = Vec::new();
    for name in [crate::common::WENDENG, crate::common::LANSHAN_2023] {
        let path = crate::common::sample_path(name);
        out.push(Case { name: name.into(), json: std::fs::read(&path).unwrap(), dir: path.parent().unwrap().into() });
    }
    let fixtures = root().join("tests/fixtures/layout");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        })
        .unwrap_or_default();
    names.sort();
    for path in names {
        out.push(Case {
            name: path.file_name().unwrap().to_string_lossy().into(),
            json: std::fs::read(&path).unwrap(),
            dir: fixtures.clone(),
        });
    }
    let set = nianbao::sample::generate(n, 2024);
    nianbao::sample::write(&set, dir).unwrap();
    let seal = set.assets.first().map(|a| dir.join(&a.path));
    for (i, r) in set.reports.iter().enumerate() {
        let mut report = r.report.clone();
        if i % 5 == 3 {
            report.agency = format!("{}经济技术开发区管理委员会综合执法局", report.agency);
        }
        if i % 7 == 5 {
            report.signature.seal = match (&report.signature.seal, &seal) {
                (Some(_), _) => None,
                (None, Some(s)) => Some(s.display().to_string()),
                (None, None) => None,
            };
        }
        let base = dir.join(&r.path).parent().unwrap().to_path_buf();
        out.push(Case {
            name: r.path.display().to_string(),
            json: nianbao::model::encode::to_string(&report).into_bytes(),
            dir: base,
        });
    }
    out
}

// ---- Reading the PDF --------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

impl Line {
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    fn is_body(&self) -> bool {
        (self.height() - 16.0).abs() < 0.5 && self.y0 >= TOP - 1.0 && self.y1 <= BOTTOM_EDGE + 1.0
    }

    fn is_table(&self) -> bool {
        self.height() < 13.0 && self.y1 <= BOTTOM_EDGE + 1.0
    }

    fn slot(&self) -> f64 {
        (self.y0 - TOP) / PITCH
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = tag[at..].find('"').unwrap();
    tag[at..at + end].parse().unwrap()
}

/// The words of each page, as pdftotext finds them.
fn words_of(pdf: &Path) -> Vec<Vec<Line>> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext");
    let html = String::from_utf8_lossy(&out.stdout);
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for chunk in page.split("<word ").skip(1) {
            let close = chunk.find('>').unwrap();
            let tag = &chunk[..close];
            let end = chunk.find("</word>").unwrap();
            let text = chunk[close + 1..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
                .replace('\u{200B}', "");
            words.push(Line {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text,
            });
        }
        pages.push(words);
    }
    pages
}

/// The lines of each page (words of equal top and bottom joined, left to right).
fn pages_of(pdf: &Path) -> Vec<Vec<Line>> {
    let mut pages = Vec::new();
    for mut words in words_of(pdf) {
        words.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
        let mut lines: Vec<Line> = Vec::new();
        for w in words {
            match lines.iter_mut().find(|l| (l.y0 - w.y0).abs() < 0.5 && (l.y1 - w.y1).abs() < 0.5) {
                Some(l) => {
                    l.x0 = l.x0.min(w.x0);
                    l.x1 = l.x1.max(w.x1);
                    l.text.push_str(&w.text);
                }
                None => lines.push(w),
            }
        }
        lines.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
        pages.push(lines);
    }
    pages
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

// ---- The audit ----------------------------------------------------------------------------

/// Every violation of the layout rules in one PDF, as readable lines.
fn audit(b: &Built, pages: &[Vec<Line>]) -> Vec<String> {
    let mut v = Vec::new();
    let doc = &b.doc;
    let headings: Vec<String> = doc
        .sections
        .iter()
        .flat_map(|s| std::iter::once(squash(&s.heading)).chain(s.subsections.iter().map(|x| squash(&x.heading))))
        .collect();
    let agency = squash(&doc.signature.agency);
    let date = squash(&doc.signature.date_text);
    let title: Vec<String> = doc.title_lines.iter().map(|l| squash(l)).collect();
    let n = pages.len();
    for (i, lines) in pages.iter().enumerate() {
        let pno = i + 1;
        let at = |what: &str| format!("{}: page {pno}: {what}", b.name);
        let body: Vec<&Line> =
            lines.iter().filter(|l| l.is_body() && !(pno == 1 && title.iter().any(|t| t.contains(&l.text)))).collect();
        for l in &body {
            let slot = l.slot();
            if (slot - slot.round()).abs() > 0.02 {
                v.push(at(&format!("line off the grid at slot {slot:.3}: {}", l.text)));
            }
            let hang = if l.text.ends_with(|c: char| CLOSING.contains(c)) { ZI / 2.0 } else { 0.0 };
            if l.x0 < LEFT - ZI / 2.0 - 0.5 || l.x1 > RIGHT_EDGE + hang + 0.5 {
                v.push(at(&format!("line outside the type area ({:.1}–{:.1}): {}", l.x0, l.x1, l.text)));
            }
            if l.text.starts_with(|c: char| CLOSING.contains(c)) {
                v.push(at(&format!("line starts with closing punctuation: {}", l.text)));
            }
            if l.text.ends_with(|c: char| OPENING.contains(c)) {
                v.push(at(&format!("line ends with opening punctuation: {}", l.text)));
            }
            let real = l.text.chars().filter(|c| !CLOSING.contains(*c) && !OPENING.contains(*c)).count();
            if real < 2 {
                v.push(at(&format!("a lone character on a line: {}", l.text)));
            }
        }
        for l in lines.iter().filter(|l| l.is_table()) {
            if l.x0 < LEFT - 0.5 || l.x1 > RIGHT_EDGE + 0.5 {
                v.push(at(&format!("table text outside the type area ({:.1}–{:.1}): {}", l.x0, l.x1, l.text)));
            }
        }
        // Page number.
        let footer: Vec<&Line> = lines.iter().filter(|l| l.y0 > BOTTOM_EDGE).collect();
        match footer.as_slice() {
            [f] => {
                if squash(&f.text) != format!("—{pno}—") {
                    v.push(at(&format!("page number reads {}", f.text)));
                }
                let ok = if pno % 2 == 1 {
                    (f.x1 - (RIGHT_EDGE - 14.0)).abs() < 0.6
                } else {
                    (f.x0 - (LEFT + 14.0)).abs() < 0.6
                };
                if !ok {
                    v.push(at(&format!("page number on the wrong side or not one character in: {f:?}")));
                }
            }
            _ => v.push(at(&format!("{} footer lines", footer.len()))),
        }
        // Where the page ends.
        let Some(last) = body.last() else { continue };
        let last_is_heading = headings.contains(&squash(&last.text));
        let last_overall = lines.iter().filter(|l| l.y1 <= BOTTOM_EDGE + 1.0).max_by(|a, b| a.y1.total_cmp(&b.y1));
        let ends_with_table = last_overall.is_some_and(|l| l.is_table());
        // A heading followed by its table on the same page is kept with what follows it.
        let table_below = lines.iter().any(|l| l.is_table() && l.y0 > last.y1 && l.y1 <= BOTTOM_EDGE + 1.0);
        if last_is_heading && !table_below && pno < n {
            v.push(at(&format!("heading last on the page: {}", last.text)));
        }
        if pno < n && !ends_with_table && (last.slot().round() as usize) < LINES - 1 {
            let next: Vec<&Line> = pages[i + 1].iter().filter(|l| l.is_body()).collect();
            let next_heading = next.first().is_some_and(|l| headings.contains(&squash(&l.text)));
            let next_signs = pages[i + 1].iter().any(|l| squash(&l.text) == agency && l.x0 > LEFT + ZI);
            if !next_heading && !next_signs {
                v.push(at(&format!("text page ends on line {} of {LINES}: {}", last.slot().round() + 1.0, last.text)));
            }
        }
    }
    // The signature, as GB/T 9704 §7.3.5 says, on the last page.
    let Some(lines) = pages.last() else {
        v.push(format!("{}: no pages", b.name));
        return v;
    };
    let name = signature_name(lines, &agency);
    let dl = lines.iter().rfind(|l| squash(&l.text) == date && l.is_body());
    match (&name, dl) {
        (Some(name), Some(d)) => v.extend(signature_rule(&b.name, name, d, doc.signature.seal.is_some())),
        _ => v.push(format!("{}: 署名 {agency} or date {date} not found on the last page", b.name)),
    }
    if let Some(Name { first: name, .. }) = &name {
        let above = lines.iter().filter(|l| l.is_body() && l.y0 < name.y0 - 1.0).max_by(|a, b| a.y0.total_cmp(&b.y0));
        let blank = if doc.signature.seal.is_some() { 2.0 } else { 1.0 };
        match above {
            Some(a) if ((name.y0 - a.y0) / PITCH - (blank + 1.0)).abs() < 0.05 => {}
            Some(a) => v.push(format!(
                "{}: {} lines between the text and the 署名, not {blank}",
                b.name,
                (name.y0 - a.y0) / PITCH - 1.0
            )),
            None => v.push(format!("{}: the signature is alone on its page", b.name)),
        }
    }
    v
}

/// The 署名 as printed: one line, or two when it is wider than the type area.
struct Name {
    first: Line,
    last: Line,
}

/// The last 署名 of a page: a line reading `agency`, or two consecutive lines that together
/// read it. (Any line: LibreOffice's line boxes are not 16 pt high.)
fn signature_name(lines: &[Line], agency: &str) -> Option<Name> {
    if let Some(l) = lines.iter().rfind(|l| squash(&l.text) == agency) {
        return Some(Name { first: l.clone(), last: l.clone() });
    }
    lines.windows(2).rev().find_map(|w| {
        // (LibreOffice writes positions to 0.1 pt.)
        let one_below = ((w[1].y0 - w[0].y0) - PITCH).abs() < 0.1;
        (one_below && squash(&w[0].text) + &squash(&w[1].text) == agency)
            .then(|| Name { first: w[0].clone(), last: w[1].clone() })
    })
}

/// The 署名 and date lines against GB/T 9704-2012 §7.3.5 (tolerance 1 mm). A 署名 wider than
/// the type area is printed as lines that start at one left edge; the widest of them is placed
/// as a one-line 署名 would be, with the date below the last. A 署名 with no room for its right
/// indent (wider than 26 字 unsealed) starts at the left edge of the type area.
fn signature_rule(what: &str, name: &Name, date: &Line, sealed: bool) -> Vec<String> {
    let mut v = Vec::new();
    let tol = 1.0 * MM;
    let ri = |l: &Line| (RIGHT_EDGE - l.x1) / ZI;
    if (name.first.x0 - name.last.x0).abs() > tol {
        v.push(format!("{what}: the lines of a 署名 do not start together: {:?} {:?}", name.first, name.last));
    }
    let name = &Line {
        x0: name.first.x0,
        x1: name.first.x1.max(name.last.x1),
        y0: name.last.y0,
        y1: name.last.y1,
        text: name.last.text.clone(),
    };
    if ((date.y0 - name.y0) - PITCH).abs() > 0.05 {
        v.push(format!("{what}: the date is not on the line below the 署名"));
    }
    if sealed {
        // 成文日期右空四字; 署名 centred on the date, or ending at the right edge when centring
        // would cross it.
        if (RIGHT_EDGE - date.x1 - 4.0 * ZI).abs() > tol {
            v.push(format!("{what}: sealed date right indent {:.2} 字, not 4", ri(date)));
        }
        let centred = ((name.x0 + name.x1) / 2.0 - (date.x0 + date.x1) / 2.0).abs() <= tol;
        let at_edge = (name.x1 - RIGHT_EDGE).abs() <= tol && name.x1 - name.x0 > date.x1 - date.x0 + 8.0 * ZI - tol;
        if !(centred || at_edge) {
            v.push(format!("{what}: sealed 署名 neither centred on the date nor at the edge: {name:?} {date:?}"));
        }
    } else {
        // 署名右空二字, the date's first character 2 字 right of the 署名's; a date that would
        // then come closer to the edge is 右空二字 and the 署名 moves left.
        let shifted = (date.x0 - name.x0 - 2.0 * ZI).abs() <= tol;
        let name_2 = (ri(name) - 2.0).abs() * ZI <= tol;
        let date_2 = (ri(date) - 2.0).abs() * ZI <= tol;
        let no_room = (name.x0 - LEFT).abs() <= tol && ri(name) < 2.0;
        if !shifted || !(name_2 && ri(date) >= 2.0 - tol / ZI || date_2 && ri(name) >= 2.0 - tol / ZI || no_room) {
            v.push(format!(
                "{what}: unsealed 署名 right {:.2} 字, date right {:.2} 字, shift {:.2} 字",
                ri(name),
                ri(date),
                (date.x0 - name.x0) / ZI
            ));
        }
    }
    v
}

fn write_all(dir: &Path, built: &[Built], ext: &str) -> Vec<PathBuf> {
    built
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let p = dir.join(format!("r{i:03}.{ext}"));
            std::fs::write(&p, if ext == "pdf" { &b.pdf } else { &b.docx }).unwrap();
            p
        })
        .collect()
}

fn generated_count() -> usize {
    std::env::var("NIANBAO_AUDIT_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

#[test]
fn layout_audit_over_samples_fixtures_and_generated_reports() {
    if !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = cases(&dir.path().join("in"), generated_count());
    let built = build(&cases);
    let out = dir.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();
    let paths = write_all(&out, &built, "pdf");
    let results: Vec<(usize, Vec<String>)> = built
        .par_iter()
        .zip(&paths)
        .map(|(b, p)| {
            let pages = pages_of(p);
            assert_eq!(pages.len(), b.pages, "{}", b.name);
            (pages.len(), audit(b, &pages))
        })
        .collect();
    let pages: usize = results.iter().map(|r| r.0).sum();
    let violations: Vec<&String> = results.iter().flat_map(|r| &r.1).collect();
    let sealed = built.iter().filter(|b| b.doc.signature.seal.is_some()).count();
    let longest = built.iter().map(|b| b.doc.agency.chars().count()).max().unwrap_or(0);
    crate::common::figure(&format!(
        "layout audit: {} reports ({sealed} sealed, agency names up to {longest} characters), {pages} pages, {} violations",
        built.len(),
        violations.len()
    ));
    assert!(built.len() >= 200 || generated_count() < 200);
    assert!(
        violations.is_empty(),
        "{} violations:\n{}",
        violations.len(),
        violations.iter().take(60).map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

// ---- PDF ≡ DOCX -------------------------------------------------------------------------

/// Convert DOCX files to PDF with one LibreOffice run, fonts restricted to the bundled ones
/// with the official names aliased (tests/fontconfig/fonts.conf, as the DOCX tests do).
fn libreoffice(dir: &Path, docx: &[PathBuf]) -> Vec<PathBuf> {
    let out_dir = dir.join("lo");
    // tests/fixtures/docx/lo_pdf.py: one LibreOffice process, and the DOCX's own "no CJK–Latin
    // autospace", which LibreOffice's import drops, applied before the PDF export.
    let python = crate::common::uno_python().expect("callers check uno_python()");
    let out = Command::new(python)
        .arg(root().join("tests/fixtures/docx/lo_pdf.py"))
        .arg(&out_dir)
        .args(docx)
        .env("FONTCONFIG_FILE", root().join("tests/fontconfig/fonts.conf"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("HOME", dir)
        .output()
        .expect("run lo_pdf.py");
    assert!(out.status.success(), "lo_pdf.py failed: {}", String::from_utf8_lossy(&out.stderr));
    docx.iter()
        .map(|d| {
            let pdf = out_dir.join(d.with_extension("pdf").file_name().unwrap());
            assert!(
                pdf.exists(),
                "LibreOffice did not convert {}: {}",
                d.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            pdf
        })
        .collect()
}

/// The first characters of the first body line of each page.
fn page_starts(pages: &[Vec<Line>]) -> Vec<String> {
    pages
        .iter()
        .map(|lines| {
            let first = lines.iter().find(|l| l.is_body() || (l.height() > 16.5 && l.y1 <= BOTTOM_EDGE));
            first.map(|l| squash(&l.text).chars().take(6).collect()).unwrap_or_default()
        })
        .collect()
}

/// x of the 署名 and date lines on the last page.
fn signature_x(pages: &[Vec<Line>], doc: &Resolved) -> Option<(f64, f64)> {
    let last = pages.last()?;
    let agency = squash(&doc.signature.agency);
    let date = squash(&doc.signature.date_text);
    // A 署名 wider than the type area is two lines; its first line gives the x.
    let name = signature_name(last, &agency)?;
    let d = last.iter().rfind(|l| squash(&l.text) == date)?;
    Some((name.first.x0, d.x0))
}

/// What the parity run measured.
#[derive(Default)]
struct Parity {
    reports: usize,
    pages_equal: usize,
    starts_equal: usize,
    starts_total: usize,
    signatures_equal: usize,
    differences: Vec<String>,
}

fn parity(dir: &Path, built: &[Built]) -> Parity {
    let pdfs = write_all(dir, built, "pdf");
    let docx = write_all(dir, built, "docx");
    let lo = libreoffice(dir, &docx);
    let mut p = Parity { reports: built.len(), ..Default::default() };
    for ((b, ours), theirs) in built.iter().zip(&pdfs).zip(&lo) {
        let a = pages_of(ours);
        let z = pages_of(theirs);
        if a.len() == z.len() {
            p.pages_equal += 1;
        } else {
            p.differences.push(format!("{} ({}): {} pages, LibreOffice {}", b.name, ours.display(), a.len(), z.len()));
        }
        let (sa, sz) = (page_starts(&a), page_starts(&z));
        p.starts_total += sa.len();
        for (i, (x, y)) in sa.iter().zip(&sz).enumerate() {
            if x == y {
                p.starts_equal += 1;
            } else {
                p.differences.push(format!("{}: page {} starts 「{x}」, LibreOffice 「{y}」", b.name, i + 1));
            }
        }
        match (signature_x(&a, &b.doc), signature_x(&z, &b.doc)) {
            (Some((n1, d1)), Some((n2, d2))) if (n1 - n2).abs() <= MM && (d1 - d2).abs() <= MM => {
                p.signatures_equal += 1
            }
            (x, y) => {
                p.differences.push(format!("{} ({}): 署名/date x {x:?}, LibreOffice {y:?}", b.name, ours.display()))
            }
        }
    }
    p
}

fn parity_count() -> usize {
    std::env::var("NIANBAO_PARITY_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(60)
}

#[test]
fn pdf_and_libreoffice_rendered_docx_agree() {
    if !tool("pdftotext") || crate::common::uno_python().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // NIANBAO_PARITY_DIR keeps the files (rNNN.pdf, rNNN.docx, lo/rNNN.pdf) for a look.
    let kept = std::env::var_os("NIANBAO_PARITY_DIR").map(PathBuf::from);
    let dir = kept.as_deref().unwrap_or(dir.path());
    std::fs::create_dir_all(dir).unwrap();
    let cases = cases(&dir.join("in"), parity_count());
    let built = build(&cases);
    let p = parity(dir, &built);
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    crate::common::figure(&format!(
        "PDF ≡ DOCX (LibreOffice): pages equal in {} of {} ({:.1} %); page starts equal in {} of {} ({:.1} %); signature within 1 mm in {} of {} ({:.1} %)",
        p.pages_equal,
        p.reports,
        pct(p.pages_equal, p.reports),
        p.starts_equal,
        p.starts_total,
        pct(p.starts_equal, p.starts_total),
        p.signatures_equal,
        p.reports,
        pct(p.signatures_equal, p.reports)
    ));
    // Page counts and signatures first (the targets), then as many page starts as fit.
    let (targets, starts): (Vec<&String>, Vec<&String>) = p.differences.iter().partition(|d| !d.contains(" starts 「"));
    for d in targets.iter().chain(starts.iter().take(40)) {
        println!("  {d}");
    }
    assert!(pct(p.pages_equal, p.reports) >= 95.0, "pages equal in only {} of {}", p.pages_equal, p.reports);
    assert_eq!(p.signatures_equal, p.reports, "signatures within 1 mm");
}

// ---- The signature, 署名 of 4–20 characters ---------------------------------------------------

const NAME_CHARS: &str = "临沂市兰山区市场监督管理局综合行政执法支队办公室";

/// The wendeng sample signed by a 署名 of `n` characters, with or without a seal, dated
/// 2022年11月28日 (a long date) when `n` is odd.
fn signed_case(dir: &Path, n: usize, sealed: bool) -> Case {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(crate::common::sample_path(crate::common::WENDENG)).unwrap()).unwrap();
    let name: String = NAME_CHARS.chars().take(n).collect();
    v["signature"]["agency"] = name.clone().into();
    v["signature"]["date"] = if n % 2 == 1 { "2022-11-28" } else { "2022-01-28" }.into();
    if sealed {
        v["signature"]["seal"] = "seal.svg".into();
    }
    Case {
        name: format!("署名 {n} 字{}", if sealed { "，加盖印章" } else { "" }),
        json: serde_json::to_vec(&v).unwrap(),
        dir: dir.into(),
    }
}

#[test]
fn signature_of_4_to_20_characters_sealed_and_unsealed_in_both_outputs() {
    if !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("seal.svg"), nianbao::sample::seal_svg("临沂市兰山区市场监督管理局")).unwrap();
    let cases: Vec<Case> = (4..=20).flat_map(|n| [false, true].map(|s| signed_case(dir.path(), n, s))).collect();
    let built = build(&cases);
    let pdfs = write_all(dir.path(), &built, "pdf");
    let mut violations = Vec::new();
    let found = |b: &Built, pages: &[Vec<Line>]| {
        let last = pages.last().expect("pages");
        let name = signature_name(last, &squash(&b.doc.signature.agency));
        let date = last.iter().rfind(|l| squash(&l.text) == squash(&b.doc.signature.date_text)).cloned();
        name.zip(date)
    };
    // The PDF against the rule of GB/T 9704 §7.3.5.
    let mut placed = Vec::new();
    for (b, p) in built.iter().zip(&pdfs) {
        let lines = found(b, &pages_of(p));
        match &lines {
            Some((name, date)) => violations.extend(signature_rule(
                &format!("{} (PDF)", b.name),
                name,
                date,
                b.doc.signature.seal.is_some(),
            )),
            None => violations.push(format!("{} (PDF): signature lines not found", b.name)),
        }
        placed.push(lines);
    }
    // The DOCX as LibreOffice prints it: each line starts where the PDF's does (1 mm), the
    // date on the line below the 署名. Only the left edges are compared.
    let mut lo_checked = 0;
    if crate::common::uno_python().is_some() {
        let docx = write_all(dir.path(), &built, "docx");
        for ((b, p), pdf) in built.iter().zip(libreoffice(dir.path(), &docx)).zip(&placed) {
            lo_checked += 1;
            let what = format!("{} (DOCX in LibreOffice)", b.name);
            let (Some((name, date)), Some((pdf_name, pdf_date))) = (found(b, &pages_of(&p)), pdf) else {
                violations.push(format!("{what}: signature lines not found"));
                continue;
            };
            if ((date.y0 - name.last.y0) - PITCH).abs() > 0.2 {
                violations.push(format!("{what}: the date is not on the line below the 署名"));
            }
            for (which, ours, theirs) in [("署名", &pdf_name.first, &name.first), ("date", pdf_date, &date)] {
                if (ours.x0 - theirs.x0).abs() > MM {
                    violations.push(format!(
                        "{what}: {which} starts at {:.1} pt, in the PDF at {:.1} pt",
                        theirs.x0, ours.x0
                    ));
                }
            }
        }
    }
    crate::common::figure(&format!(
        "signature: {} layouts (署名 4–20 字, sealed and unsealed), PDF and {lo_checked} DOCX rendered",
        built.len()
    ));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

// ---- Text that cannot fit -----------------------------------------------------------------

#[test]
fn runs_wider_than_their_line_or_cell_wrap_inside_the_type_area() {
    if !tool("pdftotext") {
        return;
    }
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let url = format!("https://www.example.gov.cn/{}/index.html", "zwgk/xxgk/ndbg".repeat(6));
    let digits: String = (0..400).map(|i| char::from(b'0' + (i % 10) as u8)).collect();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(crate::common::sample_path(crate::common::WENDENG)).unwrap()).unwrap();
    v["overview"]["paragraphs"][0] = format!("本报告校验值为{hash}，全文见{url}，编号{digits}。").into();
    // The largest number a cell of table 四 (1/15 of the line) can be given.
    let big: u64 = 12_345_678_901_234_567;
    v["review_litigation"]["review"]["upheld"] = big.into();
    v["review_litigation"]["review"]["total"] = big.into();
    let dir = tempfile::tempdir().unwrap();
    let case = Case { name: "overlong runs".into(), json: serde_json::to_vec(&v).unwrap(), dir: dir.path().into() };
    let built = build(&[case]);
    let b = &built[0];
    let pdfs = write_all(dir.path(), &built, "pdf");
    let pages = pages_of(&pdfs[0]);
    let mut outside = outside_type_area(&pages, "PDF");
    if crate::common::uno_python().is_some() {
        let docx = write_all(dir.path(), &built, "docx");
        let lo = libreoffice(dir.path(), &docx);
        outside.extend(outside_type_area(&pages_of(&lo[0]), "DOCX in LibreOffice"));
    }
    assert!(outside.is_empty(), "printed outside the type area:\n{}", outside.join("\n"));
    // Nothing is lost: the runs are all printed, in order (page numbers aside).
    let flat: String = pages.iter().flatten().filter(|l| l.y0 <= BOTTOM_EDGE).map(|l| squash(&l.text)).collect();
    for run in [hash, url.as_str(), digits.as_str()] {
        assert!(flat.contains(run), "{run} not printed whole");
    }
    // The number in table 四 stays inside its cell: every table line is narrower than a cell.
    let cell = 156.0 * MM / 15.0;
    let n = big.to_string();
    let words = words_of(&pdfs[0]);
    let pieces: Vec<&Line> =
        words.iter().flatten().filter(|l| l.is_table() && l.text.len() > 2 && n.contains(&l.text)).collect();
    assert!(pieces.len() >= 2 * 3, "{pieces:?}");
    for l in pieces {
        assert!(l.x1 - l.x0 < cell, "{l:?} wider than its cell");
    }
    assert!(b.pages > 0);
}

/// Lines of the type area's pages that reach outside it.
fn outside_type_area(pages: &[Vec<Line>], output: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, lines) in pages.iter().enumerate() {
        for l in lines.iter().filter(|l| l.y1 <= BOTTOM_EDGE + 1.0) {
            // A closing mark at the end of a line is compressed (PDF) or hung (LibreOffice) in
            // the margin; pdftotext reports its full advance.
            let hang = if l.text.ends_with(|c: char| CLOSING.contains(c)) { ZI } else { 0.0 };
            if l.x0 < LEFT - ZI / 2.0 - 0.5 || l.x1 > RIGHT_EDGE + hang + 0.5 {
                out.push(format!("{output} page {}: {:.1}–{:.1}: {}", i + 1, l.x0, l.x1, l.text));
            }
        }
    }
    out
}
