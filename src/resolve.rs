//! The resolved report: the one form both renderers read.
//!
//! Resolution fills in everything the input may leave out — the two-line title, the standard
//! preamble built from `agency`, `year` and `contact`, the six numbered headings, （一）（二）…
//! subsection numbers, row totals and （七）总计, the GB/T 9704 date (`2022年1月28日`) — and lays
//! the three tables out as grids of cells with their merges (official-format.md §2.3–2.5). The
//! PDF template and the DOCX writer only draw these grids, so they cannot disagree about
//! content or table structure. The layout decisions both must share — signature placement,
//! cell alignment and font role, page number text, break opportunities in runs too wide for
//! their line — are made here too, from the profile ([`layout`]).

pub mod layout;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::printed::{self, Count};
use crate::model::tables::{
    row, DocColumn, DocRow, Heading, RowPlace, Table3Column, Table4Column, Table4Group, ValueRow, TABLE2_LABEL_HEAD,
    TABLE3_APPLICANT_HEAD, TABLE3_NOTE, TABLE3_ORG_HEAD, TABLE3_RESULTS_LABEL, TABLE3_ROWS, TABLE4_LITIGATION_HEAD,
};
use crate::model::{Report, Section};
use crate::profile::{mm_to_pt, Profile};

use layout::{PageNumberText, SignaturePlacement};

/// What the renderers typeset.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub agency: String,
    pub year: i64,
    pub id: Option<String>,
    /// The title, one printed line each (agency, then `{year}年政府信息公开工作年度报告`).
    pub title_lines: Vec<String>,
    pub preamble: Vec<String>,
    /// The six sections in order; sections 二–四 carry their table.
    pub sections: Vec<ResolvedSection>,
    pub signature: ResolvedSignature,
    /// The page number text (both renderers print it; official-format §1.3).
    pub page_number: PageNumberText,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolvedSection {
    /// Input key: `overview`, `active_disclosure`, ….
    pub key: String,
    /// `一、总体情况`.
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub subsections: Vec<ResolvedSubsection>,
    pub table: Option<Table>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolvedSubsection {
    /// `（一）主动公开工作情况`.
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// What a cell is, which decides its font and alignment in both renderers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// A 第二十条第（X）项 band spanning the whole width of table 二.
    Band,
    /// A column header.
    Head,
    /// A row label (left aligned when long).
    Label,
    /// A group cell spanning several rows (三、本年度办理结果, （三）不予公开 …), centred.
    Group,
    /// A number, centred.
    Number,
    /// Table 三's 勾稽 note block.
    Note,
}

/// How a cell's lines are aligned (vertically always centred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellAlign {
    Left,
    Center,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
    pub colspan: usize,
    pub rowspan: usize,
    /// Decided by [`lay_out_table`] for both renderers.
    pub align: CellAlign,
    /// The font role that prints the cell: `table_header` or `table`.
    pub role: &'static str,
}

impl Cell {
    fn new(text: impl Into<String>, kind: CellKind) -> Cell {
        let role = match kind {
            CellKind::Band | CellKind::Head => "table_header",
            _ => "table",
        };
        Cell { text: text.into(), kind, colspan: 1, rowspan: 1, align: CellAlign::Center, role }
    }

    fn span(mut self, colspan: usize, rowspan: usize) -> Cell {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
}

/// A table as a grid: column widths as fractions of the type area width, rows of cells in
/// reading order (a cell covered by an earlier row- or column-span is simply absent).
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// `table2`, `table3`, `table4`.
    pub key: String,
    /// Caption printed above the table, if any.
    pub caption: Option<String>,
    pub column_fractions: Vec<f64>,
    /// Leading rows that form the header (repeated when the table crosses a page).
    pub header_rows: usize,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResolvedSignature {
    pub agency: String,
    /// `2022年1月28日` (GB/T 9704 §7.3.5.4: Arabic numerals, no zero padding).
    pub date_text: String,
    pub date_iso: Option<String>,
    pub seal: Option<Seal>,
    /// Where the 署名, date and seal go (GB/T 9704 §7.3.5), in 字.
    pub placement: SignaturePlacement,
}

#[derive(Debug, Clone, Serialize)]
pub struct Seal {
    /// The path as written in the input.
    pub written: String,
    /// Where it was looked for on disk (relative paths against the report's folder).
    pub path: PathBuf,
}

/// Document properties written into both outputs.
#[derive(Debug, Clone, Serialize)]
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub language: String,
    /// Signature date, ISO; the documents' creation date (never the wall clock).
    pub date: Option<String>,
}

