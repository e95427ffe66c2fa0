//! PDF output through embedded Typst: the print-ready document an office signs and publishes.
//!
//! [`PdfRenderer`] is built once (the standard library, the closed font set, the parsed
//! template) and shared by every document; each document gets a cheap [`DocWorld`] that serves
//! exactly three virtual files — `/main.typ` (the template, `templates/report.typ` compiled in
//! or `--template FILE`), `/data.json` (the resolved report, the profile and the chosen fonts)
//! and `/seal.png` or `/seal.svg` — and nothing else: no file system, no packages, no network.
//! The template reads the data with `json(..)` and only ever places strings as text, so report
//! text cannot run Typst code.
//!
//! Before compiling, every character of the report is checked against the face chosen for the
//! role that prints it ([`missing_glyphs`]), because Typst with a closed font book and
//! `fallback: false` would otherwise draw a silent tofu box.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Label, Selector, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfStandard, PdfStandards};

use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts::{needs_no_glyph, FontSet};
use crate::profile::Profile;
use crate::resolve::{CellKind, Resolved, Table};

use super::{SealFormat, SealImage};

/// The built-in report template.
pub const TEMPLATE: &str = include_str!("../../templates/report.typ");

/// Name of the built-in template in messages.
pub const TEMPLATE_NAME: &str = "templates/report.typ";

/// The fixed virtual paths, interned once per process (Typst's file ids are a finite,
/// process-wide resource, so they are never minted per document).
struct Ids {
    main: FileId,
    data: FileId,
    seal_png: FileId,
    seal_svg: FileId,
}

fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| {
        let id = |p: &str| {
            // Constant, well-formed paths: failure here is a programming error.
            RootedPath::new(VirtualRoot::Project, VirtualPath::new(p).expect("valid virtual path")).intern()
        };
        Ids { main: id("/main.typ"), data: id("/data.json"), seal_png: id("/seal.png"), seal_svg: id("/seal.svg") }
    })
}

/// Options of one PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// PDF version / PDF/A / PDF/UA standards to conform to (`--pdf-standard a-2b`).
    pub standards: Vec<PdfStandard>,
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Typst warnings (none with the built-in template).
    pub warnings: Vec<Diagnostic>,
}

/// Parse `--pdf-standard` values (`a-2b`, `a-2u`, `1.7`, `ua-1`, …; comma-separated).
pub fn parse_standards(text: &str) -> Result<Vec<PdfStandard>, Diagnostic> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let s: PdfStandard = serde_json::from_value(serde_json::Value::String(part.to_lowercase())).map_err(|_| {
            Diagnostic::error(
                "pdf-standard",
                "",
                format!("未知的 PDF 标准 {part}"),
                format!("unknown PDF standard `{part}`"),
            )
            .with_hint("可用 / accepted: 1.4, 1.5, 1.6, 1.7, 2.0, a-1b, a-1a, a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, a-4, a-4f, a-4e, ua-1")
        })?;
        out.push(s);
    }
    PdfStandards::new(&out).map_err(|e| {
        Diagnostic::error(
            "pdf-standard",
            "",
            format!("PDF 标准组合无效：{}", e.message()),
            format!("invalid combination of PDF standards: {}", e.message()),
        )
    })?;
    Ok(out)
}

/// Typst state shared by every document: build once, use from many threads.
pub struct PdfRenderer {
    library: LazyHash<Library>,
    fonts: FontSet,
    template: Source,
    template_name: String,
    /// Measured lines of table header and group cells, per table form (see [`TableBreaks`]).
    breaks: Mutex<HashMap<String, TableBreaks>>,
    /// Set once a document has been rendered. A process that makes one document (`build`)
    /// lets the template measure in place, which costs less than a recording run first; from
    /// the second document on (a batch, a service), the recorded lines pay off.
    rendered_one: AtomicBool,
}

/// The lines of each header and group cell of one table (rows × cells as in
/// [`Table::rows`]; `None` for other cells). Balancing these short labels measures every way of
/// breaking them — half of a report's layout time when done in every report — yet they are the
/// official labels, the same in every report. So the template measures them once per table form
/// (the cells' texts and column widths, with the profile and fonts) in a recording run and every
/// report then receives the lines ready-made: the same lines the template would have chosen.
pub type TableBreaks = Vec<Vec<Option<Vec<String>>>>;

