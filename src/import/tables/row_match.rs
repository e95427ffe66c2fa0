//! Which official row of table 二 or 三 each row read stands for ([`RowMatch`]), the problems of
//! a row that stands for none or for one already read, and the official rows never found.

use super::assemble::RawRow;
use super::label::{find, norm, Candidate, Found};
use super::{row_text, row_tokens, span_of, unplace_row};
use crate::import::{Ctx, Token};

/// The official rows of a table as the rows read are matched to them, in reading order: each
/// official row once, a near match preferring the row after the last one found.
pub(super) struct RowMatch<'a> {
    /// The table as Chinese messages name it (`表三`).
    zh: &'static str,
    /// The table as English messages name it (`table 三`).
    en: &'static str,
    cands: &'a [Candidate],
    /// Per official row: its label, and its name in English messages.
    names: Vec<(&'a str, &'a str)>,
    pub(super) taken: Vec<bool>,
    last: Option<usize>,
}

impl<'a> RowMatch<'a> {
    pub(super) fn new(
        zh: &'static str,
        en: &'static str,
        cands: &'a [Candidate],
        names: Vec<(&'a str, &'a str)>,
    ) -> Self {
        let taken = vec![false; names.len()];
        RowMatch { zh, en, cands, names, taken, last: None }
    }

    /// Header tokens that are not table wording (`belongs`), reported as unplaced.
    pub(super) fn unplace_header(&self, ctx: &mut Ctx, header: &[Token], belongs: impl Fn(&str) -> bool) {
        for t in header {
            if !belongs(&norm(&t.text)) {
                ctx.unplaced(
                    t.line,
                    t.span.clone(),
                    &t.text,
                    &format!("{}中无法识别的文字", self.zh),
                    &format!("text in {} that is not part of it", self.en),
                );
            }
        }
    }

    /// The official row `raw` stands for (`matched`: its label as compared), from now on taken.
    /// `None`, with the problem reported, for a row without numbers, a row that names no
    /// official row, and an official row met a second time. `known` tells a label that names
    /// a row exactly.
    pub(super) fn claim(
        &mut self,
        ctx: &mut Ctx,
        raw: &RawRow,
        matched: &str,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<usize> {
        let toks = row_tokens(raw);
        let label = raw.label();
        let (zh, en) = (self.zh, self.en);
        if raw.values.is_empty() {
            if known(&norm(&label)) {
                ctx.unreadable(
                    toks[0].line,
                    span_of(&toks),
                    &label,
                    format!("{zh}“{label}”一行没有数字"),
                    format!("{en} row `{label}` has no numbers"),
                );
            } else {
                ctx.unplaced(
                    toks[0].line,
                    span_of(&toks),
                    &label,
                    &format!("{zh}中无法识别的文字"),
                    &format!("text in {en} that is not part of it"),
                );
            }
            return None;
        }
        let Some(found) = find(matched, self.cands, &self.taken, self.last.map(|l| l + 1)) else {
            let why = (format!("{zh}中无法识别的行"), format!("a row of {en} that matches no official row"));
            unplace_row(ctx, raw, &why.0, &why.1);
            return None;
        };
        let (i, near) = match found {
            Found::Exact(i) => (i, false),
            Found::Near(i) => (i, true),
        };
        let (official, name) = self.names[i];
        if near {
            ctx.warn(
                "import-label",
                Some(span_of(&raw.tokens)),
                format!("{zh}的行名“{label}”与官方表格不同，按最接近的“{official}”读取"),
                format!("{zh} row label `{label}` differs from the official table; read as `{official}`"),
            );
        }
        if self.taken[i] {
            ctx.unreadable(
                toks[0].line,
                span_of(&toks),
                &row_text(&toks),
                format!("{zh}“{official}”一行出现了两次"),
                format!("{en} row `{name}` appears twice"),
            );
            return None;
        }
        self.taken[i] = true;
        self.last = Some(i);
        Some(i)
    }

    /// Whether no row was matched.
    pub(super) fn none_found(&self) -> bool {
        !self.taken.iter().any(|t| *t)
    }

    /// Warn about the official rows not matched, which are read as 0 (`note` follows 按 0 处理;
    /// `sep`: how the Chinese and the English lists of labels are joined).
    pub(super) fn warn_missing(&self, ctx: &mut Ctx, tokens: &[Token], note: &str, sep: (&str, &str)) {
        let missing: Vec<&str> =
            self.names.iter().zip(&self.taken).filter(|(_, t)| !**t).map(|((l, _), _)| *l).collect();
        if !missing.is_empty() {
            let (zh, en) = (self.zh, self.en);
            ctx.warn(
                "import-missing-row",
                tokens.first().map(|t| t.span.clone()),
                format!("{zh}中没有找到以下行，按 0 处理{note}：{}", missing.join(sep.0)),
                format!("{en} lacks these rows, read as 0: {}", missing.join(sep.1)),
            );
        }
    }
}
