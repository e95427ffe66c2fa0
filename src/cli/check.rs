//! `nianbao check FILE… [--previous FILE] [--format human|json] [--deny-warnings]`

use std::path::PathBuf;

use clap::ValueEnum;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use nianbao::check::check_bytes;
use nianbao::diag::{render_human, to_json};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// 报告文件 / report files (JSON)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 上一年度的报告，用于跨年度核对 / last year's report, for the cross-year rules
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// 输出形式 / output form
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// 有警告也以 1 退出 / exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: Args) -> u8 {
    let mut outputs = Vec::new();
    let mut exit = EXIT_OK;

    let previous = match &args.previous {
        None => None,
        Some(p) => {
            let bytes = match nianbao::input::read(p) {
                Ok(b) => b,
                Err(d) => {
                    eprintln!("{}", render_human(&d, &p.display().to_string(), ""));
                    return EXIT_USAGE;
                }
            };
            let checked = check_bytes(&bytes, None);
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            if !errors.is_empty() || checked.report.is_none() {
                eprintln!("error: 上年报告 {} 无法使用 / the previous report cannot be used:", p.display());
                for d in &errors {
                    eprint!("{}", render_human(d, &p.display().to_string(), &checked.text));
                }
                return EXIT_ERRORS;
            }
            checked.report
        }
    };

    for file in &args.files {
        let name = file.display().to_string();
        let bytes = match nianbao::input::read(file) {
            Ok(b) => b,
            Err(d) => {
                if args.format == OutputFormat::Human {
                    eprint!("{}", render_human(&d, &name, ""));
                } else {
                    outputs.push(to_json(&name, &nianbao::diag::Diagnostics(vec![d])));
                }
                exit = exit.max(EXIT_USAGE);
                continue;
            }
        };
        let checked = check_bytes(&bytes, previous.as_ref());
        let d = &checked.diagnostics;
        if d.has_errors() || (args.deny_warnings && d.warnings() > 0) {
            exit = exit.max(EXIT_ERRORS);
        }
        match args.format {
            OutputFormat::Human => {
                for diag in d.iter() {
                    eprintln!("{}", render_human(diag, &name, &checked.text));
                }
                let status = if d.has_errors() { "未通过 / FAILED" } else { "通过 / ok" };
                println!("{name}: {status} — {} 个错误 / errors, {} 个警告 / warnings", d.errors(), d.warnings());
            }
            OutputFormat::Json => outputs.push(to_json(&name, d)),
        }
    }
    if args.format == OutputFormat::Json {
        let doc = serde_json::json!({ "files": outputs });
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => return super::fail(format!("无法输出 JSON：{e}"), format!("cannot print JSON: {e}")),
        }
    }
    exit
}
