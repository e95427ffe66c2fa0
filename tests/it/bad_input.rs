//! Malformed and hostile inputs: each gives a clear diagnostic (rule id, JSON path, line:column,
//! Chinese and English) and never a panic.

use crate::common::*;
use nianbao::diag::render_human;
use nianbao::inspect::check_bytes;

/// Check raw bytes and the properties every bad input must have: at least one error, all
/// diagnostics well formed, no report promised to be clean.
fn bad(bytes: &[u8]) -> nianbao::inspect::Checked {
    let c = check_bytes(bytes, None);
    assert!(c.has_errors(), "expected an error, got {:#?}", c.diagnostics);
    assert_well_formed(&c);
    c
}

#[test]
fn empty_file() {
    for input in ["", "   \n\t\n"] {
        let c = bad(input.as_bytes());
        assert_eq!(rules(&c), ["json-syntax"]);
        assert!(c.report.is_none());
        assert!(c.diagnostics.iter().next().unwrap().message_zh.contains("为空"));
    }
}

#[test]
fn truncated_json() {
    let text = sample(WENDENG);
    let cut = &text[..text.find("\"review_litigation\"").unwrap()];
    let c = bad(cut.as_bytes());
    let d = only(&c, "json-syntax");
    assert!(d.line.is_some() && d.column.is_some());
    assert!(d.message_zh.contains("JSON 语法错误"), "{}", d.message_zh);
    assert!(c.report.is_none());
}

#[test]
fn syntax_error_points_at_its_line() {
    let text = replace_once(&sample(WENDENG), "\"licensing\": 135,", "\"licensing\": 135,,");
    let c = bad(text.as_bytes());
    let d = only(&c, "json-syntax");
    assert_eq!(d.line, Some(line_of(&text, "\"licensing\": 135,,")));
}

#[test]
fn comments_and_trailing_commas_are_not_json() {
    let text = replace_once(&sample(WENDENG), "\"licensing\": 135,", "\"licensing\": 135, // 行政许可");
    assert_eq!(rules(&bad(text.as_bytes())), ["json-syntax"]);
    let text = replace_once(&sample(WENDENG), "\"fees\": 0\n", "\"fees\": 0,\n");
    assert_eq!(rules(&bad(text.as_bytes())), ["json-syntax"]);
}

#[test]
fn utf8_bom_is_tolerated() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(sample(WENDENG).as_bytes());
    let c = check_bytes(&bytes, None);
    assert!(core(&c).is_empty(), "{:#?}", c.diagnostics);
    // Positions are those of the text without the BOM.
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [6, 0, 0, 0, 0, 0]");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let c = check_bytes(&bytes, None);
    let d = only(&c, "table3-balance");
    assert_eq!(d.line, Some(line_of(&text, "\"total\": [5, 0, 0, 0, 0, 0]")));
    assert_eq!(d.column, Some(17));
}

#[test]
fn invalid_utf8_names_its_position() {
    let text = sample(WENDENG);
    let needle = "2021年，威海市文登区应急管理局认真贯彻落实";
    let line = line_of(&text, needle);
    let at = text.find(needle).unwrap();
    let mut bytes = text.as_bytes().to_vec();
    bytes.splice(at..at, [0xFFu8, 0xFE]);
    let c = bad(&bytes);
    let d = only(&c, "encoding");
    assert_eq!(d.line, Some(line));
    assert!(d.message_zh.contains("UTF-8") && d.message_zh.contains(&at.to_string()));
    assert!(d.hint.as_deref().unwrap_or("").contains("UTF-8"));
    // GBK text (a common mistake) is the same finding.
    let c = bad(&[b'{', b'"', 0xD5, 0xFE, 0xB8, 0xAE, b'"', b':', b'1', b'}']);
    assert_eq!(rules(&c), ["encoding"]);
}

#[test]
fn unknown_key_with_a_suggestion() {
    let text = replace_once(&sample(WENDENG), "\"granted\":", "\"granterd\":");
    let c = bad(text.as_bytes());
    let d = only(&c, "unknown-key");
    assert_eq!(d.path, "applications.results.granterd");
    assert_eq!(d.line, Some(line_of(&text, "\"granterd\"")));
    assert!(d.hint.as_deref().unwrap_or("").contains("granted"));
    // Top level, too.
    let text = replace_once(&sample(WENDENG), "\"year\": 2021,", "\"year\": 2021,\n  \"yaer\": 2021,");
    assert_eq!(only(&bad(text.as_bytes()), "unknown-key").path, "yaer");
}

