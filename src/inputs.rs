//! Input expansion: the files and folders a command is given become reports.
//!
//! Files, folders (every `*.json`, `*.ndjson`, `*.jsonl`, and the clerk's workbooks `*.xlsx`,
//! `*.ods` below them, in sorted order), NDJSON
//! files (one report per line, detected by extension or content) and JSON arrays of reports.
//! Each report becomes an [`Item`] named `file`, `file:line` or `file[index]`, whose text is
//! laid out so that line and column numbers of every diagnostic point into the real file.
//! Used by `batch` (and its `--previous-dir`) and by `summary`. Each file is read within
//! [`crate::limits::BATCH_FILE_BYTES_MAX`], and only if it is a regular file.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::sha256_hex;
use crate::diag::Diagnostic;
use crate::input::io_zh;

/// One input file, read once and shared by the reports it holds.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or as found below a folder they gave).
    pub path: PathBuf,
    /// The file's text, UTF-8 BOM removed. Invalid UTF-8 is kept lossily; the decoder of a
    /// single-report file reports it with its position (see [`Item::bytes`]).
    pub text: String,
    /// The raw bytes when the file was not valid UTF-8 (then it is always one report).
    raw: Option<Vec<u8>>,
}

/// How a report sits in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The whole file is one report.
    File,
    /// One line of an NDJSON file (1-based).
    Line(usize),
    /// One element of a JSON array (0-based).
    Index(usize),
}

/// One report of a batch.
#[derive(Debug, Clone)]
pub struct Item {
    pub source: Arc<SourceFile>,
    pub place: Place,
    /// Byte range of the report in `source.text`.
    pub range: Range<usize>,
    /// 1-based line and column (in characters) where the report starts in the file.
    pub line: usize,
    pub column: usize,
    /// Position in the expanded input list (0-based); the order of reports everywhere.
    pub ordinal: usize,
}

impl Item {
    /// `file`, `file:line` (NDJSON) or `file[index]` (array).
    pub fn name(&self) -> String {
        let f = self.source.path.display();
        match self.place {
            Place::File => f.to_string(),
            Place::Line(l) => format!("{f}:{l}"),
            Place::Index(i) => format!("{f}[{i}]"),
        }
    }

    /// The file path, for `file:line:column` locations.
    pub fn file(&self) -> String {
        self.source.path.display().to_string()
    }

    /// The report's own text as it stands in the file.
    pub fn raw(&self) -> &str {
        &self.source.text[self.range.clone()]
    }

    /// What the decoder reads: the report's text preceded by as many line breaks and spaces as
    /// stood before it in the file, so that every position the decoder and the checks report is
    /// the position in the real file (the padding is whitespace, which JSON ignores).
    pub fn bytes(&self) -> Vec<u8> {
        if let (Place::File, Some(raw)) = (self.place, &self.source.raw) {
            return raw.clone();
        }
        let raw = self.raw();
        let mut out = Vec::with_capacity(raw.len() + self.line + self.column);
        out.extend(std::iter::repeat_n(b'\n', self.line - 1));
        out.extend(std::iter::repeat_n(b' ', self.column - 1));
        out.extend_from_slice(raw.as_bytes());
        out
    }

    /// SHA-256 of the report's bytes as they stand in the file.
    pub fn sha256(&self) -> String {
        match (self.place, &self.source.raw) {
            (Place::File, Some(raw)) => sha256_hex(raw),
            _ => sha256_hex(self.raw().as_bytes()),
        }
    }

