//! [`Report`] → the clerk's workbook (XLSX bytes), through `rust_xlsxwriter`.
//!
//! Input cells are unlocked and tinted, everything else is locked (sheet protection without a
//! password: it guards against slips, not against the clerk). Totals and the 勾稽 check row are
//! formulas whose cached results are computed here, so a viewer that does not recalculate still
//! shows the right numbers; the reader never reads them back. Every input cell has a defined
//! name, and the hidden sheet lists the template version and each cell's JSON path.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::layout::{
    absolute, cell_ref, field_name, info_help, narrative_sections, Fixed, Kind, Layout, Pos, NARRATIVE_COLUMNS,
    NARRATIVE_HEADER_ROW, NARRATIVE_NAME, SHEET_INFO, SHEET_META, SHEET_NARRATIVE, SHEET_TABLE2, SHEET_TABLE3,
    SHEET_TABLE4, VERSION_NAME,
};
use super::{MAX_CELL_CHARS, TEMPLATE_VERSION};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::tables::{DocColumn, DocRow, Heading, Table4Column, Table4Group, ValueRow};
use crate::model::{Report, Section, FORMAT_2021};
use crate::resolve::CellKind;

/// Largest count a spreadsheet number holds exactly (2^53); larger ones are written as text.
const EXACT_F64: u64 = 1 << 53;

/// Fill colour of input cells (light yellow), of computed cells (light grey), of headers.
const INPUT_FILL: u32 = 0xFFF2CC;
const COMPUTED_FILL: u32 = 0xEDEDED;
const HEAD_FILL: u32 = 0xDDEBF7;

/// Width of each table sheet's grid in character units (split by the grid's column fractions).
fn grid_width(sheet: &str) -> f64 {
    match sheet {
        SHEET_TABLE2 => 96.0,
        _ => 170.0,
    }
}

struct Formats {
    title: Format,
    head: Format,
    label: Format,
    group: Format,
    count: Format,
    text: Format,
    date: Format,
    computed: Format,
    plain: Format,
}

fn formats() -> Formats {
    let border = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let input =
        border.clone().set_unlocked().set_background_color(Color::RGB(INPUT_FILL)).set_align(FormatAlign::Center);
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        head: border.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_background_color(HEAD_FILL),
        label: border.clone().set_text_wrap(),
        group: border.clone().set_text_wrap().set_align(FormatAlign::Center),
        count: input.clone().set_num_format("0"),
        text: border.clone().set_unlocked().set_background_color(Color::RGB(INPUT_FILL)).set_text_wrap(),
        date: input.set_num_format("yyyy-mm-dd"),
        computed: border.set_background_color(Color::RGB(COMPUTED_FILL)).set_align(FormatAlign::Center),
        plain: Format::new().set_text_wrap(),
    }
}

/// The workbook of `report`: what `init --xlsx` (with the starter report) and `export --xlsx`
/// write. A report that a spreadsheet cannot hold (a text longer than a cell takes) is refused
/// with diagnostics naming each path.
pub fn write(report: &Report) -> Result<Vec<u8>, Diagnostics> {
    let mut problems = Diagnostics::default();
    for (path, text) in texts(report) {
        let chars = text.chars().count();
        if chars > MAX_CELL_CHARS {
            problems.push(Diagnostic::error(
                "workbook-write",
                path.clone(),
                format!("{path} 有 {chars} 个字，超过电子表格单元格的上限 {MAX_CELL_CHARS} 字，请拆分为多段"),
                format!(
                    "{path} holds {chars} characters, more than a spreadsheet cell takes ({MAX_CELL_CHARS}); split it"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    build(report).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "workbook-write",
            "",
            format!("无法生成工作簿：{e}"),
            format!("cannot write the workbook: {e}"),
        )])
    })
}

/// Every text of the report that goes into a cell, with its path.
fn texts(r: &Report) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for (section, s) in r.narrative() {
        let key = section.key();
        for (i, p) in s.paragraphs.iter().enumerate() {
            out.push((format!("{key}.paragraphs[{i}]"), p.as_str()));
        }
        for (j, sub) in s.subsections.iter().enumerate() {
            out.push((format!("{key}.subsections[{j}].title"), sub.title.as_str()));
            for (i, p) in sub.paragraphs.iter().enumerate() {
                out.push((format!("{key}.subsections[{j}].paragraphs[{i}]"), p.as_str()));
            }
        }
    }
    for (i, p) in r.preamble.iter().flatten().enumerate() {
        out.push((format!("preamble[{i}]"), p.as_str()));
    }
    if let Some(t) = &r.title {
        out.push(("title".into(), t.as_str()));
    }
    out
}

