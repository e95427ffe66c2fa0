//! The `pdftotext -layout` front end.
//!
//! What the extraction does to a report, and what is undone here:
//! - pages end with a form feed, and a page number (`- 3 -`, `— 3 —`, `第 3 页`, `3/9`) stands
//!   at the foot: footers are dropped, and a paragraph runs on across the page break;
//! - paragraphs are hard-wrapped at the line width: lines are re-joined, a paragraph ending at a
//!   short line, an indented line or (unless every line is double-spaced) a blank line;
//! - spaces appear between Chinese characters of justified lines and around digits (`2021 年`):
//!   inside prose they are removed, white space between Latin words is kept;
//! - a table row is one line of space-separated cells, long labels are broken over several
//!   lines and group cells are cut into pieces: the words of each line are handed to
//!   [`super::tables`] as cells.

use std::sync::OnceLock;

use regex::Regex;
use unicode_width::UnicodeWidthStr;

use super::source::{lines, words};
use super::{Ctx, Item, Line, Para};

fn footer_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$",
        )
        .unwrap_or_else(|_| unreachable!("constant pattern"))
    })
}

/// A page number line such as `- 3 -`, `— 3 —`, `第 3 页 共 9 页` or `3/9` (trimmed).
pub fn is_footer(s: &str) -> bool {
    footer_re().is_match(s)
}