    /// The folder a relative seal path is resolved against: the input file's folder.
    pub fn base_dir(&self) -> PathBuf {
        match self.source.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

/// The result of expanding the command-line inputs.
#[derive(Debug, Default)]
pub struct Expansion {
    pub items: Vec<Item>,
    /// Inputs that could not be read (missing paths, unreadable files, empty folders).
    pub errors: Vec<Diagnostic>,
}

/// Extensions taken from folders (workbooks: `crate::workbook`).
const EXTENSIONS: [&str; 5] = ["json", "ndjson", "jsonl", "xlsx", "ods"];

/// Expand files and folders into reports, in a deterministic order: inputs in the order given,
/// folders walked recursively with entries sorted by name. Hidden entries (`.name`) and the
/// paths in `exclude` (the output folder, so that a second run does not read its own
/// manifest) are skipped.
pub fn expand(inputs: &[PathBuf], exclude: &[PathBuf]) -> Expansion {
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let before = files.len();
                walk(input, &exclude, &mut files, &mut errors);
                if files.len() == before {
                    errors.push(Diagnostic::error(
                        "batch-input",
                        "",
                        format!("目录 {} 中没有 .json 报告文件", input.display()),
                        format!("folder {} holds no .json report files", input.display()),
                    ));
                }
            }
            Ok(_) => files.push(input.clone()),
            Err(e) => errors.push(Diagnostic::error(
                "io",
                "",
                format!("无法读取输入 {}：{}", input.display(), io_zh(&e)),
                format!("cannot read input {}: {e}", input.display()),
            )),
        }
    }
    let mut items = Vec::new();
    for path in files {
        let bytes = match crate::input::read_limited(&path, crate::limits::BATCH_FILE_BYTES_MAX) {
            Ok(b) => b,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        split_file(path, bytes, &mut items);
    }
    for (i, item) in items.iter_mut().enumerate() {
        item.ordinal = i;
    }
    Expansion { items, errors }
}

fn walk(dir: &Path, exclude: &[PathBuf], files: &mut Vec<PathBuf>, errors: &mut Vec<Diagnostic>) {
    if is_excluded(dir, exclude) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(Diagnostic::error(
                "io",
                "",
                format!("无法读取目录 {}：{}", dir.display(), io_zh(&e)),
                format!("cannot read folder {}: {e}", dir.display()),
            ));
            return;
        }
    };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    // Byte order of the file names: the same on every machine and file system.
    names.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    for path in names {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Symbolic links to folders are not followed (no cycles); links to files are read.
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if meta.is_dir() {
            walk(&path, exclude, files, errors);
        } else if has_report_extension(&path) && path.is_file() && !is_excluded(&path, exclude) {
            files.push(path);
        }
    }
}

fn is_excluded(p: &Path, exclude: &[PathBuf]) -> bool {
    !exclude.is_empty() && p.canonicalize().is_ok_and(|c| exclude.contains(&c))
}

fn has_report_extension(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_ndjson_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
}

/// The reports of one file's bytes (numbered from 0 within the file).
pub fn split_bytes(path: PathBuf, bytes: Vec<u8>) -> Vec<Item> {
    let mut items = Vec::new();
    split_file(path, bytes, &mut items);
    items
}

/// Split one file into its reports.
fn split_file(path: PathBuf, bytes: Vec<u8>, items: &mut Vec<Item>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (text, raw) = match std::str::from_utf8(body) {
        // A workbook is one report, read whole from its bytes.
        _ if crate::workbook::is_workbook(&bytes) => (String::new(), Some(bytes.clone())),
        Ok(t) => (t.to_string(), None),
        // Invalid UTF-8: one report; the decoder reports the bad byte with its position.
        Err(_) => (String::from_utf8_lossy(body).into_owned(), Some(bytes.clone())),
    };
    let ndjson_name = is_ndjson_name(&path);
    let source = Arc::new(SourceFile { path, text, raw });
    let whole = |items: &mut Vec<Item>| {
        items.push(Item {
            source: source.clone(),
            place: Place::File,
            range: 0..source.text.len(),
            line: 1,
            column: 1,
            ordinal: 0,
        })
    };
    if source.raw.is_some() {
        return whole(items);
    }
    let text = source.text.as_str();
    if ndjson_name || looks_like_ndjson(text) {
        let mut start = 0;
        for (n, line) in text.split('\n').enumerate() {
            let end = start + line.len();
            let trimmed = line.trim_end_matches('\r');
            if !trimmed.trim().is_empty() {
                let lead = trimmed.len() - trimmed.trim_start().len();
                items.push(Item {
                    source: source.clone(),
                    place: Place::Line(n + 1),
                    range: start + lead..start + trimmed.len(),
                    line: n + 1,
                    column: trimmed[..lead].chars().count() + 1,
                    ordinal: 0,
                });
            }
            start = end + 1;
        }
        return;
    }
    if let Some(elements) = array_elements(text) {
        let index = crate::diag::LineIndex::new(text);
        for (i, r) in elements.into_iter().enumerate() {
            let (line, column) = index.line_col(r.start);
            items.push(Item { source: source.clone(), place: Place::Index(i), range: r, line, column, ordinal: 0 });
        }
        return;
    }
    whole(items)
}

