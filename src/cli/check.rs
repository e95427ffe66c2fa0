//! `nianbao check FILE… [--previous FILE] [--message-format human|json] [--deny-warnings]
//! [--lint-config FILE] [--allow RULE] [--fix [--fix-output FILE]]`

use std::path::PathBuf;

use super::{values, Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use nianbao::inspect::check_bytes_with;

#[derive(clap::Args)]
pub struct Args {
    /// 报告文件 / report files (JSON)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 上一年度的报告，用于跨年度核对 / last year's report, for the cross-year rules
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub messages: super::MessageFormat,
    #[command(flatten)]
    pub old_format: super::OldMessageFormat,
    /// 有警告也以 1 退出 / exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// 文字检查配置（TOML，可关闭单项检查）/ lint configuration (TOML) switching lints off
    #[arg(long, value_name = "FILE")]
    pub lint_config: Option<PathBuf>,
    /// 关闭某项文字检查，可重复 / switch a lint off (repeatable, or comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = values::lint_rule)]
    pub allow: Vec<values::LintRule>,
    /// 把可安全改正的问题（半角标点、日期补零）写入新文件并显示差异 / write the safe rewrites to a new file and show the diff
    #[arg(long)]
    pub fix: bool,
    /// --fix 写入的文件（默认 <输入>.fixed.json）/ where --fix writes (default <input>.fixed.json)
    #[arg(long, value_name = "FILE", requires = "fix")]
    pub fix_output: Option<PathBuf>,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    let json = messages.json();
    let mut exit = EXIT_OK;
    let lint = nianbao::lint::LintConfig::from_cli(args.lint_config.as_deref(), &values::lint_ids(&args.allow))
        .map_err(|d| {
            Failure::usage(d, args.lint_config.as_ref().map(|p| p.display().to_string()).unwrap_or_default())
        })?;
    if args.fix_output.is_some() && args.files.len() > 1 {
        return Err(Failure::args("--fix-output 只能用于单个文件", "--fix-output takes a single input file"));
    }
    let previous = super::load_previous(args.previous.as_deref())?;

    for file in &args.files {
        let Some((name, bytes)) = super::read_each(file, nianbao::input::read, messages, &mut exit) else { continue };
        let checked = check_bytes_with(&bytes, previous.as_ref(), &lint);
        let d = &checked.diagnostics;
        if d.has_errors() || (args.deny_warnings && d.warnings() > 0) {
            exit = exit.max(EXIT_ERRORS);
        }
        messages.file(&name, &checked.text, d);
        if !json {
            let status = if d.has_errors() { "未通过 / FAILED" } else { "通过 / ok" };
            println!("{name}: {status} — {} 个错误 / errors, {} 个警告 / warnings", d.errors(), d.warnings());
        }
        if args.fix && nianbao::workbook::is_workbook(&bytes) {
            exit = exit.max(EXIT_USAGE);
            eprintln!("{name}: --fix 只改写 JSON 报告，工作簿请在表格中修改 / --fix rewrites JSON reports only; correct a workbook in the spreadsheet");
        } else if args.fix {
            // A report that did not decode has nothing to rewrite.
            let fixed = match checked.lint_input(previous.as_ref()) {
                Some(input) => nianbao::lint::fix::fix_file(file, &bytes, &input, &lint, args.fix_output.as_deref()),
                None => Ok(None),
            };
            let (zh, en, fix) = match fixed {
                Ok(Some(w)) => {
                    if !json {
                        print!("{}", w.diff);
                    }
                    let fix = serde_json::json!({ "output": w.output.display().to_string(), "edits": w.edits, "diff": w.diff });
                    (
                        format!("已改正 {} 处，写入 {}", w.edits, w.output.display()),
                        format!("{} rewrites written to {}", w.edits, w.output.display()),
                        fix,
                    )
                }
                Ok(None) => (
                    "没有可自动改正的问题，未写入文件".into(),
                    "nothing to rewrite; no file written".into(),
                    serde_json::json!({ "output": null, "edits": 0 }),
                ),
                Err(e) => {
                    exit = exit.max(EXIT_USAGE);
                    let error = serde_json::to_value(&e).unwrap_or_default();
                    (e.message_zh, e.message_en, serde_json::json!({ "error": error }))
                }
            };
            match messages.last_entry() {
                Some(entry) => entry["fix"] = fix,
                None => println!("{name}: --fix: {zh} / {en}"),
            }
        }
    }
    Ok(exit)
}
