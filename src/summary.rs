//! Region summaries (汇总): one government's tables 二, 三 and 四 as the cell-by-cell sums of its
//! departments' reports, and where every number came from (`nianbao summary`).
//!
//! This module owns:
//! - the **cell list** ([`cells`]): every printed cell of tables 二, 三 and 四, in print order,
//!   named and keyed from the definitions in [`crate::model::tables`] (official-format §2.3–2.5)
//!   so that no label is written twice;
//! - **gathering** ([`gather`]): which reports of a batch expansion ([`crate::batch::expand`])
//!   are summed, which are left out (another report year) and which are refused (errors of their
//!   own, another format version);
//! - **summing** ([`summarize`]): duplicates refused, counts added in 128 bits, fees in exact
//!   decimal arithmetic (never floating point), the result an input-format [`Report`] whose
//!   narrative is marked placeholder text and whose `x-summary` note records what was summed;
//! - the **breakdown** ([`Breakdown`]): one row per department, one column per cell and a total
//!   row, written as CSV ([`Breakdown::to_csv`]) or XLSX ([`Breakdown::to_xlsx`]).
//!
//! Every number of a department is taken as its document prints it (a total the input leaves
//! out is the sum the resolver prints), so the breakdown explains the printed tables and the sum
//! of consistent reports is consistent: the 勾稽 rules are linear.

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics};
use crate::inputs::Item;
use crate::inspect::check_bytes;
use crate::model::encode::{to_json, Json};
use crate::model::printed;
use crate::model::tables::{
    DocColumn, DocRow, Heading, RowPlace, Table3Column, Table4Column, Table4Group, ValueRow, TABLE3_ROWS,
    TABLE4_LITIGATION_HEAD,
};
use crate::model::{
    ActiveDisclosure, Amount, Applications, Contact, Headings, Report, ReviewLitigation, Section, Signature,
    FORMAT_2021,
};

/// Separator between the parts of a column name: table · row · column.
pub const NAME_SEPARATOR: &str = "·";

/// Where a cell's value lives in a [`Report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Table 二, 第（一）项.
    Doc(DocRow, DocColumn),
    /// Table 二, a one-number row counted in items (one of [`ValueRow::COUNTS`]).
    Item(ValueRow),
    /// Table 二, 行政事业性收费 (万元, decimal).
    Fees,
    /// Table 三: row index in `TABLE3_ROWS`, column.
    Table3(usize, Table3Column),
    /// Table 四: group, column (`total` included).
    Table4(Table4Group, Table4Column),
}

/// One printed cell of tables 二, 三 or 四.
#[derive(Debug, Clone)]
pub struct CellDef {
    /// JSON path in the input format: `active_disclosure.fees`, `applications.new[0]` (index 6 is
    /// the row's 总计), `review_litigation.review.total`.
    pub path: String,
    /// Column name in the breakdown: table · row (with its group) · column, e.g.
    /// `表三·一、本年新收政府信息公开申请数量·自然人`, `表三·（三）不予公开·1.属于国家秘密·总计`,
    /// `表四·行政诉讼·复议后起诉·结果维持`.
    pub name: String,
    slot: Slot,
}

impl CellDef {
    /// Whether the cell is a money amount (the fees), summed in decimal.
    pub fn is_amount(&self) -> bool {
        self.slot == Slot::Fees
    }
}

/// The value of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A count; 128 bits so that a sum is never wrapped (it is refused beyond `u64`).
    Count(u128),
    /// A money amount, exact.
    Amount(Decimal),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Amount(d) => write!(f, "{d}"),
        }
    }
}

/// `表二` for the table of [`Heading::ActiveDisclosure`]: tables are named by their section's
/// number.
fn table_name(section: Heading) -> String {
    format!("表{}", section.number())
}

fn name(parts: &[&str]) -> String {
    parts.join(NAME_SEPARATOR)
}

