//! `nianbao batch` and `nianbao manifest`, run as the binary on generated reports: failures are
//! isolated and named, collisions refused, shards partition the inputs and merge to the whole
//! run, the manifest's checksums and page counts match the files, and runs are reproducible.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{files_below, tool};
use nianbao::model::encode;
use nianbao::model::tables::row;
use nianbao::model::Report;
use serde_json::Value;

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Run `nianbao batch` with the bundled fonts (same bytes on every machine).
fn batch(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.arg("batch").args(inputs).arg("-o").arg(out).args(["--fonts", "bundled"]).args(extra);
    cmd.output().expect("nianbao runs")
}

/// Write a sample set to `dir` through the library (same as `nianbao sample`).
fn write_samples(dir: &Path, count: usize, seed: u64) -> nianbao::sample::SampleSet {
    let set = nianbao::sample::generate(count, seed);
    nianbao::sample::write(&set, dir).unwrap();
    set
}

/// A valid report that breaks rule 1 (table 三 does not balance) and nothing else.
fn unbalanced(mut r: Report) -> Report {
    for row in r.applications.rows.iter_mut() {
        row.total = None;
    }
    r.applications.rows[row::RESULTS_TOTAL].given = false;
    r.applications.rows[row::NEW].cells[0] += 1;
    r
}

/// The report as one line (the encoder escapes line breaks inside strings, so the only line
/// breaks are layout).
fn one_line(r: &Report) -> String {
    encode::to_string(r).replace('\n', "")
}

fn manifest(out: &Path, name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap()
}

fn sha256(b: &[u8]) -> String {
    nianbao::build::sha256_hex(b)
}

