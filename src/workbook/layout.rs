//! Where every input of a report sits in the clerk's workbook: sheets, cells, defined names.
//!
//! The three table sheets are laid out from the grids [`crate::resolve`] builds for printing
//! (same header cells, same merges, same row labels and order, all from `model/tables.rs`), so
//! the workbook cannot differ from the printed table. The number cells of each grid are matched,
//! in reading order, with the JSON paths the tables of `model/tables.rs` define. Writer and
//! reader both use this one [`Layout`]: the writer for positions, the reader for the defined
//! names and the label texts it must find.

use std::collections::HashMap;

use crate::model::printed::{cells_sum, table4_parts_sum, Count};
use crate::model::tables::{
    row, DocColumn, DocRow, Heading, Table3Column, Table4Column, Table4Group, ValueRow, APPLICANTS, TABLE3_ROWS,
};
use crate::model::Report;
use crate::resolve::{resolve, CellKind, Table};

/// Sheet names, in workbook order.
pub const SHEET_INFO: &str = "基本信息";
pub const SHEET_TABLE2: &str = "表二";
pub const SHEET_TABLE3: &str = "表三";
pub const SHEET_TABLE4: &str = "表四";
pub const SHEET_NARRATIVE: &str = "正文";
/// The hidden sheet holding the template version and every input cell's JSON path.
pub const SHEET_META: &str = "nianbao";

/// Rows above a table's grid: the section heading, then one empty row.
pub const TABLE_TOP_ROWS: u32 = 2;
/// The narrative sheet's header row (0-based) and its three columns.
pub const NARRATIVE_HEADER_ROW: u32 = 0;
pub const NARRATIVE_COLUMNS: [&str; 3] = ["章节", "小节标题（每小节第一行填写）", "段落"];
/// The section column value of the paragraphs before section 一 (`preamble`).
pub const PREAMBLE_LABEL: &str = "前言（可不填，默认自动生成）";

/// What a cell holds, which decides how it is written, validated and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count: whole number ≥ 0.
    Count,
    /// `fees`: decimal ≥ 0 in 万元.
    Amount,
    /// Text that may be left empty (the key is then absent).
    Text,
    /// Text the report requires (an empty cell reads as `""`, which the decoder refuses).
    RequiredText,
    /// `year`.
    Year,
    /// `signature.date`, an ISO date.
    Date,
}

/// A cell position, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pos {
    pub row: u32,
    pub col: u16,
}

/// One input cell.
#[derive(Debug, Clone)]
pub struct Field {
    /// JSON path, e.g. `applications.results.denied.state_secret[0]`.
    pub path: String,
    pub sheet: &'static str,
    pub pos: Pos,
    pub kind: Kind,
    /// Index into [`Layout::labels`] of the label this cell belongs to.
    pub label: Option<usize>,
}

/// Whether a label names the row or the column of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Row,
    Column,
}

/// A locked label cell the reader checks (moved or rewritten labels are refused).
#[derive(Debug, Clone)]
pub struct Label {
    pub name: String,
    pub sheet: &'static str,
    pub pos: Pos,
    pub text: String,
    pub axis: Axis,
}

/// A formula cell (row totals, （七）总计, table 四 totals, the 勾稽 check row).
#[derive(Debug, Clone)]
pub struct FormulaCell {
    /// JSON path the cell stands for (`applications.new[6]`), for diagnostics.
    pub path: Option<String>,
    /// What the formula sums (`None` for the 勾稽 check row).
    pub sum: Option<Sum>,
    pub sheet: &'static str,
    pub pos: Pos,
    pub formula: String,
    /// The value computed in Rust, stored as the formula's cached result.
    pub result: String,
}

/// What a formula cell of a table sheet sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sum {
    /// The 总计 of table 三 row `i` (an index in `TABLE3_ROWS`): its six cells.
    RowTotal(usize),
    /// A column of （七）总计: the result rows above it.
    ResultsColumn(Table3Column),
    /// The 总计 of a table 四 group: its four outcome columns.
    CaseTotal(Table4Group),
}

/// A fixed text cell of a table sheet (headers, bands, group cells), with its merge.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub sheet: &'static str,
    pub pos: Pos,
    pub rows: u32,
    pub cols: u16,
    pub text: String,
    pub kind: CellKind,
}

/// Every cell of the workbook that is not narrative text.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub fields: Vec<Field>,
    pub labels: Vec<Label>,
    pub formulas: Vec<FormulaCell>,
    pub fixed: Vec<Fixed>,
    /// Table sheets: the grid's width in columns and the column width fractions.
    pub widths: HashMap<&'static str, Vec<f64>>,
}

