//! Hostile and careless input: seals that reach beyond themselves, decompression and image
//! bombs, control characters, inputs out of proportion, the smaller faults of issue "hostile
//! input" (import --check, exit codes, all-or-none documents, stale temporary files, manifest
//! paths, concurrent batches), and property-based runs of every decoder nianbao drives.
//!
//! One test per class; the property tests run `PROPTEST_CASES` cases each (64 by default, a
//! few seconds). A longer local run: `PROPTEST_CASES=20000 cargo test --test it hostile::fuzz`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nianbao::diag::render_human;
use nianbao::resolve::Seal;
use serde_json::Value;

use crate::common::{sample, WENDENG};

fn nianbao(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args.iter().map(|a| a.as_ref())).output().expect("nianbao runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The Wendeng sample with `signature.seal` set.
fn sealed_report(seal: &str) -> String {
    let mut v: Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    v["signature"]["seal"] = Value::String(seal.into());
    serde_json::to_string_pretty(&v).unwrap()
}

fn seal_at(path: &Path) -> Seal {
    Seal { written: path.display().to_string(), path: path.to_path_buf() }
}

/// A PNG header (signature and IHDR) claiming `w`×`h` pixels; nothing after it.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(w.to_be_bytes());
    b.extend(h.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---- 1. Seals reach beyond themselves ----

#[test]
fn linked_seal_resources_are_refused_for_pdf_and_docx_alike() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.png");
    std::fs::write(&secret, png_header(10, 10)).unwrap();
    for href in [secret.display().to_string(), "secret.png".into(), "https://example.org/x.png".into()] {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="red"/><image href="{href}" width="100" height="100"/></svg>"#
        );
        std::fs::write(dir.path().join("seal.svg"), svg).unwrap();
        let d = nianbao::render::load_seal(&seal_at(&dir.path().join("seal.svg"))).unwrap_err();
        assert_eq!(d.rule, "seal-linked", "{href}: {d}");
        assert!(d.message_en.contains("seal.svg"), "names the seal: {d}");
    }
    std::fs::write(dir.path().join("r.json"), sealed_report("seal.svg")).unwrap();
    for format in ["pdf", "docx"] {
        let out = dir.path().join(format!("out-{format}"));
        let o =
            nianbao(&[&"build", &dir.path().join("r.json"), &"-o", &out, &"--format", &format, &"--fonts", &"bundled"]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains("seal-linked"), "{format}: {}", text(&o.stderr));
        assert!(std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0) == 0, "{format}: nothing written");
    }
}

#[cfg(unix)]
#[test]
fn seal_paths_must_be_regular_files_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("seal.png");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let big = dir.path().join("big.svg");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(nianbao::limits::SEAL_FILE_BYTES_MAX + 1).unwrap();
    let started = std::time::Instant::now();
    for p in [fifo.as_path(), Path::new("/dev/zero"), dir.path(), big.as_path()] {
        let d = nianbao::render::load_seal(&seal_at(p)).unwrap_err();
        assert_eq!(d.rule, "seal-limit", "{}: {d}", p.display());
        assert!(d.message_en.contains(&p.display().to_string()), "{d}");
    }
    // Refused from metadata, not by reading: a FIFO would block, /dev/zero never end.
    assert!(started.elapsed().as_secs() < 10);
}

// ---- 2. Decompression and image bombs; a batch survives any single input ----

#[test]
fn image_bombs_in_seals_are_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("bomb.png");
    std::fs::write(&png, png_header(100_000, 100_000)).unwrap();
    assert_eq!(nianbao::render::load_seal(&seal_at(&png)).unwrap_err().rule, "seal-limit");
    let svg = dir.path().join("bomb.svg");
    let data = base64(&png_header(60_000, 60_000));
    std::fs::write(
        &svg,
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><image href="data:image/png;base64,{data}" width="100" height="100"/></svg>"#
        ),
    )
    .unwrap();
    let d = nianbao::render::load_seal(&seal_at(&svg)).unwrap_err();
    assert_eq!(d.rule, "seal-limit", "{d}");
    assert!(d.message_en.contains("60000×60000"), "{d}");
}

#[test]
fn a_batch_survives_a_bomb_among_good_reports() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let data = base64(&png_header(60_000, 60_000));
    std::fs::write(
        input.join("bomb.svg"),
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><image href="data:image/png;base64,{data}" width="100" height="100"/></svg>"#),
    )
    .unwrap();
    std::fs::write(input.join("a-bomb.json"), sealed_report("bomb.svg")).unwrap();
    let set = nianbao::sample::generate(3, 7);
    nianbao::sample::write(&set, &input).unwrap();
    let out = dir.path().join("out");
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--fonts", &"bundled", &"--format", &"pdf,docx"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let m: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let reports = m["reports"].as_array().unwrap();
    let failed: Vec<&Value> = reports.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{m:#}");
    assert_eq!(failed[0]["errors"][0]["rule"], "seal-limit");
    assert!(reports.iter().filter(|r| r["status"] == "ok").count() >= 3);
}

