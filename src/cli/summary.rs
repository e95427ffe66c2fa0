//! `nianbao summary INPUT… --agency NAME --year YEAR [-o summary.json] [--breakdown FILE.csv|FILE.xlsx]…
//! [--date YYYY-MM-DD] [--office TEXT] [--phone TEXT] [--email TEXT] [--id ID] [--allow-inconsistent]
//! [--message-format human|json]`

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use nianbao::batch;
use nianbao::diag::{Diagnostic, Diagnostics};
use nianbao::inspect::check_bytes;
use nianbao::summary::{self, SummaryOptions};

#[derive(clap::Args)]
pub struct Args {
    /// 部门报告：文件、目录（其下所有 .json）、NDJSON 文件或报告数组 / department reports: files,
    /// folders (every .json below them), NDJSON files or JSON arrays of reports
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// 本级政府全称，如 某某县人民政府 / full name of the government, e.g. 某某县人民政府
    #[arg(long, value_name = "NAME")]
    pub agency: String,
    /// 统计年度：其他年度的报告不计入并列出 / report year; reports of other years are left out and listed
    #[arg(long, value_parser = clap::value_parser!(i64).range(nianbao::model::tables::REPORT_YEARS))]
    pub year: i64,
    /// 输出文件：汇总报告（JSON）；省略时输出到标准输出 / output file: the summary report (JSON); standard output when omitted
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 逐部门明细表，按扩展名写 CSV 或 XLSX；可重复 / per-department breakdown, CSV or XLSX by extension; repeatable
    #[arg(long, value_name = "FILE.csv|FILE.xlsx")]
    pub breakdown: Vec<PathBuf>,
    /// 成文日期；省略时暂填次年1月31日（占位）/ signature date; a placeholder of 31 January next year when omitted
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 联系机构（省略时为占位文字）/ contact office (a placeholder when omitted)
    #[arg(long, value_name = "TEXT")]
    pub office: Option<String>,
    /// 联系电话（与 --email 都省略时为占位文字）/ contact phone (a placeholder when neither it nor --email is given)
    #[arg(long, value_name = "TEXT")]
    pub phone: Option<String>,
    /// 电子邮箱 / contact email
    #[arg(long, value_name = "TEXT")]
    pub email: Option<String>,
    /// 本级政府的 id（如统一社会信用代码）/ the government's id (e.g. 统一社会信用代码)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// 部门报告有勾稽关系错误也照常汇总（错误作为警告输出）/ sum reports despite their own consistency errors
    #[arg(long)]
    pub allow_inconsistent: bool,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        format!("日期应写作 YYYY-MM-DD，如 2025-03-20 / a date in YYYY-MM-DD form, e.g. 2025-03-20: `{s}`")
    })
}

enum Kind {
    Csv,
    Xlsx,
}

fn kind(p: &std::path::Path) -> Option<Kind> {
    match p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Some(Kind::Csv),
        Some("xlsx") => Some(Kind::Xlsx),
        _ => None,
    }
}

