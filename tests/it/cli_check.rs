//! The `check`, `schema` and `init` commands as a user runs them: exit codes, what is printed,
//! files written or left alone.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args).output().expect("the binary runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

#[test]
fn the_seed_report_passes() {
    let f = sample_path(WENDENG);
    let o = nianbao(&["check", path_str(&f)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("通过 / ok"));
    assert!(!stderr(&o).contains("error["), "{}", stderr(&o));
}

#[test]
fn changing_one_cell_of_table3_fails_naming_rule_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wendeng.json");
    let text = replace_once(&sample(WENDENG), "\"not_held\": [1, 0, 0, 0, 0, 0]", "\"not_held\": [2, 0, 0, 0, 0, 0]");
    std::fs::write(&file, &text).unwrap();
    let o = nianbao(&["check", path_str(&file)]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    // 3 + 1 + 2 = 6 against the given total 5: rule 2 names the total row.
    let line = line_of(&text, "\"total\": [5, 0, 0, 0, 0, 0]");
    assert!(err.contains("error[table3-results-total]"), "{err}");
    assert!(err.contains("applications.results.total[0]"), "{err}");
    assert!(err.contains(&format!("{}:{line}:17", file.display())), "{err}");
    assert!(err.contains("自然人") && err.contains("/"), "Chinese with English alongside: {err}");
    assert!(err.contains("      \"total\": [5, 0, 0, 0, 0, 0]"), "source line shown: {err}");
    assert!(err.contains("^"), "caret: {err}");
    assert!(err.contains("涉及数字 / numbers") && err.contains("= 6"), "{err}");
    assert!(stdout(&o).contains("未通过 / FAILED"));

    // The same edit in the 总计-free form breaks the balance (rule 1).
    let text = replace_once(&text, ",\n      \"total\": [5, 0, 0, 0, 0, 0]\n", "\n");
    std::fs::write(&file, &text).unwrap();
    let o = nianbao(&["check", path_str(&file)]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let line = line_of(&text, "\"new\": [5, 0, 0, 0, 0, 0]");
    assert!(err.contains("error[table3-balance]"), "{err}");
    assert!(err.contains("applications.new[0]"), "{err}");
    assert!(err.contains(&format!("{}:{line}:", file.display())), "{err}");
}

#[test]
fn json_output_carries_the_same_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]");
    std::fs::write(&bad, &text).unwrap();
    let good = sample_path(WENDENG);
    let o = nianbao(&["check", "--message-format", "json", path_str(&good), path_str(&bad)]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["errors"], 0);
    assert_eq!(files[1]["file"], path_str(&bad));
    assert_eq!(files[1]["errors"], 1);
    let d = &files[1]["diagnostics"][0];
    assert_eq!(d["rule"], "table3-balance");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "applications.results.total[0]");
    assert_eq!(d["line"], line_of(&text, "\"total\": [5, 0, 0, 0, 0, 0]"));
    assert_eq!(d["column"], 17);
    assert!(has_cjk(d["message_zh"].as_str().unwrap()));
    assert!(!d["message_en"].as_str().unwrap().is_empty());
    let involved = d["involved"].as_array().unwrap();
    assert!(involved.iter().any(|i| i["what"] == "applications.new[0]" && i["value"] == "6"));

    // The older spelling `--format json` gives the same document, with a deprecation warning.
    let old = nianbao(&["check", "--format", "json", path_str(&good), path_str(&bad)]);
    assert_eq!(stdout(&old), stdout(&o));
    assert!(String::from_utf8_lossy(&old.stderr).contains("--message-format"));
    // Not both at once.
    let both = nianbao(&["check", "--format", "json", "--message-format", "json", path_str(&good)]);
    assert_eq!(code(&both), 2);
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    // `nianbao check --message-format json … | head -c 1`: the reader goes away while the
    // document (150 files, ~170 kB, more than a pipe holds) is being written; no panic message.
    let sample = sample_path(WENDENG);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--message-format", "json"])
        .args(std::iter::repeat_n(&sample, 150))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_file_is_reported_and_the_worst_exit_code_wins() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format\": \"2021\",").unwrap();
    let missing = dir.path().join("missing.json");
    let good = sample_path(LANSHAN_2023);
    let o = nianbao(&["check", path_str(&broken), path_str(&good)]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("json-syntax"));
    assert!(stdout(&o).contains(&format!("{}: 通过", good.display())));
    let o = nianbao(&["check", path_str(&broken), path_str(&missing), path_str(&good)]);
    assert_eq!(code(&o), 2, "an unreadable file is an I/O problem");
    assert!(stderr(&o).contains("error[io]") && stderr(&o).contains("missing.json"), "{}", stderr(&o));
    assert!(stderr(&o).contains("json-syntax"), "the other files are still checked");
}