/// Every printed cell of tables 二, 三 and 四, in print order: table 二 row by row, table 三 row
/// by row with its seven columns, table 四 group by group.
pub fn cells() -> Vec<CellDef> {
    let mut out = Vec::new();
    let t2 = table_name(Heading::ActiveDisclosure);
    for r in DocRow::ALL {
        for c in DocColumn::ALL {
            out.push(CellDef {
                path: format!("active_disclosure.{}.{}", r.key(), c.key()),
                name: name(&[&t2, r.label(), c.label()]),
                slot: Slot::Doc(r, c),
            });
        }
    }
    for v in ValueRow::ALL {
        out.push(CellDef {
            path: format!("active_disclosure.{}", v.key()),
            name: name(&[&t2, v.label(), v.value_head()]),
            slot: if v == ValueRow::Fees { Slot::Fees } else { Slot::Item(v) },
        });
    }
    let t3 = table_name(Heading::Applications);
    for (r, def) in TABLE3_ROWS.iter().enumerate() {
        let row_name = match def.place {
            RowPlace::Member(g) => name(&[g.label(), def.label]),
            RowPlace::Top | RowPlace::Result => def.label.to_string(),
        };
        for c in Table3Column::ALL {
            out.push(CellDef {
                path: format!("applications.{}[{}]", def.key, c.index()),
                name: name(&[&t3, &row_name, c.label()]),
                slot: Slot::Table3(r, c),
            });
        }
    }
    let t4 = table_name(Heading::ReviewLitigation);
    for g in Table4Group::ALL {
        // The two litigation groups sit under one 行政诉讼 header (official-format §2.5).
        let group = match g {
            Table4Group::Review => g.label().to_string(),
            Table4Group::LitigationDirect | Table4Group::LitigationAfterReview => {
                name(&[TABLE4_LITIGATION_HEAD, g.label()])
            }
        };
        for c in Table4Column::ALL {
            out.push(CellDef {
                path: format!("review_litigation.{}.{}", g.key(), c.key()),
                name: name(&[&t4, &group, c.label()]),
                slot: Slot::Table4(g, c),
            });
        }
    }
    out
}

/// An amount as an exact decimal; `None` when it has more digits than 96-bit decimal
/// arithmetic holds (it would be rounded, and a sum must never be).
fn exact_decimal(a: &Amount) -> Option<Decimal> {
    let d = a.to_decimal()?;
    let frac_digits = a.as_str().split_once('.').map_or(0, |(_, f)| f.len());
    (d.scale() as usize == frac_digits).then_some(d)
}

/// The value of every cell of `report` as its document prints it, in the order of `cells`.
pub fn printed_values(report: &Report, cells: &[CellDef]) -> Result<Vec<Value>, Diagnostic> {
    let a = &report.active_disclosure;
    cells
        .iter()
        .map(|cell| {
            Ok(match cell.slot {
                Slot::Doc(r, c) => Value::Count(a.doc_row(r).get(c).into()),
                Slot::Item(key) => Value::Count(a.count(key).unwrap_or(0).into()),
                Slot::Fees => Value::Amount(exact_decimal(&a.fees).ok_or_else(|| {
                    Diagnostic::error(
                        "summary-fees",
                        "active_disclosure.fees",
                        format!("{}：收费金额 {} 位数过多，无法精确相加", report.agency, a.fees),
                        format!(
                            "{}: the fee amount {} has too many digits to be summed exactly",
                            report.agency, a.fees
                        ),
                    )
                    .with_involved("active_disclosure.fees", a.fees.as_str())
                })?),
                Slot::Table3(r, c) => Value::Count(printed::table3(report, r, c)),
                Slot::Table4(g, col) => Value::Count(printed::table4(report, g, col)),
            })
        })
        .collect()
}

/// One department's report, to be summed.
#[derive(Debug, Clone)]
pub struct Department {
    /// Where the report came from: `file`, `file:line` (NDJSON) or `file[index]` (array).
    pub source: String,
    pub report: Report,
    /// Its own consistency errors, when it is summed anyway (`--allow-inconsistent`).
    pub inconsistencies: Vec<Diagnostic>,
}

impl Department {
    pub fn new(source: impl Into<String>, report: Report) -> Department {
        Department { source: source.into(), report, inconsistencies: Vec::new() }
    }
}

/// A report left out because it is of another report year.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub source: String,
    pub agency: String,
    pub year: i64,
}

/// A report that cannot be summed: it does not decode, is of another format version, or fails
/// its own checks.
#[derive(Debug, Clone)]
pub struct Refused {
    pub source: String,
    /// The file, for `file:line:column` locations.
    pub file: String,
    pub agency: Option<String>,
    /// The text its diagnostics point into.
    pub text: String,
    /// Its errors.
    pub diagnostics: Diagnostics,
}

