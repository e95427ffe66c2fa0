//! The structure of a published report, the same for every source form: the title (agency and
//! year), the preamble with the contact block, the six sections (official-format §2.2) with
//! their subsections, the three tables, and the signature and date at the end.
//!
//! Section headings are found in order by their numbering (一、…六、) and wording; wording
//! that differs from the official headings ("行政机关主动公开政府信息情况",
//! "……申请情况统计表") is accepted, and the official heading is kept. Subsection titles lose
//! their （一） numbers (the compiler numbers them again).

use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use super::tables::{self, lcs, marker, norm, Marker};
use super::{contact, pdftext, Ctx, Form, Item, Line, Para, Token};
use crate::model::tables::{DocRow, Heading, Table4Group, ValueRow, TABLE3_APPLICANT_HEAD, TABLE3_ROWS};
use crate::model::{
    Applications, Contact, Headings, Report, ReviewLitigation, Section, Signature, Subsection, FORMAT_2021,
};
use crate::text::numerals::cn_digit;

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|_| unreachable!("constant pattern"))
}

fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"^(?P<agency>.*?)(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度报告(?P<rest>.*)$")
    })
}

fn agency_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"^[\p{Han}（）()·\-]{2,40}$"))
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日|(?P<iy>\d{4})\s*[-./]\s*(?P<im>\d{1,2})\s*[-./]\s*(?P<id>\d{1,2})")
    })
}

fn cn_value(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digits: Vec<u32> = s.chars().map(|c| if c == '十' { Some(10) } else { cn_digit(c) }).collect::<Option<_>>()?;
    // 二〇二二 (digit by digit) or 二十八 (tens).
    if !digits.contains(&10) {
        return Some(digits.iter().fold(0, |a, d| a * 10 + d));
    }
    match digits.as_slice() {
        [10] => Some(10),
        [10, d] => Some(10 + d),
        [t, 10] => Some(t * 10),
        [t, 10, d] => Some(t * 10 + d),
        _ => None,
    }
}

/// A date written `2022年1月28日`, `二〇二二年一月二十八日` or `2022-01-28`, anywhere in `s`:
/// the date and its byte range.
pub fn find_date(s: &str) -> Option<(NaiveDate, Range<usize>)> {
    let c = date_re().captures(s)?;
    let whole = c.get(0)?;
    let (y, m, d) = match (c.name("y"), c.name("iy")) {
        (Some(y), _) => (y.as_str(), c.name("m")?.as_str(), c.name("d")?.as_str()),
        (None, Some(y)) => (y.as_str(), c.name("im")?.as_str(), c.name("id")?.as_str()),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(cn_value(y)? as i32, cn_value(m)?, cn_value(d)?)?;
    Some((date, whole.start()..whole.end()))
}

/// A heading of section `k` (from `from` on): its index and how close its wording is to the
/// official one (longest common subsequence over the official length).
fn heading(text: &str, from: usize) -> Option<(usize, f64)> {
    let (Marker::Top(n), at) = marker(text)? else { return None };
    let k = (n as usize).checked_sub(1)?;
    if k < from || k >= Heading::ALL.len() {
        return None;
    }
    let rest = norm(&text[at..]);
    if rest.is_empty() || rest.chars().count() > 40 || rest.ends_with('。') {
        return None;
    }
    let official = norm(Heading::ALL[k].label());
    let common = lcs(&rest, &official);
    let ratio = common as f64 / official.chars().count() as f64;
    (ratio >= 0.5 || common >= 4).then_some((k, ratio))
}

/// Whether the items after a heading hold table `k`'s cells (a guard against a numbered list
/// item inside a narrative section that resembles a table section's heading).
fn looks_like_table(items: &[Item], k: usize) -> bool {
    let words: Vec<String> = match Heading::ALL.get(k) {
        Some(Heading::ActiveDisclosure) => {
            let mut w: Vec<String> = DocRow::ALL.iter().map(|r| norm(r.label())).collect();
            w.extend(ValueRow::ALL.iter().map(|v| norm(v.label())));
            w.push("第二十条".into());
            w
        }
        Some(Heading::Applications) => {
            let mut w: Vec<String> =
                TABLE3_ROWS.iter().map(|r| tables::body(r.label)).filter(|b| b.chars().count() >= 4).collect();
            w.push(norm(TABLE3_APPLICANT_HEAD));
            w
        }
        Some(Heading::ReviewLitigation) => Table4Group::ALL.iter().map(|g| norm(g.label())).collect(),
        Some(Heading::Overview | Heading::Problems | Heading::OtherMatters) | None => return false,
    };
    items.iter().take(60).any(|item| match item {
        Item::Table(_) => true,
        Item::Line(l) => {
            let n = norm(&l.text);
            n.chars().count() <= 60 && words.iter().any(|w| n.contains(w.as_str()))
        }
    })
}

fn lines_of(items: &[Item]) -> Vec<&Line> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table(_) => None,
        })
        .collect()
}