#[test]
fn dollar_and_x_keys_are_ignored_everywhere() {
    let text = replace_once(
        &sample(WENDENG),
        "\"format\": \"2021\",",
        "\"$schema\": \"./report-2021.schema.json\",\n  \"x-备注\": {\"any\": [1, \"thing\"]},\n  \"format\": \"2021\",",
    );
    let text = replace_once(&text, "\"granted\":", "\"x-note\": \"备注\", \"$comment\": 1, \"granted\":");
    let c = check(&text);
    assert!(core(&c).is_empty(), "{:#?}", c.diagnostics);
}

#[test]
fn duplicate_key_is_an_error() {
    let text = replace_once(&sample(WENDENG), "\"year\": 2021,", "\"year\": 2021,\n  \"agency\": \"另一个机关\",");
    let c = bad(text.as_bytes());
    let d = only(&c, "duplicate-key");
    assert_eq!(d.path, "agency");
    assert_eq!(d.line, Some(line_of(&text, "\"agency\": \"另一个机关\"")));
    assert_eq!(d.column, Some(3));
    // Inside a table, too.
    let text = replace_once(&sample(WENDENG), "\"licensing\": 135,", "\"licensing\": 135,\n    \"licensing\": 136,");
    assert_eq!(only(&bad(text.as_bytes()), "duplicate-key").path, "active_disclosure.licensing");
}

#[test]
fn wrong_types() {
    let cases = [
        ("\"year\": 2021,", "\"year\": \"2021\",", "year"),
        ("\"licensing\": 135,", "\"licensing\": \"135\",", "active_disclosure.licensing"),
        ("\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": {\"自然人\": 5}", "applications.new"),
        ("\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [\"5\", 0, 0, 0, 0, 0]", "applications.new[0]"),
        ("\"carried_over\": [0, 0, 0, 0, 0, 0]", "\"carried_over\": null", "applications.carried_over"),
        ("\"fees\": 0", "\"fees\": \"0\"", "active_disclosure.fees"),
        ("\"agency\": \"威海市文登区应急管理局\",\n  \"year\"", "\"agency\": 1,\n  \"year\"", "agency"),
        ("\"subsections\": []", "\"subsections\": {}", "problems.subsections"),
    ];
    for (from, to, path) in cases {
        let text = replace_once(&sample(WENDENG), from, to);
        let c = bad(text.as_bytes());
        let d = at(&c, "wrong-type", path);
        assert!(d.line.is_some(), "{path}");
        assert!(d.message_zh.contains("应为"), "{}", d.message_zh);
    }
    for top in ["[]", "null", "42", "\"报告\""] {
        let c = bad(top.as_bytes());
        let d = only(&c, "wrong-type");
        assert_eq!(d.path, "");
        assert!(d.message_zh.contains("报告顶层"), "{}", d.message_zh);
        assert_eq!((d.line, d.column), (Some(1), Some(1)));
    }
}

#[test]
fn negative_count() {
    let text = replace_once(&sample(WENDENG), "\"licensing\": 135", "\"licensing\": -135");
    let c = bad(text.as_bytes());
    let d = only(&c, "count-negative");
    assert_eq!(d.path, "active_disclosure.licensing");
    assert_eq!(d.line, Some(line_of(&text, "-135")));
    assert_eq!(involved(d, "active_disclosure.licensing"), "-135");
    let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [5, 0, -2, 0, 0, 0]");
    assert_eq!(only(&bad(text.as_bytes()), "count-negative").path, "applications.new[2]");
}

#[test]
fn fractional_count() {
    for n in ["5.5", "5.0", "5e0", "1E3"] {
        let text =
            replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", &format!("\"new\": [{n}, 0, 0, 0, 0, 0]"));
        let c = bad(text.as_bytes());
        let d = only(&c, "count-invalid");
        assert_eq!(d.path, "applications.new[0]", "{n}");
        assert_eq!(involved(d, "applications.new[0]"), n);
        assert!(d.message_zh.contains("整数"));
    }
}

#[test]
fn count_beyond_64_bits() {
    let text = replace_once(&sample(WENDENG), "\"penalty\": 103", "\"penalty\": 18446744073709551616");
    let c = bad(text.as_bytes());
    let d = only(&c, "count-invalid");
    assert_eq!(d.path, "active_disclosure.penalty");
    assert!(d.message_zh.contains("过大"));
    let huge = "9".repeat(400);
    let text = replace_once(&sample(WENDENG), "\"penalty\": 103", &format!("\"penalty\": {huge}"));
    assert_eq!(rules(&bad(text.as_bytes())), ["count-invalid"]);
}

