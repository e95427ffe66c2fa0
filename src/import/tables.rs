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

use std::collections::BTreeSet;

use super::{Ctx, Token};
use crate::model::tables::{
    row, DocColumn, DocRow, ResultGroup, Table3Column, Table4Column, Table4Group, ValueRow, TABLE2_LABEL_HEAD,
    TABLE3_APPLICANT_HEAD, TABLE3_NOTE, TABLE3_ORG_HEAD, TABLE3_RESULTS_LABEL, TABLE3_ROWS, TABLE4_LITIGATION_HEAD,
};
use crate::model::{ActiveDisclosure, Amount, Applications, CaseGroup, ReviewLitigation, Row};
use crate::text::numerals::cn_digit;

// ---------------------------------------------------------------------------------------------
// Text normalisation

/// One character as labels are compared: full-width ASCII forms become half-width, quotes and
/// white space disappear.
pub fn norm_char(c: char) -> Option<char> {
    if c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}') {
        return None;
    }
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '『' | '』' => None,
        '〔' | '【' => Some('['),
        '〕' | '】' => Some(']'),
        c => Some(c),
    }
}

/// A label as compared: see [`norm_char`].
pub fn norm(s: &str) -> String {
    s.chars().filter_map(norm_char).collect()
}

/// Byte offset in `s` after its first `n` normalised characters.
pub fn offset_after(s: &str, n: usize) -> usize {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen == n {
            return i;
        }
        if norm_char(c).is_some() {
            seen += 1;
        }
    }
    s.len()
}

// ---------------------------------------------------------------------------------------------
// Numbering markers

/// The numbering a label or heading starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// 一、 二、 …
    Top(u32),
    /// （一） （二） …
    Paren(u32),
    /// 1. 2、 (3) ① …
    Num(u32),
}

/// 一 … 九十九.
fn cn_number(cs: &[char]) -> Option<u32> {
    let d = |c: char| cn_digit(c).filter(|&v| v > 0);
    match cs {
        [c] if *c == '十' => Some(10),
        [c] => d(*c),
        [t, c] if *t == '十' => d(*c).map(|v| 10 + v),
        [c, t] if *t == '十' => d(*c).map(|v| v * 10),
        [c, t, e] if *t == '十' => Some(d(*c)? * 10 + d(*e)?),
        _ => None,
    }
}

fn is_cn_numeral(c: char) -> bool {
    c == '十' || cn_digit(c).is_some_and(|v| v > 0)
}

/// The numbering at the start of `s` and the byte offset in `s` of the text after it (spaces
/// after the numbering skipped).
pub fn marker(s: &str) -> Option<(Marker, usize)> {
    // The first few characters, normalised, with the byte offset after each.
    let mut cs: Vec<(char, usize)> = Vec::new();
    for (i, c) in s.char_indices() {
        if let Some(n) = norm_char(c) {
            cs.push((n, i + c.len_utf8()));
            if cs.len() == 6 {
                break;
            }
        } else if !cs.is_empty() && cs.len() < 2 {
            // Spaces inside a numbering ("1 .") are not numbering.
            return None;
        }
    }
    let chars: Vec<char> = cs.iter().map(|(c, _)| *c).collect();
    let after = |k: usize| -> usize {
        let end = cs[k].1;
        end + s[end..].len() - s[end..].trim_start().len()
    };
    let (m, last) = match chars.first()? {
        '(' => {
            let close = chars.iter().position(|&c| c == ')')?;
            let inner = &chars[1..close];
            if !inner.is_empty() && inner.iter().all(|c| is_cn_numeral(*c)) {
                (Marker::Paren(cn_number(inner)?), close)
            } else if !inner.is_empty() && inner.len() <= 2 && inner.iter().all(char::is_ascii_digit) {
                (Marker::Num(inner.iter().collect::<String>().parse().ok()?), close)
            } else {
                return None;
            }
        }
        c @ '\u{2460}'..='\u{2473}' => (Marker::Num(*c as u32 - 0x2460 + 1), 0),
        c if c.is_ascii_digit() => {
            let n = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            if n > 2 {
                return None;
            }
            let sep = *chars.get(n)?;
            let next = chars.get(n + 1);
            if !matches!(sep, '.' | '、' | ')') || next.is_some_and(char::is_ascii_digit) {
                return None;
            }
            (Marker::Num(chars[..n].iter().collect::<String>().parse().ok()?), n)
        }
        c if is_cn_numeral(*c) => {
            let n = chars.iter().take_while(|c| is_cn_numeral(**c)).count();
            if !matches!(chars.get(n)?, '、' | '.') {
                return None;
            }
            (Marker::Top(cn_number(&chars[..n])?), n)
        }
        _ => return None,
    };
    Some((m, after(last)))
}