fn tokens_of(items: &[Item]) -> Vec<Token> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Line(l) => out.extend(l.tokens.iter().cloned()),
            Item::Table(rows) => {
                for r in rows {
                    out.extend(r.iter().cloned());
                }
            }
        }
    }
    out
}

/// The tables among `items`, each reported as unplaced (`zh`, `en`: why).
fn unplace_tables(items: &[Item], ctx: &mut Ctx, zh: &str, en: &str) {
    for item in items {
        if let Item::Table(rows) = item {
            let toks: Vec<Token> = rows.iter().flatten().cloned().collect();
            if let (Some(f), Some(l)) = (toks.first(), toks.last()) {
                let text: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
                ctx.unplaced(f.line, f.span.start..l.span.end, &text.join(" "), zh, en);
            }
        }
    }
}

struct Paragraphs {
    form: Form,
    layout: Option<pdftext::Layout>,
}

impl Paragraphs {
    fn of(&self, lines: &[&Line]) -> Vec<Para> {
        match (self.form, &self.layout) {
            (Form::Pdf, Some(layout)) => pdftext::paragraphs(lines, layout),
            _ => lines.iter().map(|l| Para { text: l.text.clone(), line: l.no, span: l.span.clone() }).collect(),
        }
    }
}

/// A narrative section from its paragraphs: text before the first （一） line, then subsections.
fn section(paras: Vec<Para>) -> Section {
    let mut s = Section::default();
    for p in paras {
        if let Some((title, rest)) = subsection_title(&p.text) {
            s.subsections.push(Subsection { title, paragraphs: rest.into_iter().collect() });
            continue;
        }
        match s.subsections.last_mut() {
            Some(sub) => sub.paragraphs.push(p.text),
            None => s.paragraphs.push(p.text),
        }
    }
    s
}

/// `（一）主动公开工作情况` → the title; `（一）主动公开情况。本年度……` → the title and the
/// text after it. A numbered sentence (`（一）加强培训，提升能力。`) is not a title.
fn subsection_title(text: &str) -> Option<(String, Option<String>)> {
    let (Marker::Paren(_), at) = marker(text)? else { return None };
    let rest = text[at..].trim();
    let is_title = |t: &str| {
        let n = t.chars().count();
        (2..=40).contains(&n) && !t.contains(['，', '；', ',', ';', '。'])
    };
    let bare = rest.trim_end_matches(['。', '：', ':']);
    if is_title(bare) {
        return Some((bare.to_string(), None));
    }
    let (head, tail) = rest.split_once('。')?;
    let tail = tail.trim();
    (is_title(head) && head.chars().count() <= 30 && !tail.is_empty())
        .then(|| (head.to_string(), Some(tail.to_string())))
}

/// A value read from the source and where it stood.
type Located<T> = Option<(T, Range<usize>)>;

