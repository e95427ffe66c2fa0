//! OFD output (`--format ofd`), read by readers we did not write: `ofd-core` (Rust: structure
//! check, rendering every page) and `ofdkit` (PyPI: `ofdkit text`, `ofdkit info`), compared
//! with the PDF of the same build through Poppler (pdfinfo, pdftotext, pdftoppm).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use nianbao::build::{build_report, BuildOptions, BuildOutcome, Engine, EngineOptions, OutputKind};
use nianbao::fonts::{FontOptions, FontPolicy};
use serde_json::Value;

use crate::common::{sample_path, tool, WENDENG};

/// Rendering resolution for the pixel comparison (both renderers, same dpi).
const DPI: u32 = 150;
/// Pages are compared by the mean grey of square blocks of this many pixels (3.4 mm at 150 dpi,
/// about half a character): the two rasterisers anti-alias glyph edges differently, which
/// averages out within a block, while a missing, extra or displaced glyph changes its blocks'
/// ink by far more.
const BLOCK_PX: u32 = 20;
/// The largest allowed difference of a block's mean grey (of 255). Measured on the sample:
/// at most 14 on every page; a page against its neighbour, far more (the test checks that).
const MAX_BLOCK_DIFFERENCE: f64 = 32.0;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ofd-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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

fn sample_json() -> Value {
    serde_json::from_slice(&std::fs::read(sample_path(WENDENG)).unwrap()).unwrap()
}

/// A red seal: a ring and a cross on transparency, 240 px square.
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

fn build(report: &Value, dir: &Path, formats: Vec<OutputKind>) -> BuildOutcome {
    let bytes = serde_json::to_vec_pretty(report).unwrap();
    let options = BuildOptions { formats, ..BuildOptions::default() };
    let outcome = build_report(engine(), &bytes, "test.json", Some(dir), None, &options);
    let errors: Vec<String> = outcome.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.one_line()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    outcome
}

fn data(outcome: &BuildOutcome, kind: OutputKind) -> &[u8] {
    &outcome.outputs.iter().find(|o| o.kind == kind).expect("output of that kind").data
}

/// The sealed sample as PDF and OFD from one build, written to `dir`.
fn sealed_pair(dir: &Path) -> (PathBuf, PathBuf, BuildOutcome) {
    write_seal_png(&dir.join("seal.png"));
    let mut r = sample_json();
    r["signature"]["seal"] = Value::String("seal.png".into());
    let outcome = build(&r, dir, vec![OutputKind::Pdf, OutputKind::Ofd]);
    let (pdf, ofd) = (dir.join("report.pdf"), dir.join("report.ofd"));
    std::fs::write(&pdf, data(&outcome, OutputKind::Pdf)).unwrap();
    std::fs::write(&ofd, data(&outcome, OutputKind::Ofd)).unwrap();
    (pdf, ofd, outcome)
}

fn run(tool: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let o = Command::new(tool).args(args.iter().map(|a| a.as_ref())).output().unwrap();
    assert!(o.status.success(), "{tool} failed: {}", text(&o.stderr));
    text(&o.stdout)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdf_pages(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[&pdf]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("page count")
}

/// Every page of the OFD rendered by ofd-core, grey.
fn ofd_core_render(ofd: &Path) -> Vec<image::GrayImage> {
    let mut reader = ofd_core::OfdReader::open(ofd).expect("ofd-core opens the package");
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).expect("ofd-core loads Document.xml");
    let options = ofd_core::RenderOptions::with_dpi(DPI as f64);
    (0..doc.pages().len())
        .map(|i| {
            let img = reader.render_page_to_image(&doc, i, &options).expect("ofd-core renders the page");
            image::DynamicImage::ImageRgba8(img).to_luma8()
        })
        .collect()
}

fn ofd_core_render_rgb(ofd: &Path, page: usize) -> image::RgbImage {
    let mut reader = ofd_core::OfdReader::open(ofd).unwrap();
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).unwrap();
    let img = reader.render_page_to_image(&doc, page, &ofd_core::RenderOptions::with_dpi(DPI as f64)).unwrap();
    image::DynamicImage::ImageRgba8(img).to_rgb8()
}

