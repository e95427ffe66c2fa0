//! Table 三 (official-format §2.4): its rows beneath the group cells, with or without the 总计
//! column, a 小计 column recognised by its sum and dropped, and the single （六）其他处理 row of
//! the 2019 format.

use super::assemble::{assemble, RawRow, Rules};
use super::label::{exact, is_unit_note, made_of, norm, piece_of, Candidate};
use super::row_match::RowMatch;
use super::value::counts;
use super::{row_tokens, span_of, unplace_row, unplace_tokens, wrong_count};
use crate::import::{Ctx, Token};
use crate::model::tables::{
    row, ResultGroup, Table3Column, TABLE3_APPLICANT_HEAD, TABLE3_NOTE, TABLE3_ORG_HEAD, TABLE3_RESULTS_LABEL,
    TABLE3_ROWS,
};
use crate::model::{Applications, Row};

/// Why a row made of a group cell and numbers is not read.
const SUBTOTAL_ZH: &str = "分组合计行，官方表格中没有这一行";
const SUBTOTAL_EN: &str = "a group subtotal row, which the official table does not have";

/// Table 三 (official-format §2.4) from its cells. `None` when no row of it was found.
pub fn table3(tokens: &[Token], ctx: &mut Ctx) -> Option<Applications> {
    let cands: Vec<Candidate> = TABLE3_ROWS.iter().map(|r| Candidate::new(r.label)).collect();
    let mut groups: Vec<String> = vec![norm(TABLE3_RESULTS_LABEL)];
    groups.extend(ResultGroup::ALL.iter().map(|g| norm(g.label())));
    // （六）其他处理, the group the 2019 format prints as one row.
    let other_group = 1 + ResultGroup::Other.index();
    let mut words: Vec<String> = Table3Column::ALL.iter().map(|c| norm(c.label())).collect();
    words.extend([norm(TABLE3_NOTE), norm(TABLE3_APPLICANT_HEAD), norm(TABLE3_ORG_HEAD), "小计".to_string()]);
    let vocab = |n: &str| piece_of(n, &words) || is_unit_note(n);
    let known = |n: &str| exact(&strip_groups(n, &groups), &cands).is_some();
    let a = assemble(tokens, &Rules { groups: &groups, vocab: &vocab, known: &known, header_first: true });

    let header: Vec<String> = a.header.iter().map(|t| norm(&t.text)).collect();
    let has_total = header.iter().any(|h| h.contains(Table3Column::Total.label()));
    let has_subtotal = header.iter().any(|h| h.contains("小计"));
    let mut rows = RowMatch::new("表三", "table 三", &cands, TABLE3_ROWS.iter().map(|r| (r.label, r.key)).collect());
    rows.unplace_header(ctx, &a.header, |n| vocab(n) || made_of(n, &words));
    unplace_tokens(ctx, &a.stray, "表三中不属于任何一行的数字", "a number in table 三 outside any row");

    let mut out = Applications::default();
    let mut other_2019: Option<&RawRow> = None;
    for raw in &a.rows {
        if let Some(g) = raw.from_group {
            if a.groups[g].target == other_group {
                other_2019 = Some(raw);
            } else {
                unplace_row(ctx, raw, SUBTOTAL_ZH, SUBTOTAL_EN);
            }
            continue;
        }
        let Some(i) = rows.claim(ctx, raw, &strip_groups(&raw.label(), &groups), &known) else { continue };
        if let Some(r) = table3_row(ctx, raw, TABLE3_ROWS[i].label, has_total, has_subtotal) {
            place_row(ctx, TABLE3_ROWS[i].key, raw);
            out.rows[i] = r;
        }
    }

    // The 2019 format has one （六）其他处理 row: its count goes to 3.其他, the only sub-row
    // that does not claim a reason the 2019 table did not ask for.
    let other_rows: Vec<usize> = ResultGroup::Other.rows().collect();
    let other_label = ResultGroup::Other.label();
    if let Some(raw) = other_2019 {
        if other_rows.iter().any(|&i| rows.taken[i]) {
            unplace_row(ctx, raw, SUBTOTAL_ZH, SUBTOTAL_EN);
        } else if let Some(r) = table3_row(ctx, raw, other_label, has_total, has_subtotal) {
            let target = row::RESULTS_LAST;
            ctx.warn(
                "import-2019-row",
                Some(span_of(&row_tokens(raw))),
                format!(
                    "表三按 2019 年格式只有一行“{}”，其数字记入 2021 年格式的“{}”；另两项（逾期不补正、逾期未缴费）记为 0",
                    other_label, TABLE3_ROWS[target].label
                ),
                format!(
                    "table 三 has the single 2019 row `{}`; its numbers go to `{}` of the 2021 format, the other two sub-rows are 0",
                    other_label, TABLE3_ROWS[target].key
                ),
            );
            for &i in &other_rows {
                rows.taken[i] = true;
            }
            place_row(ctx, TABLE3_ROWS[target].key, raw);
            out.rows[target] = r;
        }
    }
    if rows.none_found() {
        return None;
    }
    // Every row is written out (zeros where nothing was read); only a missing （七）总计 stays
    // absent, for the compiler to sum.
    for (i, r) in out.rows.iter_mut().enumerate() {
        if i != row::RESULTS_TOTAL {
            r.given = true;
        }
    }
    let total_note = if rows.taken[row::RESULTS_TOTAL] { "" } else { "（（七）总计由各项之和得出）" };
    // Labels of table 三 hold 、 themselves.
    rows.warn_missing(ctx, tokens, total_note, ("；", "; "));
    Some(out)
}

