//! Workbook bytes → input-format JSON and the cell of every JSON path, through `calamine`.
//!
//! Cells are found by their defined names (which follow rows and columns a user inserts), never
//! by fixed positions; each label must still read as `model/tables.rs` has it and stand beside
//! its cells, so a sorted or rewritten table is refused with the cell named. Values are carried
//! into the JSON as the cell holds them — a text in a count cell becomes a JSON string, a
//! negative a negative number — so the decoder's own rule 5 reports them. Formula cells
//! (totals, the 勾稽 row) are not read: the checks recompute every total.

use std::collections::HashMap;
use std::io::{Cursor, Read as _};

use calamine::{Data, DataRef, Ods, Reader, Xlsx};

use super::layout::{
    a1, cell_ref, field_name, narrative_sections, Axis, Kind, Layout, Pos, NARRATIVE_COLUMNS, NARRATIVE_NAME,
    SHEET_INFO, SHEET_META, SHEET_NARRATIVE, SHEET_TABLE2, SHEET_TABLE3, SHEET_TABLE4, VERSION_NAME,
};
use super::{
    MAX_CELL_CHARS, MAX_SHEET_CELLS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES, MAX_ZIP_ENTRIES, TEMPLATE_VERSION,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::encode::Json;
use crate::model::tables::{row, Heading, Table4Column, Table4Group, APPLICANTS, TABLE3_ROWS};
use crate::model::{Report, FORMAT_2021};

/// What reading a workbook gave.
pub struct Read {
    /// The report as input-format JSON text; `None` when the workbook's structure is wrong
    /// (another template, moved labels, deleted rows), which `diagnostics` explain.
    pub json: Option<String>,
    /// `path → 表三!D12` for every input cell and the tables, rows and sections holding them.
    pub cells: HashMap<String, String>,
    pub diagnostics: Diagnostics,
}

type Cells = HashMap<(u32, u32), Data>;

fn invalid(zh: String, en: String) -> Diagnostic {
    Diagnostic::error("workbook-invalid", "", zh, en)
}

fn limit(zh: String, en: String) -> Diagnostic {
    Diagnostic::error("workbook-limit", "", zh, en)
}

/// Read a workbook. Never panics on any input; every problem is a diagnostic.
pub fn read(bytes: &[u8]) -> Read {
    let mut out = Read { json: None, cells: HashMap::new(), diagnostics: Diagnostics::default() };
    match Book::open(bytes) {
        Ok(mut book) => {
            out.json = book.report(&mut out.cells, &mut out.diagnostics);
        }
        Err(d) => out.diagnostics.push(d),
    }
    out
}

enum Inner {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
}

struct Book {
    inner: Inner,
    /// Defined names, lower-cased (names are case-insensitive), to their targets.
    names: HashMap<String, String>,
    sheets: HashMap<String, Cells>,
}

/// Check the archive against the limits before any member is unpacked; returns whether it is
/// an OpenDocument spreadsheet.
fn precheck(bytes: &[u8]) -> Result<bool, Diagnostic> {
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(limit(
            format!("工作簿文件有 {} 字节，超过读取上限 {MAX_WORKBOOK_BYTES} 字节", bytes.len()),
            format!("the workbook is {} bytes, beyond the limit of {MAX_WORKBOOK_BYTES}", bytes.len()),
        ));
    }
    let mut zip = zip9::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        invalid(format!("文件不是完整的 XLSX/ODS 工作簿（{e}）"), format!("not a complete XLSX/ODS workbook ({e})"))
    })?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(limit(
            format!("工作簿压缩包有 {} 个成员，超过上限 {MAX_ZIP_ENTRIES}", zip.len()),
            format!("the workbook archive has {} members, beyond the limit of {MAX_ZIP_ENTRIES}", zip.len()),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(limit(
            format!("工作簿解压后有 {total} 字节，超过上限 {MAX_UNPACKED_BYTES} 字节"),
            format!("the workbook unpacks to {total} bytes, beyond the limit of {MAX_UNPACKED_BYTES}"),
        ));
    }
    let mut mime = String::new();
    if let Ok(f) = zip.by_name("mimetype") {
        let _ = f.take(200).read_to_string(&mut mime);
    }
    Ok(mime.trim() == "application/vnd.oasis.opendocument.spreadsheet")
}