fn pdftoppm_page(pdf: &Path, page: usize, dir: &Path) -> image::GrayImage {
    let prefix = dir.join(format!("pdf-{page}"));
    let p = page.to_string();
    let r = DPI.to_string();
    run("pdftoppm", &[&"-png", &"-gray", &"-r", &r, &"-f", &p, &"-l", &p, &"-singlefile", &pdf, &prefix]);
    image::open(dir.join(format!("pdf-{page}.png"))).unwrap().to_luma8()
}

/// The largest difference of mean grey between corresponding [`BLOCK_PX`] blocks; sizes may
/// differ by a pixel (rounding of the page size).
fn block_difference(a: &image::GrayImage, b: &image::GrayImage) -> f64 {
    let (w, h) = (a.width().min(b.width()), a.height().min(b.height()));
    assert!(a.width().abs_diff(b.width()) <= 1 && a.height().abs_diff(b.height()) <= 1, "page sizes differ");
    let mean = |img: &image::GrayImage, bx: u32, by: u32| {
        let mut sum = 0u64;
        for y in by..(by + BLOCK_PX).min(h) {
            for x in bx..(bx + BLOCK_PX).min(w) {
                sum += u64::from(img.get_pixel(x, y).0[0]);
            }
        }
        sum as f64 / f64::from(((bx + BLOCK_PX).min(w) - bx) * ((by + BLOCK_PX).min(h) - by))
    };
    let mut worst = 0f64;
    for by in (0..h).step_by(BLOCK_PX as usize) {
        for bx in (0..w).step_by(BLOCK_PX as usize) {
            worst = worst.max((mean(a, bx, by) - mean(b, bx, by)).abs());
        }
    }
    worst
}

fn has_red(img: &image::RgbImage) -> bool {
    img.pixels().filter(|p| p.0[0] > 150 && p.0[1] < 110 && p.0[2] < 110).count() > 50
}

#[test]
fn ofd_core_validates_and_renders_the_pages_of_the_pdf() {
    let dir = scratch("pair");
    let (pdf, ofd, outcome) = sealed_pair(&dir);

    let report = ofd_core::check_path(&ofd);
    println!("ofd-core structure check: {} problem(s) {:?}", report.problems.len(), report.problems);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);

    let reader = ofd_core::OfdReader::open(&ofd).unwrap();
    assert_eq!(reader.ofd().doc_type, "OFD-A", "all OFD-A rules hold for the sealed, dated sample");
    let info = &reader.ofd().doc_bodies[0].doc_info;
    assert_eq!(info.title.as_deref(), Some("威海市文登区应急管理局2021年政府信息公开工作年度报告"));
    assert_eq!(info.author.as_deref(), Some("威海市文登区应急管理局"));
    let date = outcome.resolved.as_ref().unwrap().metadata.date.clone();
    assert!(date.is_some());
    assert_eq!(info.creation_date, date, "creation date is the signature date");
    assert_eq!(info.doc_id.as_deref().map(str::len), Some(32));

    let ofd_out = outcome.outputs.iter().find(|o| o.kind == OutputKind::Ofd).unwrap();
    let pages = ofd_core_render(&ofd);
    assert_eq!(ofd_out.pages, Some(pages.len()));
    if !tool("pdfinfo") || !tool("pdftoppm") || !tool("pdftotext") {
        return;
    }
    assert_eq!(pages.len(), pdf_pages(&pdf), "page count equals the PDF's");

    let mut worst = 0f64;
    for (i, ofd_page) in pages.iter().enumerate() {
        let pdf_page = pdftoppm_page(&pdf, i + 1, &dir);
        ofd_page.save(dir.join(format!("ofd-{}.png", i + 1))).unwrap();
        let d = block_difference(ofd_page, &pdf_page);
        println!(
            "page {}: largest difference of a {BLOCK_PX}×{BLOCK_PX}-pixel block's mean grey {d:.1}/255 at {DPI} dpi \
             (allowed {MAX_BLOCK_DIFFERENCE})",
            i + 1
        );
        worst = worst.max(d);
        assert!(d <= MAX_BLOCK_DIFFERENCE, "page {} differs from the PDF: {d:.1}/255", i + 1);
        // The comparison can fail: a page against its neighbour is far apart.
        if i + 1 < pages.len() {
            let other = pdftoppm_page(&pdf, i + 2, &dir);
            let d = block_difference(ofd_page, &other);
            assert!(d > MAX_BLOCK_DIFFERENCE, "page {} against page {}: only {d:.1}/255", i + 1, i + 2);
        }
    }
    println!("worst page: {worst:.1}/255");

    // The seal is drawn on the page with the signature, and only there.
    let signature = &outcome.resolved.as_ref().unwrap().signature.agency;
    for i in 0..pages.len() {
        let p = (i + 1).to_string();
        let page_text = squash(&run("pdftotext", &[&"-f", &p, &"-l", &p, &pdf, &"-"]));
        let signed = page_text.contains(&squash(signature)) && i + 1 == pages.len();
        assert_eq!(has_red(&ofd_core_render_rgb(&ofd, i)), signed, "seal on page {} iff it is signed", i + 1);
    }
}

