//! Times named in text: explicit years (2021年, 二〇二一年), a clause that only names a year, and
//! parts of a year (上半年, 1至6月).

use super::text;
use super::vocabulary::any;
use crate::text::numerals;

/// Explicit years (2021年, 二〇二一年) in `s`, in order.
pub(super) fn years(s: &str) -> Vec<i64> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for i in 0..c.len() {
        if c[i] != '年' || i < 4 {
            continue;
        }
        let y = &c[i - 4..i];
        let before_ok = i == 4 || !(c[i - 5].is_ascii_digit() || numerals::is_cn_numeral(c[i - 5]));
        if !before_ok {
            continue;
        }
        if y.iter().all(|d| d.is_ascii_digit()) {
            out.push(y.iter().collect::<String>().parse().unwrap_or(0));
        } else if let Some(v) = numerals::parse_chinese(y) {
            if (1900..=2200).contains(&v) {
                out.push(v as i64);
            }
        }
    }
    out
}

/// A clause that is only a time: 2020年， / 2020年度， / 在2020年，.
pub(super) fn topic_year(clause: &str) -> Option<i64> {
    let t = clause.trim().trim_start_matches(['在', '于']);
    let t = t.trim_end_matches(['度', '内', '中', '里']);
    let t = t.strip_suffix("全年").unwrap_or(t);
    let t = t.trim_end_matches(['度']);
    let ys = years(t);
    (ys.len() == 1 && t.chars().count() <= 6 && t.ends_with('年')).then(|| ys[0])
}

/// A part of the year: 上半年, 第三季度, 1至6月, 截至6月底 (but not 12月31日 or 1月1日).
pub(super) fn partial_period(s: &str) -> bool {
    if any(s, &["半年", "季度", "月份"]) {
        return true;
    }
    let c: Vec<char> = s.chars().collect();
    for i in 0..c.len() {
        if c[i] != '月' || i == 0 || !c[i - 1].is_ascii_digit() {
            continue;
        }
        let start = (0..i).rev().take_while(|&k| c[k].is_ascii_digit()).last().unwrap_or(i);
        let m: u32 = text(&c, start..i).parse().unwrap_or(0);
        let rest = text(&c, i + 1..(i + 4).min(c.len()));
        let whole_year = (m == 12 && (rest.starts_with("31日") || rest.starts_with('底') || rest.starts_with('末')))
            || (m == 1 && rest.starts_with("1日"));
        if !whole_year {
            return true;
        }
    }
    false
}