impl Book {
    fn open(bytes: &[u8]) -> Result<Book, Diagnostic> {
        let ods = precheck(bytes)?;
        let cursor = Cursor::new(bytes.to_vec());
        let bad = |e: String| invalid(format!("无法读取工作簿：{e}"), format!("cannot read the workbook: {e}"));
        let inner = if ods {
            Inner::Ods(Box::new(Ods::new(cursor).map_err(|e| bad(e.to_string()))?))
        } else {
            Inner::Xlsx(Box::new(Xlsx::new(cursor).map_err(|e| bad(e.to_string()))?))
        };
        let defined = match &inner {
            Inner::Xlsx(x) => x.defined_names().to_vec(),
            Inner::Ods(o) => o.defined_names().to_vec(),
        };
        let names = defined.into_iter().map(|(n, t)| (n.to_lowercase(), t)).collect();
        Ok(Book { inner, names, sheets: HashMap::new() })
    }

    fn sheet_names(&self) -> Vec<String> {
        match &self.inner {
            Inner::Xlsx(x) => x.sheet_names(),
            Inner::Ods(o) => o.sheet_names(),
        }
    }

    /// Load a sheet's non-empty cells (at most [`MAX_SHEET_CELLS`]).
    fn load(&mut self, sheet: &str) -> Result<(), Diagnostic> {
        if self.sheets.contains_key(sheet) {
            return Ok(());
        }
        let too_many = || {
            limit(
                format!("工作表「{sheet}」的非空单元格超过上限 {MAX_SHEET_CELLS} 个"),
                format!("sheet `{sheet}` has more than {MAX_SHEET_CELLS} non-empty cells"),
            )
        };
        let bad =
            |e: String| invalid(format!("无法读取工作表「{sheet}」：{e}"), format!("cannot read sheet `{sheet}`: {e}"));
        let mut cells = Cells::new();
        match &mut self.inner {
            Inner::Xlsx(x) => {
                // Streamed, so a sheet whose one cell sits at XFD1048576 costs one cell, not a
                // dense range of every cell before it.
                let mut reader = x.worksheet_cells_reader(sheet).map_err(|e| bad(e.to_string()))?;
                while let Some(cell) = reader.next_cell().map_err(|e| bad(e.to_string()))? {
                    let value = owned(cell.get_value());
                    if value != Data::Empty {
                        if cells.len() >= MAX_SHEET_CELLS {
                            return Err(too_many());
                        }
                        cells.insert(cell.get_position(), value);
                    }
                }
            }
            Inner::Ods(o) => {
                let range = o.worksheet_range(sheet).map_err(|e| bad(e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    if cells.len() >= MAX_SHEET_CELLS {
                        return Err(too_many());
                    }
                    cells.insert((r0 + r as u32, c0 + c as u32), v.clone());
                }
            }
        }
        self.sheets.insert(sheet.to_string(), cells);
        Ok(())
    }

    fn value(&self, sheet: &str, pos: Pos) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.sheets.get(sheet).and_then(|s| s.get(&(pos.row, u32::from(pos.col)))).unwrap_or(&EMPTY)
    }

    /// Where a defined name points: `None` when it is absent, `Some(None)` when its cell was
    /// deleted (`#REF!`) or it points somewhere unreadable.
    fn name(&self, name: &str) -> Option<Option<(String, Pos)>> {
        self.names.get(&name.to_lowercase()).map(|t| parse_target(t))
    }

