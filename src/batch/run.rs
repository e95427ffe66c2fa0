//! Running a batch: the shared [`Engine`] on `--jobs` worker threads, one report each at a
//! time, failures isolated per report, outputs written atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::name::Meta;
use super::plan::Planned;
use crate::build::{build_report, BuildOptions, Engine, OutputKind};
use crate::diag::{render_human, Diagnostic, Diagnostics};
use crate::inputs::Item;

/// What happened to one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    Failed,
    /// Not started because the batch was interrupted.
    Skipped,
}

/// One document written.
#[derive(Debug, Clone)]
pub struct Written {
    pub kind: OutputKind,
    /// Relative to the output folder, `/`-separated.
    pub file: String,
    pub sha256: String,
    pub bytes: usize,
    pub pages: Option<usize>,
}

/// The result of one report, kept small: document bytes and the input text are not retained.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub ordinal: usize,
    pub name: String,
    pub input_sha256: String,
    pub meta: Option<Meta>,
    pub previous: Option<String>,
    pub status: Status,
    pub outputs: Vec<Written>,
    pub diagnostics: Diagnostics,
    /// Every diagnostic in the human form (with source snippets), rendered while the input
    /// text was at hand.
    pub rendered: Vec<String>,
}

impl ItemResult {
    pub fn pages(&self) -> usize {
        self.outputs.iter().filter_map(|o| o.pages).sum()
    }
}

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Reports built at the same time, one worker thread each.
    pub jobs: usize,
    /// Stack size of each worker thread (Typst's layout and the DOCX writer recurse deeply on
    /// long documents; untouched stack pages cost no memory).
    pub stack_size: usize,
    /// Formats, PDF and DOCX options; `out_dir` is the batch's output folder.
    pub build: BuildOptions,
}

/// Build every planned report, `options.jobs` at a time. Results come back in input order;
/// `on_done` is called from the worker threads as each report finishes. Once `cancel` is set,
/// reports not yet started are skipped and in-flight ones finish, so no output is ever
/// half-written.
///
/// The workers are plain threads taking reports from a queue, not rayon tasks: Typst
/// parallelises inside a document on the rayon pool, and a rayon worker waiting inside one
/// document would steal and start other reports, nesting them on its stack — all in flight at
/// once, memory growing with the batch. Here a worker holds exactly one report at a time.
pub fn run(
    engine: &Engine,
    planned: Vec<Planned>,
    options: &RunOptions,
    cancel: &AtomicBool,
    on_done: &(dyn Fn(&ItemResult) + Sync),
) -> Result<Vec<ItemResult>, Diagnostic> {
    let queue = Mutex::new(planned.into_iter());
    let results = Mutex::new(Vec::new());
    let worker = || {
        // Each worker has a rayon pool of its own, with one thread: Typst's parallel sections
        // inside a document run there, one after another. On one pool shared by all workers the
        // idle pool threads spin while waiting for work, which cost a batch about a third more
        // CPU per report than the same documents made one at a time (BENCHMARKS.md); the
        // workers already keep every core busy.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .stack_size(options.stack_size)
            .thread_name(|_| "nianbao-typeset".into())
            .build()
            .ok();
        loop {
            let next = match queue.lock() {
                Ok(mut q) => q.next(),
                Err(_) => None,
            };
            let Some(p) = next else { break };
            let result = if cancel.load(Ordering::SeqCst) {
                skipped(p)
            } else {
                match &pool {
                    Some(pool) => pool.install(|| run_isolated(engine, p, options)),
                    None => run_isolated(engine, p, options),
                }
            };
            if result.status != Status::Skipped {
                on_done(&result);
            }
            if let Ok(mut r) = results.lock() {
                r.push(result);
            }
        }
    };
    let spawned = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for i in 0..options.jobs.max(1) {
            let h = std::thread::Builder::new()
                .name(format!("nianbao-batch-{i}"))
                .stack_size(options.stack_size)
                .spawn_scoped(scope, worker)
                .map_err(|e| {
                    Diagnostic::error(
                        "batch",
                        "",
                        format!("无法启动工作线程：{e}"),
                        format!("cannot start worker threads: {e}"),
                    )
                })?;
            handles.push(h);
        }
        // A worker that panicked lost its report; the others finish theirs.
        let panicked = handles.into_iter().map(|h| h.join()).filter(Result::is_err).count();
        Ok::<usize, Diagnostic>(panicked)
    })?;
    let mut results = results.into_inner().unwrap_or_default();
    if spawned > 0 {
        return Err(Diagnostic::error(
            "batch",
            "",
            format!("{spawned} 个工作线程异常终止"),
            format!("{spawned} worker thread(s) crashed"),
        ));
    }
    results.sort_by_key(|r| r.ordinal);
    Ok(results)
}