/// A DOCX whose document part is `body`, plus an extra entry `extra` of `extra_len` zero bytes.
fn docx_with(body: &str, extra_len: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(extra_len > u32::MAX as usize / 2);
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", o).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).unwrap();
    if extra_len > 0 {
        z.start_file("word/media/zeros.bin", o).unwrap();
        let chunk = vec![0u8; 1 << 20];
        let mut left = extra_len;
        while left > 0 {
            let n = left.min(chunk.len());
            z.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
    }
    z.finish().unwrap();
    buf.into_inner()
}

#[test]
fn docx_unpacked_sizes_and_nesting_are_bounded() {
    let para = "<w:p><w:r><w:t>关于2021年政府信息公开工作年度报告</w:t></w:r></w:p>";
    let ok = nianbao::import::import(&docx_with(para, 0), None);
    assert!(!ok.diagnostics.iter().any(|d| d.rule == "import-limit"), "{:?}", ok.diagnostics);

    let bomb = docx_with(para, (nianbao::limits::ZIP_ENTRY_BYTES_MAX + 1) as usize);
    assert!(bomb.len() < 1 << 20, "a small file: {}", bomb.len());
    let r = nianbao::import::import(&bomb, None);
    assert!(r.diagnostics.iter().any(|d| d.rule == "import-limit"), "{:?}", r.diagnostics);

    let mut nested = String::new();
    for _ in 0..(nianbao::limits::DOCX_TABLE_NESTING_MAX + 2) {
        nested.push_str("<w:tbl><w:tr><w:tc>");
    }
    nested.push_str(para);
    for _ in 0..(nianbao::limits::DOCX_TABLE_NESTING_MAX + 2) {
        nested.push_str("</w:tc></w:tr></w:tbl>");
    }
    let r = nianbao::import::import(&docx_with(&nested, 0), None);
    assert!(r.diagnostics.iter().any(|d| d.rule == "import-limit"), "{:?}", r.diagnostics);
}

// ---- 4. Control characters ----

#[test]
fn control_characters_are_refused_and_never_reach_the_terminal() {
    let good = sample(WENDENG);
    // Raw control character inside a string: RFC 8259 forbids it.
    let raw = good.replacen("强化组织领导", "强化\u{1b}组织领导", 1);
    let c = crate::common::check(&raw);
    assert!(c.diagnostics.iter().any(|d| d.rule == "json-syntax"), "{:?}", c.diagnostics);
    // Escaped in JSON, so decoded: a rule of its own naming the path.
    for (esc, name) in [
        ("\\u001b[2J", "ESC"),
        ("\\u0007", "BEL"),
        ("\\r", "CR"),
        ("\\u202e", "RLO"),
        ("\\u0000", "NUL"),
        ("\\u009b", "CSI"),
    ] {
        let t = good.replacen("强化组织领导", &format!("强化{esc}组织领导"), 1);
        let c = crate::common::check(&t);
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.rule == "text-control")
            .unwrap_or_else(|| panic!("{name}: {:?}", c.diagnostics));
        assert_eq!(d.path, "overview.paragraphs[0]", "{name}");
        let human = render_human(d, "r.json", &c.text);
        assert!(
            !human.chars().any(|c| nianbao::diag::is_unprintable(c) || c == '\r'),
            "{name}: raw character in {human:?}"
        );
    }
    // Through the binary, file names included.
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("r\u{1b}]0;pwned\u{7}\u{202e}.json");
    std::fs::write(&name, good.replacen("强化组织领导", "强化\\u001b[31m组织领导", 1)).unwrap();
    let o = nianbao(&[&"check", &name]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(all.contains("text-control"), "{all}");
    assert!(!all.chars().any(|c| nianbao::diag::is_unprintable(c) || c == '\r'), "{all:?}");
    // Output file names never contain them.
    assert_eq!(nianbao::build::sanitize_file_name("a\u{1b}b\u{202e}c\u{85}d\re"), "a_b_c_d_e");
}

// ---- 5. Memory out of proportion to the input ----

/// Exit code, peak resident memory (KiB) and standard error of `nianbao ARGS`.
///
/// The peak comes from a small Python parent (`getrusage(RUSAGE_CHILDREN)`), not from this
/// test process's own `wait4`: Linux counts the memory a child had before `exec` — a copy of
/// this whole, many-threaded test binary — in the child's peak.
#[cfg(target_os = "linux")]
fn run_measured(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Option<i32>, i64, String) {
    const MEASURE: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
        sys.stderr.buffer.write(r.stderr)\n\
        print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let o = Command::new("python3")
        .arg("-c")
        .arg(MEASURE)
        .arg(env!("CARGO_BIN_EXE_nianbao"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let mut fields = out.split_whitespace().map(|f| f.parse::<i64>().expect("python3 prints numbers"));
    let code = fields.next().and_then(|c| i32::try_from(c).ok()).filter(|c| *c >= 0);
    let kib = fields.next().expect("peak memory printed");
    (code, kib, String::from_utf8_lossy(&o.stderr).into_owned())
}

#[cfg(target_os = "linux")]
#[test]
fn inputs_are_bounded_and_refused_early() {
    if !crate::common::tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Larger than the report limit: refused from its size, in little memory.
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(nianbao::limits::REPORT_FILE_BYTES_MAX + 1).unwrap();
    let (code, kib, err) = run_measured(&[&"check", &big]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("input-too-large"), "{err}");
    assert!(kib < 100 * 1024, "{kib} KiB");
    // 12 MB of whitespace within the limit: memory a small multiple of the input.
    let ws = dir.path().join("ws.json");
    std::fs::write(&ws, vec![b' '; 12 << 20]).unwrap();
    let (code, kib, err) = run_measured(&[&"check", &ws]);
    assert_eq!(code, Some(1), "{err}");
    assert!(kib < 12 * 1024 * 8, "{kib} KiB for 12 MiB of whitespace");
    // A paragraph over the text limit is an error naming its path, before typesetting.
    let mut v: Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    v["overview"]["paragraphs"][0] = Value::String("很".repeat(nianbao::limits::TEXT_CHARS_MAX + 1));
    let long = dir.path().join("long.json");
    std::fs::write(&long, v.to_string()).unwrap();
    let (code, _, err) = run_measured(&[&"build", &long, &"-o", &dir.path().join("out"), &"--fonts", &"bundled"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("text-too-long") && err.contains("overview.paragraphs[0]"), "{err}");
    // Import has a limit of its own.
    let txt = dir.path().join("big.txt");
    std::fs::File::create(&txt).unwrap().set_len(nianbao::limits::IMPORT_FILE_BYTES_MAX + 1).unwrap();
    let (code, _, err) = run_measured(&[&"import", &txt, &"--check"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("input-too-large"), "{err}");
}

// ---- 6. Smaller faults ----

#[test]
fn import_check_does_not_pass_a_file_that_failed_to_import() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.docx");
    let mut bytes = docx_with("<w:p/>", 0);
    let n = bytes.len();
    bytes.truncate(n / 2);
    std::fs::write(&bad, &bytes).unwrap();
    let o = nianbao(&[&"import", &bad, &"--check", &"--form", &"docx"]);
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(!all.contains("核对 / check 通过"), "{all}");
    assert!(all.contains("未进行"), "{all}");
}

#[test]
fn unwritable_output_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.json");
    std::fs::write(&r, sample(WENDENG)).unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let o = nianbao(&[&"build", &r, &"-o", &blocker.join("sub"), &"--fonts", &"bundled"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}

#[test]
fn a_reports_documents_are_all_written_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.json");
    std::fs::write(&r, sample(WENDENG)).unwrap();
    let template = dir.path().join("bad.typ");
    std::fs::write(&template, "#panic(\"broken template\")\n").unwrap();
    let out = dir.path().join("out");
    let o = nianbao(&[
        &"build",
        &r,
        &"-o",
        &out,
        &"--format",
        &"pdf,docx",
        &"--fonts",
        &"bundled",
        &"--template",
        &template,
    ]);
    let err = text(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "{err}");
    let written: Vec<PathBuf> =
        std::fs::read_dir(&out).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
    assert!(err.contains("not-built") && err.contains("DOCX"), "the message says which: {err}");
}

#[test]
fn stale_temp_files_are_removed_by_batch_and_reported_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = nianbao::sample::generate(1, 3);
    nianbao::sample::write(&set, &input).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".nianbao-left.tmp"), "half").unwrap();
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--fonts", &"bundled", &"--format", &"docx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!out.join(".nianbao-left.tmp").exists());
    std::fs::write(out.join(".nianbao-later.tmp"), "half").unwrap();
    let o = nianbao(&[&"manifest", &"verify", &out.join("manifest.json")]);
    assert!(text(&o.stdout).contains(".nianbao-later.tmp"), "{}", text(&o.stdout));
}

