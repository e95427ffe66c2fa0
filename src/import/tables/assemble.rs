//! Putting rows together: the tokens of a table section, in reading order, grouped into header
//! words, rows (label pieces and their numbers) and the row-spanning group cells of table 三,
//! including group cells cut into pieces and interleaved with the rows beside them.

use std::collections::BTreeSet;

use super::label::{marker, norm, offset_after};
use super::value::{value, CellValue};
use crate::import::Token;

#[derive(Debug, Clone, Default)]
pub(super) struct RawRow {
    pub(super) tokens: Vec<Token>,
    pub(super) values: Vec<CellValue>,
    /// Made from a group cell that turned out to carry numbers (index into the groups).
    pub(super) from_group: Option<usize>,
}

impl RawRow {
    pub(super) fn label(&self) -> String {
        join_tokens(&self.tokens)
    }
}

fn join_tokens(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        // Latin words broken at a cell edge need their space back; Chinese does not.
        if out.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
            && t.text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

/// A group cell being read, perhaps in pieces.
#[derive(Debug, Clone)]
pub(super) struct GroupRun {
    pub(super) target: usize,
    text: String,
    tokens: Vec<Token>,
    done: bool,
    converted: bool,
    /// The row that was current when the group began.
    row_before: Option<usize>,
}

#[derive(Default)]
pub(super) struct Assembled {
    pub(super) header: Vec<Token>,
    pub(super) rows: Vec<RawRow>,
    /// Numbers before any row.
    pub(super) stray: Vec<Token>,
    pub(super) groups: Vec<GroupRun>,
}

/// What the assembler needs to know about one table.
pub(super) struct Rules<'a> {
    /// Normalised group cell texts (table 三 only).
    pub(super) groups: &'a [String],
    /// Whether a (normalised) text is header wording.
    pub(super) vocab: &'a dyn Fn(&str) -> bool,
    /// Whether a label names a row exactly.
    pub(super) known: &'a dyn Fn(&str) -> bool,
    /// Table 三: everything before the first row is header, and header words after that only
    /// when the row before is complete (a repeated header after a page break). Otherwise
    /// (table 二) header words stand anywhere and end the row before them.
    pub(super) header_first: bool,
}

pub(super) fn assemble(tokens: &[Token], rules: &Rules) -> Assembled {
    let mut a = Assembled::default();
    let mut current: Option<usize> = None;
    // The group begun most recently, when it began after the current row.
    let mut last_group: Option<usize> = None;
    let mut queue: std::collections::VecDeque<Token> = tokens.iter().cloned().collect();
    while let Some(tok) = queue.pop_front() {
        if let Some((val, unit)) = value(&tok.text) {
            let cv = CellValue { val, unit, token: tok.clone() };
            // A complete group cell followed by numbers is a row of its own (the single
            // （六）其他处理 row of 2019, or a subtotal), unless the row beside it still waits for
            // its numbers.
            if let Some(g) = last_group {
                let grp = &a.groups[g];
                let row_waiting = current.is_some_and(|r| a.rows[r].values.is_empty());
                if grp.done && !grp.converted && !row_waiting && current == grp.row_before {
                    let grp = &mut a.groups[g];
                    grp.converted = true;
                    a.rows.push(RawRow { tokens: grp.tokens.clone(), values: vec![cv], from_group: Some(g) });
                    current = Some(a.rows.len() - 1);
                    last_group = None;
                    continue;
                }
            }
            match current {
                Some(r) => a.rows[r].values.push(cv),
                None => a.stray.push(tok),
            }
            continue;
        }
        let n = norm(&tok.text);
        if n.is_empty() {
            continue;
        }
        // 1. The next piece of a group cell begun earlier.
        if let Some(g) =
            a.groups.iter_mut().find(|g| !g.done && rules.groups[g.target].starts_with(&format!("{}{n}", g.text)))
        {
            g.text.push_str(&n);
            g.tokens.push(tok);
            g.done = g.text == rules.groups[g.target];
            continue;
        }
        // 2. A group cell, whole or its first piece, or run together with the label beside it.
        //    Before header words: a group cell written downwards starts with a lone 三, which
        //    the 勾稽 note holds too. A table without merged cells repeats the group cell on
        //    every row: the repeats are passed over.
        if a.groups.iter().any(|g| g.done && rules.groups[g.target] == n) {
            continue;
        }
        let used: BTreeSet<usize> = a.groups.iter().map(|g| g.target).collect();
        let opens = |t: usize| !used.contains(&t) && n != "(" && rules.groups[t].starts_with(&n);
        if let Some(t) = (0..rules.groups.len()).find(|&t| opens(t)) {
            let done = rules.groups[t] == n;
            a.groups.push(GroupRun {
                target: t,
                text: n,
                tokens: vec![tok],
                done,
                converted: false,
                row_before: current,
            });
            last_group = Some(a.groups.len() - 1);
            continue;
        }
        if let Some(t) = (0..rules.groups.len()).find(|&t| !used.contains(&t) && n.starts_with(&rules.groups[t])) {
            let cut = offset_after(&tok.text, rules.groups[t].chars().count());
            let head =
                Token { text: tok.text[..cut].to_string(), line: tok.line, span: tok.span.start..tok.span.start + cut };
            let rest =
                Token { text: tok.text[cut..].to_string(), line: tok.line, span: tok.span.start + cut..tok.span.end };
            queue.push_front(rest);
            queue.push_front(head);
            continue;
        }
        let cur_complete =
            current.is_some_and(|r| !a.rows[r].values.is_empty() && (rules.known)(&norm(&a.rows[r].label())));
        let row_start = marker(&n).is_some() || (rules.known)(&n);
        // 3. Header wording (before the rows, or repeated after a page break).
        let header_here = if rules.header_first {
            // A header repeated after a page break: its bare 总计 and 其他 are column heads, not
            // the numbered rows （七）总计 and 3.其他.
            a.rows.is_empty() || ((cur_complete || current.is_none()) && marker(&n).is_none())
        } else {
            // Table 二's header words (bands, column heads) never continue a row label.
            true
        };
        if (rules.vocab)(&n) && header_here {
            a.header.push(tok);
            if !rules.header_first {
                current = None;
            }
            continue;
        }
        if a.rows.is_empty() && rules.header_first && !row_start {
            a.header.push(tok);
            continue;
        }
        // 4. A new row, or the next piece of the current row's label.
        let continues = current.is_some_and(|r| {
            let row = &a.rows[r];
            !row_start && (row.values.is_empty() || !(rules.known)(&norm(&row.label())))
        });
        match current {
            Some(r) if continues => a.rows[r].tokens.push(tok),
            _ => {
                a.rows.push(RawRow { tokens: vec![tok], values: Vec::new(), from_group: None });
                current = Some(a.rows.len() - 1);
                last_group = None;
            }
        }
    }
    a
}