/// The signature block at the end: (agency line, date line), taken off `items`.
fn take_signature(items: &mut Vec<Item>) -> (Located<String>, Located<NaiveDate>) {
    let Some(Item::Line(last)) = items.last() else { return (None, None) };
    let text = pdftext::prose(&last.text);
    let Some((date, at)) = find_date(&text) else { return (None, None) };
    let before = text[..at.start].trim();
    if !text[at.end..].trim().is_empty() {
        return (None, None);
    }
    let date_span = last.span.clone();
    // "威海市文登区应急管理局 2022年1月28日" on one line.
    if !before.is_empty() {
        if agency_re().is_match(before) {
            let span = last.span.clone();
            items.pop();
            return (Some((before.to_string(), span)), Some((date, date_span)));
        }
        return (None, None);
    }
    items.pop();
    let agency = match items.last() {
        Some(Item::Line(l)) if agency_re().is_match(&l.text) && marker(&l.text).is_none() => {
            let a = (l.text.clone(), l.span.clone());
            items.pop();
            Some(a)
        }
        _ => None,
    };
    (agency, Some((date, date_span)))
}

/// The title in the first lines: agency and year, and how many lines it took.
fn find_title(lines: &[&Line]) -> Option<(usize, usize, String, i64, Range<usize>)> {
    for start in 0..lines.len().min(8) {
        let mut acc = String::new();
        for end in start..lines.len().min(start + 4) {
            acc.push_str(&pdftext::prose(&lines[end].text));
            let Some(c) = title_re().captures(&acc) else { continue };
            let agency = c.name("agency").map_or("", |m| m.as_str()).trim();
            let rest = c.name("rest").map_or("", |m| m.as_str());
            if rest.chars().count() > 8 || (!agency.is_empty() && !agency_re().is_match(agency)) {
                break;
            }
            let year = c.name("year").and_then(|y| cn_value(y.as_str()))?;
            let span = lines[start].span.start..lines[end].span.end;
            return Some((start, end, agency.to_string(), i64::from(year), span));
        }
    }
    None
}