/// `s` without its numbering, normalised.
pub fn body(s: &str) -> String {
    match marker(s) {
        Some((_, at)) => norm(&s[at..]),
        None => norm(s),
    }
}

// ---------------------------------------------------------------------------------------------
// Similarity

/// Length of the longest common subsequence, in characters.
pub fn lcs(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev = vec![0usize; b.len() + 1];
    for &x in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        prev = cur;
    }
    prev[b.len()]
}

/// 1 for equal strings, falling with the edit distance; containment of one in the other (4
/// characters or more) counts as 0.8 at least.
fn similarity(a: &str, b: &str) -> f64 {
    let ac: Vec<char> = a.chars().collect();
    let bc: Vec<char> = b.chars().collect();
    let longest = ac.len().max(bc.len());
    if longest == 0 {
        return 0.0;
    }
    let mut s = 1.0 - crate::text::edit_distance_chars(&ac, &bc) as f64 / longest as f64;
    if ac.len().min(bc.len()) >= 4 && (a.contains(b) || b.contains(a)) {
        s = s.max(0.8);
    }
    s
}

/// A row a label may name.
struct Candidate {
    full: String,
    body: String,
    marker: Option<Marker>,
}

impl Candidate {
    fn new(label: &str) -> Candidate {
        Candidate { full: norm(label), body: body(label), marker: marker(label).map(|m| m.0) }
    }
}

enum Found {
    Exact(usize),
    /// Index and the official label it was read as.
    Near(usize),
}

/// The candidate a label names exactly (numbering style aside).
fn exact(label: &str, cands: &[Candidate]) -> Option<usize> {
    let full = norm(label);
    let b = body(label);
    cands.iter().position(|c| c.full == full).or_else(|| {
        if b.is_empty() {
            return None;
        }
        let hits: Vec<usize> = cands.iter().enumerate().filter(|(_, c)| c.body == b).map(|(i, _)| i).collect();
        (hits.len() == 1).then(|| hits[0])
    })
}

/// The candidate a label names: exactly, or as the clear best near match among those not yet
/// taken (`expected`, the row after the last one found, breaks near ties).
fn find(label: &str, cands: &[Candidate], taken: &[bool], expected: Option<usize>) -> Option<Found> {
    if let Some(i) = exact(label, cands) {
        return Some(Found::Exact(i));
    }
    let b = body(label);
    let m = marker(label).map(|m| m.0);
    let mut scored: Vec<(f64, usize)> = cands
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken[*i])
        .map(|(i, c)| {
            let mut s = similarity(&b, &c.body);
            if m.is_some() && c.marker.is_some() {
                s += if m == c.marker { 0.05 } else { -0.1 };
            }
            if Some(i) == expected {
                s += 0.05;
            }
            (s, i)
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (best, i) = *scored.first()?;
    let second = scored.get(1).map_or(0.0, |s| s.0);
    (best >= 0.6 && best - second >= 0.05).then_some(Found::Near(i))
}

// ---------------------------------------------------------------------------------------------
// Values

/// What a number cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Count(u64),
    /// A decimal written with a point, as text (`12.50`).
    Decimal(String),
    /// A dash, slash or 无: nothing to report in that cell.
    Blank,
    /// Digits beyond 64 bits.
    TooLarge,
}

/// A unit written with a money amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Wan,
    Yuan,
}

