//! The `nianbao` command line: argument parsing and exit codes only; the work is done by the
//! library (`nianbao::…`), one module per subcommand under `cli/`.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// 输出输入格式的 JSON Schema / print the JSON Schema of the input format
    Schema(cli::schema::Args),
    /// 生成一份可填写的起始报告 / write a starter report that passes `check`
    Init(cli::init::Args),
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
    let code = match cli.command {
        Command::Check(a) => cli::check::run(a),
        Command::Schema(a) => cli::schema::run(a),
        Command::Init(a) => cli::init::run(a),
    };
    ExitCode::from(code)
}
