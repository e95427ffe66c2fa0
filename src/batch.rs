//! Batch runs: many reports in, every good one built, every bad one listed (`nianbao batch`).
//!
//! This module owns what a batch adds to the single-report pipeline of [`crate::build`]:
//! - **input expansion** ([`expand`]): files, folders (every `*.json`, `*.ndjson`, `*.jsonl`,
//!   and the clerk's workbooks `*.xlsx`, `*.ods`
//!   below them, in sorted order), NDJSON files (one report per line, detected by extension or
//!   content) and JSON arrays of reports. Each report becomes an [`Item`] named `file`,
//!   `file:line` or `file[index]`, whose text is laid out so that line and column numbers of
//!   every diagnostic point into the real file;
//! - **planning** ([`plan`]): output names from `--name`, refusal of two inputs that would write
//!   the same file, and each report's previous year from `--previous-dir`, all before any work;
//! - **sharding** ([`Shard`]): a deterministic split over N machines or job-array tasks;
//! - **running** ([`run`]): the shared [`Engine`] on `--jobs` worker threads, one report each
//!   at a time, failures isolated per report, outputs written atomically, memory kept flat
//!   (document bytes and input texts are dropped as soon as a report is done; Typst's cache is
//!   evicted by the renderer after every document).
//!
//! The archival record of a run is [`crate::manifest`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::build::{build_report, default_file_stem, sanitize_file_name, sha256_hex, BuildOptions, Engine, OutputKind};
use crate::diag::{render_human, Diagnostic, Diagnostics};
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
        let bytes = match crate::input::read(&path) {
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

/// What naming and previous-year matching need from a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub id: Option<String>,
    pub agency: String,
    pub year: i64,
}

/// Decode just enough of an item to name it; `None` when it does not decode (its build will
/// report why).
pub fn meta(item: &Item) -> Option<Meta> {
    let d = crate::workbook::decode_input(&item.bytes());
    d.report.map(|r| Meta { id: r.id, agency: r.agency, year: r.year })
}

/// `--name PATTERN`: the output file name (without extension) built from `{id}`, `{agency}`,
/// `{year}`, `{stem}` (the input file's name without extension) and `{seq}` (the input's
/// position, from 1). `/` makes sub-folders. Placeholder values are made safe for file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Id,
    Agency,
    Year,
    Stem,
    Seq,
    Separator,
}

impl NamePattern {
    pub fn parse(text: &str) -> Result<NamePattern, Diagnostic> {
        let bad = |zh: String, en: String| {
            Diagnostic::error("usage", "", zh, en).with_hint(
                "可用占位符 / placeholders: {id} {agency} {year} {stem} {seq}；例如 / e.g. --name '{year}/{id}'",
            )
        };
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let Some(close) = rest.find('}') else {
                    return Err(bad(
                        format!("--name 中的 “{{” 没有闭合：{text}"),
                        format!("unclosed `{{` in --name: {text}"),
                    ));
                };
                let key = &rest[1..close];
                let part = match key {
                    "id" => Part::Id,
                    "agency" => Part::Agency,
                    "year" => Part::Year,
                    "stem" => Part::Stem,
                    "seq" => Part::Seq,
                    _ => {
                        return Err(bad(
                            format!("--name 中有未知占位符 {{{key}}}"),
                            format!("unknown placeholder {{{key}}} in --name"),
                        ))
                    }
                };
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(part);
                rest = &rest[close + 1..];
            } else if c == '/' {
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(Part::Separator);
                rest = &rest[1..];
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        let has_placeholder = parts.iter().any(|p| !matches!(p, Part::Text(_) | Part::Separator));
        if !has_placeholder {
            return Err(bad(
                format!("--name 至少要有一个占位符，否则所有报告同名：{text}"),
                format!("--name needs a placeholder, or every report gets the same name: {text}"),
            ));
        }
        Ok(NamePattern { parts })
    }