#[test]
fn usage_problems_exit_2() {
    assert_eq!(code(&nianbao(&["check"])), 2);
    assert_eq!(code(&nianbao(&["check", "--format", "xml", "a.json"])), 2);
    assert_eq!(code(&nianbao(&["frobnicate"])), 2);
    let o = nianbao(&["check", "/nonexistent/report.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("无法读取文件"));
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    let late = dir.path().join("late.json");
    std::fs::write(&late, replace_once(&sample(LANSHAN_2023), "\"date\": \"2024-01-25\"", "\"date\": \"2024-03-15\""))
        .unwrap();
    let o = nianbao(&["check", path_str(&late)]);
    assert_eq!(code(&o), 0);
    assert!(stderr(&o).contains("warning[signature-date]"), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 个警告"));
    assert_eq!(code(&nianbao(&["check", "--deny-warnings", path_str(&late)])), 1);
}

#[test]
fn previous_year_rules() {
    let this = sample_path(LANSHAN_2023);
    let prev = sample_path(LANSHAN_2022);
    let o = nianbao(&["check", path_str(&this), "--previous", path_str(&prev), "--deny-warnings"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("prev.json");
    // Last year, one more request of a 法律服务机构 was granted instead of carried forward: a
    // report that still balances on its own.
    let prev_text = replace_once(
        &sample(LANSHAN_2022),
        "\"carried_forward\": [4, 1, 0, 0, 1, 0]",
        "\"carried_forward\": [4, 1, 0, 0, 0, 0]",
    );
    let prev_text = replace_once(&prev_text, "\"granted\": [38, 7, 0, 1, 2, 1]", "\"granted\": [38, 7, 0, 1, 3, 1]");
    let prev_text =
        replace_once(&prev_text, "\"total\": [94, 18, 0, 1, 4, 3, 120]", "\"total\": [94, 18, 0, 1, 5, 3, 121]");
    assert!(!check(&prev_text).has_errors());
    std::fs::write(&changed, prev_text).unwrap();
    let o = nianbao(&["check", path_str(&this), "--previous", path_str(&changed)]);
    assert_eq!(code(&o), 0, "cross-year findings are warnings");
    let err = stderr(&o);
    assert!(err.contains("warning[cross-year-carry]") && err.contains("applications.carried_over[4]"), "{err}");
    let line = line_of(&sample(LANSHAN_2023), "\"carried_over\": [4, 1, 0, 0, 1, 0]");
    assert!(err.contains(&format!("{}:{line}:", this.display())), "{err}");
    assert_eq!(code(&nianbao(&["check", path_str(&this), "--previous", path_str(&changed), "--deny-warnings"])), 1);

    // A previous report that cannot be read is a usage problem; one with errors cannot be used.
    assert_eq!(code(&nianbao(&["check", path_str(&this), "--previous", "/nonexistent.json"])), 2);
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "[]").unwrap();
    let o = nianbao(&["check", path_str(&this), "--previous", path_str(&broken)]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("上年报告"));
}

#[test]
fn schema_command_prints_and_writes() {
    let o = nianbao(&["schema"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), nianbao::model::schema::to_string());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    assert_eq!(code(&nianbao(&["schema", "-o", path_str(&out)])), 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), stdout(&o));
    let o = nianbao(&["schema", "-o", "/nonexistent-dir/s.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("无法写入"));
}

#[test]
fn init_writes_a_starter_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let o = nianbao(&["init", path_str(&file)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    let o = nianbao(&["check", "--deny-warnings", path_str(&file)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings either: {}", stderr(&o));

    // Every field of the contract is there (optional overrides switched off by `x-`).
    for key in [
        "\"$schema\": \"./report-2021.schema.json\"",
        "\"format\": \"2021\"",
        "\"agency\"",
        "\"year\": 2025",
        "\"x-title\"",
        "\"x-preamble\"",
        "\"x-id\"",
        "\"office\"",
        "\"address\"",
        "\"postcode\"",
        "\"phone\"",
        "\"fax\"",
        "\"website_name\"",
        "\"website_url\"",
        "\"email\"",
        "\"overview\"",
        "\"fees\": 0",
        "\"state_secret\": [0, 0, 0, 0, 0, 0, 0]",
        "\"total\": [0, 0, 0, 0, 0, 0, 0]",
        "\"carried_forward\": [0, 0, 0, 0, 0, 0, 0]",
        "\"litigation_after_review\"",
        "\"problems\"",
        "\"other_matters\"",
        "\"date\": \"2026-01-20\"",
        "\"x-seal\"",
        "\"x-headings\"",
        "\"x-说明\"",
    ] {
        assert!(text.contains(key), "{key} missing from the starter");
    }
    let r = report(&text);
    assert!(r.applications.rows.iter().all(|row| row.given && row.total == Some(0)));
    assert!(r.review_litigation.review.total == Some(0));

    // Dropping the `x-` prefix switches an optional field on; the result still passes.
    let on = text.replacen("\"x-title\"", "\"title\"", 1).replacen("\"x-headings\"", "\"headings\"", 1);
    assert!(core(&check(&on)).is_empty(), "{:#?}", check(&on).diagnostics);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    std::fs::write(&file, "mine").unwrap();
    let o = nianbao(&["init", path_str(&file)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("已存在") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let o = nianbao(&["init", "--force", path_str(&file)]);
    assert_eq!(code(&o), 0);
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"format\": \"2021\""));
}

#[test]
fn init_to_stdout_with_year_and_agency() {
    let o = nianbao(&["init", "--year", "2030", "--agency", "某县教育局"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let r = report(&text);
    assert_eq!(r.year, 2030);
    assert_eq!(r.agency, "某县教育局");
    assert_eq!(r.signature.date, chrono::NaiveDate::from_ymd_opt(2031, 1, 20));
    assert!(core(&check(&text)).is_empty());
    assert!(text.contains("某县教育局\\n2030年政府信息公开工作年度报告"));
    // Same arguments, same bytes.
    assert_eq!(stdout(&nianbao(&["init", "--year", "2030", "--agency", "某县教育局"])), text);

    assert_eq!(code(&nianbao(&["init", "--year", "1900"])), 2);
    assert_eq!(code(&nianbao(&["init", "--year", "abc"])), 2);
    let o = nianbao(&["init", "--agency", " "]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("empty-text"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}
