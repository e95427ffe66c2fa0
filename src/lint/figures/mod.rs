//! `narrative-figure`: figures the text quotes, compared with the tables (official-format §3.3:
//! 「全年共收到政府信息公开申请N件」 must match table 三, and likewise table 四 and table 二).
//!
//! A figure is a number (`174`, `8,642`, `十二`, `1.2万`) with a unit (件 宗 起 份 部 个, 元 and
//! 万元/亿元). What it counts is read from the words between it and the previous figure or
//! clause break (its *segment*): 收到/受理/新收…申请 is table 三 本年新收, 办结/答复 its （七）总计,
//! 上年结转 and 结转下年度 the carry rows, 予以公开/不予公开/… the result groups, 被申请行政复议
//! and 被提起行政诉讼 table 四, 制发/废止/现行有效 + 规章/规范性文件 and 行政许可/行政处罚/行政强制/
//! 行政事业性收费 table 二. Negative statements (未收到政府信息公开申请, 未发生行政复议和行政诉讼)
//! claim a zero.
//!
//! Silence is preferred to a false alarm. A figure is left alone when its words are ambiguous
//! (two tables named), approximate (约, 余, 左右), relative (较上年增加, 同比), a sub-count (其中
//! 自然人申请, 网上申请, 按时办结), of another year or period (2020年, 上半年, 1至6月), of another
//! body (全区, 各乡镇, 下属单位), about something else (建议提案, 投诉举报, 信息处理费 — which is
//! not table 二's 行政事业性收费), in brackets, or planned (计划, 力争).
//!
//! One concern a file: `vocabulary` holds the word lists (data in `vocabulary.toml`), `scan`
//! reads a paragraph into figures and the claims they make, `classify` decides what one figure
//! states, `period` reads the times named in text, and `lookup` finds a claimed cell's value
//! in the tables; this file compares the claims with the tables and reports.

mod classify;
mod lookup;
mod period;
mod scan;
mod vocabulary;

use std::ops::Range;

use rust_decimal::Decimal;

pub use lookup::Cell;
pub use scan::{claims, Claim};

use super::source::{Kind, Located};
use super::{finding, sentence_at, Findings, Input, Tally};
use lookup::{lookup, TableValue};
use scan::claims_of;

/// The characters `r` of `c` (cut at its end) as a string, for `scan` and `period`.
fn text(c: &[char], r: Range<usize>) -> String {
    c[r.start.min(c.len())..r.end.min(c.len())].iter().collect()
}

fn within(a: &str, b: &str) -> bool {
    let inside = |inner: &str, outer: &str| {
        inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    !a.is_empty() && !b.is_empty() && (inside(a, b) || inside(b, a))
}

fn fmt_value(v: Decimal) -> String {
    v.normalize().to_string()
}

/// Compare every figure of sections 一, 五 and 六 with the tables.
pub fn check(input: &Input, units: &[Located], out: &mut Findings) {
    let r = input.report;
    for u in units.iter().filter(|u| u.unit.kind == Kind::Paragraph) {
        let mut tally = Tally::new("narrative-figure");
        for claim in claims_of(&u.chars, u.unit.text, u.unit.subsection_title, r.year) {
            let values: Vec<TableValue> = claim.cells.iter().filter_map(|&cell| lookup(r, cell)).collect();
            if values.len() != claim.cells.len() || values.is_empty() {
                continue;
            }
            if values.iter().any(|v| input.broken.iter().any(|b| within(b, &v.scope))) {
                continue;
            }
            if values.iter().any(|v| v.value == claim.value) || !tally.next() {
                continue;
            }
            let main = &values[0];
            let figure = u.slice(claim.range.clone());
            let sentence = sentence_at(&u.chars, claim.range.clone());
            let fees = claim.cells == [Cell::Fees];
            let stated = if fees { format!("{} 万元", fmt_value(claim.value)) } else { fmt_value(claim.value) };
            let table = if fees { format!("{} 万元", fmt_value(main.value)) } else { fmt_value(main.value) };
            let mut d = finding(
                "narrative-figure",
                u,
                claim.range.clone(),
                format!(
                    "正文与表格不一致：正文“{figure}”（即 {stated}），而{}为 {table}。原句：“{sentence}”",
                    main.label
                ),
                format!("the text says `{figure}` ({stated}) but the table has {table} at {}", main.path),
            )
            .with_involved("正文 / text", &figure)
            .with_involved(&main.path, fmt_value(main.value));
            for other in &values[1..] {
                d = d.with_involved(&other.path, fmt_value(other.value));
            }
            out.diagnostics.push(d.with_hint(
                "核对正文或表格；若该数字另有所指（分项、其他年度、其他机关），请改写句子说明口径，或以 --allow narrative-figure 关闭此项检查 / check the text or the table; if the figure means something else, say so in the sentence or switch the rule off",
            ));
        }
        tally.finish(&u.unit.path, out);
    }
}