/// Characters with their counts.
fn multiset(s: &str) -> std::collections::BTreeMap<char, usize> {
    let mut m = std::collections::BTreeMap::new();
    for c in s.chars() {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

#[test]
fn ofdkit_reads_the_same_text_as_pdftotext() {
    if !tool("ofdkit") || !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    let dir = scratch("text");
    let (pdf, ofd, outcome) = sealed_pair(&dir);
    let sections = &outcome.resolved.as_ref().unwrap().sections;

    let info: Value = serde_json::from_str(&run("ofdkit", &[&"info", &"--json", &ofd])).expect("ofdkit info --json");
    let pages = info["pages"].as_array().expect("ofdkit lists the pages");
    assert_eq!(pages.len(), pdf_pages(&pdf), "ofdkit counts the PDF's pages");
    assert!(pages.iter().all(|p| p["width_mm"] == 210.0 && p["height_mm"] == 297.0), "A4 pages: {info}");
    assert_eq!(info["info"]["title"], "威海市文登区应急管理局2021年政府信息公开工作年度报告");
    assert_eq!(info["info"]["author"], "威海市文登区应急管理局");

    // ofdkit marks no page breaks in its text, so the documents are compared whole, after
    // removing whitespace. Readers order table cells differently (pdftotext by its column
    // heuristics, ofdkit by position), so inside the tables the same characters must be
    // there the same number of times; before the first table and from section 五 to the end
    // the text must be identical.
    let o = squash(&run("ofdkit", &[&"text", &ofd]));
    let p = squash(&run("pdftotext", &[&pdf, &"-"]));
    println!("ofdkit: {} characters, pdftotext: {} characters", o.chars().count(), p.chars().count());
    assert_eq!(multiset(&o), multiset(&p), "the same characters, each as often");
    let first_table = squash(&sections[1].heading);
    let (oa, pa) = (o.find(&first_table).expect("section 二 in ofdkit"), p.find(&first_table).expect("section 二"));
    assert_eq!(&o[..oa], &p[..pa], "text before the first table");
    let five = squash(&sections[4].heading);
    let (ob, pb) = (o.find(&five).expect("section 五 in ofdkit"), p.find(&five).expect("section 五"));
    assert_eq!(&o[ob..], &p[pb..], "text from section 五 to the signature");
    for needle in [
        "一、总体情况",
        "2021",
        "0631-8360066",
        "，",
        "。",
        "“",
        "（一）",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
    ] {
        assert!(o.contains(needle), "{needle} in ofdkit's text");
    }
}

#[test]
fn same_input_gives_the_same_ofd_and_the_doc_id_follows_the_content() {
    let dir = scratch("same");
    let r = sample_json();
    let a = build(&r, &dir, vec![OutputKind::Ofd]);
    let b = build(&r, &dir, vec![OutputKind::Ofd]);
    assert_eq!(data(&a, OutputKind::Ofd), data(&b, OutputKind::Ofd), "same input, same bytes");

    let mut changed = r.clone();
    changed["agency"] = Value::String("威海市文登区应急管理服务中心".into());
    let c = build(&changed, &dir, vec![OutputKind::Ofd]);
    let doc_id = |bytes: &[u8]| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("OFD.xml").unwrap(), &mut s).unwrap();
        let doc = roxmltree::Document::parse(&s).unwrap();
        doc.descendants().find(|n| n.tag_name().name() == "DocID").and_then(|n| n.text()).unwrap().to_string()
    };
    assert_ne!(doc_id(data(&a, OutputKind::Ofd)), doc_id(data(&c, OutputKind::Ofd)));
}