/// One cell's lines as the template records them in a recording run.
#[derive(serde::Deserialize)]
struct RecordedBreak {
    table: String,
    row: usize,
    cell: usize,
    lines: Vec<String>,
}

/// The label the template gives its recorded breaks.
const BREAKS_LABEL: &str = "nianbao-breaks";

impl PdfRenderer {
    /// `template` overrides the built-in template: (name for messages, Typst text).
    pub fn new(fonts: FontSet, template: Option<(String, String)>) -> PdfRenderer {
        let (template_name, text) = template.unwrap_or_else(|| (TEMPLATE_NAME.to_string(), TEMPLATE.to_string()));
        PdfRenderer {
            library: LazyHash::new(Library::default()),
            fonts,
            template: Source::new(ids().main, text),
            template_name,
            breaks: Mutex::new(HashMap::new()),
            rendered_one: AtomicBool::new(false),
        }
    }

    /// The `/data.json` the template reads for `doc` (for template authors: compile a
    /// `--template` with the Typst command line against this file).
    pub fn template_data_json(&self, doc: &Resolved, profile: &Profile, seal: Option<&SealImage>) -> Vec<u8> {
        let date = signature_date(doc);
        let breaks = self.table_breaks(doc, profile);
        serde_json::to_vec_pretty(&template_data(doc, profile, &self.fonts, seal, date, breaks)).unwrap_or_default()
    }

    /// The measured lines of every table of `doc`, keyed by table key: from the cache, or
    /// measured now in one recording run for the table forms not seen before. Should the
    /// recording fail, the tables are left out and the template measures them itself.
    fn table_breaks(&self, doc: &Resolved, profile: &Profile) -> BTreeMap<String, TableBreaks> {
        let mut out = BTreeMap::new();
        let mut unseen: Vec<(String, &Table)> = Vec::new();
        {
            let known = self.breaks.lock().unwrap_or_else(|e| e.into_inner());
            for table in doc.sections.iter().filter_map(|s| s.table.as_ref()) {
                let form = table_form(profile, table);
                match known.get(&form) {
                    Some(b) => {
                        out.insert(table.key.clone(), b.clone());
                    }
                    None => unseen.push((form, table)),
                }
            }
        }
        if unseen.is_empty() {
            return out;
        }
        let mut recorded = self.record_breaks(doc, profile, unseen.iter().map(|(_, t)| *t));
        let mut known = self.breaks.lock().unwrap_or_else(|e| e.into_inner());
        for (form, table) in unseen {
            if let Some(b) = recorded.remove(&table.key) {
                known.insert(form, b.clone());
                out.insert(table.key.clone(), b);
            }
        }
        out
    }