#[test]
fn broken_reports_are_listed_with_their_rules_and_the_others_are_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = write_samples(&input, 5, 11);
    let good_files = set.reports.len();
    let spare = nianbao::sample::generate(60, 12).reports.into_iter().map(|r| r.report).collect::<Vec<_>>();
    let spare: Vec<Report> = spare.into_iter().filter(|r| r.signature.seal.is_none()).take(5).collect();

    std::fs::create_dir_all(input.join("bad")).unwrap();
    std::fs::write(input.join("bad/unbalanced.json"), encode::to_string(&unbalanced(spare[0].clone()))).unwrap();
    std::fs::write(input.join("bad/syntax.json"), "{\n  \"format\": \"2021\",\n  oops\n}\n").unwrap();
    let mut sealed = spare[1].clone();
    sealed.signature.seal = Some("no-such-seal.svg".into());
    std::fs::write(input.join("bad/missing-seal.json"), encode::to_string(&sealed)).unwrap();
    // NDJSON: good, bad, blank, good.
    let nd =
        format!("{}\n{}\n\n{}\n", one_line(&spare[2]), one_line(&unbalanced(spare[3].clone())), one_line(&spare[4]));
    std::fs::write(input.join("mixed.ndjson"), nd).unwrap();
    // A JSON array: good, then bad.
    let mut a = spare[2].clone();
    a.agency.push_str("机关事务服务中心");
    a.id = Some("array-good".into());
    // Agencies of their own: outputs are named by agency and year, as `build` names them.
    let mut b = unbalanced(spare[3].clone());
    b.agency.push_str("机关事务服务中心");
    b.id = Some("array-bad".into());
    let array = format!("[\n{},\n{}]\n", encode::to_string(&a).trim_end(), encode::to_string(&b).trim_end());
    std::fs::write(input.join("array.json"), &array).unwrap();

    let out = dir.path().join("out");
    let report = dir.path().join("results.json");
    let o = batch(&[&input], &out, &["--report", report.to_str().unwrap(), "--jobs", "2"]);
    let stdout = text(&o.stdout);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "some failed → exit 1\n{stdout}\n{stderr}");

    // Every good report has both documents; nothing of the bad ones exists.
    let good = good_files + 3; // + mixed.ndjson:1, :4 and array.json[0]
    let m = manifest(&out, "manifest.json");
    let reports = m["reports"].as_array().unwrap();
    assert_eq!(reports.len(), good + 5);
    let ok: Vec<&Value> = reports.iter().filter(|r| r["status"] == "ok").collect();
    assert_eq!(ok.len(), good, "{stdout}");
    for r in &ok {
        let formats: Vec<&str> =
            r["outputs"].as_array().unwrap().iter().map(|o| o["format"].as_str().unwrap()).collect();
        assert_eq!(formats, ["pdf", "docx"], "{}", r["input"]);
    }
    let produced: Vec<String> =
        files_below(&out).into_keys().filter(|f| f.ends_with(".pdf") || f.ends_with(".docx")).collect();
    assert_eq!(produced.len(), 2 * good, "{produced:?}");

    // The failures, named by file, file:line and file[index], with their rule ids.
    let failed: BTreeMap<String, Vec<String>> = reports
        .iter()
        .filter(|r| r["status"] == "failed")
        .map(|r| {
            assert!(r["outputs"].as_array().unwrap().is_empty());
            let rules =
                r["errors"].as_array().unwrap().iter().map(|e| e["rule"].as_str().unwrap().to_string()).collect();
            (r["input"].as_str().unwrap().rsplit_once("in/").unwrap().1.to_string(), rules)
        })
        .collect();
    let expected: BTreeMap<String, Vec<String>> = [
        ("array.json[1]", "table3-balance"),
        ("bad/missing-seal.json", "seal-invalid"),
        ("bad/syntax.json", "json-syntax"),
        ("bad/unbalanced.json", "table3-balance"),
        ("mixed.ndjson:2", "table3-balance"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
    .collect();
    assert_eq!(failed, expected);
    for (name, rules) in &expected {
        assert!(stdout.contains(&format!("{name} — {}", rules[0])), "summary names {name}:\n{stdout}");
    }

    // Locations point into the real files: NDJSON line 2, the array element's own line.
    let results: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let entry = |suffix: &str| {
        results["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["input"].as_str().unwrap().ends_with(suffix))
            .unwrap()
            .clone()
    };
    let nd_diag = &entry("mixed.ndjson:2")["diagnostics"][0];
    assert_eq!(nd_diag["rule"], "table3-balance");
    assert_eq!(nd_diag["line"], 2);
    let nd_line = one_line(&unbalanced(spare[3].clone()));
    let col = nd_line[..nd_line.find("\"new\": [").unwrap() + "\"new\": [".len()].chars().count() + 1;
    assert_eq!(nd_diag["column"], col, "column of applications.new[0] on line 2");
    let arr_diag = &entry("array.json[1]")["diagnostics"][0];
    let b_start = array.find("\"array-bad\"").unwrap();
    let new_at = b_start + array[b_start..].find("\"new\": [").unwrap();
    let expected_line = array[..new_at].matches('\n').count() + 1;
    assert_eq!(arr_diag["line"], expected_line, "line of the second element's applications.new in array.json");
    assert!(stderr.contains(&format!("mixed.ndjson:2:{col}")), "human message points at file:line:column\n{stderr}");
    assert!(stderr.contains("bad/syntax.json:3:"), "{stderr}");
    assert_eq!(results["summary"]["failed"], 5);
    assert_eq!(results["summary"]["produced"], good);
}

#[test]
fn name_collisions_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let set = nianbao::sample::generate(2, 21);
    let text0 = encode::to_string(&set.reports[0].report);
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("x.json"), &text0).unwrap();
    }
    let out = dir.path().join("out");
    let o = batch(&[&dir.path().join("a"), &dir.path().join("b")], &out, &[]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a/x.json") && stderr.contains("b/x.json"), "{stderr}");
    assert!(!out.exists() || files_below(&out).is_empty(), "nothing was written");

    // Different reports, same --name result.
    std::fs::write(dir.path().join("b").join("x.json"), encode::to_string(&set.reports[1].report)).unwrap();
    let o = batch(&[&dir.path().join("a"), &dir.path().join("b")], &out, &["--name", "{stem}"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!out.exists() || files_below(&out).is_empty());
    // The default names them apart.
    let o = batch(&[&dir.path().join("a"), &dir.path().join("b")], &out, &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(files_below(&out).keys().filter(|k| k.ends_with(".pdf")).count(), 2);
}

#[test]
fn shards_cover_every_input_once_and_merge_into_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = write_samples(&input, 10, 31);
    let whole = dir.path().join("whole");
    let o = batch(&[&input], &whole, &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    let shared = dir.path().join("shared");
    let mut seen = Vec::new();
    let mut parts = Vec::new();
    for i in 1..=3 {
        let o = batch(&[&input], &shared, &["--format", "pdf", "--shard", &format!("{i}/3")]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let name = format!("manifest-{i}-of-3.json");
        let m = manifest(&shared, &name);
        assert_eq!(m["shard"]["index"], i);
        assert_eq!(m["inputs_total"], set.reports.len());
        for r in m["reports"].as_array().unwrap() {
            seen.push(r["input"].as_str().unwrap().to_string());
        }
        parts.push(shared.join(name));
    }
    let all: Vec<String> = manifest(&whole, "manifest.json")["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(all.len(), set.reports.len());
    let mut sorted_seen = seen.clone();
    sorted_seen.sort();
    let mut sorted_all = all.clone();
    sorted_all.sort();
    assert_eq!(sorted_seen, sorted_all, "every input in exactly one shard");

    let merged = dir.path().join("merged.json");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"manifest", &"merge"];
    for p in &parts {
        args.push(p);
    }
    args.push(&"-o");
    args.push(&merged);
    let o = nianbao(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(whole.join("manifest.json")).unwrap(),
        "merge = whole run"
    );

    // The documents are the same too.
    let docs = |d: &Path| files_below(d).into_iter().filter(|(k, _)| k.ends_with(".pdf")).collect::<BTreeMap<_, _>>();
    assert_eq!(docs(&shared), docs(&whole));

    // A missing shard is refused.
    let o = nianbao(&[&"manifest", &"merge", &parts[0], &parts[2], &"-o", &dir.path().join("bad.json")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("2/3"), "{}", text(&o.stderr));
}

#[test]
fn manifest_checksums_sizes_and_pages_match_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_samples(&input, 6, 41);
    let out = dir.path().join("out");
    let o = batch(&[&input], &out, &["--pdf-standard", "a-2b"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let m = manifest(&out, "manifest.json");
    assert_eq!(m["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["profile"]["sha256"], sha256(nianbao::profile::DEFAULT_PROFILE_TOML.as_bytes()));
    let pdfinfo = tool("pdfinfo");
    let mut outputs = 0;
    for r in m["reports"].as_array().unwrap() {
        assert_eq!(r["status"], "ok");
        let input_path = r["input"].as_str().unwrap();
        assert_eq!(r["input_sha256"], sha256(&std::fs::read(input_path).unwrap()));
        for o in r["outputs"].as_array().unwrap() {
            outputs += 1;
            let path = out.join(o["file"].as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(o["sha256"], sha256(&bytes), "{}", path.display());
            assert_eq!(o["bytes"], bytes.len());
            assert!(!o["fonts"].as_array().unwrap().is_empty());
            if o["format"] == "pdf" {
                assert_eq!(o["pdf_standard"], "a-2b");
                if pdfinfo {
                    let info = text(&Command::new("pdfinfo").arg(&path).output().unwrap().stdout);
                    let pages: u64 =
                        info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
                    assert_eq!(o["pages"], pages, "{}", path.display());
                }
            } else {
                assert!(bytes.starts_with(b"PK"), "DOCX is a zip");
            }
        }
    }
    assert_eq!(outputs, 12);
    assert_eq!(m["summary"]["files"], 12);

    let o = nianbao(&[&"manifest", &"verify", &out.join("manifest.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // One changed byte is found.
    let victim = out.join(m["reports"][0]["outputs"][0]["file"].as_str().unwrap());
    let mut bytes = std::fs::read(&victim).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&victim, bytes).unwrap();
    let o = nianbao(&[&"manifest", &"verify", &out.join("manifest.json")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("MISMATCH"));
}

#[test]
fn two_runs_give_identical_files_and_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_samples(&input, 8, 51);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let report = dir.path().join("r.json");
    let o = batch(&[&input], &a, &["--jobs", "2", "--report", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let first_report = std::fs::read(&report).unwrap();
    let o = batch(&[&input], &b, &["--jobs", "1", "--report", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let fa = files_below(&a);
    assert_eq!(fa.len(), 8 * 2 + 1);
    assert_eq!(fa, files_below(&b), "same bytes whatever the number of threads");
    assert_eq!(first_report, std::fs::read(&report).unwrap());
    // Re-running into the same folder rewrites the same files (and leaves no temporary files).
    let o = batch(&[&input], &a, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(fa, files_below(&a));
}

#[test]
fn previous_dir_feeds_the_cross_year_rules_by_id_then_agency() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    // A seed whose set has a previous year.
    let (set, _) = (0..)
        .map(|s| (nianbao::sample::generate(8, s), s))
        .find(|(set, _)| set.reports.iter().filter(|r| r.previous.is_some()).count() >= 2)
        .unwrap();
    nianbao::sample::write(&set, &input).unwrap();
    let with_prev: Vec<_> = set.reports.iter().filter(|r| r.previous.is_some()).collect();
    // Break the carry of the first one's previous year, and drop both ids of the second one
    // (then it is found by agency).
    let p0 = input.join(with_prev[0].previous.as_ref().unwrap());
    let mut prev0 = nianbao::model::decode(&std::fs::read_to_string(&p0).unwrap()).report.unwrap();
    // One more application received and carried forward: last year still balances.
    for r in [row::NEW, row::CARRIED_FORWARD] {
        prev0.applications.rows[r].cells[0] += 1;
        prev0.applications.rows[r].total = None;
    }
    std::fs::write(&p0, encode::to_string(&prev0)).unwrap();
    for path in [input.join(&with_prev[1].path), input.join(with_prev[1].previous.as_ref().unwrap())] {
        let mut r = nianbao::model::decode(&std::fs::read_to_string(&path).unwrap()).report.unwrap();
        r.id = None;
        std::fs::write(&path, encode::to_string(&r)).unwrap();
    }
    let current: Vec<PathBuf> =
        set.reports.iter().filter(|r| !r.path.starts_with("previous")).map(|r| input.join(&r.path)).collect();
    let current_refs: Vec<&Path> = current.iter().map(PathBuf::as_path).collect();
    let out = dir.path().join("out");
    let o =
        batch(&current_refs, &out, &["--format", "pdf", "--previous-dir", input.join("previous").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "warnings only\n{}", text(&o.stderr));
    let m = manifest(&out, "manifest.json");
    let entries: BTreeMap<String, &Value> =
        m["reports"].as_array().unwrap().iter().map(|r| (r["input"].as_str().unwrap().to_string(), r)).collect();
    let e0 = entries[&input.join(&with_prev[0].path).display().to_string()];
    assert!(e0["previous"].as_str().unwrap().ends_with(&with_prev[0].previous.as_ref().unwrap().display().to_string()));
    let rules: BTreeSet<&str> =
        e0["warnings"].as_array().unwrap().iter().map(|w| w["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, BTreeSet::from(["cross-year-carry"]), "{}", e0);
    let e1 = entries[&input.join(&with_prev[1].path).display().to_string()];
    assert!(e1["previous"].is_string(), "matched by agency: {e1}");
    assert!(e1["warnings"].as_array().unwrap().is_empty(), "{e1}");
    let unmatched = m["reports"].as_array().unwrap().iter().filter(|r| r["previous"].is_null()).count();
    assert_eq!(unmatched, current.len() - with_prev.len());
}

#[test]
fn a_folder_of_samples_gives_two_documents_each() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s");
    let o = nianbao(&[&"sample", &"--count", &"30", &"--seed", &"7", &"-o", &s]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = dir.path().join("out");
    let o = batch(&[&s], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("30 份成功 / produced, 0 份失败 / failed"), "{}", text(&o.stdout));
    let files = files_below(&out);
    assert_eq!(files.keys().filter(|k| k.ends_with(".pdf")).count(), 30);
    assert_eq!(files.keys().filter(|k| k.ends_with(".docx")).count(), 30);
    // Not a terminal: one plain line per report.
    assert_eq!(text(&o.stderr).lines().filter(|l| l.starts_with('[')).count(), 30, "{}", text(&o.stderr));
    // A second run does not read its own output folder when it lies inside the input.
    let inner = s.join("out");
    let o = batch(&[&s], &inner, &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0));
    let o = batch(&[&s], &inner, &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(manifest(&inner, "manifest.json")["inputs_total"], 30);
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_only_complete_files() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_samples(&input, 40, 61);
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--fonts", "bundled", "--jobs", "1"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Interrupt once the first report is done.
    for line in lines.by_ref() {
        if line.unwrap().starts_with("[1/") {
            break;
        }
    }
    // SAFETY: plain kill(2) on our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(!out.join("manifest.json").exists(), "no manifest for an incomplete run");
    let files = files_below(&out);
    let pdfs = files.keys().filter(|k| k.ends_with(".pdf")).count();
    assert!((1..40).contains(&pdfs), "{pdfs} documents");
    for (name, bytes) in &files {
        assert!(!name.contains(".nianbao-") && !name.ends_with(".tmp"), "temporary file left: {name}");
        if name.ends_with(".pdf") {
            assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"), "{name} is complete");
        } else {
            assert!(name.ends_with(".docx") && bytes.starts_with(b"PK"), "{name}");
            let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("complete DOCX");
            assert!(zip.len() > 3);
        }
    }
}

#[test]
fn batch_names_documents_as_build_does_and_by_id_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = write_samples(&input, 3, 71);
    let report = set.reports.iter().find(|r| r.report.id.is_some()).expect("a sample with an id");
    let file = input.join(&report.path);
    let built = dir.path().join("built");
    let o = nianbao(&[&"build", &file, &"-o", &built, &"--fonts", &"bundled"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let by_build: Vec<String> = files_below(&built).into_keys().collect();

    let out = dir.path().join("out");
    let o = batch(&[&file], &out, &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let pdfs: Vec<String> = files_below(&out).into_keys().filter(|k| k.ends_with(".pdf")).collect();
    assert_eq!(pdfs, by_build, "the name build gives");
    assert_eq!(
        by_build,
        [format!("{}.pdf", nianbao::build::default_file_stem(&report.report.agency, report.report.year))]
    );

    let by_id = dir.path().join("by-id");
    let o = batch(&[&file], &by_id, &["--format", "pdf", "--name", "{id}-{year}"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let id = report.report.id.as_deref().unwrap();
    assert!(by_id.join(format!("{id}-{}.pdf", report.report.year)).is_file(), "{:?}", files_below(&by_id).keys());
}