fn created(report: &Report) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    // The document date is the signature date (never the wall clock), as for PDF and DOCX.
    let d = report
        .signature
        .date
        .or_else(|| chrono::NaiveDate::from_ymd_opt(report.year as i32 + 1, 1, 1))
        .unwrap_or_default();
    ExcelDateTime::from_ymd(u16::try_from(d.year()).unwrap_or(2000), d.month() as u8, d.day() as u8)
}

fn protection(rows: bool) -> ProtectionOptions {
    ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        insert_rows: rows,
        delete_rows: rows,
        ..ProtectionOptions::default()
    }
}

fn build(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let layout = Layout::new(report);
    let f = formats();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}{}年政府信息公开工作年度报告（填报工作簿）", report.agency, report.year))
            .set_author("nianbao")
            .set_creation_datetime(&created(report)?),
    );

    // 基本信息.
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_INFO)?;
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    for (c, h) in ["项目", "填写内容", "说明"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.head)?;
    }
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 56)?;
    ws.set_column_width(2, 90)?;
    ws.set_freeze_panes(1, 0)?;
    for field in layout.fields.iter().filter(|x| x.sheet == SHEET_INFO) {
        if let Some(l) = field.label.map(|i| &layout.labels[i]) {
            ws.write_string_with_format(l.pos.row, l.pos.col, &l.text, &f.label)?;
        }
        ws.write_string_with_format(field.pos.row, 2, info_help(&field.path), &f.plain)?;
        write_info_value(ws, report, &field.path, field.kind, field.pos, &f)?;
        match field.kind {
            Kind::Year => {
                let dv = DataValidation::new()
                    .allow_whole_number(DataValidationRule::Between(2008, 2100))
                    .set_error_title("报告年度")?
                    .set_error_message("请填写 2008 至 2100 之间的年份")?;
                ws.add_data_validation(field.pos.row, field.pos.col, field.pos.row, field.pos.col, &dv)?;
            }
            Kind::Date => {
                let dv = DataValidation::new()
                    .allow_any_value()
                    .set_input_title("成文日期")?
                    .set_input_message("填写日期，如 2026-01-20")?;
                ws.add_data_validation(field.pos.row, field.pos.col, field.pos.row, field.pos.col, &dv)?;
            }
            _ => {}
        }
    }
    ws.protect_with_options(&protection(false));
    ws.set_active(true);

    // 表二, 表三, 表四.
    for sheet in [SHEET_TABLE2, SHEET_TABLE3, SHEET_TABLE4] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        // Printed for review as the official table is read: A4 (paper code 9) landscape, the
        // whole width on one page, as many pages down as it takes.
        ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
        let fractions = layout.widths.get(sheet).cloned().unwrap_or_default();
        for (c, frac) in fractions.iter().enumerate() {
            ws.set_column_width(c as u16, (frac * grid_width(sheet)).max(6.0))?;
        }
        for x in layout.fixed.iter().filter(|x| x.sheet == sheet) {
            write_fixed(ws, x, &f)?;
        }
        // Spreadsheet programs do not grow a row for wrapped text on their own when they open
        // the file: give a row whose label wraps the lines it needs.
        let widths: Vec<f64> = fractions.iter().map(|frac| (frac * grid_width(sheet)).max(6.0)).collect();
        let mut lines_of_row: std::collections::BTreeMap<u32, f64> = Default::default();
        for x in layout.fixed.iter().filter(|x| x.sheet == sheet && x.kind == CellKind::Label && x.rows == 1) {
            let from = usize::from(x.pos.col);
            let width: f64 = widths.iter().skip(from).take(usize::from(x.cols)).sum();
            let lines = (text_width(&x.text) / (width - 1.0).max(1.0)).ceil();
            let entry = lines_of_row.entry(x.pos.row).or_insert(1.0);
            *entry = entry.max(lines);
        }
        for (row, lines) in lines_of_row.into_iter().filter(|(_, l)| *l > 1.0) {
            ws.set_row_height(row, ROW_HEIGHT_PT * lines)?;
        }
        for field in layout.fields.iter().filter(|x| x.sheet == sheet) {
            write_number_field(ws, report, &field.path, field.kind, field.pos, &f)?;
        }
        for x in layout.formulas.iter().filter(|x| x.sheet == sheet) {
            let formula = Formula::new(&x.formula).set_result(&x.result);
            ws.write_formula_with_format(x.pos.row, x.pos.col, formula, &f.computed)?;
        }
        let last = layout.fields.iter().chain(std::iter::empty()).filter(|x| x.sheet == sheet).map(|x| x.pos.row).max();
        let last =
            layout.formulas.iter().filter(|x| x.sheet == sheet).map(|x| x.pos.row).chain(last).max().unwrap_or(0);
        ws.write_string_with_format(
            last + 2,
            0,
            "黄色单元格为填写区（只填非负整数；收费金额可填小数，单位万元）；灰色单元格为自动计算，nianbao 读取时重新计算，不采用表中公式的结果。",
            &Format::new(),
        )?;
        ws.protect_with_options(&protection(false));
    }

    // 正文.
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NARRATIVE)?;
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    for (c, h) in NARRATIVE_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(NARRATIVE_HEADER_ROW, c as u16, *h, &f.head)?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 28)?;
    ws.set_column_width(2, 110)?;
    ws.set_freeze_panes(NARRATIVE_HEADER_ROW + 1, 0)?;
    for c in 0..3u16 {
        ws.set_column_format(c, &f.text)?;
    }
    let mut r = NARRATIVE_HEADER_ROW + 1;
    for (key, label) in narrative_sections() {
        let section = match report.narrative().into_iter().find(|(h, _)| h.key() == key) {
            Some((_, s)) => s.clone(),
            None => match &report.preamble {
                Some(p) if key == "preamble" => Section { paragraphs: p.clone(), subsections: Vec::new() },
                _ => continue,
            },
        };
        for p in &section.paragraphs {
            ws.write_string_with_format(r, 0, &label, &f.text)?;
            ws.write_string_with_format(r, 2, p, &f.text)?;
            r += 1;
        }
        for sub in &section.subsections {
            ws.write_string_with_format(r, 0, &label, &f.text)?;
            ws.write_string_with_format(r, 1, &sub.title, &f.text)?;
            if sub.paragraphs.is_empty() {
                r += 1;
            }
            for (i, p) in sub.paragraphs.iter().enumerate() {
                if i > 0 {
                    ws.write_string_with_format(r, 0, &label, &f.text)?;
                }
                ws.write_string_with_format(r, 2, p, &f.text)?;
                r += 1;
            }
        }
    }
    let choices: Vec<String> = narrative_sections().into_iter().map(|(_, l)| l).collect();
    let dv = DataValidation::new()
        .allow_list_strings(&choices)?
        .set_input_title("章节")?
        .set_input_message("每段一行；新增段落请插入行并选择章节。小节标题只在该小节第一行填写。")?;
    ws.add_data_validation(NARRATIVE_HEADER_ROW + 1, 0, 9_999, 0, &dv)?;
    ws.protect_with_options(&protection(true));

    // The hidden sheet read by nianbao.
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_META)?;
    ws.write_string(0, 0, "nianbao 工作簿模板版本 / template version")?;
    ws.write_string(0, 1, TEMPLATE_VERSION)?;
    ws.write_string(1, 0, "输入格式 / format")?;
    ws.write_string(1, 1, FORMAT_2021)?;
    ws.write_string(2, 0, "本表由 nianbao 读取，请勿修改 / read by nianbao, do not edit")?;
    for (c, h) in ["JSON 路径 / path", "名称 / defined name", "原单元格 / cell as written", "原值 / value as written"]
        .iter()
        .enumerate()
    {
        ws.write_string(4, c as u16, *h)?;
    }
    ws.set_column_width(0, 48)?;
    ws.set_column_width(1, 56)?;
    ws.set_column_width(2, 18)?;
    for (r, field) in (5..).zip(layout.fields.iter()) {
        ws.write_string(r, 0, &field.path)?;
        ws.write_string(r, 1, field_name(&field.path))?;
        ws.write_string(r, 2, cell_ref(field.sheet, field.pos))?;
        if field.path == "active_disclosure.fees" {
            ws.write_string(r, 3, report.active_disclosure.fees.as_str())?;
        }
    }
    ws.set_hidden(true);
    ws.protect();

    wb.define_name(VERSION_NAME, &format!("='{SHEET_META}'!$B$1"))?;
    wb.define_name(
        NARRATIVE_NAME,
        &format!("='{SHEET_NARRATIVE}'!{}", absolute(Pos { row: NARRATIVE_HEADER_ROW, col: 0 })),
    )?;
    for field in &layout.fields {
        wb.define_name(field_name(&field.path), &format!("='{}'!{}", field.sheet, absolute(field.pos)))?;
    }
    for label in &layout.labels {
        wb.define_name(&label.name, &format!("='{}'!{}", label.sheet, absolute(label.pos)))?;
    }
    wb.save_to_buffer()
}