/// Read the structure of a report from its items.
pub fn read(mut items: Vec<Item>, form: Form, ctx: &mut Ctx) -> Option<Report> {
    let (sig_agency, sig_date) = take_signature(&mut items);

    // Section headings, in order.
    let mut heads: [Option<usize>; 6] = [None; 6];
    let mut next = 0;
    for i in 0..items.len() {
        let Item::Line(l) = &items[i] else { continue };
        let Some((k, ratio)) = heading(&l.text, next) else { continue };
        if (1..=3).contains(&k) && ratio < 0.8 && !looks_like_table(&items[i + 1..], k) {
            continue;
        }
        heads[k] = Some(i);
        next = k + 1;
    }
    let first_head = heads.iter().flatten().next().copied().unwrap_or(items.len());
    let region = |k: usize| -> Range<usize> {
        let Some(h) = heads[k] else { return 0..0 };
        let end = heads[k + 1..].iter().flatten().next().copied().unwrap_or(items.len());
        h + 1..end
    };

    // Paragraph layout (PDF text), measured on every prose line.
    let layout = (form == Form::Pdf).then(|| {
        let mut prose: Vec<&Line> = lines_of(&items[..first_head]);
        for k in [0, 4, 5] {
            prose.extend(lines_of(&items[region(k)]));
        }
        pdftext::layout(&prose)
    });
    let paras = Paragraphs { form, layout };

    // Title, and what stood before it (website navigation, publication dates).
    let head_lines = lines_of(&items[..first_head]);
    let title = find_title(&head_lines);
    let (preamble_lines, before_title) = match &title {
        Some((start, end, ..)) => (&head_lines[end + 1..], &head_lines[..*start]),
        None => (&head_lines[..], &head_lines[..0]),
    };
    for l in before_title {
        ctx.unplaced(
            l.no,
            l.span.clone(),
            &l.text,
            "标题之前的文字（如网页栏目、发布信息）",
            "text before the title (website navigation, publication data)",
        );
    }
    unplace_tables(&items[..first_head], ctx, "正文之前的表格", "a table before the report text");
    let preamble = paras.of(preamble_lines);

    // Sections.
    let mut narrative: [Section; 3] = Default::default();
    let mut active = None;
    let mut applications = None;
    let mut review = None;
    for (k, h) in Heading::ALL.iter().enumerate() {
        let (key, number, official) = (h.key(), h.number(), h.label());
        let Some(h) = heads[k] else {
            let zh = format!("没有找到“{number}、{official}”这一节的标题");
            let en = format!("the heading of section {number} ({key}) was not found");
            if (1..=3).contains(&k) {
                ctx.error(
                    "import-section",
                    None,
                    format!("{zh}，无法读取其中的表格"),
                    format!("{en}: its table cannot be read"),
                );
            } else {
                ctx.warn("import-section", None, format!("{zh}，该节留空"), format!("{en}: the section is left empty"));
            }
            continue;
        };
        if let Item::Line(l) = &items[h] {
            ctx.place(key, &l.span);
        }
        let body = &items[region(k)];
        match k {
            1..=3 => {
                let toks = tokens_of(body);
                let found = match k {
                    1 => tables::table2(&toks, ctx).map(|t| active = Some(t)),
                    2 => tables::table3(&toks, ctx).map(|t| applications = Some(t)),
                    _ => tables::table4(&toks, ctx).map(|t| review = Some(t)),
                };
                if found.is_none() {
                    let span = match &items[h] {
                        Item::Line(l) => Some(l.span.clone()),
                        Item::Table(_) => None,
                    };
                    ctx.error(
                        "import-table",
                        span,
                        format!("“{number}、{official}”一节中没有读到表格"),
                        format!("no table was read in section {number} ({key})"),
                    );
                }
            }
            _ => {
                let slot = match k {
                    0 => 0,
                    4 => 1,
                    _ => 2,
                };
                let lines = lines_of(body);
                narrative[slot] = section(paras.of(&lines));
                unplace_tables(
                    body,
                    ctx,
                    "叙述部分中的表格，输入格式中没有它的位置",
                    "a table inside a narrative section, which the input format has no place for",
                );
            }
        }
    }

    // Agency and year.
    let (mut agency, year) = match &title {
        Some((_, _, agency, year, span)) => {
            ctx.place("agency", span);
            ctx.place("year", span);
            (agency.clone(), Some(*year))
        }
        None => (String::new(), None),
    };
    if agency.is_empty() {
        match &sig_agency {
            Some((a, span)) => {
                ctx.warn(
                    "import-title",
                    Some(span.clone()),
                    format!("标题中没有机关名称，采用落款的“{a}”"),
                    format!("the title names no agency; the signature's `{a}` is used"),
                );
                agency = a.clone();
            }
            None => ctx.error(
                "import-title",
                None,
                "没有找到机关名称（标题或落款）".into(),
                "no agency name was found (title or signature)".into(),
            ),
        }
    }
    let Some(year) = year else {
        ctx.error(
            "import-title",
            None,
            "没有找到标题“××××年政府信息公开工作年度报告”，无法确定报告年度".into(),
            "no title `YYYY年政府信息公开工作年度报告` was found: the report year is unknown".into(),
        );
        return None;
    };
    if agency.is_empty() {
        return None;
    }

    // Contact: the preamble first, then anything else for what it lacks.
    let mut everything: Vec<&Para> = preamble.iter().collect();
    let rest_paras: Vec<Para> = narrative
        .iter()
        .flat_map(Section::all_paragraphs)
        .map(|t| Para { text: t.clone(), line: 0, span: 0..0 })
        .collect();
    everything.extend(rest_paras.iter());
    let contact = read_contact(&everything, preamble.len(), ctx);

    // Signature date, or a publication date given before the title.
    let date = match sig_date {
        Some((d, span)) => {
            ctx.place("signature.date", &span);
            Some(d)
        }
        None => {
            let published = before_title.iter().find_map(|l| find_date(&l.text).map(|(d, _)| (d, l)));
            match published {
                Some((d, l)) => {
                    ctx.warn(
                        "import-signature",
                        Some(l.span.clone()),
                        format!("文末没有成文日期，采用标题前的发布日期 {d}"),
                        format!("no date at the end; the publication date {d} before the title is used"),
                    );
                    ctx.place("signature.date", &l.span);
                    Some(d)
                }
                None => {
                    ctx.error(
                        "import-signature",
                        None,
                        "文末没有找到成文日期（如“2022年1月28日”）".into(),
                        "no date was found at the end of the report (such as 2022年1月28日)".into(),
                    );
                    None
                }
            }
        }
    };
    if let Some((_, span)) = &sig_agency {
        ctx.place("signature.agency", span);
    }

    if let Some(p) = preamble.first() {
        ctx.place("preamble", &p.span);
    }
    let [overview, problems, other_matters] = narrative;
    Some(Report {
        format: FORMAT_2021.to_string(),
        agency,
        year,
        title: None,
        preamble: (!preamble.is_empty()).then(|| preamble.iter().map(|p| p.text.clone()).collect()),
        contact,
        overview,
        active_disclosure: active.unwrap_or_default(),
        applications: applications.unwrap_or_else(Applications::default),
        review_litigation: review.unwrap_or_else(ReviewLitigation::default),
        problems,
        other_matters,
        signature: Signature { agency: sig_agency.map(|(a, _)| a), date, seal: None },
        headings: Headings::default(),
        id: None,
    })
}

