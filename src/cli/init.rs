//! `nianbao init [FILE] [--year YEAR] [--agency NAME] [--force]`: a starter report;
//! `nianbao init --xlsx FILE [--from LAST_YEAR]`: the same starter as the clerk's workbook,
//! pre-filled from last year's report with `--from`.
//!
//! The starter itself is built by the library ([`nianbao::starter`]), which `serve` uses too;
//! this module only reads the arguments and writes the file.

use std::path::PathBuf;

use super::{Failure, Messages, Outcome, EXIT_OK, EXIT_USAGE};
use nianbao::inspect::check_bytes;
use nianbao::starter::{carry_over, starter, starter_text};

/// Report year used when `--year` is not given (fixed, so the command's output never depends on
/// the day it runs).
pub const DEFAULT_YEAR: i64 = 2025;
/// Placeholder agency name.
const PLACEHOLDER_AGENCY: &str = "某某市某某区某某局";

#[derive(clap::Args)]
pub struct Args {
    /// 写入的文件；省略时输出到标准输出 / file to write; standard output when omitted
    pub file: Option<PathBuf>,
    /// 报告年度（默认 2025，或 --from 报告的下一年）/ report year (default 2025, or the year after --from)
    #[arg(long, value_parser = clap::value_parser!(i64).range(nianbao::model::tables::REPORT_YEARS))]
    pub year: Option<i64>,
    /// 机关全称 / full name of the agency
    #[arg(long, value_name = "NAME")]
    pub agency: Option<String>,
    /// 覆盖已存在的文件 / overwrite an existing file
    #[arg(long)]
    pub force: bool,
    /// 写成填报工作簿（XLSX）/ write the clerk's workbook (XLSX) instead of JSON
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub xlsx: Option<PathBuf>,
    /// 上一年度的报告：预填结转件数、现行有效件数和联系方式 / last year's report: pre-fills the
    /// carried-over counts, the documents in force and the contact block
    #[arg(long, value_name = "FILE", requires = "xlsx")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    if let Some(path) = &args.xlsx {
        return run_xlsx(&args, path);
    }
    if args.file.is_none() {
        messages.data_on_stdout();
    }
    let agency = args.agency.clone().unwrap_or_else(|| PLACEHOLDER_AGENCY.to_string());
    let text = starter_text(&agency, args.year.unwrap_or(DEFAULT_YEAR));

    // The starter must pass `check`; only a user-supplied value (e.g. an empty --agency) can
    // make it fail, and then nothing is written.
    let checked = check_bytes(text.as_bytes(), None);
    if checked.has_errors() {
        let why = nianbao::diag::Diagnostic::error(
            "usage",
            "",
            "参数导致起始报告无法通过检查",
            "the arguments make the starter report fail `check`",
        );
        return Err(Failure::new(EXIT_USAGE).with("<init>", checked.text, checked.diagnostics).with(
            "",
            "",
            nianbao::diag::Diagnostics(vec![why]),
        ));
    }

    let Some(path) = args.file else {
        print!("{text}");
        return Ok(EXIT_OK);
    };
    if path.exists() && !args.force {
        return Err(Failure::args(
            format!("文件 {} 已存在，未覆盖；如需覆盖请加 --force", path.display()),
            format!("{} already exists and was not overwritten; use --force to replace it", path.display()),
        ));
    }
    super::write_output(&path, text.as_bytes())?;
    eprintln!("已写入 / written: {}", path.display());
    Ok(EXIT_OK)
}

/// `init --xlsx`: the starter report (or last year's carried into this year) as a workbook.
fn run_xlsx(args: &Args, path: &std::path::Path) -> Outcome {
    let previous = super::load_previous(args.from.as_deref())?;
    let year = args.year.or(previous.as_ref().map(|p| p.year + 1)).unwrap_or(DEFAULT_YEAR);
    let agency = args
        .agency
        .clone()
        .or(previous.as_ref().map(|p| p.agency.clone()))
        .unwrap_or_else(|| PLACEHOLDER_AGENCY.to_string());
    if agency.trim().is_empty() {
        return Err(Failure::args("--agency 不能为空", "--agency must not be empty"));
    }
    let mut report = starter(&agency, year);
    if let Some(prev) = &previous {
        carry_over(&mut report, prev);
    }
    super::export::write_workbook(&report, path, args.force)
}