/// What [`gather`] made of the inputs.
#[derive(Debug, Default)]
pub struct Gathered {
    pub departments: Vec<Department>,
    pub skipped: Vec<Skipped>,
    pub refused: Vec<Refused>,
}

enum Sorted {
    Take(Box<Department>),
    Skip(Skipped),
    Refuse(Refused),
}

/// Whether an error is one of the 勾稽 rules (input-format rules 1–4), which
/// `--allow-inconsistent` lets through as `build` does; any other error (types, format version,
/// missing fields) leaves numbers that are not known and is never summed.
fn is_consistency_rule(d: &Diagnostic) -> bool {
    crate::rules::is_check(d.rule) && d.rule != "count-overflow"
}

/// Check every report of a batch expansion and sort it: summed (report year `year`, no errors;
/// with `allow_inconsistent`, consistency errors allowed), skipped (another year) or refused.
/// A report whose year cannot be read is refused: it cannot be told apart from one that
/// belongs in the sum.
pub fn gather(items: &[Item], year: i64, allow_inconsistent: bool) -> Gathered {
    let sorted: Vec<Sorted> = items
        .par_iter()
        .map(|item| {
            let checked = check_bytes(&item.bytes(), None);
            let errors: Vec<Diagnostic> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let refuse = |agency: Option<String>, errors: Vec<Diagnostic>| {
                Sorted::Refuse(Refused {
                    source: item.name(),
                    file: item.file(),
                    agency,
                    text: checked.text.clone(),
                    diagnostics: Diagnostics(errors),
                })
            };
            let Some(report) = checked.report.clone() else { return refuse(None, errors) };
            if report.year != year {
                return Sorted::Skip(Skipped { source: item.name(), agency: report.agency, year: report.year });
            }
            if errors.is_empty() {
                return Sorted::Take(Box::new(Department::new(item.name(), report)));
            }
            if allow_inconsistent && errors.iter().all(is_consistency_rule) {
                return Sorted::Take(Box::new(Department { source: item.name(), report, inconsistencies: errors }));
            }
            refuse(Some(report.agency), errors)
        })
        .collect();
    let mut g = Gathered::default();
    for s in sorted {
        match s {
            Sorted::Take(d) => g.departments.push(*d),
            Sorted::Skip(s) => g.skipped.push(s),
            Sorted::Refuse(r) => g.refused.push(r),
        }
    }
    g
}

/// Placeholder text of the fields the office must write (marked （请填写…） like `nianbao init`).
pub const PLACEHOLDER_OFFICE: &str = "（请填写联系机构）";
pub const PLACEHOLDER_PHONE: &str = "（请填写联系电话）";

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

/// Two reports of one department: the same `id`, or the same agency when either has no id.
/// The same agency under two different ids is two bodies (as `batch --previous-dir` matches
/// them) and is only a warning.
fn duplicates(departments: &[Department], errors: &mut Diagnostics, warnings: &mut Diagnostics) {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_agency: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, b) in departments.iter().enumerate() {
        let agency = b.report.agency.trim();
        let id = b.report.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let mut duplicate = false;
        if let Some(&i) = id.and_then(|id| by_id.get(id)) {
            let a = &departments[i];
            let zh = format!(
                "重复的报告：{}（{}）与 {}（{}）的 id 相同（{}），同一部门只能汇总一次",
                b.source,
                b.report.agency,
                a.source,
                a.report.agency,
                id.unwrap_or_default()
            );
            let en = format!(
                "duplicate reports: {} and {} have the same id {}; a department is summed once",
                b.source,
                a.source,
                id.unwrap_or_default()
            );
            errors.push(duplicate_pair(Diagnostic::error("summary-duplicate", "id", zh, en), a, b));
            duplicate = true;
        }
        if !duplicate {
            for &i in by_agency.get(agency).map(Vec::as_slice).unwrap_or_default() {
                let a = &departments[i];
                let a_id = a.report.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
                let (first, second) = (&a.source, &b.source);
                if a_id.is_none() || id.is_none() {
                    let zh = format!("重复的报告：{second} 与 {first} 都是“{agency}”的报告，同一部门只能汇总一次");
                    let en = format!(
                        "duplicate reports: {second} and {first} are both reports of {agency}; a department is summed once"
                    );
                    errors.push(duplicate_pair(Diagnostic::error("summary-duplicate", "agency", zh, en), a, b));
                    duplicate = true;
                    break;
                }
                let zh =
                    format!("{second} 与 {first} 机关名称相同（“{agency}”）但 id 不同，按两个机关分别汇总，请核实");
                let en = format!(
                    "{second} and {first} name the same agency ({agency}) under different ids; both are summed, please verify"
                );
                warnings.push(pair(Diagnostic::warning("summary-same-name", "agency", zh, en), a, b));
            }
        }
        if duplicate {
            continue;
        }
        if let Some(id) = id {
            by_id.insert(id, j);
        }
        by_agency.entry(agency).or_default().push(j);
    }
}

