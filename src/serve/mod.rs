//! `nianbao serve`: the clerk's form with live checks and preview, and an HTTP API for
//! reporting platforms, on one local server.
//!
//! The server is a thin layer over the library, as the command line is: [`api`] turns a request
//! into calls of [`crate::check`], [`crate::build`], [`crate::import`] and the PDF renderer's
//! [`compile`](crate::render::pdf::PdfRenderer::compile), and their diagnostics into JSON;
//! [`guard`] holds the request rules that keep the machine safe (Host and Origin against DNS
//! rebinding, the body limit checked before a byte of the body is read); [`preview`] typesets
//! pages as SVG and sends only the pages that changed; [`layout`] describes the official table
//! grids to the form, from the same [`crate::resolve`] grids the renderers draw; [`assets`] is
//! the web application, compiled into the binary (no CDN, no network).
//!
//! One [`crate::build::Engine`] serves every request: the Typst library, the fonts and the
//! parsed template stay in memory between edits, so Typst's memoised layout (comemo) is reused
//! for everything an edit did not touch; old cache entries are evicted after each preview so
//! memory stays flat.

pub mod api;
pub mod assets;
pub mod guard;
pub mod layout;
pub mod preview;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::build::Engine;
use crate::diag::Diagnostic;
use crate::lint::LintConfig;
use crate::render::docx::DocxOptions;

/// Rule ids of the server's own diagnostics (id, severity, Chinese summary, English summary).
pub const RULES: [(&str, &str, &str, &str); 9] = [
    (
        "serve-bad-request",
        "error",
        "请求无法读取（不是 JSON、缺少字段或参数有误）",
        "the request cannot be read (not JSON, a missing field or a bad parameter)",
    ),
    ("serve-too-large", "error", "请求体超过大小上限", "the request body is larger than the limit"),
    (
        "serve-host",
        "error",
        "Host 不是本服务的地址（防 DNS 重绑定）",
        "the Host is not this server's address (DNS rebinding guard)",
    ),
    ("serve-origin", "error", "来自其他网站的请求被拒绝", "a request from another web site was refused"),
    ("serve-not-found", "error", "没有这个地址", "no such address"),
    ("serve-method", "error", "此地址不接受该请求方法", "this address does not take that method"),
    (
        "serve-seal-not-uploaded",
        "warning",
        "报告写有印章路径，但印章未上传；服务不读取本机文件",
        "the report names a seal file but no seal was uploaded; the server never reads files of the machine",
    ),
    (
        "serve-previous-invalid",
        "error",
        "上年报告有错误，无法用于跨年度核对",
        "last year's report has errors and cannot anchor the cross-year rules",
    ),
    ("serve-internal", "error", "服务内部错误（不是输入造成的）", "internal server error (not caused by the input)"),
];

/// Default request body limit (`--max-body`): 16 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 << 20;

/// Stack of each worker thread: deep layouts recurse (as in `batch`).
const WORKER_STACK_BYTES: usize = 32 << 20;

/// How the server runs.
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Larger bodies are refused with 413 before they are read.
    pub max_body_bytes: u64,
    /// Host names accepted besides the loopback names and IP literals (`--allow-host`).
    pub allowed_hosts: Vec<String>,
    /// Worker threads (requests handled at the same time).
    pub threads: usize,
    /// The blank report for an agency and year (`nianbao init`'s starter).
    pub blank: fn(&str, i64) -> String,
    pub lint: LintConfig,
    pub docx: DocxOptions,
}

/// Everything a request handler reads.
pub struct State {
    pub engine: Engine,
    pub config: Config,
    /// The port the server listens on, for the Host and Origin checks.
    pub port: u16,
}

/// A running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Bind and start the worker threads. Port 0 picks a free port ([`Server::addr`]).
    pub fn start(engine: Engine, config: Config) -> Result<Server, Diagnostic> {
        let http = tiny_http::Server::http(config.addr).map_err(|e| {
            Diagnostic::error(
                "io",
                "",
                format!("无法在 {} 上监听：{e}", config.addr),
                format!("cannot listen on {}: {e}", config.addr),
            )
        })?;
        let addr = http.server_addr().to_ip().unwrap_or(config.addr);
        let http = Arc::new(http);
        let threads = config.threads.max(1);
        let state = Arc::new(State { engine, config, port: addr.port() });
        let mut workers = Vec::new();
        for i in 0..threads {
            let (http, state) = (http.clone(), state.clone());
            let worker = std::thread::Builder::new()
                .name(format!("serve-{i}"))
                .stack_size(WORKER_STACK_BYTES)
                .spawn(move || {
                    while let Ok(request) = http.recv() {
                        api::respond(&state, request);
                    }
                })
                .map_err(|e| {
                    Diagnostic::error(
                        "io",
                        "",
                        format!("无法启动工作线程：{e}"),
                        format!("cannot start a worker thread: {e}"),
                    )
                })?;
            workers.push(worker);
        }
        Ok(Server { http, addr, workers })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serve until the process ends.
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }

    /// Stop accepting requests and wait for the workers.
    pub fn shutdown(self) {
        for _ in &self.workers {
            self.http.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}
