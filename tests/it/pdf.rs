//! The PDF, checked on real output with poppler: page size and metadata (`pdfinfo`), embedded
//! fonts (`pdffonts`), text content and order (`pdftotext`), the line grid, footers, signature
//! and title geometry (`pdftotext -bbox`), the seal (`pdftoppm`), byte-identical rebuilds,
//! PDF/A, literal report text, the missing-glyph error, and the command-line behaviour of
//! `build` and `fonts`.
//!
//! Builds use the bundled fonts, so the numbers below hold on every machine. Tests that need a
//! poppler tool skip with a note when it is missing, and fail when NIANBAO_REQUIRE_TOOLS=1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use nianbao::build::{build_report, BuildOptions, BuildOutcome, Engine, EngineOptions, OutputKind};
use nianbao::fonts::{FontOptions, FontPolicy};
use nianbao::render::pdf::PdfOptions;
use nianbao::resolve::{CellKind, Resolved};
use serde_json::Value;

const MM: f64 = 72.0 / 25.4;
const PAGE_W: f64 = 210.0 * MM;
const LEFT: f64 = 28.0 * MM;
const RIGHT_EDGE: f64 = (210.0 - 26.0) * MM;
const TOP: f64 = 37.0 * MM;
const BOTTOM_EDGE: f64 = (297.0 - 35.0) * MM;
const PITCH: f64 = 28.95;
/// One character on the 28-per-line grid.
const ZI: f64 = 156.0 * MM / 28.0;

// ---- Tools and builds -------------------------------------------------------------------

use crate::common::tool;

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/wendeng-emergency-2021.json")
}

fn sample_json() -> Value {
    serde_json::from_slice(&std::fs::read(sample_path()).unwrap()).unwrap()
}

/// A fresh scratch folder under target/.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const STEM: &str = "威海市文登区应急管理局2021年政府信息公开工作年度报告";

struct Sample {
    pdf: PathBuf,
    stdout: String,
}

/// The sample built once through the command line, as a user would.
fn sample() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| {
        let out = scratch("sample");
        let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--fonts", &"bundled"]);
        assert!(o.status.success(), "build failed:\n{}\n{}", text(&o.stdout), text(&o.stderr));
        let pdf = out.join(format!("{STEM}.pdf"));
        assert!(pdf.is_file(), "default file name {STEM}.pdf expected in {}", out.display());
        Sample { pdf, stdout: text(&o.stdout) }
    })
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let options = EngineOptions {
            fonts: FontOptions { font_paths: vec![], policy: FontPolicy::Bundled },
            ..EngineOptions::default()
        };
        Engine::from_options(&options).expect("engine with the bundled fonts")
    })
}

/// Build a report given as JSON in memory; `dir` is its folder (for a relative seal path).
fn build_json(report: &Value, dir: &Path, pdf: PdfOptions) -> BuildOutcome {
    let bytes = serde_json::to_vec_pretty(report).unwrap();
    let options = BuildOptions { formats: vec![OutputKind::Pdf], pdf, ..BuildOptions::default() };
    build_report(engine(), &bytes, "test.json", Some(dir), None, &options)
}

/// The PDF bytes of a successful in-memory build, written to `dir/name.pdf`.
fn pdf_of(outcome: &BuildOutcome, dir: &Path, name: &str) -> PathBuf {
    let errors: Vec<String> = outcome.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.one_line()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let out = &outcome.outputs[0];
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &out.data).unwrap();
    path
}

fn resolved_sample() -> Resolved {
    let checked = nianbao::inspect::check_bytes(&std::fs::read(sample_path()).unwrap(), None);
    nianbao::resolve::resolve(checked.report.as_ref().unwrap(), None)
}

// ---- Poppler output -----------------------------------------------------------------------