    /// The relative output path without extension. `Err` when the pattern asks for `{id}` and
    /// the report has none.
    pub fn apply(&self, meta: &Meta, item: &Item) -> Result<PathBuf, Diagnostic> {
        let mut path = PathBuf::new();
        let mut component = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => component.push_str(t),
                Part::Id => match &meta.id {
                    Some(id) => component.push_str(id),
                    None => {
                        return Err(Diagnostic::error(
                            "name-pattern",
                            "id",
                            "--name 使用了 {id}，但这份报告没有 id",
                            "--name uses {id} but this report has no `id`",
                        ))
                    }
                },
                Part::Agency => component.push_str(&meta.agency),
                Part::Year => component.push_str(&meta.year.to_string()),
                Part::Stem => {
                    component.push_str(&item.source.path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default())
                }
                Part::Seq => component.push_str(&format!("{:04}", item.ordinal + 1)),
                Part::Separator => {
                    if !component.is_empty() {
                        path.push(sanitize_file_name(&component));
                    }
                    component.clear();
                }
            }
        }
        path.push(sanitize_file_name(&component));
        Ok(path)
    }
}

/// The default output name: `{id}-{year}` when the report has an `id` (input-format.md: the id
/// is used in file names when given), else the name `nianbao build` uses,
/// `{agency}{year}年政府信息公开工作年度报告`.
pub fn default_name(meta: &Meta) -> PathBuf {
    match &meta.id {
        Some(id) => PathBuf::from(sanitize_file_name(&format!("{id}-{}", meta.year))),
        None => PathBuf::from(default_file_stem(&meta.agency, meta.year)),
    }
}

/// `--shard I/N`: this machine takes every input whose position `p` (0-based, in input order)
/// has `p mod N = I - 1`. Every machine expands the same inputs in the same order, so the N
/// shards cover every input exactly once, with sizes differing by at most one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, Diagnostic> {
        let bad = || {
            Diagnostic::error(
                "usage",
                "",
                format!("--shard 应写作 I/N（1 ≤ I ≤ N），例如 1/4，而不是 “{text}”"),
                format!("--shard takes I/N with 1 ≤ I ≤ N, e.g. 1/4, not `{text}`"),
            )
            .with_hint("从 0 开始编号的任务序号（如 Kubernetes 的 JOB_COMPLETION_INDEX）请加 1 / add 1 to 0-based task indices such as Kubernetes' JOB_COMPLETION_INDEX")
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    pub fn contains(&self, ordinal: usize) -> bool {
        ordinal % self.count == self.index - 1
    }
}

/// Reports of earlier years found in `--previous-dir`, usable for the cross-year rules.
#[derive(Debug, Default)]
pub struct PreviousIndex {
    entries: Vec<(Meta, Item)>,
}

/// How a report's previous year was found.
#[derive(Debug, Clone)]
pub enum PreviousMatch {
    None,
    One(Item),
    /// Several candidates: the report fails (which one is right cannot be guessed).
    Ambiguous(Vec<String>),
}

