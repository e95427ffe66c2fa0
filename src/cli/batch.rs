//! `nianbao batch INPUT… -o DIR [--format pdf,docx,ofd] [--jobs N] [--shard I/N] [--previous-dir DIR]
//! [--name PATTERN] [--pdf-standard …] [--report FILE.json] [--message-format human|json]` (+ the
//! font, layout and lint options of `build`)

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::build::{DocumentArgs, FontsArg};
use super::values::{self, Format, Names, PdfStandards};
use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE};
use nianbao::batch::{self, ItemResult, PreviousIndex, RunOptions, Shard, Status};
use nianbao::build::{sha256_hex, Engine, OutputKind};
use nianbao::diag::{Diagnostic, Diagnostics};
use nianbao::manifest::{FontEntry, Header, Manifest, ProfileRef, RunSettings};
use nianbao::render::pdf::PdfOptions;

/// Stack of each worker thread: Typst's layout and the DOCX writer recurse deeply on long
/// documents (the main thread of `nianbao build` has 8 MiB); untouched pages cost no memory.
const WORKER_STACK: usize = 32 << 20;

#[derive(clap::Args)]
pub struct Args {
    /// 报告文件、目录（其下所有 .json）、NDJSON 文件或报告数组 / report files, folders (every .json
    /// below them), NDJSON files or JSON arrays of reports
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// 输出目录：文档（按机关名称与年度命名，或按 --name）与清单 manifest.json 写在其中 / output
    /// folder: the documents (named by agency and year, or by --name) and manifest.json
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// 输出格式 / output formats: pdf, docx, ofd, html, any combination
    #[arg(long, value_name = "pdf,docx[,ofd][,html]", value_enum, value_delimiter = ',', ignore_case = true, default_values = ["pdf", "docx"])]
    pub format: Vec<Format>,
    /// 并行线程数（默认全部核心）/ worker threads (default: all cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// 只处理第 I 份（共 N 份）输入，用于多台机器分担 / take share I of N of the inputs (1-based)
    #[arg(long, value_name = "I/N", value_parser = values::shard)]
    pub shard: Option<Shard>,
    /// 上一年度报告所在目录，按 id（否则按机关名称）匹配 / folder of last year's reports, matched by id, else agency
    #[arg(long = "previous-dir", value_name = "DIR")]
    pub previous_dir: Option<PathBuf>,
    /// 输出文件名模式 / output name pattern: {id} {agency} {year} {stem} {seq}, `/` for sub-folders
    #[arg(long, value_name = "PATTERN", value_parser = values::names)]
    pub name: Option<Names>,
    /// PDF 标准，如 a-2b（归档）/ PDF standard, e.g. a-2b (archiving)
    #[arg(long = "pdf-standard", value_name = "STANDARD", value_parser = values::pdf_standards)]
    pub pdf_standard: Option<PdfStandards>,
    /// 把每份报告的结果（成功/失败及诊断）写入 JSON 文件 / write per-report results as JSON
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub document: DocumentArgs,
    #[command(flatten)]
    pub messages: super::MessageFormat,
    /// 勾稽关系有错也生成文档（错误作为警告输出）/ produce documents despite consistency errors
    #[arg(long)]
    pub allow_inconsistent: bool,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    let started = Instant::now();
    super::output_folder(&args.output)?;
    let formats = values::output_kinds(&args.format);
    let standards = args.pdf_standard.as_ref().map(|s| s.standards.clone()).unwrap_or_default();
    let shard = args.shard;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    if jobs == 0 {
        return Err(Failure::args("--jobs 至少为 1", "--jobs must be at least 1"));
    }
    // Rayon's global pool serves Typst's parallel work inside each document and the planning
    // pass; `--jobs` bounds it like the report workers.
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .build_global()
        .map_err(|e| Failure::args(format!("无法启动工作线程：{e}"), format!("cannot start worker threads: {e}")))?;

