//! Reading tables 二, 三 and 四 from cells, the same way for all three source forms.
//!
//! A front end delivers a table section as a stream of [`Token`]s in reading order: one per
//! line of web text, one per space-separated word of a `pdftotext` row, one per DOCX cell.
//! Labels broken over several lines or cells are put back together, the row-spanning group
//! cells (三、本年度办理结果, （三）不予公开 …) are recognised even when `pdftotext` cuts them
//! into pieces and interleaves them with the rows beside them, and every row label is mapped to
//! a row of [`crate::model::tables`] by normalised matching (numbering style, full- or half-width
//! punctuation, quotes and spaces do not matter; a near miss is accepted with a warning). The
//! official labels are never re-typed here.
//!
//! Variants read: header wording that differs, rows with or without the 总计 column (and a
//! 小计 column some tools add; a 总计 equal to its row's sum is left to the compiler, one that
//! differs is kept for `check` to report), the single （六）其他处理 row of the 2019 format, counts given as
//! `—` or `/`, the fee in 元 instead of 万元. A row that cannot be read is an error; text that
//! is not part of the table is reported as unplaced.
//!
//! One concern a file: `label` compares labels (normalisation, numbering, similarity, the
//! official row a label names, header wording), `value` reads number cells into counts and the
//! fee, `assemble` groups the tokens into header, rows and group cells, `row_match` claims the
//! official rows of tables 二 and 三 in reading order, and `table2`, `table3` and `table4` read
//! one table each. This file holds the entry points and how a table's text that found no place,
//! or a row that cannot be read, is reported.

mod assemble;
mod label;
mod row_match;
mod table2;
mod table3;
mod table4;
mod value;

pub use label::{body, lcs, marker, norm, Marker};
pub use table2::table2;
pub use table3::table3;
pub use table4::table4;
pub use value::{value, Unit, Val};

use super::{Ctx, Token};
use assemble::RawRow;

// ---------------------------------------------------------------------------------------------
// Reporting what is not read

/// Report tokens that found no place, one note per input line.
fn unplace_tokens(ctx: &mut Ctx, tokens: &[Token], zh: &str, en: &str) {
    let mut i = 0;
    while i < tokens.len() {
        let line = tokens[i].line;
        let mut j = i;
        while j + 1 < tokens.len() && tokens[j + 1].line == line {
            j += 1;
        }
        let text: Vec<&str> = tokens[i..=j].iter().map(|t| t.text.as_str()).collect();
        ctx.unplaced(line, tokens[i].span.start..tokens[j].span.end, &text.join(" "), zh, en);
        i = j + 1;
    }
}

fn row_tokens(row: &RawRow) -> Vec<Token> {
    let mut all: Vec<Token> = row.tokens.clone();
    all.extend(row.values.iter().map(|v| v.token.clone()));
    all.sort_by_key(|t| t.span.start);
    all
}

fn span_of(tokens: &[Token]) -> std::ops::Range<usize> {
    let start = tokens.iter().map(|t| t.span.start).min().unwrap_or(0);
    let end = tokens.iter().map(|t| t.span.end).max().unwrap_or(start);
    start..end
}

fn row_text(toks: &[Token]) -> String {
    toks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
}

fn wrong_count(ctx: &mut Ctx, row: &RawRow, what: &str, expected: &str) {
    let toks = row_tokens(row);
    ctx.unreadable(
        toks[0].line,
        span_of(&toks),
        &row_text(&toks),
        format!("{what}有 {} 个数字，应为 {expected} 个：无法确定各数字所在的列", row.values.len()),
        format!(
            "{what} has {} numbers where {expected} are expected: the columns cannot be told apart",
            row.values.len()
        ),
    );
}

/// A whole row (label and numbers) that found no place.
fn unplace_row(ctx: &mut Ctx, raw: &RawRow, zh: &str, en: &str) {
    let toks = row_tokens(raw);
    ctx.unplaced(toks[0].line, span_of(&toks), &row_text(&toks), zh, en);
}