/// The GB/T 9704 成文日期 form: `2022年1月28日`.
pub fn gbt_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The report name of the second title line and of file names.
pub fn report_name(year: i64) -> String {
    format!("{year}年政府信息公开工作年度报告")
}

/// Resolve a decoded report for the built-in profile. `base_dir` is the folder of the report
/// file (for a relative seal).
pub fn resolve(r: &Report, base_dir: Option<&Path>) -> Resolved {
    resolve_with(r, base_dir, builtin_profile())
}

fn builtin_profile() -> &'static Profile {
    static BUILTIN: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(Profile::builtin)
}

/// Resolve a decoded report, its layout decisions made for `profile` (the one it is rendered
/// with).
pub fn resolve_with(r: &Report, base_dir: Option<&Path>, profile: &Profile) -> Resolved {
    let title_lines = match &r.title {
        Some(t) => t.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        None => vec![r.agency.clone(), report_name(r.year)],
    };
    let preamble = r.preamble.clone().unwrap_or_else(|| default_preamble(r));

    let mut sections = Vec::new();
    for key in Heading::ALL {
        let heading = format!("{}、{}", key.number(), r.headings.get(key).unwrap_or(key.label()));
        let (narrative, table) = match key {
            Heading::Overview => (Some(&r.overview), None),
            Heading::Problems => (Some(&r.problems), None),
            Heading::OtherMatters => (Some(&r.other_matters), None),
            Heading::ActiveDisclosure => (None, Some(table2(r))),
            Heading::Applications => (None, Some(table3(r))),
            Heading::ReviewLitigation => (None, Some(table4(r))),
        };
        let empty = Section::default();
        let s = narrative.unwrap_or(&empty);
        sections.push(ResolvedSection {
            key: key.key().to_string(),
            heading,
            paragraphs: s.paragraphs.clone(),
            subsections: s
                .subsections
                .iter()
                .enumerate()
                .map(|(i, sub)| ResolvedSubsection {
                    heading: format!("（{}）{}", crate::text::numerals::chinese(i + 1), sub.title),
                    paragraphs: sub.paragraphs.clone(),
                })
                .collect(),
            table,
        });
    }

    let sig_agency = r.signature.agency.clone().unwrap_or_else(|| r.agency.clone());
    let date_text = r.signature.date.map(gbt_date).unwrap_or_default();
    let placement = layout::signature(profile, &sig_agency, &date_text, r.signature.seal.is_some());
    let signature = ResolvedSignature {
        agency: sig_agency,
        date_text,
        placement,
        date_iso: r.signature.date.map(|d| d.format("%Y-%m-%d").to_string()),
        seal: r.signature.seal.as_ref().map(|s| Seal {
            written: s.clone(),
            path: match base_dir {
                Some(b) if Path::new(s).is_relative() => b.join(s),
                _ => PathBuf::from(s),
            },
        }),
    };

    let title = format!("{}{}", r.agency, report_name(r.year));
    let metadata = Metadata {
        title: if r.title.is_some() { title_lines.concat() } else { title },
        author: r.agency.clone(),
        subject: "政府信息公开工作年度报告".into(),
        keywords: vec!["政府信息公开".into(), "年度报告".into(), format!("{}年", r.year), r.agency.clone()],
        language: "zh-CN".into(),
        date: r.signature.date.map(|d| d.format("%Y-%m-%d").to_string()),
    };

    let mut out = Resolved {
        agency: r.agency.clone(),
        year: r.year,
        id: r.id.clone(),
        title_lines,
        preamble,
        sections,
        signature,
        page_number: PageNumberText::gbt9704(),
        metadata,
    };
    lay_out_text(&mut out, profile);
    out
}

/// Break opportunities in runs too wide for their line (official-format §1.1: nothing is
/// printed outside the type area), and each table's alignment and breaks within its cells.
fn lay_out_text(doc: &mut Resolved, p: &Profile) {
    let line = f64::from(p.grid.chars_per_line);
    let title_chars = (mm_to_pt(p.type_area_width_mm()) - 0.5 * p.title.size_pt) / p.title.size_pt;
    for l in &mut doc.title_lines {
        *l = layout::breakable(l, title_chars);
    }
    let mut body = |t: &mut String| *t = layout::breakable(t, line);
    doc.preamble.iter_mut().for_each(&mut body);
    for s in &mut doc.sections {
        body(&mut s.heading);
        s.paragraphs.iter_mut().for_each(&mut body);
        for sub in &mut s.subsections {
            body(&mut sub.heading);
            sub.paragraphs.iter_mut().for_each(&mut body);
        }
        if let Some(t) = &mut s.table {
            lay_out_table(t, p);
        }
    }
}

