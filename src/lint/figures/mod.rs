//! `narrative-figure`: figures the text quotes, compared with the tables (official-format §3.3:
//! 「全年共收到政府信息公开申请N件」 must match table 三, and likewise table 四 and table 二).
//!
//! A figure is a number (`174`, `8,642`, `十二`, `1.2万`) with a unit (件 宗 起 份 部 个, 元 and
//! 万元/亿元). What it counts is read from the words between it and the previous figure or
//! clause break (its *segment*): 收到/受理/新收…申请 is table 三 本年新收, 办结/答复 its （七）总计,
//! 上年结转 and 结转下年度 the carry rows, 予以公开/不予公开/… the result groups, 被申请行政复议
//! and 被提起行政诉讼 table 四, 制发/废止/现行有效 + 规章/规范性文件 and 行政许可/行政处罚/行政强制/
//! 行政事业性收费 table 二. Negative statements (未收到政府信息公开申请, 未发生行政复议和行政诉讼)
//! claim a zero.
//!
//! Silence is preferred to a false alarm. A figure is left alone when its words are ambiguous
//! (two tables named), approximate (约, 余, 左右), relative (较上年增加, 同比), a sub-count (其中
//! 自然人申请, 网上申请, 按时办结), of another year or period (2020年, 上半年, 1至6月), of another
//! body (全区, 各乡镇, 下属单位), about something else (建议提案, 投诉举报, 信息处理费 — which is
//! not table 二's 行政事业性收费), in brackets, or planned (计划, 力争).

mod vocabulary;

use std::ops::Range;

use rust_decimal::Decimal;

use super::source::{Kind, Located};
use super::{finding, sentence_at, Findings, Input, Tally};
use crate::model::printed::{self, Count};
use crate::model::tables::{
    row, DocColumn, DocRow, Outcome, Table3Column, Table4Column, Table4Group, ValueRow, APPLICANTS, TABLE3_ROWS,
};
use crate::model::Report;
use crate::text::numerals::{self, Number};
use vocabulary::{any, mask, vocabulary};

/// A table cell (or a sum of cells as printed) a figure may state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    New,
    CarriedOver,
    /// 本年新收 + 上年结转: what many reports call 共受理/共需办理.
    NewPlusCarried,
    Handled,
    CarriedForward,
    /// One of the results （一）–（六） of table 三.
    Result(Outcome),
    Review,
    /// Both 行政诉讼 groups.
    Litigation,
    LitigationDirect,
    LitigationAfterReview,
    /// A count of table 二's 第二十条第（一）项.
    Doc(DocRow, DocColumn),
    /// One of [`ValueRow::COUNTS`] (行政许可, 行政处罚, 行政强制).
    Item(ValueRow),
    Fees,
}

/// Whether `s` names any result （一）–（六）.
fn names_outcome(s: &str) -> bool {
    Outcome::ALL.iter().any(|o| s.contains(o.word()))
}

/// The value of a cell as printed, where it is and what it is called.
struct TableValue {
    path: String,
    label: String,
    value: Decimal,
    /// Part of the report the value depends on (for refused inputs).
    scope: String,
}

/// A printed count as a decimal; `None` beyond 96 bits (only an inconsistent report holds such
/// a sum, and the checks report it).
fn decimal(n: Count) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(i128::try_from(n).ok()?, 0).ok()
}

/// The 总计 of table 三 row `i` as printed.
fn table3_total(r: &Report, i: usize) -> Count {
    printed::table3(r, i, Table3Column::Total)
}