/// The height of one line of a cell (the default row of 11 pt text), in points.
const ROW_HEIGHT_PT: f64 = 15.0;

/// A text's width in the column-width unit (the width of `0`): a CJK character takes two.
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

fn write_fixed(ws: &mut Worksheet, x: &Fixed, f: &Formats) -> Result<(), XlsxError> {
    let format = match x.kind {
        CellKind::Band if x.pos.row == 0 => &f.title,
        CellKind::Band | CellKind::Head => &f.head,
        CellKind::Label => &f.label,
        _ => &f.group,
    };
    if x.rows > 1 || x.cols > 1 {
        ws.merge_range(x.pos.row, x.pos.col, x.pos.row + x.rows - 1, x.pos.col + x.cols - 1, &x.text, format)?;
    } else {
        ws.write_string_with_format(x.pos.row, x.pos.col, &x.text, format)?;
    }
    Ok(())
}

/// A count or the fee amount of a table sheet, with its validation.
fn write_number_field(
    ws: &mut Worksheet,
    report: &Report,
    path: &str,
    kind: Kind,
    pos: Pos,
    f: &Formats,
) -> Result<(), XlsxError> {
    if kind == Kind::Amount {
        let fees = &report.active_disclosure.fees;
        let places = fees.as_str().split_once('.').map_or(0, |(_, frac)| frac.len());
        let num = if places == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(places)) };
        let value = fees.as_str().parse::<f64>().unwrap_or(0.0);
        ws.write_number_with_format(pos.row, pos.col, value, &f.count.clone().set_num_format(&num))?;
        let dv = DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_input_title("收费金额（万元）")?
            .set_input_message("填写不小于 0 的金额，单位：万元")?
            .set_error_title("收费金额")?
            .set_error_message("收费金额应为不小于 0 的数，单位：万元")?;
        ws.add_data_validation(pos.row, pos.col, pos.row, pos.col, &dv)?;
        return Ok(());
    }
    let value = count_at(report, path);
    if value < EXACT_F64 {
        ws.write_number_with_format(pos.row, pos.col, value as f64, &f.count)?;
    } else {
        ws.write_string_with_format(pos.row, pos.col, value.to_string(), &f.count)?;
    }
    let dv = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_error_title("件数")?
        .set_error_message("请填写不小于 0 的整数")?;
    ws.add_data_validation(pos.row, pos.col, pos.row, pos.col, &dv)?;
    Ok(())
}

