//! `nianbao import FILE… [-o OUT] [--check] [--form web|pdf|docx] [--message-format human|json]`
//!
//! One file without `-o`: the JSON goes to standard output and every message to standard
//! error. With `-o`: a file (one input) or a folder (`<stem>.json` per input). Several files
//! with `--check` and no `-o` only audit: nothing is written.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use nianbao::diag::{to_json, Diagnostics};
use nianbao::import::{import, Form};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormArg {
    Web,
    Pdf,
    Docx,
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    /// 已发布的报告：网页复制的文本、pdftotext -layout 的输出、DOCX 或保存的网页（HTML）/ published
    /// reports: text copied from a website, `pdftotext -layout` output, DOCX, or a saved web page (HTML)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 输出：一个输入时为输出文件（已有目录或以 / 结尾时为目录），多个输入时为输出目录（每份 <名称>.json）；
    /// 省略时输出到标准输出 / output: the output file for one input (a folder when it is one or ends in
    /// /), the output folder for several (<name>.json each); standard output when omitted
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// 导入后核对全部勾稽关系 / run every consistency rule on the imported report
    #[arg(long)]
    pub check: bool,
    /// 输入形式（默认自动识别）/ source form (recognised by default)
    #[arg(long, value_enum)]
    pub form: Option<FormArg>,
    #[command(flatten)]
    pub messages: super::MessageFormat,
    #[command(flatten)]
    pub old_format: super::OldMessageFormat,
}

/// Where the JSON of each input goes.
enum Target {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
    Nowhere,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    let target = match (&args.output, args.files.len()) {
        (None, 1) => Target::Stdout,
        (None, _) if args.check => Target::Nowhere,
        (None, _) => {
            return Err(Failure::args(
                "导入多个文件时须用 -o 指定输出目录（或加 --check 只作核对）",
                "several inputs need -o FOLDER (or --check to audit them without writing)",
            ))
        }
        (Some(p), 1) if !p.is_dir() && !p.to_string_lossy().ends_with(['/', '\\']) => Target::File(p.clone()),
        (Some(p), _) => Target::Folder(p.clone()),
    };
    if let Target::Folder(dir) = &target {
        let mut seen = HashSet::new();
        for f in &args.files {
            let name = json_name(f);
            if !seen.insert(name.clone()) {
                return Err(Failure::args(
                    format!("多个输入会写到同一个输出文件 {}：请分开导入或改名", dir.join(&name).display()),
                    format!(
                        "several inputs would be written to {}: import them separately or rename them",
                        dir.join(&name).display()
                    ),
                ));
            }
        }
        super::ensure_output_dir(dir)?;
    }
    if matches!(target, Target::Stdout) {
        // Status lines and findings must not mix with a JSON report on standard output.
        messages.data_on_stdout();
    }
    let form = args.form.map(|f| match f {
        FormArg::Web => Form::Web,
        FormArg::Pdf => Form::Pdf,
        FormArg::Docx => Form::Docx,
        FormArg::Html => Form::Html,
    });

    let mut exit = EXIT_OK;
    for file in &args.files {
        let read = |f: &std::path::Path| nianbao::input::read_limited(f, nianbao::limits::IMPORT_FILE_BYTES_MAX);
        let Some((name, bytes)) = super::read_each(file, read, messages, &mut exit) else { continue };
        // A DOCX is a zip archive too: the clerk's workbooks are told by their extension.
        let spreadsheet = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("ods"));
        if spreadsheet && nianbao::workbook::is_workbook(&bytes) {
            exit = exit.max(import_workbook(&args, messages, file, &bytes, &target));
            continue;
        }
        let imported = import(&bytes, form);
        let mut import_diags = imported.diagnostics.clone();

        // The written JSON must be a valid report: decode it as `check` would.
        let mut written = None;
        let source_name = file.file_name().map_or(name.clone(), |n| n.to_string_lossy().into_owned());
        if let Some(json) = imported.to_json(&source_name) {
            let text = json.to_pretty();
            let decoded = nianbao::model::decode(&text);
            if decoded.diagnostics.has_errors() && !import_diags.has_errors() {
                // Not expected: the import found nothing wrong, yet the JSON does not decode.
                messages.file(&format!("{name} → JSON"), &decoded.text, &decoded.diagnostics);
                import_diags.push(nianbao::diag::Diagnostic::error(
                    "import-invalid",
                    "",
                    "导入得到的 JSON 不符合输入格式",
                    "the imported JSON does not satisfy the input format",
                ));
            }
            written = match &target {
                Target::Stdout => {
                    print!("{text}");
                    None
                }
                Target::File(p) => Some(p.clone()),
                Target::Folder(dir) => Some(dir.join(json_name(file))),
                Target::Nowhere => None,
            };
            if let Some(path) = &written {
                if let Err(d) = nianbao::output::write_atomic(path, text.as_bytes()) {
                    messages.one(&path.display().to_string(), d);
                    exit = exit.max(EXIT_USAGE);
                    written = None;
                }
            }
        }
        // A file that failed to import has no report to check: `--check` says so rather than
        // passing whatever little was read.
        let import_failed = import_diags.has_errors();
        let check_diags = if args.check && !import_failed { Some(imported.check(None)) } else { None };