impl PreviousIndex {
    /// Read every report below `dir`. Reports that do not decode or do not pass their own
    /// checks cannot serve as a previous year; they are returned as warnings.
    pub fn load(dir: &Path) -> (PreviousIndex, Vec<Diagnostic>) {
        let exp = expand(&[dir.to_path_buf()], &[]);
        let mut warnings = exp.errors;
        let mut entries = Vec::new();
        for item in exp.items {
            let bytes = item.bytes();
            let checked = crate::check::check_bytes(&bytes, None);
            match checked.report {
                Some(r) if !checked.diagnostics.has_errors() => {
                    entries.push((Meta { id: r.id, agency: r.agency, year: r.year }, item));
                }
                _ => warnings.push(Diagnostic::warning(
                    "previous-unusable",
                    "",
                    format!("{} 有错误，不能作为上年报告使用（请先用 nianbao check 检查）", item.name()),
                    format!("{} has errors and cannot serve as a previous year (run nianbao check on it)", item.name()),
                )),
            }
        }
        (PreviousIndex { entries }, warnings)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The report of `year - 1` with the same `id`; failing that, with the same agency.
    pub fn find(&self, meta: &Meta) -> PreviousMatch {
        let year = meta.year - 1;
        let by_id: Vec<&Item> = match &meta.id {
            Some(id) => self
                .entries
                .iter()
                .filter(|(m, _)| m.year == year && m.id.as_ref() == Some(id))
                .map(|(_, i)| i)
                .collect(),
            None => Vec::new(),
        };
        let candidates = if by_id.is_empty() {
            self.entries
                .iter()
                .filter(|(m, _)| m.year == year && m.agency == meta.agency)
                // A report with another id is another body of the same name, not this one.
                .filter(|(m, _)| m.id.is_none() || meta.id.is_none() || m.id == meta.id)
                .map(|(_, i)| i)
                .collect()
        } else {
            by_id
        };
        match candidates.as_slice() {
            [] => PreviousMatch::None,
            [one] => PreviousMatch::One((*one).clone()),
            many => PreviousMatch::Ambiguous(many.iter().map(|i| i.name()).collect()),
        }
    }
}

/// A report ready to run: its input, its output name and its previous year.
#[derive(Debug, Clone)]
pub struct Planned {
    pub item: Item,
    pub meta: Option<Meta>,
    /// Output path below OUT without extension; `None` when the report cannot be named (it
    /// does not decode), in which case its build reports why.
    pub stem: Option<PathBuf>,
    pub previous: Option<Item>,
    /// Problems found while planning (an ambiguous previous year, `{id}` missing): the report
    /// fails with them and is not built.
    pub problems: Vec<Diagnostic>,
}

/// Inputs that would write the same file.
#[derive(Debug, Clone)]
pub struct Collision {
    /// The output path without extension.
    pub stem: PathBuf,
    pub inputs: Vec<String>,
}

/// Name every report, find its previous year and refuse name collisions — all before any
/// document is built. Collisions are compared case-insensitively (two names differing only in
/// case are one file on Windows and macOS).
pub fn plan(
    items: Vec<Item>,
    pattern: Option<&NamePattern>,
    previous: Option<&PreviousIndex>,
) -> Result<Vec<Planned>, Vec<Collision>> {
    let planned: Vec<Planned> = items
        .into_par_iter()
        .map(|item| {
            let meta = meta(&item);
            let mut problems = Vec::new();
            let stem = meta.as_ref().and_then(|m| match pattern {
                Some(p) => p.apply(m, &item).map_err(|d| problems.push(d)).ok(),
                None => Some(default_name(m)),
            });
            let prev = match (previous, &meta) {
                (Some(index), Some(m)) => match index.find(m) {
                    PreviousMatch::None => None,
                    PreviousMatch::One(p) => Some(p),
                    PreviousMatch::Ambiguous(names) => {
                        problems.push(Diagnostic::error(
                            "previous-ambiguous",
                            "",
                            format!(
                                "--previous-dir 中有多份 {} 年度的上年报告与本报告对应：{}",
                                m.year - 1,
                                names.join("、")
                            ),
                            format!(
                                "several reports for {} in --previous-dir match this one: {}",
                                m.year - 1,
                                names.join(", ")
                            ),
                        ));
                        None
                    }
                },
                _ => None,
            };
            Planned { item, meta, stem, previous: prev, problems }
        })
        .collect();

    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        if let Some(stem) = &p.stem {
            by_name.entry(stem.to_string_lossy().to_lowercase()).or_default().push(i);
        }
    }
    let collisions: Vec<Collision> = by_name
        .values()
        .filter(|v| v.len() > 1)
        .map(|v| Collision {
            stem: planned[v[0]].stem.clone().unwrap_or_default(),
            inputs: v.iter().map(|&i| planned[i].item.name()).collect(),
        })
        .collect();
    if collisions.is_empty() {
        Ok(planned)
    } else {
        Err(collisions)
    }
}

/// What happened to one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    Failed,
    /// Not started because the batch was interrupted.
    Skipped,
}

/// One document written.
#[derive(Debug, Clone)]
pub struct Written {
    pub kind: OutputKind,
    /// Relative to the output folder, `/`-separated.
    pub file: String,
    pub sha256: String,
    pub bytes: usize,
    pub pages: Option<usize>,
}

/// The result of one report, kept small: document bytes and the input text are not retained.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub ordinal: usize,
    pub name: String,
    pub input_sha256: String,
    pub meta: Option<Meta>,
    pub previous: Option<String>,
    pub status: Status,
    pub outputs: Vec<Written>,
    pub diagnostics: Diagnostics,
    /// Every diagnostic in the human form (with source snippets), rendered while the input
    /// text was at hand.
    pub rendered: Vec<String>,
}

