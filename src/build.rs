//! The build pipeline: report bytes in, checked, resolved and typeset documents out.
//!
//! An [`Engine`] is built once — the layout profile, the closed font set resolved per role, the
//! Typst standard library and the parsed template — and shared (it is `Send + Sync`) by the
//! command line, the batch runner's worker threads and a long-running service. Each call of
//! [`build_report`] runs `check` → `resolve` → seal → glyph coverage → PDF (and DOCX) → atomic
//! writes, and returns every finding located in the input, plus what was written (path, size,
//! SHA-256, pages) and which font served each role.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::fonts::{Catalogue, FontOptions, FontSet, RoleChoice};
use crate::inspect::check_bytes_with;
use crate::lint::LintConfig;
use crate::model::Report;
use crate::output::ensure_dir;
use crate::profile::Profile;
use crate::render::docx::DocxOptions;
use crate::render::html::HtmlOptions;
use crate::render::pdf::{missing_glyphs, PdfOptions, PdfRenderer};
use crate::resolve::{report_name, resolve_with, Resolved};

/// What an [`Engine`] is built from.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub fonts: FontOptions,
    /// `--profile FILE`; the built-in GB/T 9704 profile when `None`.
    pub profile: Option<PathBuf>,
    /// `--template FILE`; the built-in `templates/report.typ` when `None`.
    pub template: Option<PathBuf>,
}

/// Everything that is the same for every document of a run.
pub struct Engine {
    profile: Profile,
    pdf: PdfRenderer,
}

impl Engine {
    /// Read the profile and template files and resolve the fonts.
    pub fn from_options(options: &EngineOptions) -> Result<Engine, Diagnostic> {
        let profile = match &options.profile {
            Some(p) => Profile::load(p)?,
            None => Profile::builtin(),
        };
        let template = match &options.template {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    Diagnostic::error(
                        "io",
                        "",
                        format!("无法读取排版模板 {}：{}", p.display(), crate::input::io_zh(&e)),
                        format!("cannot read the template {}: {e}", p.display()),
                    )
                })?;
                Some((p.display().to_string(), text))
            }
            None => None,
        };
        let catalogue = Catalogue::discover(&options.fonts)?;
        Engine::new(profile, &catalogue, template)
    }

    /// Build from parts already at hand (fonts from a catalogue that may be shared by several
    /// engines with different profiles).
    pub fn new(
        profile: Profile,
        catalogue: &Catalogue,
        template: Option<(String, String)>,
    ) -> Result<Engine, Diagnostic> {
        let fonts = FontSet::resolve(catalogue, &profile)?;
        Ok(Engine { profile, pdf: PdfRenderer::new(fonts, template) })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn fonts(&self) -> &FontSet {
        self.pdf.fonts()
    }

    pub fn pdf(&self) -> &PdfRenderer {
        &self.pdf
    }

    /// The font serving each role, in the profile's role order.
    pub fn fonts_used(&self) -> Vec<RoleChoice> {
        crate::profile::ROLES.iter().filter_map(|r| self.fonts().role(r).cloned()).collect()
    }
}

/// Output formats. Every variant is listed by `<OutputKind as clap::ValueEnum>::value_variants()`
/// (`nianbao serve` offers each as a download), so a new format needs no second list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    Pdf,
    Docx,
    /// GB/T 33190-2016, from the same layout as the PDF (`render::ofd`).
    Ofd,
    /// The portal page (`render::html`).
    Html,
}

