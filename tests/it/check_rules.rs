//! Every consistency rule of input-format.md (errors 1–5, warnings 6–7) with a passing and a
//! failing case, asserting the rule id, the JSON path, the line and the numbers involved.

use crate::common::*;
use nianbao::diag::Severity;

const WENDENG_TOTAL: &str = "\"total\": [5, 0, 0, 0, 0, 0]";
const MAX: u64 = u64::MAX;

#[test]
fn samples_pass_every_rule() {
    for name in [WENDENG, LANSHAN_2022, LANSHAN_2023] {
        let c = check(&sample(name));
        assert!(core(&c).is_empty(), "{name}: {:#?}", c.diagnostics);
        assert!(c.report.is_some());
    }
}

// Rule 1: new + carried_over = results.total + carried_forward, per column.

#[test]
fn rule1_balance_fails_against_the_given_total() {
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]");
    let c = check(&text);
    let d = sole(&c, "table3-balance");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.path, "applications.results.total[0]");
    assert_eq!(d.line, Some(line_of(&text, WENDENG_TOTAL)));
    assert_eq!(involved(d, "applications.new[0]"), "6");
    assert_eq!(involved(d, "applications.carried_over[0]"), "0");
    assert_eq!(involved(d, "applications.results.total[0]"), "5");
    assert_eq!(involved(d, "applications.carried_forward[0]"), "0");
    assert!(d.message_zh.contains("自然人") && d.message_zh.contains('6') && d.message_zh.contains('5'));
}

#[test]
fn rule1_balance_without_a_total_row_uses_the_sum_of_the_results() {
    let text = sample(WENDENG);
    let text = replace_once(&text, &format!("}},\n      {WENDENG_TOTAL}\n"), "}\n");
    assert!(core(&check(&text)).is_empty(), "the total row is optional");
    let text =
        replace_once(&text, "\"carried_forward\": [0, 0, 0, 0, 0, 0]", "\"carried_forward\": [0, 0, 2, 0, 0, 0]");
    let c = check(&text);
    let d = sole(&c, "table3-balance");
    assert_eq!(d.path, "applications.new[2]");
    assert_eq!(d.line, Some(line_of(&text, "\"new\": [5, 0, 0, 0, 0, 0]")));
    assert_eq!(involved(d, "applications.carried_forward[2]"), "2");
    assert_eq!(involved(d, "results 各行之和 / sum of result rows"), "0");
    assert!(d.message_zh.contains("科研机构"));
}

#[test]
fn rule1_reports_every_unbalanced_column_at_once() {
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [5, 1, 0, 3, 0, 0]");
    let c = check(&text);
    let paths: Vec<&str> = core(&c).iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["applications.results.total[1]", "applications.results.total[3]"]);
    assert!(rules(&c).iter().all(|r| *r == "table3-balance"));
}

// Rule 2: results.total = the sum of every result row, per column.

#[test]
fn rule2_results_total_fails() {
    let text = replace_once(&sample(WENDENG), "\"granted\": [3, 0, 0, 0, 0, 0]", "\"granted\": [4, 0, 0, 0, 0, 0]");
    let c = check(&text);
    // The balance uses the given total (5 = 5 + 0), so only rule 2 fires.
    let d = sole(&c, "table3-results-total");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.path, "applications.results.total[0]");
    assert_eq!(d.line, Some(line_of(&text, WENDENG_TOTAL)));
    assert_eq!(involved(d, "applications.results.total[0]"), "5");
    assert_eq!(involved(d, "results 各行之和 / sum of result rows"), "6");
}

#[test]
fn rule2_passes_with_a_total_row_of_seven_cells() {
    let text = sample(LANSHAN_2023);
    assert!(text.contains("\"total\": [130, 26, 1, 2, 8, 3, 170]"));
    assert!(core(&check(&text)).is_empty());
}

// Rule 3: a row's 7th element = the sum of its six cells.