#[test]
fn counts_near_u64_max_whose_sums_overflow() {
    let text =
        replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", "\"new\": [18446744073709551615, 1, 0, 0, 0, 0]");
    let c = bad(text.as_bytes());
    let d = at(&c, "count-overflow", "applications.new");
    assert_eq!(involved(d, "sum"), "18446744073709551616");
    // Printed anyway (`--allow-inconsistent`), the row's 总计 is the exact sum: never saturated
    // at u64::MAX, never wrapped.
    let Some(r) = &c.report else { panic!("the report decodes") };
    let resolved = nianbao::resolve::resolve(r, None);
    let Some(t3) = resolved.sections.iter().find(|s| s.key == "applications").and_then(|s| s.table.as_ref()) else {
        panic!("table 三 is resolved")
    };
    let new_row = &t3.rows[3];
    // (A number too wide for its cell carries break opportunities, U+200B.)
    let printed = new_row.last().map(|c| c.text.replace('\u{200b}', ""));
    assert_eq!(printed.as_deref(), Some("18446744073709551616"));
    // Every row at the maximum, with totals: still a diagnostic, never an arithmetic panic.
    let m = u64::MAX;
    let row = format!("[{m}, {m}, {m}, {m}, {m}, {m}, {m}]");
    let mut text = sample(WENDENG);
    for key in ["new", "carried_over", "granted", "partially_granted", "not_held", "total", "carried_forward"] {
        let start = text.find(&format!("\"{key}\": [")).unwrap();
        let end = start + text[start..].find(']').unwrap() + 1;
        text.replace_range(start..end, &format!("\"{key}\": {row}"));
    }
    let text = text
        .replace("\"upheld\": 0", &format!("\"upheld\": {m}"))
        .replace("\"pending\": 0", &format!("\"pending\": {m}"));
    let c = bad(text.as_bytes());
    assert!(rules(&c).contains(&"count-overflow"));
    // The resolver (what renderers read) copes with the same numbers.
    if let Some(r) = &c.report {
        let _ = nianbao::resolve::resolve(r, None);
    }
}

#[test]
fn rows_of_five_or_eight_cells() {
    for (row, n) in [("[5, 0, 0, 0, 0]", 5), ("[5, 0, 0, 0, 0, 0, 5, 0]", 8), ("[5]", 1)] {
        let text = replace_once(&sample(WENDENG), "\"new\": [5, 0, 0, 0, 0, 0]", &format!("\"new\": {row}"));
        let c = bad(text.as_bytes());
        assert_eq!(rules(&c), ["row-length"], "{row}: {:#?}", c.diagnostics);
        let d = only(&c, "row-length");
        assert_eq!(d.path, "applications.new");
        assert_eq!(d.line, Some(line_of(&text, &format!("\"new\": {row}"))));
        assert_eq!(involved(d, "cells"), n.to_string());
        assert!(d.message_zh.contains("应为 6 个"));
    }
}

#[test]
fn omitted_and_empty_rows_are_zeros() {
    let text = replace_once(&sample(WENDENG), "\"state_secret\": [0, 0, 0, 0, 0, 0]", "\"state_secret\": []");
    let text = replace_once(&text, "\"duplicate\": [0, 0, 0, 0, 0, 0],\n", "");
    let c = check(&text);
    assert!(core(&c).is_empty(), "{:#?}", c.diagnostics);
}

#[test]
fn missing_required_fields() {
    let text = sample(WENDENG);
    let cases = [
        ("\"format\": \"2021\",\n", "format"),
        ("\"year\": 2021,\n", "year"),
        (
            ",\n  \"signature\": {\n    \"agency\": \"威海市文登区应急管理局\",\n    \"date\": \"2022-01-28\"\n  }",
            "signature",
        ),
        (",\n    \"date\": \"2022-01-28\"", "signature.date"),
        ("\"office\": \"威海市文登区应急管理局办公室\",\n", "contact.office"),
    ];
    for (cut, path) in cases {
        let t = replace_once(&text, cut, "");
        let c = bad(t.as_bytes());
        let d = at(&c, "missing-field", path);
        assert!(d.line.is_some(), "{path}");
        assert!(d.message_zh.contains("缺少必填字段"), "{}", d.message_zh);
    }
    // Both phone and email gone: one of them is required.
    let t = replace_once(&text, "\"phone\": \"0631-8360066\",\n", "");
    let c = bad(t.as_bytes());
    let d = at(&c, "missing-field", "contact");
    assert!(d.message_zh.contains("phone") && d.message_zh.contains("email"));
    // An empty object names every required field at once.
    let c = bad(b"{}");
    let mut paths: Vec<&str> = c.diagnostics.iter().map(|d| d.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "active_disclosure",
            "agency",
            "applications",
            "contact",
            "format",
            "other_matters",
            "overview",
            "problems",
            "review_litigation",
            "signature",
            "year"
        ]
    );
}