    /// Typeset the given tables alone (header and group cells only, under the report's title
    /// and headings) with `record_breaks`, and read back the lines the template chose.
    fn record_breaks<'a>(
        &self,
        doc: &Resolved,
        profile: &Profile,
        tables: impl Iterator<Item = &'a Table>,
    ) -> BTreeMap<String, TableBreaks> {
        let wanted: Vec<&Table> = tables.collect();
        let mut skeleton = doc.clone();
        skeleton.preamble.clear();
        for section in &mut skeleton.sections {
            section.paragraphs.clear();
            section.subsections.clear();
            section.table = section.table.take().filter(|t| wanted.iter().any(|w| w.key == t.key)).map(|mut t| {
                for cell in t.rows.iter_mut().flatten() {
                    if !matches!(cell.kind, CellKind::Head | CellKind::Group) {
                        cell.text.clear();
                    }
                }
                t
            });
        }
        skeleton.signature.seal = None;
        let mut data = template_data(&skeleton, profile, &self.fonts, None, None, BTreeMap::new());
        data.record_breaks = true;
        let Ok(data) = serde_json::to_vec(&data) else { return BTreeMap::new() };
        let world = DocWorld { r: self, data: Bytes::new(data), seal: None, today: None };
        let Ok(document) = typst::compile::<PagedDocument>(&world).output else { return BTreeMap::new() };
        let mut out: BTreeMap<String, TableBreaks> =
            wanted.iter().map(|t| (t.key.clone(), t.rows.iter().map(|r| vec![None; r.len()]).collect())).collect();
        for rec in records::<RecordedBreak>(&document, BREAKS_LABEL) {
            if let Some(slot) =
                out.get_mut(&rec.table).and_then(|t| t.get_mut(rec.row)).and_then(|r| r.get_mut(rec.cell))
            {
                *slot = Some(rec.lines);
            }
        }
        out
    }

    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Typeset one report. Errors are Typst or export failures, with readable messages.
    pub fn render(
        &self,
        doc: &Resolved,
        profile: &Profile,
        seal: Option<&SealImage>,
        options: &PdfOptions,
    ) -> Result<Pdf, Diagnostics> {
        let result = self.render_inner(doc, profile, seal, options);
        // The memo cache is process-wide; without eviction a batch grows by about 1 MB per
        // document. Evict after every document, failed ones included.
        typst::comemo::evict(2);
        result
    }

    /// Lay out one report without exporting it: the pages, for a preview (`nianbao serve`),
    /// with Typst's warnings. The caller evicts the memo cache (a preview session less often
    /// than a build, to keep what the next edit reuses).
    pub fn compile(
        &self,
        doc: &Resolved,
        profile: &Profile,
        seal: Option<&SealImage>,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), Diagnostics> {
        // Always through the measured table breaks, so that two compilations of one report
        // give the same frames (the page fingerprints of a preview compare them).
        self.typeset_inner(doc, profile, seal, Breaks::Measured).map(|t| (t.document, t.warnings))
    }

    fn render_inner(
        &self,
        doc: &Resolved,
        profile: &Profile,
        seal: Option<&SealImage>,
        options: &PdfOptions,
    ) -> Result<Pdf, Diagnostics> {
        let typeset = self.typeset_inner(doc, profile, seal, Breaks::AfterFirst)?;
        self.export(&typeset, doc, options)
    }

    /// Lay one report out, without exporting: the pages every fixed-layout output (PDF, OFD)
    /// is written from, so that a build making both compiles once. Call
    /// [`PdfRenderer::finish_document`] when done with it.
    pub fn typeset(&self, doc: &Resolved, profile: &Profile, seal: Option<&SealImage>) -> Result<Typeset, Diagnostics> {
        let result = self.typeset_inner(doc, profile, seal, Breaks::AfterFirst);
        if result.is_err() {
            Self::finish_document();
        }
        result
    }

    /// Evict Typst's memo cache after a document (see [`PdfRenderer::render`]).
    pub fn finish_document() {
        typst::comemo::evict(2);
    }

    fn typeset_inner(
        &self,
        doc: &Resolved,
        profile: &Profile,
        seal: Option<&SealImage>,
        breaks: Breaks,
    ) -> Result<Typeset, Diagnostics> {
        let date = signature_date(doc);
        let today = date.and_then(|d| {
            use chrono::Datelike;
            Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8)
        });

        // Both ways give the same lines, hence the same bytes (the template measures exactly
        // as in the recording run).
        let first = !self.rendered_one.swap(true, Ordering::Relaxed);
        let breaks =
            if breaks == Breaks::Measured || !first { self.table_breaks(doc, profile) } else { BTreeMap::new() };
        let data = template_data(doc, profile, &self.fonts, seal, date, breaks);
        let data = serde_json::to_vec(&data).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                "pdf-data",
                "",
                format!("无法序列化排版数据：{e}"),
                format!("cannot serialise the typesetting data: {e}"),
            )])
        })?;
        let seal_file = seal.map(|s| match s.format {
            SealFormat::Png => (ids().seal_png, Bytes::new(s.bytes.clone())),
            SealFormat::Svg => (ids().seal_svg, Bytes::new(s.bytes.clone())),
        });
        let world = DocWorld { r: self, data: Bytes::new(data), seal: seal_file, today };
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let mut warnings: Vec<Diagnostic> = warnings.iter().map(|d| world.convert(d, "typst")).collect();
        let document = output.map_err(|errs| Diagnostics(errs.iter().map(|d| world.convert(d, "typst")).collect()))?;
        warnings.retain(|d| !d.message_en.is_empty());
        Ok(Typeset { document, warnings })
    }

    /// The PDF of a laid-out report.
    pub fn export(&self, typeset: &Typeset, doc: &Resolved, options: &PdfOptions) -> Result<Pdf, Diagnostics> {
        let standards = PdfStandards::new(&options.standards).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                "pdf-standard",
                "",
                format!("PDF 标准组合无效：{}", e.message()),
                format!("invalid combination of PDF standards: {}", e.message()),
            )])
        })?;
        let document = &typeset.document;
        let ident = format!("nianbao/{}/{}/{}", doc.id.as_deref().unwrap_or(""), doc.agency, doc.year);
        let pdf_options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some(format!("nianbao {} (Typst 0.15.1)", env!("CARGO_PKG_VERSION")))),
            // The date comes from the template (`set document(date: ..)`, the signature date);
            // never the wall clock.
            timestamp: None,
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let bytes = typst_pdf::pdf(document, &pdf_options)
            .map_err(|errs| Diagnostics(errs.iter().map(export_error).collect()))?;
        Ok(Pdf { bytes, pages: document.pages().len(), warnings: typeset.warnings.clone() })
    }
}