#[test]
fn rule3_row_total_fails_and_is_reported_once() {
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [5, 0, 0, 0, 0, 0, 6]");
    let c = check(&text);
    let d = sole(&c, "table3-row-total");
    assert_eq!(d.path, "applications.new[6]");
    assert_eq!(d.line, Some(line_of(&text, "\"new\": [5, 0, 0, 0, 0, 0, 6]")));
    assert_eq!(d.column, Some(text.lines().nth(d.line.unwrap() - 1).unwrap().find('6').unwrap() + 1));
    assert_eq!(involved(d, "applications.new[6]"), "6");
    assert_eq!(involved(d, "applications.new[0..6] 之和 / sum"), "5");
}

#[test]
fn rule3_passes_when_the_seventh_element_is_the_sum() {
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [5, 0, 0, 0, 0, 0, 5]");
    assert!(core(&check(&text)).is_empty());
}

// Rule 4: table 四 total = upheld + corrected + other + pending.

#[test]
fn rule4_table4_total_fails() {
    let text = replace_once(&sample(LANSHAN_2023), "\"total\": 7", "\"total\": 8");
    let c = check(&text);
    let d = sole(&c, "table4-total");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.path, "review_litigation.review.total");
    assert_eq!(d.line, Some(line_of(&text, "\"total\": 8")));
    assert_eq!(involved(d, "review_litigation.review.total"), "8");
    assert_eq!(involved(d, "review_litigation.review.upheld"), "3");
    assert_eq!(involved(d, "review_litigation.review.corrected"), "1");
    assert_eq!(involved(d, "review_litigation.review.other"), "1");
    assert_eq!(involved(d, "review_litigation.review.pending"), "2");
    assert!(d.message_zh.contains("行政复议") && d.message_zh.contains("= 7"));
}

#[test]
fn rule4_total_is_optional() {
    let text = replace_once(&sample(LANSHAN_2023), ",\n      \"total\": 7", "");
    assert!(core(&check(&text)).is_empty());
}

// Rule 5: types and ranges; sums beyond 64 bits are reported, never overflowed.

#[test]
fn rule5_row_sum_near_u64_max_is_an_overflow_error() {
    let text =
        replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", &format!("\"new\": [{MAX}, 1, 0, 0, 0, 0]"));
    let c = check(&text);
    let d = at(&c, "count-overflow", "applications.new");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(involved(d, "sum"), "18446744073709551616");
    assert_eq!(d.line, Some(line_of(&text, "\"new\": [18446744073709551615")));
    assert_well_formed(&c);
}

#[test]
fn rule5_column_sums_of_the_results_overflow_without_a_total_row() {
    let text = sample(WENDENG);
    let text = replace_once(&text, &format!("}},\n      {WENDENG_TOTAL}\n"), "}\n");
    let text = replace_once(&text, "\"granted\": [3, 0, 0, 0, 0, 0]", &format!("\"granted\": [{MAX}, 0, 0, 0, 0, 0]"));
    let text = replace_once(&text, "\"new\": [5, 0, 0, 0, 0, 0]", &format!("\"new\": [{MAX}, 0, 0, 0, 0, 0]"));
    let text = replace_once(&text, "\"carried_over\": [0, 0, 0, 0, 0, 0]", "\"carried_over\": [2, 0, 0, 0, 0, 0]");
    // Each row fits in 64 bits and the column balances (MAX + 2 = MAX + 1 + 1), but the printed
    // （七）总计 would be MAX + 2.
    let c = check(&text);
    assert_eq!(rules(&c), ["count-overflow"], "{:#?}", c.diagnostics);
    let d = at(&c, "count-overflow", "applications.results");
    assert_eq!(involved(d, "sum"), (u128::from(MAX) + 2).to_string());
}

