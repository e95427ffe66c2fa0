//! Benchmark of `nianbao serve` (BENCHMARKS.md, "serve"): in one run,
//! 1. a cold `nianbao build` of the seed sample (a fresh process: the baseline);
//! 2. edit → preview latency: 100 single-character edits of the seed's paragraphs, each posted
//!    to `POST /api/preview` with the pages the client holds, timed from sending the edit to
//!    having the changed pages' SVG (p50, p95);
//! 3. load: 8 concurrent clients posting the seed to `POST /api/build?format=pdf` for
//!    `--seconds` (default 60) on loopback: requests/s, p95, errors, peak RSS of the process.
//!
//! `cargo run --release --example serve-bench -- [--seconds N] [--bin target/release/nianbao]`

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nianbao::build::{Engine, EngineOptions};
use nianbao::fonts::{FontOptions, FontPolicy};
use nianbao::serve::{Config, Server, DEFAULT_MAX_BODY_BYTES};
use serde_json::{json, Value};

const SEED: &str = include_str!("../samples/wendeng-emergency-2021.json");

/// One request over a fresh connection. HTTP/1.0, so that the reply is not chunked and its body is
/// everything after the head.
fn post(port: u16, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return (0, Vec::new()) };
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    if s.write_all(head.as_bytes()).and_then(|_| s.write_all(body)).is_err() {
        return (0, Vec::new());
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let status = String::from_utf8_lossy(&raw[..split]).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, raw.get(split + 4..).unwrap_or_default().to_vec())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let seconds: u64 = arg("--seconds").and_then(|s| s.parse().ok()).unwrap_or(60);
    let bin = arg("--bin").unwrap_or_else(|| "target/release/nianbao".into());

    // 1. Cold build, a fresh process.
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("seed.json");
    std::fs::write(&input, SEED).expect("write seed");
    let started = Instant::now();
    let out = std::process::Command::new(&bin)
        .args(["build", "--fonts", "bundled", "-o"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .expect("nianbao build runs");
    let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The server, in this process (its memory is what RSS measures).
    let engine = Engine::from_options(&EngineOptions {
        fonts: FontOptions { font_paths: Vec::new(), policy: FontPolicy::Bundled },
        ..EngineOptions::default()
    })
    .expect("engine");
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        allowed_hosts: Vec::new(),
        threads: 8,
        lint: Default::default(),
        docx: Default::default(),
    };
    let server = Server::start(engine, config).expect("server");
    let port = server.addr().port();

    // 2. Edit → preview.
    let mut report: Value = serde_json::from_str(SEED).expect("seed JSON");
    let text = |r: &Value| serde_json::to_string_pretty(r).unwrap_or_default();
    let preview = |r: &Value, have: &[String]| -> (Vec<String>, usize) {
        let body = json!({ "report": text(r), "have": have }).to_string();
        let (status, reply) = post(port, "/api/preview", body.as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
        let doc: Value = serde_json::from_slice(&reply).expect("preview JSON");
        let pages = doc["pages"].as_array().cloned().unwrap_or_default();
        let hashes = pages.iter().map(|p| p["hash"].as_str().unwrap_or("").to_string()).collect();
        (hashes, doc["sent"].as_u64().unwrap_or(0) as usize)
    };
    let (mut have, _) = preview(&report, &[]);
    let warm = Instant::now();
    let _ = preview(&report, &have);
    let warm_ms = warm.elapsed().as_secs_f64() * 1000.0;
    let mut latencies = Vec::new();
    let mut sent_total = 0;
    let paragraphs = ["overview", "problems"];
    for i in 0..100 {
        let section = paragraphs[i % 2];
        let list = &mut report[section]["paragraphs"];
        let n = list.as_array().map_or(1, Vec::len).max(1);
        let p = &mut list[(i / 2) % n];
        let mut s = p.as_str().unwrap_or("").to_string();
        s.push(if i % 3 == 0 { '。' } else { '年' });
        *p = Value::String(s);
        let t = Instant::now();
        let (hashes, sent) = preview(&report, &have);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        sent_total += sent;
        have = hashes;
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let rss_after_edits = peak_rss_mb();

    // 3. Load.
    let stop = Arc::new(AtomicBool::new(false));
    let load_started = Instant::now();
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let (mut ok, mut errors, mut times) = (0usize, 0usize, Vec::new());
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let (status, body) = post(port, "/api/build?format=pdf", SEED.as_bytes());
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    if status == 200 && body.starts_with(b"%PDF") {
                        ok += 1;
                    } else {
                        errors += 1;
                    }
                }
                (ok, errors, times)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let (mut ok, mut errors, mut times) = (0, 0, Vec::new());
    for c in clients {
        let (o, e, t) = c.join().expect("client");
        ok += o;
        errors += e;
        times.extend(t);
    }
    let elapsed = load_started.elapsed().as_secs_f64();
    times.sort_by(|a, b| a.total_cmp(b));

    println!("cold `nianbao build` (fresh process): {cold_ms:.0} ms");
    println!("preview, unchanged report (warm): {warm_ms:.1} ms");
    println!(
        "edit → preview over 100 single-character edits: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; {:.2} pages re-sent per edit; p50 = {:.1}% of the cold build",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(f64::NAN),
        sent_total as f64 / 100.0,
        percentile(&latencies, 0.5) / cold_ms * 100.0
    );
    println!("peak RSS after the edits: {rss_after_edits:.0} MB");
    println!(
        "POST /api/build?format=pdf, 8 clients, {elapsed:.0} s: {ok} ok, {errors} errors, {:.2} req/s, p50 {:.0} ms, p95 {:.0} ms; peak RSS {:.0} MB",
        ok as f64 / elapsed,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        peak_rss_mb()
    );
    server.shutdown();
}
