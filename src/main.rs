//! The `nianbao` command line: argument parsing and exit codes only; the work is done by the
//! library (`nianbao::…`), one module per subcommand under `cli/`.

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
    let code = match cli.command {
        Command::Check(a) => cli::check::run(a),
        Command::Build(a) => cli::build::run(a),
        Command::Fonts(a) => cli::fonts::run(a),
        Command::Schema(a) => cli::schema::run(a),
        Command::Init(a) => cli::init::run(a),
        Command::Sample(a) => cli::sample::run(a),
        Command::Batch(a) => cli::batch::run(a),
        Command::Manifest(a) => cli::manifest::run(a),
        Command::Import(a) => cli::import::run(a),
        Command::Summary(a) => cli::summary::run(a),
        Command::Export(a) => cli::export::run(a),
        Command::Serve(a) => cli::serve::run(a),
    };
    ExitCode::from(code)
}