    /// The whole reading: structure first (version, labels, names), then values.
    fn report(&mut self, cells: &mut HashMap<String, String>, diags: &mut Diagnostics) -> Option<String> {
        let present = self.sheet_names();
        // The hidden sheet and its version name say whether this is a nianbao workbook at all.
        let version_at = match self.name(VERSION_NAME) {
            Some(Some(at)) => at,
            _ => {
                diags.push(
                    Diagnostic::error(
                        "workbook-version",
                        "",
                        "这不是 nianbao 生成的填报工作簿（缺少模板版本信息）",
                        "this is not a nianbao workbook (no template version)",
                    )
                    .with_hint("请用 nianbao init --xlsx 或 nianbao export --xlsx 生成工作簿后填写 / start from `nianbao init --xlsx` or `nianbao export --xlsx`"),
                );
                return None;
            }
        };
        for sheet in [SHEET_INFO, SHEET_TABLE2, SHEET_TABLE3, SHEET_TABLE4, SHEET_NARRATIVE, SHEET_META] {
            if !present.iter().any(|s| s == sheet) {
                diags.push(invalid(
                    format!("工作簿缺少工作表「{sheet}」（可能被删除或改名）"),
                    format!("the workbook has no sheet `{sheet}` (deleted or renamed?)"),
                ));
                return None;
            }
            if let Err(d) = self.load(sheet) {
                diags.push(d);
                return None;
            }
        }
        let version = text_of(self.value(&version_at.0, version_at.1));
        if version != TEMPLATE_VERSION {
            diags.push(
                Diagnostic::error(
                    "workbook-version",
                    "",
                    format!("工作簿模板版本为「{version}」，本版本 nianbao 只读取「{TEMPLATE_VERSION}」"),
                    format!("the workbook template is `{version}`; this release reads `{TEMPLATE_VERSION}` only"),
                )
                .with_cell(cell_ref(&version_at.0, version_at.1))
                .with_hint("请用本版本 nianbao export --xlsx 重新生成工作簿 / regenerate it with this release's `nianbao export --xlsx`"),
            );
            return None;
        }

        // The layout's positions are only used for messages; the cells come from the names.
        let layout = Layout::new(&super::layout::blank_report());
        let original = self.original_cells();
        let mut broken = false;
        let mut label_at: Vec<Option<Pos>> = Vec::new();
        for label in &layout.labels {
            let at = match self.name(&label.name) {
                Some(Some((sheet, pos))) if sheet == label.sheet => Some(pos),
                _ => None,
            };
            match at {
                None => {
                    broken = true;
                    diags.push(
                        Diagnostic::error(
                            "workbook-cell-deleted",
                            "",
                            format!(
                                "标签「{}」（原位于 {}）所在的行或列已被删除",
                                label.text,
                                cell_ref(label.sheet, label.pos)
                            ),
                            format!(
                                "the row or column of label `{}` (at {}) was deleted",
                                label.text,
                                cell_ref(label.sheet, label.pos)
                            ),
                        )
                        .with_cell(cell_ref(label.sheet, label.pos))
                        .with_hint(
                            "请撤销删除，或重新生成工作簿后再填写 / undo the deletion, or start from a fresh workbook",
                        ),
                    );
                }
                Some(pos) => {
                    let found = text_of(self.value(label.sheet, pos));
                    if squash(&found) != squash(&label.text) {
                        broken = true;
                        diags.push(
                            Diagnostic::error(
                                "workbook-label",
                                "",
                                format!("{} 应为「{}」，实际为「{}」：表格的标签被移动或改写（如排序）", cell_ref(label.sheet, pos), label.text, found),
                                format!("{} should read `{}` but reads `{}`: a label was moved or rewritten (sorted?)", cell_ref(label.sheet, pos), label.text, found),
                            )
                            .with_cell(cell_ref(label.sheet, pos))
                            .with_hint("请撤销排序或改动，标签文字须与官方表格一致 / undo the change: labels must read as in the official table"),
                        );
                    }
                }
            }
            label_at.push(at);
        }

        let mut values: HashMap<String, (Kind, Data)> = HashMap::new();
        for field in &layout.fields {
            let at = match self.name(&field_name(&field.path)) {
                Some(Some((sheet, pos))) if sheet == field.sheet => Some(pos),
                _ => None,
            };
            let Some(pos) = at else {
                broken = true;
                let was = original.get(&field.path).cloned().unwrap_or_else(|| cell_ref(field.sheet, field.pos));
                diags.push(
                    Diagnostic::error(
                        "workbook-cell-deleted",
                        field.path.clone(),
                        format!("{} 的填写单元格（原位于 {was}）所在的行或列已被删除", field.path),
                        format!("the cell of {} (at {was}) was deleted with its row or column", field.path),
                    )
                    .with_cell(was)
                    .with_hint(
                        "请撤销删除，或重新生成工作簿后再填写 / undo the deletion, or start from a fresh workbook",
                    ),
                );
                continue;
            };
            let here = cell_ref(field.sheet, pos);
            if let Some((label, Some(lpos))) = field.label.map(|i| (&layout.labels[i], label_at[i])) {
                let aligned = match label.axis {
                    Axis::Row => lpos.row == pos.row,
                    Axis::Column => lpos.col == pos.col,
                };
                if !aligned {
                    broken = true;
                    diags.push(
                        Diagnostic::error(
                            "workbook-label",
                            field.path.clone(),
                            format!(
                                "{here} 与它的标签「{}」（{}）不再对齐：行或单元格被移动",
                                label.text,
                                cell_ref(label.sheet, lpos)
                            ),
                            format!(
                                "{here} no longer lines up with its label `{}` ({}): cells were moved",
                                label.text,
                                cell_ref(label.sheet, lpos)
                            ),
                        )
                        .with_cell(here.clone()),
                    );
                }
            }
            cells.insert(field.path.clone(), here);
            values.insert(field.path.clone(), (field.kind, self.value(field.sheet, pos).clone()));
        }
        self.anchor_cells(&layout, &label_at, cells);
        if broken {
            return None;
        }
        let fees_written = original_fees(self);
        let narrative = self.narrative(cells, diags)?;
        Some(assemble(&values, &fees_written, narrative).to_pretty())
    }

