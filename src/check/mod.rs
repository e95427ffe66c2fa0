//! Consistency rules (勾稽关系): input-format.md rules 1–4 (errors), 6 and 7 (warnings).
//!
//! Rule 5 (types and ranges) is enforced while decoding ([`crate::model::decode`]). Each rule
//! here works on the decoded [`Report`] and returns diagnostics that name a JSON path and the
//! numbers involved; positions are attached later from the decoder's span map. Sums are taken in
//! 128 bits so that counts near `u64::MAX` are reported, never overflowed.

use chrono::{Datelike, NaiveDate};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::printed::{self, Count};
use crate::model::tables::{row, DocRow, Table3Column, Table4Group, APPLICANTS, TABLE3_ROWS};
use crate::model::Report;

/// Run every consistency rule. `previous` is last year's report, for rule 7.
pub fn check(report: &Report, previous: Option<&Report>) -> Diagnostics {
    let mut d = Diagnostics::default();
    row_totals(report, &mut d);
    results_total(report, &mut d);
    balance(report, &mut d);
    table4(report, &mut d);
    signature_date(report, &mut d);
    if let Some(prev) = previous {
        cross_year(report, prev, &mut d);
    }
    d
}

fn wide_sum(cells: &[u64]) -> Count {
    cells.iter().map(|&c| Count::from(c)).sum()
}

fn col_name(i: usize) -> &'static str {
    Table3Column::ALL[i].label()
}

fn row_path(key: &str) -> String {
    format!("applications.{key}")
}

fn overflow(d: &mut Diagnostics, path: String, what_zh: &str, value: Count) {
    d.push(
        Diagnostic::error(
            "count-overflow",
            path.clone(),
            format!("{what_zh}合计为 {value}，超出可处理范围（最大 {}）", u64::MAX),
            format!("the sum for {path} is {value}, beyond the largest count ({})", u64::MAX),
        )
        .with_involved("sum", value),
    );
}

/// Rule 3: a row's 7th element equals the sum of its six cells.
fn row_totals(r: &Report, d: &mut Diagnostics) {
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let row = &r.applications.rows[i];
        let sum = wide_sum(&row.cells);
        let path = row_path(def.key);
        if sum > Count::from(u64::MAX) {
            overflow(d, path.clone(), def.label, sum);
            continue;
        }
        if let Some(total) = row.total {
            if Count::from(total) != sum {
                let parts: Vec<String> = row.cells.iter().map(u64::to_string).collect();
                d.push(
                    Diagnostic::error(
                        "table3-row-total",
                        format!("{path}[{APPLICANTS}]"),
                        format!("表三“{}”行的总计为 {total}，但六列之和为 {sum}（{}）", def.label, parts.join("+")),
                        format!("table 三 row `{}`: total {total} ≠ sum of the six cells {sum}", def.key),
                    )
                    .with_involved(format!("{path}[{APPLICANTS}]"), total)
                    .with_involved(format!("{path}[0..{APPLICANTS}] 之和 / sum"), sum),
                );
            }
        }
    }
}

/// Sum of the result rows （一）…（六）3 as printed, per column.
fn results_sum(r: &Report) -> [Count; APPLICANTS + 1] {
    let mut sum = [0; APPLICANTS + 1];
    for row in &r.applications.rows[row::RESULTS] {
        for (s, v) in sum.iter_mut().zip(printed::row(row)) {
            *s += v;
        }
    }
    sum
}

/// Rule 2: （七）总计 equals the sum of every result row, per column (when given).
fn results_total(r: &Report, d: &mut Diagnostics) {
    let total = &r.applications.rows[row::RESULTS_TOTAL];
    let sum = results_sum(r);
    // Checked whether or not （七）总计 is given: when it is not, these sums are what gets
    // printed. A result row that overflows on its own was already reported by rule 3.
    let rows_fit = r.applications.rows[row::RESULTS].iter().all(|row| wide_sum(&row.cells) <= Count::from(u64::MAX));
    let sum_total = sum[..APPLICANTS].iter().sum::<Count>();
    if rows_fit && sum_total > Count::from(u64::MAX) {
        overflow(d, "applications.results".into(), "（七）总计", sum_total);
    }
    if !total.given {
        return;
    }
    let given = printed::row(total);
    for i in 0..APPLICANTS {
        if given[i] != sum[i] {
            let path = format!("applications.results.total[{i}]");
            d.push(
                Diagnostic::error(
                    "table3-results-total",
                    path.clone(),
                    format!(
                        "表三“{}”列：（七）总计为 {}，但（一）至（六）各项办理结果之和为 {}",
                        col_name(i),
                        given[i],
                        sum[i]
                    ),
                    format!(
                        "table 三 column {}: results.total is {}, the result rows add up to {}",
                        col_name(i),
                        given[i],
                        sum[i]
                    ),
                )
                .with_involved(path, given[i])
                .with_involved("results 各行之和 / sum of result rows", sum[i]),
            );
        }
    }
}

