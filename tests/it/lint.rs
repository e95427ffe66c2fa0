//! Proofreading lints: narrative figures against the tables and the text lints, each with a
//! true case and a near-miss drawn from realistic report sentences, on the real samples, on
//! generated samples, and through `nianbao check` (`--allow`, `--lint-config`, `--fix`).

use std::path::Path;
use std::process::Command;

use crate::common::*;
use nianbao::diag::Diagnostic;
use nianbao::inspect::{check_bytes, check_bytes_with};
use nianbao::lint::figures::{claims, Cell};
use nianbao::lint::LintConfig;
use nianbao::model::tables::{row, DocColumn, DocRow, Outcome, ResultGroup, ValueRow};
use serde_json::Value;

fn lints(text: &str) -> Vec<Diagnostic> {
    let c = check_bytes(text.as_bytes(), None);
    assert!(!c.has_errors(), "{:?}", c.diagnostics.iter().filter(|d| d.is_error()).collect::<Vec<_>>());
    c.diagnostics.0.into_iter().filter(|d| nianbao::lint::rules().any(|r| r.id == d.rule)).collect()
}

fn of_rule<'a>(ds: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
    ds.iter().filter(|d| d.rule == rule).collect()
}

fn involved<'a>(d: &'a Diagnostic, what: &str) -> Option<&'a str> {
    d.involved.iter().find(|i| i.what == what).map(|i| i.value.as_str())
}

/// The lanshan 2023 sample (new 174, carried over 6, handled 170, carried forward 10, review 7,
/// litigation 2 + 1, 行政规范性文件 4/2/16, licensing 8642, penalty 1376, coercion 214, fees
/// 12.5 万元) with the 依申请公开 subsection's paragraphs replaced.
fn lanshan_with(paragraphs: &[&str]) -> String {
    let mut v: Value = serde_json::from_str(&sample(LANSHAN_2023)).unwrap();
    v["overview"]["subsections"][1]["paragraphs"] = serde_json::json!(paragraphs);
    serde_json::to_string_pretty(&v).unwrap()
}

/// Narrative findings for one paragraph put in the 依申请公开 subsection of lanshan 2023.
fn figure_findings(paragraph: &str) -> Vec<Diagnostic> {
    lints(&lanshan_with(&[paragraph])).into_iter().filter(|d| d.rule == "narrative-figure").collect()
}

// ---------------------------------------------------------------------------------------------
// The samples

#[test]
fn wendeng_reports_the_repeated_zunxun_and_nothing_else() {
    let text = sample(WENDENG);
    let found = lints(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.rule, "repeated-text");
    assert_eq!(d.severity, nianbao::diag::Severity::Warning);
    assert_eq!(d.path, "overview.subsections[2].paragraphs[0]");
    let span = d.span.clone().unwrap();
    assert_eq!(&text[span], "遵循遵循");
    let paragraph: Value = serde_json::from_str(&text).unwrap();
    let p = paragraph["overview"]["subsections"][2]["paragraphs"][0].as_str().unwrap();
    let offset: usize = involved(d, "字符位置 / char offset").unwrap().parse().unwrap();
    assert_eq!(p.chars().skip(offset).take(4).collect::<String>(), "遵循遵循");
    assert!(d.message_zh.contains("严格遵循遵循“谁主管"), "{}", d.message_zh);
    assert_eq!(d.line, Some(line_of(&text, "严格遵循遵循")));
}

#[test]
fn lanshan_samples_are_clean_alone_and_across_years() {
    for name in [LANSHAN_2022, LANSHAN_2023] {
        assert_eq!(lints(&sample(name)), Vec::<Diagnostic>::new(), "{name}");
    }
    let prev = nianbao::model::decode(&sample(LANSHAN_2022)).report.unwrap();
    let c = check_bytes(sample(LANSHAN_2023).as_bytes(), Some(&prev));
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
}

