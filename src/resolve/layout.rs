//! Layout decisions both renderers must agree on, made once from the profile: where the 署名
//! and 成文日期 go (GB/T 9704-2012 §7.3.5), how table cells are aligned and which font role
//! prints them, the page number text, and where a run of text too wide for its line may break.
//!
//! Horizontal positions are in 字: one body character on the character grid, the type area
//! width divided by `grid.chars_per_line` (official-format §1.1: 156 mm / 28 = 15.79 pt). The
//! PDF template multiplies them by its `zi`, the DOCX writer converts them to twips with
//! [`zi_pt`]; neither renderer decides a position of its own.
//!
//! Text widths are estimated from the characters — a wide (CJK) character is one 字, a narrow
//! one (digits, Latin letters) half a body size plus the grid's tracking — because the two
//! renderers must decide *before* typesetting, on the same numbers. Lines are placed by their
//! left edge, which is exact in both outputs; only their right ends carry the estimate.

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use crate::profile::{mm_to_pt, Profile};

/// One 字 in points: the type area width over the characters per line.
pub fn zi_pt(p: &Profile) -> f64 {
    mm_to_pt(p.type_area_width_mm()) / f64::from(p.grid.chars_per_line.max(1))
}

/// Width of `text` in 字 when set in the body size on the character grid.
pub fn width_chars(p: &Profile, text: &str) -> f64 {
    let zi = zi_pt(p);
    let tracking = zi - p.body.size_pt;
    text.chars()
        .map(|c| match c.width() {
            Some(2) => 1.0,
            Some(1) => (0.5 * p.body.size_pt + tracking) / zi,
            _ => 0.0,
        })
        .sum()
}

/// Where the 署名, the 成文日期 and the seal go.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignaturePlacement {
    pub sealed: bool,
    /// Empty body lines between the last paragraph and the 署名.
    pub blank_lines_before: u32,
    /// Left edge of the 署名 line, in 字 from the left edge of the type area.
    pub agency_left_chars: f64,
    /// Width of the widest 署名 line, in 字.
    pub agency_width_chars: f64,
    /// The 署名 as printed, line by line: one line, or — when it is wider than the type area —
    /// as few lines as fit, of even width, the last the longest (never a lone character on a
    /// line of its own). All start at `agency_left_chars`; the date goes below the last.
    pub agency_lines: Vec<String>,
    /// Left edge of the date line (the line below the 署名), in 字; absent without a date.
    pub date_left_chars: Option<f64>,
    pub date_width_chars: f64,
    /// Centre of the seal, in 字 from the left edge of the type area (sealed only).
    pub seal_centre_chars: Option<f64>,
    /// Which clause of GB/T 9704 §7.3.5 placed the lines (for tests and messages).
    pub rule: SignatureRule,
}

/// The case of GB/T 9704-2012 §7.3.5 that applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureRule {
    /// §7.3.5.2, no seal: 署名 右空二字, the date's first character 2 字 right of the 署名's.
    Unsealed,
    /// §7.3.5.2, no seal, the date (so shifted) would come closer to the right edge than the
    /// 署名: the date 右空二字 and the 署名's right indent grows to keep the 2 字 shift.
    UnsealedLongDate,
    /// §7.3.5.1, with a seal: the date 右空四字, the 署名 centred on the date.
    Sealed,
    /// §7.3.5.1 with a 署名 so long that centring it on the date would cross the right edge of
    /// the type area: the standard gives no rule; the 署名 ends at the right edge (右空零字) and
    /// the date stays 右空四字, the seal centred on the date. The same in PDF and DOCX.
    SealedLongAgency,
    /// No date: the 署名 alone, 右空二字 (no seal) or 右空四字 (seal).
    NoDate,
}

/// The 署名's lines: the whole name when it fits the line (to the point: the renderers give a
/// line ending at the right edge a point to spare), else the fewest lines of at most one 字
/// less than the line, filled evenly from the start, so the last line is the longest.
pub fn agency_lines(p: &Profile, agency: &str) -> Vec<String> {
    let line = f64::from(p.grid.chars_per_line.max(2));
    let total = width_chars(p, agency);
    if total <= line + 1e-6 {
        return vec![agency.to_string()];
    }
    let n = (total / (line - 1.0)).ceil().max(1.0);
    let target = total / n;
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut w = 0.0;
    for c in agency.chars() {
        let cw = width_chars(p, c.encode_utf8(&mut [0; 4]));
        if !current.is_empty() && w + cw > target + 1e-6 && (lines.len() as f64) < n - 1.0 {
            lines.push(std::mem::take(&mut current));
            w = 0.0;
        }
        current.push(c);
        w += cw;
    }
    lines.push(current);
    lines
}

