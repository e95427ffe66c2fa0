//! What one figure states, from the words around it: the cells it may mean, or nothing when its
//! words are ambiguous, name something the tables do not hold, or are of another year.

use super::lookup::Cell;
use super::period::{partial_period, topic_year, years};
use super::vocabulary::{any, mask, vocabulary};
use crate::model::tables::{DocColumn, DocRow, Outcome, ValueRow};

/// What the unit after a figure makes it: a count (件 宗 起 …) or money (元, in 万元 when
/// compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Count,
    Yuan,
}

/// 申请 as a noun in `s` (not 申请人, not 被申请).
pub(super) fn has_application(s: &str) -> bool {
    s.match_indices("申请").any(|(i, _)| {
        let after = &s[i + "申请".len()..];
        let before = &s[..i];
        !after.starts_with('人') && !before.ends_with('被')
    })
}

/// Whether `s` names any result （一）–（六）.
pub(super) fn names_outcome(s: &str) -> bool {
    Outcome::ALL.iter().any(|o| s.contains(o.word()))
}

/// Context of one figure.
pub(super) struct Ctx<'s> {
    /// Words since the previous figure or clause break.
    pub(super) seg: &'s str,
    /// Words after the unit, to the next clause break or figure.
    pub(super) tail: &'s str,
    /// From the clause start to the figure.
    pub(super) clause: &'s str,
    /// From the sentence start (the previous sentence too when this one starts with 其中) to
    /// the figure.
    pub(super) before: &'s str,
    /// From the paragraph start to the figure.
    pub(super) para: &'s str,
    pub(super) title_apps: bool,
    pub(super) title_cases: bool,
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

pub(super) fn doc_row(s: &str) -> Option<Option<DocRow>> {
    let norm = s.contains("规范性文件");
    let reg = s.match_indices("规章").any(|(i, _)| !s[i + "规章".len()..].starts_with("制度"));
    match (reg, norm) {
        (true, true) => Some(None),
        (true, false) => Some(Some(DocRow::Regulations)),
        (false, true) => Some(Some(DocRow::NormativeDocuments)),
        (false, false) => None,
    }
}

pub(super) fn doc_col(s: &str) -> Option<Option<DocColumn>> {
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

pub(super) fn item(s: &str) -> Option<Option<ValueRow>> {
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
pub(super) fn classify(x: &Ctx, unit: Unit, year: i64, doc_row_before: Option<DocRow>) -> Option<Vec<Cell>> {
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
pub(super) fn other_period(x: &Ctx, cells: &[Cell], year: i64) -> bool {
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
pub(super) fn total_like(cells: &[Cell]) -> bool {
    !cells.iter().any(|c| matches!(c, Cell::Handled | Cell::CarriedForward | Cell::Result(_)))
}