/// `A1` form of a position.
pub fn a1(pos: Pos) -> String {
    format!("{}{}", column_letters(pos.col), pos.row + 1)
}

/// `$A$1` form of a position.
pub fn absolute(pos: Pos) -> String {
    format!("${}${}", column_letters(pos.col), pos.row + 1)
}

/// `表三!D12`: how diagnostics name a cell.
pub fn cell_ref(sheet: &str, pos: Pos) -> String {
    format!("{sheet}!{}", a1(pos))
}

pub fn column_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The defined name of an input cell: `NB_` and the path with `.`/`[i]` as `_` (letters,
/// digits and underscores only, which every spreadsheet program accepts in names).
pub fn field_name(path: &str) -> String {
    let mut s = String::from("NB_");
    for c in path.chars() {
        match c {
            '.' | '[' => s.push('_'),
            ']' => {}
            c => s.push(c),
        }
    }
    s
}

/// The defined name of the template version cell on the hidden sheet.
pub const VERSION_NAME: &str = "NB_template_version";
/// The defined name of the narrative sheet's header row (its first cell).
pub const NARRATIVE_NAME: &str = "NB_narrative_header";

/// Every field of the 基本信息 sheet: JSON path, label, kind. Help texts come from the JSON
/// Schema (see `write.rs`).
pub const INFO_FIELDS: [(&str, Kind); 20] = [
    ("agency", Kind::RequiredText),
    ("year", Kind::Year),
    ("id", Kind::Text),
    ("title", Kind::Text),
    ("contact.office", Kind::RequiredText),
    ("contact.address", Kind::Text),
    ("contact.postcode", Kind::Text),
    ("contact.phone", Kind::Text),
    ("contact.fax", Kind::Text),
    ("contact.website_name", Kind::Text),
    ("contact.website_url", Kind::Text),
    ("contact.email", Kind::Text),
    ("signature.agency", Kind::Text),
    ("signature.date", Kind::Date),
    ("signature.seal", Kind::Text),
    ("headings.overview", Kind::Text),
    ("headings.active_disclosure", Kind::Text),
    ("headings.applications", Kind::Text),
    ("headings.review_litigation", Kind::Text),
    ("headings.problems", Kind::Text),
];

/// `headings.other_matters` completes [`INFO_FIELDS`] (kept apart so the array stays readable).
pub const INFO_LAST: (&str, Kind) = ("headings.other_matters", Kind::Text);

/// The 基本信息 fields in row order.
pub fn info_fields() -> impl Iterator<Item = (&'static str, Kind)> {
    INFO_FIELDS.into_iter().chain(std::iter::once(INFO_LAST))
}

/// The narrative sections in sheet order: JSON key (`preamble` for the opening) and the value
/// the section column holds.
pub fn narrative_sections() -> Vec<(&'static str, String)> {
    let mut out = vec![("preamble", PREAMBLE_LABEL.to_string())];
    for h in Heading::ALL {
        if matches!(h, Heading::Overview | Heading::Problems | Heading::OtherMatters) {
            out.push((h.key(), h.numbered()));
        }
    }
    out
}

/// A grid cell placed at its row and column.
struct Placed<'t> {
    pos: Pos,
    cell: &'t crate::resolve::Cell,
}

/// Place the cells of a resolved grid (cells covered by a span are absent from its rows).
fn place(table: &Table, top: u32) -> Vec<Placed<'_>> {
    let width = table.column_fractions.len();
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for (r, cells) in table.rows.iter().enumerate() {
        let mut c = 0usize;
        for cell in cells {
            while taken.get(r).is_some_and(|row| row.get(c).copied().unwrap_or(false)) {
                c += 1;
            }
            for rr in r..r + cell.rowspan {
                if taken.len() <= rr {
                    taken.resize(rr + 1, vec![false; width.max(c + cell.colspan)]);
                }
                let row = &mut taken[rr];
                if row.len() < c + cell.colspan {
                    row.resize(c + cell.colspan, false);
                }
                row[c..c + cell.colspan].iter_mut().for_each(|t| *t = true);
            }
            out.push(Placed { pos: Pos { row: top + r as u32, col: c as u16 }, cell });
            c += cell.colspan;
        }
    }
    out
}

/// What the number cells of each grid stand for, in reading order.
enum Slot {
    Input(String, Kind),
    /// A formula cell (its path, for diagnostics).
    Computed(String, Sum),
}