/// A label without the group cells run into its front.
fn strip_groups(label: &str, groups: &[String]) -> String {
    let mut n = norm(label);
    loop {
        match groups.iter().find(|g| n.starts_with(g.as_str()) && n.len() > g.len()) {
            Some(g) => n = n[g.len()..].to_string(),
            None => return n,
        }
    }
}

/// One row of table 三: six counts, then 总计 when the table has that column. A 小计 column of
/// the 法人或其他组织 group is recognised by its sum and dropped.
fn table3_row(ctx: &mut Ctx, raw: &RawRow, official: &str, has_total: bool, has_subtotal: bool) -> Option<Row> {
    let what = format!("表三“{official}”一行");
    let n = raw.values.len();
    let mut v = match n {
        6 if !has_total => counts(ctx, &raw.values, &what)?,
        7 => counts(ctx, &raw.values, &what)?,
        8 if has_subtotal => {
            let v = counts(ctx, &raw.values, &what)?;
            // 小计 sits after the five organisation columns or before them.
            if v[6] == v[1..6].iter().sum::<u64>() {
                [&v[..6], &v[7..]].concat()
            } else if v[1] == v[2..7].iter().sum::<u64>() {
                [&v[..1], &v[2..]].concat()
            } else {
                ctx.error(
                    "import-table",
                    Some(span_of(&row_tokens(raw))),
                    format!("{what}有 8 个数字，但找不到与“小计”相符的一列"),
                    format!("{what} has 8 numbers, but no column matches the 小计 (subtotal)"),
                );
                return None;
            }
        }
        _ => {
            let expected = if has_total { "7" } else { "6 或 7" };
            wrong_count(ctx, raw, &what, expected);
            return None;
        }
    };
    let total = (v.len() == 7).then(|| v.pop()).flatten();
    let mut cells = [0u64; 6];
    cells.copy_from_slice(&v[..6]);
    // A 总计 that equals its row's sum says nothing the compiler does not compute; one that
    // differs is kept, so that `check` reports it (rule 3).
    let sum = cells.iter().try_fold(0u64, |a, &c| a.checked_add(c));
    let total = total.filter(|t| Some(*t) != sum);
    Some(Row { cells, total, given: true })
}

fn place_row(ctx: &mut Ctx, key: &str, raw: &RawRow) {
    let path = format!("applications.{key}");
    if let Some(t) = raw.tokens.first() {
        ctx.place(&path, &t.span);
    }
    // With a dropped 小计 column the positions shift; the row's label then stands for all.
    if raw.values.len() <= 7 {
        for (i, cv) in raw.values.iter().enumerate() {
            ctx.place(&format!("{path}[{i}]"), &cv.token.span);
        }
    }
}
