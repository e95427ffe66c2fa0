//! The clerk's workbook: JSON → XLSX → JSON round trips, workbooks edited and re-saved by
//! LibreOffice (through UNO) and read back, diagnostics that name the cell, the CLI
//! (`init --xlsx`, `export --xlsx`, `check`/`import`/`batch` on workbooks), the reading limits.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{report, sample, sample_path, LANSHAN_2022, LANSHAN_2023, WENDENG};
use nianbao::diag::Diagnostic;
use nianbao::inspect::{check_bytes, Checked};
use nianbao::model::tables::{row, TABLE3_ROWS};
use nianbao::workbook::layout::{cell_ref, field_name, Layout, SHEET_META, SHEET_NARRATIVE, SHEET_TABLE3};
use nianbao::workbook::read::as_read_back;
use nianbao::workbook::{self, decode_input};

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The one diagnostic of `rule` (fails otherwise).
fn one<'a>(c: &'a Checked, rule: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.rule == rule).collect();
    assert_eq!(found.len(), 1, "expected one `{rule}`: {:#?}", c.diagnostics);
    found[0]
}

/// Where the layout puts a path (as written, before any edit).
fn cell_of(path: &str) -> String {
    let l = Layout::new(&nianbao::workbook::layout::blank_report());
    let (sheet, pos) = l.pos_of(path).unwrap_or_else(|| panic!("{path} has a cell"));
    cell_ref(sheet, pos)
}

fn round_trip(r: &nianbao::model::Report, what: &str) {
    let bytes = workbook::write(r).unwrap_or_else(|d| panic!("{what}: {d:?}"));
    assert_eq!(bytes, workbook::write(r).expect("writes"), "{what}: the same report gives the same bytes");
    let d = decode_input(&bytes);
    assert!(!d.diagnostics.has_errors(), "{what}: {:#?}", d.diagnostics);
    let back = d.report.expect("the workbook reads back");
    assert_eq!(back, as_read_back(r), "{what}");
    // The JSON it reads as is an ordinary report: decoding it alone gives the same.
    let again = nianbao::model::decode(&d.text).report.expect("JSON decodes");
    assert_eq!(again, back, "{what}");
}

#[test]
fn samples_round_trip_through_the_workbook() {
    for name in [WENDENG, LANSHAN_2022, LANSHAN_2023] {
        round_trip(&report(&sample(name)), name);
    }
}

#[test]
fn hundred_generated_reports_round_trip() {
    let set = nianbao::sample::generate(100, 16);
    assert_eq!(set.reports.len(), 100);
    for s in &set.reports {
        round_trip(&s.report, &s.path.display().to_string());
    }
}

#[test]
fn fees_keep_their_decimals_and_checks_find_the_same() {
    let text = sample(WENDENG).replace("\"fees\": 0", "\"fees\": 12.50");
    let r = report(&text);
    assert_eq!(r.active_disclosure.fees.as_str(), "12.50");
    let bytes = workbook::write(&r).expect("writes");
    let back = decode_input(&bytes).report.expect("reads");
    assert_eq!(back.active_disclosure.fees.as_str(), "12.50");
    // What check finds in the JSON it finds in the workbook (lints included).
    let rules = |c: &Checked| c.diagnostics.iter().map(|d| (d.rule, d.path.clone())).collect::<Vec<_>>();
    assert_eq!(rules(&check_bytes(&bytes, None)), rules(&check_bytes(text.as_bytes(), None)));
}

#[test]
fn not_a_workbook_and_limits_are_diagnostics() {
    let d = decode_input(b"PK\x03\x04 not really a zip");
    assert_eq!(d.diagnostics.iter().next().map(|d| d.rule), Some("workbook-invalid"));
    assert!(d.report.is_none());

    // More archive members than the reader takes.
    let mut zip = zip9::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..=workbook::MAX_ZIP_ENTRIES {
        zip.start_file(format!("f{i}"), zip9::write::SimpleFileOptions::default()).expect("entry");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    let d = decode_input(&bytes);
    let found: Vec<_> = d.diagnostics.iter().collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "workbook-limit");
    assert!(found[0].message_en.contains(&workbook::MAX_ZIP_ENTRIES.to_string()), "{:?}", found[0]);

    // A zip that is a spreadsheet of someone else's: no template version.
    let mut zip = zip9::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("x.txt", zip9::write::SimpleFileOptions::default()).expect("entry");
    let d = decode_input(&zip.finish().expect("zip").into_inner());
    assert!(d.diagnostics.iter().any(|d| d.rule == "workbook-invalid" || d.rule == "workbook-version"));

    let d = decode_input(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]);
    assert!(d.diagnostics.iter().any(|d| d.rule == "workbook-invalid" && d.hint.is_some()));
}