fn table2_slots() -> Vec<Slot> {
    let mut out = Vec::new();
    for r in DocRow::ALL {
        for c in DocColumn::ALL {
            out.push(Slot::Input(format!("active_disclosure.{}.{}", r.key(), c.key()), Kind::Count));
        }
    }
    for v in ValueRow::ALL {
        let kind = if v == ValueRow::Fees { Kind::Amount } else { Kind::Count };
        out.push(Slot::Input(format!("active_disclosure.{}", v.key()), kind));
    }
    out
}

fn table3_slots() -> Vec<Slot> {
    let mut out = Vec::new();
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        for c in Table3Column::ALL {
            let path = format!("applications.{}[{}]", def.key, c.index());
            if i == row::RESULTS_TOTAL {
                out.push(Slot::Computed(path, Sum::ResultsColumn(c)));
            } else if c == Table3Column::Total {
                out.push(Slot::Computed(path, Sum::RowTotal(i)));
            } else {
                out.push(Slot::Input(path, Kind::Count));
            }
        }
    }
    out
}

fn table4_slots() -> Vec<Slot> {
    let mut out = Vec::new();
    for g in Table4Group::ALL {
        for c in Table4Column::ALL {
            let path = format!("review_litigation.{}.{}", g.key(), c.key());
            out.push(match c {
                Table4Column::Total => Slot::Computed(path, Sum::CaseTotal(g)),
                _ => Slot::Input(path, Kind::Count),
            });
        }
    }
    out
}

impl Layout {
    /// The layout of the workbook; `report` only supplies the cached results of the formulas
    /// (the cells and names do not depend on it).
    pub fn new(report: &Report) -> Layout {
        let resolved = resolve(report, None);
        let mut layout = Layout::default();
        for (r, (path, kind)) in info_fields().enumerate() {
            let pos = Pos { row: r as u32 + 1, col: 1 };
            let label = layout.labels.len();
            layout.labels.push(Label {
                name: format!("NBL_{}", field_name(path).trim_start_matches("NB_")),
                sheet: SHEET_INFO,
                pos: Pos { row: pos.row, col: 0 },
                text: info_label(path),
                axis: Axis::Row,
            });
            layout.fields.push(Field { path: path.to_string(), sheet: SHEET_INFO, pos, kind, label: Some(label) });
        }
        for section in &resolved.sections {
            let Some(table) = &section.table else { continue };
            let (sheet, slots) = match Heading::from_key(&section.key) {
                Some(Heading::ActiveDisclosure) => (SHEET_TABLE2, table2_slots()),
                Some(Heading::Applications) => (SHEET_TABLE3, table3_slots()),
                Some(Heading::ReviewLitigation) => (SHEET_TABLE4, table4_slots()),
                Some(Heading::Overview | Heading::Problems | Heading::OtherMatters) | None => continue,
            };
            layout.fixed.push(Fixed {
                sheet,
                pos: Pos { row: 0, col: 0 },
                rows: 1,
                cols: table.column_fractions.len() as u16,
                text: section.heading.clone(),
                kind: CellKind::Band,
            });
            layout.widths.insert(sheet, table.column_fractions.clone());
            layout.add_table(sheet, table, slots);
        }
        layout.add_formulas(report);
        layout
    }

    fn add_table(&mut self, sheet: &'static str, table: &Table, slots: Vec<Slot>) {
        let placed = place(table, TABLE_TOP_ROWS);
        let mut slots = slots.into_iter();
        // Row labels: the last label cell met on each grid row; column labels: head cells.
        let mut row_label: HashMap<u32, usize> = HashMap::new();
        let mut heads: Vec<(Pos, u16, usize)> = Vec::new();
        for p in &placed {
            match p.cell.kind {
                CellKind::Number => {
                    let label = row_label.get(&p.pos.row).copied().or_else(|| {
                        heads
                            .iter()
                            .filter(|(h, span, _)| h.col <= p.pos.col && p.pos.col < h.col + span)
                            .max_by_key(|(h, _, _)| h.row)
                            .map(|(_, _, i)| *i)
                    });
                    match slots.next() {
                        Some(Slot::Input(path, kind)) => {
                            self.fields.push(Field { path, sheet, pos: p.pos, kind, label });
                        }
                        Some(Slot::Computed(path, sum)) => self.formulas.push(FormulaCell {
                            path: Some(path),
                            sum: Some(sum),
                            sheet,
                            pos: p.pos,
                            formula: String::new(),
                            result: String::new(),
                        }),
                        None => {}
                    }
                }
                kind => {
                    self.fixed.push(Fixed {
                        sheet,
                        pos: p.pos,
                        rows: p.cell.rowspan as u32,
                        cols: p.cell.colspan as u16,
                        text: p.cell.text.clone(),
                        kind,
                    });
                    let axis = match kind {
                        CellKind::Label => Axis::Row,
                        CellKind::Head => Axis::Column,
                        _ => continue,
                    };
                    let index = self.labels.len();
                    self.labels.push(Label {
                        name: format!("NBL_{}_{}_{}", table.key, p.pos.row, p.pos.col),
                        sheet,
                        pos: p.pos,
                        text: p.cell.text.clone(),
                        axis,
                    });
                    if axis == Axis::Row {
                        row_label.insert(p.pos.row, index);
                    } else {
                        heads.push((p.pos, p.cell.colspan as u16, index));
                    }
                }
            }
        }
        // Head cells label columns only for table 四, whose numbers have no row label; elsewhere
        // a number is checked against its row label alone.
    }