/// A `.json` file holding one JSON value per line: the first value ends on the first line and
/// more follows.
fn looks_like_ndjson(text: &str) -> bool {
    let start = skip_ws(text.as_bytes(), 0);
    if text.as_bytes().get(start) != Some(&b'{') {
        return false;
    }
    let Some(end) = scan_value(text.as_bytes(), start) else { return false };
    let first_line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
    end <= first_line_end && skip_ws(text.as_bytes(), end) < text.len()
}

/// Byte ranges of the elements of a top-level JSON array, or `None` when the text is not a
/// well-formed array (it is then decoded whole, which reports the syntax error precisely).
fn array_elements(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        return (skip_ws(b, i + 1) == b.len()).then_some(out);
    }
    loop {
        let end = scan_value(b, i)?;
        out.push(i..end);
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b']') => return (skip_ws(b, i + 1) == b.len()).then_some(out),
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// End of the JSON value starting at `i` (objects and arrays by bracket depth outside strings,
/// strings by their closing quote, scalars up to a delimiter). Only the extent is found; the
/// decoder validates the content.
fn scan_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => j = scan_string(b, j)? - 1,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        b'"' => scan_string(b, i),
        b',' | b']' | b'}' | b':' => None,
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            Some(j)
        }
    }
}

/// End (one past the closing quote) of the string starting at `i`.
fn scan_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items_of(name: &str, text: &str) -> Vec<Item> {
        let mut items = Vec::new();
        split_file(PathBuf::from(name), text.as_bytes().to_vec(), &mut items);
        items
    }

    #[test]
    fn ndjson_lines_keep_their_line_numbers() {
        let items = items_of("a.ndjson", "{\"a\":1}\n\n  {\"b\":2}\r\n{\"c\":3}");
        let names: Vec<String> = items.iter().map(Item::name).collect();
        assert_eq!(names, ["a.ndjson:1", "a.ndjson:3", "a.ndjson:4"]);
        assert_eq!(items[1].raw(), "{\"b\":2}");
        assert_eq!((items[1].line, items[1].column), (3, 3));
        assert_eq!(items[1].bytes(), b"\n\n  {\"b\":2}");
    }

    #[test]
    fn ndjson_is_detected_by_content() {
        assert_eq!(items_of("a.json", "{\"a\":1}\n{\"b\":2}\n").len(), 2);
        assert_eq!(items_of("a.json", "{\n \"a\": 1\n}\n").len(), 1);
    }

    #[test]
    fn array_elements_are_located() {
        let text = "[\n  {\"a\": \"x]}\\\"\"},\n  {\"b\": [1, 2]}\n]\n";
        let items = items_of("a.json", text);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].raw(), "{\"a\": \"x]}\\\"\"}");
        assert_eq!(items[1].raw(), "{\"b\": [1, 2]}");
        assert_eq!((items[1].line, items[1].column), (3, 3));
        assert_eq!(items[1].name(), "a.json[1]");
    }

    #[test]
    fn malformed_array_is_one_item() {
        let items = items_of("a.json", "[{\"a\": 1} {\"b\": 2}]");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].place, Place::File);
    }
}