/// Rule 1: for each column, 第一项 + 第二项 = 第三项 + 第四项 (the official note of table 三).
fn balance(r: &Report, d: &mut Diagnostics) {
    let rows = &r.applications.rows;
    let new = printed::table3_row(r, row::NEW);
    let over = printed::table3_row(r, row::CARRIED_OVER);
    let forward = printed::table3_row(r, row::CARRIED_FORWARD);
    let total_given = rows[row::RESULTS_TOTAL].given;
    // （七）总计 as printed: given, or the column sums of the result rows.
    let results = printed::table3_row(r, row::RESULTS_TOTAL);
    let mut failed = false;
    // A 7th element that differs from its row's sum is reported by rule 3; the 总计 column then
    // cannot balance either, and saying so again would only repeat it.
    let wrong_row_total = rows.iter().any(|r| r.total.is_some_and(|t| Count::from(t) != wide_sum(&r.cells)));
    for i in 0..=APPLICANTS {
        // The 总计 column only balances on its own when the six columns do; report it alone
        // (a wrong 7th element) rather than twice.
        if i == APPLICANTS && (failed || wrong_row_total) {
            break;
        }
        let left = new[i] + over[i];
        let right = results[i] + forward[i];
        if left == right {
            continue;
        }
        failed = true;
        let path =
            if total_given { format!("applications.results.total[{i}]") } else { format!("applications.new[{i}]") };
        let results_what = if total_given { "（七）总计" } else { "办理结果合计" };
        d.push(
            Diagnostic::error(
                "table3-balance",
                path,
                format!(
                    "表三“{}”列不平衡：本年新收 {} + 上年结转 {} = {}，但{results_what} {} + 结转下年度 {} = {}（第一项加第二项之和应等于第三项加第四项之和）",
                    col_name(i),
                    new[i],
                    over[i],
                    left,
                    results[i],
                    forward[i],
                    right
                ),
                format!(
                    "table 三 column {} does not balance: new {} + carried_over {} = {left}, but results {} + carried_forward {} = {right}",
                    col_name(i),
                    new[i],
                    over[i],
                    results[i],
                    forward[i]
                ),
            )
            .with_involved(format!("applications.new[{i}]"), new[i])
            .with_involved(format!("applications.carried_over[{i}]"), over[i])
            .with_involved(
                if total_given { format!("applications.results.total[{i}]") } else { "results 各行之和 / sum of result rows".into() },
                results[i],
            )
            .with_involved(format!("applications.carried_forward[{i}]"), forward[i])
            .with_hint("核对本列各项数字：新收 + 结转 = 办理结果总计 + 结转下年度 / check this column: new + carried over = results total + carried forward"),
        );
    }
}

/// Rule 4: in each group of table 四, total = upheld + corrected + other + pending (when given).
fn table4(r: &Report, d: &mut Diagnostics) {
    for group in Table4Group::ALL {
        let (g, label) = (group.key(), group.label());
        let grp = r.review_litigation.group(group);
        let parts = grp.parts();
        let sum = printed::table4_parts_sum(grp);
        let path = format!("review_litigation.{g}.total");
        if sum > Count::from(u64::MAX) {
            overflow(d, format!("review_litigation.{g}"), label, sum);
            continue;
        }
        if let Some(total) = grp.total {
            if Count::from(total) != sum {
                d.push(
                    Diagnostic::error(
                        "table4-total",
                        path.clone(),
                        format!(
                            "表四“{label}”：总计为 {total}，但结果维持 {} + 结果纠正 {} + 其他结果 {} + 尚未审结 {} = {sum}",
                            parts[0], parts[1], parts[2], parts[3]
                        ),
                        format!("table 四 `{g}`: total {total} ≠ upheld + corrected + other + pending = {sum}"),
                    )
                    .with_involved(path, total)
                    .with_involved(format!("review_litigation.{g}.upheld"), parts[0])
                    .with_involved(format!("review_litigation.{g}.corrected"), parts[1])
                    .with_involved(format!("review_litigation.{g}.other"), parts[2])
                    .with_involved(format!("review_litigation.{g}.pending"), parts[3]),
                );
            }
        }
    }
}

