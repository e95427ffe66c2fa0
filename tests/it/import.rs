//! `nianbao import`: published reports — web text, `pdftotext -layout` output, DOCX — back to
//! the input JSON, and the audit of their tables with `--check`.
//!
//! Fixtures (tests/fixtures/import/):
//! - `web-variants.txt`, `web-unbalanced.txt`: hand-made web text (one cell per line, rows on
//!   one tab-separated line, navigation before the title, 2019-style rows, typos, a fee in 元;
//!   tables that do not add up);
//! - `gov-typical.*`, `gov-unbalanced.*`: a Word-style document (`.fodt`, written by `fodt.py`
//!   from the `.json` beside it, with `- N -` or `第 N 页` footers), its PDF made by
//!   LibreOffice and that PDF's `pdftotext -layout` output (`.pdftotext.txt`);
//! - `lanshan-2023.nianbao-pdf.pdftotext.txt`: `pdftotext -layout` of nianbao's own PDF of
//!   `samples/lanshan-market-2023.json`.
//!
//! DOCX inputs are made in the tests: with nianbao's DOCX writer, and by hand with docx-rs in a
//! flat table style (no merged cells, group cells repeated on every row). Tests that run
//! pdftotext or LibreOffice skip with a note when the tool is missing, and fail when
//! NIANBAO_REQUIRE_TOOLS=1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{line_of, printed_text, report, sample, tool, LANSHAN_2022, LANSHAN_2023, WENDENG};
use nianbao::diag::Diagnostic;
use nianbao::import::{import, Form, Imported};
use nianbao::model::Report;
use nianbao::resolve::resolve;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

fn seed() -> PathBuf {
    root().join("tests/fixtures/seeds/wendeng-emergency-2021.txt")
}

fn import_path(path: &Path) -> Imported {
    import(&std::fs::read(path).expect("fixture is readable"), None)
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args).output().expect("nianbao runs")
}

fn rules(diags: &nianbao::diag::Diagnostics) -> Vec<&'static str> {
    diags.iter().map(|d| d.rule).collect()
}

fn find<'a>(diags: &'a nianbao::diag::Diagnostics, rule: &str) -> Vec<&'a Diagnostic> {
    diags.iter().filter(|d| d.rule == rule).collect()
}

/// The imported report, after a check that its JSON is a valid report (decodes without a
/// single diagnostic and passes the JSON Schema) that decodes back to the same report.
fn valid_report(imp: &Imported, source: &str) -> Report {
    let r = imp.report.clone().expect("a report was imported");
    let text = imp.to_json(source).expect("JSON").to_pretty();
    let decoded = nianbao::model::decode(&text);
    assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
    assert_eq!(decoded.report.as_ref(), Some(&r), "the JSON decodes back to the imported report");
    let value: Value = serde_json::from_str(&text).expect("JSON");
    let schema = nianbao::model::schema::schema();
    let validator = jsonschema::draft202012::options().build(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(value["x-source"], source);
    r
}

/// Every cell of tables 二, 三 and 四 as the documents print them.
fn printed_tables(r: &Report) -> Vec<Vec<Vec<String>>> {
    resolve(r, None)
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .map(|t| t.rows.iter().map(|row| row.iter().map(|c| c.text.clone()).collect()).collect())
        .collect()
}

/// The imported report prints what `expected` prints: tables, text, contact, signature.
fn assert_prints_the_same(imported: &Report, expected: &Report) {
    assert_eq!(imported.agency, expected.agency);
    assert_eq!(imported.year, expected.year);
    assert_eq!(imported.contact, expected.contact);
    assert_eq!(imported.signature.date, expected.signature.date);
    assert_eq!(imported.active_disclosure, expected.active_disclosure);
    assert_eq!(printed_tables(imported), printed_tables(expected));
    let (a, b) = (printed_text(imported), printed_text(expected));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "paragraph {i}");
    }
    assert_eq!(a.len(), b.len());
}

// ---------------------------------------------------------------------------------------------
// The seed: web text as published

