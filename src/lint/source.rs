//! The report's text fields, each with its JSON path and the way back to the input bytes.
//!
//! A lint finds characters in a decoded string (`遵循遵循` at character 120 of a paragraph); a
//! diagnostic and a `--fix` edit need the bytes of those characters in the JSON file. Escapes
//! (`\"`, `\n`, `\u00e9`, surrogate pairs) make the two differ, so the string literal is scanned
//! again here and every decoded character gets the byte range it came from.

use std::ops::Range;

use crate::diag::SpanMap;
use crate::model::tables::Heading;
use crate::model::Report;

/// What kind of text a unit is; lints apply to some kinds only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The whole-document `title` override.
    Title,
    Preamble,
    /// A paragraph of section 一, 五 or 六 (directly or in a subsection).
    Paragraph,
    SubsectionTitle,
    /// A `headings.*` wording override.
    Heading,
}

/// One text field of a report.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// JSON path, e.g. `overview.subsections[1].paragraphs[0]`.
    pub path: String,
    pub text: &'a str,
    pub kind: Kind,
    /// Section key (`overview`, `problems`, `other_matters`) for paragraphs and subsection titles.
    pub section: Option<&'static str>,
    /// Title of the subsection a paragraph belongs to.
    pub subsection_title: Option<&'a str>,
}

impl<'a> Unit<'a> {
    /// A unit outside the narrative sections.
    fn plain(path: String, text: &'a str, kind: Kind) -> Unit<'a> {
        Unit { path, text, kind, section: None, subsection_title: None }
    }
}

/// Every text field of a report that is printed as written, in document order.
pub fn units(r: &Report) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    let heading =
        |key: Heading| r.headings.get(key).map(|h| Unit::plain(format!("headings.{}", key.key()), h, Kind::Heading));
    if let Some(t) = &r.title {
        out.push(Unit::plain("title".into(), t, Kind::Title));
    }
    for (i, p) in r.preamble.iter().flatten().enumerate() {
        out.push(Unit::plain(format!("preamble[{i}]"), p, Kind::Preamble));
    }
    for (section, s) in r.narrative() {
        out.extend(heading(section));
        let key = section.key();
        for list in s.paragraph_lists() {
            let subsection_title = list.subsection.map(|(_, sub)| sub.title.as_str());
            if let Some((j, sub)) = list.subsection {
                out.push(Unit {
                    path: format!("{key}.subsections[{j}].title"),
                    text: &sub.title,
                    kind: Kind::SubsectionTitle,
                    section: Some(key),
                    subsection_title: None,
                });
            }
            let path = list.path();
            for (i, p) in list.paragraphs.iter().enumerate() {
                out.push(Unit {
                    path: format!("{key}.{path}[{i}]"),
                    text: p,
                    kind: Kind::Paragraph,
                    section: Some(key),
                    subsection_title,
                });
            }
        }
    }
    for key in [Heading::ActiveDisclosure, Heading::Applications, Heading::ReviewLitigation] {
        out.extend(heading(key));
    }
    out
}

/// Where the characters of one decoded string literal stand in the source. Positions are kept
/// for every [`STRIDE`]th character and found from there, so a 50 MB paragraph costs a few
/// megabytes here, not gigabytes.
#[derive(Debug, Clone)]
pub struct Literal {
    /// Source byte offset of characters 0, STRIDE, 2·STRIDE, ….
    checkpoints: Vec<usize>,
    /// Source byte offset just after the last character (before the closing quote).
    end: usize,
    chars: usize,
}

const STRIDE: usize = 64;

