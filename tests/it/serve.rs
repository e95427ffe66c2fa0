//! `nianbao serve`: the HTTP API over a real socket (status codes, guards, builds equal to
//! `nianbao build`, previews that re-send only changed pages) and the web app in headless
//! Chromium (tests/browser/app.mjs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{replace_once, sample, sample_path, tool, WENDENG};

/// A `nianbao serve` child process on a free port, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["serve", "--addr", "127.0.0.1:0", "--fonts", "bundled", "--threads", "4"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nianbao serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("serve prints its address");
        assert!(line.contains("只在本机可访问"), "says it is local only: {line}");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Serve { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// One request; `headers` may override Host. Returns status, headers (lower-case names)
    /// and body.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(120))).ok();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).expect("write head");
        // A refused body may never be read by the server: ignore a write error then.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        parse_reply(&raw)
    }

    fn post(&self, path: &str, body: &[u8]) -> Reply {
        self.request("POST", path, &[("Content-Type", "application/json")], body)
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], b"")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The diagnostics of a `{"files":[…]}` document.
    fn diagnostics(&self) -> Vec<Value> {
        self.json()["files"][0]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn rules(&self) -> Vec<String> {
        self.diagnostics().iter().map(|d| d["rule"].as_str().unwrap_or("").to_string()).collect()
    }
}

fn parse_reply(mut raw: &[u8]) -> Reply {
    // Interim `100 Continue` replies come before the real one.
    while raw.starts_with(b"HTTP/1.1 100") {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").map_or(raw.len(), |i| i + 4);
        raw = &raw[end..];
    }
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete HTTP reply");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
    out
}

fn unbalanced_seed() -> String {
    // 本年新收 5 → 6 for 自然人: table 三's first column no longer balances.
    replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]")
}

/// `nianbao build --fonts bundled` of `json` (written to a temporary folder).
fn cli_build(json: &str, format: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.json");
    std::fs::write(&input, json).expect("write input");
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--fonts", "bundled", "--format", format, "-o"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .expect("nianbao build runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == format))
        .expect("an output");
    std::fs::read(file).expect("read output")
}