/// The figures of the samples are read, and all agree with their tables: the silence above is
/// a comparison that passed, not a comparison that never ran.
#[test]
fn sample_figures_are_read_and_match() {
    let read = |name: &str| -> Vec<(Vec<Cell>, String)> {
        let r = nianbao::model::decode(&sample(name)).report.unwrap();
        let mut out = Vec::new();
        for (key, s) in [("overview", &r.overview), ("problems", &r.problems), ("other_matters", &r.other_matters)] {
            let _ = key;
            for p in &s.paragraphs {
                out.extend(claims(p, None, r.year).into_iter().map(|c| (c.cells, c.value.normalize().to_string())));
            }
            for sub in &s.subsections {
                for p in &sub.paragraphs {
                    out.extend(
                        claims(p, Some(&sub.title), r.year)
                            .into_iter()
                            .map(|c| (c.cells, c.value.normalize().to_string())),
                    );
                }
            }
        }
        out
    };
    let main =
        |v: &[(Vec<Cell>, String)]| -> Vec<(Cell, String)> { v.iter().map(|(c, n)| (c[0], n.clone())).collect() };
    assert_eq!(
        main(&read(LANSHAN_2023)),
        vec![
            (Cell::Item(ValueRow::Licensing), "8642".into()),
            (Cell::Item(ValueRow::Penalty), "1376".into()),
            (Cell::Item(ValueRow::Coercion), "214".into()),
            (Cell::Doc(DocRow::NormativeDocuments, DocColumn::Issued), "4".into()),
            (Cell::Doc(DocRow::NormativeDocuments, DocColumn::Repealed), "2".into()),
            (Cell::Doc(DocRow::NormativeDocuments, DocColumn::InForce), "16".into()),
            (Cell::New, "174".into()),
            (Cell::CarriedOver, "6".into()),
            (Cell::Handled, "170".into()),
            (Cell::Result(Outcome::Row(row::RESULTS_FIRST)), "68".into()),
            (Cell::Result(Outcome::Row(row::RESULTS_FIRST + 1)), "15".into()),
            (Cell::Result(Outcome::Group(ResultGroup::Denied)), "23".into()),
            (Cell::Result(Outcome::Group(ResultGroup::UnableToProvide)), "41".into()),
            (Cell::Result(Outcome::Group(ResultGroup::NotProcessed)), "17".into()),
            (Cell::Result(Outcome::Group(ResultGroup::Other)), "6".into()),
            (Cell::CarriedForward, "10".into()),
            (Cell::Review, "7".into()),
            (Cell::Litigation, "3".into()),
        ]
    );
    let l22 = main(&read(LANSHAN_2022));
    for want in [
        (Cell::Doc(DocRow::NormativeDocuments, DocColumn::Issued), "3"),
        (Cell::Doc(DocRow::NormativeDocuments, DocColumn::Repealed), "1"),
        (Cell::Doc(DocRow::NormativeDocuments, DocColumn::InForce), "14"),
        (Cell::New, "123"),
        (Cell::CarriedOver, "3"),
        (Cell::Handled, "120"),
        (Cell::CarriedForward, "6"),
        (Cell::Result(Outcome::Row(row::RESULTS_FIRST)), "49"),
        (Cell::Review, "4"),
        (Cell::Litigation, "2"),
    ] {
        assert!(l22.contains(&(want.0, want.1.to_string())), "{want:?} not read from lanshan 2022: {l22:?}");
    }
    let w = main(&read(WENDENG));
    assert!(w.contains(&(Cell::New, "5".into())), "受理答复政府信息公开申请5件: {w:?}");
    assert!(
        w.contains(&(Cell::Review, "0".into())) && w.contains(&(Cell::Litigation, "0".into())),
        "未产生行政复议和行政诉讼情况: {w:?}"
    );
}

/// Generated reports state their own tables in many shapes; none may raise a text finding.
#[test]
fn generated_samples_raise_no_false_alarm() {
    let set = nianbao::sample::generate(120, 11);
    let mut seen = 0;
    for s in &set.reports {
        let text = nianbao::model::encode::to_string(&s.report);
        let mut found = lints(&text);
        // An empty subsection the generator really wrote is a true finding, not a false alarm.
        found.retain(|d| d.rule != "empty-section" || !really_empty(&s.report, &d.path));
        assert!(found.is_empty(), "{}: {found:#?}", s.path.display());
        seen += claims_in(&s.report);
    }
    assert!(seen > 500, "the generated texts' figures are read ({seen})");
}