fn run(tool: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let o = Command::new(tool).args(args.iter().map(|a| a.as_ref())).output().unwrap();
    assert!(o.status.success(), "{tool} failed: {}", text(&o.stderr));
    text(&o.stdout)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// A line of text: words with the same top, left to right.
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

    /// The grid line this line sits on (0 = first line of the type area).
    fn slot(&self) -> f64 {
        (self.y0 - TOP) / PITCH
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = tag[at..].find('"').unwrap();
    tag[at..at + end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// `pdftotext -bbox`: the words of each page.
fn bbox(pdf: &Path) -> Vec<Vec<Word>> {
    let html = run("pdftotext", &[&"-bbox", &pdf, &"-"]);
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for chunk in page.split("<word ").skip(1) {
            let close = chunk.find('>').unwrap();
            let tag = &chunk[..close];
            let end = chunk.find("</word>").unwrap();
            words.push(Word {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text: unescape(&chunk[close + 1..end]),
            });
        }
        pages.push(words);
    }
    pages
}

fn lines(words: &[Word]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut sorted = words.to_vec();
    sorted.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    for w in sorted {
        match out.iter_mut().find(|l| (l.y0 - w.y0).abs() < 0.5 && (l.y1 - w.y1).abs() < 0.5) {
            Some(l) => {
                l.x0 = l.x0.min(w.x0);
                l.x1 = l.x1.max(w.x1);
                l.text.push_str(&w.text);
            }
            None => out.push(Line { x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1, text: w.text }),
        }
    }
    out.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    out
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ---- The sample -------------------------------------------------------------------------

#[test]
fn sample_is_a4_with_metadata_and_every_font_embedded() {
    if !tool("pdfinfo") || !tool("pdffonts") {
        return;
    }
    let s = sample();
    let info = run("pdfinfo", &[&s.pdf]);
    assert!(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "{info}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!((6..=12).contains(&pages), "implausible page count {pages}");
    assert!(info.contains(&format!("Title:           {STEM}")), "{info}");
    assert!(info.contains("Author:          威海市文登区应急管理局"), "{info}");
    assert!(info.contains("Subject:         政府信息公开工作年度报告"), "{info}");
    assert!(info.contains("Keywords:        政府信息公开, 年度报告, 2021年, 威海市文登区应急管理局"), "{info}");
    assert!(info.contains("CreationDate:    Fri Jan 28 00:00:00 2022"), "creation date is the signature date:\n{info}");
    let meta = run("pdfinfo", &[&"-meta", &s.pdf]);
    assert!(meta.contains("<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li>"), "{meta}");

    let fonts = run("pdffonts", &[&s.pdf]);
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(rows.len() >= 5, "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
    for family in
        ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Bold", "FandolSong-Regular"]
    {
        assert!(rows.iter().any(|r| r.contains(&format!("+{family}"))), "{family} missing:\n{fonts}");
    }
    // The build says which font served each role.
    for role in ["title", "body", "heading1", "heading2", "page_number", "table", "table_header"] {
        assert!(s.stdout.lines().any(|l| l.trim_start().starts_with(role) && l.contains("Fandol")), "{}", s.stdout);
    }
}

#[test]
fn sample_text_has_every_heading_label_number_and_the_contacts_in_order() {
    if !tool("pdftotext") {
        return;
    }
    let doc = resolved_sample();
    let raw = run("pdftotext", &[&"-raw", &sample().pdf, &"-"]);
    let flat = squash(&raw);

    let mut pos = 0;
    let mut expect_in_order = |needle: &str| {
        let n = squash(needle);
        match flat[pos..].find(&n) {
            Some(at) => pos += at + n.len(),
            None => panic!("`{needle}` missing or out of order after byte {pos}"),
        }
    };
    for l in &doc.title_lines {
        expect_in_order(l);
    }
    for s in &doc.sections {
        expect_in_order(&s.heading);
        for sub in &s.subsections {
            expect_in_order(&sub.heading);
        }
        if let Some(t) = &s.table {
            for cell in t.rows.iter().flatten().filter(|c| c.kind != CellKind::Number) {
                assert!(flat.contains(&squash(&cell.text)), "table label `{}` missing", cell.text);
            }
        }
    }
    expect_in_order("威海市文登区应急管理局");
    expect_in_order("2022年1月28日");

    for contact in ["0631-8360066", "0631-8361901", "264400", "威海市文登区世纪大道86号", "http://www.wendeng.gov.cn"]
    {
        assert!(flat.contains(contact), "contact detail {contact} missing");
    }

    // Every number of the three tables, in reading order (row by row), 0 printed as 0.
    let tokens: Vec<String> = raw
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.').to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let expected: Vec<String> = doc
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .flat_map(|t| t.rows.iter().flatten().filter(|c| c.kind == CellKind::Number).map(|c| c.text.clone()))
        .collect();
    assert_eq!(expected.len(), 6 + 4 + 25 * 7 + 15);
    let mut it = tokens.iter();
    for (i, want) in expected.iter().enumerate() {
        assert!(it.any(|t| t == want), "table number #{i} ({want}) missing or out of order");
    }
    assert!(expected.iter().filter(|n| *n == "0").count() > 150, "zeros are printed as 0");
}

#[test]
fn body_lines_sit_on_the_grid_22_to_a_full_page_28_to_a_full_line() {
    if !tool("pdftotext") {
        return;
    }
    let pages = bbox(&sample().pdf);
    let mut full_lines = 0;
    let mut widths_28 = Vec::new();
    for (p, words) in pages.iter().enumerate() {
        for l in lines(words).iter().filter(|l| l.is_body()) {
            let slot = l.slot();
            assert!(close(slot, slot.round(), 0.02), "page {}: line off the grid at slot {slot:.3}: {}", p + 1, l.text);
            // An opening bracket at the start of a line is set half-width, its blank half
            // outside the line (GB/T 15834); nothing else starts left of the type area.
            let opening = l.text.starts_with(['《', '（', '“', '〔', '【', '‘']);
            let min = if opening { LEFT - ZI / 2.0 } else { LEFT };
            assert!(l.x0 >= min - 0.5, "page {}: line starts left of the type area: {}", p + 1, l.text);
        }
    }
    // Page 2 is all body text: exactly 22 lines, 28.95 pt apart, filling the type area.
    let page2: Vec<Line> = lines(&pages[1]).into_iter().filter(|l| l.is_body()).collect();
    assert_eq!(page2.len(), 22, "{page2:#?}");
    assert!(close(page2[0].y0, TOP, 0.1));
    for pair in page2.windows(2) {
        assert!(close(pair[1].y0 - pair[0].y0, PITCH, 0.02));
    }
    for l in &page2 {
        let n = l.text.chars().count();
        let shift = if l.text.starts_with(['《', '（', '“', '〔', '【', '‘']) { ZI / 2.0 } else { 0.0 };
        let starts_flush = close(l.x0 + shift, LEFT, 0.3);
        let starts_indented = close(l.x0, LEFT + 2.0 * ZI, 0.3);
        assert!(starts_flush || starts_indented, "line starts at {} (flush or 2 characters in): {}", l.x0, l.text);
        if close(l.x1, RIGHT_EDGE, 0.3) && starts_flush && !l.text.is_ascii() {
            full_lines += 1;
            if n == 28 && l.text.chars().all(|c| !c.is_ascii()) {
                widths_28.push(l.x1 - l.x0);
            }
        }
    }
    assert!(full_lines >= 12, "page 2 has {full_lines} full justified lines");
    // A full line of 28 full-width characters spans the 156 mm line exactly.
    assert!(widths_28.len() >= 5, "{widths_28:?}");
    for w in widths_28 {
        assert!(close(w, 28.0 * ZI, 0.3), "28 characters take {w} pt, not {}", 28.0 * ZI);
    }
}

#[test]
fn page_numbers_alternate_sides_seven_mm_below_the_type_area() {
    if !tool("pdftotext") {
        return;
    }
    let pages = bbox(&sample().pdf);
    for (i, words) in pages.iter().enumerate() {
        let n = i + 1;
        let footer: Vec<Line> = lines(words).into_iter().filter(|l| l.y0 > BOTTOM_EDGE).collect();
        assert_eq!(footer.len(), 1, "page {n}: {footer:?}");
        let f = &footer[0];
        assert_eq!(squash(&f.text), format!("—{n}—"), "page {n}");
        assert!(close(f.height(), 14.0, 0.3), "4号 page number: {f:?}");
        let dash_middle = (f.y0 + f.y1) / 2.0;
        assert!(
            close(dash_middle - BOTTOM_EDGE, 7.0 * MM, 2.5),
            "page {n}: dash {} pt below",
            dash_middle - BOTTOM_EDGE
        );
        if n % 2 == 1 {
            assert!(close(f.x1, RIGHT_EDGE - 14.0, 0.5), "odd page {n}: right, one character in: {f:?}");
        } else {
            assert!(close(f.x0, LEFT + 14.0, 0.5), "even page {n}: left, one character in: {f:?}");
        }
    }
    assert!(pages.len() >= 2);
}

#[test]
fn no_paragraph_ends_with_a_lone_character() {
    if !tool("pdftotext") {
        return;
    }
    const PUNCT: &str = "，。、；：？！“”‘’（）《》〔〕—…,.;:?!()";
    for (p, words) in bbox(&sample().pdf).iter().enumerate() {
        for l in lines(words).iter().filter(|l| l.is_body() && l.x1 < RIGHT_EDGE - ZI) {
            let real = l.text.chars().filter(|c| !PUNCT.contains(*c)).count();
            assert!(real >= 2, "page {}: short line with a lone character: {}", p + 1, l.text);
        }
    }
}

#[test]
fn unsealed_signature_is_indented_two_characters_with_the_date_shifted() {
    if !tool("pdftotext") {
        return;
    }
    let pages = bbox(&sample().pdf);
    let last = lines(pages.last().unwrap());
    let name = last.iter().find(|l| l.text == "威海市文登区应急管理局" && l.x0 > PAGE_W / 2.0).expect("署名");
    let date = last.iter().find(|l| l.text == "2022年1月28日").expect("date");
    assert!(close(name.x1, RIGHT_EDGE - 2.0 * ZI, 0.6), "署名 right-indented 2 characters: {name:?}");
    assert!(close(date.x0, name.x0 + 2.0 * ZI, 0.6), "date starts 2 characters right of the 署名: {date:?}");
    assert!(close(date.y0 - name.y0, PITCH, 0.05));
    // One empty line between the body and the 署名.
    let above = last.iter().rfind(|l| l.is_body() && l.y0 < name.y0).unwrap();
    assert!(close(name.y0 - above.y0, 2.0 * PITCH, 0.05), "{above:?} {name:?}");
}

#[test]
fn two_builds_are_byte_identical() {
    let first = std::fs::read(&sample().pdf).unwrap();
    let out = scratch("again");
    let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--fonts", &"bundled"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let second = std::fs::read(out.join(format!("{STEM}.pdf"))).unwrap();
    assert!(first == second, "two builds of the same input differ");
    // The run reports the checksum of what it wrote.
    let sum = nianbao::build::sha256_hex(&second);
    assert!(text(&o.stdout).contains(&sum), "{}", text(&o.stdout));
}

// ---- Variants -----------------------------------------------------------------------------

#[test]
fn pdfa_2b_build_claims_2b_and_keeps_the_metadata() {
    if !tool("pdfinfo") {
        return;
    }
    let dir = scratch("pdfa");
    let options = PdfOptions { standards: nianbao::render::pdf::parse_standards("a-2b").unwrap() };
    let outcome = build_json(&sample_json(), &dir, options);
    let pdf = pdf_of(&outcome, &dir, "a2b");
    let meta = run("pdfinfo", &[&"-meta", &pdf]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    assert!(meta.contains("威海市文登区应急管理局"), "{meta}");
    let info = run("pdfinfo", &[&pdf]);
    assert!(info.contains("CreationDate:    Fri Jan 28 00:00:00 2022"), "{info}");
}

#[test]
fn report_text_is_printed_literally_never_run() {
    if !tool("pdftotext") {
        return;
    }
    let dir = scratch("literal");
    let hostile = r##"#set text(red) *粗* _斜_ $x^2$ <lbl> [链接] \ @ref #eval("1+1") #image("/etc/passwd") `raw` // 注释 /* 块 */ 结尾"##;
    let mut r = sample_json();
    r["problems"]["paragraphs"][0] = Value::String(hostile.into());
    r["overview"]["subsections"][0]["title"] = Value::String("#strong[标题]".into());
    let outcome = build_json(&r, &dir, PdfOptions::default());
    let pdf = pdf_of(&outcome, &dir, "literal");
    let flat = squash(&run("pdftotext", &[&pdf, &"-"]));
    assert!(flat.contains(&squash(hostile)), "the paragraph is not printed as written:\n{flat}");
    assert!(flat.contains("（一）#strong[标题]"), "{flat}");
}

#[test]
fn a_character_no_font_has_is_an_error_naming_each_place() {
    let dir = scratch("rare");
    let mut r = sample_json();
    r["overview"]["paragraphs"][1] = Value::String("生僻字𠀀测试。".into());
    r["problems"]["paragraphs"][2] = Value::String("又见𠀀与𠀁。".into());
    let outcome = build_json(&r, &dir, PdfOptions::default());
    assert!(outcome.outputs.is_empty(), "no PDF with tofu boxes");
    let d = outcome.diagnostics.iter().find(|d| d.rule == "missing-glyph").expect("missing-glyph error");
    assert!(d.is_error());
    assert!(d.message_zh.contains("U+20000") && d.message_zh.contains("U+20001"), "{}", d.message_zh);
    assert!(d.message_zh.contains("一、总体情况 第2段"), "{}", d.message_zh);
    assert!(d.message_zh.contains("五、存在的主要问题及改进情况 第3段"), "{}", d.message_zh);
    assert!(d.message_en.contains("section 1, paragraph 2"), "{}", d.message_en);
    assert_eq!(d.path, "overview.paragraphs[1]");
    assert!(d.line.is_some(), "located in the input");

    // Through the command line: exit 1 and nothing written.
    let input = dir.join("rare.json");
    std::fs::write(&input, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    let out = dir.join("out");
    let o = nianbao(&[&"build", &input, &"-o", &out, &"--fonts", &"bundled"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("missing-glyph"), "{}", text(&o.stderr));
    assert!(!out.join(format!("{STEM}.pdf")).exists());
}

/// A red seal: a ring and a star-like cross on transparency, 240 px square.
fn write_seal_png(path: &Path) {
    let size = 240u32;
    let mut img = image::RgbaImage::new(size, size);
    let c = size as f64 / 2.0;
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f64 + 0.5 - c, y as f64 + 0.5 - c);
        let r = (dx * dx + dy * dy).sqrt();
        let ring = (r > c - 10.0) && (r < c - 1.0);
        let cross = (dx.abs() < 6.0 || dy.abs() < 6.0) && r < c * 0.45;
        *px = if ring || cross { image::Rgba([220, 30, 10, 255]) } else { image::Rgba([0, 0, 0, 0]) };
    }
    img.save_with_format(path, image::ImageFormat::Png).unwrap();
}

/// The bounding box (in pt) of red pixels on a rendered page.
fn red_box(pdf: &Path, page: usize, dir: &Path) -> (f64, f64, f64, f64) {
    let prefix = dir.join("render");
    let p = page.to_string();
    run("pdftoppm", &[&"-png", &"-r", &"72", &"-f", &p, &"-l", &p, &"-singlefile", &pdf, &prefix]);
    let img = image::open(dir.join("render.png")).unwrap().to_rgb8();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, 0f64, 0f64);
    for (x, y, px) in img.enumerate_pixels() {
        let [r, g, b] = px.0;
        if r > 150 && g < 110 && b < 110 {
            x0 = x0.min(x as f64);
            y0 = y0.min(y as f64);
            x1 = x1.max(x as f64 + 1.0);
            y1 = y1.max(y as f64 + 1.0);
        }
    }
    assert!(x1 > 0.0, "no red pixels on page {page}");
    (x0, y0, x1, y1)
}

#[test]
fn sealed_signature_centres_name_and_seal_over_the_date() {
    if !tool("pdftotext") || !tool("pdftoppm") {
        return;
    }
    let dir = scratch("seal");
    write_seal_png(&dir.join("seal.png"));
    let mut r = sample_json();
    r["signature"]["seal"] = Value::String("seal.png".into());
    let outcome = build_json(&r, &dir, PdfOptions::default());
    let pdf = pdf_of(&outcome, &dir, "sealed");

    let pages = bbox(&pdf);
    let n = pages.len();
    let last = lines(&pages[n - 1]);
    let name = last.iter().find(|l| l.text == "威海市文登区应急管理局" && l.x0 > PAGE_W / 2.0).expect("署名");
    let date = last.iter().find(|l| l.text == "2022年1月28日").expect("date");
    assert!(close(date.x1, RIGHT_EDGE - 4.0 * ZI, 0.6), "date right-indented 4 characters: {date:?}");
    let centre = (date.x0 + date.x1) / 2.0;
    assert!(close((name.x0 + name.x1) / 2.0, centre, 0.6), "署名 centred over the date: {name:?} {date:?}");
    assert!(close(date.y0 - name.y0, PITCH, 0.05));

    let (sx0, sy0, sx1, sy1) = red_box(&pdf, n, &dir);
    assert!(
        close((sx0 + sx1) / 2.0, centre, 2.0),
        "seal centred over the date: seal x {sx0}..{sx1}, date centre {centre}"
    );
    assert!(close(sx1 - sx0, 42.0 * MM, 3.0), "seal is 42 mm wide: {}", sx1 - sx0);
    let above = last.iter().rfind(|l| l.is_body() && l.y1 < name.y0).expect("body text above the signature");
    assert!(
        sy0 >= above.y1 - 0.5 && sy0 - above.y1 <= PITCH,
        "seal top {sy0} within one line of the text above ({})",
        above.y1
    );
    let pair_middle = (name.y0 + date.y1) / 2.0;
    assert!(pair_middle > (sy0 + sy1) / 2.0, "name and date sit below the seal's centre");

    // An SVG seal is accepted as well.
    std::fs::write(
        dir.join("seal.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="92" fill="none" stroke="#d81e06" stroke-width="10"/></svg>"##,
    )
    .unwrap();
    r["signature"]["seal"] = Value::String("seal.svg".into());
    let svg = build_json(&r, &dir, PdfOptions::default());
    let pdf = pdf_of(&svg, &dir, "sealed-svg");
    let (sx0, _, sx1, _) = red_box(&pdf, n, &dir);
    assert!(close((sx0 + sx1) / 2.0, centre, 2.0));
}

#[test]
fn long_agency_names_break_between_administrative_units_in_balanced_lines() {
    if !tool("pdftotext") {
        return;
    }
    let dir = scratch("title");
    let agency = "新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市市场监督管理局";
    let mut r = sample_json();
    r["agency"] = Value::String(agency.into());
    let pdf = pdf_of(&build_json(&r, &dir, PdfOptions::default()), &dir, "title");
    let pages = bbox(&pdf);
    let title: Vec<Line> = lines(&pages[0]).into_iter().filter(|l| close(l.height(), 22.0, 0.5)).collect();
    let texts: Vec<String> = title.iter().map(|l| l.text.clone()).collect();
    assert_eq!(
        texts,
        ["新疆维吾尔自治区伊犁哈萨克自治州", "霍尔果斯市市场监督管理局", "2021年政府信息公开工作年度报告"]
    );
    for l in &title {
        assert!(close((l.x0 + l.x1) / 2.0, (LEFT + RIGHT_EDGE) / 2.0, 1.0), "centred: {l:?}");
    }
    assert!(close(title[0].y0, TOP, 0.5));
    // The body starts on the grid after the title and one empty line.
    let first_body = lines(&pages[0]).into_iter().find(|l| l.is_body()).unwrap();
    assert!(close(first_body.slot(), first_body.slot().round(), 0.02));
    assert!(first_body.y0 - title[2].y1 >= PITCH, "an empty line after the title");
}

#[test]
fn a_table_crossing_a_page_repeats_its_header_and_keeps_rows_whole() {
    if !tool("pdftotext") {
        return;
    }
    let dir = scratch("split");
    // Without the overview's subsections, table 三 starts in the middle of page 2.
    let mut r = sample_json();
    r["overview"]["subsections"] = Value::Array(vec![]);
    let pdf = pdf_of(&build_json(&r, &dir, PdfOptions::default()), &dir, "split");
    let pages = bbox(&pdf);
    let page_text: Vec<String> = (1..=pages.len())
        .map(|p| squash(&run("pdftotext", &[&"-raw", &"-f", &p.to_string(), &"-l", &p.to_string(), &pdf, &"-"])))
        .collect();
    let start = page_text.iter().position(|t| t.contains("三、收到和处理政府信息公开申请情况")).unwrap();
    let end = page_text.iter().position(|t| t.contains("四、结转下年度继续办理")).unwrap();
    assert!(end > start, "table 三 should cross a page in this layout (start {start}, end {end})");
    for (p, t) in page_text.iter().enumerate().take(end + 1).skip(start) {
        for head in ["申请人情况", "法人或其他组织", "社会公益组织", "法律服务机构", "总计"] {
            assert!(t.contains(head), "page {}: header cell {head} not repeated", p + 1);
        }
    }
    // No row is split: every row label (some take three lines) stands whole on one page.
    let doc = resolved_sample();
    let t3 = doc.sections[2].table.as_ref().unwrap();
    let page_text = &page_text[start..=end];
    for cell in t3.rows.iter().flatten().filter(|c| c.kind == CellKind::Label) {
        let label = squash(&cell.text);
        assert!(page_text.iter().any(|t| t.contains(&label)), "row `{}` is split across pages", cell.text);
    }
    for words in &pages[start..=end] {
        for l in lines(words).iter().filter(|l| close(l.height(), 10.5, 0.3)) {
            assert!(l.y1 <= BOTTOM_EDGE + 0.5, "table text below the type area: {l:?}");
        }
    }
    for words in &pages {
        for l in lines(words).iter().filter(|l| l.is_body()) {
            assert!(close(l.slot(), l.slot().round(), 0.02), "text after a table is back on the grid: {l:?}");
        }
    }
}

#[test]
fn a_profile_variant_changes_the_line_pitch_and_keeps_22_lines() {
    if !tool("pdftotext") {
        return;
    }
    let dir = scratch("profile");
    for pitch in ["29.0", "28.0"] {
        let profile = nianbao::profile::DEFAULT_PROFILE_TOML
            .replace("line_pitch_pt = 28.95", &format!("line_pitch_pt = {pitch}"));
        assert_ne!(profile, nianbao::profile::DEFAULT_PROFILE_TOML);
        let path = dir.join(format!("local-{pitch}.toml"));
        std::fs::write(&path, profile).unwrap();
        let out = dir.join(pitch);
        let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--fonts", &"bundled", &"--profile", &path]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let pages = bbox(&out.join(format!("{STEM}.pdf")));
        let want: f64 = pitch.parse().unwrap();
        let body: Vec<Line> = lines(&pages[1]).into_iter().filter(|l| l.is_body()).collect();
        // A 28 pt pitch would leave room for a 23rd line; the profile says 22.
        assert_eq!(body.len(), 22, "pitch {pitch}");
        for pair in body.windows(2) {
            assert!(close(pair[1].y0 - pair[0].y0, want, 0.02), "pitch {pitch}: {}", pair[1].y0 - pair[0].y0);
        }
        // The page number stays 7 mm below the real type area.
        let footer = lines(&pages[1]).into_iter().find(|l| l.y0 > BOTTOM_EDGE).unwrap();
        assert!(close((footer.y0 + footer.y1) / 2.0 - BOTTOM_EDGE, 7.0 * MM, 2.5), "{footer:?}");
    }
}

// ---- Command line ---------------------------------------------------------------------------

#[test]
fn inconsistent_reports_are_refused_unless_forced() {
    let dir = scratch("inconsistent");
    let mut r = sample_json();
    r["applications"]["new"] = serde_json::json!([6, 0, 0, 0, 0, 0]);
    let input = dir.join("bad.json");
    std::fs::write(&input, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    let out = dir.join("out");
    let o = nianbao(&[&"build", &input, &"-o", &out, &"--fonts", &"bundled"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("table3-balance"), "{}", text(&o.stderr));
    assert!(!out.join(format!("{STEM}.pdf")).exists(), "nothing is produced for a report with errors");

    let o = nianbao(&[&"build", &input, &"-o", &out, &"--fonts", &"bundled", &"--allow-inconsistent"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("warning[table3-balance]"), "printed as a warning: {err}");
    assert!(out.join(format!("{STEM}.pdf")).is_file());
}

#[test]
fn fonts_command_lists_families_and_the_font_of_each_role() {
    let o = nianbao(&[&"fonts", &"--fonts", &"bundled"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    for family in ["FandolFang R", "FandolHei", "FandolKai", "FandolSong"] {
        assert!(out.contains(family), "{out}");
    }
    let o = nianbao(&[&"fonts", &"--fonts", &"bundled", &"--format", &"json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let roles = v["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 7);
    let role = |r: &str| roles.iter().find(|x| x["role"] == r).unwrap().clone();
    assert_eq!(role("body")["family"], "FandolFang R");
    assert_eq!(role("title")["family"], "FandolSong");
    assert_eq!(role("title")["weight"], 700);
    assert_eq!(role("heading1")["family"], "FandolHei");
    assert_eq!(role("heading2")["family"], "FandolKai");
    assert_eq!(role("body")["origin"]["kind"], "bundled");
    assert_eq!(role("body")["is_substitute"], true);

    // A --font-path folder is searched first, by the family names of the profile.
    let dir = scratch("fontpath");
    let profile =
        nianbao::profile::DEFAULT_PROFILE_TOML.replace("\"FangSong_GB2312\",", "\"FangSong_GB2312\", \"FandolKai\",");
    let path = dir.join("kai-body.toml");
    std::fs::write(&path, profile).unwrap();
    let fonts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let o =
        nianbao(&[&"fonts", &"--fonts", &"bundled", &"--font-path", &fonts, &"--profile", &path, &"--format", &"json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let body = v["roles"].as_array().unwrap().iter().find(|x| x["role"] == "body").unwrap().clone();
    assert_eq!(body["family"], "FandolKai");
    assert_eq!(body["origin"]["kind"], "font_path");
    assert_eq!(body["is_substitute"], false);
}

#[test]
fn template_errors_name_the_template_line() {
    let dir = scratch("template");
    let template = dir.join("broken.typ");
    std::fs::write(&template, "#let data = json(\"data.json\")\n#data.doc.no_such_key\n").unwrap();
    let out = dir.join("out");
    let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--fonts", &"bundled", &"--template", &template]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("error[typst]"), "{err}");
    assert!(err.contains("broken.typ:2:"), "{err}");
    assert!(err.contains("no_such_key"), "{err}");

    // A template cannot read files outside the three it is served.
    std::fs::write(&template, "#read(\"/etc/hostname\")\n").unwrap();
    let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--fonts", &"bundled", &"--template", &template]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("file not found"), "{}", text(&o.stderr));
}

#[test]
fn unknown_pdf_standard_and_format_are_usage_errors() {
    let out = scratch("usage");
    let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--pdf-standard", &"a-9z"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("a-9z"));
    let o = nianbao(&[&"build", &sample_path(), &"-o", &out, &"--format", &"odt"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The lines of table header and group cells are measured in place for a process's first
/// document and recorded once per table form for the documents after it: both give the same
/// bytes, and the recorded lines cover every such cell, each line a piece of its text.
#[test]
fn recorded_table_header_lines_give_the_same_document_as_measuring_in_place() {
    let options = EngineOptions {
        fonts: FontOptions { font_paths: vec![], policy: FontPolicy::Bundled },
        ..EngineOptions::default()
    };
    let engine = Engine::from_options(&options).expect("engine with the bundled fonts");
    let busy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/lanshan-market-2023.json");
    for path in [busy, sample_path()] {
        let checked = nianbao::inspect::check_bytes(&std::fs::read(&path).unwrap(), None);
        let doc = nianbao::resolve::resolve(checked.report.as_ref().unwrap(), None);
        let pdf = |e: &Engine| e.pdf().render(&doc, e.profile(), None, &PdfOptions::default()).expect("renders").bytes;
        // The first document of this engine measures in place, the second uses recorded lines.
        let (first, second) = (pdf(&engine), pdf(&engine));
        assert!(first == second, "{}: recorded lines changed the document", path.display());

        let data: Value =
            serde_json::from_slice(&engine.pdf().template_data_json(&doc, engine.profile(), None)).unwrap();
        let mut broken = 0;
        for table in doc.sections.iter().filter_map(|s| s.table.as_ref()) {
            let recorded = &data["breaks"][&table.key];
            for (r, row) in table.rows.iter().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    let lines = &recorded[r][j];
                    if !matches!(cell.kind, CellKind::Head | CellKind::Group) {
                        assert!(lines.is_null(), "{} row {r} cell {j}: only header and group cells", table.key);
                        continue;
                    }
                    let lines: Vec<&str> =
                        lines.as_array().expect("lines recorded").iter().filter_map(Value::as_str).collect();
                    assert_eq!(lines.concat(), cell.text, "{} row {r} cell {j}", table.key);
                    if lines.len() > 1 {
                        broken += 1;
                    }
                    if cell.text.starts_with("（三）") && lines.len() > 1 {
                        assert_eq!(lines[0], "（三）", "a numbered prefix keeps a line of its own");
                    }
                }
            }
        }
        assert!(broken > 0, "{}: some narrow header cells take more than one line", path.display());
    }
}

/// An SVG seal that cannot be rasterised for the DOCX (a sliver 60 million pixels tall at seal
/// resolution) is refused when the seal is read: no document at all, not a PDF followed by a
/// failed DOCX.
#[test]
fn a_seal_that_cannot_be_rasterised_stops_the_report_before_any_document() {
    let dir = scratch("sliver-seal");
    std::fs::write(
        dir.join("seal.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000"><rect width="1" height="100000" fill="red"/></svg>"#,
    )
    .unwrap();
    let mut r = sample_json();
    r["signature"]["seal"] = Value::String("seal.svg".into());
    let outcome = build_json(&r, &dir, PdfOptions::default());
    let d = outcome.diagnostics.iter().find(|d| d.rule == "seal-limit").expect("seal-limit");
    assert!(d.message_en.contains("seal.svg"), "{}", d.message_en);
    assert!(outcome.outputs.is_empty(), "nothing produced");
}
