//! The breakdown: where every number of the summary came from, one row per department, one
//! column per cell and a total row, written as CSV or XLSX.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::diag::Diagnostic;

use super::cells::{CellDef, Value};

/// One department's row of the breakdown.
#[derive(Debug, Clone)]
pub struct BreakdownRow {
    pub agency: String,
    pub id: Option<String>,
    pub source: String,
    /// In the order of [`Breakdown::cells`].
    pub values: Vec<Value>,
}

/// Where every number of the summary came from: one row per department, one column per cell of
/// tables 二, 三 and 四, and the total row (which is the summary).
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub cells: Vec<CellDef>,
    pub rows: Vec<BreakdownRow>,
    pub total: Vec<Value>,
}

/// The columns before the cells.
pub const LEAD_COLUMNS: [&str; 4] = ["序号", "机关名称", "标识（id）", "来源文件"];
/// The first column of the total row.
pub const TOTAL_LABEL: &str = "合计";

/// RFC 4180 quoting; a text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
/// gets a leading `'` so that opening the file never executes report text.
fn csv_field(out: &mut String, text: &str, is_text: bool) {
    let guarded;
    let text = if is_text && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

impl Breakdown {
    /// Header row: [`LEAD_COLUMNS`], then every cell name.
    pub fn header(&self) -> Vec<String> {
        LEAD_COLUMNS.iter().map(|s| s.to_string()).chain(self.cells.iter().map(|c| c.name.clone())).collect()
    }

    fn total_lead(&self) -> [String; 4] {
        [TOTAL_LABEL.to_string(), format!("共{}个部门", self.rows.len()), String::new(), String::new()]
    }

    /// CSV: UTF-8 with a byte-order mark (so that spreadsheet programs on Chinese Windows read it
    /// as UTF-8), CRLF line ends (RFC 4180), header, one row per department, the total row.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let mut line = |fields: &mut dyn Iterator<Item = (String, bool)>| {
            for (i, (f, is_text)) in fields.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                csv_field(&mut out, &f, is_text);
            }
            out.push_str("\r\n");
        };
        line(&mut self.header().into_iter().map(|h| (h, true)));
        for (i, r) in self.rows.iter().enumerate() {
            let lead = [(i + 1).to_string(), r.agency.clone(), r.id.clone().unwrap_or_default(), r.source.clone()];
            line(&mut lead.into_iter().map(|s| (s, true)).chain(r.values.iter().map(|v| (v.to_string(), false))));
        }
        line(
            &mut self
                .total_lead()
                .into_iter()
                .map(|s| (s, true))
                .chain(self.total.iter().map(|v| (v.to_string(), false))),
        );
        out
    }

    /// XLSX: sheet 汇总明细 (frozen header row and name columns, numbers as numbers, the fee
    /// column with as many decimals as the sum), sheet 字段说明 (each column's JSON path and
    /// total). `date` becomes the document's creation date, so the same input gives the same
    /// bytes.
    pub fn to_xlsx(&self, title: &str, date: NaiveDate) -> Result<Vec<u8>, Diagnostic> {
        self.xlsx(title, date).map_err(|e| {
            Diagnostic::error(
                "xlsx",
                "",
                format!("无法生成 XLSX 汇总明细：{e}"),
                format!("cannot write the XLSX breakdown: {e}"),
            )
        })
    }

    fn xlsx(&self, title: &str, date: NaiveDate) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

        let created = ExcelDateTime::from_ymd(
            u16::try_from(date.year()).unwrap_or(2000),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )?;
        let mut wb = Workbook::new();
        wb.set_properties(
            &DocProperties::new().set_title(title).set_author("nianbao summary").set_creation_datetime(&created),
        );
        let head = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color(0xDDEBF7);
        let text = Format::new().set_border(FormatBorder::Thin);
        let bold = text.clone().set_bold();
        let scale =
            self.total.iter().find_map(|v| if let Value::Amount(d) = v { Some(d.scale()) } else { None }).unwrap_or(0);
        let money = if scale == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(scale as usize)) };
        let money_fmt = text.clone().set_num_format(&money);
        let money_bold = bold.clone().set_num_format(&money);

        let ws = wb.add_worksheet();
        ws.set_name("汇总明细")?;
        for (c, h) in self.header().iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, h, &head)?;
        }
        ws.set_row_height(0, 110)?;
        for (c, w) in [6.0, 32.0, 22.0, 30.0].iter().enumerate() {
            ws.set_column_width(col(c)?, *w)?;
        }
        for c in 0..self.cells.len() {
            ws.set_column_width(col(LEAD_COLUMNS.len() + c)?, 13)?;
        }
        ws.set_freeze_panes(1, 2)?;
        let put = |ws: &mut rust_xlsxwriter::Worksheet,
                   r: u32,
                   lead: &[String],
                   values: &[Value],
                   is_total: bool|
         -> Result<(), rust_xlsxwriter::XlsxError> {
            let (t, m) = if is_total { (&bold, &money_bold) } else { (&text, &money_fmt) };
            for (c, s) in lead.iter().enumerate() {
                ws.write_string_with_format(r, col(c)?, s, t)?;
            }
            for (k, v) in values.iter().enumerate() {
                let c = col(LEAD_COLUMNS.len() + k)?;
                match exact_f64(v) {
                    Some(f) if matches!(v, Value::Amount(_)) => ws.write_number_with_format(r, c, f, m)?,
                    Some(f) => ws.write_number_with_format(r, c, f, t)?,
                    // Beyond what a spreadsheet number holds exactly: the exact digits as text.
                    None => ws.write_string_with_format(r, c, v.to_string(), t)?,
                };
            }
            Ok(())
        };
        for (i, d) in self.rows.iter().enumerate() {
            let lead = [(i + 1).to_string(), d.agency.clone(), d.id.clone().unwrap_or_default(), d.source.clone()];
            put(ws, row_num(i + 1)?, &lead, &d.values, false)?;
        }
        put(ws, row_num(self.rows.len() + 1)?, &self.total_lead(), &self.total, true)?;

        let fields = wb.add_worksheet();
        fields.set_name("字段说明")?;
        for (c, h) in ["列名", "JSON 路径", "合计"].iter().enumerate() {
            fields.write_string_with_format(0, col(c)?, *h, &head)?;
        }
        fields.set_column_width(0, 70)?;
        fields.set_column_width(1, 48)?;
        fields.set_column_width(2, 14)?;
        fields.set_freeze_panes(1, 0)?;
        for (k, (cell, v)) in self.cells.iter().zip(&self.total).enumerate() {
            let r = row_num(k + 1)?;
            fields.write_string_with_format(r, 0, &cell.name, &text)?;
            fields.write_string_with_format(r, 1, &cell.path, &text)?;
            fields.write_string_with_format(r, 2, v.to_string(), &text)?;
        }
        wb.save_to_buffer()
    }
}

fn col(c: usize) -> Result<u16, rust_xlsxwriter::XlsxError> {
    u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)
}

fn row_num(r: usize) -> Result<u32, rust_xlsxwriter::XlsxError> {
    u32::try_from(r).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)
}

/// The value as a spreadsheet number, when the number stores it exactly (its shortest decimal
/// form reads back as the same value): a spreadsheet shows 0.3 for the sum 0.3, never
/// 0.30000000000000004, because that sum was made in decimal and only then converted.
fn exact_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Count(n) => (*n <= 1u128 << 53).then_some(*n as f64),
        Value::Amount(d) => {
            let f: f64 = d.to_string().parse().ok()?;
            let back: Decimal = f.to_string().parse().ok()?;
            (back == *d).then_some(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let mut s = String::new();
        csv_field(&mut s, "a,\"b\"", true);
        s.push('|');
        csv_field(&mut s, "=1+1", true);
        s.push('|');
        csv_field(&mut s, "-3", false);
        assert_eq!(s, "\"a,\"\"b\"\"\"|'=1+1|-3");
    }
}