/// The contact block from the paragraphs (`in_preamble` of them are the preamble); the office
/// and a phone number or e-mail address are required by the input format.
fn read_contact(paras: &[&Para], in_preamble: usize, ctx: &mut Ctx) -> Contact {
    let mut contact = Contact::default();
    let mut office = false;
    for (i, p) in paras.iter().enumerate() {
        let f = contact::extract(&p.text);
        let c = f.contact;
        let fill = |slot: &mut Option<String>, v: Option<String>| {
            if slot.is_none() {
                *slot = v;
            }
        };
        if !office && f.office_found {
            contact.office = c.office;
            office = true;
        }
        fill(&mut contact.address, c.address);
        fill(&mut contact.postcode, c.postcode);
        fill(&mut contact.phone, c.phone);
        fill(&mut contact.fax, c.fax);
        fill(&mut contact.website_name, c.website_name);
        fill(&mut contact.website_url, c.website_url);
        fill(&mut contact.email, c.email);
        if i < in_preamble {
            for (name, r) in f.spans {
                // Offsets inside the paragraph hold where its text is the listing's own (not
                // for re-joined PDF lines).
                let span = if p.text.len() == p.span.len() {
                    p.span.start + r.start..p.span.start + r.end
                } else {
                    p.span.clone()
                };
                ctx.place(&format!("contact.{name}"), &span);
            }
        }
    }
    if !office {
        ctx.error(
            "import-contact",
            None,
            "没有找到联系机构（如“请与××办公室联系”），请在 contact.office 中补填".into(),
            "no contact office was found (such as 请与××办公室联系): fill in contact.office".into(),
        );
    }
    if contact.phone.is_none() && contact.email.is_none() {
        ctx.error(
            "import-contact",
            None,
            "没有找到联系电话或电子邮箱，请在 contact.phone 或 contact.email 中补填".into(),
            "no phone number or e-mail address was found: fill in contact.phone or contact.email".into(),
        );
    }
    contact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |s: &str| find_date(s).map(|x| x.0.to_string());
        assert_eq!(d("2022年1月28日").as_deref(), Some("2022-01-28"));
        assert_eq!(d("二〇二二年一月二十八日").as_deref(), Some("2022-01-28"));
        assert_eq!(d("2022-01-05").as_deref(), Some("2022-01-05"));
        assert_eq!(d("2022年2月30日"), None);
    }

    #[test]
    fn headings_in_other_words() {
        assert_eq!(heading("三、收到和处理政府信息公开申请情况统计表", 0).map(|h| h.0), Some(2));
        assert_eq!(heading("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", 3).map(|h| h.0), Some(3));
        assert_eq!(heading("二、行政机关主动公开政府信息情况", 1).map(|h| h.0), Some(1));
        assert_eq!(heading("六、其他事项", 5).map(|h| h.0), Some(5));
        assert!(heading("一是强化信息公开管理。", 0).is_none());
        assert!(heading("二、主动公开政府信息情况", 3).is_none());
    }

    #[test]
    fn subsection_titles() {
        assert_eq!(subsection_title("（一）主动公开工作情况"), Some(("主动公开工作情况".into(), None)));
        assert_eq!(
            subsection_title("（二）依申请公开情况。本年度收到申请5件。"),
            Some(("依申请公开情况".into(), Some("本年度收到申请5件。".into())))
        );
        assert_eq!(subsection_title("（一）加强培训，提升能力。"), None);
    }
}