    /// The meta sheet's record of where each path was written: `path → 表三!D8`.
    fn original_cells(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        if let Some(meta) = self.sheets.get(SHEET_META) {
            for (&(r, c), v) in meta {
                if c == 0 {
                    if let Some(Data::String(cell)) = meta.get(&(r, 2)) {
                        out.insert(text_of(v), cell.clone());
                    }
                }
            }
        }
        out
    }

    /// Cells for the paths above the input cells (a row, a table, a section's group), so every
    /// finding of the checks lands on a cell: a row's 总计 and （七）总计 on their formula cells.
    fn anchor_cells(&self, layout: &Layout, label_at: &[Option<Pos>], cells: &mut HashMap<String, String>) {
        let now = |sheet: &str, pos: Pos| -> Pos {
            // A formula cell moved with its row: the row label's current row tells where.
            let row_label = layout
                .labels
                .iter()
                .zip(label_at)
                .find(|(l, _)| l.sheet == sheet && l.axis == Axis::Row && l.pos.row == pos.row)
                .and_then(|(_, at)| *at);
            Pos { row: row_label.map_or(pos.row, |p| p.row), col: pos.col }
        };
        for f in &layout.formulas {
            if let Some(path) = &f.path {
                cells.insert(path.clone(), cell_ref(f.sheet, now(f.sheet, f.pos)));
            }
        }
        for def in TABLE3_ROWS {
            if let Some(c) = cells.get(&format!("applications.{}[0]", def.key)).cloned() {
                cells.entry(format!("applications.{}", def.key)).or_insert(c);
            }
        }
        for g in Table4Group::ALL.map(Table4Group::key) {
            if let Some(c) = cells.get(&format!("review_litigation.{g}.{}", Table4Column::ALL[0].key())).cloned() {
                cells.entry(format!("review_litigation.{g}")).or_insert(c);
            }
        }
        for (path, sheet) in [
            ("", SHEET_INFO),
            ("active_disclosure", SHEET_TABLE2),
            ("applications", SHEET_TABLE3),
            ("review_litigation", SHEET_TABLE4),
        ] {
            cells.insert(path.to_string(), format!("{sheet}!A1"));
        }
        for (path, to) in [("contact", "contact.phone"), ("signature", "signature.date")] {
            if let Some(c) = cells.get(to).cloned() {
                cells.insert(path.to_string(), c);
            }
        }
    }