#[test]
fn rule5_table4_sum_overflow() {
    let text = replace_once(&sample(LANSHAN_2023), "\"upheld\": 3", &format!("\"upheld\": {MAX}"));
    let c = check(&text);
    let d = only(&c, "count-overflow");
    assert_eq!(d.path, "review_litigation.review");
    assert_eq!(involved(d, "sum"), (u128::from(MAX) + 4).to_string());
    assert!(!rules(&c).contains(&"table4-total"), "the overflow is reported instead of a wrong total");
}

#[test]
fn rule5_largest_count_alone_is_accepted() {
    let text = replace_once(&sample(LANSHAN_2023), "\"licensing\": 8642", &format!("\"licensing\": {MAX}"));
    assert!(core(&check(&text)).is_empty());
}

// Rule 6 (warning): the signature date falls after the report year and by 31 January.

#[test]
fn rule6_signature_date_within_january_passes() {
    for date in ["2022-01-01", "2022-01-28", "2022-01-31"] {
        let text = replace_once(&sample(WENDENG), "\"date\": \"2022-01-28\"", &format!("\"date\": \"{date}\""));
        assert!(core(&check(&text)).is_empty(), "{date}");
    }
}

#[test]
fn rule6_late_signature_date_warns() {
    let text = replace_once(&sample(WENDENG), "\"date\": \"2022-01-28\"", "\"date\": \"2022-02-01\"");
    let c = check(&text);
    let d = sole(&c, "signature-date");
    assert_eq!(d.severity, Severity::Warning);
    assert!(!c.has_errors(), "a warning does not stop the document");
    assert_eq!(d.path, "signature.date");
    assert_eq!(d.line, Some(line_of(&text, "\"date\": \"2022-02-01\"")));
    assert_eq!(involved(d, "signature.date"), "2022-02-01");
    assert!(d.message_zh.contains("第四十九条") && d.message_zh.contains("2022年1月31日"));
}

#[test]
fn rule6_signature_date_inside_the_report_year_warns() {
    let text = replace_once(&sample(WENDENG), "\"date\": \"2022-01-28\"", "\"date\": \"2021-12-31\"");
    let c = check(&text);
    let d = only(&c, "signature-date");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(involved(d, "year"), "2021");
    assert_eq!(involved(d, "signature.date"), "2021-12-31");
}

// Rule 7 (warning): this year against last year's report.

#[test]
fn rule7_consistent_previous_year_passes() {
    let prev = report(&sample(LANSHAN_2022));
    let c = check_with(&sample(LANSHAN_2023), &prev);
    assert!(core(&c).is_empty(), "{:#?}", c.diagnostics);
}

#[test]
fn rule7_carried_over_differs_from_last_years_carried_forward() {
    let prev_text = replace_once(
        &sample(LANSHAN_2022),
        "\"carried_forward\": [4, 1, 0, 0, 1, 0]",
        "\"carried_forward\": [3, 1, 0, 0, 1, 0]",
    );
    // …and one more granted, so that last year's report still balances on its own.
    let prev_text = replace_once(&prev_text, "\"granted\": [38, 7, 0, 1, 2, 1]", "\"granted\": [39, 7, 0, 1, 2, 1]");
    let prev_text =
        replace_once(&prev_text, "\"total\": [94, 18, 0, 1, 4, 3, 120]", "\"total\": [95, 18, 0, 1, 4, 3, 121]");
    assert!(!check(&prev_text).has_errors(), "{:#?}", check(&prev_text).diagnostics);
    let prev = report(&prev_text);
    let text = sample(LANSHAN_2023);
    let c = check_with(&text, &prev);
    assert!(!c.has_errors());
    let paths: Vec<&str> = core(&c).iter().map(|d| d.path.as_str()).collect();
    // Column 自然人 and the 总计 column (6 against 5).
    assert_eq!(paths, ["applications.carried_over[0]", "applications.carried_over[6]"], "{:#?}", c.diagnostics);
    let d = at(&c, "cross-year-carry", "applications.carried_over[0]");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.line, Some(line_of(&text, "\"carried_over\": [4, 1, 0, 0, 1, 0]")));
    assert_eq!(involved(d, "applications.carried_over[0]"), "4");
    assert_eq!(involved(d, "previous: applications.carried_forward[0]"), "3");
    let d6 = at(&c, "cross-year-carry", "applications.carried_over[6]");
    assert_eq!(involved(d6, "applications.carried_over[6]"), "6");
    assert_eq!(involved(d6, "previous: applications.carried_forward[6]"), "5");
}