/// Where the lines of table header and group cells come from (see [`TableBreaks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// The template measures them in the first document of the process; later documents get
    /// the recorded lines (cheaper for one `build`, same bytes either way).
    AfterFirst,
    /// Always the recorded lines: the same frames for every compilation of a report.
    Measured,
}

/// One report laid out: Typst's pages, and its warnings (none with the built-in template).
pub struct Typeset {
    pub document: PagedDocument,
    pub warnings: Vec<Diagnostic>,
}

/// Where the text after a table went in the PDF, as the template records it (`snap`): the
/// page (1-based), the y where the table ended (pt from the page top) and the grid line
/// (0-based) the next text starts on, -1 when it starts the next page.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct AfterTable {
    pub table: String,
    pub page: usize,
    pub end: f64,
    pub line: i64,
}

/// The label of the template's records after each table.
const AFTER_TABLE_LABEL: &str = "nianbao-after-table";

/// What the template recorded after each table of a laid-out report, in document order.
pub fn after_tables(document: &PagedDocument) -> Vec<AfterTable> {
    records(document, AFTER_TABLE_LABEL)
}

/// The values of the template's `metadata` elements labelled `label`, in document order (those
/// that do not read as `T` left out).
fn records<T: serde::de::DeserializeOwned>(document: &PagedDocument, label: &str) -> Vec<T> {
    let Some(label) = Label::new(typst::utils::PicoStr::intern(label)) else { return Vec::new() };
    document
        .introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|found| found.to_packed::<MetadataElem>())
        .filter_map(|meta| serde_json::to_value(&meta.value).and_then(serde_json::from_value::<T>).ok())
        .collect()
}