#[test]
fn api_checks_builds_and_guards() {
    let serve = Serve::start(&["--max-body", "2M"]);

    // Reads.
    let health = serve.get("/api/health");
    assert_eq!(health.status, 200);
    let schema = serve.get("/api/schema");
    assert_eq!(schema.status, 200);
    assert!(schema.json()["properties"]["applications"].is_object());
    let layout = serve.get("/api/layout").json();
    let formats: Vec<&str> = layout["formats"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    assert!(formats.contains(&"pdf") && formats.contains(&"docx"), "{formats:?}");
    assert_eq!(layout["tables"].as_array().map(Vec::len), Some(3));
    let index = serve.get("/");
    assert_eq!(index.status, 200);
    assert!(String::from_utf8_lossy(&index.body).contains("/app.js"));
    assert!(index.header("content-security-policy").is_some_and(|c| c.contains("default-src 'self'")));
    let blank = serve.get("/api/blank?agency=%E5%A8%81%E6%B5%B7%E5%B8%82%E6%9F%90%E5%B1%80&year=2024");
    assert_eq!(blank.status, 200);
    assert_eq!(blank.json()["agency"], "威海市某局");

    // Check: the seed is clean; a broken cell is named by its path, in Chinese, with the numbers.
    let ok = serve.post("/api/check", sample(WENDENG).as_bytes());
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["files"][0]["errors"], 0);
    let broken = serve.post("/api/check", unbalanced_seed().as_bytes());
    assert_eq!(broken.status, 200);
    let d = broken.diagnostics();
    let balance = d.iter().find(|d| d["rule"] == "table3-balance").expect("table3-balance");
    assert_eq!(balance["path"], "applications.results.total[0]");
    assert!(balance["message_zh"].as_str().unwrap().contains("不平衡"));
    assert!(balance["line"].as_u64().is_some(), "located in the text");

    // The envelope form, with the report as a string, gives the same answer.
    let env = json!({ "report": unbalanced_seed() }).to_string();
    assert_eq!(serve.post("/api/check", env.as_bytes()).rules(), broken.rules());

    // Status codes that mean what they say.
    let bad = serve.post("/api/check", b"{ not json");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.rules(), ["json-syntax"]);
    assert_eq!(serve.post("/api/build?format=odt", sample(WENDENG).as_bytes()).status, 400);
    let refused = serve.post("/api/build?format=pdf", unbalanced_seed().as_bytes());
    assert_eq!(refused.status, 422);
    assert!(refused.rules().contains(&"table3-balance".to_string()));
    assert_eq!(serve.get("/api/nothing").status, 404);
    assert_eq!(serve.get("/api/check").status, 405);

    // 413 from the declared length alone: the body is never sent.
    let huge = serve.request("POST", "/api/check", &[("Content-Length", "3000000"), ("Expect", "100-continue")], b"");
    assert_eq!(huge.status, 413);
    assert_eq!(huge.rules(), ["serve-too-large"]);
    let chunky = vec![b' '; 2_100_000];
    assert_eq!(serve.post("/api/check", &chunky).status, 413);

    // DNS rebinding: a foreign Host or Origin is refused before anything else.
    let host = serve.request("GET", "/api/health", &[("Host", &format!("evil.example:{}", serve.port))], b"");
    assert_eq!(host.status, 403);
    assert_eq!(host.rules(), ["serve-host"]);
    let origin = serve.request(
        "POST",
        "/api/check",
        &[("Origin", "http://evil.example"), ("Content-Type", "application/json")],
        sample(WENDENG).as_bytes(),
    );
    assert_eq!(origin.status, 403);
    assert_eq!(origin.rules(), ["serve-origin"]);
    let own = format!("http://127.0.0.1:{}", serve.port);
    assert_eq!(serve.request("GET", "/api/health", &[("Origin", &own)], b"").status, 200);

    // Builds equal `nianbao build` of the same JSON, byte for byte.
    let pdf = serve.post("/api/build?format=pdf", sample(WENDENG).as_bytes());
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").is_some_and(|c| c.contains("filename*=UTF-8''")));
    assert!(pdf.body == cli_build(&sample(WENDENG), "pdf"), "served PDF differs from `nianbao build`");
    let both = serve.post("/api/build?format=pdf,docx", sample(WENDENG).as_bytes());
    assert_eq!(both.status, 200);
    assert_eq!(both.header("content-type"), Some("application/zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(both.body.clone())).expect("a zip");
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().to_string()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".pdf")) && names.iter().any(|n| n.ends_with(".docx")));
    let mut inner = Vec::new();
    zip.by_index(names.iter().position(|n| n.ends_with(".pdf")).unwrap()).unwrap().read_to_end(&mut inner).unwrap();
    assert!(inner == pdf.body);

    // The server is still answering after every refusal above.
    assert_eq!(serve.get("/api/health").status, 200);
}