#[test]
fn rule7_in_force_does_not_follow_from_last_year() {
    let prev_text = replace_once(&sample(LANSHAN_2022), "\"in_force\": 14", "\"in_force\": 13");
    let c = check_with(&sample(LANSHAN_2023), &report(&prev_text));
    let d = sole(&c, "cross-year-in-force");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.path, "active_disclosure.normative_documents.in_force");
    assert_eq!(involved(d, "active_disclosure.normative_documents.in_force"), "16");
    assert_eq!(involved(d, "previous: active_disclosure.normative_documents.in_force"), "13");
    assert_eq!(involved(d, "active_disclosure.normative_documents.issued"), "4");
    assert_eq!(involved(d, "active_disclosure.normative_documents.repealed"), "2");
    assert!(d.message_zh.contains("= 15"));
}

#[test]
fn rule7_previous_report_of_another_year_warns() {
    let prev_text = replace_once(&sample(LANSHAN_2022), "\"year\": 2022", "\"year\": 2021");
    let prev_text = replace_once(&prev_text, "\"date\": \"2023-01-20\"", "\"date\": \"2022-01-20\"");
    let c = check_with(&sample(LANSHAN_2023), &report(&prev_text));
    let d = at(&c, "cross-year-carry", "year");
    assert_eq!(involved(d, "previous.year"), "2021");
    assert_eq!(involved(d, "year"), "2023");
}

// Across rules.

#[test]
fn all_problems_of_a_report_are_reported_together() {
    let text = sample(LANSHAN_2023);
    let text = replace_once(&text, "\"total\": 7", "\"total\": 9");
    let text = replace_once(&text, "\"new\": [132, 27, 1, 2, 8, 4, 174]", "\"new\": [132, 27, 1, 2, 8, 4, 175]");
    let text = replace_once(&text, "\"date\": \"2024-01-25\"", "\"date\": \"2024-03-01\"");
    let text = replace_once(&text, "\"office\":", "\"ofice\": \"x\", \"office\":");
    let c = check(&text);
    let mut found = rules(&c);
    found.sort();
    assert_eq!(found, ["signature-date", "table3-row-total", "table4-total", "unknown-key"], "{:#?}", c.diagnostics);
    assert_well_formed(&c);
}

#[test]
fn a_refused_cell_does_not_make_up_an_unbalanced_table() {
    // The decoder refuses -1 and the 5-cell row; the table is not also declared unbalanced with
    // numbers the input never held.
    for row in ["[-1, 0, 0, 0, 0, 0]", "[5, 0, 0, 0, 0]", "[5.5, 0, 0, 0, 0, 0]"] {
        let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", &format!("\"new\": {row}"));
        let c = check(&text);
        assert!(c.has_errors());
        assert!(!rules(&c).iter().any(|r| r.starts_with("table3-")), "{row}: {:#?}", c.diagnostics);
    }
    // A misspelt row key loses the row: the unknown key is the finding, not the balance.
    let text = replace_once(&sample(WENDENG), "\"granted\":", "\"granterd\":");
    let c = check(&text);
    assert!(sole(&c, "unknown-key").hint.as_deref().unwrap_or("").contains("granted"));
    // A problem in another table leaves table 三's rules running.
    let text = replace_once(&sample(WENDENG), "\"licensing\": 135", "\"licensing\": -135");
    let text = replace_once(&text, "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]");
    let mut found = rules(&check(&text));
    found.sort();
    assert_eq!(found, ["count-negative", "table3-balance"]);
}