/// One report, with a panic anywhere in its build turned into a failure of that report alone:
/// the batch goes on and writes its manifest. (Allocation failures abort and cannot be caught;
/// every decoder is bounded before it allocates so that none occurs: `crate::limits`.)
fn run_isolated(engine: &Engine, p: Planned, options: &RunOptions) -> ItemResult {
    let fallback = skipped(p.clone());
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_one(engine, p, options))) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let d = Diagnostic::error(
                "internal-error",
                "",
                format!("生成这份报告时程序内部出错：{what}"),
                format!("an internal error stopped this report: {what}"),
            )
            .with_hint("请报告此问题并附上输入文件 / please report this with the input file");
            ItemResult {
                status: Status::Failed,
                rendered: vec![render_human(&d, &fallback.name, "")],
                diagnostics: Diagnostics(vec![d]),
                ..fallback
            }
        }
    }
}

fn skipped(p: Planned) -> ItemResult {
    ItemResult {
        ordinal: p.item.ordinal,
        name: p.item.name(),
        input_sha256: p.item.sha256(),
        meta: p.meta,
        previous: p.previous.map(|i| i.name()),
        status: Status::Skipped,
        outputs: Vec::new(),
        diagnostics: Diagnostics::default(),
        rendered: Vec::new(),
    }
}

fn run_one(engine: &Engine, p: Planned, options: &RunOptions) -> ItemResult {
    let name = p.item.name();
    let file = p.item.file();
    let mut result = ItemResult {
        ordinal: p.item.ordinal,
        name: name.clone(),
        input_sha256: p.item.sha256(),
        meta: p.meta.clone(),
        previous: p.previous.as_ref().map(Item::name),
        status: Status::Failed,
        outputs: Vec::new(),
        diagnostics: Diagnostics::default(),
        rendered: Vec::new(),
    };
    let bytes = p.item.bytes();
    if !p.problems.is_empty() {
        let text = String::from_utf8_lossy(&bytes);
        result.rendered = p.problems.iter().map(|d| render_human(d, &file, &text)).collect();
        result.diagnostics = Diagnostics(p.problems);
        return result;
    }
    let previous = p.previous.as_ref().and_then(|prev| crate::workbook::decode_input(&prev.bytes()).report);
    let out_dir = options.build.out_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let (dir, stem) = match &p.stem {
        Some(s) => (
            s.parent().map(|d| out_dir.join(d)).unwrap_or_else(|| out_dir.clone()),
            s.file_name().map(|n| n.to_string_lossy().into_owned()),
        ),
        None => (out_dir.clone(), None),
    };
    let build = BuildOptions { out_dir: Some(dir.clone()), file_stem: stem, ..options.build.clone() };
    let base = p.item.base_dir();
    let mut outcome = build_report(engine, &bytes, &name, Some(&base), previous.as_ref(), &build);
    // A report that failed keeps none of its documents: the batch's promise is "checked and
    // complete", so a PDF without its DOCX (or the reverse) is removed again.
    if !outcome.succeeded() {
        for o in &outcome.outputs {
            if let Some(path) = &o.path {
                let _ = std::fs::remove_file(path);
            }
        }
        outcome.outputs.clear();
    }
    result.rendered = outcome.diagnostics.iter().map(|d| render_human(d, &file, &outcome.text)).collect();
    result.outputs = outcome
        .outputs
        .iter_mut()
        .map(|o| {
            o.data = Vec::new();
            let rel = o
                .path
                .as_ref()
                .and_then(|path| path.strip_prefix(&out_dir).ok())
                .map(Path::to_path_buf)
                .unwrap_or_default();
            Written {
                kind: o.kind,
                file: rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
                sha256: o.sha256.clone(),
                bytes: o.bytes,
                pages: o.pages,
            }
        })
        .collect();
    result.status = if outcome.succeeded() { Status::Ok } else { Status::Failed };
    result.diagnostics = outcome.diagnostics;
    result
}

/// Counts for the end-of-run summary and the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: usize,
    pub produced: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Reports with warnings, and the number of warnings.
    pub with_warnings: usize,
    pub warnings: usize,
    pub files: usize,
    pub pages: usize,
}

pub fn summarize(results: &[ItemResult]) -> Summary {
    let mut s = Summary { reports: results.len(), ..Summary::default() };
    for r in results {
        match r.status {
            Status::Ok => s.produced += 1,
            Status::Failed => s.failed += 1,
            Status::Skipped => s.skipped += 1,
        }
        let w = r.diagnostics.warnings();
        s.warnings += w;
        s.with_warnings += usize::from(w > 0);
        s.files += r.outputs.len();
        s.pages += r.pages();
    }
    s
}

/// Rule ids of a failed report's errors, in order, without repeats.
pub fn error_rules(r: &ItemResult) -> Vec<&'static str> {
    let mut seen = HashMap::new();
    r.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| (seen.insert(d.rule, ()).is_none()).then_some(d.rule))
        .collect()
}