        if import_diags.has_errors() || check_diags.as_ref().is_some_and(Diagnostics::has_errors) {
            exit = exit.max(EXIT_ERRORS);
        }
        if !messages.json() {
            messages.file(&name, &imported.listing, &import_diags);
            if let Some(c) = &check_diags {
                messages.file(&name, &imported.listing, c);
            }
            let status = if import_diags.has_errors() { "有错误 / errors" } else { "完成 / ok" };
            let mut line = format!(
                "{name}: 导入 / import ({}) {status} — {} 个错误 / errors, {} 个警告 / warnings, {} 处未归入 / unplaced",
                imported.form.name(),
                import_diags.errors(),
                import_diags.warnings(),
                imported.unplaced.len()
            );
            if let Some(p) = &written {
                line.push_str(&format!(" → {}", p.display()));
            }
            messages.say(line);
            if let Some(c) = &check_diags {
                let status = if c.has_errors() { "未通过 / FAILED" } else { "通过 / ok" };
                messages.say(format!(
                    "{name}: 核对 / check {status} — {} 个错误 / errors, {} 个警告 / warnings",
                    c.errors(),
                    c.warnings()
                ));
            } else if args.check {
                messages.say(format!("{name}: 核对 / check 未进行：导入失败 / not run: the import failed"));
            }
        } else {
            let mut doc = serde_json::json!({
                "file": name,
                "form": imported.form.name(),
                "output": written.as_ref().map(|p| p.display().to_string()),
                "unplaced": imported.unplaced.len(),
                "import": to_json(&name, &import_diags),
            });
            if let Some(c) = &check_diags {
                doc["check"] = to_json(&name, c);
            } else if args.check {
                doc["check"] = serde_json::Value::Null;
            }
            messages.entry(doc);
        }
    }
    Ok(exit)
}

/// A clerk's workbook read back into input-format JSON (cells named in every finding); with
/// `--check` every consistency rule runs too.
fn import_workbook(args: &Args, messages: &mut Messages, file: &Path, bytes: &[u8], target: &Target) -> u8 {
    let name = file.display().to_string();
    let decoded = nianbao::workbook::decode_input(bytes);
    let diags =
        if args.check { nianbao::inspect::check_bytes(bytes, None).diagnostics } else { decoded.diagnostics.clone() };
    let mut exit = if diags.has_errors() { EXIT_ERRORS } else { EXIT_OK };
    let mut written = None;
    if decoded.report.is_some() && !decoded.diagnostics.has_errors() {
        written = match target {
            Target::Stdout => {
                print!("{}", decoded.text);
                None
            }
            Target::File(p) => Some(p.clone()),
            Target::Folder(dir) => Some(dir.join(json_name(file))),
            Target::Nowhere => None,
        };
        if let Some(path) = &written {
            if let Err(d) = nianbao::output::write_atomic(path, decoded.text.as_bytes()) {
                messages.one(&path.display().to_string(), d);
                exit = exit.max(EXIT_USAGE);
                written = None;
            }
        }
    }
    if messages.json() {
        messages.entry(serde_json::json!({
            "file": name,
            "form": "xlsx",
            "output": written.as_ref().map(|p| p.display().to_string()),
            "import": to_json(&name, &diags),
        }));
        return exit;
    }
    messages.file(&name, "", &diags);
    let status = if diags.has_errors() { "有错误 / errors" } else { "完成 / ok" };
    let mut line = format!(
        "{name}: 导入 / import (xlsx) {status} — {} 个错误 / errors, {} 个警告 / warnings",
        diags.errors(),
        diags.warnings()
    );
    if let Some(p) = &written {
        line.push_str(&format!(" → {}", p.display()));
    }
    messages.say(line);
    exit
}

/// `<stem>.json` for an input file, with characters unsafe in file names (controls, bidi
/// overrides, separators) replaced.
fn json_name(file: &Path) -> String {
    let stem = file.file_stem().map_or("report".into(), |s| s.to_string_lossy().into_owned());
    format!("{}.json", nianbao::build::sanitize_file_name(&stem))
}
