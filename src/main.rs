//! The `nianbao` command line: argument parsing, and the one place where a subcommand's
//! outcome is printed and becomes the exit code; the work is done by the library
//! (`nianbao::…`), one module per subcommand under `cli/`.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Layout allocates and frees many small values per document; glibc's allocator spent a seventh
// of a batch's time on them (BENCHMARKS.md, "Where the time goes").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// nianbao — 政府信息公开工作年度报告编译器 / compiler for government information disclosure
/// annual reports: JSON in, checked, print-ready PDF and DOCX out (GB/T 9704-2012).
#[derive(Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查报告（勾稽关系、类型、跨年度）/ check reports: consistency rules, types, cross-year
    Check(cli::check::Args),
    /// 检查并排版：生成 PDF（及 DOCX）/ check, then typeset the PDF (and DOCX)
    Build(cli::build::Args),
    /// 列出找到的字体及各角色所用字体 / list the fonts found and the font serving each role
    Fonts(cli::fonts::Args),
    /// 输出输入格式的 JSON Schema / print the JSON Schema of the input format
    Schema(cli::schema::Args),
    /// 生成一份可填写的起始报告 / write a starter report that passes `check`
    Init(cli::init::Args),
    /// 生成示例报告（测试与基准用）/ write varied, valid sample reports for tests and benchmarks
    Sample(cli::sample::Args),
    /// 批量生成所有部门的报告 / build a folder of reports in parallel, with an archival manifest
    Batch(cli::batch::Args),
    /// 批量清单：合并分片、核对文件 / batch manifests: merge shards, verify files
    Manifest(cli::manifest::Args),
    /// 导入已发布的报告（网页文本、pdftotext 文本、DOCX）并可核对 / import published reports (web text, pdftotext text, DOCX) into JSON, optionally checking them
    Import(cli::import::Args),
    /// 把报告导出为填报工作簿（XLSX）/ export a report as the clerk's workbook (XLSX)
    Export(cli::export::Args),
    /// 汇总各部门报告为本级政府报告（表二、三、四逐格相加）并列出每个数字的来源 / sum the department reports into one government report, with a per-department breakdown
    Summary(cli::summary::Args),
    /// 本机网页填报：表单、实时检查、实时预览、下载；并提供 HTTP 接口 / local web form with live checks and preview, and an HTTP API
    Serve(cli::serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { cli::EXIT_USAGE } else { cli::EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A command whose output goes into `head` or a closed pipe ends quietly, as other command-line
    // tools do, instead of panicking on the failed write. The server keeps Rust's default (the
    // signal ignored): a client closing its connection must never end it.
    #[cfg(unix)]
    if !matches!(cli.command, Command::Serve(_)) {
        // SAFETY: called once at start, before any thread exists; SIG_DFL is a valid disposition.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let command = cli.command.name();
    let mut messages = cli::Messages::new(cli.command.message_format());
    let outcome = match cli.command {
        Command::Check(a) => cli::check::run(a, &mut messages),
        Command::Build(a) => cli::build::run(a, &mut messages),
        Command::Fonts(a) => cli::fonts::run(a, &mut messages),
        Command::Schema(a) => cli::schema::run(a, &mut messages),
        Command::Init(a) => cli::init::run(a, &mut messages),
        Command::Sample(a) => cli::sample::run(a, &mut messages),
        Command::Batch(a) => cli::batch::run(a, &mut messages),
        Command::Manifest(a) => cli::manifest::run(a, &mut messages),
        Command::Import(a) => cli::import::run(a, &mut messages),
        Command::Summary(a) => cli::summary::run(a, &mut messages),
        Command::Export(a) => cli::export::run(a, &mut messages),
        Command::Serve(a) => cli::serve::run(a, &mut messages),
    };
    ExitCode::from(messages.finish(command, outcome))
}

impl Command {
    /// How it is named where no file is at fault.
    fn name(&self) -> &'static str {
        match self {
            Command::Check(_) => "nianbao check",
            Command::Build(_) => "nianbao build",
            Command::Fonts(_) => "nianbao fonts",
            Command::Schema(_) => "nianbao schema",
            Command::Init(_) => "nianbao init",
            Command::Sample(_) => "nianbao sample",
            Command::Batch(_) => "nianbao batch",
            Command::Manifest(a) => a.name(),
            Command::Import(_) => "nianbao import",
            Command::Summary(_) => "nianbao summary",
            Command::Export(_) => "nianbao export",
            Command::Serve(_) => "nianbao serve",
        }
    }

    /// How its diagnostics print (`--message-format`, or the older `--format human|json` of
    /// check, import and fonts).
    fn message_format(&self) -> cli::OutputFormat {
        match self {
            Command::Check(a) => a.messages.or_old(a.old_format),
            Command::Import(a) => a.messages.or_old(a.old_format),
            Command::Fonts(a) => a.messages.or_old(a.old_format),
            Command::Build(a) => a.messages.get(),
            Command::Batch(a) => a.messages.get(),
            Command::Schema(a) => a.messages.get(),
            Command::Init(a) => a.messages.get(),
            Command::Sample(a) => a.messages.get(),
            Command::Manifest(a) => a.messages().get(),
            Command::Summary(a) => a.messages.get(),
            Command::Export(a) => a.messages.get(),
            Command::Serve(a) => a.messages.get(),
        }
    }
}
