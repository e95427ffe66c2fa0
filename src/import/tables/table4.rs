//! Table 四 (official-format §2.5): three groups of five counts (or four, without the 总计
//! columns), read in order after the header.

use super::label::{is_unit_note, made_of, norm};
use super::value::{counts, value, CellValue};
use super::{row_text, span_of, unplace_tokens};
use crate::import::{Ctx, Token};
use crate::model::tables::{Table4Column, Table4Group, TABLE4_LITIGATION_HEAD};
use crate::model::{CaseGroup, ReviewLitigation};

/// Table 四 (official-format §2.5): the header, then 15 numbers (or 12, without the 总计
/// columns). `None` when it holds no number at all.
pub fn table4(tokens: &[Token], ctx: &mut Ctx) -> Option<ReviewLitigation> {
    let mut words: Vec<String> = Table4Group::ALL.iter().map(|g| norm(g.label())).collect();
    words.extend(Table4Column::ALL.iter().map(|c| norm(c.label())));
    words.push(norm(TABLE4_LITIGATION_HEAD));
    let mut header = Vec::new();
    let mut values: Vec<CellValue> = Vec::new();
    let mut other = Vec::new();
    for t in tokens {
        match value(&t.text) {
            Some((val, unit)) => values.push(CellValue { val, unit, token: t.clone() }),
            None if values.is_empty() && (made_of(&norm(&t.text), &words) || is_unit_note(&norm(&t.text))) => {
                header.push(t.clone())
            }
            None => other.push(t.clone()),
        }
    }
    unplace_tokens(ctx, &other, "表四中无法识别的文字", "text in table 四 that is not part of it");
    if values.is_empty() {
        return None;
    }
    let has_total = header.iter().any(|t| norm(&t.text).contains(Table4Column::Total.label())) || header.is_empty();
    let per_group = match values.len() {
        15 => 5,
        12 if !has_total || header.is_empty() => 4,
        n => {
            let expected = if has_total { "15" } else { "12" };
            let toks: Vec<Token> = values.iter().map(|v| v.token.clone()).collect();
            ctx.unreadable(
                toks[0].line,
                span_of(&toks),
                &row_text(&toks),
                format!("表四有 {n} 个数字，应为 {expected} 个（行政复议、未经复议直接起诉、复议后起诉各 5 列）：无法确定各数字所在的列"),
                format!("table 四 has {n} numbers where {expected} are expected (3 groups × 5 columns): the columns cannot be told apart"),
            );
            return Some(ReviewLitigation::default());
        }
    };
    let v = counts(ctx, &values, "表四")?;
    let mut out = ReviewLitigation::default();
    for (g, group) in Table4Group::ALL.iter().enumerate() {
        let key = group.key();
        let x = &v[g * per_group..(g + 1) * per_group];
        *out.group_mut(*group) =
            CaseGroup { upheld: x[0], corrected: x[1], other: x[2], pending: x[3], total: x.get(4).copied() };
        for (c, col) in Table4Column::ALL.iter().take(per_group).enumerate() {
            ctx.place(&format!("review_litigation.{key}.{}", col.key()), &values[g * per_group + c].token.span);
        }
        ctx.place(&format!("review_litigation.{key}"), &values[g * per_group].token.span);
    }
    Some(out)
}
