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