/// A finding about two department reports, `a` read before `b`.
fn pair(d: Diagnostic, a: &Department, b: &Department) -> Diagnostic {
    d.with_involved("first", &a.source).with_involved("second", &b.source)
}

/// Two reports of one department: the hint says what to do.
fn duplicate_pair(d: Diagnostic, a: &Department, b: &Department) -> Diagnostic {
    pair(d, a, b).with_hint(
        "删除其中一份（通常是旧版本）后重新汇总 / remove one of them (usually an older version) and run again",
    )
}

/// Column sums. Counts saturate (a sum beyond `u64` is refused when the report is built, and no
/// real set of reports comes near 2^128); a fee sum beyond the decimal range is reported.
fn sum_columns(cells: &[CellDef], rows: &[BreakdownRow], errors: &mut Diagnostics) -> Vec<Value> {
    cells
        .iter()
        .enumerate()
        .map(|(k, cell)| {
            if cell.is_amount() {
                let mut sum = Decimal::ZERO;
                for r in rows {
                    let Value::Amount(v) = r.values[k] else { continue };
                    match sum.checked_add(v) {
                        Some(s) => sum = s,
                        None => {
                            errors.push(overflow(cell, "decimal"));
                            break;
                        }
                    }
                }
                Value::Amount(sum)
            } else {
                let sum = rows
                    .iter()
                    .map(|r| match r.values[k] {
                        Value::Count(n) => n,
                        Value::Amount(_) => 0,
                    })
                    .fold(0u128, u128::saturating_add);
                Value::Count(sum)
            }
        })
        .collect()
}

fn overflow(cell: &CellDef, value: impl fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "count-overflow",
        cell.path.clone(),
        format!("“{}”的合计 {value} 超出可处理的范围", cell.name),
        format!("the sum for {} ({value}) is beyond the largest value that can be written", cell.path),
    )
}

fn placeholder_section(text: String) -> Section {
    Section { paragraphs: vec![text], subsections: Vec::new() }
}

/// The summary as a report: the sums in tables 二, 三, 四 (every total written out, so `check`
/// verifies the additions), marked placeholders everywhere the office must write.
fn build_report(
    opts: &SummaryOptions,
    date: NaiveDate,
    cells: &[CellDef],
    total: &[Value],
    errors: &mut Diagnostics,
) -> (Report, Vec<&'static str>) {
    let mut placeholders = Vec::new();
    let office = opts.office.clone().unwrap_or_else(|| {
        placeholders.push("contact.office");
        PLACEHOLDER_OFFICE.to_string()
    });
    let phone = match (&opts.phone, &opts.email) {
        (None, None) => {
            placeholders.push("contact.phone");
            Some(PLACEHOLDER_PHONE.to_string())
        }
        (p, _) => p.clone(),
    };
    if opts.date.is_none() {
        placeholders.push("signature.date");
    }
    placeholders.extend(["overview", "problems", "other_matters"]);
    let year = opts.year;
    let mut report = Report {
        format: FORMAT_2021.to_string(),
        agency: opts.agency.clone(),
        year,
        title: None,
        preamble: None,
        contact: Contact { office, phone, email: opts.email.clone(), ..Contact::default() },
        overview: placeholder_section(format!(
            "（请填写：{year}年本地区政府信息公开工作的总体情况，一般分主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面撰写。表二、表三、表四已由各部门年度报告汇总生成，正文所述数字应与表中一致。）"
        )),
        active_disclosure: ActiveDisclosure::default(),
        applications: Applications::default(),
        review_litigation: ReviewLitigation::default(),
        problems: placeholder_section(
            "（请填写：本年度政府信息公开工作存在的主要问题、上一年度问题的改进情况和下一步工作措施。）".to_string(),
        ),
        other_matters: placeholder_section(
            "（请填写：信息处理费收取情况、人大代表建议和政协委员提案办理结果公开情况、落实上级年度政务公开工作要点情况等。）"
                .to_string(),
        ),
        signature: Signature { agency: None, date: Some(date), seal: None },
        headings: Headings::default(),
        id: opts.id.clone(),
    };
    for row in report.applications.rows.iter_mut() {
        row.given = true;
    }
    for (cell, value) in cells.iter().zip(total) {
        match (cell.slot, value) {
            (Slot::Fees, Value::Amount(d)) => match Amount::parse(&d.to_string()) {
                Some(a) => report.active_disclosure.fees = a,
                None => errors.push(overflow(cell, d)),
            },
            (slot, Value::Count(n)) => {
                let Ok(v) = u64::try_from(*n) else {
                    errors.push(overflow(cell, n));
                    continue;
                };
                let a = &mut report.active_disclosure;
                match slot {
                    Slot::Doc(r, c) => *a.doc_row_mut(r).get_mut(c) = v,
                    Slot::Item(key) => {
                        if let Some(slot) = a.count_mut(key) {
                            *slot = v;
                        }
                    }
                    Slot::Table3(r, Table3Column::Total) => report.applications.rows[r].total = Some(v),
                    Slot::Table3(r, c) => report.applications.rows[r].cells[c.index()] = v,
                    Slot::Table4(g, col) => report.review_litigation.group_mut(g).set(col, v),
                    Slot::Fees => {}
                }
            }
            _ => {}
        }
    }
    (report, placeholders)
}