/// One document's view of the world.
struct DocWorld<'a> {
    r: &'a PdfRenderer,
    data: Bytes,
    seal: Option<(FileId, Bytes)>,
    /// The signature date: `datetime.today()` never reads the clock.
    today: Option<Datetime>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.r.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.r.fonts.store.book()
    }

    fn main(&self) -> FileId {
        ids().main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == ids().main {
            Ok(self.r.template.clone())
        } else if id == ids().data || self.seal.as_ref().is_some_and(|(s, _)| *s == id) {
            Err(FileError::NotSource)
        } else {
            Err(not_served(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == ids().main {
            return Ok(Bytes::from_string(self.r.template.clone()));
        }
        if id == ids().data {
            return Ok(self.data.clone());
        }
        match &self.seal {
            Some((sid, bytes)) if *sid == id => Ok(bytes.clone()),
            _ => Err(not_served(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.r.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// A PDF export failure (the export has no source of ours to point into).
fn export_error(d: &SourceDiagnostic) -> Diagnostic {
    Diagnostic::error(
        "pdf-export",
        "",
        format!("排版失败：{}", d.message),
        format!("typesetting failed: {}", d.message),
    )
}

fn not_served(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

impl DocWorld<'_> {
    fn file_name(&self, id: FileId) -> String {
        if id == ids().main {
            self.r.template_name.clone()
        } else {
            id.vpath().get_without_slash().to_string()
        }
    }

    /// A Typst diagnostic as a nianbao diagnostic: the message, `file:line:col` inside the
    /// template when it points there, and Typst's hints.
    fn convert(&self, d: &SourceDiagnostic, rule: &'static str) -> Diagnostic {
        let location = d.span.id().and_then(|id| {
            let range = self.range(d.span)?;
            let text = self.file(id).ok()?;
            let text = std::str::from_utf8(&text).ok()?.to_string();
            let source = Source::new(id, text);
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            Some(format!("{}:{}:{}", self.file_name(id), line + 1, col + 1))
        });
        let at = location.map(|l| format!(" ({l})")).unwrap_or_default();
        let (zh, en) = match d.severity {
            Severity::Error => {
                (format!("排版失败：{}{at}", d.message), format!("typesetting failed: {}{at}", d.message))
            }
            Severity::Warning => {
                (format!("排版警告：{}{at}", d.message), format!("typesetting warning: {}{at}", d.message))
            }
        };
        let mut out = match d.severity {
            Severity::Error => Diagnostic::error(rule, "", zh, en),
            Severity::Warning => Diagnostic::warning(rule, "", zh, en),
        };
        let hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
        if !hints.is_empty() {
            out = out.with_hint(hints.join("; "));
        }
        out
    }
}

fn signature_date(doc: &Resolved) -> Option<chrono::NaiveDate> {
    doc.metadata.date.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// What makes two tables break their header and group cells alike: the profile (page, sizes,
/// fonts by role) and the table's form — column widths, spans, and the texts of those cells.
fn table_form(profile: &Profile, table: &Table) -> String {
    #[derive(Serialize)]
    struct Form<'a> {
        profile: &'a Profile,
        key: &'a str,
        column_fractions: &'a [f64],
        header_rows: usize,
        cells: Vec<Vec<(CellKind, usize, usize, &'a str)>>,
    }
    let cells = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    let text = if matches!(c.kind, CellKind::Head | CellKind::Group) { c.text.as_str() } else { "" };
                    (c.kind, c.colspan, c.rowspan, text)
                })
                .collect()
        })
        .collect();
    let form = Form {
        profile,
        key: &table.key,
        column_fractions: &table.column_fractions,
        header_rows: table.header_rows,
        cells,
    };
    serde_json::to_string(&form).unwrap_or_default()
}

/// What the template reads from `/data.json`.
#[derive(Serialize)]
struct TemplateData<'a> {
    doc: &'a Resolved,
    profile: &'a Profile,
    /// role → family and weight, as the font book names them.
    fonts: BTreeMap<&'a str, FontRef<'a>>,
    /// Per title line, the pieces it may break between (never inside an administrative name).
    title_units: Vec<Vec<String>>,
    /// `[year, month, day]` of the signature: the document's creation date.
    date: Option<[i64; 3]>,
    seal: Option<SealRef>,
    /// Table key → the measured lines of its header and group cells.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    breaks: BTreeMap<String, TableBreaks>,
    /// Asks the template to record the lines it chooses for header and group cells.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    record_breaks: bool,
}

#[derive(Serialize)]
struct FontRef<'a> {
    family: &'a str,
    weight: u16,
}

#[derive(Serialize)]
struct SealRef {
    path: &'static str,
    width: f64,
    height: f64,
}

fn template_data<'a>(
    doc: &'a Resolved,
    profile: &'a Profile,
    fonts: &'a FontSet,
    seal: Option<&SealImage>,
    date: Option<chrono::NaiveDate>,
    breaks: BTreeMap<String, TableBreaks>,
) -> TemplateData<'a> {
    use chrono::Datelike;
    TemplateData {
        doc,
        profile,
        fonts: fonts.roles.iter().map(|(k, c)| (k.as_str(), FontRef { family: &c.family, weight: c.weight })).collect(),
        title_units: doc.title_lines.iter().map(|l| title_units(l)).collect(),
        date: date.map(|d| [d.year() as i64, d.month() as i64, d.day() as i64]),
        seal: seal.map(|s| SealRef {
            path: match s.format {
                SealFormat::Png => "/seal.png",
                SealFormat::Svg => "/seal.svg",
            },
            width: s.width.max(1.0),
            height: s.height.max(1.0),
        }),
        breaks,
        record_breaks: false,
    }
}