#[test]
fn the_seed_imports_to_the_sample() {
    let imp = import_path(&seed());
    assert_eq!(imp.form, Form::Web);
    assert!(imp.diagnostics.is_empty(), "{:?}", imp.diagnostics);
    assert!(imp.unplaced.is_empty());
    let r = valid_report(&imp, "wendeng-emergency-2021.txt");
    let s = report(&sample(WENDENG));
    // Tables, contact, signature, date and the section texts word for word.
    assert_eq!(r.active_disclosure, s.active_disclosure);
    assert_eq!(r.applications, s.applications);
    assert_eq!(r.review_litigation, s.review_litigation);
    assert_eq!(r.contact, s.contact);
    assert_eq!(r.signature, s.signature);
    assert_eq!(r.preamble, s.preamble);
    assert_eq!(r.overview, s.overview);
    assert_eq!(r.problems, s.problems);
    assert_eq!(r.other_matters, s.other_matters);
    assert_eq!((r.agency.as_str(), r.year), (s.agency.as_str(), s.year));
    assert!(imp.check(None).is_empty(), "{:?}", imp.check(None));
}

#[test]
fn import_check_of_the_seed_is_clean_and_prints_the_sample() {
    let seed = seed();
    let out = nianbao(&["import", seed.to_str().unwrap(), "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("导入 / import (web) 完成 / ok — 0 个错误 / errors, 0 个警告 / warnings"), "{stderr}");
    assert!(stderr.contains("核对 / check 通过 / ok — 0 个错误 / errors, 0 个警告 / warnings"), "{stderr}");
    let got: Value = serde_json::from_slice(&out.stdout).expect("standard output is the JSON");
    let want: Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    for key in ["agency", "year", "contact", "active_disclosure", "applications", "review_litigation", "signature"] {
        assert_eq!(got[key], want[key], "{key}");
    }
    assert_eq!(got["x-source"], "wendeng-emergency-2021.txt");
    assert!(got.get("x-unplaced").is_none());
}

#[test]
fn the_imported_seed_builds() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("wendeng.json");
    let out = nianbao(&["import", seed().to_str().unwrap(), "-o", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let built = dir.path().join("out");
    let out = nianbao(&["build", json.to_str().unwrap(), "-o", built.to_str().unwrap(), "--format", "pdf,docx"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let names: Vec<String> =
        std::fs::read_dir(&built).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with(".pdf")) && names.iter().any(|n| n.ends_with(".docx")), "{names:?}");
    // The PDF, read back, imports to the same report again.
    if tool("pdftotext") {
        let pdf = names.iter().find(|n| n.ends_with(".pdf")).map(|n| built.join(n)).unwrap();
        let imp = import(pdftotext_layout(&pdf).as_bytes(), None);
        assert_eq!(imp.form, Form::Pdf);
        assert!(!imp.has_errors(), "{:?}", imp.diagnostics);
        assert_prints_the_same(&valid_report(&imp, "x.txt"), &report(&sample(WENDENG)));
    }
}

// ---------------------------------------------------------------------------------------------
// Web text variants

#[test]
fn web_text_variants_are_read_and_reported() {
    let path = fixture("web-variants.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let imp = import_path(&path);
    assert_eq!(imp.form, Form::Web);
    assert!(!imp.has_errors(), "{:?}", imp.diagnostics);
    let r = valid_report(&imp, "web-variants.txt");

    // Title on one line with 年度, website navigation before it.
    assert_eq!((r.agency.as_str(), r.year), ("某某县司法局", 2021));
    let c = &r.contact;
    assert_eq!(c.office, "某某县司法局办公室");
    assert_eq!(c.phone.as_deref(), Some("0531-88001234"));
    assert_eq!(c.email.as_deref(), Some("sfj@moumou.gov.cn"));
    assert_eq!(c.website_url.as_deref(), Some("www.moumou.gov.cn"));
    assert_eq!(c.website_name.as_deref(), Some("某某县人民政府门户网站"));
    // 二〇二二年一月二十日 in Chinese numerals.
    assert_eq!(r.signature.date.map(|d| d.to_string()).as_deref(), Some("2022-01-20"));
    assert_eq!(r.signature.agency.as_deref(), Some("某某县司法局"));

    // A subsection title with its text on the same line.
    let sub = &r.overview.subsections;
    assert_eq!(sub.len(), 2);
    assert_eq!(sub[0].title, "主动公开情况");
    assert_eq!(sub[0].paragraphs, ["全年主动公开政府信息126条，其中规范性文件2件。"]);
    assert_eq!(sub[1].title, "依申请公开情况");

    // Table 二: dashes as 0, the 2019 label 规范性文件, the fee in 元 converted to 万元.
    let a = &r.active_disclosure;
    assert_eq!((a.regulations.issued, a.regulations.repealed, a.regulations.in_force), (0, 0, 0));
    assert_eq!((a.normative_documents.issued, a.normative_documents.in_force), (2, 7));
    assert_eq!((a.licensing, a.penalty, a.coercion), (12, 3, 0));
    assert_eq!(a.fees.as_str(), "0.5");
    assert_eq!(find(&imp.diagnostics, "import-blank-cell").len(), 3);
    assert_eq!(find(&imp.diagnostics, "import-fee-unit")[0].line, Some(line_of(&text, "行政事业性收费")));

    // Table 三 without the 总计 column, with typos, a short label and the 2019 （六） row.
    let app = r.applications.row("new").unwrap();
    assert_eq!((app.cells, app.total), ([7, 1, 0, 0, 1, 0], None));
    assert_eq!(r.applications.row("results.denied.third_party_rights").unwrap().cells, [1, 0, 0, 0, 0, 0]);
    assert_eq!(r.applications.row("results.unable_to_provide.not_held").unwrap().cells, [1, 0, 0, 0, 1, 0]);
    assert_eq!(r.applications.row("results.other.other").unwrap().cells, [1, 0, 0, 0, 0, 0]);
    assert_eq!(r.applications.row("results.total").unwrap().cells, [8, 1, 0, 0, 1, 0]);
    let near: Vec<String> = find(&imp.diagnostics, "import-label").iter().map(|d| d.message_zh.clone()).collect();
    assert_eq!(near.len(), 4, "{near:?}");
    for (typo, official) in
        [("1.属于国家秘蜜", "1.属于国家秘密"), ("2.重复申清", "2.重复申请"), ("规范性文件", "行政规范性文件")]
    {
        assert!(near.iter().any(|m| m.contains(typo) && m.contains(official)), "{typo}: {near:?}");
    }
    let old = find(&imp.diagnostics, "import-2019-row");
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].line, Some(line_of(&text, "（六）其他处理")));

    // Table 四 on one tab-separated line.
    assert_eq!(r.review_litigation.review.upheld, 1);
    assert_eq!(r.review_litigation.litigation_direct.pending, 1);

    // What found no place, with its line.
    let lines: Vec<(usize, &str)> = imp.unplaced.iter().map(|u| (u.line, u.text.as_str())).collect();
    assert_eq!(
        lines,
        [
            (1, "首页 > 政务公开 > 政府信息公开年度报告"),
            (2, "发布时间：2022-01-20 09:30　　来源：某某县司法局　　浏览次数：268"),
            (line_of(&text, "注：本表"), "注：本表数据截至2021年12月31日。"),
        ]
    );
    let json: Value = serde_json::from_str(&imp.to_json("web-variants.txt").unwrap().to_pretty()).unwrap();
    assert_eq!(json["x-unplaced"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["x-unplaced"][2]["line"], line_of(&text, "注：本表"));
    assert!(json["x-unplaced"][2]["reason"].as_str().unwrap().contains("表三"));

    // The tables add up.
    assert!(imp.check(None).is_empty(), "{:?}", imp.check(None));
}

#[test]
fn web_text_that_does_not_add_up_imports_and_check_names_the_rules_and_lines() {
    let path = fixture("web-unbalanced.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let imp = import_path(&path);
    assert!(imp.diagnostics.is_empty(), "{:?}", imp.diagnostics);
    let r = valid_report(&imp, "web-unbalanced.txt");
    // A 总计 that disagrees with its row is kept for the check; the agreeing ones are dropped.
    assert_eq!(r.applications.row("results.granted").unwrap().total, Some(4));
    assert_eq!(r.applications.row("new").unwrap().total, None);
    assert_eq!(r.active_disclosure.fees.as_str(), "0.35");

    let found = imp.check(None);
    assert_eq!(rules(&found), ["table3-row-total", "table3-balance", "table4-total"]);
    // Located at the lines of the published text: the 7th cell of （一）予以公开, （七）总计's first
    // cell, table 四's review total.
    let granted = line_of(&text, "（一）予以公开");
    assert_eq!(found.0[0].line, Some(granted + 7));
    assert_eq!(found.0[0].path, "applications.results.granted[6]");
    assert_eq!(found.0[1].line, Some(line_of(&text, "（七）总计") + 1));
    assert_eq!(found.0[2].path, "review_litigation.review.total");
    assert!(found.0[2].line.unwrap() > line_of(&text, "四、政府信息公开行政复议"));
}

#[test]
fn a_table_that_cannot_be_read_is_an_error_and_its_text_is_kept() {
    let text = std::fs::read_to_string(seed()).unwrap();
    // Cut one number out of the 一、本年新收 row: six cells where seven belong.
    let broken =
        text.replacen("\t一、本年新收政府信息公开申请数量\n\t5\n\t0\n", "\t一、本年新收政府信息公开申请数量\n\t5\n", 1);
    assert_ne!(broken, text);
    let imp = import(broken.as_bytes(), None);
    assert!(imp.has_errors());
    let errors = find(&imp.diagnostics, "import-table");
    assert_eq!(errors.len(), 1, "{:?}", imp.diagnostics);
    assert!(
        errors[0].message_zh.contains("一、本年新收政府信息公开申请数量") && errors[0].message_zh.contains("6 个数字")
    );
    assert_eq!(errors[0].line, Some(line_of(&broken, "一、本年新收")));
    assert_eq!(imp.unplaced.len(), 1);
    assert!(imp.unplaced[0].text.starts_with("一、本年新收政府信息公开申请数量 5 0"));
    // The JSON is still a valid report, the unread row waiting to be filled in.
    valid_report(&imp, "broken.txt");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.txt");
    std::fs::write(&p, &broken).unwrap();
    let out = nianbao(&["import", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["x-unplaced"][0]["reason"].as_str().unwrap().contains("6 个数字"));
}

#[test]
fn missing_contact_and_date_are_errors_not_guesses() {
    let text = std::fs::read_to_string(seed()).unwrap();
    let text = text.replace("请与威海市文登区应急管理局办公室联系", "欢迎监督").replace("电话：0631-8360066；", "");
    let text = text.replace("                                   2022年1月28日\n", "");
    let imp = import(text.as_bytes(), None);
    let errors: Vec<&str> = imp.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.rule).collect();
    assert_eq!(errors, ["import-contact", "import-contact", "import-signature"], "{:?}", imp.diagnostics);
}

// ---------------------------------------------------------------------------------------------
// pdftotext output

fn pdftotext_layout(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn expected(name: &str) -> Report {
    report(&std::fs::read_to_string(fixture(name)).unwrap())
}

#[test]
fn pdftotext_of_a_word_style_pdf() {
    let path = fixture("gov-typical.pdftotext.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("-1-") && text.contains('\u{c}'), "the fixture has page footers and page breaks");
    let imp = import_path(&path);
    assert_eq!(imp.form, Form::Pdf);
    // The document spells two labels wrong; nothing else is amiss.
    assert_eq!(rules(&imp.diagnostics), ["import-label", "import-label"]);
    assert!(imp.unplaced.is_empty());
    let r = valid_report(&imp, "gov-typical.pdftotext.txt");
    assert_prints_the_same(&r, &expected("gov-typical.json"));
    assert_eq!(r.applications, expected("gov-typical.json").applications);
    assert!(imp.check(None).is_empty());
}

#[test]
fn pdftotext_of_nianbaos_own_pdf() {
    let imp = import_path(&fixture("lanshan-2023.nianbao-pdf.pdftotext.txt"));
    assert_eq!(imp.form, Form::Pdf);
    assert!(imp.diagnostics.is_empty(), "{:?}", imp.diagnostics);
    let r = valid_report(&imp, "lanshan.txt");
    assert_prints_the_same(&r, &report(&sample(LANSHAN_2023)));
}

#[test]
fn pdftotext_of_a_pdf_that_does_not_add_up() {
    let path = fixture("gov-unbalanced.pdftotext.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("第 1 页") || text.contains("第1页"));
    let imp = import_path(&path);
    assert!(imp.diagnostics.is_empty(), "{:?}", imp.diagnostics);
    let r = valid_report(&imp, "gov-unbalanced.pdftotext.txt");
    assert_prints_the_same(&r, &expected("gov-unbalanced.json"));
    let found = imp.check(None);
    assert_eq!(
        rules(&found),
        ["table3-row-total", "table3-results-total", "table3-balance", "table3-balance", "table4-total"]
    );
    let granted_line = text.lines().position(|l| l.contains("（一）予以公开")).unwrap() + 1;
    assert_eq!(found.0[0].line, Some(granted_line));
    let total_line = text.lines().position(|l| l.contains("（七）总计")).unwrap() + 1;
    assert_eq!(found.0[2].line, Some(total_line));
}

#[test]
fn live_pdftotext_of_nianbaos_pdf() {
    if !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in [LANSHAN_2023, LANSHAN_2022] {
        let out_dir = dir.path().join(name);
        let src = crate::common::sample_path(name);
        let out = nianbao(&["build", src.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let pdf = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
            .unwrap();
        let imp = import(pdftotext_layout(&pdf).as_bytes(), None);
        assert_eq!(imp.form, Form::Pdf);
        assert!(imp.diagnostics.is_empty(), "{name}: {:?}", imp.diagnostics);
        assert_prints_the_same(&valid_report(&imp, "x.txt"), &report(&sample(name)));
    }
}

#[test]
fn live_pdftotext_of_a_libreoffice_pdf() {
    if !tool("soffice") || !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["gov-typical", "gov-unbalanced"] {
        let pdf = libreoffice_pdf(&fixture(&format!("{name}.fodt")), dir.path());
        let imp = import(pdftotext_layout(&pdf).as_bytes(), None);
        assert!(!imp.has_errors(), "{name}: {:?}", imp.diagnostics);
        assert!(imp.unplaced.is_empty(), "{name}: {:?}", imp.unplaced);
        assert_prints_the_same(&valid_report(&imp, "x.txt"), &expected(&format!("{name}.json")));
    }
}

/// Convert a document to PDF with LibreOffice, with the bundled fonts only.
fn libreoffice_pdf(input: &Path, dir: &Path) -> PathBuf {
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(input)
        .env("FONTCONFIG_FILE", root().join("tests/fontconfig/fonts.conf"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("HOME", dir)
        .output()
        .expect("run soffice");
    let pdf = dir.join(input.with_extension("pdf").file_name().unwrap());
    assert!(pdf.exists(), "LibreOffice did not convert: {}", String::from_utf8_lossy(&out.stderr));
    pdf
}

// ---------------------------------------------------------------------------------------------
// DOCX

fn nianbao_docx(r: &Report) -> Vec<u8> {
    let resolved = resolve(r, None);
    let profile = nianbao::profile::Profile::builtin();
    nianbao::render::docx::render(&resolved, &profile, None, &Default::default(), &[]).expect("DOCX renders")
}

#[test]
fn docx_written_by_nianbao_imports_to_the_same_report() {
    for name in [WENDENG, LANSHAN_2023, LANSHAN_2022] {
        let expected = report(&sample(name));
        let imp = import(&nianbao_docx(&expected), None);
        assert_eq!(imp.form, Form::Docx);
        assert!(imp.diagnostics.is_empty(), "{name}: {:?}", imp.diagnostics);
        let r = valid_report(&imp, "x.docx");
        assert_prints_the_same(&r, &expected);
    }
}

/// A DOCX built by hand in another table style: no merged cells (the group cells repeated on
/// every row of table 三), one header row, table 二 flat with empty cells, table 四 with its
/// headers run together; tables that do not add up.
fn hand_built_docx() -> Vec<u8> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run, Table, TableCell, TableRow};
    let p = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let cell = |t: &str| TableCell::new().add_paragraph(p(t));
    let row = |cells: &[&str]| TableRow::new(cells.iter().map(|c| cell(c)).collect());
    let numbers = |label: &[&str], v: [u64; 7]| {
        let mut cells: Vec<String> = label.iter().map(|s| s.to_string()).collect();
        cells.extend(v.iter().map(u64::to_string));
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        row(&refs)
    };
    let mut d = Docx::new()
        .add_paragraph(p("某某市某某区退役军人事务局2022年政府信息公开工作年度报告").align(AlignmentType::Center))
        .add_paragraph(p("本报告依据《中华人民共和国政府信息公开条例》编制。本报告电子版可在“某某区人民政府”门户网站（https://www.mouqu.gov.cn/tyjr）查阅。如有疑问，请与某某区退役军人事务局办公室联系（电话：0535-6601234；电子邮箱：tyjr@mouqu.gov.cn）。"))
        .add_paragraph(p("一、总体情况"))
        .add_paragraph(p("2022年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，做好优抚安置政策的公开工作。"))
        .add_paragraph(p("（一）主动公开情况"))
        .add_paragraph(p("全年主动公开政府信息58条。"))
        .add_paragraph(p("二、主动公开政府信息情况"));
    d = d.add_table(Table::new(vec![
        row(&["第二十条第（一）项", "", "", ""]),
        row(&["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        row(&["规章", "0", "0", "0"]),
        row(&["行政规范性文件", "1", "0", "4"]),
        row(&["第二十条第（五）项", "", "", ""]),
        row(&["信息内容", "本年处理决定数量", "", ""]),
        row(&["行政许可", "—", "", ""]),
        row(&["第二十条第（六）项", "", "", ""]),
        row(&["信息内容", "本年处理决定数量", "", ""]),
        row(&["行政处罚", "0", "", ""]),
        row(&["行政强制", "0", "", ""]),
        row(&["第二十条第（八）项", "", "", ""]),
        row(&["信息内容", "本年收费金额（单位：万元）", "", ""]),
        row(&["行政事业性收费", "0", "", ""]),
    ]));
    d = d.add_paragraph(p("三、收到和处理政府信息公开申请情况"));
    let mut rows = vec![row(&[
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ])];
    let results = "三、本年度办理结果";
    for def in nianbao::model::tables::TABLE3_ROWS.iter() {
        let v = match def.key {
            "new" => [4, 0, 0, 0, 0, 0, 4],
            "results.granted" => [2, 0, 0, 0, 0, 0, 2],
            "results.unable_to_provide.not_held" => [1, 0, 0, 0, 0, 0, 1],
            "results.total" => [3, 0, 0, 0, 0, 0, 3],
            "carried_forward" => [1, 0, 0, 0, 0, 0, 1],
            _ => [0; 7],
        };
        let label: Vec<&str> = match def.place {
            nianbao::model::tables::RowPlace::Top => vec![def.label],
            nianbao::model::tables::RowPlace::Result => vec![results, def.label],
            nianbao::model::tables::RowPlace::Member(g) => {
                vec![results, g.label(), def.label]
            }
        };
        rows.push(numbers(&label, v));
    }
    d = d.add_table(Table::new(rows));
    d = d.add_paragraph(p("四、政府信息公开行政复议、行政诉讼情况"));
    let mut head = Vec::new();
    for g in ["行政复议", "未经复议直接起诉", "复议后起诉"] {
        for c in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
            head.push(format!("{g}{c}"));
        }
    }
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    d = d.add_table(Table::new(vec![
        row(&head),
        row(&["0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]),
    ]));
    d = d
        .add_paragraph(p("五、存在的主要问题及改进情况"))
        .add_paragraph(p("政策解读还不够深入，将加强解读。"))
        .add_paragraph(p("六、其他需要报告的事项"))
        .add_paragraph(p("本年度未收取信息处理费。"))
        .add_paragraph(p("某某市某某区退役军人事务局").align(AlignmentType::Right))
        .add_paragraph(p("2023年1月12日").align(AlignmentType::Right));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).expect("DOCX packs");
    out.into_inner()
}

#[test]
fn a_hand_built_docx_with_flat_tables() {
    let bytes = hand_built_docx();
    let imp = import(&bytes, None);
    assert_eq!(imp.form, Form::Docx);
    assert_eq!(rules(&imp.diagnostics), ["import-blank-cell"], "{:?}", imp.diagnostics);
    assert!(imp.unplaced.is_empty(), "{:?}", imp.unplaced);
    let r = valid_report(&imp, "hand.docx");
    assert_eq!((r.agency.as_str(), r.year), ("某某市某某区退役军人事务局", 2022));
    assert_eq!(r.contact.office, "某某区退役军人事务局办公室");
    assert_eq!(r.contact.website_url.as_deref(), Some("https://www.mouqu.gov.cn/tyjr"));
    assert_eq!(r.contact.email.as_deref(), Some("tyjr@mouqu.gov.cn"));
    assert_eq!(r.signature.date.map(|d| d.to_string()).as_deref(), Some("2023-01-12"));
    assert_eq!(r.overview.subsections[0].title, "主动公开情况");
    assert_eq!(
        (r.active_disclosure.normative_documents.issued, r.active_disclosure.normative_documents.in_force),
        (1, 4)
    );
    assert_eq!(r.active_disclosure.licensing, 0);
    assert_eq!(r.applications.row("new").unwrap().cells, [4, 0, 0, 0, 0, 0]);
    assert_eq!(r.applications.row("carried_forward").unwrap().cells, [1, 0, 0, 0, 0, 0]);
    assert_eq!(r.applications.row("results.unable_to_provide.not_held").unwrap().cells, [1, 0, 0, 0, 0, 0]);
    assert_eq!(r.review_litigation.review.corrected, 1);
    assert_eq!(r.review_litigation.review.total, Some(0));
    // 4 = 3 + 1 balances; table 四's review group does not add up.
    let found = imp.check(None);
    assert_eq!(rules(&found), ["table4-total"]);
    // The listing line of the finding is table 四's data row.
    let line = found.0[0].line.unwrap();
    assert!(imp.listing.lines().nth(line - 1).unwrap().starts_with("0 | 1 | 0"), "{}", imp.listing);

    // And through the command line: --check fails.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hand.docx");
    std::fs::write(&p, &bytes).unwrap();
    let out =
        nianbao(&["import", p.to_str().unwrap(), "--check", "-o", dir.path().join("hand.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("核对 / check 未通过 / FAILED — 1 个错误 / errors"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[table4-total]"));
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn auditing_a_folder_of_published_reports() {
    let files: Vec<String> =
        ["web-variants.txt", "web-unbalanced.txt", "gov-typical.pdftotext.txt", "gov-unbalanced.pdftotext.txt"]
            .iter()
            .map(|f| fixture(f).display().to_string())
            .collect();
    let mut args = vec!["import", "--check"];
    args.extend(files.iter().map(String::as_str));
    let out = nianbao(&args);
    assert_eq!(out.status.code(), Some(1), "a report with a broken rule fails the run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let status: Vec<&str> = stdout.lines().filter(|l| l.contains("核对 / check")).collect();
    assert_eq!(status.len(), 4, "{stdout}");
    assert!(status[0].contains("通过 / ok") && status[2].contains("通过 / ok"), "{stdout}");
    assert!(status[1].contains("FAILED — 3 个错误") && status[3].contains("FAILED — 5 个错误"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let unbalanced = std::fs::read_to_string(fixture("web-unbalanced.txt")).unwrap();
    let at = format!("web-unbalanced.txt:{}:", line_of(&unbalanced, "（七）总计") + 1);
    assert!(stderr.contains("error[table3-balance]") && stderr.contains(&at), "{stderr}");
    // Nothing is written in an audit.
    assert!(!fixture("web-variants.json").exists());

    // The same as JSON.
    let mut args = vec!["import", "--check", "--message-format", "json"];
    args.extend(files.iter().map(String::as_str));
    let out = nianbao(&args);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON findings");
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert_eq!(files[1]["check"]["errors"], 3);
    assert_eq!(files[0]["unplaced"], 3);
    assert_eq!(files[2]["form"], "pdf");
}

#[test]
fn several_files_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("json");
    let a = fixture("web-variants.txt");
    let b = seed();
    let out = nianbao(&["import", a.to_str().unwrap(), b.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, source) in
        [("web-variants.json", "web-variants.txt"), ("wendeng-emergency-2021.json", "wendeng-emergency-2021.txt")]
    {
        let text = std::fs::read_to_string(out_dir.join(name)).unwrap();
        let checked = nianbao::inspect::check_bytes(text.as_bytes(), None);
        assert!(!checked.has_errors(), "{name}: {:?}", checked.diagnostics);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["x-source"], source);
    }
}

#[test]
fn usage_and_input_problems() {
    let a = fixture("web-variants.txt");
    let b = seed();
    // Several files need -o (or --check).
    let out = nianbao(&["import", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o"));
    // A missing file.
    let out = nianbao(&["import", "/nonexistent/report.txt"]);
    assert_eq!(out.status.code(), Some(2));
    // A PDF given directly: advice to extract its text first.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").unwrap();
    let out = nianbao(&["import", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pdftotext -layout"));
    assert!(out.stdout.is_empty());
    // A forced form is used as given.
    let out = nianbao(&["import", "--form", "web", fixture("gov-typical.pdftotext.txt").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("(web)"));
}

#[test]
fn gb18030_text_is_read() {
    let text = std::fs::read_to_string(seed()).unwrap();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let imp = import(&bytes, None);
    assert_eq!(rules(&imp.diagnostics), ["import-encoding"]);
    let r = imp.report.expect("report");
    assert_eq!(r.applications, report(&sample(WENDENG)).applications);
}

#[test]
fn truncated_and_garbled_sources_never_panic() {
    let sources = [
        std::fs::read_to_string(seed()).unwrap(),
        std::fs::read_to_string(fixture("gov-typical.pdftotext.txt")).unwrap(),
        std::fs::read_to_string(fixture("web-variants.txt")).unwrap(),
    ];
    for text in &sources {
        let lines: Vec<&str> = text.split('\n').collect();
        for n in (0..lines.len()).step_by(5) {
            let head = lines[..n].join("\n");
            let imp = import(head.as_bytes(), None);
            // Whatever was imported is a report the decoder accepts, or the import says why not.
            if let Some(json) = imp.to_json("x.txt") {
                let d = nianbao::model::decode(&json.to_pretty());
                assert!(d.report.is_some());
                if !imp.has_errors() {
                    assert!(!d.diagnostics.has_errors(), "first {n} lines: {:?}", d.diagnostics);
                }
            } else {
                assert!(imp.has_errors(), "first {n} lines: no report and no error");
            }
            // Every line dropped from the middle as well.
            let mut cut = lines.clone();
            if n < cut.len() {
                cut.remove(n);
            }
            let _ = import(cut.join("\n").as_bytes(), None);
        }
    }
    for bytes in [&b""[..], b"\xff\xfe\x00", b"PK\x03\x04garbage", b"\x00\x01\x02", "（（（（".as_bytes()] {
        let imp = import(bytes, None);
        assert!(imp.has_errors());
    }
}
