//! The grammar the subcommands share, run as the binary: `--message-format json` prints the
//! one JSON document of diagnostics wherever diagnostics are printed, typed values (`--allow`,
//! `--shard`, `--format`, `--pdf-standard`, `--name`) refuse bad input as usage errors (exit 2),
//! the older `--format json` of check still works with a warning, and `-o` of build and batch
//! is a folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;
use serde_json::Value;

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The JSON document on standard output: all of it, nothing else.
fn document(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}):\n{}\n{}", text(&o.stdout), text(&o.stderr)))
}

/// The Wendeng sample with one more new application than it handled: table 三 does not balance.
fn unbalanced(dir: &Path) -> PathBuf {
    let path = dir.join("bad.json");
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn build_and_batch_print_the_json_document_for_a_report_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = unbalanced(dir.path());
    let check = nianbao(&[&"check", &"--message-format", &"json", &bad]);
    assert_eq!(check.status.code(), Some(1));
    let check = document(&check);

    let out = dir.path().join("built");
    let o = nianbao(&[&"build", &bad, &"-o", &out, &"--fonts", &"bundled", &"--message-format", &"json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let doc = document(&o);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    let entry = &files[0];
    assert_eq!(entry["file"], bad.display().to_string());
    assert_eq!(entry["errors"], 1);
    assert_eq!(entry["diagnostics"], check["files"][0]["diagnostics"], "the diagnostics check prints");
    assert_eq!(entry["diagnostics"][0]["rule"], "table3-balance");
    assert_eq!(entry["outputs"], Value::Array(vec![]), "nothing was written");
    assert!(!text(&o.stderr).contains("error[table3-balance]"), "not printed twice: {}", text(&o.stderr));

    // A batch of the broken report and a good one: one entry per report, as for build.
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(&bad, input.join("bad.json")).unwrap();
    std::fs::copy(sample_path(LANSHAN_2023), input.join("good.json")).unwrap();
    let out = dir.path().join("batch");
    let o = nianbao(&[
        &"batch",
        &input,
        &"-o",
        &out,
        &"--fonts",
        &"bundled",
        &"--format",
        &"pdf",
        &"--message-format",
        &"json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let doc = document(&o);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{doc:#}");
    let failed = files.iter().find(|f| f["file"].as_str().unwrap().ends_with("bad.json")).unwrap();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["errors"], 1);
    assert_eq!(failed["diagnostics"][0]["rule"], "table3-balance");
    assert_eq!(failed["diagnostics"][0]["line"], check["files"][0]["diagnostics"][0]["line"]);
    let ok = files.iter().find(|f| f["file"].as_str().unwrap().ends_with("good.json")).unwrap();
    assert_eq!(ok["status"], "ok");
    assert_eq!(ok["errors"], 0);
    let written = ok["outputs"][0]["path"].as_str().unwrap();
    assert!(Path::new(written).is_file(), "{written}");
    // The progress stays on standard error, without the diagnostics the document holds.
    let stderr = text(&o.stderr);
    assert!(stderr.contains("失败 FAILED") && !stderr.contains("error[table3-balance]"), "{stderr}");
}

#[test]
fn a_failure_is_the_json_document_too() {
    let dir = tempfile::tempdir().unwrap();
    let o = nianbao(&[&"summary", &dir.path(), &"--agency", &" ", &"--year", &"2023", &"--message-format", &"json"]);
    assert_eq!(o.status.code(), Some(2));
    // Without -o, standard output is for the summary report: the document goes to stderr.
    assert!(o.stdout.is_empty());
    let doc: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(doc["files"][0]["file"], "nianbao summary");
    assert_eq!(doc["files"][0]["diagnostics"][0]["rule"], "usage");
    assert!(has_cjk(doc["files"][0]["diagnostics"][0]["message_zh"].as_str().unwrap()));

    let o = nianbao(&[&"export", &"--xlsx", &dir.path().join("missing.json"), &"--message-format", &"json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(document(&o)["files"][0]["diagnostics"][0]["rule"], "io");
    // The human form: the one diagnostic shape, with the command as the place.
    let o = nianbao(&[&"summary", &dir.path(), &"--agency", &" ", &"--year", &"2023"]);
    let stderr = text(&o.stderr);
    assert!(
        stderr.starts_with("error[usage]: --agency 不能为空\n  = --agency must not be empty\n  --> nianbao summary"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_allow_id_is_a_usage_error_naming_the_nearest_lint() {
    let wendeng = sample_path(WENDENG);
    let o = nianbao(&[&"check", &"--allow", &"repeted-text", &wendeng]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("--allow") && stderr.contains("did you mean repeated-text"), "{stderr}");
    assert!(stderr.contains("未知的检查规则"), "Chinese first: {stderr}");
    // A consistency rule is not switched off by --allow: the message says what lets it through.
    let o = nianbao(&[&"build", &wendeng, &"--allow", &"table3-balance"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--allow-inconsistent"), "{}", text(&o.stderr));
    // Comma-separated ids are each checked.
    let o = nianbao(&[&"check", &"--allow", &"repeated-text,nope", &wendeng]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("nope"));
}

#[test]
fn bad_shards_formats_standards_and_names_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let wendeng = sample_path(WENDENG);
    for shard in ["0/3", "4/3", "2", "a/b"] {
        let o = nianbao(&[&"batch", &wendeng, &"-o", &out, &"--shard", &shard]);
        assert_eq!(o.status.code(), Some(2), "--shard {shard}");
        let stderr = text(&o.stderr);
        assert!(stderr.contains("--shard") && stderr.contains("I/N") && stderr.contains(shard), "{stderr}");
    }
    let o = nianbao(&[&"batch", &wendeng, &"-o", &out, &"--format", &"pdf,odt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("odt") && text(&o.stderr).contains("ofd"), "{}", text(&o.stderr));
    let o = nianbao(&[&"build", &wendeng, &"-o", &out, &"--pdf-standard", &"a-2b,a-3b"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("PDF 标准组合无效"), "{}", text(&o.stderr));
    let o = nianbao(&[&"batch", &wendeng, &"-o", &out, &"--name", &"fixed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("placeholder"), "{}", text(&o.stderr));
    assert!(!out.exists(), "nothing was done");
}

#[test]
fn the_old_format_json_of_check_is_taken_with_a_warning() {
    let wendeng = sample_path(WENDENG);
    let new = nianbao(&[&"check", &"--message-format", &"json", &wendeng]);
    let old = nianbao(&[&"check", &"--format", &"json", &wendeng]);
    assert_eq!(old.status.code(), Some(0));
    assert_eq!(document(&old), document(&new));
    let warning = text(&old.stderr);
    assert!(warning.starts_with("warning: --format human|json 已改名为 --message-format"), "{warning}");
    assert!(text(&new.stderr).is_empty(), "{}", text(&new.stderr));
    // build and batch have no such spelling: there --format names output kinds.
    let o = nianbao(&[&"build", &wendeng, &"--format", &"json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn build_and_batch_take_a_folder_for_o() {
    let dir = tempfile::tempdir().unwrap();
    let wendeng = sample_path(WENDENG);
    for command in ["build", "batch"] {
        let target = dir.path().join("report.pdf");
        let o = nianbao(&[&command, &wendeng, &"-o", &target]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        assert!(text(&o.stderr).contains("-o 是输出目录"), "{}", text(&o.stderr));
        assert!(!target.exists());
    }
    // Written as a folder, it is one.
    let folder = format!("{}/", dir.path().join("as-folder.pdf").display());
    let o = nianbao(&[&"build", &wendeng, &"-o", &folder, &"--fonts", &"bundled"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(dir.path().join("as-folder.pdf").is_dir());
}