/// A footer, or a bare page number (only taken as one at the foot of a page).
fn is_page_number(s: &str) -> bool {
    is_footer(s) || (!s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// A line as prose: white space next to a Chinese character removed, other runs of white space
/// made one space.
pub fn prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.chars().last().is_some_and(crate::text::is_cjk) && !crate::text::is_cjk(c) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Join the next line of a paragraph: Latin words broken at the line end get their space back.
pub fn join(a: &mut String, b: &str) {
    if a.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        a.push(' ');
    }
    a.push_str(b);
}

/// The lines of `pdftotext -layout` output, page footers removed, and the pieces of one visual
/// line put back together.
///
/// `pdftotext` sometimes prints the rest of a line as a line of its own after punctuation whose
/// spacing was adjusted, indented to where it stood (`……条例》` / `            （以下简称`). Such a
/// piece starts within three columns of where the line before it ended, at an indent other
/// than the page's paragraph indent; it is joined to that line.
pub fn items(text: &str, _ctx: &mut Ctx) -> Vec<Item> {
    // (line number, byte offset of the text after any form feeds, text, page break before)
    let mut raw: Vec<(usize, usize, &str, bool)> = Vec::new();
    for (no, start, l) in lines(text) {
        let body = l.trim_start_matches('\u{c}');
        raw.push((no, start + (l.len() - body.len()), body, body.len() != l.len()));
    }
    // Page numbers: footer patterns anywhere, and a bare number when it is the last line of a
    // page.
    let mut drop = vec![false; raw.len()];
    for (i, (_, _, l, _)) in raw.iter().enumerate() {
        let t = l.trim();
        if is_footer(t) {
            drop[i] = true;
        } else if is_page_number(t) {
            let next = raw[i + 1..].iter().find(|r| !r.2.trim().is_empty() || r.3);
            if next.is_none_or(|r| r.3) {
                drop[i] = true;
            }
        }
    }
    let content = |i: usize| !drop[i] && !raw[i].2.trim().is_empty();
    let end_of = |i: usize| indent_of(raw[i].2) + raw[i].2.trim().chars().count();
    // The next content line after i, if nothing (blank line, page break) separates them.
    let next_adjacent = |i: usize| -> Option<usize> {
        let j = i + 1;
        (j < raw.len() && content(j) && !raw[j].3).then_some(j)
    };
    // The width of a full line, in columns: the median end of the lines inside paragraphs (at
    // the margin, and followed by another such line), which table rows hardly ever are.
    let mut ends: Vec<usize> = (0..raw.len())
        .filter(|&i| {
            content(i) && indent_of(raw[i].2) == 0 && next_adjacent(i).is_some_and(|j| indent_of(raw[j].2) == 0)
        })
        .map(end_of)
        .collect();
    ends.sort_unstable();
    let full = ends.get(ends.len() / 2).copied().unwrap_or(0);
    // The paragraph indent of each page: the commonest indent of a full first line followed by
    // a line at the margin.
    let mut page_of = Vec::with_capacity(raw.len());
    let mut page = 0;
    for r in &raw {
        page += usize::from(r.3);
        page_of.push(page);
    }
    let mut counts = vec![[0usize; 9]; page + 1];
    for i in 0..raw.len() {
        let indent = indent_of(raw[i].2);
        // Digits and the extraction's spaces make a full line longer in columns, never shorter.
        if content(i) && (1..=8).contains(&indent) && end_of(i) + 3 >= full && end_of(i) <= full + 6 {
            if let Some(j) = next_adjacent(i) {
                if indent_of(raw[j].2) == 0 {
                    counts[page_of[i]][indent] += 1;
                }
            }
        }
    }
    let commonest = |c: &[usize; 9]| (1..=8).filter(|&k| c[k] > 0).max_by_key(|&k| (c[k], std::cmp::Reverse(k)));
    let para_indent: Vec<Option<usize>> = counts.iter().map(commonest).collect();
    // Whether line j continues the visual line that ended at column `end` with `last`: it
    // starts there, and either opens with closing punctuation or, with the pieces after it,
    // fills the line. Where the page shows no paragraph indent, a line after a full stop is
    // taken as a new paragraph.
    let continues = |j: usize, end: usize, last: Option<char>| -> bool {
        let indent = indent_of(raw[j].2);
        if indent == 0 || indent.abs_diff(end) > 3 {
            return false;
        }
        if raw[j].2.trim().starts_with(['。', '，', '、', '；', '：', '）', '》', '”', '」', '！', '？']) {
            return true;
        }
        match para_indent[page_of[j]] {
            Some(p) if p == indent => return false,
            None if last.is_some_and(|c| matches!(c, '。' | '！' | '？' | '：')) => return false,
            _ => {}
        }
        let mut k = j;
        let mut reach = end_of(j);
        while let Some(n) = next_adjacent(k) {
            if indent_of(raw[n].2) == 0 || indent_of(raw[n].2).abs_diff(reach) > 3 {
                break;
            }
            reach = end_of(n);
            k = n;
        }
        reach + 3 >= full
    };

    let mut out: Vec<Line> = Vec::new();
    // Column (in characters) where the last line ended.
    let mut end_col = 0usize;
    let mut blank = false;
    let mut page_break = false;
    for (i, (no, start, l, ff)) in raw.iter().enumerate() {
        page_break |= *ff || drop[i];
        let trimmed = l.trim();
        if drop[i] || trimmed.is_empty() {
            blank |= trimmed.is_empty();
            continue;
        }
        let indent = indent_of(l);
        let lead = l.len() - l.trim_start().len();
        let span = start + lead..start + lead + trimmed.len();
        let last = out.last().and_then(|l| l.text.chars().last());
        let piece = !blank && !page_break && !out.is_empty() && continues(i, end_col, last);
        match out.last_mut() {
            Some(prev) if piece => {
                join(&mut prev.text, &prose(trimmed));
                prev.span.end = span.end;
                prev.tokens.extend(words(l, *start, *no));
                prev.width += UnicodeWidthStr::width_cjk(trimmed);
            }
            _ => out.push(Line {
                no: *no,
                text: prose(trimmed),
                span,
                tokens: words(l, *start, *no),
                indent,
                width: indent + UnicodeWidthStr::width_cjk(trimmed),
                page_break,
                page: page_of[i],
                blank_before: blank && !page_break,
            }),
        }
        end_col = end_of(i);
        blank = false;
        page_break = false;
    }
    out.into_iter().map(Item::Line).collect()
}

fn indent_of(l: &str) -> usize {
    l.chars().take_while(|c| c.is_whitespace()).count()
}

/// What decides where paragraphs end, measured on the prose lines of one document.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// The width of a full line (the upper quartile of line widths).
    pub full: usize,
    /// Whether blank lines separate paragraphs (not when nearly every line is followed by one).
    pub blank_breaks: bool,
    /// Whether paragraphs begin with an indented line (the GB/T 9704 way). Then the indent
    /// marks paragraphs, and only a clearly short line ends one: a line broken early before a
    /// long word (a web address) is not an end.
    pub indented: bool,
}