    /// The narrative sheet, one paragraph a row, read in row order.
    fn narrative(&self, cells: &mut HashMap<String, String>, diags: &mut Diagnostics) -> Option<Narrative> {
        let Some(Some((sheet, head))) = self.name(NARRATIVE_NAME) else {
            diags.push(
                Diagnostic::error(
                    "workbook-cell-deleted",
                    "",
                    format!("「{SHEET_NARRATIVE}」表的标题行已被删除"),
                    format!("the header row of sheet `{SHEET_NARRATIVE}` was deleted"),
                )
                .with_cell(format!("{SHEET_NARRATIVE}!A1")),
            );
            return None;
        };
        let mut ok = true;
        for (i, want) in NARRATIVE_COLUMNS.iter().enumerate() {
            let pos = Pos { row: head.row, col: head.col + i as u16 };
            let found = text_of(self.value(&sheet, pos));
            if squash(&found) != squash(want) {
                ok = false;
                diags.push(
                    Diagnostic::error(
                        "workbook-label",
                        "",
                        format!("{} 应为「{want}」，实际为「{found}」：正文表的列被移动或改写", cell_ref(&sheet, pos)),
                        format!(
                            "{} should read `{want}` but reads `{found}`: the narrative columns were moved",
                            cell_ref(&sheet, pos)
                        ),
                    )
                    .with_cell(cell_ref(&sheet, pos)),
                );
            }
        }
        if !ok {
            return None;
        }
        let sections = narrative_sections();
        let mut n = Narrative::default();
        let Some(grid) = self.sheets.get(&sheet) else { return Some(n) };
        let last_row = grid.keys().map(|(r, _)| *r).max().unwrap_or(0);
        let mut current: Option<usize> = None;
        for r in head.row + 1..=last_row {
            let at = |i: u16| Pos { row: r, col: head.col + i };
            let [sec, title, para] = [0, 1, 2].map(|i| text_of(self.value(&sheet, at(i))));
            if sec.trim().is_empty() && title.trim().is_empty() && para.trim().is_empty() {
                continue;
            }
            if !sec.trim().is_empty() {
                match sections.iter().position(|(_, l)| squash(l) == squash(&sec)) {
                    Some(i) => current = Some(i),
                    None => {
                        let choices: Vec<&str> = sections.iter().map(|(_, l)| l.as_str()).collect();
                        diags.push(
                            Diagnostic::error(
                                "workbook-label",
                                "",
                                format!(
                                    "{} 的章节「{sec}」不是以下之一：{}",
                                    cell_ref(&sheet, at(0)),
                                    choices.join("、")
                                ),
                                format!(
                                    "{}: section `{sec}` is not one of the sections of the template",
                                    cell_ref(&sheet, at(0))
                                ),
                            )
                            .with_cell(cell_ref(&sheet, at(0))),
                        );
                        ok = false;
                        continue;
                    }
                }
            }
            let Some(i) = current else {
                diags.push(
                    Diagnostic::error(
                        "workbook-label",
                        "",
                        format!("{} 未填写章节", cell_ref(&sheet, at(0))),
                        format!("{}: no section given", cell_ref(&sheet, at(0))),
                    )
                    .with_cell(cell_ref(&sheet, at(0))),
                );
                ok = false;
                continue;
            };
            let key = sections[i].0;
            let s = n.sections.entry(key).or_default();
            if !title.trim().is_empty() {
                if key == "preamble" {
                    diags.push(
                        Diagnostic::error(
                            "workbook-label",
                            "preamble",
                            format!("{} 前言没有小节，请把小节标题留空", cell_ref(&sheet, at(1))),
                            format!(
                                "{}: the preamble has no subsections; leave the title empty",
                                cell_ref(&sheet, at(1))
                            ),
                        )
                        .with_cell(cell_ref(&sheet, at(1))),
                    );
                    ok = false;
                    continue;
                }
                let j = s.subsections.len();
                cells.insert(format!("{key}.subsections[{j}].title"), cell_ref(&sheet, at(1)));
                cells.entry(format!("{key}.subsections[{j}]")).or_insert(cell_ref(&sheet, at(1)));
                s.subsections.push((title.clone(), Vec::new()));
            }
            cells.entry(key.to_string()).or_insert(cell_ref(&sheet, at(0)));
            if para.trim().is_empty() {
                continue;
            }
            let count = s.subsections.len();
            match s.subsections.last_mut() {
                Some((_, ps)) => {
                    let j = count - 1;
                    cells.insert(format!("{key}.subsections[{j}].paragraphs[{}]", ps.len()), cell_ref(&sheet, at(2)));
                    ps.push(para);
                }
                None => {
                    let path = if key == "preamble" {
                        format!("preamble[{}]", s.paragraphs.len())
                    } else {
                        format!("{key}.paragraphs[{}]", s.paragraphs.len())
                    };
                    cells.insert(path, cell_ref(&sheet, at(2)));
                    s.paragraphs.push(para);
                }
            }
        }
        for (key, _) in &sections {
            cells.entry(key.to_string()).or_insert(format!("{sheet}!{}", a1(head)));
        }
        ok.then_some(n)
    }
}

