//! The input model and the resolved report: fees kept as written, omitted rows as zeros, totals
//! filled in, default title and preamble, numbered subsections, the GB/T 9704 date, and the
//! encoder writing back what the decoder reads.

use crate::common::*;
use nianbao::model::encode;
use nianbao::resolve::{resolve, Resolved, Table};

fn resolved(text: &str) -> Resolved {
    resolve(&report(text), None)
}

fn table<'a>(r: &'a Resolved, key: &str) -> &'a Table {
    r.sections.iter().filter_map(|s| s.table.as_ref()).find(|t| t.key == key).expect("table present")
}

/// Texts of the number cells of the table row whose label is `label`.
fn numbers(t: &Table, label: &str) -> Vec<String> {
    let row = t.rows.iter().find(|row| row.iter().any(|c| c.text == label)).unwrap_or_else(|| panic!("row {label}"));
    row.iter().filter(|c| c.kind == nianbao::resolve::CellKind::Number).map(|c| c.text.clone()).collect()
}

#[test]
fn fees_print_exactly_as_written() {
    for written in ["0.1", "12.50", "0", "3", "100.000", "0.30000000000000004"] {
        let text = replace_once(&sample(WENDENG), "\"fees\": 0\n", &format!("\"fees\": {written}\n"));
        let r = resolved(&text);
        assert_eq!(numbers(table(&r, "table2"), "行政事业性收费"), [written]);
        let again = encode::to_string(&report(&text));
        assert!(again.contains(&format!("\"fees\": {written}\n")), "{written}");
    }
}

#[test]
fn omitted_rows_are_zeros_and_totals_are_filled_in() {
    // Only `new` and the non-zero result rows are given; every other row is omitted.
    let text = sample(WENDENG);
    let start = text.find("\"applications\": {").unwrap();
    let end = start + text[start..].find("\n  },\n").unwrap() + 4;
    let text = format!(
        "{}\"applications\": {{\n    \"new\": [5, 0, 0, 0, 0, 0],\n    \"results\": {{\"granted\": [3, 0, 0, 0, 0, 0], \"partially_granted\": [1, 0, 0, 0, 0, 0], \"unable_to_provide\": {{\"not_held\": [1, 0, 0, 0, 0, 0]}}}}\n  }}{}",
        &text[..start],
        &text[end..]
    );
    assert!(core(&check(&text)).is_empty(), "{:#?}", check(&text).diagnostics);
    let r = resolved(&text);
    let t3 = table(&r, "table3");
    assert_eq!(numbers(t3, "一、本年新收政府信息公开申请数量"), ["5", "0", "0", "0", "0", "0", "5"]);
    assert_eq!(numbers(t3, "二、上年结转政府信息公开申请数量"), ["0"; 7]);
    assert_eq!(numbers(t3, "1.属于国家秘密"), ["0"; 7]);
    assert_eq!(numbers(t3, "（七）总计"), ["5", "0", "0", "0", "0", "0", "5"]);
    assert_eq!(numbers(t3, "四、结转下年度继续办理"), ["0"; 7]);
    // Table 四 totals are computed when not given.
    let text = replace_once(&sample(LANSHAN_2023), ",\n      \"total\": 7", "");
    let t4 = resolved(&text);
    let data: Vec<&str> = table(&t4, "table4").rows.last().unwrap().iter().map(|c| c.text.as_str()).collect();
    assert_eq!(data[..5], ["3", "1", "1", "2", "7"]);
}

#[test]
fn default_title_and_preamble_come_from_agency_year_and_contact() {
    let text = sample(LANSHAN_2023);
    let r = report(&text);
    assert!(r.title.is_none() && r.preamble.is_none());
    let res = resolve(&r, None);
    assert_eq!(res.title_lines, ["临沂市兰山区市场监督管理局", "2023年政府信息公开工作年度报告"]);
    let preamble = res.preamble.join("\n");
    for part in [
        "由临沂市兰山区市场监督管理局编制",
        "自2023年1月1日起至2023年12月31日止",
        "“临沂市兰山区人民政府”（http://www.lanshan.gov.cn）",
        "请与临沂市兰山区市场监督管理局办公室联系",
        "电话：0539-8312345",
        "电子邮箱：lsscjgj@lanshan.gov.cn",
    ] {
        assert!(preamble.contains(part), "{part} missing from {preamble}");
    }
    // Only the contact fields given are named.
    assert!(!preamble.contains("传真"));
    // A given title and preamble win.
    let text = replace_once(
        &text,
        "\"year\": 2023,",
        "\"year\": 2023,\n  \"title\": \"甲\\n乙\",\n  \"preamble\": [\"前言。\"],",
    );
    let res = resolved(&text);
    assert_eq!(res.title_lines, ["甲", "乙"]);
    assert_eq!(res.preamble, ["前言。"]);
}

#[test]
fn headings_subsections_and_date() {
    let res = resolved(&sample(WENDENG));
    let headings: Vec<&str> = res.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项"
        ]
    );
    let subs: Vec<&str> = res.sections[0].subsections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(subs[0], "（一）主动公开工作情况");
    assert_eq!(subs[4], "（五）监督保障情况");
    assert_eq!(res.signature.date_text, "2022年1月28日");
    assert_eq!(res.signature.agency, "威海市文登区应急管理局");
    let text = replace_once(&sample(WENDENG), "\"date\": \"2022-01-28\"", "\"date\": \"2022-01-05\"");
    assert_eq!(resolved(&text).signature.date_text, "2022年1月5日");
    let text = replace_once(
        &sample(WENDENG),
        "\"year\": 2021,",
        "\"year\": 2021,\n  \"headings\": {\"problems\": \"存在的问题\"},",
    );
    assert_eq!(resolved(&text).sections[4].heading, "五、存在的问题");
}

#[test]
fn encoder_writes_back_what_the_decoder_reads() {
    for name in [WENDENG, LANSHAN_2022, LANSHAN_2023] {
        let mut r = report(&sample(name));
        let text = encode::to_string(&r);
        // The encoder writes every row out (an omitted row was zeros); only whether （七）总计 was
        // given is kept, since it decides whether rule 2 applies.
        for (i, row) in r.applications.rows.iter_mut().enumerate() {
            if i != nianbao::model::tables::row::RESULTS_TOTAL {
                row.given = true;
            }
        }
        assert_eq!(report(&text), r, "{name}");
        assert!(core(&check(&text)).is_empty());
    }
}
