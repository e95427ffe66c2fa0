//! `--format html` (the portal page) and `import` of HTML pages and of web text with blank
//! cells.
//!
//! The page is read by tools we did not write: html5lib (Python, the HTML5 parsing algorithm)
//! must report no parse error; axe-core (npm) run in Debian's headless Chromium must report no
//! violation of the WCAG 2.1 A/AA rules; Chromium's computed styles must show the numbers
//! right-aligned. Structure and text are compared with the resolved report through `scraper`.
//! Tests needing python3 + html5lib or chromium + axe-core skip with a note when they are
//! missing, and fail with NIANBAO_REQUIRE_TOOLS=1.
//!
//! Fixtures (tests/fixtures/html/), made by `make_fixtures.py` from nianbao's page of reports
//! written by `nianbao sample --seed 7`: `STEM.json` (the report), `STEM.portal.html` (as a
//! portal CMS publishes it: navigation, breadcrumb, layout table, publication line, share
//! buttons, footer; tables without header markup, zeros as blank and `&nbsp;` cells) and
//! `STEM.webtext.txt` (what a browser copies from it: one cell per line, blank cells as empty
//! lines).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html, Selector};

use crate::common::{printed_text, report, sample, sample_path, tool, LANSHAN_2022, LANSHAN_2023, WENDENG};
use nianbao::import::{import, Form, Imported};
use nianbao::model::Report;
use nianbao::render::html::HtmlOptions;
use nianbao::resolve::{resolve, CellKind, Resolved};

const FIXTURES: [&str; 2] = ["chenggong-statistics-2023", "huangdao-housing-2023"];

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html").join(name)
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args).output().expect("nianbao runs")
}

fn render(r: &Report, options: HtmlOptions) -> String {
    let resolved = resolve(r, None);
    let bytes = nianbao::render::html::render(&resolved, &nianbao::profile::Profile::builtin(), None, &options)
        .expect("HTML renders");
    String::from_utf8(bytes).expect("UTF-8")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text_of(e: &ElementRef) -> String {
    e.text().collect::<String>()
}

/// Build a report file with the command line into `dir`; the page's path.
fn build_page(report: &Path, dir: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build", report.to_str().unwrap(), "-o", dir.to_str().unwrap(), "--format", "html"];
    args.extend(extra);
    let out = nianbao(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "html"))
        .expect("an .html was written");
    assert!(String::from_utf8_lossy(&out.stdout).contains(".html"));
    page
}

// ---------------------------------------------------------------------------------------------
// External tools

/// python3 with html5lib, or `None` (skipped, or a failure under NIANBAO_REQUIRE_TOOLS=1).
fn html5lib() -> Option<()> {
    if !tool("python3") {
        return None;
    }
    let ok = Command::new("python3").args(["-c", "import html5lib"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        crate::common::missing("python3 html5lib");
        return None;
    }
    Some(())
}

/// The parse errors html5lib reports for a document (or, `fragment`, an element's content).
fn html5lib_errors(html: &str, fragment: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.html");
    std::fs::write(&file, html).unwrap();
    let script = format!(
        "import sys, html5lib\np = html5lib.HTMLParser(strict=False)\np.{}(open(sys.argv[1], 'rb').read())\nfor pos, code, data in p.errors: print(pos, code, data)\nprint('parsed')",
        if fragment { "parseFragment" } else { "parse" }
    );
    let out = Command::new("python3").args(["-c", &script, file.to_str().unwrap()]).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success() && stdout.contains("parsed"), "{}", String::from_utf8_lossy(&out.stderr));
    stdout.lines().filter(|l| *l != "parsed").map(String::from).collect()
}

/// axe-core's browser build, installed by npm (globally, as .ci/run does).
fn axe_script() -> Option<PathBuf> {
    if !tool("chromium") || !tool("npm") {
        return None;
    }
    let root = Command::new("npm").args(["root", "-g"]).output().ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&root.stdout).trim()).join("axe-core/axe.min.js");
    if !path.exists() {
        crate::common::missing("axe-core (npm -g)");
        return None;
    }
    Some(path)
}

