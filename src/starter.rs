//! The starter report of `nianbao init` and of `serve`'s "blank report": a [`Report`] for an
//! agency and year, written by the model's encoder, so it always has the shape `check` reads:
//! every contract field in place, balanced all-zero tables with explicit totals, a signature date
//! inside the 条例第四十九条 window. Guidance sits in `x-…` keys, which the input format ignores;
//! optional overrides (`title`, `preamble`, `headings`, `id`, `signature.seal`) are present too,
//! switched off by an `x-` prefix. [`carry_over`] fills in what last year's report fixes.

use crate::model::encode::{to_json, Json};
use crate::model::tables::{Heading, TABLE3_ROW_COUNT};
use crate::model::{
    schema, Applications, CaseGroup, Contact, Headings, Report, ReviewLitigation, Row, Section, Signature, Subsection,
    FORMAT_2021,
};
use crate::resolve::{report_name, resolve};

/// What last year's report fixes in this year's: 二、上年结转 is last year's 四、结转下年度继续办理
/// (rule 7), 现行有效件数 starts from last year's (rule 7: + issued − repealed), the contact
/// block, the signing agency and the id stay the same.
pub fn carry_over(report: &mut Report, prev: &Report) {
    use crate::model::tables::row;
    let forward = prev.applications.rows[row::CARRIED_FORWARD];
    let carried = &mut report.applications.rows[row::CARRIED_OVER];
    carried.cells = forward.cells;
    carried.total = None;
    // New requests are unknown yet; the starter's zeros would make the table unbalanced only
    // through what the clerk has still to fill in, which the 勾稽 row shows.
    report.active_disclosure.regulations.in_force = prev.active_disclosure.regulations.in_force;
    report.active_disclosure.normative_documents.in_force = prev.active_disclosure.normative_documents.in_force;
    report.contact = prev.contact.clone();
    report.signature.agency = prev.signature.agency.clone().or(Some(report.agency.clone()));
    report.id = prev.id.clone();
}

fn s(text: &str) -> String {
    text.to_string()
}

fn placeholder_section(paragraphs: &[&str], subsections: &[(&str, &str)]) -> Section {
    Section {
        paragraphs: paragraphs.iter().map(|p| s(p)).collect(),
        subsections: subsections
            .iter()
            .map(|(title, para)| Subsection { title: s(title), paragraphs: vec![s(para)] })
            .collect(),
    }
}

/// The starter as a report: placeholder text, all counts zero with their totals written out.
pub fn starter(agency: &str, year: i64) -> Report {
    let zero_row = Row { cells: [0; 6], total: Some(0), given: true };
    let zero_group = CaseGroup { total: Some(0), ..CaseGroup::default() };
    Report {
        format: s(FORMAT_2021),
        agency: s(agency),
        year,
        title: None,
        preamble: None,
        contact: Contact {
            office: format!("{agency}办公室"),
            address: Some(s("（请填写联系地址）")),
            postcode: Some(s("000000")),
            phone: Some(s("0000-0000000")),
            fax: Some(s("0000-0000000")),
            website_name: Some(s("（请填写网站名称）")),
            website_url: Some(s("https://www.example.com/")),
            email: Some(s("gongkai@example.com")),
        },
        overview: placeholder_section(
            &[&format!("{year}年，{agency}（请概述本年度政府信息公开工作的总体情况。）")],
            &[
                ("主动公开情况", "（请写明主动公开政府信息的数量、渠道和重点领域信息公开情况。）"),
                ("依申请公开情况", "（请写明收到和办理政府信息公开申请的情况，与表三的数字一致。）"),
                ("政府信息管理情况", "（请写明政府信息管理、保密审查和动态更新情况。）"),
                ("平台建设情况", "（请写明政府网站、政务新媒体等公开平台的建设情况。）"),
                ("监督保障情况", "（请写明工作机制、培训、考核和社会评议等情况。）"),
            ],
        ),
        active_disclosure: Default::default(),
        applications: Applications { rows: [zero_row; TABLE3_ROW_COUNT] },
        review_litigation: ReviewLitigation {
            review: zero_group,
            litigation_direct: zero_group,
            litigation_after_review: zero_group,
        },
        problems: placeholder_section(
            &["（请写明本年度政府信息公开工作存在的主要问题。）", "（请写明上一年度问题的改进情况和下一步工作措施。）"],
            &[],
        ),
        other_matters: placeholder_section(
            &[],
            &[
                ("信息处理费收取情况", "（请写明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况。）"),
                ("人大代表建议和政协委员提案办理结果公开情况", "（请写明建议提案办理结果的公开情况。）"),
                ("落实上级年度政务公开工作要点情况", "（请写明落实上级年度政务公开工作要点的情况。）"),
            ],
        ),
        signature: Signature {
            agency: Some(s(agency)),
            date: chrono::NaiveDate::from_ymd_opt((year + 1) as i32, 1, 20),
            seal: None,
        },
        headings: Headings::default(),
        id: None,
    }
}