    /// Position of an input or formula cell by its JSON path.
    pub fn pos_of(&self, path: &str) -> Option<(&'static str, Pos)> {
        self.fields
            .iter()
            .find(|f| f.path == path)
            .map(|f| (f.sheet, f.pos))
            .or_else(|| self.formulas.iter().find(|f| f.path.as_deref() == Some(path)).map(|f| (f.sheet, f.pos)))
    }

    /// Fill in the formulas (row totals, （七）总计, table 四 totals) and the 勾稽 check row of
    /// table 三, each with its result computed here.
    fn add_formulas(&mut self, report: &Report) {
        // Formula cells by path, kept aside: the （七）总计 row's 总计 cell sums the row totals
        // above it, which are formulas themselves (taken out of `self` while they are filled in).
        let formula_cells: Vec<(String, Pos)> =
            self.formulas.iter().filter_map(|f| f.path.clone().map(|p| (p, f.pos))).collect();
        let cell = |l: &Layout, path: &str| {
            l.pos_of(path)
                .map(|(_, p)| p)
                .or_else(|| formula_cells.iter().find(|(p, _)| p == path).map(|(_, pos)| *pos))
                .map(a1)
                .unwrap_or_default()
        };
        let apps = &report.applications;
        let mut formulas = std::mem::take(&mut self.formulas);
        for f in &mut formulas {
            let Some(sum) = f.sum else { continue };
            let (formula, result) = match sum {
                Sum::ResultsColumn(c) => {
                    let at = |i: usize| cell(self, &format!("applications.{}[{}]", TABLE3_ROWS[i].key, c.index()));
                    let result: Count = apps.rows[row::RESULTS].iter().map(|r| workbook_cell(r, c)).sum();
                    (format!("=SUM({}:{})", at(row::RESULTS_FIRST), at(row::RESULTS_LAST)), result)
                }
                Sum::RowTotal(i) => {
                    let key = TABLE3_ROWS[i].key;
                    let first = cell(self, &format!("applications.{key}[0]"));
                    let last = cell(self, &format!("applications.{key}[{}]", APPLICANTS - 1));
                    (format!("=SUM({first}:{last})"), cells_sum(&apps.rows[i]))
                }
                Sum::CaseTotal(g) => {
                    let at = |c: Table4Column| cell(self, &format!("review_litigation.{}.{}", g.key(), c.key()));
                    let result = table4_parts_sum(report.review_litigation.group(g));
                    (format!("=SUM({}:{})", at(Table4Column::Upheld), at(Table4Column::Pending)), result)
                }
            };
            f.formula = formula;
            f.result = result.to_string();
        }
        self.formulas = formulas;

        // The 勾稽 check row under table 三 (official-format §2.4: 第一项加第二项之和，等于第三项加
        // 第四项之和), one cell per column, 「平衡」 or 「不平衡」.
        let Some((_, last)) = self.pos_of(&format!("applications.{}[0]", TABLE3_ROWS[row::CARRIED_FORWARD].key)) else {
            return;
        };
        let check_row = last.row + 1;
        self.fixed.push(Fixed {
            sheet: SHEET_TABLE3,
            pos: Pos { row: check_row, col: 0 },
            rows: 1,
            cols: 3,
            text: CHECK_ROW_LABEL.to_string(),
            kind: CellKind::Note,
        });
        for c in Table3Column::ALL {
            let at = |i: usize| cell(self, &format!("applications.{}[{}]", TABLE3_ROWS[i].key, c.index()));
            let (n, co, t, cf) =
                (at(row::NEW), at(row::CARRIED_OVER), at(row::RESULTS_TOTAL), at(row::CARRIED_FORWARD));
            let results: Count = apps.rows[row::RESULTS].iter().map(|r| workbook_cell(r, c)).sum();
            let balanced = workbook_cell(&apps.rows[row::NEW], c) + workbook_cell(&apps.rows[row::CARRIED_OVER], c)
                == results + workbook_cell(&apps.rows[row::CARRIED_FORWARD], c);
            self.formulas.push(FormulaCell {
                path: None,
                sum: None,
                sheet: SHEET_TABLE3,
                pos: Pos { row: check_row, col: last.col + c.index() as u16 },
                formula: format!("=IF({n}+{co}={t}+{cf},\"{BALANCED}\",\"{UNBALANCED}\")"),
                result: if balanced { BALANCED } else { UNBALANCED }.to_string(),
            });
        }
    }
}