/// Cell alignment and break opportunities of one table. Row labels are flush left in a table
/// where some label does not fit on one line of its cell (table 三's sentences), centred
/// otherwise (table 二); everything else is centred.
pub fn lay_out_table(t: &mut Table, p: &Profile) {
    let total: f64 = t.column_fractions.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let width_pt = mm_to_pt(p.type_area_width_mm());
    let pad_pt = 2.0 * mm_to_pt(p.table.cell_padding_mm);
    let ncols = t.column_fractions.len();
    // Each cell's width in table characters; the starting column is tracked past row spans.
    let mut covered = vec![0usize; ncols];
    let mut widths: Vec<Vec<f64>> = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut col = 0;
        let mut ws = Vec::with_capacity(row.len());
        for c in row {
            while col < ncols && covered[col] > 0 {
                col += 1;
            }
            let end = (col + c.colspan.max(1)).min(ncols);
            let frac: f64 = t.column_fractions[col.min(ncols)..end].iter().sum();
            ws.push(((frac / total * width_pt - pad_pt) / p.table.size_pt).max(1.0));
            for k in &mut covered[col.min(ncols)..end] {
                *k = c.rowspan.max(1);
            }
            col = end;
        }
        for k in covered.iter_mut() {
            *k = k.saturating_sub(1);
        }
        widths.push(ws);
    }
    let text_chars = |s: &str| s.chars().map(layout_char_chars).sum::<f64>();
    let labels_left = t
        .rows
        .iter()
        .zip(&widths)
        .any(|(row, ws)| row.iter().zip(ws).any(|(c, w)| c.kind == CellKind::Label && text_chars(&c.text) > *w));
    for (row, ws) in t.rows.iter_mut().zip(&widths) {
        for (c, w) in row.iter_mut().zip(ws) {
            c.align = if c.kind == CellKind::Label && labels_left { CellAlign::Left } else { CellAlign::Center };
            c.text = layout::breakable(&c.text, *w);
        }
    }
}

fn layout_char_chars(c: char) -> f64 {
    use unicode_width::UnicodeWidthChar;
    match c.width() {
        Some(2) => 1.0,
        Some(1) => 0.5,
        _ => 0.0,
    }
}

/// The standard opening (input-format.md `preamble`): legal basis and statistics period, then
/// where the electronic version is and whom to contact, naming only the fields given.
fn default_preamble(r: &Report) -> Vec<String> {
    let y = r.year;
    let mut first = format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求，由{}编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        r.agency
    );
    first.shrink_to_fit();
    let c = &r.contact;
    let mut second = String::new();
    match (&c.website_name, &c.website_url) {
        (Some(n), Some(u)) => second.push_str(&format!("本报告电子版可在“{n}”（{u}）查阅或下载。")),
        (Some(n), None) => second.push_str(&format!("本报告电子版可在“{n}”查阅或下载。")),
        (None, Some(u)) => second.push_str(&format!("本报告电子版可在{u}查阅或下载。")),
        (None, None) => {}
    }
    let details: Vec<String> =
        [("地址", &c.address), ("邮编", &c.postcode), ("电话", &c.phone), ("传真", &c.fax), ("电子邮箱", &c.email)]
            .iter()
            .filter_map(|(label, v)| v.as_ref().map(|v| format!("{label}：{v}")))
            .collect();
    second.push_str(&format!("如对本报告有任何疑问，请与{}联系", c.office));
    if !details.is_empty() {
        second.push_str(&format!("（{}）", details.join("；")));
    }
    second.push('。');
    vec![first, second]
}

fn num(n: impl Into<Count>) -> Cell {
    let n: Count = n.into();
    Cell::new(n.to_string(), CellKind::Number)
}

/// Table 二 (official-format §2.3): four columns, each 第二十条 band a merged row.
fn table2(r: &Report) -> Table {
    use CellKind::*;
    let a = &r.active_disclosure;
    let mut rows = Vec::new();
    rows.push(vec![Cell::new("第二十条第（一）项", Band).span(4, 1)]);
    let mut head = vec![Cell::new(TABLE2_LABEL_HEAD, Head)];
    head.extend(DocColumn::ALL.map(|c| Cell::new(c.label(), Head)));
    rows.push(head);
    for key in DocRow::ALL {
        let c = a.doc_row(key);
        let mut row = vec![Cell::new(key.label(), Label)];
        row.extend(DocColumn::ALL.map(|col| num(c.get(col))));
        rows.push(row);
    }
    // The one-number rows, a band per 第二十条 item in definition order.
    let mut item = "";
    for key in ValueRow::ALL {
        let (this_item, value_head, label) = (key.item(), key.value_head(), key.label());
        if this_item != item {
            item = this_item;
            rows.push(vec![Cell::new(format!("第二十条第（{item}）项"), Band).span(4, 1)]);
            rows.push(vec![Cell::new(TABLE2_LABEL_HEAD, Head), Cell::new(value_head, Head).span(3, 1)]);
        }
        rows.push(vec![Cell::new(label, Label), Cell::new(a.value_text(key), Number).span(3, 1)]);
    }
    Table { key: "table2".into(), caption: None, column_fractions: vec![0.34, 0.22, 0.22, 0.22], header_rows: 0, rows }
}