/// The narrative as read: per section key, its own paragraphs and its subsections.
#[derive(Default)]
struct Narrative {
    sections: HashMap<&'static str, NarrativeSection>,
}

#[derive(Default)]
struct NarrativeSection {
    paragraphs: Vec<String>,
    subsections: Vec<(String, Vec<String>)>,
}

/// `fees` as the meta sheet recorded it when the workbook was written.
fn original_fees(book: &Book) -> Option<String> {
    let meta = book.sheets.get(SHEET_META)?;
    meta.iter()
        .find(|(&(_, c), v)| c == 0 && text_of(v) == "active_disclosure.fees")
        .and_then(|(&(r, _), _)| meta.get(&(r, 3)))
        .map(text_of)
}

/// `'表三'!$D$5` (XLSX) or `$表三.$D$5` (ODS) → sheet and position; `None` for `#REF!` and
/// anything else that is not one cell.
fn parse_target(target: &str) -> Option<(String, Pos)> {
    let t = target.trim().trim_start_matches('=');
    let (sheet, cell) = match t.rsplit_once('!') {
        Some(split) => split,
        None => t.rsplit_once('.')?,
    };
    let sheet = sheet.trim_start_matches('$');
    let sheet = sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).unwrap_or(sheet).replace("''", "'");
    let cell = cell.replace('$', "");
    let letters: String = cell.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &cell[letters.len()..];
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |a, b| a * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok()?;
    if row == 0 || sheet.contains('#') {
        return None;
    }
    Some((sheet, Pos { row: row - 1, col: u16::try_from(col).ok()? }))
}

