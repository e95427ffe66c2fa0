//! A source as the front ends read it: numbered lines with their byte offsets, and the
//! white-space separated words of a line with their spans. Every front end (web text,
//! `pdftotext` output, HTML, DOCX) hands these tokens on, so a diagnostic can always name the
//! line and column of what it concerns. Front ends that read a structured file (HTML, DOCX)
//! write their own listing of it with [`Listing`], so their diagnostics point into that text.

use super::{Item, Line, Token};

/// The words of a line (split at any white space, full-width and no-break spaces included),
/// with their spans; `start` is the line's byte offset in the source.
pub fn words(line: &str, start: usize, no: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut from: Option<usize> = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (c.is_whitespace(), from) {
            (true, Some(f)) => {
                out.push(Token { text: line[f..i].to_string(), line: no, span: start + f..start + i });
                from = None;
            }
            (false, None) => from = Some(i),
            _ => {}
        }
    }
    out
}

/// The lines of a source with their byte offsets, numbered from 1.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split('\n').enumerate().map(move |(i, l)| {
        let start = offset;
        offset += l.len() + 1;
        (i + 1, start, l)
    })
}

/// The listing a structured front end writes while it reads: numbered lines of text, and the
/// items (prose lines, table rows of tokens) found in them with their spans in that text.
#[derive(Default)]
pub struct Listing {
    pub text: String,
    lines: usize,
    pub items: Vec<Item>,
}

impl Listing {
    /// Start a line; returns its number and byte offset.
    pub fn new_line(&mut self) -> (usize, usize) {
        if self.lines > 0 {
            self.text.push('\n');
        }
        self.lines += 1;
        (self.lines, self.text.len())
    }

    /// A line of prose (already trimmed, not empty), with its words as tokens.
    pub fn push_line(&mut self, text: &str) {
        let (no, start) = self.new_line();
        self.text.push_str(text);
        self.items.push(Item::Line(Line {
            no,
            text: text.to_string(),
            span: start..self.text.len(),
            tokens: words(text, start, no),
            indent: 0,
            width: 0,
            page_break: false,
            page: 0,
            blank_before: false,
        }));
    }

    /// Append one cell of a table row to line `no` (cells separated by ` | `); its token.
    pub fn push_cell(&mut self, no: usize, first: bool, text: &str) -> Token {
        if !first {
            self.text.push_str(" | ");
        }
        let start = self.text.len();
        self.text.push_str(text);
        Token { text: text.to_string(), line: no, span: start..self.text.len() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_any_space() {
        let w = words("\t规章\u{3000}\u{3000}0 \u{a0}1", 10, 3);
        let texts: Vec<&str> = w.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["规章", "0", "1"]);
        assert_eq!(w[0].span, 11..17);
        assert_eq!(w[0].line, 3);
    }

    #[test]
    fn lines_carry_their_numbers_and_offsets() {
        let l: Vec<_> = lines("ab\n\ncd").collect();
        assert_eq!(l, [(1, 0, "ab"), (2, 3, ""), (3, 4, "cd")]);
    }
}
