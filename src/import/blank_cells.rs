//! Blank table cells that mean 0, in web text and in HTML tables.
//!
//! A portal page often leaves a cell blank (or `&nbsp;`) for 0, and a whole row of
//! 法人或其他组织 cells may be blank. Copied from a browser with one cell per line, such a cell
//! becomes an empty line — indistinguishable, line by line, from the empty lines a browser puts
//! between rows. The column count the official table form fixes (official-format §2.3–2.5: 3
//! for 规章 and 行政规范性文件, 1 for the other rows of table 二, 6 numbers and 总计 for table 三,
//! 15 numbers for table 四) tells them apart: after a row label, the numbers and empty lines up
//! to the next text are the row's cells; when there are fewer numbers than the form has
//! columns and enough empty lines, the empty lines at the end beyond the count are separators
//! (then those at the start; for table 四, whose numbers are a row below its header, first the
//! one empty line after the header), and the others are cells read as 0. Each such row gets one
//! `import-blank-cell` warning. A run that does not fit the count is left alone, for the table
//! reader to report.

use std::ops::Range;

use super::tables::{body, lcs, marker, norm, value, Marker};
use super::{Ctx, Item, Line, Token};
use crate::model::tables::{
    DocColumn, DocRow, Heading, Table3Column, Table4Column, Table4Group, ValueRow, TABLE3_ROWS,
};

/// The number columns of a row of the official tables, by its label: `Some(3)` for a
/// document row of table 二, `Some(1)` for its other rows, `Some(7)` for a row of table 三.
fn columns_of(label: &str) -> Option<usize> {
    let b = body(label);
    if b.is_empty() {
        return None;
    }
    let is = |official: &str| body(official) == b || norm(official) == norm(label);
    if DocRow::ALL.iter().any(|r| is(r.label())) {
        Some(DocColumn::ALL.len())
    } else if ValueRow::ALL.iter().any(|v| is(v.label())) {
        Some(1)
    } else if TABLE3_ROWS.iter().any(|r| is(r.label)) {
        Some(Table3Column::ALL.len())
    } else {
        None
    }
}

/// Whether a cell's text names a row of table 二 or 三 (numbering style aside).
pub fn is_row_label(text: &str) -> bool {
    columns_of(text).is_some()
}

/// One warning for the blank cells of a row read as 0.
pub fn warn_blank(ctx: &mut Ctx, line: usize, span: Range<usize>, label: &str, blanks: usize) {
    let what = if label.is_empty() { String::new() } else { format!("“{label}”") };
    let what_en = if label.is_empty() { String::new() } else { format!(" (`{label}`)") };
    ctx.warn(
        "import-blank-cell",
        Some(span),
        format!("第 {line} 行{what}有 {blanks} 个空白单元格，按 0 读取"),
        format!("line {line}{what_en}: {blanks} blank cells read as 0"),
    );
}

/// A section heading of tables 二–四 (`二、主动公开政府信息情况`): the index of its section, when
/// it comes after `from`.
fn section_heading(text: &str, from: usize) -> Option<usize> {
    let (Marker::Top(n), at) = marker(text)? else { return None };
    let k = (n as usize).checked_sub(1)?;
    if k < from || k >= Heading::ALL.len() {
        return None;
    }
    let rest = norm(&text[at..]);
    let official = norm(Heading::ALL[k].label());
    (rest.chars().count() <= 40 && lcs(&rest, &official) * 2 >= official.chars().count()).then_some(k)
}

/// What stands after a row label: a line of numbers, or an empty line.
#[derive(Clone, Copy)]
enum Slot {
    Value,
    /// An empty line: its number and byte range in the source.
    Empty(usize, usize, usize),
}

fn value_only(l: &Line) -> bool {
    !l.tokens.is_empty() && l.tokens.iter().all(|t| value(&t.text).is_some())
}