use crate::common::uno_python;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsx/lo_edit.py")
}

/// Run LibreOffice over `jobs` (see `lo_edit.py`).
fn libreoffice(python: &str, dir: &Path, jobs: serde_json::Value) {
    let file = dir.join("jobs.json");
    std::fs::write(&file, serde_json::to_string(&jobs).expect("json")).expect("write jobs");
    let out = Command::new(python).arg(script()).arg(&file).output().expect("python runs");
    assert!(out.status.success(), "lo_edit.py failed: {}", stderr(&out));
}

fn checked(path: &Path) -> Checked {
    check_bytes(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())), None)
}

#[test]
fn libreoffice_edits_and_resaves_the_workbook() {
    let Some(python) = uno_python() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let original = report(&sample(WENDENG));
    let base = d.join("base.xlsx");
    std::fs::write(&base, workbook::write(&original).expect("writes")).expect("write");

    let key = |i: usize| TABLE3_ROWS[i].key;
    let new0 = format!("applications.{}[0]", key(row::NEW));
    let granted0 = format!("applications.{}[0]", key(row::RESULTS_FIRST));
    let granted1 = format!("applications.{}[1]", key(row::RESULTS_FIRST));
    let secret = "applications.results.denied.state_secret[0]";
    let n0 = original.applications.rows[row::NEW].cells[0] as f64;
    let g0 = original.applications.rows[row::RESULTS_FIRST].cells[0] as f64;
    let layout = Layout::new(&original);
    let secret_pos = layout.pos_of(secret).expect("cell").1;
    let check_row = layout.formulas.iter().find(|f| f.path.is_none()).expect("check row").pos;
    let label_of = |path: &str| {
        let f = layout.fields.iter().find(|f| f.path == path).expect("field");
        let l = &layout.labels[f.label.expect("label")];
        cell_ref(l.sheet, l.pos)
    };
    let job = |out: &str, filter: &str, ops: serde_json::Value| serde_json::json!({ "in": base, "out": d.join(out), "filter": filter, "ops": ops });
    let xlsx = "Calc MS Excel 2007 XML";
    libreoffice(
        python,
        d,
        serde_json::json!([
            job("resaved.xlsx", xlsx, serde_json::json!([])),
            job("resaved.ods", "calc8", serde_json::json!([])),
            // Two rows inserted above the table, then two cells changed by name (balanced).
            job(
                "shifted.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "insert_rows", "sheet": SHEET_TABLE3, "row": 1, "count": 2 },
                    { "op": "set", "name": field_name(&new0), "value": n0 + 1.0 },
                    { "op": "set", "name": field_name(&granted0), "value": g0 + 1.0 },
                ])
            ),
            job(
                "unbalanced.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "set", "name": field_name(&new0), "value": n0 + 5.0 },
                ])
            ),
            job(
                "text.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "set", "name": field_name(&granted1), "value": "五" },
                ])
            ),
            job(
                "negative.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "set", "name": field_name("review_litigation.review.upheld"), "value": -3 },
                ])
            ),
            job(
                "deleted.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "delete_rows", "sheet": SHEET_TABLE3, "row": secret_pos.row, "count": 1 },
                ])
            ),
            job(
                "relabelled.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "set", "sheet": SHEET_TABLE3, "cell": label_of(secret).split('!').nth(1).unwrap_or_default(), "value": "8.属于行政查询事项" },
                ])
            ),
            job(
                "version.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "set", "sheet": SHEET_META, "cell": "B1", "value": "nianbao-workbook-2019.1", "unprotect": true },
                ])
            ),
            job(
                "narrative.xlsx",
                xlsx,
                serde_json::json!([
                    { "op": "insert_rows", "sheet": SHEET_NARRATIVE, "row": 1, "count": 1 },
                    { "op": "set", "sheet": SHEET_NARRATIVE, "cell": "A2", "value": "一、总体情况" },
                    { "op": "set", "sheet": SHEET_NARRATIVE, "cell": "C2", "value": "新增的第一段。" },
                ])
            ),
        ]),
    );

    // Re-saved untouched, as XLSX and as ODS: the same report.
    for name in ["resaved.xlsx", "resaved.ods"] {
        let c = checked(&d.join(name));
        assert!(!c.has_errors(), "{name}: {:#?}", c.diagnostics);
        assert_eq!(c.report.as_ref(), Some(&as_read_back(&original)), "{name}");
    }

    // Rows inserted above the table: the names followed the cells.
    let c = checked(&d.join("shifted.xlsx"));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let r = c.report.expect("report");
    assert_eq!(r.applications.rows[row::NEW].cells[0] as f64, n0 + 1.0);
    assert_eq!(r.applications.rows[row::RESULTS_FIRST].cells[0] as f64, g0 + 1.0);

    // Unbalanced: the 勾稽 rule names the cell, and LibreOffice's own recalculation of the
    // check row shows 「不平衡」.
    let path = d.join("unbalanced.xlsx");
    let c = checked(&path);
    let bal = c
        .diagnostics
        .iter()
        .find(|d| d.rule == "table3-balance" && d.path == new0)
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    assert_eq!(bal.path, new0);
    assert_eq!(bal.cell.as_deref(), Some(cell_of(&new0).as_str()));
    assert!(bal.line.is_none(), "no line:column into JSON the user never saw");
    let shown = nianbao::diag::render_human(bal, "unbalanced.xlsx", &c.text);
    assert!(shown.contains(&format!("unbalanced.xlsx {}", cell_of(&new0))), "{shown}");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("calamine opens");
    let range = book.worksheet_range(SHEET_TABLE3).expect("sheet");
    let flag = range.get_value((check_row.row, u32::from(check_row.col))).map(|v| v.to_string());
    assert_eq!(flag.as_deref(), Some("不平衡"));
    let fine = calamine::open_workbook::<calamine::Xlsx<_>, _>(d.join("resaved.xlsx"))
        .expect("opens")
        .worksheet_range(SHEET_TABLE3)
        .expect("sheet")
        .get_value((check_row.row, u32::from(check_row.col)))
        .map(|v| v.to_string());
    assert_eq!(fine.as_deref(), Some("平衡"));
    // Every formula, as LibreOffice recalculated it, gives the value nianbao computed (a formula
    // with an empty reference would show Err:510 there).
    let mut resaved: calamine::Xlsx<_> = calamine::open_workbook(d.join("resaved.xlsx")).expect("opens");
    for f in &layout.formulas {
        let range = resaved.worksheet_range(f.sheet).expect("sheet");
        let got = range.get_value((f.pos.row, u32::from(f.pos.col))).map(|v| v.to_string());
        assert_eq!(got.as_deref(), Some(f.result.as_str()), "{} {}: {}", f.sheet, cell_ref(f.sheet, f.pos), f.formula);
    }

    let c = checked(&d.join("text.xlsx"));
    let t = one(&c, "wrong-type");
    assert_eq!(t.path, granted1);
    assert_eq!(t.cell.as_deref(), Some(cell_of(&granted1).as_str()));

    let c = checked(&d.join("negative.xlsx"));
    let n = one(&c, "count-negative");
    assert_eq!(n.path, "review_litigation.review.upheld");
    assert_eq!(n.cell.as_deref(), Some(cell_of("review_litigation.review.upheld").as_str()));

    let c = checked(&d.join("deleted.xlsx"));
    assert!(c.report.is_none());
    let gone =
        c.diagnostics.iter().find(|d| d.rule == "workbook-cell-deleted" && d.path == secret).expect("deleted cell");
    assert_eq!(gone.cell.as_deref(), Some(cell_of(secret).as_str()));

    let c = checked(&d.join("relabelled.xlsx"));
    assert!(c.report.is_none());
    let moved = one(&c, "workbook-label");
    assert_eq!(moved.cell.as_deref(), Some(label_of(secret).as_str()));
    assert!(moved.message_zh.contains("1.属于国家秘密"), "{moved:?}");

    let c = checked(&d.join("version.xlsx"));
    let v = one(&c, "workbook-version");
    assert_eq!(v.cell.as_deref(), Some(format!("{SHEET_META}!B1").as_str()));

    let c = checked(&d.join("narrative.xlsx"));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let r = c.report.expect("report");
    assert_eq!(r.overview.paragraphs[0], "新增的第一段。");
    assert_eq!(r.overview.paragraphs[1..], original.overview.paragraphs[..]);
}