#[cfg(unix)]
#[test]
fn manifest_verify_stays_in_its_folder_and_reads_no_devices() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = nianbao::sample::generate(1, 5);
    nianbao::sample::write(&set, &input).unwrap();
    let out = dir.path().join("out");
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--fonts", &"bundled", &"--format", &"docx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let path = out.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("zero.docx")).unwrap();
    std::fs::write(dir.path().join("outside.docx"), "x").unwrap();
    let template = m["reports"][0]["outputs"][0].clone();
    let mut outputs = Vec::new();
    for file in ["../outside.docx", "/dev/zero", "zero.docx"] {
        let mut o = template.clone();
        o["file"] = Value::String(file.into());
        outputs.push(o);
    }
    m["reports"][0]["outputs"] = Value::Array(outputs);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let started = std::time::Instant::now();
    let o = nianbao(&[&"manifest", &"verify", &path]);
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.matches("REFUSED").count(), 3, "{stdout}");
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn a_second_batch_into_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let set = nianbao::sample::generate(1, 9);
    nianbao::sample::write(&set, &input).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let held = nianbao::batch::BatchLock::acquire(&out).unwrap();
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--fonts", &"bundled", &"--format", &"docx"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("batch-locked"), "{}", text(&o.stderr));
    assert!(!out.join("manifest.json").exists());
    drop(held);
    let o = nianbao(&[&"batch", &input, &"-o", &out, &"--fonts", &"bundled", &"--format", &"docx"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

// ---- 7. Property-based runs of every decoder ----

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(64);
        ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
    }

    /// Byte-level mutations of a valid input: overwrite, insert, delete, truncate.
    fn mutate(base: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
        let mut b = base.to_vec();
        for &(at, op, byte) in edits {
            if b.is_empty() {
                b.push(byte);
                continue;
            }
            let i = at % b.len();
            match op % 4 {
                0 => b[i] = byte,
                1 => b.insert(i, byte),
                2 => {
                    b.remove(i);
                }
                _ => b.truncate(i),
            }
        }
        b
    }

    fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
        proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)
    }

    /// Every rejection carries a diagnostic: no report means at least one error.
    fn rejected_with_reason(report: bool, diags: &nianbao::diag::Diagnostics) -> bool {
        report || diags.has_errors()
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn decoder_never_panics_and_explains_rejections(edits in edits()) {
            let bytes = mutate(sample(WENDENG).as_bytes(), &edits);
            let c = nianbao::inspect::check_bytes(&bytes, None);
            prop_assert!(rejected_with_reason(c.report.is_some(), &c.diagnostics));
            for d in c.diagnostics.iter() {
                let h = render_human(d, "x.json", &c.text);
                prop_assert!(!h.chars().any(|c| nianbao::diag::is_unprintable(c) || c == '\r'));
            }
        }

        #[test]
        fn decoder_takes_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let c = nianbao::inspect::check_bytes(&bytes, None);
            prop_assert!(rejected_with_reason(c.report.is_some(), &c.diagnostics));
        }

        #[test]
        fn text_import_never_panics(edits in edits(), form in 0u8..2) {
            let base = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/wendeng-emergency-2021.txt"))
                .unwrap_or_else(|_| sample(WENDENG).into_bytes());
            let bytes = mutate(&base, &edits);
            let form = if form == 0 { nianbao::import::Form::Web } else { nianbao::import::Form::Pdf };
            let r = nianbao::import::import(&bytes, Some(form));
            prop_assert!(r.to_json("x").is_some() || r.diagnostics.has_errors());
        }

        #[test]
        fn docx_import_never_panics(edits in edits()) {
            let base = docx_with("<w:p><w:r><w:t>关于2021年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>", 0);
            let bytes = mutate(&base, &edits);
            let r = nianbao::import::import(&bytes, Some(nianbao::import::Form::Docx));
            prop_assert!(r.to_json("x").is_some() || r.diagnostics.has_errors());
        }

        #[test]
        fn seal_loader_never_panics(edits in edits(), png in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            let base: Vec<u8> = if png {
                let mut b = png_header(4, 4);
                b.extend(b"\0\0\0\0IEND\xaeB`\x82");
                b
            } else {
                br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><g id="a"><circle r="3"/></g></defs><use xlink:href="#a"/><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>"##.to_vec()
            };
            let p = dir.path().join("s");
            std::fs::write(&p, mutate(&base, &edits)).unwrap();
            if let Ok(img) = nianbao::render::load_seal(&seal_at(&p)) {
                let _ = img.bitmap();
            }
        }
    }
}
