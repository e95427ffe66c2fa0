//! Every limit nianbao puts on what it reads, in one place, with its unit in its name.
//!
//! A report, a seal, an imported file is read only after these are checked, and a decoder is
//! handed data only after what it would allocate is known to be within them (pixels from an
//! image header, unpacked bytes from a zip directory, nesting from a scan). Exceeding one is a
//! diagnostic naming the file and the limit, never a crash. The README's 「安全与限制 / Safety
//! and limits」 section lists them; readers added later (HTML, XLSX, a web service) use the
//! same constants.

/// Largest report JSON file (`check`, `build`, `batch` inputs, `--previous`). The longest
/// published reports are under 100 KB of text; 16 MiB leaves room for batches of a few
/// hundred reports in one NDJSON file while keeping memory within a small multiple of it.
pub const REPORT_FILE_BYTES_MAX: u64 = 16 << 20;

/// Largest batch input file (an NDJSON file or a JSON array holding many reports).
pub const BATCH_FILE_BYTES_MAX: u64 = 256 << 20;

/// Largest single text of a report (one paragraph, title, table note …) in characters. A page
/// of the GB/T 9704 type area holds 22 × 28 = 616 characters (§5.2.1); 50 000 is about 80
/// pages of one paragraph, far beyond any report, and keeps typesetting memory bounded.
pub const TEXT_CHARS_MAX: usize = 50_000;

/// Most characters of all texts of one report together (about 650 pages; published reports
/// have 5 000 to 20 000).
pub const REPORT_TEXT_CHARS_MAX: usize = 400_000;

/// Largest file `import` reads (web text, pdftotext output, DOCX).
pub const IMPORT_FILE_BYTES_MAX: u64 = 16 << 20;

/// Largest total of the unpacked entries of a DOCX (zip) file.
pub const ZIP_UNPACKED_BYTES_MAX: u64 = 64 << 20;

/// Largest single unpacked zip entry.
pub const ZIP_ENTRY_BYTES_MAX: u64 = 32 << 20;

/// Most entries in a zip file.
pub const ZIP_ENTRIES_MAX: usize = 10_000;

/// Deepest nesting of tables inside tables in an imported DOCX.
pub const DOCX_TABLE_NESTING_MAX: usize = 8;

/// Largest seal file (PNG or SVG).
pub const SEAL_FILE_BYTES_MAX: u64 = 8 << 20;

/// Most pixels of a seal bitmap — a PNG seal, or a raster image embedded in an SVG seal
/// (4096 × 4096; a 42 mm seal at 600 dpi needs about 1000 × 1000).
pub const SEAL_PIXELS_MAX: u64 = 4096 * 4096;

/// Most raster images and nested SVG documents embedded in one SVG seal.
pub const SEAL_EMBEDDED_IMAGES_MAX: usize = 16;

/// Deepest nesting of SVG documents embedded in an SVG seal (an SVG image inside the seal is
/// one level).
pub const SEAL_SVG_NESTING_MAX: usize = 2;

/// Most SVG elements of a seal once every `<use>` is expanded (a chain of `<use>` references
/// doubling at each step would otherwise grow exponentially while being parsed).
pub const SEAL_SVG_ELEMENTS_MAX: u64 = 100_000;

/// Largest file `manifest verify` reads besides the ones it lists (the manifest itself).
pub const MANIFEST_FILE_BYTES_MAX: u64 = 64 << 20;

/// `MiB` for messages.
pub fn mib(bytes: u64) -> String {
    let m = bytes as f64 / (1 << 20) as f64;
    if m.fract() == 0.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}