impl ItemResult {
    pub fn pages(&self) -> usize {
        self.outputs.iter().filter_map(|o| o.pages).sum()
    }
}

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Reports built at the same time, one worker thread each.
    pub jobs: usize,
    /// Stack size of each worker thread (Typst's layout and the DOCX writer recurse deeply on
    /// long documents; untouched stack pages cost no memory).
    pub stack_size: usize,
    /// Formats, PDF and DOCX options; `out_dir` is the batch's output folder.
    pub build: BuildOptions,
}

/// Build every planned report, `options.jobs` at a time. Results come back in input order;
/// `on_done` is called from the worker threads as each report finishes. Once `cancel` is set,
/// reports not yet started are skipped and in-flight ones finish, so no output is ever
/// half-written.
///
/// The workers are plain threads taking reports from a queue, not rayon tasks: Typst
/// parallelises inside a document on the rayon pool, and a rayon worker waiting inside one
/// document would steal and start other reports, nesting them on its stack — all in flight at
/// once, memory growing with the batch. Here a worker holds exactly one report at a time.
pub fn run(
    engine: &Engine,
    planned: Vec<Planned>,
    options: &RunOptions,
    cancel: &AtomicBool,
    on_done: &(dyn Fn(&ItemResult) + Sync),
) -> Result<Vec<ItemResult>, Diagnostic> {
    let queue = Mutex::new(planned.into_iter());
    let results = Mutex::new(Vec::new());
    let worker = || {
        // Each worker has a rayon pool of its own, with one thread: Typst's parallel sections
        // inside a document run there, one after another. On one pool shared by all workers the
        // idle pool threads spin while waiting for work, which cost a batch about a third more
        // CPU per report than the same documents made one at a time (BENCHMARKS.md); the
        // workers already keep every core busy.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .stack_size(options.stack_size)
            .thread_name(|_| "nianbao-typeset".into())
            .build()
            .ok();
        loop {
            let next = match queue.lock() {
                Ok(mut q) => q.next(),
                Err(_) => None,
            };
            let Some(p) = next else { break };
            let result = if cancel.load(Ordering::SeqCst) {
                skipped(p)
            } else {
                match &pool {
                    Some(pool) => pool.install(|| run_one(engine, p, options)),
                    None => run_one(engine, p, options),
                }
            };
            if result.status != Status::Skipped {
                on_done(&result);
            }
            if let Ok(mut r) = results.lock() {
                r.push(result);
            }
        }
    };
    let spawned = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for i in 0..options.jobs.max(1) {
            let h = std::thread::Builder::new()
                .name(format!("nianbao-batch-{i}"))
                .stack_size(options.stack_size)
                .spawn_scoped(scope, worker)
                .map_err(|e| {
                    Diagnostic::error(
                        "batch",
                        "",
                        format!("无法启动工作线程：{e}"),
                        format!("cannot start worker threads: {e}"),
                    )
                })?;
            handles.push(h);
        }
        // A worker that panicked lost its report; the others finish theirs.
        let panicked = handles.into_iter().map(|h| h.join()).filter(Result::is_err).count();
        Ok::<usize, Diagnostic>(panicked)
    })?;
    let mut results = results.into_inner().unwrap_or_default();
    if spawned > 0 {
        return Err(Diagnostic::error(
            "batch",
            "",
            format!("{spawned} 个工作线程异常终止"),
            format!("{spawned} worker thread(s) crashed"),
        ));
    }
    results.sort_by_key(|r| r.ordinal);
    Ok(results)
}

fn skipped(p: Planned) -> ItemResult {
    ItemResult {
        ordinal: p.item.ordinal,
        name: p.item.name(),
        input_sha256: p.item.sha256(),
        meta: p.meta,
        previous: p.previous.map(|i| i.name()),
        status: Status::Skipped,
        outputs: Vec::new(),
        diagnostics: Diagnostics::default(),
        rendered: Vec::new(),
    }
}