fn lookup(r: &Report, cell: Cell) -> Option<TableValue> {
    let total_col = Table3Column::Total.label();
    let t3 = |i: usize| -> Option<TableValue> {
        let d = &TABLE3_ROWS[i];
        Some(TableValue {
            path: format!("applications.{}[{APPLICANTS}]", d.key),
            label: format!("表三“{}”{total_col}", d.label),
            value: decimal(table3_total(r, i))?,
            scope: "applications".into(),
        })
    };
    let case_total = |g: Table4Group| printed::table4(r, g, Table4Column::Total);
    let t4 = |g: Table4Group| -> Option<TableValue> {
        Some(TableValue {
            path: format!("review_litigation.{}.total", g.key()),
            label: format!("表四“{}”{}", g.label(), Table4Column::Total.label()),
            value: decimal(case_total(g))?,
            scope: format!("review_litigation.{}", g.key()),
        })
    };
    Some(match cell {
        Cell::New => t3(row::NEW)?,
        Cell::CarriedOver => t3(row::CARRIED_OVER)?,
        Cell::CarriedForward => t3(row::CARRIED_FORWARD)?,
        Cell::NewPlusCarried => TableValue {
            path: format!("applications.new[{APPLICANTS}] + applications.carried_over[{APPLICANTS}]"),
            label: format!(
                "表三“{}”与“{}”{total_col}之和",
                TABLE3_ROWS[row::NEW].label,
                TABLE3_ROWS[row::CARRIED_OVER].label
            ),
            value: decimal(table3_total(r, row::NEW) + table3_total(r, row::CARRIED_OVER))?,
            scope: "applications".into(),
        },
        Cell::Handled => TableValue {
            path: format!("applications.results.total[{APPLICANTS}]"),
            label: format!("表三“{}”{total_col}", TABLE3_ROWS[row::RESULTS_TOTAL].label),
            value: decimal(table3_total(r, row::RESULTS_TOTAL))?,
            scope: "applications".into(),
        },
        Cell::Result(Outcome::Row(i)) => t3(i)?,
        Cell::Result(Outcome::Group(g)) => {
            let (key, label) = (g.key(), g.label());
            TableValue {
                path: format!("applications.{key}"),
                label: format!("表三“{label}”各项{total_col}之和"),
                value: decimal(g.rows().map(|i| table3_total(r, i)).sum())?,
                scope: "applications".into(),
            }
        }
        Cell::Review => t4(Table4Group::Review)?,
        Cell::LitigationDirect => t4(Table4Group::LitigationDirect)?,
        Cell::LitigationAfterReview => t4(Table4Group::LitigationAfterReview)?,
        Cell::Litigation => {
            let (g1, g2) = (Table4Group::LitigationDirect, Table4Group::LitigationAfterReview);
            TableValue {
                path: format!("review_litigation.{}.total + review_litigation.{}.total", g1.key(), g2.key()),
                label: format!("表四 行政诉讼“{}”与“{}”{}之和", g1.label(), g2.label(), Table4Column::Total.label()),
                value: decimal(case_total(g1) + case_total(g2))?,
                scope: "review_litigation".into(),
            }
        }
        Cell::Doc(rw, col) => {
            let (rkey, rlabel) = (rw.key(), rw.label());
            let (ckey, clabel) = (col.key(), col.label());
            TableValue {
                path: format!("active_disclosure.{rkey}.{ckey}"),
                label: format!("表二“{rlabel}”{clabel}"),
                value: Decimal::from(r.active_disclosure.doc_row(rw).get(col)),
                scope: format!("active_disclosure.{rkey}"),
            }
        }
        Cell::Item(k) => {
            let (key, col, label) = (k.key(), k.value_head(), k.label());
            TableValue {
                path: format!("active_disclosure.{key}"),
                label: format!("表二“{label}”{col}"),
                value: Decimal::from(r.active_disclosure.count(k)?),
                scope: format!("active_disclosure.{key}"),
            }
        }
        Cell::Fees => {
            let v = ValueRow::Fees;
            let (key, col, label) = (v.key(), v.value_head(), v.label());
            TableValue {
                path: format!("active_disclosure.{key}"),
                label: format!("表二“{label}”{col}"),
                value: r.active_disclosure.fees.to_decimal()?,
                scope: format!("active_disclosure.{key}"),
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Words

/// Units of a count and of money.
const COUNT_UNITS: &str = "件宗起份部个";

/// 申请 as a noun in `s` (not 申请人, not 被申请).
fn has_application(s: &str) -> bool {
    s.match_indices("申请").any(|(i, _)| {
        let after = &s[i + "申请".len()..];
        let before = &s[..i];
        !after.starts_with('人') && !before.ends_with('被')
    })
}

// ---------------------------------------------------------------------------------------------
// Reading one paragraph

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Count,
    Yuan,
}

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

fn text(c: &[char], r: Range<usize>) -> String {
    c[r.start.min(c.len())..r.end.min(c.len())].iter().collect()
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

/// Explicit years (2021年, 二〇二一年) in `s`, in order.
fn years(s: &str) -> Vec<i64> {
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
fn topic_year(clause: &str) -> Option<i64> {
    let t = clause.trim().trim_start_matches(['在', '于']);
    let t = t.trim_end_matches(['度', '内', '中', '里']);
    let t = t.strip_suffix("全年").unwrap_or(t);
    let t = t.trim_end_matches(['度']);
    let ys = years(t);
    (ys.len() == 1 && t.chars().count() <= 6 && t.ends_with('年')).then(|| ys[0])
}

/// A part of the year: 上半年, 第三季度, 1至6月, 截至6月底 (but not 12月31日 or 1月1日).
fn partial_period(s: &str) -> bool {
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

/// Context of one figure.
struct Ctx<'s> {
    /// Words since the previous figure or clause break.
    seg: &'s str,
    /// Words after the unit, to the next clause break or figure.
    tail: &'s str,
    /// From the clause start to the figure.
    clause: &'s str,
    /// From the sentence start (the previous sentence too when this one starts with 其中) to
    /// the figure.
    before: &'s str,
    /// From the paragraph start to the figure.
    para: &'s str,
    title_apps: bool,
    title_cases: bool,
}

fn apps_evidence(x: &Ctx) -> bool {
    let vocab = vocabulary();
    x.title_apps
        || any(x.seg, &vocab.app_explicit)
        || any(x.tail, &vocab.app_explicit)
        || any(x.para, &vocab.app_explicit)
}

/// Whether the last of `anchors` in `seg` is followed only by fillers (`vocabulary.toml`): the
/// figure counts what the anchor names, not something mentioned earlier
/// (围绕行政许可事项制作解读产品6个).
fn near<A: AsRef<str>>(seg: &str, anchors: &[A]) -> bool {
    let vocab = vocabulary();
    let Some(end) = anchors.iter().filter_map(|a| seg.rfind(a.as_ref()).map(|i| i + a.as_ref().len())).max() else {
        return false;
    };
    let mut rest = seg[end..].trim();
    'strip: while !rest.is_empty() {
        for f in &vocab.fillers {
            if let Some(r) = rest.strip_prefix(f) {
                rest = r.trim_start();
                continue 'strip;
            }
        }
        return false;
    }
    true
}

/// Families of cells, for the rule that a segment naming two tables is ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Apps,
    Cases,
    Docs,
    Items,
    Fees,
}

fn doc_row(s: &str) -> Option<Option<DocRow>> {
    let norm = s.contains("规范性文件");
    let reg = s.match_indices("规章").any(|(i, _)| !s[i + "规章".len()..].starts_with("制度"));
    match (reg, norm) {
        (true, true) => Some(None),
        (true, false) => Some(Some(DocRow::Regulations)),
        (false, true) => Some(Some(DocRow::NormativeDocuments)),
        (false, false) => None,
    }
}

fn doc_col(s: &str) -> Option<Option<DocColumn>> {
    let cols = [
        any(s, &["制发", "制定", "出台", "印发", "发布", "新制"]),
        any(s, &["废止", "废除", "失效"]),
        s.contains("有效"),
    ];
    // Two columns named at once (制发并废止) leave the figure ambiguous.
    match cols.iter().filter(|b| **b).count() {
        0 => None,
        1 => Some(cols.iter().position(|b| *b).map(|i| DocColumn::ALL[i])),
        _ => Some(None),
    }
}

fn item(s: &str) -> Option<Option<ValueRow>> {
    let hits: Vec<ValueRow> = ValueRow::COUNTS.into_iter().filter(|v| s.contains(v.label())).collect();
    match hits.len() {
        0 => None,
        1 => Some(Some(hits[0])),
        _ => Some(None),
    }
}

/// What a positive figure states, from its words; `None` when it states nothing the tables
/// hold, or nothing certain. `doc_row_before` is the document kind of the previous figure in
/// the sentence (制发行政规范性文件3件、废止1件).
fn classify(x: &Ctx, unit: Unit, year: i64, doc_row_before: Option<DocRow>) -> Option<Vec<Cell>> {
    let vocab = vocabulary();
    let seg = x.seg;
    let mut families: Vec<(Family, Vec<Cell>)> = Vec::new();
    let cases = any(seg, &["复议", "诉讼", "起诉"]);
    let masked = mask(seg, &["未经复议", "无法提供", "不予公开", "不予处理", "不予"]);
    let negated = any(&masked, &["未", "没有", "无"]);
    if negated {
        return None;
    }
    if unit == Unit::Yuan {
        if seg.contains("行政事业性收费") && !any(seg, &vocab.fee_exclude) && near(seg, &["行政事业性收费"])
        {
            return Some(vec![Cell::Fees]);
        }
        return None;
    }
    if cases {
        let review = seg.contains("复议");
        let lit = any(seg, &["诉讼", "起诉"]);
        let cell = if seg.contains("复议后起诉") {
            Some(Cell::LitigationAfterReview)
        } else if any(seg, &["直接起诉", "未经复议"]) {
            Some(Cell::LitigationDirect)
        } else if review && !lit {
            Some(Cell::Review)
        } else if lit && !review {
            Some(Cell::Litigation)
        } else {
            None
        };
        let evidence = x.title_cases
            || any(seg, &["被申请", "被提起", "被诉", "被起诉"])
            || any(x.before, &["政府信息公开", "信息公开"]);
        if let Some(cell) =
            cell.filter(|_| evidence && !any(seg, &vocab.case_exclude) && near(seg, &["复议", "诉讼", "起诉"]))
        {
            families.push((Family::Cases, vec![cell]));
        } else {
            return None;
        }
    }
    if seg.contains("结转") {
        // 办结上年结转的申请2件 counts part of the carried-over applications.
        if any(seg, &vocab.verb_handled) || any(seg, &vocab.verb_new) {
            return None;
        }
        let last = any(seg, &vocab.last_year) || years(seg).contains(&(year - 1));
        let next = any(seg, &vocab.next_year) || years(seg).contains(&(year + 1));
        let cell = match (last, next) {
            (true, false) => Cell::CarriedOver,
            (false, true) => Cell::CarriedForward,
            _ => return None,
        };
        if !(has_application(x.before) || x.title_apps) || !apps_evidence(x) {
            return None;
        }
        families.push((Family::Apps, vec![cell]));
    } else if let Some(g) = Outcome::ALL.into_iter().find(|o| {
        let t = seg.trim_end_matches("的申请").trim_end_matches("申请").trim_end_matches('的');
        t.ends_with(o.word())
    }) {
        let about_apps = x.title_apps || has_application(x.before) || any(x.before, &["办结", "答复"]);
        if !about_apps || !apps_evidence(x) {
            return None;
        }
        families.push((Family::Apps, vec![Cell::Result(g)]));
    } else if !cases {
        // 作出不予公开答复2件 is a result group, not the handled total; 正在办理 is not done.
        if names_outcome(seg) || any(seg, &["正在", "尚在", "仍在", "办理中"]) {
            return None;
        }
        let first = |words: &[String]| words.iter().filter_map(|w| seg.find(w.as_str())).min();
        let new_at = first(&vocab.verb_new);
        let handled_at = first(&vocab.verb_handled);
        let process_at = seg.match_indices("办理").map(|(i, _)| i).find(|&i| {
            let rest = &seg[i + "办理".len()..];
            !rest.starts_with("完毕") && !rest.starts_with("完成") && !seg[..i].ends_with("继续")
        });
        let verb_at = [new_at, handled_at, process_at].into_iter().flatten().min();
        if let Some(at) = verb_at {
            let tail_noun = {
                let t = x.tail.trim_start_matches('的');
                t.starts_with("申请") || vocab.app_explicit.iter().any(|w| t.starts_with(w))
            };
            let seg_noun = has_application(&seg[at..]);
            let mut cells = Vec::new();
            if new_at.is_some() {
                cells.extend([Cell::New, Cell::NewPlusCarried]);
            }
            if handled_at.is_some() {
                cells.push(Cell::Handled);
            }
            if process_at.is_some() && new_at.is_none() && handled_at.is_none() {
                cells.extend([Cell::New, Cell::Handled, Cell::NewPlusCarried]);
            }
            // 办结 may lean on the sentence for its noun (…申请123件。其中办结120件); 收到,
            // 受理 and 办理 count too many other things to do so.
            let sentence_noun = handled_at.is_some()
                && new_at.is_none()
                && has_application(x.before)
                && !any(x.before, &vocab.other_subject);
            let close = if seg_noun {
                near(seg, &["申请", "依申请公开"])
            } else {
                near(seg, &vocab.verb_new) || near(seg, &vocab.verb_handled) || near(seg, &["办理"])
            };
            if (seg_noun || tail_noun || sentence_noun) && close && apps_evidence(x) && !any(seg, &vocab.other_subject)
            {
                families.push((Family::Apps, cells));
            }
        }
    }
    let own_doc = doc_row(seg);
    let inherited =
        own_doc.is_none() && doc_row_before.is_some() && seg.trim_start_matches(['、', '，']).chars().count() <= 6;
    if let Some(found) = own_doc.or(doc_row_before.filter(|_| inherited).map(Some)) {
        let (Some(rw), Some(Some(col))) = (found, doc_col(seg)) else { return None };
        let anchors: &[&str] = if inherited {
            &["制发", "制定", "出台", "印发", "发布", "废止", "废除", "失效", "有效"]
        } else {
            &["规范性文件", "规章"]
        };
        if any(seg, &vocab.doc_exclude) || !near(seg, anchors) {
            return None;
        }
        families.push((Family::Docs, vec![Cell::Doc(rw, col)]));
    }
    if let Some(found) = item(seg) {
        let k = found?;
        if any(seg, &vocab.item_exclude) || unit != Unit::Count || !near(seg, &["行政许可", "行政处罚", "行政强制"])
        {
            return None;
        }
        families.push((Family::Items, vec![Cell::Item(k)]));
    }
    if seg.contains("行政事业性收费") {
        families.push((Family::Fees, vec![]));
    }
    match families.len() {
        1 if !families[0].1.is_empty() => families.pop().map(|f| f.1),
        _ => None,
    }
}

/// Whether a figure with these cells is of another year or a part of the year, going by the
/// words before it.
fn other_period(x: &Ctx, cells: &[Cell], year: i64) -> bool {
    let vocab = vocabulary();
    let carry_over = cells.contains(&Cell::CarriedOver);
    let carry_forward = cells.contains(&Cell::CarriedForward);
    let allowed = |y: i64| y == year || (carry_over && y == year - 1) || (carry_forward && y == year + 1);
    let in_clause = years(x.clause);
    if let Some(&y) = in_clause.last() {
        if !allowed(y) {
            return true;
        }
    } else {
        let topic = x.before.rsplit(['，', ',']).find_map(topic_year);
        if topic.is_some_and(|y| !allowed(y)) {
            return true;
        }
    }
    if any(x.seg, &vocab.other_years) {
        return true;
    }
    if !carry_over && any(x.seg, &vocab.last_year) {
        return true;
    }
    if !carry_forward && any(x.seg, &["下年", "下一年", "次年", "明年"]) {
        return true;
    }
    partial_period(x.before)
}

/// The family of each cell, for the 其中 rule: a total after 其中 is a sub-count, a result group
/// after 其中 is the breakdown itself.
fn total_like(cells: &[Cell]) -> bool {
    !cells.iter().any(|c| matches!(c, Cell::Handled | Cell::CarriedForward | Cell::Result(_)))
}

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

fn claims_of(chars: &[char], text: &str, subsection_title: Option<&str>, year: i64) -> Vec<Claim> {
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

fn within(a: &str, b: &str) -> bool {
    let inside = |inner: &str, outer: &str| {
        inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    !a.is_empty() && !b.is_empty() && (inside(a, b) || inside(b, a))
}

fn fmt_value(v: Decimal) -> String {
    v.normalize().to_string()
}

/// Compare every figure of sections 一, 五 and 六 with the tables.
pub fn check(input: &Input, units: &[Located], out: &mut Findings) {
    let r = input.report;
    for u in units.iter().filter(|u| u.unit.kind == Kind::Paragraph) {
        let mut tally = Tally::new("narrative-figure");
        for claim in claims_of(&u.chars, u.unit.text, u.unit.subsection_title, r.year) {
            let values: Vec<TableValue> = claim.cells.iter().filter_map(|&cell| lookup(r, cell)).collect();
            if values.len() != claim.cells.len() || values.is_empty() {
                continue;
            }
            if values.iter().any(|v| input.broken.iter().any(|b| within(b, &v.scope))) {
                continue;
            }
            if values.iter().any(|v| v.value == claim.value) || !tally.next() {
                continue;
            }
            let main = &values[0];
            let figure = u.slice(claim.range.clone());
            let sentence = sentence_at(&u.chars, claim.range.clone());
            let fees = claim.cells == [Cell::Fees];
            let stated = if fees { format!("{} 万元", fmt_value(claim.value)) } else { fmt_value(claim.value) };
            let table = if fees { format!("{} 万元", fmt_value(main.value)) } else { fmt_value(main.value) };
            let mut d = finding(
                "narrative-figure",
                u,
                claim.range.clone(),
                format!(
                    "正文与表格不一致：正文“{figure}”（即 {stated}），而{}为 {table}。原句：“{sentence}”",
                    main.label
                ),
                format!("the text says `{figure}` ({stated}) but the table has {table} at {}", main.path),
            )
            .with_involved("正文 / text", &figure)
            .with_involved(&main.path, fmt_value(main.value));
            for other in &values[1..] {
                d = d.with_involved(&other.path, fmt_value(other.value));
            }
            out.diagnostics.push(d.with_hint(
                "核对正文或表格；若该数字另有所指（分项、其他年度、其他机关），请改写句子说明口径，或以 --allow narrative-figure 关闭此项检查 / check the text or the table; if the figure means something else, say so in the sentence or switch the rule off",
            ));
        }
        tally.finish(&u.unit.path, out);
    }
}