fn owned(v: &DataRef) -> Data {
    match v {
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Float(f) => Data::Float(*f),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::SharedString(s) => Data::String(s.to_string()),
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(d) => Data::DateTime(*d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
    }
}

/// A cell as text (numbers without a trailing `.0`), cut at [`MAX_CELL_CHARS`].
fn text_of(v: &Data) -> String {
    let s = match v {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.replace("\r\n", "\n"),
        Data::Float(f) => number_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(e) => e.to_string(),
    };
    if s.chars().count() > MAX_CELL_CHARS {
        s.chars().take(MAX_CELL_CHARS).collect()
    } else {
        s
    }
}

/// A spreadsheet number as decimal text: `5`, `-3`, `12.5` (never an exponent).
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e18 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Labels compared without spaces and line breaks (a re-save may rewrap a merged cell).
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A count cell as JSON: empty is 0; a number as its decimal text (the decoder refuses
/// negatives and fractions); a text of digits as that number; any other text as a string,
/// which the decoder reports as a wrong type.
fn count_json(v: &Data) -> Json {
    match v {
        Data::Empty => Json::Raw("0".into()),
        Data::Float(f) => Json::Raw(number_text(*f)),
        Data::Int(i) => Json::Raw(i.to_string()),
        Data::DateTime(d) => Json::Raw(number_text(d.as_f64())),
        other => {
            let t = text_of(other);
            let t = t.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                Json::Raw(t.to_string())
            } else if t.is_empty() {
                Json::Raw("0".into())
            } else {
                Json::String(t.to_string())
            }
        }
    }
}

/// The fee cell: the text written into the meta sheet when the value is unchanged (so `12.50`
/// stays `12.50`), else the number's decimal text.
fn amount_json(v: &Data, written: &Option<String>) -> Json {
    let value = match v {
        Data::Empty => Some(0.0),
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    match value {
        Some(f) => match written {
            Some(w) if w.parse::<f64>().ok() == Some(f) => Json::Raw(w.clone()),
            _ => Json::Raw(number_text(f)),
        },
        None => {
            let t = text_of(v).trim().to_string();
            let plain = t.strip_prefix('-').unwrap_or(&t);
            if crate::model::Amount::parse(plain).is_some() {
                Json::Raw(t)
            } else {
                Json::String(t)
            }
        }
    }
}

/// An Excel date serial (1900 system) as `YYYY-MM-DD`.
fn serial_date(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let d = base.checked_add_days(chrono::Days::new(serial.floor() as u64))?;
    Some(d.format("%Y-%m-%d").to_string())
}

fn date_json(v: &Data) -> Option<Json> {
    match v {
        Data::Empty => None,
        Data::DateTime(d) => serial_date(d.as_f64()).map(Json::String),
        Data::Float(f) => Some(serial_date(*f).map_or_else(|| Json::String(number_text(*f)), Json::String)),
        Data::DateTimeIso(s) => Some(Json::String(s.chars().take(10).collect())),
        other => {
            let t = text_of(other).trim().to_string();
            (!t.is_empty()).then_some(Json::String(t))
        }
    }
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Put `value` at a dotted path below an object, creating objects on the way.
fn put(root: &mut Json, path: &str, value: Json) {
    let Json::Object(members) = root else { return };
    match path.split_once('.') {
        None => members.push((path.to_string(), value)),
        Some((head, rest)) => {
            if !members.iter().any(|(k, _)| k == head) {
                members.push((head.to_string(), Json::Object(Vec::new())));
            }
            if let Some((_, child)) = members.iter_mut().find(|(k, _)| k == head) {
                put(child, rest, value);
            }
        }
    }
}

/// The input-format JSON of what was read, in input-format.md key order.
fn assemble(values: &HashMap<String, (Kind, Data)>, fees: &Option<String>, narrative: Narrative) -> Json {
    let get = |p: &str| values.get(p).map(|(_, v)| v.clone()).unwrap_or(Data::Empty);
    let text = |p: &str| {
        let t = text_of(&get(p));
        (!t.trim().is_empty()).then_some(Json::String(t))
    };
    let required = |p: &str| Json::String(text_of(&get(p)));
    let mut root = Json::Object(Vec::new());
    put(&mut root, "format", Json::String(FORMAT_2021.into()));
    put(&mut root, "agency", required("agency"));
    match get("year") {
        Data::Empty => {}
        v => put(&mut root, "year", count_json(&v)),
    }
    if let Some(t) = text("title") {
        put(&mut root, "title", t);
    }
    if let Some(p) = narrative.sections.get("preamble") {
        put(&mut root, "preamble", Json::Array(p.paragraphs.iter().cloned().map(Json::String).collect()));
    }
    let mut contact = object(vec![("office", required("contact.office"))]);
    for k in ["address", "postcode", "phone", "fax", "website_name", "website_url", "email"] {
        if let Some(t) = text(&format!("contact.{k}")) {
            put(&mut contact, k, t);
        }
    }
    put(&mut root, "contact", contact);
    let section = |key: &str| -> Json {
        let Some(s) = narrative.sections.get(key) else {
            return object(vec![("paragraphs", Json::Array(Vec::new())), ("subsections", Json::Array(Vec::new()))]);
        };
        let subs = s
            .subsections
            .iter()
            .map(|(t, ps)| {
                object(vec![
                    ("title", Json::String(t.clone())),
                    ("paragraphs", Json::Array(ps.iter().cloned().map(Json::String).collect())),
                ])
            })
            .collect();
        object(vec![
            ("paragraphs", Json::Array(s.paragraphs.iter().cloned().map(Json::String).collect())),
            ("subsections", Json::Array(subs)),
        ])
    };
    put(&mut root, "overview", section("overview"));

    let mut t2 = Json::Object(Vec::new());
    let mut t3 = Json::Object(Vec::new());
    let mut t4 = Json::Object(Vec::new());
    let mut keys: Vec<&String> = values.keys().collect();
    keys.sort();
    // Table 二 and 四 in layout order: sorted keys would change the members' order only, which
    // the decoder ignores; table 三 rows are arrays assembled per row.
    for def in TABLE3_ROWS {
        if values.contains_key(&format!("applications.{}[0]", def.key)) {
            let row = (0..APPLICANTS).map(|c| count_json(&get(&format!("applications.{}[{c}]", def.key)))).collect();
            put(&mut t3, def.key, Json::Array(row));
        }
    }
    for path in keys {
        let (kind, v) = &values[path];
        if let Some(rest) = path.strip_prefix("active_disclosure.") {
            let j = if *kind == Kind::Amount { amount_json(v, fees) } else { count_json(v) };
            put(&mut t2, rest, j);
        } else if let Some(rest) = path.strip_prefix("review_litigation.") {
            put(&mut t4, rest, count_json(v));
        }
    }
    put(&mut root, "active_disclosure", t2);
    put(&mut root, "applications", t3);
    put(&mut root, "review_litigation", t4);
    put(&mut root, "problems", section("problems"));
    put(&mut root, "other_matters", section("other_matters"));

    let mut signature = Json::Object(Vec::new());
    if let Some(t) = text("signature.agency") {
        put(&mut signature, "agency", t);
    }
    if let Some(d) = date_json(&get("signature.date")) {
        put(&mut signature, "date", d);
    }
    if let Some(t) = text("signature.seal") {
        put(&mut signature, "seal", t);
    }
    put(&mut root, "signature", signature);
    let mut headings = Json::Object(Vec::new());
    for key in Heading::ALL.map(Heading::key) {
        if let Some(t) = text(&format!("headings.{key}")) {
            put(&mut headings, key, t);
        }
    }
    if matches!(&headings, Json::Object(m) if !m.is_empty()) {
        put(&mut root, "headings", headings);
    }
    if let Some(t) = text("id") {
        put(&mut root, "id", t);
    }
    root
}

/// A report as it comes back from a workbook: what the workbook cannot hold is normalised
/// (totals are formulas there, every row is written out), for round-trip comparisons.
pub fn as_read_back(r: &Report) -> Report {
    let mut r = r.clone();
    for (i, row) in r.applications.rows.iter_mut().enumerate() {
        if i == row::RESULTS_TOTAL {
            *row = Default::default();
        } else {
            row.total = None;
            row.given = true;
        }
    }
    for g in Table4Group::ALL {
        r.review_litigation.group_mut(g).total = None;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_in_both_dialects() {
        assert_eq!(parse_target("'表三'!$D$5"), Some(("表三".into(), Pos { row: 4, col: 3 })));
        assert_eq!(parse_target("表三!$AA$10"), Some(("表三".into(), Pos { row: 9, col: 26 })));
        assert_eq!(parse_target("$表三.$D$5"), Some(("表三".into(), Pos { row: 4, col: 3 })));
        assert_eq!(parse_target("$'表 三'.$D$5"), Some(("表 三".into(), Pos { row: 4, col: 3 })));
        assert_eq!(parse_target("#REF!"), None);
        assert_eq!(parse_target("'表三'!#REF!"), None);
        assert_eq!(parse_target("$表三.$D$5:$E$6"), None);
    }

    #[test]
    fn numbers_become_json_as_written() {
        assert!(matches!(count_json(&Data::Float(5.0)), Json::Raw(s) if s == "5"));
        assert!(matches!(count_json(&Data::Float(-3.0)), Json::Raw(s) if s == "-3"));
        assert!(matches!(count_json(&Data::Float(2.5)), Json::Raw(s) if s == "2.5"));
        assert!(matches!(count_json(&Data::String(" 7 ".into())), Json::Raw(s) if s == "7"));
        assert!(matches!(count_json(&Data::String("五".into())), Json::String(s) if s == "五"));
        assert!(matches!(amount_json(&Data::Float(12.5), &Some("12.50".into())), Json::Raw(s) if s == "12.50"));
        assert!(matches!(amount_json(&Data::Float(3.25), &Some("12.50".into())), Json::Raw(s) if s == "3.25"));
        assert_eq!(serial_date(46042.0).as_deref(), Some("2026-01-20"));
    }

    #[test]
    fn garbage_is_a_diagnostic() {
        for bytes in [&b"PK\x03\x04garbage"[..], b"", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"] {
            let r = read(bytes);
            assert!(r.json.is_none());
            assert!(r.diagnostics.has_errors());
        }
    }
}