    // Inputs, previous years, names: everything is settled before any document is built.
    let mut exclude = vec![args.output.clone()];
    exclude.extend(args.report.clone());
    let expansion = batch::expand(&args.inputs, &exclude);
    if !expansion.errors.is_empty() {
        return Err(Failure::new(EXIT_USAGE).with("", "", Diagnostics(expansion.errors)));
    }
    if expansion.items.is_empty() {
        return Err(Failure::args("没有找到任何报告", "no reports found in the inputs"));
    }
    let inputs_total = expansion.items.len();
    let previous = match &args.previous_dir {
        None => None,
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Failure::args(
                    format!("--previous-dir {} 不是目录", dir.display()),
                    format!("--previous-dir {} is not a folder", dir.display()),
                ));
            }
            let (index, warnings) = PreviousIndex::load(dir);
            messages.file(&dir.display().to_string(), "", &Diagnostics(warnings));
            Some(index)
        }
    };
    let pattern = args.name.as_ref().map(|n| &n.pattern);
    let planned = batch::plan(expansion.items, pattern, previous.as_ref()).map_err(|collisions| {
        let refused = collisions.iter().map(|c| {
            let (stem, inputs) = (c.stem.display(), c.inputs.join(", "));
            Diagnostic::error(
                "usage",
                "",
                format!("以下输入会生成同名文件 {stem}.*，未做任何处理：{inputs}"),
                format!("these inputs would write the same files {stem}.*; nothing was done: {inputs}"),
            )
            .with_hint("用 --name 指定包含 {id} 或 {stem} 的文件名模式，或删除重复的输入 / use --name with {id} or {stem}, or remove duplicate inputs")
        });
        Failure::new(EXIT_USAGE).with("", "", Diagnostics(refused.collect()))
    })?;
    let planned: Vec<_> = planned.into_iter().filter(|p| shard.is_none_or(|s| s.contains(p.item.ordinal))).collect();

    let (engine, lint) = args.document.prepare()?;
    let header = header(&args, &engine, &formats, shard, inputs_total).map_err(|d| Failure::usage(d, ""))?;
    nianbao::output::ensure_dir(&args.output).map_err(|d| Failure::usage(d, ""))?;
    // One batch per output folder; held until the process ends.
    let lock = batch::BatchLock::acquire(&args.output).map_err(|d| Failure::usage(d, ""))?;
    let cleaned = batch::clean_stale_temp_files(&args.output, &lock);
    if cleaned > 0 {
        eprintln!("已删除上次中断留下的 {cleaned} 个临时文件 / removed {cleaned} temporary file(s) left by an interrupted run");
    }

    let options = RunOptions {
        jobs,
        stack_size: WORKER_STACK,
        build: args.document.build_options(
            formats.clone(),
            PdfOptions { standards },
            args.allow_inconsistent,
            &args.output,
            lint,
        ),
    };

    install_signal_handlers();
    let total = planned.len();
    // With --message-format json the findings are in the document; the progress says only how
    // each report went.
    let progress = Progress::new(total, !messages.json());
    let results = batch::run(&engine, planned, &options, &CANCEL, &|r| progress.done(r));
    progress.finish();
    let results = results.map_err(|d| Failure::usage(d, ""))?;
    let summary = batch::summarize(&results);
    let interrupted = summary.skipped > 0 || CANCEL.load(Ordering::SeqCst);

    let mut exit = if summary.failed > 0 { EXIT_ERRORS } else { EXIT_OK };
    let mut unwritten = Vec::new();
    if interrupted {
        // The manifest and report describe complete runs only; documents already written are
        // complete files (atomic renames), the rest were never started.
        eprintln!(
            "已中断：完成 {} 份，未开始 {} 份；未写清单 / interrupted: {} done, {} not started; no manifest written",
            total - summary.skipped,
            summary.skipped,
            total - summary.skipped,
            summary.skipped
        );
        exit = EXIT_INTERRUPTED;
    } else {
        let manifest = Manifest::from_results(&header, &results);
        let manifest_name = match shard {
            Some(s) => format!("manifest-{}-of-{}.json", s.index, s.count),
            None => "manifest.json".to_string(),
        };
        let manifest_path = args.output.join(&manifest_name);
        if let Err(d) = nianbao::output::write_atomic(&manifest_path, manifest.to_json().as_bytes()) {
            unwritten.push(d);
        }
        if let Some(path) = &args.report {
            if let Err(d) = nianbao::output::write_atomic(path, report_json(&results).as_bytes()) {
                unwritten.push(d);
            }
        }
    }

    if messages.json() {
        for r in results.iter().filter(|r| r.status != Status::Skipped) {
            let outputs: Vec<serde_json::Value> = r
                .outputs
                .iter()
                .map(|o| {
                    serde_json::json!({
                        "format": o.kind.extension(),
                        "path": nianbao::diag::escape_terminal(&args.output.join(&o.file).display().to_string()),
                        "pages": o.pages,
                        "bytes": o.bytes,
                        "sha256": o.sha256,
                    })
                })
                .collect();
            if let Some(entry) = messages.file(&r.name, "", &r.diagnostics) {
                entry["status"] = if r.status == Status::Ok { "ok" } else { "failed" }.into();
                entry["outputs"] = outputs.into();
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let done = total - summary.skipped;
    messages.say(format!(
        "完成 / done: {} 份成功 / produced, {} 份失败 / failed, {} 个警告 / warnings（{} 份报告 / reports）, {} 个文件 / files, {} 页 / pages, {:.1} s, {:.1} 份每秒 / reports/s",
        summary.produced,
        summary.failed,
        summary.warnings,
        summary.with_warnings,
        summary.files,
        summary.pages,
        secs,
        if secs > 0.0 { done as f64 / secs } else { 0.0 }
    ));
    let failed: Vec<&ItemResult> = results.iter().filter(|r| r.status == Status::Failed).collect();
    if !failed.is_empty() {
        messages.say("失败 / failed:");
        for r in failed {
            messages.say(format!("  {} — {}", r.name, batch::error_rules(r).join(", ")));
        }
    }
    if !unwritten.is_empty() {
        return Err(Failure::new(EXIT_USAGE).with("", "", Diagnostics(unwritten)));
    }
    Ok(exit)
}

/// Set by SIGINT/SIGTERM: workers start no new report, in-flight ones finish.
static CANCEL: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    // A second signal ends the process at once (a temporary file may stay behind, but never
    // a partial document: outputs appear only by rename).
    if CANCEL.swap(true, Ordering::SeqCst) {
        // SAFETY: `_exit` is async-signal-safe.
        unsafe { libc::_exit(i32::from(EXIT_INTERRUPTED)) }
    }
}

#[cfg(unix)]
fn install_signal_handlers() {
    // SAFETY: the handler only touches an atomic and calls `_exit`, both async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn install_signal_handlers() {}

/// The run-wide part of the manifest.
fn header(
    args: &Args,
    engine: &Engine,
    formats: &[OutputKind],
    shard: Option<Shard>,
    inputs_total: usize,
) -> Result<Header, Diagnostic> {
    let read = |p: &Path| nianbao::input::read(p);
    let profile_text = match &args.document.layout.profile {
        Some(p) => read(p)?,
        None => nianbao::profile::DEFAULT_PROFILE_TOML.as_bytes().to_vec(),
    };
    let template_sha256 = match &args.document.template {
        Some(p) => Some(sha256_hex(&read(p)?)),
        None => None,
    };
    let profile = engine.profile();
    let pdf_fonts = engine
        .fonts_used()
        .into_iter()
        .map(|c| FontEntry { role: c.role.clone(), family: c.family.clone(), source: Some(c.origin.to_string()) })
        .collect();
    let docx_fonts = nianbao::profile::ROLES
        .iter()
        .map(|r| {
            let f = profile.role(r);
            let family =
                if args.document.layout.fonts == FontsArg::Bundled { f.bundled.clone() } else { f.official.clone() };
            FontEntry { role: r.to_string(), family, source: None }
        })
        .collect();
    Ok(Header {
        profile: ProfileRef { name: profile.name.clone(), sha256: sha256_hex(&profile_text) },
        options: RunSettings {
            formats: formats.iter().map(|k| k.extension().to_string()).collect(),
            pdf_standard: args.pdf_standard.as_ref().map(|s| s.text.clone()),
            fonts: if args.document.layout.fonts == FontsArg::Bundled { "bundled" } else { "system" }.into(),
            template_sha256,
            name_pattern: args.name.as_ref().map(|n| n.text.clone()),
        },
        shard,
        inputs_total,
        pdf_fonts,
        docx_fonts,
    })
}

/// `--report FILE.json`: per report ok/failed with every diagnostic, for platforms.
fn report_json(results: &[ItemResult]) -> String {
    let s = batch::summarize(results);
    let reports: Vec<serde_json::Value> = results
        .iter()
        .filter(|r| r.status != Status::Skipped)
        .map(|r| {
            serde_json::json!({
                "n": r.ordinal + 1,
                "input": r.name,
                "status": if r.status == Status::Ok { "ok" } else { "failed" },
                "outputs": r.outputs.iter().map(|o| o.file.clone()).collect::<Vec<_>>(),
                "errors": r.diagnostics.errors(),
                "warnings": r.diagnostics.warnings(),
                "diagnostics": r.diagnostics.0,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "summary": {
            "reports": s.reports,
            "produced": s.produced,
            "failed": s.failed,
            "warnings": s.warnings,
            "files": s.files,
            "pages": s.pages,
        },
        "reports": reports,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A progress bar with count, rate and ETA on a terminal; one plain line per report otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    /// Whether a report's diagnostics are shown under its line (the human form).
    diagnostics: bool,
    total: usize,
    count: AtomicUsize,
    lines: Mutex<()>,
}

impl Progress {
    fn new(total: usize, diagnostics: bool) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:32.cyan/blue} {pos}/{len} 份 · {rate} · 已用 {elapsed} · 预计剩余 {eta}",
            ) {
                let rate = |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1} 份/秒", s.per_sec());
                };
                bar.set_style(style.with_key("rate", rate));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { bar, diagnostics, total, count: AtomicUsize::new(0), lines: Mutex::new(()) }
    }

    fn done(&self, r: &ItemResult) {
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        let mut text = String::new();
        if self.diagnostics && (r.status == Status::Failed || r.diagnostics.warnings() > 0) {
            for d in &r.rendered {
                text.push_str(d);
            }
        }
        let status = match r.status {
            Status::Ok if r.diagnostics.warnings() > 0 => "警告 warn",
            Status::Ok => "成功 ok",
            _ => "失败 FAILED",
        };
        let files: Vec<&str> = r.outputs.iter().map(|o| o.file.as_str()).collect();
        let line = if r.status == Status::Ok {
            format!("[{n}/{}] {status} {} → {} ({} 页 / pages)", self.total, r.name, files.join(", "), r.pages())
        } else {
            format!("[{n}/{}] {status} {} — {}", self.total, r.name, batch::error_rules(r).join(", "))
        };
        match &self.bar {
            Some(bar) => {
                if !text.is_empty() {
                    bar.println(format!("{line}\n{}", text.trim_end()));
                }
                bar.inc(1);
            }
            None => {
                let _guard = self.lines.lock();
                eprintln!("{line}");
                if !text.is_empty() {
                    eprint!("{text}");
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
