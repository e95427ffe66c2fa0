//! Labels as they are compared: text normalisation (full- and half-width forms, quotes, spaces),
//! the numbering a label starts with, similarity, the official row a label read names
//! ([`Candidate`], [`find`]), and whether a text is header wording.

use crate::text::numerals::cn_digit;

// ---------------------------------------------------------------------------------------------
// Text normalisation

/// One character as labels are compared: full-width ASCII forms become half-width, quotes and
/// white space disappear.
fn norm_char(c: char) -> Option<char> {
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
pub(super) fn offset_after(s: &str, n: usize) -> usize {
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
pub(super) struct Candidate {
    full: String,
    body: String,
    marker: Option<Marker>,
}

impl Candidate {
    pub(super) fn new(label: &str) -> Candidate {
        Candidate { full: norm(label), body: body(label), marker: marker(label).map(|m| m.0) }
    }
}

pub(super) enum Found {
    Exact(usize),
    /// Index and the official label it was read as.
    Near(usize),
}

/// The candidate a label names exactly (numbering style aside).
pub(super) fn exact(label: &str, cands: &[Candidate]) -> Option<usize> {
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
pub(super) fn find(label: &str, cands: &[Candidate], taken: &[bool], expected: Option<usize>) -> Option<Found> {
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
// Header wording

/// Whether `n` (normalised) is a piece of one of `words`.
pub(super) fn piece_of(n: &str, words: &[String]) -> bool {
    !n.is_empty() && words.iter().any(|w| w.contains(n))
}

/// Whether `n` is made of header words run together (`行政复议结果维持`): every character of it
/// occurs in them. Only used where everything is header anyway, to decide what to report.
pub(super) fn made_of(n: &str, words: &[String]) -> bool {
    !n.is_empty() && n.chars().all(|c| words.iter().any(|w| w.contains(c)))
}

pub(super) fn is_unit_note(n: &str) -> bool {
    n.starts_with("单位") || n.starts_with("(单位")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tables::TABLE3_ROWS;

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