/// Lay the signature block out (GB/T 9704-2012 §7.3.5; official-format §1.6).
pub fn signature(p: &Profile, agency: &str, date: &str, sealed: bool) -> SignaturePlacement {
    let sp = &p.signature;
    let line = f64::from(p.grid.chars_per_line);
    let agency_lines = agency_lines(p, agency);
    let name_w = agency_lines.iter().map(|l| width_chars(p, l)).fold(0.0, f64::max);
    let date_w = width_chars(p, date);
    // A 署名 too wide for its right indent starts at the left edge.
    let left_of = |right_indent: f64, w: f64| (line - right_indent - w).max(0.0);
    let blank_lines_before = if sealed { sp.sealed_blank_lines_before } else { sp.blank_lines_before };
    let (agency_left, date_left, rule) = if date.is_empty() {
        let ri = if sealed { sp.sealed_date_right_indent_chars } else { sp.unsealed_right_indent_chars };
        (left_of(f64::from(ri), name_w), None, SignatureRule::NoDate)
    } else if sealed {
        let date_ri = f64::from(sp.sealed_date_right_indent_chars);
        let date_left = left_of(date_ri, date_w);
        let centred = date_left + (date_w - name_w) / 2.0;
        if centred + name_w > line {
            (left_of(0.0, name_w), Some(date_left), SignatureRule::SealedLongAgency)
        } else {
            (centred.max(0.0), Some(date_left), SignatureRule::Sealed)
        }
    } else {
        let ri = f64::from(sp.unsealed_right_indent_chars);
        let shift = f64::from(sp.unsealed_date_shift_chars);
        let name_left = left_of(ri, name_w);
        // 「如成文日期长于发文机关署名，应当使成文日期右空二字编排」: read as "the shifted date
        // would reach closer to the right edge than the 署名's 2 字".
        if name_left + shift + date_w > line - ri + 1e-9 {
            let date_left = left_of(ri, date_w);
            ((date_left - shift).max(0.0), Some(date_left), SignatureRule::UnsealedLongDate)
        } else {
            (name_left, Some(name_left + shift), SignatureRule::Unsealed)
        }
    };
    let seal_centre_chars = sealed.then(|| match date_left {
        Some(d) => d + date_w / 2.0,
        None => agency_left + name_w.min(line) / 2.0,
    });
    SignaturePlacement {
        sealed,
        blank_lines_before,
        agency_left_chars: agency_left,
        agency_width_chars: name_w,
        agency_lines,
        date_left_chars: date_left,
        date_width_chars: date_w,
        seal_centre_chars,
        rule,
    }
}

/// The page number as printed: `{prefix}{n}{suffix}` (official-format §1.3: 「— 1 —」, a
/// 一字线 and a space on either side).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageNumberText {
    pub prefix: String,
    pub suffix: String,
}

impl PageNumberText {
    pub fn gbt9704() -> PageNumberText {
        PageNumberText { prefix: "— ".into(), suffix: " —".into() }
    }

    pub fn format(&self, n: usize) -> String {
        format!("{}{n}{}", self.prefix, self.suffix)
    }
}

/// Zero-width space: a break opportunity that prints nothing, understood by Typst, Word and
/// LibreOffice alike.
pub const BREAK: char = '\u{200B}';