fn run_one(engine: &Engine, p: Planned, options: &RunOptions) -> ItemResult {
    let name = p.item.name();
    let file = p.item.file();
    let mut result = ItemResult {
        ordinal: p.item.ordinal,
        name: name.clone(),
        input_sha256: p.item.sha256(),
        meta: p.meta.clone(),
        previous: p.previous.as_ref().map(Item::name),
        status: Status::Failed,
        outputs: Vec::new(),
        diagnostics: Diagnostics::default(),
        rendered: Vec::new(),
    };
    let bytes = p.item.bytes();
    if !p.problems.is_empty() {
        let text = String::from_utf8_lossy(&bytes);
        result.rendered = p.problems.iter().map(|d| render_human(d, &file, &text)).collect();
        result.diagnostics = Diagnostics(p.problems);
        return result;
    }
    let previous = p.previous.as_ref().and_then(|prev| crate::workbook::decode_input(&prev.bytes()).report);
    let out_dir = options.build.out_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let (dir, stem) = match &p.stem {
        Some(s) => (
            s.parent().map(|d| out_dir.join(d)).unwrap_or_else(|| out_dir.clone()),
            s.file_name().map(|n| n.to_string_lossy().into_owned()),
        ),
        None => (out_dir.clone(), None),
    };
    let build = BuildOptions { out_dir: Some(dir.clone()), file_stem: stem, ..options.build.clone() };
    let base = p.item.base_dir();
    let mut outcome = build_report(engine, &bytes, &name, Some(&base), previous.as_ref(), &build);
    // A report that failed keeps none of its documents: the batch's promise is "checked and
    // complete", so a PDF without its DOCX (or the reverse) is removed again.
    if !outcome.succeeded() {
        for o in &outcome.outputs {
            if let Some(path) = &o.path {
                let _ = std::fs::remove_file(path);
            }
        }
        outcome.outputs.clear();
    }
    result.rendered = outcome.diagnostics.iter().map(|d| render_human(d, &file, &outcome.text)).collect();
    result.outputs = outcome
        .outputs
        .iter_mut()
        .map(|o| {
            o.data = Vec::new();
            let rel = o
                .path
                .as_ref()
                .and_then(|path| path.strip_prefix(&out_dir).ok())
                .map(Path::to_path_buf)
                .unwrap_or_default();
            Written {
                kind: o.kind,
                file: rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
                sha256: o.sha256.clone(),
                bytes: o.bytes,
                pages: o.pages,
            }
        })
        .collect();
    result.status = if outcome.succeeded() { Status::Ok } else { Status::Failed };
    result.diagnostics = outcome.diagnostics;
    result
}

/// Counts for the end-of-run summary and the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: usize,
    pub produced: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Reports with warnings, and the number of warnings.
    pub with_warnings: usize,
    pub warnings: usize,
    pub files: usize,
    pub pages: usize,
}

pub fn summarize(results: &[ItemResult]) -> Summary {
    let mut s = Summary { reports: results.len(), ..Summary::default() };
    for r in results {
        match r.status {
            Status::Ok => s.produced += 1,
            Status::Failed => s.failed += 1,
            Status::Skipped => s.skipped += 1,
        }
        let w = r.diagnostics.warnings();
        s.warnings += w;
        s.with_warnings += usize::from(w > 0);
        s.files += r.outputs.len();
        s.pages += r.pages();
    }
    s
}

/// Rule ids of a failed report's errors, in order, without repeats.
pub fn error_rules(r: &ItemResult) -> Vec<&'static str> {
    let mut seen = HashMap::new();
    r.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| (seen.insert(d.rule, ()).is_none()).then_some(d.rule))
        .collect()
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

    #[test]
    fn shards_partition() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for p in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(p)).count(), 1);
        }
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
    }

    #[test]
    fn name_patterns() {
        let item = &items_of("dir/x.json", "{}")[0];
        let meta = Meta { id: Some("A/B".into()), agency: "某局".into(), year: 2023 };
        let p = NamePattern::parse("{year}/{id}-{agency}").unwrap();
        assert_eq!(p.apply(&meta, item).unwrap(), PathBuf::from("2023").join("A_B-某局"));
        let p = NamePattern::parse("{stem}").unwrap();
        assert_eq!(p.apply(&meta, item).unwrap(), PathBuf::from("x"));
        assert!(NamePattern::parse("fixed").is_err());
        assert!(NamePattern::parse("{nope}").is_err());
        let no_id = Meta { id: None, ..meta };
        assert_eq!(NamePattern::parse("{id}").unwrap().apply(&no_id, item).unwrap_err().rule, "name-pattern");
    }
}