/// A table 三 cell as the workbook computes it: a count, or for 总计 the SUM formula over the
/// row's six cells (a workbook has no given total).
fn workbook_cell(r: &crate::model::Row, c: Table3Column) -> Count {
    match c {
        Table3Column::Total => cells_sum(r),
        _ => Count::from(r.cells[c.index()]),
    }
}

/// A report with nothing filled in: what the reader lays the workbook out from (positions and
/// names do not depend on the values).
pub fn blank_report() -> Report {
    use crate::model::*;
    Report {
        format: FORMAT_2021.to_string(),
        agency: String::new(),
        year: 2025,
        title: None,
        preamble: None,
        contact: Contact::default(),
        overview: Section::default(),
        active_disclosure: ActiveDisclosure::default(),
        applications: Applications::default(),
        review_litigation: ReviewLitigation::default(),
        problems: Section::default(),
        other_matters: Section::default(),
        signature: Signature::default(),
        headings: Headings::default(),
        id: None,
    }
}

/// Label of the 勾稽 check row under table 三.
pub const CHECK_ROW_LABEL: &str = "勾稽校验：第一项加第二项之和，等于第三项加第四项之和";
pub const BALANCED: &str = "平衡";
pub const UNBALANCED: &str = "不平衡";

/// The Chinese label of a 基本信息 field (the JSON Schema's `title`).
pub fn info_label(path: &str) -> String {
    schema_entry(path)
        .and_then(|e| e.get("title").and_then(|t| t.as_str()).map(String::from))
        .unwrap_or_else(|| path.to_string())
}

/// The help text of a 基本信息 field (the JSON Schema's `description`, Chinese part).
pub fn info_help(path: &str) -> String {
    let d = schema_entry(path).and_then(|e| e.get("description").and_then(|t| t.as_str()).map(String::from));
    let d = d.unwrap_or_default();
    d.split(" / ").next().unwrap_or_default().trim().to_string()
}

/// The JSON Schema property at a dotted path (following `$ref`s into `$defs`).
fn schema_entry(path: &str) -> Option<serde_json::Value> {
    let schema = crate::model::schema::schema();
    let mut node = schema.clone();
    for key in path.split('.') {
        node = follow(&schema, node);
        node = node.get("properties")?.get(key)?.clone();
    }
    // The property itself keeps its own title and description even when it is a `$ref`.
    Some(node)
}

fn follow(schema: &serde_json::Value, node: serde_json::Value) -> serde_json::Value {
    match node.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(def) => schema.get("$defs").and_then(|d| d.get(def)).cloned().unwrap_or(node),
        None => node,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_cell_has_a_path_and_names_are_unique() {
        let report = crate::sample::generate(1, 7).reports.remove(0).report;
        let l = Layout::new(&report);
        let inputs = l.fields.iter().filter(|f| f.sheet != SHEET_INFO).count();
        // 表二 6 + 4, 表三 24 rows × 6, 表四 3 × 4.
        assert_eq!(inputs, 10 + 24 * 6 + 12);
        let mut names: Vec<String> = l.fields.iter().map(|f| field_name(&f.path).to_lowercase()).collect();
        names.extend(l.labels.iter().map(|x| x.name.to_lowercase()));
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(n, names.len());
        assert!(l.fields.iter().filter(|f| f.sheet != SHEET_INFO).all(|f| f.label.is_some()));
        assert_eq!(cell_ref("表三", Pos { row: 11, col: 3 }), "表三!D12");
        assert_eq!(column_letters(26), "AA");
    }

    #[test]
    fn info_fields_have_schema_help() {
        for (path, _) in info_fields() {
            assert_ne!(info_label(path), path, "{path}");
            assert!(!info_help(path).is_empty(), "{path}");
        }
    }
}
