//! Table 二 (official-format §2.3): the document rows (规章, 规范性文件) with their three
//! columns, the decision counts and the fee, whose unit may come from the column header.

use super::assemble::{assemble, Rules};
use super::label::{exact, is_unit_note, norm, piece_of, Candidate};
use super::row_match::RowMatch;
use super::value::{counts, fee, Unit};
use super::{unplace_tokens, wrong_count};
use crate::import::{Ctx, Token};
use crate::model::tables::{DocColumn, DocRow, ValueRow, TABLE2_LABEL_HEAD};
use crate::model::ActiveDisclosure;

/// Table 二 (official-format §2.3) from its cells. `None` when no row of it was found.
pub fn table2(tokens: &[Token], ctx: &mut Ctx) -> Option<ActiveDisclosure> {
    /// A row of table 二, in print order.
    #[derive(Clone, Copy)]
    enum T2 {
        Doc(DocRow),
        Value(ValueRow),
    }
    let labels: Vec<(T2, &str, &str)> = DocRow::ALL
        .map(|r| (T2::Doc(r), r.key(), r.label()))
        .into_iter()
        .chain(ValueRow::ALL.map(|v| (T2::Value(v), v.key(), v.label())))
        .collect();
    let cands: Vec<Candidate> = labels.iter().map(|(_, _, l)| Candidate::new(l)).collect();
    let mut words: Vec<String> = vec![norm(TABLE2_LABEL_HEAD)];
    words.extend(DocColumn::ALL.iter().map(|c| norm(c.label())));
    words.extend(ValueRow::ALL.iter().map(|v| norm(v.value_head())));
    let vocab = |n: &str| n.starts_with("第二十条") || piece_of(n, &words) || n.contains("收费金额") || is_unit_note(n);
    let known = |n: &str| exact(n, &cands).is_some();
    let a = assemble(tokens, &Rules { groups: &[], vocab: &vocab, known: &known, header_first: false });

    // The unit of the fee column, from its header (the official one says 万元).
    let header_unit = a.header.iter().map(|t| norm(&t.text)).find(|n| n.contains('元')).map(|n| {
        if n.contains("万元") {
            Unit::Wan
        } else {
            Unit::Yuan
        }
    });
    let mut rows = RowMatch::new("表二", "table 二", &cands, labels.iter().map(|(_, _, l)| (*l, *l)).collect());
    rows.unplace_header(ctx, &a.header, vocab);
    unplace_tokens(ctx, &a.stray, "表二中不属于任何一行的数字", "a number in table 二 outside any row");

    let mut out = ActiveDisclosure::default();
    for raw in &a.rows {
        let Some(i) = rows.claim(ctx, raw, &raw.label(), &known) else { continue };
        let (which, key, official) = labels[i];
        let what = format!("表二“{official}”一行");
        let path = format!("active_disclosure.{key}");
        ctx.place(&path, &raw.tokens[0].span);
        let value_row = match which {
            T2::Value(v) => v,
            T2::Doc(doc) => {
                let columns = DocColumn::ALL.len();
                if raw.values.len() != columns {
                    wrong_count(ctx, raw, &what, &columns.to_string());
                    continue;
                }
                let Some(v) = counts(ctx, &raw.values, &what) else { continue };
                let dc = out.doc_row_mut(doc);
                for ((col, n), cv) in DocColumn::ALL.iter().zip(v).zip(&raw.values) {
                    *dc.get_mut(*col) = n;
                    ctx.place(&format!("{path}.{}", col.key()), &cv.token.span);
                }
                continue;
            }
        };
        if raw.values.len() != 1 {
            wrong_count(ctx, raw, &what, "1");
            continue;
        }
        ctx.place(&path, &raw.values[0].token.span);
        let Some(slot) = out.count_mut(value_row) else {
            // The one amount row, 行政事业性收费.
            if let Some(amount) = fee(ctx, &raw.values[0], header_unit) {
                out.fees = amount;
            }
            continue;
        };
        let Some(v) = counts(ctx, &raw.values, &what) else { continue };
        *slot = v[0];
    }
    if rows.none_found() {
        return None;
    }
    rows.warn_missing(ctx, tokens, "", ("、", ", "));
    Some(out)
}