/// Characters that end an administrative unit in an agency name (省、市、区、局 …).
const UNIT_END: &str = "省市县区旗州盟镇乡局厅委部署院办处所站队";
/// Multi-character endings of a unit.
const UNIT_END_WORDS: [&str; 14] = [
    "中华人民共和国",
    "特别行政区",
    "人民政府",
    "委员会",
    "办公室",
    "办公厅",
    "办事处",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "中心",
    "新区",
];
/// Two-character words that contain a unit ending followed by another character: no break
/// after their first character (市场监督管理局, 苏州市, 委员会 …).
const NO_BREAK_PAIRS: [&str; 24] = [
    "市场", "市政", "市容", "市民", "市级", "市辖", "区域", "区划", "县域", "县城", "县级", "州市", "省委", "市委",
    "县委", "区委", "委员", "部门", "办公", "办理", "办事", "处理", "所属", "院校",
];

/// Split a title line into the pieces a line break may fall between: administrative units
/// (`威海市` `文登区` `应急管理局`), so a long agency name wraps between words, never inside one
/// (official-format §1.4 标题: "keep word meaning intact"). A line with no recognisable unit is
/// one piece.
pub fn title_units(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut units = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        if let Some(w) = UNIT_END_WORDS.iter().find(|w| rest.starts_with(**w)) {
            i += w.chars().count();
            units.push(chars[start..i].iter().collect::<String>());
            start = i;
            continue;
        }
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let pair: String = [Some(c), next].iter().flatten().collect();
        // A unit has at least two characters (镇江市 is not 镇 + 江市) and never ends the line
        // early (nothing left to break before).
        if UNIT_END.contains(c) && i > start && next.is_some() && !NO_BREAK_PAIRS.contains(&pair.as_str()) {
            units.push(chars[start..=i].iter().collect::<String>());
            start = i + 1;
        }
        i += 1;
    }
    if start < chars.len() {
        units.push(chars[start..].iter().collect::<String>());
    }
    units
}

/// Where a printed string stands: JSON path, and a readable place in Chinese and English.
struct Place {
    path: String,
    zh: String,
    en: String,
}