#[test]
fn ranges_and_values() {
    let cases = [
        ("\"format\": \"2021\"", "\"format\": \"2019\"", "format-version", "format"),
        ("\"year\": 2021", "\"year\": 1900", "year-range", "year"),
        ("\"date\": \"2022-01-28\"", "\"date\": \"2022-02-30\"", "invalid-date", "signature.date"),
        ("\"date\": \"2022-01-28\"", "\"date\": \"2022/1/28\"", "invalid-date", "signature.date"),
        ("\"date\": \"2022-01-28\"", "\"date\": \"2022年1月28日\"", "invalid-date", "signature.date"),
        ("\"fees\": 0", "\"fees\": -0.5", "amount-invalid", "active_disclosure.fees"),
        ("\"fees\": 0", "\"fees\": 1e3", "amount-invalid", "active_disclosure.fees"),
        (
            "\"agency\": \"威海市文登区应急管理局\",\n  \"year\"",
            "\"agency\": \"  \",\n  \"year\"",
            "empty-text",
            "agency",
        ),
    ];
    for (from, to, rule, path) in cases {
        let text = replace_once(&sample(WENDENG), from, to);
        let c = bad(text.as_bytes());
        let d = at(&c, rule, path);
        assert!(d.line.is_some(), "{rule}");
    }
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let deep = format!("{{\"x-a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(rules(&bad(deep.as_bytes())), ["json-syntax"]);
    let deep_obj = format!("{}{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert_eq!(rules(&bad(deep_obj.as_bytes())), ["json-syntax"]);
}

#[test]
fn odd_strings_do_not_panic() {
    for para in ["\\ud800", "\\udc00\\ud800", "\\u0000", "#set text(fill: red)", "\\\\$x$\\u202e"] {
        let text = replace_once(&sample(WENDENG), "2021年，本单位未收取信息处理费。", para);
        let c = check(&text);
        assert_well_formed(&c);
    }
    let text = replace_once(&sample(WENDENG), "2021年，本单位未收取信息处理费。", "\\x41");
    assert_eq!(rules(&bad(text.as_bytes())), ["json-syntax"]);
}

#[test]
fn fifty_megabyte_paragraph() {
    // One-line JSON (as a platform would send it): the 50 MB paragraph and the table error sit
    // on the same line, and the snippet of that line must stay short.
    let mut v: serde_json::Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    v["overview"]["paragraphs"][0] = serde_json::Value::String("政".repeat(50 * 1024 * 1024 / 3));
    v["applications"]["new"][0] = serde_json::json!(6);
    let text = serde_json::to_string(&v).unwrap();
    assert!(text.len() > 50 * 1000 * 1000 && !text.contains('\n'));
    let c = check_bytes(text.as_bytes(), None);
    let d = only(&c, "table3-balance");
    assert_eq!(d.line, Some(1));
    assert!(d.column.unwrap() > 16 * 1024 * 1024, "column counts characters, not bytes");
    let shown = render_human(d, "big.json", &c.text);
    assert!(shown.len() < 2_000, "snippet is clipped: {} bytes", shown.len());
    assert!(shown.contains('…') && shown.contains('^'));
    // An error at the start of the long line is clipped on the right.
    v["format"] = serde_json::json!("2019");
    let text = serde_json::to_string(&v).unwrap();
    let decoded = nianbao::model::decode::decode_bytes(text.as_bytes());
    let d = decoded.diagnostics.iter().find(|d| d.rule == "format-version").expect("format-version");
    assert_eq!(d.column, Some(11));
    let shown = render_human(d, "big.json", &decoded.text);
    assert!(shown.len() < 2_000, "{} bytes", shown.len());
    assert!(shown.contains("…\n"), "cut on the right: {shown}");
}

#[test]
fn arbitrary_prefixes_of_a_report_never_panic() {
    // Every cut of a real report is malformed somewhere; none may panic.
    let text = sample(LANSHAN_2023);
    let bytes = text.as_bytes();
    let complete = text.trim_end().len();
    for cut in (0..complete).step_by(97) {
        let c = check_bytes(&bytes[..cut], None);
        assert!(c.has_errors(), "cut at {cut}");
        for d in c.diagnostics.iter() {
            let _ = render_human(d, "cut.json", &c.text);
        }
    }
}