/// The name of findings about the summary as a whole.
const COMMAND: &str = "nianbao summary";

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    if args.output.is_none() {
        messages.data_on_stdout();
    }
    if args.agency.trim().is_empty() {
        return Err(Failure::args("--agency 不能为空", "--agency must not be empty"));
    }
    let mut breakdowns = Vec::new();
    for p in &args.breakdown {
        match kind(p) {
            Some(k) => breakdowns.push((p.clone(), k)),
            None => {
                return Err(Failure::args(
                    format!("--breakdown {} 的扩展名应为 .csv 或 .xlsx", p.display()),
                    format!("--breakdown {} must end in .csv or .xlsx", p.display()),
                ))
            }
        }
    }

    // The outputs are never read back as inputs (a second run into the input folder).
    let mut exclude: Vec<PathBuf> = args.breakdown.clone();
    exclude.extend(args.output.clone());
    let expansion = batch::expand(&args.inputs, &exclude);
    if !expansion.errors.is_empty() {
        return Err(Failure::new(EXIT_USAGE).with("", "", Diagnostics(expansion.errors)));
    }
    if expansion.items.is_empty() {
        return Err(Failure::args("没有找到任何报告", "no reports found in the inputs"));
    }
    let total_inputs = expansion.items.len();
    let gathered = summary::gather(&expansion.items, args.year, args.allow_inconsistent);

    for s in &gathered.skipped {
        let d = Diagnostic::warning(
            "summary-other-year",
            "",
            format!("{} 的报告为 {} 年度，不是 {} 年度的，未计入", s.agency, s.year, args.year),
            format!("the report of {} is for {}, not {}, and was left out", s.agency, s.year, args.year),
        );
        messages.one(&s.source, d);
    }
    if !gathered.refused.is_empty() {
        let mut failure = Failure::new(EXIT_ERRORS);
        let last = gathered.refused.len() - 1;
        for (i, r) in gathered.refused.iter().enumerate() {
            let agency = r.agency.as_deref().unwrap_or("（机关名称无法读取 / agency unreadable）");
            let errors = r.diagnostics.errors();
            let mut refused = Diagnostic::error(
                "summary-refused",
                "",
                format!("{agency} ← {}（{errors} 个错误）：有错误的报告不做汇总，未写入任何文件", r.source),
                format!(
                    "{agency} ← {} ({errors} errors): a report with errors is not summed; nothing was written",
                    r.source
                ),
            );
            if i == last && !args.allow_inconsistent {
                refused = refused.with_hint("先修正这些报告（nianbao check）；只有勾稽关系错误时可加 --allow-inconsistent 照常汇总 / fix them first (nianbao check); with consistency errors only, --allow-inconsistent sums them anyway");
            }
            let mut diagnostics = r.diagnostics.clone();
            diagnostics.push(refused);
            failure = failure.with(r.file.clone(), r.text.clone(), diagnostics);
        }
        return Err(failure);
    }

    let opts = SummaryOptions {
        agency: args.agency.trim().to_string(),
        year: args.year,
        id: args.id.clone(),
        date: args.date,
        office: args.office.clone(),
        phone: args.phone.clone(),
        email: args.email.clone(),
    };
    let summary = summary::summarize(&gathered.departments, &gathered.skipped, &opts).map_err(|errors| {
        Failure::new(EXIT_ERRORS)
            .with("", "", errors)
            .note("error: 未汇总，未写入任何文件 / nothing was summed or written")
    })?;
    if !summary.warnings.is_empty() {
        messages.file(COMMAND, "", &summary.warnings);
    }

    // The summary is checked like any report before it is written.
    let checked = check_bytes(summary.text.as_bytes(), None);
    let name = args.output.as_ref().map_or("<summary>".to_string(), |p| p.display().to_string());
    if checked.has_errors() && !args.allow_inconsistent {
        return Err(Failure::new(EXIT_ERRORS)
            .with(name, checked.text, checked.diagnostics)
            .note("error: 汇总结果未通过检查，未写入任何文件 / the summary fails its checks; nothing was written"));
    }
    messages.file(&name, &checked.text, &checked.diagnostics);
    if checked.has_errors() {
        eprintln!(
            "warning: 汇总结果带有部门报告的勾稽关系错误，按 --allow-inconsistent 照常写出；nianbao build 也需加 --allow-inconsistent / the summary carries the departments' consistency errors and is written anyway (--allow-inconsistent); `nianbao build` needs --allow-inconsistent too"
        );
    }

    let date = summary.report.signature.date.unwrap_or_default();
    let title = format!("{}{}汇总明细", opts.agency, nianbao::resolve::report_name(opts.year));
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (path, k) in breakdowns {
        let bytes = match k {
            Kind::Csv => summary.breakdown.to_csv().into_bytes(),
            Kind::Xlsx => summary
                .breakdown
                .to_xlsx(&title, date)
                .map_err(|d| Failure::new(EXIT_ERRORS).with(path.display().to_string(), "", Diagnostics(vec![d])))?,
        };
        files.push((path, bytes));
    }
    match &args.output {
        Some(p) => files.insert(0, (p.clone(), summary.text.clone().into_bytes())),
        None => print!("{}", summary.text),
    }
    for (path, bytes) in &files {
        super::write_output(path, bytes)?;
    }

    if args.date.is_none() {
        eprintln!(
            "note: 成文日期暂填 {}（占位），请用 --date 填写实际日期；本级政府年度报告应于3月31日前公布 / the signature date {} is a placeholder: set the real one with --date (a government's own report is due by 31 March)",
            date, date
        );
    }
    if !summary.placeholders.is_empty() {
        eprintln!(
            "note: 以下字段为占位内容，须由办公室填写 / placeholders for the office to write: {}",
            summary.placeholders.join(", ")
        );
    }
    let written: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    eprintln!(
        "已汇总 {} 个部门的 {} 年度报告（共 {total_inputs} 份输入，{} 份其他年度未计入）/ summed {} department reports for {} ({total_inputs} inputs, {} of other years left out){}",
        summary.breakdown.rows.len(),
        opts.year,
        gathered.skipped.len(),
        summary.breakdown.rows.len(),
        opts.year,
        gathered.skipped.len(),
        if written.is_empty() { String::new() } else { format!(" → {}", written.join(", ")) }
    );
    Ok(EXIT_OK)
}