/// The number a cell holds, if it is one.
pub fn value(text: &str) -> Option<(Val, Option<Unit>)> {
    let n = norm(text);
    if n.is_empty() {
        return None;
    }
    if matches!(n.as_str(), "-" | "—" | "——" | "/" | "无" | "－" | "–" | "─" | "-/-") {
        return Some((Val::Blank, None));
    }
    let (n, unit) = if let Some(x) = n.strip_suffix("万元") {
        (x, Some(Unit::Wan))
    } else if let Some(x) = n.strip_suffix('元') {
        (x, Some(Unit::Yuan))
    } else if let Some(x) = n.strip_suffix(['件', '条', '个', '次', '项']) {
        (x, None)
    } else {
        (n.as_str(), None)
    };
    let grouped = {
        let int = n.split('.').next().unwrap_or("");
        let parts: Vec<&str> = int.split(',').collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let n = if grouped { n.replace(',', "") } else { n.to_string() };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(&n) {
        return Some((n.parse().map(Val::Count).unwrap_or(Val::TooLarge), unit));
    }
    match n.split_once('.') {
        Some((i, f)) if digits(i) && digits(f) => Some((Val::Decimal(n.clone()), unit)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Putting rows together

#[derive(Debug, Clone)]
struct CellValue {
    val: Val,
    unit: Option<Unit>,
    token: Token,
}

#[derive(Debug, Clone, Default)]
struct RawRow {
    tokens: Vec<Token>,
    values: Vec<CellValue>,
    /// Made from a group cell that turned out to carry numbers (index into the groups).
    from_group: Option<usize>,
}

impl RawRow {
    fn label(&self) -> String {
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
struct GroupRun {
    target: usize,
    text: String,
    tokens: Vec<Token>,
    done: bool,
    converted: bool,
    /// The row that was current when the group began.
    row_before: Option<usize>,
}

#[derive(Default)]
struct Assembled {
    header: Vec<Token>,
    rows: Vec<RawRow>,
    /// Numbers before any row.
    stray: Vec<Token>,
    groups: Vec<GroupRun>,
}

/// What the assembler needs to know about one table.
struct Rules<'a> {
    /// Normalised group cell texts (table 三 only).
    groups: &'a [String],
    /// Whether a (normalised) text is header wording.
    vocab: &'a dyn Fn(&str) -> bool,
    /// Whether a label names a row exactly.
    known: &'a dyn Fn(&str) -> bool,
    /// Table 三: everything before the first row is header, and header words after that only
    /// when the row before is complete (a repeated header after a page break). Otherwise
    /// (table 二) header words stand anywhere and end the row before them.
    header_first: bool,
}

fn assemble(tokens: &[Token], rules: &Rules) -> Assembled {
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

/// Whether `n` (normalised) is a piece of one of `words`.
fn piece_of(n: &str, words: &[String]) -> bool {
    !n.is_empty() && words.iter().any(|w| w.contains(n))
}

/// Whether `n` is made of header words run together (`行政复议结果维持`): every character of it
/// occurs in them. Only used where everything is header anyway, to decide what to report.
fn made_of(n: &str, words: &[String]) -> bool {
    !n.is_empty() && n.chars().all(|c| words.iter().any(|w| w.contains(c)))
}

fn is_unit_note(n: &str) -> bool {
    n.starts_with("单位") || n.starts_with("(单位")
}

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

/// Counts from cells: a blank (`—`, `/`) is 0 with a warning; a decimal or an oversized number
/// is an error (`None`).
fn counts(ctx: &mut Ctx, values: &[CellValue], what: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let mut ok = true;
    for v in values {
        match &v.val {
            Val::Count(n) => out.push(*n),
            Val::Blank => {
                ctx.warn(
                    "import-blank-cell",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{}”按 0 读取", v.token.text),
                    format!("`{}` in {what} read as 0", v.token.text),
                );
                out.push(0);
            }
            Val::Decimal(d) => {
                ctx.error(
                    "import-table",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{d}”不是整数：件数必须是整数"),
                    format!("`{d}` in {what} is not a whole number: counts are integers"),
                );
                ok = false;
            }
            Val::TooLarge => {
                ctx.error(
                    "import-table",
                    Some(v.token.span.clone()),
                    format!("{what}中的“{}”超出可处理的数值范围", v.token.text),
                    format!("`{}` in {what} is too large", v.token.text),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
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

// ---------------------------------------------------------------------------------------------
// Matching rows to the official ones (tables 二 and 三)

/// The official rows of a table as the rows read are matched to them, in reading order: each
/// official row once, a near match preferring the row after the last one found.
struct RowMatch<'a> {
    /// The table as Chinese messages name it (`表三`).
    zh: &'static str,
    /// The table as English messages name it (`table 三`).
    en: &'static str,
    cands: &'a [Candidate],
    /// Per official row: its label, and its name in English messages.
    names: Vec<(&'a str, &'a str)>,
    taken: Vec<bool>,
    last: Option<usize>,
}

impl<'a> RowMatch<'a> {
    fn new(zh: &'static str, en: &'static str, cands: &'a [Candidate], names: Vec<(&'a str, &'a str)>) -> Self {
        let taken = vec![false; names.len()];
        RowMatch { zh, en, cands, names, taken, last: None }
    }

    /// Header tokens that are not table wording (`belongs`), reported as unplaced.
    fn unplace_header(&self, ctx: &mut Ctx, header: &[Token], belongs: impl Fn(&str) -> bool) {
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
    fn claim(&mut self, ctx: &mut Ctx, raw: &RawRow, matched: &str, known: &dyn Fn(&str) -> bool) -> Option<usize> {
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
    fn none_found(&self) -> bool {
        !self.taken.iter().any(|t| *t)
    }

    /// Warn about the official rows not matched, which are read as 0 (`note` follows 按 0 处理;
    /// `sep`: how the Chinese and the English lists of labels are joined).
    fn warn_missing(&self, ctx: &mut Ctx, tokens: &[Token], note: &str, sep: (&str, &str)) {
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

/// A whole row (label and numbers) that found no place.
fn unplace_row(ctx: &mut Ctx, raw: &RawRow, zh: &str, en: &str) {
    let toks = row_tokens(raw);
    ctx.unplaced(toks[0].line, span_of(&toks), &row_text(&toks), zh, en);
}

// ---------------------------------------------------------------------------------------------
// Table 二

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

/// The fee amount in 万元 (official-format §2.3): an amount written in 元 is converted, with a
/// warning.
fn fee(ctx: &mut Ctx, cv: &CellValue, header: Option<Unit>) -> Option<Amount> {
    let text = match &cv.val {
        Val::Count(n) => n.to_string(),
        Val::Decimal(d) => d.clone(),
        Val::Blank => {
            ctx.warn(
                "import-blank-cell",
                Some(cv.token.span.clone()),
                format!("行政事业性收费金额“{}”按 0 读取", cv.token.text),
                format!("fee `{}` read as 0", cv.token.text),
            );
            "0".into()
        }
        Val::TooLarge => {
            ctx.error(
                "import-table",
                Some(cv.token.span.clone()),
                format!("收费金额“{}”超出可处理的数值范围", cv.token.text),
                format!("fee `{}` is too large", cv.token.text),
            );
            return None;
        }
    };
    let unit = cv.unit.or(header).unwrap_or(Unit::Wan);
    if unit == Unit::Wan {
        return Amount::parse(&text);
    }
    let yuan: rust_decimal::Decimal = text.parse().ok()?;
    let wan = (yuan / rust_decimal::Decimal::from(10_000)).normalize();
    let out = wan.to_string();
    ctx.warn(
        "import-fee-unit",
        Some(cv.token.span.clone()),
        format!("收费金额以元填写（{text} 元），已换算为 {out} 万元（官方表格单位为万元）"),
        format!("the fee was given in 元 ({text}); converted to {out} 万元, the official unit"),
    );
    Amount::parse(&out)
}

// ---------------------------------------------------------------------------------------------
// Table 三

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
    let has_total = header.iter().any(|h| h.contains("总计"));
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

// ---------------------------------------------------------------------------------------------
// Table 四

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
    let has_total = header.iter().any(|t| norm(&t.text).contains("总计")) || header.is_empty();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(marker("一、总体情况").map(|m| m.0), Some(Marker::Top(1)));
        assert_eq!(marker("（三）不予公开").map(|m| m.0), Some(Marker::Paren(3)));
        assert_eq!(marker("(十二)x").map(|m| m.0), Some(Marker::Paren(12)));
        assert_eq!(marker("1.属于国家秘密").map(|m| m.0), Some(Marker::Num(1)));
        assert_eq!(marker("１．属于").map(|m| m.0), Some(Marker::Num(1)));
        assert_eq!(marker("2、重复申请").map(|m| m.0), Some(Marker::Num(2)));
        assert_eq!(marker("12.5"), None);
        assert_eq!(marker("2021年"), None);
        assert_eq!(marker("一是强化"), None);
        let s = "（一）  主动公开";
        let (_, at) = marker(s).unwrap();
        assert_eq!(&s[at..], "主动公开");
    }

    #[test]
    fn values() {
        assert_eq!(value("　　0"), Some((Val::Count(0), None)));
        assert_eq!(value("\u{a0}　135"), Some((Val::Count(135), None)));
        assert_eq!(value("1,268"), Some((Val::Count(1268), None)));
        assert_eq!(value("12.50"), Some((Val::Decimal("12.50".into()), None)));
        assert_eq!(value("3.5万元"), Some((Val::Decimal("3.5".into()), Some(Unit::Wan))));
        assert_eq!(value("5000元"), Some((Val::Count(5000), Some(Unit::Yuan))));
        assert_eq!(value("—"), Some((Val::Blank, None)));
        assert_eq!(value("１２"), Some((Val::Count(12), None)));
        assert_eq!(value("1."), None);
        assert_eq!(value("规章"), None);
        assert_eq!(value("99999999999999999999999"), Some((Val::TooLarge, None)));
    }

    #[test]
    fn labels_match_by_normalised_text() {
        let cands: Vec<Candidate> = TABLE3_ROWS.iter().map(|r| Candidate::new(r.label)).collect();
        let taken = [false; crate::model::tables::TABLE3_ROW_COUNT];
        assert!(matches!(find("3.危及\"三安全一稳定\"", &cands, &taken, None), Some(Found::Exact(6))));
        assert!(matches!(find("（1）属于国家秘密", &cands, &taken, None), Some(Found::Exact(4))));
        assert!(matches!(find("1.属于国家秘蜜", &cands, &taken, None), Some(Found::Near(4))));
        assert!(matches!(find("（二）部分公开", &cands, &taken, None), Some(Found::Near(3))));
        assert!(find("政府集中采购", &cands, &taken, None).is_none());
    }
}