#[test]
fn seals_are_uploads_never_paths() {
    let serve = Serve::start(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    // A real PNG on disk that the report names: the server must not read it.
    let png = dir.path().join("seal.png");
    let mut img = image::RgbaImage::new(40, 40);
    for p in img.pixels_mut() {
        *p = image::Rgba([200, 0, 0, 255]);
    }
    img.save(&png).expect("write png");
    let plain = sample(WENDENG);
    let named = replace_once(
        &plain,
        "\"date\": \"2022-01-28\"",
        &format!("\"date\": \"2022-01-28\",\n    \"seal\": {}", json!(png.display().to_string())),
    );
    let r = serve.post("/api/build?format=pdf", named.as_bytes());
    assert_eq!(r.status, 200);
    let warnings = |r: &Reply| r.header("x-nianbao-warnings").and_then(|w| w.parse::<usize>().ok());
    let without = serve.post("/api/build?format=pdf", plain.as_bytes());
    assert_eq!(warnings(&r), warnings(&without).map(|w| w + 1), "one warning more: the seal was not uploaded");
    assert!(r.body == cli_build(&plain, "pdf"), "the named file was not used: same PDF as without a seal");
    let warned = serve.post("/api/check", named.as_bytes());
    assert!(warned.rules().contains(&"serve-seal-not-uploaded".to_string()));

    // The same PNG uploaded as bytes is printed: the PDF equals `nianbao build` with the file.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&png).unwrap());
    let env = json!({ "report": named, "seal": format!("data:image/png;base64,{b64}") }).to_string();
    let sealed = serve.post("/api/build?format=pdf", env.as_bytes());
    assert_eq!(sealed.status, 200);
    assert!(sealed.body == cli_build(&named, "pdf"), "uploaded seal printed as the file would be");
    assert!(sealed.body != r.body);

    // An upload that is not an image is a seal diagnostic (422 for a build), not a crash.
    let env = json!({ "report": plain, "seal": "data:image/png;base64,AAAA" }).to_string();
    let bad = serve.post("/api/build?format=pdf", env.as_bytes());
    assert_eq!(bad.status, 422);
    assert!(bad.rules().contains(&"seal-invalid".to_string()));
    assert_eq!(serve.post("/api/check", br#"{"report": "{}", "seal": "!!"}"#).status, 400);
}

#[test]
fn previews_resend_only_changed_pages() {
    let serve = Serve::start(&[]);
    let first = serve.post("/api/preview", sample(WENDENG).as_bytes());
    assert_eq!(first.status, 200);
    let doc = first.json();
    let pages = doc["pages"].as_array().expect("pages").clone();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages.iter().all(|p| p["svg"].as_str().is_some_and(|s| s.starts_with("<svg"))));
    let hashes: Vec<String> = pages.iter().map(|p| p["hash"].as_str().unwrap().to_string()).collect();

    // Nothing changed: nothing is sent.
    let again = serve.post("/api/preview", json!({ "report": sample(WENDENG), "have": hashes }).to_string().as_bytes());
    assert_eq!(again.json()["sent"], 0);

    // One paragraph of the last section changed: its page is sent, the first page is not.
    let edited = replace_once(&sample(WENDENG), "本单位未收取信息处理费。", "本单位未收取信息处理费用。");
    let after = serve.post("/api/preview", json!({ "report": edited, "have": hashes }).to_string().as_bytes()).json();
    let sent = after["sent"].as_u64().unwrap() as usize;
    assert!(sent >= 1 && sent < pages.len(), "sent {sent} of {}", pages.len());
    assert_eq!(after["pages"][0]["hash"], pages[0]["hash"]);
    assert!(after["pages"][0]["svg"].is_null());

    // The page ids are fingerprints of what is drawn, not of the SVG text: check them against
    // the SVG itself. Every page kept (same id) draws the same SVG as before the edit, and every
    // page with a new id draws a different one.
    let full = serve.post("/api/preview", edited.as_bytes()).json();
    let full = full["pages"].as_array().expect("pages").clone();
    assert_eq!(full.len(), pages.len());
    let mut kept = 0;
    for (before, now) in pages.iter().zip(&full) {
        assert_eq!(before["hash"] == now["hash"], before["svg"] == now["svg"], "page id and picture disagree");
        kept += usize::from(before["hash"] == now["hash"]);
    }
    assert_eq!(kept, pages.len() - sent);
}

/// The web app in the system's headless Chromium, driven by tests/browser/app.mjs
/// (playwright-core, `executablePath: /usr/bin/chromium`; no browser is downloaded).
#[test]
fn browser_form_checks_preview_and_download() {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !tool("chromium") || !tool("node") {
        return;
    }
    if !driver.join("node_modules/playwright-core").exists() {
        crate::common::missing("playwright-core (npm ci in tests/browser)");
        return;
    }
    let serve = Serve::start(&[]);
    let out = tempfile::tempdir().expect("temp dir");
    let run = Command::new("node")
        .arg(driver.join("app.mjs"))
        .env("NIANBAO_URL", serve.url())
        .env("NIANBAO_SAMPLE", sample_path(WENDENG))
        .env("NIANBAO_OUT", out.path())
        .env("NIANBAO_SCREENSHOTS", std::env::var("NIANBAO_SCREENSHOTS").unwrap_or_default())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "browser scenario failed");
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}")).expect("driver prints JSON last");
    assert_eq!(result["marked"], true, "the broken cell was marked");
    assert!(result["message"].as_str().is_some_and(|m| m.contains("不平衡")), "message shown: {result}");
    assert_eq!(result["unmarked"], true, "the mark went away after the fix");
    assert_eq!(result["preview_changed"], true, "a preview page changed after a paragraph edit");

    // The downloaded PDF equals `nianbao build` of the downloaded JSON.
    let json = std::fs::read_to_string(out.path().join("report.json")).expect("downloaded JSON");
    let pdf = std::fs::read(out.path().join("report.pdf")).expect("downloaded PDF");
    assert!(pdf.starts_with(b"%PDF"));
    assert!(json.contains("本单位未收取信息处理费用。"), "the edit is in the downloaded JSON");
    assert!(pdf == cli_build(&json, "pdf"), "downloaded PDF differs from `nianbao build` of the downloaded JSON");
}
