//! Benchmark helper: where a batch spends its time, phase by phase, on one thread.
//!
//! `cargo run --release --example phases -- INPUT…` (folders, files, NDJSON as for `batch`)
//!
//! For every report: check (decode, 勾稽 rules, lints), resolve, seal, glyph coverage, Typst
//! compile (evaluation and layout), PDF export, DOCX, OFD (from the same layout) — each timed alone, with the same data the
//! embedded compiler uses (`PdfRenderer::template_data_json`) and the same fonts (bundled).
//! `NIANBAO_EVICT=N` sets the age passed to `typst::comemo::evict` after each document (the
//! renderer uses 2); `NIANBAO_EVICT=never` keeps every memoised result (memory grows).
//! `NIANBAO_TEMPLATE=FILE` times a variant of the template instead of the built-in one.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use nianbao::fonts::{Catalogue, FontOptions, FontPolicy, FontSet};
use nianbao::inspect::check_bytes;
use nianbao::profile::Profile;
use nianbao::render::docx::DocxOptions;
use nianbao::render::pdf::{missing_glyphs, PdfRenderer, TEMPLATE};
use nianbao::render::{load_seal, SealFormat};
use nianbao::resolve::resolve;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration as TypstDuration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The OFD phase's name (not counted in the total per report).
const OFD_PHASE: &str = "8o OFD (same layout; not in total)";

// The same allocator as the `nianbao` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Shared {
    library: LazyHash<Library>,
    /// Gives the template data (with the table header lines it measures once) and the fonts.
    renderer: PdfRenderer,
    template: Source,
    data_id: FileId,
    seal_png: FileId,
    seal_svg: FileId,
}

struct DocWorld<'a> {
    s: &'a Shared,
    data: Bytes,
    seal: Option<(FileId, Bytes)>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.s.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.s.renderer.fonts().store.book()
    }
    fn main(&self) -> FileId {
        self.s.template.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.s.template.id() {
            Ok(self.s.template.clone())
        } else {
            Err(FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.s.template.id() {
            return Ok(Bytes::from_string(self.s.template.clone()));
        }
        if id == self.s.data_id {
            return Ok(self.data.clone());
        }
        match &self.seal {
            Some((sid, b)) if *sid == id => Ok(b.clone()),
            _ => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.s.renderer.fonts().store.font(index)
    }
    fn today(&self, _: Option<TypstDuration>) -> Option<Datetime> {
        Datetime::from_ymd(2024, 1, 1)
    }
}

fn id(p: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(p).expect("valid path")).intern()
}

fn main() -> ExitCode {
    let inputs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if inputs.is_empty() {
        eprintln!("usage: phases INPUT…");
        return ExitCode::from(2);
    }
    let evict = std::env::var("NIANBAO_EVICT").unwrap_or_else(|_| "2".into());
    let evict: Option<usize> = if evict == "never" { None } else { evict.parse().ok() };

    let mut times: HashMap<&'static str, Duration> = HashMap::new();
    let mut clock = |name: &'static str, since: Instant| *times.entry(name).or_default() += since.elapsed();

    // NIANBAO_TEMPLATE=FILE: time a variant of the template (to find what in it costs).
    let template = match std::env::var_os("NIANBAO_TEMPLATE") {
        Some(p) => match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {}: {e}", PathBuf::from(p).display());
                return ExitCode::from(2);
            }
        },
        None => TEMPLATE.to_string(),
    };
    let variant = std::env::var("NIANBAO_TEMPLATE").ok();
    let t = Instant::now();
    let profile = Profile::builtin();
    let Ok(catalogue) = Catalogue::discover(&FontOptions { font_paths: Vec::new(), policy: FontPolicy::Bundled })
    else {
        return ExitCode::from(2);
    };
    let Ok(fonts) = FontSet::resolve(&catalogue, &profile) else { return ExitCode::from(2) };
    let shared = Shared {
        library: LazyHash::new(Library::default()),
        renderer: PdfRenderer::new(fonts, variant.map(|name| (name, template.clone()))),
        template: Source::new(id("/main.typ"), template),
        data_id: id("/data.json"),
        seal_png: id("/seal.png"),
        seal_svg: id("/seal.svg"),
    };
    clock("0 setup (once)", t);

    let items = nianbao::batch::expand(&inputs, &[]).items;
    let mut n = 0u32;
    let mut pages = 0usize;
    for item in &items {
        let bytes = item.bytes();
        let t = Instant::now();
        let checked = check_bytes(&bytes, None);
        clock("1 check (decode, rules, lints)", t);
        let Some(report) = checked.report.filter(|_| !checked.diagnostics.has_errors()) else { continue };
        let t = Instant::now();
        let doc = resolve(&report, Some(&item.base_dir()));
        clock("2 resolve", t);
        let t = Instant::now();
        let seal = doc.signature.seal.as_ref().and_then(|s| load_seal(s).ok());
        clock("3 seal (read, decode)", t);
        let t = Instant::now();
        let missing = missing_glyphs(&doc, shared.renderer.fonts());
        clock("4 glyph coverage", t);
        if missing.is_some() {
            continue;
        }
        let t = Instant::now();
        let data = shared.renderer.template_data_json(&doc, &profile, seal.as_ref());
        clock("5 template data (table header lines measured once)", t);
        let world = DocWorld {
            s: &shared,
            data: Bytes::new(data),
            seal: seal.as_ref().map(|s| {
                let id = if s.format == SealFormat::Png { shared.seal_png } else { shared.seal_svg };
                (id, Bytes::new(s.bytes.clone()))
            }),
        };
        let t = Instant::now();
        let compiled = typst::compile::<PagedDocument>(&world).output;
        clock("6 typst compile", t);
        let Ok(document) = compiled else {
            eprintln!("{}: compile failed", item.name());
            continue;
        };
        pages += document.pages().len();
        let t = Instant::now();
        let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default());
        clock("7 PDF export", t);
        if pdf.is_err() {
            eprintln!("{}: export failed", item.name());
        }
        let t = Instant::now();
        let docx = nianbao::render::docx::render(&doc, &profile, seal.as_ref(), &DocxOptions::default(), &[]);
        clock("8 DOCX", t);
        if docx.is_err() {
            eprintln!("{}: docx failed", item.name());
        }
        // The OFD is written from the same layout as the PDF (no compile of its own). Left out
        // of the total below, which stays the PDF + DOCX cost of earlier runs.
        let t = Instant::now();
        let ofd = nianbao::render::ofd::render(&document, &doc, seal.as_ref());
        clock(OFD_PHASE, t);
        if ofd.is_err() {
            eprintln!("{}: ofd failed", item.name());
        }
        let t = Instant::now();
        if let Some(age) = evict {
            typst::comemo::evict(age);
        }
        clock("9 cache eviction", t);
        n += 1;
    }
    let mut rows: Vec<_> = times.into_iter().collect();
    rows.sort();
    let per_doc: Duration = rows.iter().filter(|(k, _)| !k.starts_with('0') && *k != OFD_PHASE).map(|(_, d)| *d).sum();
    println!("{n} reports, {pages} pages, eviction age {evict:?}");
    for (k, d) in &rows {
        if k.starts_with('0') {
            println!("{k:<34} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        } else {
            println!("{k:<34} {:>8.2} ms/report", d.as_secs_f64() * 1000.0 / f64::from(n.max(1)));
        }
    }
    println!("{:<34} {:>8.2} ms/report", "total per report", per_doc.as_secs_f64() * 1000.0 / f64::from(n.max(1)));
    ExitCode::SUCCESS
}
