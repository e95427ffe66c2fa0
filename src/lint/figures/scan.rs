//! Reading one paragraph: its figures (a number and its unit), sentences and clauses, the
//! words around each figure, and the claims they make — positive (收到申请12件) and negative
//! (未收到政府信息公开申请).

use std::ops::Range;

use rust_decimal::Decimal;

use super::classify::{
    classify, doc_col, doc_row, has_application, item, names_outcome, other_period, total_like, Ctx, Unit,
};
use super::lookup::Cell;
use super::period::{partial_period, years};
use super::text;
use super::vocabulary::{any, mask, vocabulary};
use crate::model::tables::{DocColumn, DocRow};
use crate::text::numerals::{self, Number};

/// Units of a count and of money.
const COUNT_UNITS: &str = "件宗起份部个";

/// A number with a unit.
struct Figure {
    num: Number,
    unit: Unit,
    /// End of the unit (characters).
    end: usize,
}

/// A statement of the text about a table cell.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The cells the statement may mean; it is consistent when it matches any of them.
    pub cells: Vec<Cell>,
    /// Counts, or 万元 for fees.
    pub value: Decimal,
    /// Characters of the figure (or of the negative phrase) in the paragraph.
    pub range: Range<usize>,
}

fn is_sentence_end(ch: char) -> bool {
    matches!(ch, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

fn is_clause_break(ch: char) -> bool {
    is_sentence_end(ch) || matches!(ch, '，' | ',' | '：' | ':' | '（' | '）' | '(' | ')')
}

fn figures(c: &[char]) -> Vec<Figure> {
    let mut out = Vec::new();
    for num in numerals::scan(c) {
        let mut j = num.end;
        while c.get(j) == Some(&' ') {
            j += 1;
        }
        let Some(&u) = c.get(j) else { continue };
        let unit = if u == '元' {
            Unit::Yuan
        } else if COUNT_UNITS.contains(u) {
            // 件次 and 人次 count visits, 个工作日 a delay.
            if matches!(c.get(j + 1), Some('次' | '人' | '工' | '月' | '小' | '年' | '天' | '批' | '套')) {
                continue;
            }
            Unit::Count
        } else {
            continue;
        };
        out.push(Figure { num, unit, end: j + 1 });
    }
    out
}

/// For each character, whether it lies inside brackets (a figure there qualifies another).
fn bracketed(c: &[char]) -> Vec<bool> {
    let mut depth = 0u32;
    c.iter()
        .map(|&ch| {
            match ch {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth > 0 && !matches!(ch, '（' | '(')
        })
        .collect()
}

/// How far before a figure its words are read. Context further away says nothing about it,
/// and the bound keeps a paragraph without punctuation (50 MB of it) linear.
const WINDOW: usize = 160;

/// Longest clause read for a negative statement (未收到政府信息公开申请 is short).
const NEGATIVE_CLAUSE: usize = 80;

fn positive_claims(p: &Para, figs: &[Figure], inside: &[bool], out: &mut Vec<Claim>) {
    let vocab = vocabulary();
    let c = p.chars;
    let sentences = split(c, is_sentence_end);
    let mut next_fig = 0;
    for (si, s) in sentences.iter().enumerate() {
        let joined_start = if text(c, s.clone()).trim_start().starts_with("其中") && si > 0 {
            sentences[si - 1].start
        } else {
            s.start
        };
        let mut prev_end: Option<usize> = None;
        let mut doc_before: Option<DocRow> = None;
        while next_fig < figs.len() && figs[next_fig].num.start < s.start {
            next_fig += 1;
        }
        let first = next_fig;
        while next_fig < figs.len() && figs[next_fig].num.start < s.end {
            next_fig += 1;
        }
        for f in &figs[first..next_fig] {
            let n = &f.num;
            let window = n.start.saturating_sub(WINDOW);
            let sentence_start = s.start.max(window);
            let clause_start = (sentence_start..n.start)
                .rev()
                .find(|&k| is_clause_break(c[k]))
                .map(|k| k + 1)
                .unwrap_or(sentence_start);
            let seg_start = prev_end.filter(|&e| e > clause_start).unwrap_or(clause_start);
            let tail_end = (f.end..s.end.min(f.end + WINDOW))
                .find(|&k| is_clause_break(c[k]) || c[k].is_ascii_digit())
                .unwrap_or(s.end.min(f.end + WINDOW));
            let seg = text(c, seg_start..n.start);
            let tail = text(c, f.end..tail_end);
            let clause = text(c, clause_start..n.start);
            let before = text(c, joined_start.max(window)..n.start);
            let para = if p.explicit_at.is_some_and(|at| at <= n.start) { vocab.app_explicit[0].as_str() } else { "" };
            prev_end = Some(f.end);
            let x = Ctx {
                seg: &seg,
                tail: &tail,
                clause: &clause,
                before: &before,
                para,
                title_apps: p.title_apps,
                title_cases: p.title_cases,
            };
            let this_doc = doc_row(&seg).flatten();
            let doc_prev = doc_before;
            doc_before = this_doc.or(doc_before.filter(|_| doc_col(&seg).is_some()));
            if n.chinese && n.start > 0 && "第每同统唯逐单任某哪这那另之".contains(c[n.start - 1]) {
                continue;
            }
            if n.start > 0 && c[n.start - 1] == '第' {
                continue;
            }
            if inside[n.start] {
                continue;
            }
            if vocab.approx_before.iter().any(|w| seg.ends_with(w))
                || vocab.approx_after.iter().any(|w| tail.starts_with(w))
            {
                continue;
            }
            if any(&seg, &vocab.relative)
                || any(&seg, &vocab.planned)
                || any(&seg, &vocab.other_body)
                || any(&seg, &vocab.subcount)
            {
                continue;
            }
            let Some(cells) = classify(&x, f.unit, p.year, doc_prev) else { continue };
            if other_period(&x, &cells, p.year) {
                continue;
            }
            if total_like(&cells) && before.contains("其中") {
                continue;
            }
            let value = match f.unit {
                Unit::Yuan => n.value / Decimal::from(10_000),
                Unit::Count => n.value,
            };
            out.push(Claim { cells, value, range: n.start..f.end });
        }
    }
}

/// Negative statements of a clause without figures: 未收到政府信息公开申请 (table 三 本年新收 is
/// 0), 未产生行政复议和行政诉讼情况 (table 四 totals are 0), 未制发行政规范性文件, 未收取行政事业性收费.
fn negative_claims(p: &Para, figs: &[Figure], inside: &[bool], out: &mut Vec<Claim>) {
    let vocab = vocabulary();
    let c = p.chars;
    let sentences = split(c, is_sentence_end);
    for s in &sentences {
        for cl in split_range(c, s.clone(), is_clause_break) {
            let has_figure =
                figs.partition_point(|f| f.num.start < cl.start) < figs.partition_point(|f| f.num.start < cl.end);
            if has_figure || inside[cl.start] || cl.len() > NEGATIVE_CLAUSE {
                continue;
            }
            let context = s.start.max(cl.start.saturating_sub(WINDOW));
            let clause = text(c, cl.clone());
            let masked = mask(&clause, &["尚未", "未能", "无法", "未经", "无正当理由", "未按", "未及时", "并无不当"]);
            let neg = ["未", "没有", "无"].iter().filter_map(|w| masked.find(w)).min();
            let Some(neg_at) = neg else { continue };
            let after = &clause[neg_at..];
            let before = text(c, context..cl.start + clause[..neg_at].chars().count());
            if any(&clause, &vocab.relative)
                || any(&clause, &vocab.planned)
                || any(&clause, &vocab.other_body)
                || any(&clause, &vocab.subcount)
                || any(&clause, &vocab.goals)
            {
                continue;
            }
            // 申请人未申请行政复议 speaks of one case, not of the year.
            if before.contains("其中")
                || any(&clause[..neg_at], &["申请人", "当事人"])
                || partial_period(&text(c, context..cl.end))
            {
                continue;
            }
            let ys = years(&text(c, context..cl.end));
            if ys.iter().any(|&y| y != p.year) {
                continue;
            }
            let title_apps = p.title_apps;
            let mut cells: Vec<Cell> = Vec::new();
            let mut end_word: Option<&str> = None;
            if any(after, &["复议", "诉讼", "起诉"]) {
                if any(&clause, &vocab.case_exclude) || any(&clause, &["违法", "责任", "追究", "不当", "通报", "确认"])
                {
                    continue;
                }
                if !(any(&clause, &["政府信息公开", "信息公开"]) || p.title_cases || p.cases_context || title_apps)
                {
                    continue;
                }
                if after.contains("复议") && !after.contains("复议后") {
                    cells.push(Cell::Review);
                    end_word = Some("复议");
                }
                if any(after, &["诉讼", "起诉"]) {
                    cells.push(Cell::Litigation);
                    end_word = Some(if after.contains("诉讼") { "诉讼" } else { "起诉" });
                }
            } else if after.contains("结转") {
                let last = any(after, &vocab.last_year);
                let next = any(after, &["下年", "下一年", "次年", "明年"]);
                if last == next || !(has_application(after) || title_apps) {
                    continue;
                }
                cells.push(if last { Cell::CarriedOver } else { Cell::CarriedForward });
                end_word = Some("结转");
            } else if has_application(after) && !any(after, &vocab.other_subject) && !any(after, &["复议", "诉讼"])
            {
                let verb = ["收到", "受理", "接到", "接收", "新收"].iter().any(|v| after.contains(v));
                let direct =
                    ["无政府信息公开申请", "无依申请公开", "没有政府信息公开申请"].iter().any(|w| after.starts_with(w));
                let explicit = any(after, &vocab.app_explicit) || title_apps;
                if !(verb || direct) || !explicit || names_outcome(after) || any(after, &vocab.verb_handled) {
                    continue;
                }
                cells.push(Cell::New);
                end_word = Some("申请");
            } else if let Some(found) = doc_row(after) {
                let Some(rw) = found else { continue };
                let col = if any(after, &["制发", "制定", "出台", "印发", "发布"]) {
                    DocColumn::Issued
                } else if after.contains("废止") {
                    DocColumn::Repealed
                } else {
                    continue;
                };
                if any(after, &vocab.doc_exclude) {
                    continue;
                }
                cells.push(Cell::Doc(rw, col));
                end_word = Some(match rw {
                    DocRow::Regulations => "规章",
                    DocRow::NormativeDocuments => "规范性文件",
                });
            } else if after.contains("行政事业性收费") {
                if any(after, &vocab.fee_exclude) || !any(after, &["收取", "收费", "产生"]) {
                    continue;
                }
                cells.push(Cell::Fees);
                end_word = Some("行政事业性收费");
            } else if let Some(found) = item(after) {
                let Some(k) = found else { continue };
                if any(after, &vocab.item_exclude) {
                    continue;
                }
                cells.push(Cell::Item(k));
                end_word = Some(k.label());
            }
            let Some(word) = end_word else { continue };
            let start = cl.start + clause[..neg_at].chars().count();
            let word_end = after.rfind(word).map(|i| after[..i + word.len()].chars().count()).unwrap_or(1);
            for cell in cells {
                out.push(Claim { cells: vec![cell], value: Decimal::ZERO, range: start..start + word_end });
            }
        }
    }
}

/// Ranges between separators (separators excluded), empty ones dropped.
fn split(c: &[char], sep: fn(char) -> bool) -> Vec<Range<usize>> {
    split_range(c, 0..c.len(), sep)
}

fn split_range(c: &[char], r: Range<usize>, sep: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for i in r.clone() {
        if sep(c[i]) {
            if start < i {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

/// A paragraph being read.
struct Para<'a> {
    chars: &'a [char],
    /// Where the paragraph first names disclosure applications explicitly (政府信息公开申请).
    explicit_at: Option<usize>,
    /// The paragraph speaks of 因政府信息公开工作被申请行政复议/被提起行政诉讼.
    cases_context: bool,
    year: i64,
    title_apps: bool,
    title_cases: bool,
}

/// The claims of one paragraph of text (public for tests and tools).
pub fn claims(text: &str, subsection_title: Option<&str>, year: i64) -> Vec<Claim> {
    let chars: Vec<char> = text.chars().collect();
    claims_of(&chars, text, subsection_title, year)
}

pub(super) fn claims_of(chars: &[char], text: &str, subsection_title: Option<&str>, year: i64) -> Vec<Claim> {
    let vocab = vocabulary();
    let explicit_at = vocab
        .app_explicit
        .iter()
        .filter_map(|w| text.find(w).map(|i| text[..i].chars().count() + w.chars().count()))
        .min();
    let p = Para {
        chars,
        explicit_at,
        cases_context: text.contains("政府信息公开工作被"),
        year,
        title_apps: subsection_title.is_some_and(|t| t.contains("申请")),
        title_cases: subsection_title.is_some_and(|t| any(t, &["复议", "诉讼"])),
    };
    let figs = figures(chars);
    let inside = bracketed(chars);
    let mut out = Vec::new();
    positive_claims(&p, &figs, &inside, &mut out);
    negative_claims(&p, &figs, &inside, &mut out);
    out.sort_by_key(|c| c.range.start);
    out
}
