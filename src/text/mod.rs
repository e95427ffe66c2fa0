//! Text utilities shared by the decoder, the lints and the importers: Chinese numerals
//! ([`numerals`]), the character classes of Chinese text, and the edit distance behind every
//! "did you mean" suggestion and fuzzy label match. One definition each, so that a reader of
//! dates and a lint on dates cannot disagree about what a Chinese digit is.

pub mod numerals;

/// CJK ideographs (the Unified block, its extensions and compatibility forms) and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Chinese characters and the punctuation set with them (CJK symbols, full-width forms, curly
/// quotes, …, —): no space belongs next to them in running text.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '～')
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_chars(&a, &b)
}

/// [`edit_distance`] of character slices (for callers that hold them already).
pub fn edit_distance_chars(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("in_forse", "in_force"), 1);
        assert_eq!(edit_distance("规范性文件", "行政规范性文件"), 2);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn classes() {
        assert!(is_han('〇') && is_han('国') && !is_han('。') && !is_han('a'));
        assert!(is_cjk('。') && is_cjk('“') && is_cjk('国') && !is_cjk('a'));
    }
}