fn jstr(s: impl Into<String>) -> Json {
    Json::String(s.into())
}

/// Input-format text of the summary, with `x-summary` (what was summed, what was left out, which
/// fields are placeholders) after the identifying fields and an `x-note` in each table.
fn summary_text(report: &Report, b: &Breakdown, skipped: &[Skipped], placeholders: &[&str]) -> String {
    let n = b.rows.len();
    let year = report.year;
    let sources = b
        .rows
        .iter()
        .map(|r| {
            let mut o = Json::Object(Vec::new()).with("agency", jstr(&r.agency));
            if let Some(id) = &r.id {
                o = o.with("id", jstr(id));
            }
            o.with("source", jstr(&r.source))
        })
        .collect();
    let left_out = skipped
        .iter()
        .map(|s| {
            Json::Object(Vec::new())
                .with("agency", jstr(&s.agency))
                .with("year", Json::Raw(s.year.to_string()))
                .with("source", jstr(&s.source))
        })
        .collect();
    let note = Json::Object(Vec::new())
        .with(
            "说明",
            jstr(format!(
                "本报告表二、表三、表四由 {n} 个部门的 {year} 年度政府信息公开工作年度报告逐格相加生成（nianbao summary），各数字的来源见汇总明细表。placeholders 所列字段和标有“（请填写……）”的文字是占位内容，须由本级政府办公室撰写、核实后再发布。"
            )),
        )
        .with(
            "note",
            jstr(format!(
                "Tables 二, 三 and 四 are the cell-by-cell sums of {n} department reports for {year} (nianbao summary); the breakdown file shows each department's share. The fields under placeholders and every text marked （请填写……） are placeholders for the office to write before publication."
            )),
        )
        .with("departments", Json::Raw(n.to_string()))
        .with("placeholders", Json::Array(placeholders.iter().map(|p| jstr(*p)).collect()))
        .with("sources", Json::Array(sources))
        .with("skipped", Json::Array(left_out));
    let mut root = to_json(report);
    if let Json::Object(members) = &mut root {
        let after =
            members.iter().position(|(k, _)| k == "id").or_else(|| members.iter().position(|(k, _)| k == "year"));
        members.insert(after.map_or(0, |i| i + 1), ("x-summary".to_string(), note));
        for heading in Heading::ALL {
            if let Some((_, Json::Object(table))) = members.iter_mut().find(|(k, _)| k == heading.key()) {
                if matches!(heading, Heading::ActiveDisclosure | Heading::Applications | Heading::ReviewLitigation) {
                    table.insert(
                        0,
                        ("x-note".to_string(), jstr(format!("{n} 个部门报告逐格相加 / sum of {n} department reports"))),
                    );
                }
            }
        }
    }
    root.to_pretty()
}