/// Every string of the report with the role whose font prints it and where it stands, in
/// reading order.
fn printed_strings(doc: &Resolved) -> Vec<(&'static str, Place, &str)> {
    let place = |path: String, zh: String, en: String| Place { path, zh, en };
    let mut out: Vec<(&'static str, Place, &str)> = Vec::new();
    for (i, l) in doc.title_lines.iter().enumerate() {
        let path = if i == 0 && *l == doc.agency { "agency" } else { "title" };
        out.push(("title", place(path.into(), format!("标题第{}行", i + 1), format!("title line {}", i + 1)), l));
    }
    for (i, p) in doc.preamble.iter().enumerate() {
        let at = place(format!("preamble[{i}]"), format!("开头第{}段", i + 1), format!("opening paragraph {}", i + 1));
        out.push(("body", at, p));
    }
    for (n, s) in doc.sections.iter().enumerate() {
        let sec = n + 1;
        let at = place(format!("headings.{}", s.key), s.heading.clone(), format!("heading of section {sec}"));
        out.push(("heading1", at, &s.heading));
        for (i, p) in s.paragraphs.iter().enumerate() {
            let at = place(
                format!("{}.paragraphs[{i}]", s.key),
                format!("{} 第{}段", s.heading, i + 1),
                format!("section {sec}, paragraph {}", i + 1),
            );
            out.push(("body", at, p));
        }
        for (j, sub) in s.subsections.iter().enumerate() {
            let at = place(
                format!("{}.subsections[{j}].title", s.key),
                format!("{} {}", s.heading, sub.heading),
                format!("section {sec}, heading of subsection {}", j + 1),
            );
            out.push(("heading2", at, &sub.heading));
            for (i, p) in sub.paragraphs.iter().enumerate() {
                let at = place(
                    format!("{}.subsections[{j}].paragraphs[{i}]", s.key),
                    format!("{} {} 第{}段", s.heading, sub.heading, i + 1),
                    format!("section {sec}, subsection {}, paragraph {}", j + 1, i + 1),
                );
                out.push(("body", at, p));
            }
        }
        if let Some(t) = &s.table {
            for (r, row) in t.rows.iter().enumerate() {
                for cell in row {
                    let role = cell.role;
                    let at = place(
                        s.key.clone(),
                        format!("{} 表格第{}行", s.heading, r + 1),
                        format!("section {sec}, table row {}", r + 1),
                    );
                    out.push((role, at, &cell.text));
                }
            }
        }
    }
    let sig = &doc.signature;
    out.push(("body", place("signature.agency".into(), "署名".into(), "signature".into()), &sig.agency));
    out.push(("body", place("signature.date".into(), "成文日期".into(), "date".into()), &sig.date_text));
    // What the template adds for page numbers: the text around the number, and digits.
    let pn = place(String::new(), "页码".into(), "page number".into());
    out.push(("page_number", pn, &doc.page_number.prefix));
    out.push(("page_number", place(String::new(), "页码".into(), "page number".into()), &doc.page_number.suffix));
    out.push(("page_number", place(String::new(), "页码".into(), "page number".into()), "0123456789"));
    out
}

/// Characters that the font chosen for their role does not have: one error listing each
/// character (with its code point and the font) and every place it occurs, or `None` when all
/// are covered. The diagnostic's path is the first occurrence, so it gets a line and column.
pub fn missing_glyphs(doc: &Resolved, fonts: &FontSet) -> Option<Diagnostic> {
    struct Missing {
        c: char,
        family: String,
        zh: Vec<String>,
        en: Vec<String>,
        path: String,
    }
    let mut missing: Vec<Missing> = Vec::new();
    for (role, at, text) in printed_strings(doc) {
        let covered = fonts.coverage(role);
        for c in text.chars() {
            if covered.is_some_and(|p| p.contains(c)) || needs_no_glyph(c) {
                continue;
            }
            let family = fonts.role(role).map(|r| r.family.clone()).unwrap_or_default();
            match missing.iter_mut().find(|m| m.c == c && m.family == family) {
                Some(m) => {
                    if !m.zh.contains(&at.zh) {
                        m.zh.push(at.zh.clone());
                        m.en.push(at.en.clone());
                    }
                }
                None => missing.push(Missing {
                    c,
                    family,
                    zh: vec![at.zh.clone()],
                    en: vec![at.en.clone()],
                    path: at.path.clone(),
                }),
            }
        }
    }
    let first = missing.first()?;
    let zh: Vec<String> = missing
        .iter()
        .map(|m| format!("“{}”（U+{:04X}，{}）见于 {}", m.c, m.c as u32, m.family, m.zh.join("、")))
        .collect();
    let en: Vec<String> = missing
        .iter()
        .map(|m| format!("`{}` (U+{:04X}, {}) in {}", m.c, m.c as u32, m.family, m.en.join("; ")))
        .collect();
    let mut d = Diagnostic::error(
        "missing-glyph",
        first.path.clone(),
        format!("所选字体缺少 {} 个字符，无法排版：{}", missing.len(), zh.join("；")),
        format!("the chosen fonts have no glyph for {} character(s): {}", missing.len(), en.join("; ")),
    )
    .with_hint("用 --font-path 提供含这些字符的该角色字体（版式配置中列出的字体名），或改写这些字 / pass --font-path with a font of the role's family that has them, or rewrite the characters");
    for m in &missing {
        d = d.with_involved(format!("U+{:04X} {}", m.c as u32, m.family), m.c);
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_names_split_between_administrative_units() {
        assert_eq!(title_units("威海市文登区应急管理局"), ["威海市", "文登区", "应急管理局"]);
        assert_eq!(title_units("北京市市场监督管理局"), ["北京市", "市场监督管理局"]);
        assert_eq!(title_units("苏州市人民政府办公室"), ["苏州市", "人民政府", "办公室"]);
        assert_eq!(title_units("镇江市发展和改革委员会"), ["镇江市", "发展和改革委员会"]);
        assert_eq!(title_units("2021年政府信息公开工作年度报告"), ["2021年政府信息公开工作年度报告"]);
        assert_eq!(
            title_units("国务院办公厅政府信息与政务公开办公室"),
            ["国务院", "办公厅", "政府信息与政务公开办公室"]
        );
    }

    #[test]
    fn standards_parse_and_reject() {
        assert_eq!(parse_standards("a-2b").unwrap(), vec![PdfStandard::A_2b]);
        assert!(parse_standards("a-9z").is_err());
        assert!(parse_standards("a-2b,a-3b").is_err());
    }
}