impl OutputKind {
    pub fn extension(self) -> &'static str {
        match self {
            OutputKind::Pdf => "pdf",
            OutputKind::Docx => "docx",
            OutputKind::Ofd => "ofd",
            OutputKind::Html => "html",
        }
    }

    /// Parse `--format pdf,docx,ofd`.
    pub fn parse_list(text: &str) -> Result<Vec<OutputKind>, Diagnostic> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let k = match part.to_lowercase().as_str() {
                "pdf" => OutputKind::Pdf,
                "docx" => OutputKind::Docx,
                "ofd" => OutputKind::Ofd,
                "html" => OutputKind::Html,
                _ => {
                    return Err(Diagnostic::error(
                        "usage",
                        "",
                        format!("未知的输出格式 {part}（可用 pdf、docx、ofd、html）"),
                        format!("unknown output format `{part}` (use pdf, docx, ofd, html)"),
                    ))
                }
            };
            if !out.contains(&k) {
                out.push(k);
            }
        }
        if out.is_empty() {
            return Err(Diagnostic::error("usage", "", "未指定输出格式", "no output format given"));
        }
        Ok(out)
    }
}

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub formats: Vec<OutputKind>,
    pub pdf: PdfOptions,
    pub docx: DocxOptions,
    pub html: HtmlOptions,
    /// Produce the documents even when the consistency rules (勾稽关系) find errors; those
    /// errors are then reported as warnings. Decoding errors are never overridden.
    pub allow_inconsistent: bool,
    /// Folder to write to; `None` keeps the documents in memory only ([`Output::data`]).
    pub out_dir: Option<PathBuf>,
    /// File name without extension; default `{agency}{year}年政府信息公开工作年度报告`.
    pub file_stem: Option<String>,
    /// Which proofreading lints run before typesetting (`--lint-config`, `--allow`); their
    /// findings are warnings and never stop a build.
    pub lint: LintConfig,
    /// Where the seal image comes from.
    pub seal: SealSource,
}

/// Where a build takes the seal image from.
#[derive(Debug, Clone, Default)]
pub enum SealSource {
    /// The file named by `signature.seal`, relative to the report's folder (the command line).
    #[default]
    Path,
    /// Bytes already decoded (an upload to `nianbao serve`), or none; `signature.seal` is then
    /// never opened, so a report cannot make the build read a file of the machine.
    Given(Option<crate::render::SealImage>),
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            formats: vec![OutputKind::Pdf],
            pdf: PdfOptions::default(),
            docx: DocxOptions::default(),
            html: HtmlOptions::default(),
            allow_inconsistent: false,
            out_dir: None,
            file_stem: None,
            lint: LintConfig::default(),
            seal: SealSource::Path,
        }
    }
}

/// One document produced.
#[derive(Debug, Clone, Serialize)]
pub struct Output {
    pub kind: OutputKind,
    /// Where it was written (`None` for an in-memory build).
    pub path: Option<PathBuf>,
    pub bytes: usize,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// Page count (PDF and OFD).
    pub pages: Option<usize>,
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// Everything a build found and made.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    pub source_name: String,
    /// The input text (for source snippets in messages).
    pub text: String,
    /// Every finding, located in the input where it concerns the input.
    pub diagnostics: Diagnostics,
    pub outputs: Vec<Output>,
    /// The font serving each role (the same for every document of an engine).
    pub fonts_used: Vec<RoleChoice>,
    /// The resolved report, when the input could be decoded.
    pub resolved: Option<Resolved>,
}

impl BuildOutcome {
    /// Every requested document was produced and nothing is an error.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// `{agency}{year}年政府信息公开工作年度报告`, with characters that file systems refuse
/// (`/ \ : * ? " < > |` and controls) replaced by `_`.
pub fn default_file_stem(agency: &str, year: i64) -> String {
    sanitize_file_name(&format!("{agency}{}", report_name(year)))
}

/// Replace characters illegal in file names on common systems by `_`, and every control
/// character and bidi override (a file name never contains one).
pub fn sanitize_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || crate::diag::is_unprintable(c)
                || c == '\t'
                || c == '\n'
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_end_matches('.').to_string();
    if s.is_empty() || s == "." || s == ".." {
        "_".to_string()
    } else {
        s
    }
}

