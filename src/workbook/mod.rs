//! The clerk's workbook: a report as an XLSX file to fill in with Excel, WPS or LibreOffice,
//! and such a workbook (or its `.ods` re-save) read back as a report.
//!
//! - [`layout`]: which cell holds which JSON path, built from `model/tables.rs` through the
//!   resolver's table grids; the defined names and label texts the reader relies on;
//! - [`write`]: [`Report`] → XLSX bytes (`init --xlsx`, `export --xlsx`), through
//!   `rust_xlsxwriter`;
//! - [`read`]: workbook bytes → input-format JSON plus the cell of every path, through
//!   `calamine`. [`decode_input`] is what every command reading a report calls: a workbook is
//!   turned into JSON and decoded like any report, so rule 5 (types and ranges) and the 勾稽
//!   rules are the same code for both; only the diagnostics carry a cell (`表三!D12`) instead
//!   of a line and column.

pub mod layout;
pub mod read;
pub mod write;

use crate::diag::{Diagnostic, Diagnostics, SpanMap};
use crate::model::decode::{decode, decode_bytes, Decoded};

pub use write::write;

/// The workbook template this release writes and reads (checked on the hidden sheet).
pub const TEMPLATE_VERSION: &str = "nianbao-workbook-2021.1";

/// Decoder limits for workbooks (a workbook is a zip archive: its size on disk says little
/// about what it unpacks to). Each refusal names the limit.
/// Largest workbook file read.
pub const MAX_WORKBOOK_BYTES: usize = 32 * 1024 * 1024;
/// Largest total unpacked size of the archive's members (as their headers declare them; the
/// zip reader stops at the declared size).
pub const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;
/// Most members in the archive.
pub const MAX_ZIP_ENTRIES: usize = 2_000;
/// Most non-empty cells read from one sheet.
pub const MAX_SHEET_CELLS: usize = 200_000;
/// Most characters in one cell (Excel's own limit, also what the writer refuses beyond).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Whether the bytes are a zip archive (XLSX, ODS) rather than JSON text.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The legacy binary Excel format (OLE2 compound file), which is refused with a hint.
fn is_legacy_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Decode a report from any input form a command takes: JSON text, or a workbook.
pub fn decode_input(bytes: &[u8]) -> Decoded {
    if is_legacy_xls(bytes) {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(
                "workbook-invalid",
                "",
                "这是旧版 Excel（.xls）文件，不能读取",
                "this is a legacy Excel (.xls) file, which is not read",
            )
            .with_hint("请在 Excel 或 WPS 中另存为 .xlsx / save it as .xlsx"),
        );
        return Decoded { report: None, spans: SpanMap::default(), diagnostics: d, text: String::new() };
    }
    if !is_workbook(bytes) {
        return decode_bytes(bytes);
    }
    let read = read::read(bytes);
    let mut spans = SpanMap::default();
    let mut diagnostics = read.diagnostics;
    let Some(json) = read.json else {
        spans.set_cells(read.cells);
        return Decoded { report: None, spans, diagnostics, text: String::new() };
    };
    let mut decoded = decode(&json);
    decoded.spans.set_cells(read.cells);
    let mut found = std::mem::take(&mut decoded.diagnostics);
    found.locate(&decoded.spans, &decoded.text);
    diagnostics.extend(found);
    decoded.diagnostics = diagnostics;
    decoded
}