/// One department's row of the breakdown.
#[derive(Debug, Clone)]
pub struct BreakdownRow {
    pub agency: String,
    pub id: Option<String>,
    pub source: String,
    /// In the order of [`Breakdown::cells`].
    pub values: Vec<Value>,
}

/// Where every number of the summary came from: one row per department, one column per cell of
/// tables 二, 三 and 四, and the total row (which is the summary).
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub cells: Vec<CellDef>,
    pub rows: Vec<BreakdownRow>,
    pub total: Vec<Value>,
}

/// The columns before the cells.
pub const LEAD_COLUMNS: [&str; 4] = ["序号", "机关名称", "标识（id）", "来源文件"];
/// The first column of the total row.
pub const TOTAL_LABEL: &str = "合计";

/// RFC 4180 quoting; a text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
/// gets a leading `'` so that opening the file never executes report text.
fn csv_field(out: &mut String, text: &str, is_text: bool) {
    let guarded;
    let text = if is_text && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

impl Breakdown {
    /// Header row: [`LEAD_COLUMNS`], then every cell name.
    pub fn header(&self) -> Vec<String> {
        LEAD_COLUMNS.iter().map(|s| s.to_string()).chain(self.cells.iter().map(|c| c.name.clone())).collect()
    }

    fn total_lead(&self) -> [String; 4] {
        [TOTAL_LABEL.to_string(), format!("共{}个部门", self.rows.len()), String::new(), String::new()]
    }

    /// CSV: UTF-8 with a byte-order mark (so that spreadsheet programs on Chinese Windows read it
    /// as UTF-8), CRLF line ends (RFC 4180), header, one row per department, the total row.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let mut line = |fields: &mut dyn Iterator<Item = (String, bool)>| {
            for (i, (f, is_text)) in fields.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                csv_field(&mut out, &f, is_text);
            }
            out.push_str("\r\n");
        };
        line(&mut self.header().into_iter().map(|h| (h, true)));
        for (i, r) in self.rows.iter().enumerate() {
            let lead = [(i + 1).to_string(), r.agency.clone(), r.id.clone().unwrap_or_default(), r.source.clone()];
            line(&mut lead.into_iter().map(|s| (s, true)).chain(r.values.iter().map(|v| (v.to_string(), false))));
        }
        line(
            &mut self
                .total_lead()
                .into_iter()
                .map(|s| (s, true))
                .chain(self.total.iter().map(|v| (v.to_string(), false))),
        );
        out
    }

    /// XLSX: sheet 汇总明细 (frozen header row and name columns, numbers as numbers, the fee
    /// column with as many decimals as the sum), sheet 字段说明 (each column's JSON path and
    /// total). `date` becomes the document's creation date, so the same input gives the same
    /// bytes.
    pub fn to_xlsx(&self, title: &str, date: NaiveDate) -> Result<Vec<u8>, Diagnostic> {
        self.xlsx(title, date).map_err(|e| {
            Diagnostic::error(
                "xlsx",
                "",
                format!("无法生成 XLSX 汇总明细：{e}"),
                format!("cannot write the XLSX breakdown: {e}"),
            )
        })
    }

    fn xlsx(&self, title: &str, date: NaiveDate) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

        let created = ExcelDateTime::from_ymd(
            u16::try_from(date.year()).unwrap_or(2000),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )?;
        let mut wb = Workbook::new();
        wb.set_properties(
            &DocProperties::new().set_title(title).set_author("nianbao summary").set_creation_datetime(&created),
        );
        let head = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color(0xDDEBF7);
        let text = Format::new().set_border(FormatBorder::Thin);
        let bold = text.clone().set_bold();
        let scale =
            self.total.iter().find_map(|v| if let Value::Amount(d) = v { Some(d.scale()) } else { None }).unwrap_or(0);
        let money = if scale == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(scale as usize)) };
        let money_fmt = text.clone().set_num_format(&money);
        let money_bold = bold.clone().set_num_format(&money);

        let ws = wb.add_worksheet();
        ws.set_name("汇总明细")?;
        for (c, h) in self.header().iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, h, &head)?;
        }
        ws.set_row_height(0, 110)?;
        for (c, w) in [6.0, 32.0, 22.0, 30.0].iter().enumerate() {
            ws.set_column_width(col(c)?, *w)?;
        }
        for c in 0..self.cells.len() {
            ws.set_column_width(col(LEAD_COLUMNS.len() + c)?, 13)?;
        }
        ws.set_freeze_panes(1, 2)?;
        let put = |ws: &mut rust_xlsxwriter::Worksheet,
                   r: u32,
                   lead: &[String],
                   values: &[Value],
                   is_total: bool|
         -> Result<(), rust_xlsxwriter::XlsxError> {
            let (t, m) = if is_total { (&bold, &money_bold) } else { (&text, &money_fmt) };
            for (c, s) in lead.iter().enumerate() {
                ws.write_string_with_format(r, col(c)?, s, t)?;
            }
            for (k, v) in values.iter().enumerate() {
                let c = col(LEAD_COLUMNS.len() + k)?;
                match exact_f64(v) {
                    Some(f) if matches!(v, Value::Amount(_)) => ws.write_number_with_format(r, c, f, m)?,
                    Some(f) => ws.write_number_with_format(r, c, f, t)?,
                    // Beyond what a spreadsheet number holds exactly: the exact digits as text.
                    None => ws.write_string_with_format(r, c, v.to_string(), t)?,
                };
            }
            Ok(())
        };
        for (i, d) in self.rows.iter().enumerate() {
            let lead = [(i + 1).to_string(), d.agency.clone(), d.id.clone().unwrap_or_default(), d.source.clone()];
            put(ws, row_num(i + 1)?, &lead, &d.values, false)?;
        }
        put(ws, row_num(self.rows.len() + 1)?, &self.total_lead(), &self.total, true)?;

        let fields = wb.add_worksheet();
        fields.set_name("字段说明")?;
        for (c, h) in ["列名", "JSON 路径", "合计"].iter().enumerate() {
            fields.write_string_with_format(0, col(c)?, *h, &head)?;
        }
        fields.set_column_width(0, 70)?;
        fields.set_column_width(1, 48)?;
        fields.set_column_width(2, 14)?;
        fields.set_freeze_panes(1, 0)?;
        for (k, (cell, v)) in self.cells.iter().zip(&self.total).enumerate() {
            let r = row_num(k + 1)?;
            fields.write_string_with_format(r, 0, &cell.name, &text)?;
            fields.write_string_with_format(r, 1, &cell.path, &text)?;
            fields.write_string_with_format(r, 2, v.to_string(), &text)?;
        }
        wb.save_to_buffer()
    }
}