/// Build one report: `input` is the report file's bytes, `source_name` its name in messages,
/// `base_dir` its folder (a relative seal path is resolved against it), `previous` last year's
/// report for the cross-year rules.
pub fn build_report(
    engine: &Engine,
    input: &[u8],
    source_name: &str,
    base_dir: Option<&Path>,
    previous: Option<&Report>,
    options: &BuildOptions,
) -> BuildOutcome {
    let checked = check_bytes_with(input, previous, &options.lint);
    let mut outcome = BuildOutcome {
        source_name: source_name.to_string(),
        text: checked.text.clone(),
        diagnostics: Diagnostics::default(),
        outputs: Vec::new(),
        fonts_used: engine.fonts_used(),
        resolved: None,
    };
    let mut diagnostics = checked.diagnostics;
    let Some(mut report) = checked.report else {
        outcome.diagnostics = diagnostics;
        return outcome;
    };
    // A caller that supplies the seal image itself and supplies none (a `serve` request without
    // an upload) gets the unsealed document: the signature is laid out for no seal, whatever
    // path the report names.
    if matches!(options.seal, SealSource::Given(None)) {
        report.signature.seal = None;
    }
    if diagnostics.has_errors() {
        let only_rules = diagnostics.iter().filter(|d| d.is_error()).all(|d| crate::rules::is_check(d.rule));
        if options.allow_inconsistent && only_rules {
            for d in &mut diagnostics.0 {
                if d.is_error() {
                    d.severity = Severity::Warning;
                    d.message_en.push_str(" (documents produced anyway: --allow-inconsistent)");
                    d.message_zh.push_str("（已按 --allow-inconsistent 照常生成文档）");
                }
            }
        } else {
            if options.allow_inconsistent {
                diagnostics.push(Diagnostic::error(
                    "not-built",
                    "",
                    "报告有格式或类型错误，--allow-inconsistent 只放行勾稽关系错误，未生成文档",
                    "the report has format or type errors; --allow-inconsistent only overrides consistency errors, nothing was produced",
                ));
            }
            outcome.diagnostics = diagnostics;
            return outcome;
        }
    }

    let resolved = resolve_with(&report, base_dir, engine.profile());
    let mut found = Diagnostics::default();
    let seal = match (&options.seal, &resolved.signature.seal) {
        (SealSource::Given(img), _) => img.clone(),
        (SealSource::Path, Some(s)) => match crate::render::load_seal(s) {
            Ok(img) => Some(img),
            Err(d) => {
                found.push(d);
                None
            }
        },
        (SealSource::Path, None) => None,
    };
    let fixed_layout = options.formats.iter().any(|k| matches!(k, OutputKind::Pdf | OutputKind::Ofd));
    if fixed_layout {
        if let Some(d) = missing_glyphs(&resolved, engine.fonts()) {
            found.push(d);
        }
    }
    found.locate(&checked.spans, &checked.text);
    let blocked = found.has_errors();
    diagnostics.extend(found);

    let stem = options.file_stem.clone().unwrap_or_else(|| default_file_stem(&resolved.agency, resolved.year));
    if !blocked {
        if let Some(dir) = &options.out_dir {
            if let Err(d) = ensure_dir(dir) {
                diagnostics.push(d);
                outcome.diagnostics = diagnostics;
                outcome.resolved = Some(resolved);
                return outcome;
            }
        }
        // PDF and OFD are written from one layout: Typst compiles once for both. The DOCX
        // takes the space after each table from it too (`render::docx::render`); for a DOCX
        // alone the layout is only consulted, and its findings are not the DOCX's.
        let wants_docx = options.formats.contains(&OutputKind::Docx);
        let typeset = if fixed_layout || wants_docx {
            match engine.pdf().typeset(&resolved, engine.profile(), seal.as_ref()) {
                Ok(t) => {
                    if fixed_layout {
                        diagnostics.extend(t.warnings.iter().cloned());
                    }
                    Some(t)
                }
                Err(ds) => {
                    if fixed_layout {
                        diagnostics.extend(ds);
                    }
                    None
                }
            }
        } else {
            None
        };
        // Every document is made before any is written: a report's documents are all
        // written or none (official-format.md, archiving: a PDF without its DOCX is not a
        // complete record).
        let mut made_all = Vec::new();
        let mut failed = Vec::new();
        for kind in &options.formats {
            let made = match kind {
                OutputKind::Pdf => {
                    let Some(t) = &typeset else {
                        // Typesetting failed; its diagnostics are already in.
                        failed.push(kind.extension().to_uppercase());
                        continue;
                    };
                    engine.pdf().export(t, &resolved, &options.pdf).map(|pdf| (pdf.bytes, Some(pdf.pages)))
                }
                OutputKind::Ofd => {
                    let Some(t) = &typeset else {
                        // Typesetting failed; its diagnostics are already in.
                        failed.push(kind.extension().to_uppercase());
                        continue;
                    };
                    crate::render::ofd::render(&t.document, &resolved, seal.as_ref()).map(|ofd| {
                        diagnostics.extend(ofd.warnings);
                        (ofd.bytes, Some(ofd.pages))
                    })
                }
                OutputKind::Docx => {
                    let after =
                        typeset.as_ref().map(|t| crate::render::pdf::after_tables(&t.document)).unwrap_or_default();
                    crate::render::docx::render(&resolved, engine.profile(), seal.as_ref(), &options.docx, &after)
                        .map(|bytes| (bytes, None))
                        .map_err(|d| Diagnostics(vec![d]))
                }
                OutputKind::Html => {
                    crate::render::html::render(&resolved, engine.profile(), seal.as_ref(), &options.html)
                        .map(|bytes| (bytes, None))
                        .map_err(|d| Diagnostics(vec![d]))
                }
            };
            match made {
                Ok((data, pages)) => made_all.push((*kind, data, pages)),
                Err(ds) => {
                    diagnostics.extend(ds);
                    failed.push(kind.extension().to_uppercase());
                }
            }
        }
        if !failed.is_empty() {
            if made_all.is_empty() {
                diagnostics.push(Diagnostic::error(
                    "not-built",
                    "",
                    format!("{} 生成失败，未写入任何文档", failed.join("、")),
                    format!("the {} could not be made; no document was written", failed.join(", ")),
                ));
            } else {
                let ok: Vec<String> = made_all.iter().map(|(k, _, _)| k.extension().to_uppercase()).collect();
                diagnostics.push(Diagnostic::error(
                    "not-built",
                    "",
                    format!("{} 生成失败，因此 {} 也未写入", failed.join("、"), ok.join("、")),
                    format!(
                        "the {} could not be made, so the {} was not written either",
                        failed.join(", "),
                        ok.join(", ")
                    ),
                ));
            }
        } else {
            let paths: Vec<Option<PathBuf>> = made_all
                .iter()
                .map(|(k, _, _)| options.out_dir.as_ref().map(|d| d.join(format!("{stem}.{}", k.extension()))))
                .collect();
            let files: Vec<(&Path, &[u8])> = paths
                .iter()
                .zip(&made_all)
                .filter_map(|(p, (_, data, _))| Some((p.as_deref()?, data.as_slice())))
                .collect();
            let written = match crate::output::write_all_atomic(&files) {
                Ok(()) => true,
                Err((d, done)) => {
                    diagnostics.push(d);
                    if !done.is_empty() {
                        let names: Vec<String> = done.iter().map(|p| p.display().to_string()).collect();
                        diagnostics.push(Diagnostic::error(
                            "not-built",
                            "",
                            format!("只写入了部分文档：{}", names.join("、")),
                            format!("only some documents were written: {}", names.join(", ")),
                        ));
                    }
                    false
                }
            };
            if written {
                for ((kind, data, pages), path) in made_all.into_iter().zip(paths) {
                    outcome.outputs.push(Output {
                        kind,
                        path,
                        bytes: data.len(),
                        sha256: sha256_hex(&data),
                        pages,
                        data,
                    });
                }
            }
        }
        if typeset.is_some() {
            crate::render::pdf::PdfRenderer::finish_document();
        }
    }
    outcome.diagnostics = diagnostics;
    outcome.resolved = Some(resolved);
    outcome
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn file_names_are_sanitised() {
        assert_eq!(
            default_file_stem("威海市文登区应急管理局", 2021),
            "威海市文登区应急管理局2021年政府信息公开工作年度报告"
        );
        assert_eq!(sanitize_file_name("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(sanitize_file_name(".."), "_");
    }

    #[test]
    fn format_list_parses() {
        assert_eq!(OutputKind::parse_list("pdf,docx").unwrap(), vec![OutputKind::Pdf, OutputKind::Docx]);
        assert_eq!(OutputKind::parse_list("pdf, ofd").unwrap(), vec![OutputKind::Pdf, OutputKind::Ofd]);
        assert!(OutputKind::parse_list("odt").is_err());
    }
}
