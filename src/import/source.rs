//! A source as the front ends read it: numbered lines with their byte offsets, and the
//! white-space separated words of a line with their spans. Every front end (web text,
//! `pdftotext` output, HTML, DOCX) hands these tokens on, so a diagnostic can always name the
//! line and column of what it concerns.

use super::Token;

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