#[test]
fn cli_init_export_import_check_and_batch_take_workbooks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();

    let starter = d.join("d.xlsx");
    let o = nianbao(&[&"init", &"--xlsx", &starter, &"--agency", &"某某县统计局", &"--year", &"2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = nianbao(&[&"check", &starter]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = decode_input(&std::fs::read(&starter).expect("read")).report.expect("starter reads");
    assert_eq!((r.agency.as_str(), r.year), ("某某县统计局", 2025));
    let o = nianbao(&[&"init", &"--xlsx", &starter]);
    assert_eq!(o.status.code(), Some(2), "an existing file is not overwritten");

    // --from: this year's carried-over counts, documents in force and contact from last year's.
    let prev = report(&sample(LANSHAN_2022));
    let carried = d.join("carried.xlsx");
    let o = nianbao(&[&"init", &"--xlsx", &carried, &"--from", &sample_path(LANSHAN_2022)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = decode_input(&std::fs::read(&carried).expect("read")).report.expect("reads");
    assert_eq!(r.year, prev.year + 1);
    assert_eq!(r.agency, prev.agency);
    assert_eq!(r.applications.rows[row::CARRIED_OVER].cells, prev.applications.rows[row::CARRIED_FORWARD].cells);
    assert_eq!(r.active_disclosure.normative_documents.in_force, prev.active_disclosure.normative_documents.in_force);
    assert_eq!(r.contact, prev.contact);

    // export → import: the JSON written reads as the original report.
    let exported = d.join("w.xlsx");
    let o = nianbao(&[&"export", &"--xlsx", &sample_path(WENDENG), &"-o", &exported]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = d.join("w.json");
    let o = nianbao(&[&"import", &exported, &"-o", &json]);
    assert!(o.status.success(), "{}", stderr(&o));
    let back = report(&std::fs::read_to_string(&json).expect("json"));
    assert_eq!(back, as_read_back(&report(&sample(WENDENG))));

    // An unbalanced workbook: check names the cell and the path, exit 1.
    let mut r = report(&sample(WENDENG));
    r.applications.rows[row::NEW].cells[0] += 5;
    let bad = d.join("bad.xlsx");
    std::fs::write(&bad, workbook::write(&r).expect("writes")).expect("write");
    let o = nianbao(&[&"check", &bad]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let new0 = format!("applications.{}[0]", TABLE3_ROWS[row::NEW].key);
    assert!(err.contains(&cell_of(&new0)) && err.contains(&new0), "{err}");
    let o = nianbao(&[&"check", &"--format", &"json", &bad]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let diags = doc["files"][0]["diagnostics"].as_array().expect("diagnostics").clone();
    assert!(diags.iter().any(|d| d["rule"] == "table3-balance" && d["cell"] == cell_of(&new0).as_str()), "{diags:?}");

    // batch over a folder holding a JSON report and a workbook.
    let mixed = d.join("mixed");
    std::fs::create_dir(&mixed).expect("mkdir");
    std::fs::copy(sample_path(LANSHAN_2023), mixed.join("lanshan.json")).expect("copy");
    std::fs::copy(&exported, mixed.join("wendeng.xlsx")).expect("copy");
    let out = d.join("out");
    let o = nianbao(&[&"batch", &mixed, &"-o", &out, &"--format", &"pdf", &"--fonts", &"bundled"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 2, "{}", String::from_utf8_lossy(&o.stdout));
}