fn chromium(dir: &Path, args: &[&str]) -> Output {
    let profile = tempfile::tempdir_in(dir).unwrap();
    let mut all = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    Command::new("chromium").args(&all).output().expect("chromium runs")
}

/// What the page reports in Chromium: axe's WCAG 2.1 A/AA violations (id and the first
/// offending node) and the computed text alignment of the number cells and of the signature.
struct Audit {
    violations: Vec<String>,
    passes: usize,
    number_align: Vec<String>,
    signature_align: String,
}

fn audit(html: &str, axe: &Path) -> Audit {
    let dir = tempfile::tempdir().unwrap();
    // The page forbids scripts (its Content-Security-Policy); the audit copy drops that line to
    // run axe, and nothing else changes.
    let page: String = html.lines().filter(|l| !l.contains("Content-Security-Policy")).collect::<Vec<_>>().join("\n");
    let probe = format!(
        r#"<script src="file://{axe}"></script>
<script>
axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }}).then(function (r) {{
  var out = {{
    violations: r.violations.map(function (v) {{ return v.id + ': ' + v.nodes[0].html; }}),
    passes: r.passes.length,
    number_align: Array.prototype.map.call(document.querySelectorAll('td.nb-num'), function (td) {{ return getComputedStyle(td).textAlign; }}),
    signature_align: getComputedStyle(document.querySelector('.nb-sig')).textAlign
  }};
  var pre = document.createElement('pre');
  pre.id = 'audit';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script>
</body>"#,
        axe = axe.display()
    );
    let page = page.replacen("</body>", &probe, 1);
    let file = dir.path().join("page.html");
    std::fs::write(&file, page).unwrap();
    let url = format!("file://{}", file.display());
    let out =
        chromium(dir.path(), &["--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&out.stdout);
    let doc = Html::parse_document(&dom);
    let pre = doc
        .select(&sel("pre#audit"))
        .next()
        .unwrap_or_else(|| panic!("axe ran: {}", String::from_utf8_lossy(&out.stderr)));
    let v: serde_json::Value = serde_json::from_str(&text_of(&pre)).expect("audit JSON");
    let strings = |k: &str| v[k].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
    Audit {
        violations: strings("violations"),
        passes: v["passes"].as_u64().unwrap() as usize,
        number_align: strings("number_align"),
        signature_align: v["signature_align"].as_str().unwrap().to_string(),
    }
}

/// A fragment as a CMS shows it: inside a page of its own.
fn host_page(fragment: &str) -> String {
    format!("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>政府信息公开专栏</title>\n</head>\n<body>\n<main>\n{fragment}</main>\n</body>\n</html>\n")
}

// ---------------------------------------------------------------------------------------------
// The page

/// A table as rows of cells: (kind, text, colspan, rowspan).
type Grid = Vec<Vec<(String, String, usize, usize)>>;

/// Every cell of the resolved tables as (kind, text, colspan, rowspan), row by row.
fn resolved_tables(d: &Resolved) -> Vec<Grid> {
    d.sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .map(|t| {
            t.rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| {
                            let tag = if c.kind == CellKind::Number || c.kind == CellKind::Note { "td" } else { "th" };
                            (tag.to_string(), c.text.clone(), c.colspan, c.rowspan)
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn page_tables(doc: &Html) -> Vec<Grid> {
    let span = |e: &ElementRef, a: &str| e.value().attr(a).map_or(1, |v| v.parse().unwrap());
    doc.select(&sel("table"))
        .map(|t| {
            t.select(&sel("tr"))
                .map(|tr| {
                    tr.select(&sel("th, td"))
                        .map(|c| (c.value().name().to_string(), text_of(&c), span(&c, "colspan"), span(&c, "rowspan")))
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_page_has_the_pdfs_words_in_real_html_structure() {
    let dir = tempfile::tempdir().unwrap();
    let page = build_page(&sample_path(WENDENG), dir.path(), &[]);
    let html = std::fs::read_to_string(&page).unwrap();
    let d = resolve(&report(&sample(WENDENG)), None);
    let doc = Html::parse_document(&html);

    assert!(html.starts_with("<!DOCTYPE html>"));
    let root = doc.root_element();
    assert_eq!(root.value().attr("lang"), Some("zh-CN"));
    assert_eq!(doc.select(&sel("meta[charset]")).next().and_then(|m| m.value().attr("charset")), Some("utf-8"));
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    assert_eq!(doc.select(&sel("script, link, iframe, object, embed")).count(), 0);
    assert!(doc.select(&sel("[src]")).all(|e| e.value().attr("src").unwrap().starts_with("data:")));
    assert!(!html.contains("url("), "no resource named in CSS");
    assert!(doc.select(&sel("meta[http-equiv=Content-Security-Policy]")).next().is_some());
    assert!(html.contains("@media print") && html.contains("@page"));

    // The same words in the same order as the PDF.
    let h1: Vec<String> =
        doc.select(&sel("h1")).map(|h| h.text().map(str::to_string).collect::<Vec<_>>()).next().unwrap();
    assert_eq!(h1, d.title_lines);
    let h2: Vec<String> = doc.select(&sel("h2")).map(|h| text_of(&h)).collect();
    assert_eq!(h2, d.sections.iter().map(|s| s.heading.clone()).collect::<Vec<_>>());
    let h3: Vec<String> = doc.select(&sel("h3")).map(|h| text_of(&h)).collect();
    let subs: Vec<String> = d.sections.iter().flat_map(|s| s.subsections.iter().map(|x| x.heading.clone())).collect();
    assert_eq!(h3, subs);
    let paras: Vec<String> = doc.select(&sel("p.nb-p")).map(|p| text_of(&p)).collect();
    let mut want = d.preamble.clone();
    for s in &d.sections {
        want.extend(s.paragraphs.iter().cloned());
        for sub in &s.subsections {
            want.extend(sub.paragraphs.iter().cloned());
        }
    }
    assert_eq!(paras, want);
    let sig: Vec<String> = doc.select(&sel(".nb-sig p")).map(|p| text_of(&p)).collect();
    assert_eq!(sig, [d.signature.agency.clone(), d.signature.date_text.clone()]);
    assert_eq!(
        doc.select(&sel(".nb-sig time")).next().and_then(|t| t.value().attr("datetime")),
        d.signature.date_iso.as_deref()
    );

    // Tables: the resolved grids with their merges; captions, header groups, scopes.
    assert_eq!(page_tables(&doc), resolved_tables(&d));
    for t in doc.select(&sel("table")) {
        assert!(t.select(&sel("caption")).next().is_some_and(|c| !text_of(&c).is_empty()));
        assert!(t.select(&sel("thead th")).next().is_some());
        assert!(t.select(&sel("th")).all(|th| th.value().attr("scope").is_some()), "every th has a scope");
        assert!(t.select(&sel("td.nb-num")).all(|td| text_of(&td).chars().all(|c| c.is_ascii_digit() || c == '.')));
    }
    let t3 = doc.select(&sel("table#nb-table3")).next().unwrap();
    assert_eq!(t3.select(&sel("thead tr")).count(), 3);
    assert!(t3.select(&sel("th[rowspan]")).any(|th| text_of(&th) == "三、本年度办理结果"));
    // No seal unless asked for.
    assert_eq!(doc.select(&sel("img")).count(), 0);

    // html5lib: not one parse error.
    if html5lib().is_some() {
        assert_eq!(html5lib_errors(&html, false), Vec::<String>::new());
    }
}

#[test]
fn the_page_passes_axe_in_chromium_and_its_numbers_are_right_aligned() {
    let Some(axe) = axe_script() else { return };
    for name in [WENDENG, LANSHAN_2023] {
        let r = report(&sample(name));
        let page = render(&r, HtmlOptions::default());
        let a = audit(&page, &axe);
        assert_eq!(a.violations, Vec::<String>::new(), "{name}");
        assert!(a.passes >= 10, "axe ran its rules ({} passed)", a.passes);
        assert!(!a.number_align.is_empty() && a.number_align.iter().all(|s| s == "right"), "{:?}", a.number_align);
        assert_eq!(a.signature_align, "right");
        // The fragment, pasted into a CMS page: the same, from its inline styles alone.
        let fragment = render(&r, HtmlOptions { fragment: true, seal: false });
        let a = audit(&host_page(&fragment), &axe);
        assert_eq!(a.violations, Vec::<String>::new(), "{name} fragment");
        assert!(a.number_align.iter().all(|s| s == "right"), "{:?}", a.number_align);
        assert_eq!(a.signature_align, "right");
    }
    // The audit can fail: a page with an image without alt text and grey text on white.
    let bad = render(&report(&sample(WENDENG)), HtmlOptions::default()).replacen(
        "<main>",
        "<main><img src=\"data:image/png;base64,iVBORw0KGgo=\"><p style=\"color:#bbb\">浅色文字</p>",
        1,
    );
    let a = audit(&bad, &axe);
    assert!(a.violations.iter().any(|v| v.starts_with("image-alt")), "{:?}", a.violations);
    assert!(a.violations.iter().any(|v| v.starts_with("color-contrast")), "{:?}", a.violations);
}

#[test]
fn the_fragment_is_the_article_alone_with_inline_styles() {
    let dir = tempfile::tempdir().unwrap();
    let page = build_page(&sample_path(LANSHAN_2022), dir.path(), &["--html-fragment"]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<article"), "{}", &html[..80]);
    for tag in ["<html", "<head", "<body", "<style", "<script", "<meta"] {
        assert!(!html.contains(tag), "{tag}");
    }
    let doc = Html::parse_fragment(&html);
    let styled = doc.select(&sel("[class]")).all(|e| e.value().attr("style").is_some_and(|s| !s.is_empty()));
    assert!(styled, "every element with a class carries its style inline");
    let num = doc.select(&sel("td.nb-num")).next().unwrap();
    assert!(num.value().attr("style").unwrap().contains("text-align: right"));
    if html5lib().is_some() {
        assert_eq!(html5lib_errors(&html, true), Vec::<String>::new());
    }
}

#[test]
fn report_text_is_escaped_never_markup() {
    let evil = "<script>alert(1)</script><b>粗体</b> & \"引号\" '单引号' <!-- 注释 --> </p></article>";
    let mut r = report(&sample(WENDENG));
    r.agency.push_str("<i>");
    r.title = Some(format!("标题{evil}\n2021年政府信息公开工作年度报告"));
    r.overview.paragraphs[0] = format!("第一段{evil}");
    let html = render(&r, HtmlOptions::default());
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel("script, b, i")).count(), 0);
    let first = doc.select(&sel("section p.nb-p")).next().unwrap();
    assert_eq!(text_of(&first), format!("第一段{evil}"));
    assert_eq!(doc.select(&sel("article")).count(), 1);
    assert!(text_of(&doc.select(&sel("h1")).next().unwrap()).contains(evil));
    assert!(doc.select(&sel("title")).next().is_some_and(|t| text_of(&t).contains("<script>")));
    if html5lib().is_some() {
        assert_eq!(html5lib_errors(&html, false), Vec::<String>::new());
    }
}

#[test]
fn same_input_same_bytes_and_batch_writes_pages() {
    let r = report(&sample(WENDENG));
    assert_eq!(render(&r, HtmlOptions::default()), render(&r, HtmlOptions::default()));
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for name in [WENDENG, LANSHAN_2023] {
        std::fs::copy(sample_path(name), inputs.join(name)).unwrap();
    }
    let out_dir = dir.path().join("out");
    let out = nianbao(&[
        "batch",
        inputs.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--format",
        "html",
        "--html-fragment",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let pages: Vec<PathBuf> =
        walk(&out_dir).into_iter().filter(|p| p.extension().is_some_and(|x| x == "html")).collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    for p in &pages {
        assert!(std::fs::read_to_string(p).unwrap().starts_with("<article"));
    }
    let manifest = walk(&out_dir)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("manifest")))
        .unwrap();
    assert!(std::fs::read_to_string(manifest).unwrap().contains("\"format\": \"html\""));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_seal_is_off_by_default_and_an_inline_image_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let gen = dir.path().join("gen");
    let out = nianbao(&["sample", "--count", "4", "--seed", "7", "-o", gen.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let sealed = walk(&gen)
        .into_iter()
        .find(|p| {
            p.extension().is_some_and(|x| x == "json") && std::fs::read_to_string(p).unwrap().contains("\"seal\"")
        })
        .expect("a generated report with a seal");
    let plain = build_page(&sealed, &dir.path().join("a"), &[]);
    assert!(!std::fs::read_to_string(plain).unwrap().contains("<img"));
    let with = build_page(&sealed, &dir.path().join("b"), &["--html-seal"]);
    let html = std::fs::read_to_string(with).unwrap();
    let doc = Html::parse_document(&html);
    let img = doc.select(&sel(".nb-sig img")).next().expect("the seal");
    assert!(img.value().attr("src").unwrap().starts_with("data:image/png;base64,"));
    assert!(img.value().attr("alt").unwrap().ends_with("印章"));
    if html5lib().is_some() {
        assert_eq!(html5lib_errors(&html, false), Vec::<String>::new());
    }
}

// ---------------------------------------------------------------------------------------------
// Import

/// The imported report's JSON is a valid report that decodes back to it.
fn valid(imp: &Imported) -> Report {
    let r = imp.report.clone().expect("a report was imported");
    let text = imp.to_json("x.html").expect("JSON").to_pretty();
    let decoded = nianbao::model::decode(&text);
    assert!(!decoded.diagnostics.has_errors(), "{:?}", decoded.diagnostics);
    assert_eq!(decoded.report.as_ref(), Some(&r));
    r
}

/// Tables, sections, contact, signature: what `expected` prints, the imported report prints.
fn assert_same_report(got: &Report, want: &Report, what: &str) {
    assert_eq!((got.agency.as_str(), got.year), (want.agency.as_str(), want.year), "{what}");
    assert_eq!(got.contact, want.contact, "{what}");
    assert_eq!(got.signature.date, want.signature.date, "{what}");
    assert_eq!(got.active_disclosure, want.active_disclosure, "{what}");
    let (a, b) = (resolve(got, None), resolve(want, None));
    assert_eq!(resolved_tables(&a), resolved_tables(&b), "{what}: tables");
    assert_eq!(printed_text(got), printed_text(want), "{what}: text");
}

#[test]
fn the_page_imports_to_the_same_report() {
    let mut reports: Vec<(String, Report)> =
        [WENDENG, LANSHAN_2023, LANSHAN_2022].iter().map(|n| (n.to_string(), report(&sample(n)))).collect();
    for f in FIXTURES {
        reports.push((f.to_string(), report(&std::fs::read_to_string(fixture(&format!("{f}.json"))).unwrap())));
    }
    for (name, want) in &reports {
        for fragment in [false, true] {
            let html = render(want, HtmlOptions { fragment, seal: false });
            let imp = import(html.as_bytes(), None);
            assert_eq!(imp.form, Form::Html);
            assert!(imp.diagnostics.is_empty(), "{name}: {:?}", imp.diagnostics);
            assert!(imp.unplaced.is_empty(), "{name}: {:?}", imp.unplaced);
            let got = valid(&imp);
            assert_same_report(&got, want, name);
            assert!(imp.check(None).is_empty(), "{name}: {:?}", imp.check(None));
        }
    }
}

#[test]
fn import_check_of_a_built_page_gives_back_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let page = build_page(&sample_path(WENDENG), dir.path(), &[]);
    let out = nianbao(&["import", page.to_str().unwrap(), "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(html) 完成 / ok — 0 个错误 / errors, 0 个警告 / warnings"), "{stderr}");
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: serde_json::Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    for key in ["agency", "year", "contact", "active_disclosure", "applications", "review_litigation", "signature"] {
        assert_eq!(got[key], want[key], "{key}");
    }
}

#[test]
fn a_portal_page_is_read_from_among_its_chrome() {
    for f in FIXTURES {
        let want = report(&std::fs::read_to_string(fixture(&format!("{f}.json"))).unwrap());
        let imp = import(&std::fs::read(fixture(&format!("{f}.portal.html"))).unwrap(), None);
        assert_eq!(imp.form, Form::Html);
        assert!(!imp.has_errors(), "{f}: {:?}", imp.diagnostics);
        let got = valid(&imp);
        assert_same_report(&got, &want, f);
        // The blank and &nbsp; cells were read as 0, with a note per row.
        let blank: Vec<_> = imp.diagnostics.iter().filter(|d| d.rule == "import-blank-cell").collect();
        assert!(!blank.is_empty(), "{f}");
        assert!(blank.iter().all(|d| d.line.is_some()));
        // The portal's own text is kept as unplaced notes, never in the report.
        let unplaced: Vec<&str> = imp.unplaced.iter().map(|u| u.text.as_str()).collect();
        assert!(unplaced.iter().any(|u| u.contains("浏览次数")), "{unplaced:?}");
        assert!(unplaced.iter().any(|u| u.contains("打印本页")), "{unplaced:?}");
        let json = imp.to_json("p.html").unwrap().to_pretty();
        for chrome in ["政府信息公开指南", "分享到", "网站标识码", "机构职能", "当前位置"] {
            assert!(!json.contains(chrome), "{f}: {chrome}");
        }
        assert!(imp.check(None).is_empty(), "{f}: {:?}", imp.check(None));
    }
}

#[test]
fn web_text_with_blank_cells_is_read_by_the_column_count() {
    for f in FIXTURES {
        let want = report(&std::fs::read_to_string(fixture(&format!("{f}.json"))).unwrap());
        let source = std::fs::read_to_string(fixture(&format!("{f}.webtext.txt"))).unwrap();
        let imp = import(source.as_bytes(), None);
        assert_eq!(imp.form, Form::Web);
        assert!(!imp.has_errors(), "{f}: {:?}", imp.diagnostics);
        let got = valid(&imp);
        assert_same_report(&got, &want, f);
        // Every row the input gives comes back as given; a row left to be computed (the （七）总计
        // row) comes back as the printed numbers, which the table comparison above has checked.
        for (g, w) in got.applications.rows.iter().zip(&want.applications.rows) {
            if w.given {
                assert_eq!(g, w, "{f}");
            }
        }
        // A row whose 法人或其他组织 cells are all blank is among them (5 blanks: the 自然人 and
        // 总计 cells given; 7: the whole row blank).
        let blank: Vec<_> = imp.diagnostics.iter().filter(|d| d.rule == "import-blank-cell").collect();
        assert!(
            blank.iter().any(|d| (5..=7).any(|n| d.message_zh.contains(&format!("有 {n} 个空白单元格")))),
            "{f}: {blank:?}"
        );
        assert!(imp.check(None).is_empty(), "{f}: {:?}", imp.check(None));
    }
}

#[test]
fn hostile_pages_never_panic() {
    // Deep nesting, absurd spans, a table inside a table inside a cell, an empty page.
    let deep = format!(
        "<html><body>{}2021年政府信息公开工作年度报告{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let imp = import(deep.as_bytes(), None);
    assert!(imp.has_errors());
    let spans = "<html><body><h1>某局2021年政府信息公开工作年度报告</h1><h2>二、主动公开政府信息情况</h2><table><tr><td colspan=\"99999999\" rowspan=\"99999999\">规章</td><td rowspan=0>1</td></tr><tr><td colspan=-3>x</td></tr></table></body></html>";
    let imp = import(spans.as_bytes(), None);
    assert!(imp.has_errors());
    for page in [
        "<html></html>",
        "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>",
        "<p>",
        "<!doctype html><p>&nbsp;</p>",
    ] {
        let imp = import(page.as_bytes(), None);
        assert_eq!(imp.form, Form::Html, "{page}");
        assert!(imp.has_errors(), "{page}");
    }
    // A page past the size limit is refused before parsing.
    let big = format!("<html>{}</html>", " ".repeat(nianbao::import::html::MAX_HTML_BYTES));
    let imp = import(big.as_bytes(), None);
    assert!(imp.diagnostics.iter().any(|d| d.rule == "import-read" && d.message_en.contains("too large")));
}