#[test]
fn embedded_fonts_keep_a_cmap_and_only_the_glyphs_used() {
    let dir = scratch("fonts");
    let o = build(&sample_json(), &dir, vec![OutputKind::Ofd]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(data(&o, OutputKind::Ofd).to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    let fonts: Vec<&String> = names.iter().filter(|n| n.starts_with("Doc_0/Res/font_")).collect();
    assert!(fonts.len() >= 3, "title, body and heading faces embedded: {names:?}");
    for name in fonts {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut bytes).unwrap();
        let face = ttf_parser::Face::parse(&bytes, 0).expect("the subset is a font ttf-parser reads");
        assert!(face.number_of_glyphs() < 2000, "{name} is subset: {} glyphs", face.number_of_glyphs());
        assert!(face.tables().cmap.is_some(), "{name} keeps a cmap");
    }
}

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

#[test]
fn batch_manifest_lists_the_ofd_and_verify_covers_it() {
    let dir = scratch("batch");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(sample_path(WENDENG), input.join("a.json")).unwrap();
    let out = dir.join("out");
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--format", &"pdf,ofd", &"--fonts", &"bundled"]);
    assert!(o.status.success(), "{}\n{}", text(&o.stdout), text(&o.stderr));
    let manifest: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let outputs = manifest["reports"][0]["outputs"].as_array().unwrap();
    let ofd = outputs.iter().find(|o| o["format"] == "ofd").expect("the OFD is listed");
    let pdf = outputs.iter().find(|o| o["format"] == "pdf").unwrap();
    assert_eq!(ofd["pages"], pdf["pages"]);
    assert_eq!(ofd["fonts"], pdf["fonts"], "the OFD embeds the PDF's faces");
    assert_eq!(ofd["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(manifest["summary"]["pages"], pdf["pages"], "a report's pages are counted once");
    let file = out.join(ofd["file"].as_str().unwrap());
    assert_eq!(std::fs::metadata(&file).unwrap().len(), ofd["bytes"].as_u64().unwrap());

    let o = nianbao(&[&"manifest", &"verify", &out.join("manifest.json")]);
    assert!(o.status.success(), "{}", text(&o.stdout));
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let o = nianbao(&[&"manifest", &"verify", &out.join("manifest.json")]);
    assert_eq!(o.status.code(), Some(1), "a changed OFD fails verification");
    assert!(text(&o.stdout).contains(".ofd"), "{}", text(&o.stdout));
}

#[test]
fn without_a_signature_date_the_ofd_is_not_claimed_ofd_a() {
    let mut doc = {
        let checked = nianbao::inspect::check_bytes(&std::fs::read(sample_path(WENDENG)).unwrap(), None);
        nianbao::resolve::resolve(checked.report.as_ref().unwrap(), None)
    };
    doc.metadata.date = None;
    let e = engine();
    let typeset = e.pdf().typeset(&doc, e.profile(), None).expect("typesets");
    let ofd = nianbao::render::ofd::render(&typeset.document, &doc, None).expect("writes");
    assert_eq!(ofd.doc_type, "OFD");
    assert!(!ofd.conformance.metadata_complete && ofd.conformance.fonts_embedded);
    assert!(ofd.warnings.iter().any(|d| d.rule == "ofd-archival"));
    let path = scratch("undated").join("undated.ofd");
    std::fs::write(&path, &ofd.bytes).unwrap();
    let reader = ofd_core::OfdReader::open(&path).unwrap();
    assert_eq!(reader.ofd().doc_type, "OFD");
    assert!(reader.ofd().doc_bodies[0].doc_info.creation_date.is_none(), "no date is made up");
}