/// `text` with break opportunities inside every run that has none and is wider than
/// `width_chars` (a 64-character hash, a long URL, a 400-digit number): such a run would run
/// off its line or out of its cell. A run that fits is left as it is; one that does not may
/// break after any character, as a last resort. Widths are in 字 of `size_pt` text with no
/// tracking beyond the body's (table text is untracked; narrow characters are then counted at
/// half the size, which is wider than they are, so a run is never let through too wide).
pub fn breakable(text: &str, width_chars: f64) -> String {
    let runs_too_wide = {
        let mut w = 0.0;
        let mut too_wide = false;
        for c in text.chars() {
            if breaks_around(c) {
                w = 0.0;
            } else {
                w += char_chars(c);
                too_wide |= w > width_chars;
            }
        }
        too_wide
    };
    if !runs_too_wide {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if breaks_around(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut w = 0.0;
        while i < chars.len() && !breaks_around(chars[i]) {
            w += char_chars(chars[i]);
            i += 1;
        }
        let run = &chars[start..i];
        if w > width_chars {
            for (k, c) in run.iter().enumerate() {
                if k > 0 {
                    out.push(BREAK);
                }
                out.push(*c);
            }
        } else {
            out.extend(run);
        }
    }
    out
}

/// Characters a line may break before or after anyway: spaces, CJK characters (Chinese text
/// breaks between any two characters), existing break opportunities.
fn breaks_around(c: char) -> bool {
    c.is_whitespace() || c == BREAK || c.width() == Some(2)
}

fn char_chars(c: char) -> f64 {
    match c.width() {
        Some(2) => 1.0,
        Some(1) => 0.5,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Profile {
        Profile::builtin()
    }

    #[test]
    fn unsealed_date_starts_two_characters_right_of_the_agency() {
        let s = signature(&p(), "威海市文登区应急管理局", "2022年1月28日", false);
        assert_eq!(s.rule, SignatureRule::Unsealed);
        assert!((s.agency_left_chars + s.agency_width_chars - 26.0).abs() < 1e-9);
        assert!((s.date_left_chars.unwrap() - s.agency_left_chars - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_date_that_would_reach_past_the_agency_goes_two_characters_from_the_right() {
        // About 7 字 of 署名 and a 7 字 date: shifted, the date would end 0 字 from the margin.
        let s = signature(&p(), "某某县市场监管局", "2022年1月28日", false);
        assert_eq!(s.rule, SignatureRule::UnsealedLongDate);
        let d = s.date_left_chars.unwrap();
        assert!((d + s.date_width_chars - 26.0).abs() < 1e-9);
        assert!((d - s.agency_left_chars - 2.0).abs() < 1e-9);
    }

    #[test]
    fn sealed_agency_is_centred_on_the_date_until_it_reaches_the_edge() {
        let s = signature(&p(), "某某局", "2022年1月28日", true);
        assert_eq!(s.rule, SignatureRule::Sealed);
        let d = s.date_left_chars.unwrap();
        assert!((d + s.date_width_chars - 24.0).abs() < 1e-9);
        let centre = |l: f64, w: f64| l + w / 2.0;
        assert!((centre(s.agency_left_chars, s.agency_width_chars) - centre(d, s.date_width_chars)).abs() < 1e-9);
        let long = signature(&p(), "某某省某某市某某区市场监督管理局办公室", "2022年1月28日", true);
        assert_eq!(long.rule, SignatureRule::SealedLongAgency);
        assert!((long.agency_left_chars + long.agency_width_chars - 28.0).abs() < 1e-9);
    }

    #[test]
    fn a_signature_wider_than_the_line_breaks_into_even_lines() {
        let name = "淄博市张店区教育和体育局经济技术开发区管理委员会综合执法局";
        let s = signature(&p(), name, "2024年1月26日", false);
        assert_eq!(s.agency_lines, ["淄博市张店区教育和体育局经济", "技术开发区管理委员会综合执法局"]);
        assert_eq!(s.agency_lines.concat(), name);
        assert!((s.agency_width_chars - 15.0).abs() < 1e-9);
        assert_eq!(s.rule, SignatureRule::Unsealed);
        assert!((s.agency_left_chars - 11.0).abs() < 1e-9);
        // Exactly a line wide: one line, at the left edge.
        let full: String = "局".repeat(28);
        assert_eq!(signature(&p(), &full, "", true).agency_lines, [full]);
        assert_eq!(agency_lines(&p(), &"局".repeat(81)).len(), 3);
    }

    #[test]
    fn only_runs_too_wide_get_break_opportunities() {
        assert_eq!(breakable("电话0631-1234567", 10.0), "电话0631-1234567");
        let hash = "a".repeat(64);
        let b = breakable(&format!("校验值{hash}。"), 28.0);
        assert_eq!(b.matches(BREAK).count(), 63);
        assert_eq!(b.replace(BREAK, ""), format!("校验值{hash}。"));
    }
}