/// The count a table path of the layout holds in the report (0 for a path of no count, which
/// the layout does not produce).
fn count_at(r: &Report, path: &str) -> u64 {
    find_count(r, path).unwrap_or(0)
}

fn find_count(r: &Report, path: &str) -> Option<u64> {
    if let Some(rest) = path.strip_prefix("applications.") {
        let (key, col) = rest.split_once('[')?;
        let col: usize = col.strip_suffix(']')?.parse().ok()?;
        return r.applications.row(key)?.cells.get(col).copied();
    }
    if let Some(rest) = path.strip_prefix("review_litigation.") {
        let (g, c) = rest.split_once('.')?;
        return r.review_litigation.group(Table4Group::from_key(g)?).get(Table4Column::from_key(c)?);
    }
    let rest = path.strip_prefix("active_disclosure.")?;
    let a = &r.active_disclosure;
    match rest.split_once('.') {
        Some((row, col)) => Some(a.doc_row(DocRow::from_key(row)?).get(DocColumn::from_key(col)?)),
        None => a.count(ValueRow::from_key(rest)?),
    }
}

fn write_info_value(
    ws: &mut Worksheet,
    r: &Report,
    path: &str,
    kind: Kind,
    pos: Pos,
    f: &Formats,
) -> Result<(), XlsxError> {
    if kind == Kind::Year {
        ws.write_number_with_format(pos.row, pos.col, r.year as f64, &f.count)?;
        return Ok(());
    }
    if kind == Kind::Date {
        use chrono::Datelike;
        match r.signature.date {
            Some(d) => {
                let dt =
                    ExcelDateTime::from_ymd(u16::try_from(d.year()).unwrap_or(2000), d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(pos.row, pos.col, &dt, &f.date)?;
            }
            None => {
                ws.write_blank(pos.row, pos.col, &f.date)?;
            }
        }
        return Ok(());
    }
    let c = &r.contact;
    let value: Option<&str> = match path {
        "agency" => Some(&r.agency),
        "id" => r.id.as_deref(),
        "title" => r.title.as_deref(),
        "contact.office" => Some(&c.office),
        "contact.address" => c.address.as_deref(),
        "contact.postcode" => c.postcode.as_deref(),
        "contact.phone" => c.phone.as_deref(),
        "contact.fax" => c.fax.as_deref(),
        "contact.website_name" => c.website_name.as_deref(),
        "contact.website_url" => c.website_url.as_deref(),
        "contact.email" => c.email.as_deref(),
        "signature.agency" => r.signature.agency.as_deref(),
        "signature.seal" => r.signature.seal.as_deref(),
        _ => path.strip_prefix("headings.").and_then(Heading::from_key).and_then(|h| r.headings.get(h)),
    };
    match value {
        Some(v) => ws.write_string_with_format(pos.row, pos.col, v, &f.text)?,
        None => ws.write_blank(pos.row, pos.col, &f.text)?,
    };
    Ok(())
}