/// Whether `path` (`overview.subsections[3]`) names a subsection without text.
fn really_empty(r: &nianbao::model::Report, path: &str) -> bool {
    let Some((key, rest)) = path.split_once(".subsections[") else { return false };
    let Ok(j) = rest.trim_end_matches(']').parse::<usize>() else { return false };
    let section = match key {
        "overview" => &r.overview,
        "problems" => &r.problems,
        "other_matters" => &r.other_matters,
        _ => return false,
    };
    section.subsections.get(j).is_some_and(|s| s.paragraphs.iter().all(|p| p.trim().is_empty()))
}

fn claims_in(r: &nianbao::model::Report) -> usize {
    let mut n = 0;
    for s in [&r.overview, &r.problems, &r.other_matters] {
        n += s.paragraphs.iter().map(|p| claims(p, None, r.year).len()).sum::<usize>();
        for sub in &s.subsections {
            n += sub.paragraphs.iter().map(|p| claims(p, Some(&sub.title), r.year).len()).sum::<usize>();
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// narrative-figure: true cases

fn one_finding(paragraph: &str, cell_path: &str, table: &str, figure: &str) {
    let found = figure_findings(paragraph);
    assert_eq!(found.len(), 1, "{paragraph}: {found:#?}");
    let d = &found[0];
    assert_eq!(d.path, "overview.subsections[1].paragraphs[0]");
    assert_eq!(involved(d, cell_path), Some(table), "{d:#?}");
    assert_eq!(involved(d, "正文 / text"), Some(figure), "{d:#?}");
    let text = lanshan_with(&[paragraph]);
    assert_eq!(&text[d.span.clone().unwrap()], figure, "the span covers the figure");
    let offset: usize = involved(d, "字符位置 / char offset").unwrap().parse().unwrap();
    assert_eq!(paragraph.chars().skip(offset).take(figure.chars().count()).collect::<String>(), figure);
    assert!(d.message_zh.contains(figure) && d.message_zh.contains("原句"), "{}", d.message_zh);
}

#[test]
fn applications_received_contradicting_table_three() {
    one_finding("全年共受理政府信息公开申请12件，均在法定期限内答复。", "applications.new[6]", "174", "12件");
    one_finding("2023年本局共收到政府信息公开申请一百七十一件。", "applications.new[6]", "174", "一百七十一件");
    one_finding("全年新收政府信息公开申请1.2万件。", "applications.new[6]", "174", "1.2万件");
    one_finding("本年度共受理12件政府信息公开申请。", "applications.new[6]", "174", "12件");
}

#[test]
fn handled_carried_and_results_contradicting_table_three() {
    one_finding("全年办结政府信息公开申请160件。", "applications.results.total[6]", "170", "160件");
    one_finding("全年办结申请170件；结转下年度继续办理9件。", "applications.carried_forward[6]", "10", "9件");
    one_finding("本年新收政府信息公开申请174件，另有上年结转申请五件。", "applications.carried_over[6]", "6", "五件");
    one_finding(
        "全年办结申请170件，其中予以公开60件、部分公开15件、不予公开23件、无法提供41件、不予处理17件、其他处理6件。",
        "applications.results.granted[6]",
        "68",
        "60件",
    );
    one_finding(
        "全年办结申请170件，其中予以公开68件、部分公开15件、不予公开23件、无法提供40件。",
        "applications.results.unable_to_provide",
        "41",
        "40件",
    );
}

#[test]
fn review_and_litigation_contradicting_table_four() {
    one_finding("本年度因政府信息公开工作被申请行政复议5件。", "review_litigation.review.total", "7", "5件");
    one_finding(
        "本年度因政府信息公开工作被提起行政诉讼一起。",
        "review_litigation.litigation_direct.total + review_litigation.litigation_after_review.total",
        "3",
        "一起",
    );
}

#[test]
fn table_two_figures_contradicting_the_table() {
    one_finding("依法公开行政许可决定8,600件、行政处罚决定1376件。", "active_disclosure.licensing", "8642", "8,600件");
    one_finding("本年度制发行政规范性文件5件、废止2件。", "active_disclosure.normative_documents.issued", "4", "5件");
    one_finding("本年度制发行政规范性文件4件、废止3件。", "active_disclosure.normative_documents.repealed", "2", "3件");
    one_finding(
        "截至年底现行有效的行政规范性文件15件。",
        "active_disclosure.normative_documents.in_force",
        "16",
        "15件",
    );
    one_finding("全年收取行政事业性收费15万元。", "active_disclosure.fees", "12.5", "15万元");
    one_finding("全年收取行政事业性收费12,000元。", "active_disclosure.fees", "12.5", "12,000元");
}

#[test]
fn negative_statements_claim_zero() {
    one_finding("本年度未收到政府信息公开申请。", "applications.new[6]", "174", "未收到政府信息公开申请");
    let found = figure_findings("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。");
    let cells: Vec<&str> = found.iter().filter_map(|d| d.involved.get(2).map(|i| i.what.as_str())).collect();
    assert_eq!(
        cells,
        [
            "review_litigation.review.total",
            "review_litigation.litigation_direct.total + review_litigation.litigation_after_review.total"
        ],
        "{found:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// narrative-figure: near-misses that must stay silent

#[test]
fn figures_that_speak_of_something_else_stay_silent() {
    let silent = [
        // Consistent, in several shapes.
        "2023年本局新收政府信息公开申请174件，较上年增加51件，其中自然人申请132件，法人或其他组织申请42件。",
        "全年共受理政府信息公开申请180件（含上年结转6件），办结170件。",
        "全年共收到政府信息公开申请一百七十四件。",
        "全年收取行政事业性收费125,000元。",
        // A difference, a share, an average.
        "本年度收到的政府信息公开申请较上年增加12件。",
        "全年收到政府信息公开申请同比增长12件。",
        // Sub-counts: applicants, channels, timeliness, topics.
        "全年收到政府信息公开申请174件，其中通过网络收到申请100件、信函收到申请74件。",
        "其中当面申请3件，网上申请171件。",
        "全年办结申请170件，其中按时办结165件。",
        "收到涉及企业登记档案的政府信息公开申请35件。",
        // Another year, another period, another body.
        "2022年共收到政府信息公开申请123件，2023年进一步加强答复规范化建设。",
        "2022年，本局共收到政府信息公开申请123件。",
        "上半年共收到政府信息公开申请80件。",
        "1至6月共受理政府信息公开申请80件。",
        "全区各级行政机关共收到政府信息公开申请1234件。",
        "指导下属市场监管所受理政府信息公开申请20件。",
        // Something else than a disclosure application.
        "办理区政协委员提案1件，办结率100%。",
        "全年收到群众咨询留言30件，均已答复。",
        "受理行政许可申请9000件。",
        "全年实际收取信息处理费0元。",
        "全年审查规范性文件12件。",
        "梳理行政许可事项46个。",
        "围绕行政许可事项制作图解、短视频等解读产品6个。",
        // Approximate, bounded, planned, in brackets.
        "全年收到政府信息公开申请约200件。",
        "全年收到政府信息公开申请200余件。",
        "全年收到政府信息公开申请超过100件。",
        "力争全年办结政府信息公开申请200件。",
        "全年收到申请174件（其中上年结转3件）。",
        // Two tables named at once, results not in the table.
        "被申请行政复议和提起行政诉讼共10件。",
        "截至年底尚未审结3件。",
        "行政复议结果维持3件。",
        // Negative statements that are not about the table.
        "未发生行政复议被纠错的情况。",
        "确保无一起因政府信息公开引发的行政复议。",
        "全年未发生因政府信息公开工作不当被追究责任的情况。",
        "本年度未收取信息处理费。",
        "对不予公开的答复，申请人未申请行政复议或提起行政诉讼。",
        // The body as a review organ.
        "全年办理行政复议案件158件。",
        // Parts of the handled total, work in progress.
        "全年收到政府信息公开申请174件，其中作出不予公开答复23件。",
        "全年收到政府信息公开申请174件，已答复170件，正在办理4件。",
        "全年办结上年结转的政府信息公开申请2件。",
        "全年收到政府信息公开申请174件，延期答复2件。",
        "推进“一件事一次办”改革，受理“一件事”集成服务申请300件。",
    ];
    for p in silent {
        assert_eq!(figure_findings(p), Vec::<Diagnostic>::new(), "{p}");
    }
}

#[test]
fn figures_are_located_through_escapes() {
    // A quote, a newline and a \u escape before the figure change byte offsets in the file.
    let p = "依据“\"条例\"”\n规定，全年共受理政府信息公开申请\u{4e00}\u{5341}\u{4e8c}件。";
    let text = lanshan_with(&[p]).replace("一十二件", "\\u4e00\\u5341\\u4e8c件");
    let found: Vec<Diagnostic> = lints(&text).into_iter().filter(|d| d.rule == "narrative-figure").collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(&text[found[0].span.clone().unwrap()], "\\u4e00\\u5341\\u4e8c件");
    let offset: usize = involved(&found[0], "字符位置 / char offset").unwrap().parse().unwrap();
    assert_eq!(p.chars().nth(offset), Some('一'));
}

// ---------------------------------------------------------------------------------------------
// Text lints: a true case and a near-miss each

fn paragraph_lints(paragraph: &str, rule: &str) -> Vec<Diagnostic> {
    let mut v: Value = serde_json::from_str(&sample(LANSHAN_2023)).unwrap();
    v["overview"]["subsections"][2]["paragraphs"] = serde_json::json!([paragraph]);
    let text = serde_json::to_string_pretty(&v).unwrap();
    lints(&text).into_iter().filter(|d| d.rule == rule).collect()
}

fn spans_of(paragraph: &str, rule: &str) -> Vec<String> {
    let mut v: Value = serde_json::from_str(&sample(LANSHAN_2023)).unwrap();
    v["overview"]["subsections"][2]["paragraphs"] = serde_json::json!([paragraph]);
    let text = serde_json::to_string_pretty(&v).unwrap();
    lints(&text).into_iter().filter(|d| d.rule == rule).map(|d| text[d.span.unwrap()].to_string()).collect()
}

#[test]
fn repeated_text() {
    assert_eq!(spans_of("规范审查程序，严格遵循遵循“谁主管、谁负责”的原则。", "repeated-text"), ["遵循遵循"]);
    assert_eq!(spans_of("这是我们的的重点工作。", "repeated-text"), ["的的"]);
    assert_eq!(spans_of("全面落实全面落实“五公开”要求。", "repeated-text"), ["全面落实全面落实"]);
    for fine in [
        "党委委员、副局长于利波同志为分管负责人。",
        "2021年年底前完成栏目整合，管理局局长任组长。",
        "深入学习习近平新时代中国特色社会主义思想。",
        "逐级负责、层层把关，确保信息常常更新、人人知晓、天天维护。",
        "造成申请人一而再再而三的申请同一信息。",
        "与人民群众生命财产安全息息相关，互动性大大提高。",
        "的的确确做到清清楚楚、明明白白。",
        "为了了解群众需求，开展问卷调查，一步一步推进。",
        "各项工作不了了之的情况得到纠正，目的的实现有赖于制度。",
        "于二〇二二年一月完成，办结率100%，1100件。",
    ] {
        assert_eq!(paragraph_lints(fine, "repeated-text"), Vec::<Diagnostic>::new(), "{fine}");
    }
}

#[test]
fn halfwidth_punctuation() {
    assert_eq!(spans_of("加强组织领导,完善工作制度;明确责任:强化督查。", "halfwidth-punct"), [",", ";", ":"]);
    assert_eq!(spans_of("由局办公室(政工科)负责。", "halfwidth-punct"), ["(", ")"]);
    assert_eq!(spans_of("加强组织领导 , 完善工作制度。", "halfwidth-punct"), [" , "]);
    for fine in [
        "门户网站（http://www.wendeng.gov.cn）可查阅。",
        "全年公开信息1,268条，比例为3:1。",
        "依据鲁政办字(2021)5号文件执行。",
        "上午8:30至12:00受理。",
        "使用Word, Excel等软件。",
    ] {
        assert_eq!(paragraph_lints(fine, "halfwidth-punct"), Vec::<Diagnostic>::new(), "{fine}");
    }
}

/// A text typed with half-width commas throughout lists 20 of them and counts the rest;
/// `--fix` still rewrites every one.
#[test]
fn many_findings_are_counted_not_all_listed() {
    let many = format!("{}完毕。", "公开,".repeat(30));
    let found = paragraph_lints(&many, "halfwidth-punct");
    assert_eq!(found.len(), 21);
    assert!(
        found[20].message_zh.contains("另有 10 处") && found[20].message_zh.contains("共 30 处"),
        "{}",
        found[20].message_zh
    );
    let mut v: Value = serde_json::from_str(&sample(LANSHAN_2023)).unwrap();
    v["overview"]["subsections"][2]["paragraphs"] = serde_json::json!([many]);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let checked = check_bytes(text.as_bytes(), None);
    let input = checked.lint_input(None).unwrap();
    let fixed = nianbao::lint::fix::fix(&input, &LintConfig::default(), false).unwrap().unwrap();
    assert_eq!(fixed.edits.len(), 30);
    assert!(String::from_utf8(fixed.bytes).unwrap().contains(&format!("{}完毕。", "公开，".repeat(30))));
}

#[test]
fn unbalanced_pairs() {
    assert_eq!(spans_of("根据《条例》（以下简称“条例”的规定。", "unbalanced-pair"), ["（"]);
    assert_eq!(spans_of("落实“谁主管、谁负责”原则》。", "unbalanced-pair"), ["》"]);
    assert_eq!(spans_of("落实“谁主管、谁负责“原则。", "unbalanced-pair"), ["“", "“"]);
    assert_eq!(
        paragraph_lints(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和“谁公开、谁审查”要求。",
            "unbalanced-pair"
        ),
        Vec::<Diagnostic>::new()
    );
}

#[test]
fn date_style() {
    assert_eq!(spans_of("于2022年01月05日召开专题会议。", "date-style"), ["2022年01月05日"]);
    assert_eq!(spans_of("于二〇二二年一月五日召开专题会议。", "date-style"), ["二〇二二年一月五日"]);
    // ○ (U+25CB) typed for 〇.
    assert_eq!(spans_of("于二○二二年一月五日召开专题会议。", "date-style"), ["二○二二年一月五日"]);
    assert_eq!(spans_of("于2022-01-05召开专题会议。", "date-style"), ["2022-01-05"]);
    assert_eq!(spans_of("于01月05日召开专题会议。", "date-style"), ["01月05日"]);
    for fine in [
        "统计时限自2021年1月1日起至2021年12月31日止，2021年10月完成。",
        "电话：0631-8360066，邮编264400。",
        "印发《关于二〇二一年度政务公开工作的通知》。",
        "访问http://www.x.gov.cn/2022-01-05/a.html查看。",
        "12月底前完成，01号文件已印发。",
    ] {
        assert_eq!(paragraph_lints(fine, "date-style"), Vec::<Diagnostic>::new(), "{fine}");
    }
}

#[test]
fn empty_sections_and_paragraphs() {
    let mut v: Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    v["overview"]["subsections"][3]["paragraphs"] = serde_json::json!([]);
    v["problems"] = serde_json::json!({ "paragraphs": [" "], "subsections": [] });
    v["overview"]["subsections"][4]["paragraphs"] = serde_json::json!(["区应急管理局信息公开工作由局办公室负责。", ""]);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let found = lints(&text);
    let paths: Vec<&str> = of_rule(&found, "empty-section").iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["overview.subsections[3]", "overview.subsections[4].paragraphs[1]", "problems"]);
    // other_matters has subsections only, problems of the sample has paragraphs only: both fine.
    assert!(of_rule(&lints(&sample(WENDENG)), "empty-section").is_empty());
}

#[test]
fn subsection_title_repeating_its_number() {
    let mut v: Value = serde_json::from_str(&sample(WENDENG)).unwrap();
    v["overview"]["subsections"][0]["title"] = serde_json::json!("（一）主动公开工作情况");
    v["overview"]["subsections"][1]["title"] = serde_json::json!("2、依申请公开工作情况");
    v["overview"]["subsections"][2]["title"] = serde_json::json!("一把手负责制落实情况");
    v["overview"]["subsections"][3]["title"] = serde_json::json!("12345热线办理情况");
    v["headings"] =
        serde_json::json!({ "problems": "五、存在的主要问题及改进情况", "other_matters": "其他需要报告的事项" });
    let text = serde_json::to_string_pretty(&v).unwrap();
    let found = lints(&text);
    let hits: Vec<(String, String)> = of_rule(&found, "repeated-number")
        .iter()
        .map(|d| (d.path.clone(), text[d.span.clone().unwrap()].to_string()))
        .collect();
    assert_eq!(
        hits,
        [
            ("overview.subsections[0].title".to_string(), "（一）".to_string()),
            ("overview.subsections[1].title".to_string(), "2、".to_string()),
            ("headings.problems".to_string(), "五、".to_string()),
        ]
    );
}

#[test]
fn copied_sentences_from_last_year() {
    let prev = nianbao::model::decode(&sample(LANSHAN_2022)).report.unwrap();
    let copied = "坚持公开前保密审查，落实“谁公开、谁审查、谁负责”要求，全年未发生涉密信息公开和不当公开问题。";
    let copied2 = "对区政府门户网站本局信息公开专栏进行全面梳理，新增“企业信用监管”栏目，规范栏目名称和信息分类。";
    let changed = "坚持公开前保密审查，落实“谁公开、谁审查、谁负责”要求，全年未发生涉密信息违规公开问题。";
    let short = "全年未收取信息处理费。";
    let with = |paragraphs: Vec<String>| {
        let mut v: Value = serde_json::from_str(&sample(LANSHAN_2023)).unwrap();
        v["overview"]["subsections"][2]["paragraphs"] = serde_json::json!(paragraphs);
        serde_json::to_string_pretty(&v).unwrap()
    };
    let copies = |text: &str, cfg: &LintConfig| -> Vec<String> {
        let c = check_bytes_with(text.as_bytes(), Some(&prev), cfg);
        c.diagnostics
            .iter()
            .filter(|d| d.rule == "copied-sentence")
            .map(|d| text[d.span.clone().unwrap()].to_string())
            .collect()
    };
    let text = with(vec![format!("{copied}{changed}{short}"), copied2.to_string()]);
    assert_eq!(copies(&text, &LintConfig::default()), [copied, copied2]);
    let c = check_bytes(text.as_bytes(), Some(&prev));
    let d = c.diagnostics.iter().find(|d| d.rule == "copied-sentence").unwrap();
    assert!(d.message_zh.contains("overview.subsections[2].paragraphs[0]"), "{}", d.message_zh);
    // One carried-over sentence is normal; a rewritten or short one is not a copy.
    let one = with(vec![format!("{copied}{changed}{short}")]);
    assert_eq!(copies(&one, &LintConfig::default()), Vec::<String>::new());
    let strict = LintConfig::from_toml("[copied-sentence]\nmin_sentences = 1\nmin_chars = 5\n", "x").unwrap();
    assert_eq!(copies(&one, &strict), [copied]);
    // Without --previous there is nothing to compare with.
    assert!(check_bytes(text.as_bytes(), None).diagnostics.iter().all(|d| d.rule != "copied-sentence"));
}

// ---------------------------------------------------------------------------------------------
// Configuration and the command line

#[test]
fn config_switches_rules_off() {
    let text = sample(WENDENG);
    let cfg = LintConfig::from_toml("[rules]\nrepeated-text = false\n", "lint.toml").unwrap();
    assert!(check_bytes_with(text.as_bytes(), None, &cfg).diagnostics.is_empty());
    let cfg = LintConfig::from_toml("[repeated-text]\nallow = [\"遵循遵循\"]\n", "lint.toml").unwrap();
    assert!(check_bytes_with(text.as_bytes(), None, &cfg).diagnostics.is_empty());
    let cfg = LintConfig::from_cli(None, &["repeated-text".into()]).unwrap();
    assert!(check_bytes_with(text.as_bytes(), None, &cfg).diagnostics.is_empty());
    assert!(LintConfig::from_cli(None, &["repeated".into()]).is_err());
}

fn nianbao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao")).args(args).output().expect("nianbao runs")
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn check_command_shows_lints_in_both_formats() {
    let wendeng = sample_path(WENDENG);
    let o = nianbao(&["check", path_str(&wendeng)]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("warning[repeated-text]") && err.contains("遵循遵循"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 个警告"));

    let o = nianbao(&["check", "--message-format", "json", path_str(&wendeng)]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "repeated-text");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "overview.subsections[2].paragraphs[0]");

    let o = nianbao(&["check", "--deny-warnings", "--allow", "repeated-text", path_str(&wendeng)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));

    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("lint.toml");
    std::fs::write(&cfg, "[rules]\nrepeated-text = false\n").unwrap();
    let o = nianbao(&["check", "--deny-warnings", "--lint-config", path_str(&cfg), path_str(&wendeng)]);
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(&cfg, "[rules]\nrepeted-text = false\n").unwrap();
    let o = nianbao(&["check", "--lint-config", path_str(&cfg), path_str(&wendeng)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("repeated-text"), "did-you-mean");
    assert_eq!(nianbao(&["check", "--allow", "no-such-rule", path_str(&wendeng)]).status.code(), Some(2));
}

#[test]
fn fix_writes_a_new_file_and_shows_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("report.json");
    let original = replace_once(
        &sample(WENDENG),
        "局办公室（政工科）进行具体负责，局机关各科室",
        "局办公室(政工科)进行具体负责,局机关各科室于2022年01月05日",
    );
    std::fs::write(&input, &original).unwrap();
    let o = nianbao(&["check", "--fix", path_str(&input)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), original, "the input is never touched");
    let fixed_path = dir.path().join("report.fixed.json");
    let fixed = std::fs::read_to_string(&fixed_path).unwrap();
    let line = line_of(&original, "(政工科)");
    assert!(out.contains(&format!("@@ -{line} +{line} @@")), "{out}");
    let added = out.lines().find(|l| l.starts_with("+ ")).unwrap_or_default();
    assert!(added.contains("局办公室（政工科）进行具体负责，局机关各科室于2022年1月5日及下属"), "{out}");
    assert!(out.contains("已改正 4 处"), "{out}");
    // Only that line changed; the rest of the file keeps its formatting byte for byte.
    let diff: Vec<(&str, &str)> = original.lines().zip(fixed.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(diff.len(), 1);
    assert_eq!(original.lines().count(), fixed.lines().count());
    // The repeated 遵循 is not a safe rewrite: still there, and still reported.
    assert!(fixed.contains("遵循遵循"));
    let o = nianbao(&["check", path_str(&fixed_path)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("halfwidth-punct") && !err.contains("date-style") && err.contains("repeated-text"), "{err}");

    // --fix-output names the file; the input itself is refused as output.
    let chosen = dir.path().join("out.json");
    let o =
        nianbao(&["check", "--fix", "--fix-output", path_str(&chosen), "--message-format", "json", path_str(&input)]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["fix"]["edits"], 4);
    assert_eq!(std::fs::read_to_string(&chosen).unwrap(), fixed);
    let o = nianbao(&["check", "--fix", "--fix-output", path_str(&input), path_str(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), original);

    // Nothing to rewrite: nothing written.
    let clean = dir.path().join("clean.json");
    std::fs::write(&clean, sample(LANSHAN_2023)).unwrap();
    let o = nianbao(&["check", "--fix", path_str(&clean)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!dir.path().join("clean.fixed.json").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains("没有可自动改正的问题"));
}

/// `build` and `batch` take the same lint choices as `check`: the findings they print and
/// record follow `--allow` and `--lint-config`, and a bad configuration is a usage error.
#[test]
fn build_and_batch_follow_the_lint_configuration() {
    let wendeng = sample_path(WENDENG);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = path_str(&out);
    let build = |extra: &[&str]| {
        let mut args = vec!["build", path_str(&wendeng), "-o", out, "--fonts", "bundled"];
        args.extend_from_slice(extra);
        nianbao(&args)
    };
    let o = build(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("warning[repeated-text]"));
    let o = build(&["--allow", "repeated-text"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("repeated-text"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(build(&["--allow", "no-such-rule"]).status.code(), Some(2));

    let cfg = dir.path().join("lint.toml");
    std::fs::write(&cfg, "[repeated-text]\nallow = [\"遵循遵循\"]\n").unwrap();
    let manifest_warnings = |extra: &[&str]| {
        let batch_out = dir.path().join("batch");
        let mut args = vec!["batch", path_str(&wendeng), "-o", path_str(&batch_out), "--fonts", "bundled"];
        args.extend_from_slice(extra);
        let o = nianbao(&args);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let m: Value = serde_json::from_slice(&std::fs::read(batch_out.join("manifest.json")).unwrap()).unwrap();
        let rules: Vec<String> = m["reports"][0]["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["rule"].as_str().unwrap().to_string())
            .collect();
        rules
    };
    assert_eq!(manifest_warnings(&[]), ["repeated-text"]);
    assert!(manifest_warnings(&["--lint-config", path_str(&cfg)]).is_empty());
}