pub fn layout(lines: &[&Line]) -> Layout {
    let mut widths: Vec<usize> = lines.iter().filter(|l| l.text.chars().count() >= 8).map(|l| l.width).collect();
    widths.sort_unstable();
    let full = widths.get(widths.len() * 3 / 4).copied().unwrap_or(0);
    let blanks = lines.iter().filter(|l| l.blank_before).count();
    let margins = margins(lines);
    let indented = lines.iter().filter(|l| (1..=8).contains(&(l.indent - margins[l.page]))).count();
    Layout { full, blank_breaks: lines.is_empty() || blanks * 2 < lines.len(), indented: indented * 10 >= lines.len() }
}

/// The left margin of the prose on each page, in columns: `pdftotext` counts columns from the
/// leftmost text of a page, so the same indent can be 1 column on one page and 5 on another.
fn margins(lines: &[&Line]) -> Vec<usize> {
    let pages = lines.iter().map(|l| l.page + 1).max().unwrap_or(0);
    let mut out = vec![usize::MAX; pages];
    for l in lines {
        out[l.page] = out[l.page].min(l.indent);
    }
    out
}

/// Hard-wrapped lines put back into paragraphs.
pub fn paragraphs(lines: &[&Line], layout: &Layout) -> Vec<Para> {
    let margins = margins(lines);
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<&Line> = None;
    for l in lines {
        let starts = match prev {
            None => true,
            Some(p) => {
                // Two characters' worth of slack: justified lines end within that of the margin.
                let short = if layout.indented { p.width * 4 < layout.full * 3 } else { p.width + 4 < layout.full };
                l.indent > margins[l.page] || short || (layout.blank_breaks && l.blank_before)
            }
        };
        match out.last_mut() {
            Some(last) if !starts => {
                join(&mut last.text, &l.text);
                last.span.end = l.span.end;
            }
            _ => out.push(Para { text: l.text.clone(), line: l.no, span: l.span.clone() }),
        }
        prev = Some(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers() {
        for f in ["- 3 -", "-3-", "— 12 —", "－ 4 －", "第 3 页", "第3页 共9页", "3/9", "Page 2"] {
            assert!(is_footer(f), "{f}");
        }
        for f in ["一、总体情况", "2021年", "3", "0 0 0"] {
            assert!(!is_footer(f), "{f}");
        }
    }

    #[test]
    fn prose_drops_extraction_spaces() {
        assert_eq!(prose("提高 行政 透明 度和 办事 效率 。加 速"), "提高行政透明度和办事效率。加速");
        assert_eq!(prose("2021 年 1 月 28 日"), "2021年1月28日");
        assert_eq!(prose("邮编： 264400 ；电话："), "邮编：264400；电话：");
        assert_eq!(prose("Microsoft  Word"), "Microsoft Word");
    }

    #[test]
    fn footers_and_page_breaks_are_dropped() {
        let text =
            "   第一段第一行很长很长\n第一段第二行\n\n          - 1 -\n\u{c}第一段第三行。\n   第二段。\n\n   5\n\u{c}";
        let mut ctx = Ctx::default();
        let items = items(text, &mut ctx);
        let texts: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Line(l) => Some(l.text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["第一段第一行很长很长", "第一段第二行", "第一段第三行。", "第二段。"]);
        let Item::Line(third) = &items[2] else { unreachable!() };
        assert!(third.page_break && !third.blank_before);
        assert_eq!(third.no, 5);
    }
}