/// Insert `key: value` into an object right after the member `after`; first when `after` is empty,
/// last when it is absent.
fn insert_after(obj: &mut Json, after: &str, key: &str, value: Json) {
    if let Json::Object(members) = obj {
        let at = if after.is_empty() {
            0
        } else {
            members.iter().position(|(k, _)| k == after).map(|i| i + 1).unwrap_or(members.len())
        };
        members.insert(at, (key.to_string(), value));
    }
}

fn member<'a>(obj: &'a mut Json, key: &str) -> Option<&'a mut Json> {
    match obj {
        Json::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn text(t: &str) -> Json {
    Json::String(t.to_string())
}

fn lines(ls: &[&str]) -> Json {
    Json::Array(ls.iter().map(|l| text(l)).collect())
}

/// The starter as input-format JSON, with the guidance keys.
pub fn starter_text(agency: &str, year: i64) -> String {
    let report = starter(agency, year);
    let resolved = resolve(&report, None);
    let mut root = to_json(&report);

    if let Json::Object(members) = &mut root {
        members.insert(0, (s("$schema"), Json::String(format!("./{}", schema::FILE_NAME))));
        members.insert(
            1,
            (
                s("x-说明"),
                lines(&[
                    "这是 nianbao init 生成的起始报告：请替换括号中的提示文字和各表数字，再运行 nianbao check 检查。",
                    "以 x- 开头的键是说明或备用字段，程序忽略它们；要启用 x-title、x-preamble、x-headings、x-id、signature.x-seal，去掉 x- 前缀即可。",
                    "运行 nianbao schema -o report-2021.schema.json 可生成 $schema 指向的文件，编辑器据此提示每个字段的含义。",
                    "A starter report from `nianbao init`: replace the bracketed prompts and the numbers, then run `nianbao check`. Keys starting with x- are ignored; drop the prefix to use an optional field.",
                ]),
            ),
        );
    }
    insert_after(&mut root, "year", "x-title", Json::String(format!("{agency}\n{}", report_name(year))));
    insert_after(
        &mut root,
        "x-title",
        "x-preamble",
        lines(&resolved.preamble.iter().map(String::as_str).collect::<Vec<_>>()),
    );
    insert_after(
        &mut root,
        "x-preamble",
        "x-说明-preamble",
        text("x-title 与 x-preamble 是省略 title、preamble 时自动生成的内容；改名为 title、preamble 后即可改写（改写后不再随 agency、contact 自动更新）。"),
    );
    insert_after(
        &mut root,
        "x-说明-preamble",
        "x-id",
        text("（可选：统一社会信用代码等稳定标识，批量处理时用于文件名）"),
    );

    if let Some(t2) = member(&mut root, "active_disclosure") {
        insert_after(
            t2,
            "",
            "x-说明",
            text("表二：规章和行政规范性文件填本年制发、本年废止、现行有效件数；licensing、penalty、coercion 填本年处理决定数量；fees 为行政事业性收费金额（万元），按原样打印。"),
        );
    }
    if let Some(t3) = member(&mut root, "applications") {
        insert_after(
            t3,
            "",
            "x-说明",
            text("表三：每行 6 个数依次为自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他，第 7 个数为总计（可省略，程序计算）。勾稽关系：new + carried_over = results.total + carried_forward（每一列）。"),
        );
    }
    if let Some(t4) = member(&mut root, "review_litigation") {
        insert_after(
            t4,
            "",
            "x-说明",
            text("表四：total（总计）= upheld（结果维持）+ corrected（结果纠正）+ other（其他结果）+ pending（尚未审结）。"),
        );
    }
    if let Some(sig) = member(&mut root, "signature") {
        insert_after(sig, "date", "x-seal", text("seal.png"));
        insert_after(
            sig,
            "x-seal",
            "x-说明",
            text("date 为成文日期（YYYY-MM-DD），应在次年1月31日之前；加盖印章时把 x-seal 改为 seal 并填写 PNG 或 SVG 图片路径（相对于本文件所在目录）。"),
        );
    }
    let headings = Heading::ALL.iter().fold(Json::Object(Vec::new()), |j, h| j.with(h.key(), text(h.label())));
    insert_after(&mut root, "signature", "x-headings", headings);
    root.to_pretty()
}