/// Web text: the empty lines that are blank cells become lines reading `0`.
pub fn fill(items: Vec<Item>, source: &str, ctx: &mut Ctx) -> Vec<Item> {
    // Byte range of every line of the source.
    let ranges: Vec<(usize, usize)> = super::source::lines(source).map(|(_, s, l)| (s, l.len())).collect();
    let lines: Vec<&Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table(_) => None,
        })
        .collect();
    let mut added: Vec<Line> = Vec::new();
    let mut table: Option<Heading> = None;
    let mut next_section = 0;
    let mut table4_has_total = false;
    let mut table4_done = false;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(k) = section_heading(&l.text, next_section) {
            next_section = k + 1;
            table = Heading::ALL
                .get(k)
                .copied()
                .filter(|h| matches!(h, Heading::ActiveDisclosure | Heading::Applications | Heading::ReviewLitigation));
            table4_done = false;
            table4_has_total = false;
            i += 1;
            continue;
        }
        let Some(t) = table else {
            i += 1;
            continue;
        };
        if value_only(l) {
            i += 1;
            continue;
        }
        if t == Heading::ReviewLitigation && norm(&l.text).contains(Table4Column::Total.label()) {
            table4_has_total = true;
        }
        // The run after this line: numbers and empty lines up to the next text.
        let mut slots: Vec<Slot> = Vec::new();
        let mut prev = l.no;
        let mut j = i + 1;
        loop {
            let upto = lines.get(j).map_or(prev + 1, |n| n.no);
            let stop = lines.get(j).is_none_or(|n| !value_only(n));
            // Empty lines between `prev` and the next line; at the end of the source none.
            if lines.get(j).is_some() {
                for no in prev + 1..upto {
                    let (start, len) = ranges.get(no - 1).copied().unwrap_or((0, 0));
                    slots.push(Slot::Empty(no, start, len));
                }
            }
            if stop {
                break;
            }
            slots.push(Slot::Value);
            prev = upto;
            j += 1;
        }
        let values = slots.iter().filter(|s| matches!(s, Slot::Value)).count();
        let columns = match t {
            Heading::ReviewLitigation if values > 0 && !table4_done => {
                table4_done = true;
                // Three groups of five columns, or of four without their 总计.
                let per_group = Table4Column::ALL.len() - usize::from(!table4_has_total);
                Some(Table4Group::ALL.len() * per_group)
            }
            Heading::ReviewLitigation => None,
            _ => columns_of(&l.text),
        };
        i = j;
        let Some(n) = columns else { continue };
        // The empty line right before the next text is the browser's break between rows, never
        // a cell: a row one number short then stays short, for the table reader to report.
        if lines.get(j).is_some() && matches!(slots.last(), Some(Slot::Empty(..))) {
            slots.pop();
        }
        if values >= n || slots.len() < n {
            continue;
        }
        // Table 四's numbers are a row below its header, so the one empty line right after the
        // header is the separator between the two rows (a browser writes one per row break);
        // the others' labels begin their rows, so separators come at the end.
        let trim_front = |slots: &mut Vec<Slot>| {
            while slots.len() > n && matches!(slots.first(), Some(Slot::Empty(..))) {
                slots.remove(0);
            }
        };
        if t == Heading::ReviewLitigation && slots.len() > n && matches!(slots.first(), Some(Slot::Empty(..))) {
            slots.remove(0);
        }
        while slots.len() > n && matches!(slots.last(), Some(Slot::Empty(..))) {
            slots.pop();
        }
        trim_front(&mut slots);
        if slots.len() != n {
            continue;
        }
        let mut blanks = 0;
        for s in &slots {
            if let Slot::Empty(no, start, len) = *s {
                blanks += 1;
                let span = start..start + len;
                added.push(Line {
                    no,
                    text: "0".into(),
                    span: span.clone(),
                    tokens: vec![Token { text: "0".into(), line: no, span }],
                    indent: 0,
                    width: 0,
                    page_break: false,
                    page: 0,
                    blank_before: false,
                });
            }
        }
        let label = if t == Heading::ReviewLitigation { "" } else { l.text.as_str() };
        warn_blank(ctx, l.no, l.span.clone(), label, blanks);
    }
    if added.is_empty() {
        return items;
    }
    let mut out = items;
    out.extend(added.into_iter().map(Item::Line));
    out.sort_by_key(|i| match i {
        Item::Line(l) => l.no,
        Item::Table(_) => 0,
    });
    out
}
