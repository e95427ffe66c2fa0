//! `nianbao export --xlsx REPORT [-o FILE] [--force]`: a report as the clerk's workbook.
//!
//! Any report input the commands take (JSON, or a workbook read back) is decoded; a report with
//! decoding errors is refused, one with unbalanced tables is written (the workbook's 勾稽 row
//! shows 「不平衡」 where the clerk must correct it).

use std::path::{Path, PathBuf};

use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK};

#[derive(clap::Args)]
pub struct Args {
    /// 报告文件（JSON 或工作簿）/ the report (JSON or a workbook)
    pub file: PathBuf,
    /// 写成填报工作簿（XLSX）/ write the clerk's workbook (XLSX)
    #[arg(long, required = true)]
    pub xlsx: bool,
    /// 输出文件（默认 <输入>.xlsx）/ output file (default <input>.xlsx)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 覆盖已存在的文件 / overwrite an existing file
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

pub fn run(args: Args, _messages: &mut Messages) -> Outcome {
    let name = args.file.display().to_string();
    let bytes = super::read_input(&args.file)?;
    let decoded = nianbao::workbook::decode_input(&bytes);
    let report = match decoded.report {
        Some(r) if !decoded.diagnostics.has_errors() => r,
        _ => {
            let note = format!("{name}: 报告有错误，未导出 / the report has errors; nothing was exported");
            return Err(Failure::new(EXIT_ERRORS).with(name, decoded.text, decoded.diagnostics).note(note));
        }
    };
    let out = args.output.unwrap_or_else(|| default_output(&args.file));
    write_workbook(&report, &out, args.force)
}

/// `report.json` → `report.xlsx` (beside the input).
fn default_output(input: &Path) -> PathBuf {
    let target = input.with_extension("xlsx");
    if target == input {
        input.with_extension("export.xlsx")
    } else {
        target
    }
}

/// Write `report` as a workbook at `path` (refusing to overwrite without `force`); shared by
/// `export --xlsx` and `init --xlsx`.
pub fn write_workbook(report: &nianbao::model::Report, path: &Path, force: bool) -> Outcome {
    if path.exists() && !force {
        return Err(Failure::args(
            format!("文件 {} 已存在，未覆盖；如需覆盖请加 --force", path.display()),
            format!("{} already exists and was not overwritten; use --force to replace it", path.display()),
        ));
    }
    let bytes = nianbao::workbook::write(report)
        .map_err(|ds| Failure::new(EXIT_ERRORS).with(path.display().to_string(), "", ds))?;
    super::write_output(path, &bytes)?;
    eprintln!("已写入 / written: {}", path.display());
    Ok(EXIT_OK)
}
