//! Region summaries (汇总): one government's tables 二, 三 and 四 as the cell-by-cell sums of its
//! departments' reports, and where every number came from (`nianbao summary`).
//!
//! This module owns the entry points ([`gather`], [`summarize`]) and what the summary report
//! says about the government itself ([`SummaryOptions`]); its parts are:
//! - `cells.rs`, the **cell list** ([`cells`]): every printed cell of tables 二, 三 and 四, in
//!   print order, named and keyed from the definitions in [`crate::model::tables`]
//!   (official-format §2.3–2.5) so that no label is written twice, and its value in one report;
//! - `gather.rs`, **gathering** ([`gather`]): which reports of a batch expansion
//!   ([`crate::batch::expand`]) are summed, which are left out (another report year) and which are
//!   refused (errors of their own, another format version);
//! - **summing** ([`summarize`]): duplicates refused (`duplicates.rs`), counts added in 128 bits
//!   and fees in exact decimal arithmetic, never floating point (`sum.rs`), the result an
//!   input-format [`Report`] whose narrative is marked placeholder text and whose `x-summary` note
//!   records what was summed (`report.rs`);
//! - `breakdown.rs`, the **breakdown** ([`Breakdown`]): one row per department, one column per
//!   cell and a total row, written as CSV ([`Breakdown::to_csv`]) or XLSX
//!   ([`Breakdown::to_xlsx`]).
//!
//! Every number of a department is taken as its document prints it (a total the input leaves
//! out is the sum the resolver prints), so the breakdown explains the printed tables and the sum
//! of consistent reports is consistent: the 勾稽 rules are linear.

mod breakdown;
mod cells;
mod duplicates;
mod gather;
mod report;
mod sum;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Report, FORMAT_2021};

use duplicates::duplicates;
use report::{build_report, summary_text};
use sum::sum_columns;

pub use breakdown::{Breakdown, BreakdownRow, LEAD_COLUMNS, TOTAL_LABEL};
pub use cells::{cells, printed_values, CellDef, Value, NAME_SEPARATOR};
pub use gather::{gather, Department, Gathered, Refused, Skipped};
pub use report::{PLACEHOLDER_OFFICE, PLACEHOLDER_PHONE};

/// What the summary report says about the government itself.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// The government: `某某县人民政府`.
    pub agency: String,
    pub year: i64,
    pub id: Option<String>,
    /// 成文日期; `None` puts [`default_date`] as a marked placeholder.
    pub date: Option<NaiveDate>,
    pub office: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The placeholder signature date: 31 January of the next year. A local government's own report
/// is due by 31 March (条例第四十九条), but the date must be chosen by the office; 31 January lies
/// inside both deadlines, so the draft passes rule 6 without a warning until the real date is
/// set (a date in February or March draws the rule-6 warning, whose hint names the 31 March
/// deadline).
pub fn default_date(year: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year + 1).ok()?, 1, 31)
}

/// A finished summary: the report, its input-format text and the breakdown.
#[derive(Debug, Clone)]
pub struct Summary {
    pub report: Report,
    /// The report as input-format JSON, with the `x-summary` and `x-note` fields.
    pub text: String,
    pub breakdown: Breakdown,
    /// JSON paths of the fields that hold placeholders.
    pub placeholders: Vec<&'static str>,
    /// Findings that do not stop the summary (same agency name under two ids, reports summed
    /// despite their own consistency errors).
    pub warnings: Diagnostics,
}

/// Sum `departments` into the report of the government `opts.agency`. Errors: no department,
/// a report of another year, the government's own report among them, duplicates, a sum beyond
/// the largest count.
pub fn summarize(
    departments: &[Department],
    skipped: &[Skipped],
    opts: &SummaryOptions,
) -> Result<Summary, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut warnings = Diagnostics::default();
    if departments.is_empty() {
        errors.push(Diagnostic::error(
            "summary-empty",
            "",
            format!("没有 {} 年度的部门报告可供汇总", opts.year),
            format!("no department report for {} to sum", opts.year),
        ));
        return Err(errors);
    }
    for d in departments {
        let r = &d.report;
        if r.year != opts.year {
            errors.push(Diagnostic::error(
                "summary-year",
                "year",
                format!("{}（{}）是 {} 年度的报告，不能计入 {} 年度汇总", r.agency, d.source, r.year, opts.year),
                format!("{} ({}) reports on {}, not {}", r.agency, d.source, r.year, opts.year),
            ));
        }
        if r.format != FORMAT_2021 {
            errors.push(Diagnostic::error(
                "format-version",
                "format",
                format!("{}（{}）的格式版本为 \"{}\"，只能汇总 \"2021\" 格式的报告", r.agency, d.source, r.format),
                format!(
                    "{} ({}) is in format `{}`; only format \"2021\" reports are summed",
                    r.agency, d.source, r.format
                ),
            ));
        }
        if r.agency.trim() == opts.agency.trim() {
            errors.push(
                Diagnostic::error(
                    "summary-self",
                    "agency",
                    format!("{} 是本级政府自己的报告（可能是上次汇总的结果），不能再计入汇总", d.source),
                    format!("{} is the report of {} itself (an earlier summary?) and cannot be summed into it", d.source, opts.agency),
                )
                .with_hint("从输入中去掉该文件，或把汇总结果写到输入目录之外 / remove it from the inputs, or write the summary outside the input folder"),
            );
        }
        for inc in &d.inconsistencies {
            warnings.push(Diagnostic::warning(
                "summary-inconsistent-input",
                inc.path.clone(),
                format!(
                    "{}（{}）：{}（已按 --allow-inconsistent 照常汇总）",
                    d.report.agency, d.source, inc.message_zh
                ),
                format!("{} ({}): {} (summed anyway: --allow-inconsistent)", d.report.agency, d.source, inc.message_en),
            ));
        }
    }
    duplicates(departments, &mut errors, &mut warnings);

    let cells = cells();
    let mut rows = Vec::with_capacity(departments.len());
    for d in departments {
        match printed_values(&d.report, &cells) {
            Ok(values) => rows.push(BreakdownRow {
                agency: d.report.agency.clone(),
                id: d.report.id.clone(),
                source: d.source.clone(),
                values,
            }),
            Err(e) => errors.push(e.with_hint(format!("来源 / source: {}", d.source))),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let total = sum_columns(&cells, &rows, &mut errors);
    let date = opts.date.or_else(|| default_date(opts.year));
    let (report, placeholders) = match date {
        Some(date) => build_report(opts, date, &cells, &total, &mut errors),
        None => {
            errors.push(Diagnostic::error(
                "summary-date",
                "signature.date",
                "无法确定成文日期，请用 --date 指定",
                "no signature date could be derived; give --date",
            ));
            return Err(errors);
        }
    };
    if errors.has_errors() {
        return Err(errors);
    }
    let breakdown = Breakdown { cells, rows, total };
    let text = summary_text(&report, &breakdown, skipped, &placeholders);
    Ok(Summary { report, text, breakdown, placeholders, warnings })
}