fn col(c: usize) -> Result<u16, rust_xlsxwriter::XlsxError> {
    u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)
}

fn row_num(r: usize) -> Result<u32, rust_xlsxwriter::XlsxError> {
    u32::try_from(r).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)
}

/// The value as a spreadsheet number, when the number stores it exactly (its shortest decimal
/// form reads back as the same value): a spreadsheet shows 0.3 for the sum 0.3, never
/// 0.30000000000000004, because that sum was made in decimal and only then converted.
fn exact_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Count(n) => (*n <= 1u128 << 53).then_some(*n as f64),
        Value::Amount(d) => {
            let f: f64 = d.to_string().parse().ok()?;
            let back: Decimal = f.to_string().parse().ok()?;
            (back == *d).then_some(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_has_a_distinct_name_and_path() {
        let cells = cells();
        assert_eq!(cells.len(), 2 * 3 + 4 + 25 * 7 + 3 * 5);
        let names: std::collections::HashSet<_> = cells.iter().map(|c| &c.name).collect();
        let paths: std::collections::HashSet<_> = cells.iter().map(|c| &c.path).collect();
        assert_eq!(names.len(), cells.len());
        assert_eq!(paths.len(), cells.len());
        assert_eq!(cells.iter().filter(|c| c.is_amount()).count(), 1);
    }

    #[test]
    fn amounts_that_decimal_cannot_hold_exactly_are_refused() {
        let a = Amount::parse("0.12345678901234567890123456789012").unwrap();
        assert_eq!(exact_decimal(&a), None);
        assert_eq!(exact_decimal(&Amount::parse("12.50").unwrap()).map(|d| d.to_string()), Some("12.50".into()));
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let mut s = String::new();
        csv_field(&mut s, "a,\"b\"", true);
        s.push('|');
        csv_field(&mut s, "=1+1", true);
        s.push('|');
        csv_field(&mut s, "-3", false);
        assert_eq!(s, "\"a,\"\"b\"\"\"|'=1+1|-3");
    }
}