/// The character that starts at byte `at` of a JSON string body in `source`, and the byte
/// just after it (escapes decoded, surrogate pairs joined).
fn next_char(source: &str, at: usize) -> Option<(char, usize)> {
    let rest = source.get(at..)?;
    let c = rest.chars().next()?;
    if c != '\\' {
        return Some((c, at + c.len_utf8()));
    }
    let e = rest[1..].chars().next()?;
    let simple = match e {
        '"' => Some('"'),
        '\\' => Some('\\'),
        '/' => Some('/'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((ch, at + 2));
    }
    if e != 'u' {
        return None;
    }
    let hex = |from: usize| -> Option<u32> { u32::from_str_radix(source.get(from..from + 4)?, 16).ok() };
    let first = hex(at + 2)?;
    if (0xD800..0xDC00).contains(&first) && source.get(at + 6..at + 8) == Some("\\u") {
        if let Some(second) = hex(at + 8).filter(|s| (0xDC00..0xE000).contains(s)) {
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return Some((char::from_u32(code).unwrap_or('\u{fffd}'), at + 12));
        }
    }
    Some((char::from_u32(first).unwrap_or('\u{fffd}'), at + 6))
}

impl Literal {
    /// Scan the literal at `span` (quotes included) of `source` and check that it decodes to
    /// `expected`. `None` when it does not: the path then does not name this text (a decoding
    /// error elsewhere shifted the list), and no position is claimed.
    pub fn scan(source: &str, span: Range<usize>, expected: &str) -> Option<Literal> {
        let lit = source.get(span.clone())?;
        if !(lit.len() >= 2 && lit.starts_with('"') && lit.ends_with('"')) {
            return None;
        }
        let end = span.end - 1;
        let mut at = span.start + 1;
        let mut checkpoints = Vec::with_capacity(expected.len() / STRIDE + 1);
        let mut n = 0;
        for want in expected.chars() {
            if n % STRIDE == 0 {
                checkpoints.push(at);
            }
            let (got, next) = next_char(source, at).filter(|(_, next)| *next <= end)?;
            if got != want {
                return None;
            }
            at = next;
            n += 1;
        }
        (at == end).then_some(Literal { checkpoints, end, chars: n })
    }

    /// Source byte where character `k` starts (`k` = length: the end of the body).
    fn start_of(&self, source: &str, k: usize) -> Option<usize> {
        if k > self.chars {
            return None;
        }
        if k == self.chars {
            return Some(self.end);
        }
        let mut at = *self.checkpoints.get(k / STRIDE)?;
        for _ in 0..k % STRIDE {
            at = next_char(source, at)?.1;
        }
        Some(at)
    }

    /// Source bytes of the decoded characters `range` (character indices).
    pub fn bytes(&self, source: &str, range: Range<usize>) -> Option<Range<usize>> {
        let start = self.start_of(source, range.start)?;
        if range.end <= range.start {
            return Some(start..start);
        }
        let last = self.start_of(source, range.end - 1)?;
        Some(start..next_char(source, last)?.1)
    }
}

/// A text unit located in the source: its characters and their source positions.
pub struct Located<'a> {
    pub unit: Unit<'a>,
    pub chars: Vec<char>,
    source: &'a str,
    literal: Option<Literal>,
}

impl<'a> Located<'a> {
    pub fn new(unit: Unit<'a>, source: &'a str, spans: &SpanMap) -> Located<'a> {
        let literal = spans.find(&unit.path).and_then(|s| Literal::scan(source, s, unit.text));
        let chars = unit.text.chars().collect();
        Located { unit, chars, source, literal }
    }

    /// Source bytes of characters `range`, when the unit was found in the source.
    pub fn span(&self, range: Range<usize>) -> Option<Range<usize>> {
        self.literal.as_ref().and_then(|l| l.bytes(self.source, range))
    }

    pub fn slice(&self, range: Range<usize>) -> String {
        self.chars[range.start.min(self.chars.len())..range.end.min(self.chars.len())].iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_back_to_their_bytes() {
        let src = r#"{"p": "a\"b\n遵循\u4e2d\ud83d\ude00x"}"#;
        let start = src.find("\"a").unwrap();
        let end = src.rfind('"').unwrap() + 1;
        let lit = Literal::scan(src, start..end, "a\"b\n遵循中😀x").unwrap();
        let pick = |r: Range<usize>| &src[lit.bytes(src, r).unwrap()];
        assert_eq!(pick(1..2), "\\\"");
        assert_eq!(pick(4..6), "遵循");
        assert_eq!(pick(6..7), "\\u4e2d");
        assert_eq!(pick(7..8), "\\ud83d\\ude00");
        assert_eq!(pick(8..9), "x");
        assert_eq!(pick(0..9), &src[start + 1..end - 1]);
    }

    #[test]
    fn long_literals_are_found_past_their_checkpoints() {
        let text: String = (0..1000).map(|i| if i % 7 == 0 { '"' } else { '政' }).collect();
        let src = serde_json::to_string(&text).unwrap();
        let lit = Literal::scan(&src, 0..src.len(), &text).unwrap();
        for k in [0, 1, 63, 64, 65, 500, 999] {
            let r = lit.bytes(&src, k..k + 1).unwrap();
            let want = if k % 7 == 0 { "\\\"" } else { "政" };
            assert_eq!(&src[r], want, "character {k}");
        }
    }

    #[test]
    fn a_literal_that_decodes_differently_is_refused() {
        let src = r#""abc""#;
        assert!(Literal::scan(src, 0..src.len(), "abd").is_none());
    }
}