/// Table 三 (official-format §2.4): three label columns (the 勾稽 note block on top), seven
/// number columns under 申请人情况 / 自然人 / 法人或其他组织 (5) / 总计.
fn table3(r: &Report) -> Table {
    use CellKind::*;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let columns = Table3Column::ALL.len();
    rows.push(vec![Cell::new(TABLE3_NOTE, Note).span(3, 3), Cell::new(TABLE3_APPLICANT_HEAD, Head).span(columns, 1)]);
    rows.push(vec![
        Cell::new(Table3Column::NaturalPerson.label(), Head).span(1, 2),
        Cell::new(TABLE3_ORG_HEAD, Head).span(columns - 2, 1),
        Cell::new(Table3Column::Total.label(), Head).span(1, 2),
    ]);
    rows.push(Table3Column::APPLICANTS[1..].iter().map(|c| Cell::new(c.label(), Head)).collect());

    // The result rows and （七）总计 below them.
    let results_rows = row::RESULT_ROWS + 1;
    let mut group_started = Vec::new();
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let mut cells = Vec::new();
        if i == row::RESULTS_FIRST {
            cells.push(Cell::new(TABLE3_RESULTS_LABEL, Group).span(1, results_rows));
        }
        match def.place {
            RowPlace::Top => cells.push(Cell::new(def.label, Label).span(3, 1)),
            RowPlace::Result => cells.push(Cell::new(def.label, Label).span(2, 1)),
            RowPlace::Member(g) => {
                if !group_started.contains(&g) {
                    group_started.push(g);
                    cells.push(Cell::new(g.label(), Group).span(1, g.rows().count()));
                }
                cells.push(Cell::new(def.label, Label));
            }
        }
        cells.extend(printed::table3_row(r, i).map(num));
        rows.push(cells);
    }
    let label_widths = [0.06, 0.09, 0.30];
    let number_width = (1.0 - label_widths.iter().sum::<f64>()) / columns as f64;
    let mut column_fractions = label_widths.to_vec();
    column_fractions.extend(std::iter::repeat_n(number_width, columns));
    Table { key: "table3".into(), caption: None, column_fractions, header_rows: 3, rows }
}

/// Table 四 (official-format §2.5): 行政复议 (5) | 行政诉讼 (10: 未经复议直接起诉 5, 复议后起诉 5).
fn table4(r: &Report) -> Table {
    use CellKind::*;
    let per_group = Table4Column::ALL.len();
    let litigation = &Table4Group::ALL[1..];
    let mut rows = Vec::new();
    rows.push(vec![
        Cell::new(Table4Group::Review.label(), Head).span(per_group, 1),
        Cell::new(TABLE4_LITIGATION_HEAD, Head).span(per_group * litigation.len(), 1),
    ]);
    let mut second: Vec<Cell> = Table4Column::ALL.iter().map(|c| Cell::new(c.label(), Head).span(1, 2)).collect();
    second.extend(litigation.iter().map(|g| Cell::new(g.label(), Head).span(per_group, 1)));
    rows.push(second);
    let mut third = Vec::new();
    for _ in litigation {
        third.extend(Table4Column::ALL.map(|c| Cell::new(c.label(), Head)));
    }
    rows.push(third);
    let mut data = Vec::new();
    for g in Table4Group::ALL {
        data.extend(Table4Column::ALL.map(|col| num(printed::table4(r, g, col))));
    }
    rows.push(data);
    let columns = per_group * Table4Group::ALL.len();
    Table {
        key: "table4".into(),
        caption: None,
        column_fractions: vec![1.0 / columns as f64; columns],
        header_rows: 3,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_is_not_zero_padded() {
        let d = chrono::NaiveDate::from_ymd_opt(2022, 1, 5).unwrap();
        assert_eq!(gbt_date(d), "2022年1月5日");
    }
}
