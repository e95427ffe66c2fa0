//! The summary as an input-format report: the sums written into tables 二, 三 and 四, marked
//! placeholders where the office must write, and its text with the `x-summary` note (what was
//! summed, what was left out, which fields are placeholders) and an `x-note` in each table.

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::model::encode::{to_json, Json};
use crate::model::tables::{Heading, Table3Column};
use crate::model::{
    ActiveDisclosure, Amount, Applications, Contact, Headings, Report, ReviewLitigation, Section, Signature,
    FORMAT_2021,
};

use super::breakdown::Breakdown;
use super::cells::{CellDef, Slot, Value};
use super::gather::Skipped;
use super::sum::overflow;
use super::SummaryOptions;

/// Placeholder text of the fields the office must write (marked （请填写…） like `nianbao init`).
pub const PLACEHOLDER_OFFICE: &str = "（请填写联系机构）";
pub const PLACEHOLDER_PHONE: &str = "（请填写联系电话）";

fn placeholder_section(text: String) -> Section {
    Section { paragraphs: vec![text], subsections: Vec::new() }
}

/// The summary as a report: the sums in tables 二, 三, 四 (every total written out, so `check`
/// verifies the additions), marked placeholders everywhere the office must write.
pub(super) fn build_report(
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
pub(super) fn summary_text(report: &Report, b: &Breakdown, skipped: &[Skipped], placeholders: &[&str]) -> String {
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