/// Rule 6: the date falls after the report year and by 31 January of the next year
/// (条例第四十九条; a whole-government report is due by 31 March).
fn signature_date(r: &Report, d: &mut Diagnostics) {
    let Some(date) = r.signature.date else { return };
    let year = r.year as i32;
    let Some(deadline) = NaiveDate::from_ymd_opt(year + 1, 1, 31) else { return };
    if date.year() <= year {
        d.push(
            Diagnostic::warning(
                "signature-date",
                "signature.date",
                format!(
                    "成文日期 {date} 不在统计年度 {year} 年结束之后：年度报告应在统计期（{year}年12月31日）结束后成文"
                ),
                format!("signature date {date} is not after the end of the report year {year}"),
            )
            .with_involved("signature.date", date)
            .with_involved("year", year),
        );
    } else if date > deadline {
        d.push(
            Diagnostic::warning(
                "signature-date",
                "signature.date",
                format!(
                    "成文日期 {date} 晚于 {}年1月31日：《条例》第四十九条要求部门年度报告于每年1月31日前公布（本级政府年度报告为3月31日前）",
                    year + 1
                ),
                format!("signature date {date} is after 31 January {} (条例 art. 49 deadline for departments; 31 March for a whole-government report)", year + 1),
            )
            .with_involved("signature.date", date)
            .with_hint("如为本级人民政府的年度报告，期限为3月31日 / a local government's own report is due by 31 March"),
        );
    }
}

/// Rule 7: this year's carried_over equals last year's carried_forward, and in_force follows
/// from last year's in_force, this year's issued and repealed.
fn cross_year(r: &Report, prev: &Report, d: &mut Diagnostics) {
    if prev.year + 1 != r.year {
        d.push(
            Diagnostic::warning(
                "cross-year-carry",
                "year",
                format!("用于比对的上年报告是 {} 年度的，而本报告为 {} 年度", prev.year, r.year),
                format!("the previous report is for {}, this one for {}", prev.year, r.year),
            )
            .with_involved("previous.year", prev.year)
            .with_involved("year", r.year),
        );
    }
    let this = printed::table3_row(r, row::CARRIED_OVER);
    let last = printed::table3_row(prev, row::CARRIED_FORWARD);
    for i in 0..=APPLICANTS {
        if this[i] != last[i] {
            let path = format!("applications.carried_over[{i}]");
            d.push(
                Diagnostic::warning(
                    "cross-year-carry",
                    path.clone(),
                    format!(
                        "表三“{}”列：本年“上年结转”为 {}，但 {} 年度报告的“结转下年度继续办理”为 {}",
                        col_name(i),
                        this[i],
                        prev.year,
                        last[i]
                    ),
                    format!("carried_over[{i}] is {}, but last year's carried_forward[{i}] was {}", this[i], last[i]),
                )
                .with_involved(path, this[i])
                .with_involved(format!("previous: applications.carried_forward[{i}]"), last[i]),
            );
        }
    }
    for row in DocRow::ALL {
        let (key, label) = (row.key(), row.label());
        let now = r.active_disclosure.doc_row(row);
        let before = prev.active_disclosure.doc_row(row);
        let expected = i128::from(before.in_force) + i128::from(now.issued) - i128::from(now.repealed);
        if i128::from(now.in_force) != expected {
            let path = format!("active_disclosure.{key}.in_force");
            d.push(
                Diagnostic::warning(
                    "cross-year-in-force",
                    path.clone(),
                    format!(
                        "表二“{label}”现行有效件数为 {}，但上年现行有效 {} + 本年制发 {} − 本年废止 {} = {expected}",
                        now.in_force, before.in_force, now.issued, now.repealed
                    ),
                    format!(
                        "{key}.in_force is {}, but last year's in_force {} + issued {} − repealed {} = {expected}",
                        now.in_force, before.in_force, now.issued, now.repealed
                    ),
                )
                .with_involved(path, now.in_force)
                .with_involved(format!("previous: active_disclosure.{key}.in_force"), before.in_force)
                .with_involved(format!("active_disclosure.{key}.issued"), now.issued)
                .with_involved(format!("active_disclosure.{key}.repealed"), now.repealed)
                .with_hint("修订、重新发布等情况可能造成差异，请核实 / revisions and re-issues can explain a difference: please verify"),
            );
        }
    }
}
