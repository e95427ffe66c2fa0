//! `nianbao build FILE… [-o DIR] [--format pdf[,docx][,ofd][,html]] [--pdf-standard a-2b] [--font-path DIR]…
//! [--fonts system|bundled] [--docx-fonts official|bundled] [--profile FILE] [--template FILE] [--previous FILE]
//! [--allow-inconsistent] [--lint-config FILE] [--allow RULE] [--html-fragment] [--html-seal]
//! [--message-format human|json]`

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::values::{self, Format, LintRule, PdfStandards};
use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use nianbao::build::{build_report, BuildOptions, Engine, EngineOptions, OutputKind};
use nianbao::diag::escape_terminal;
use nianbao::fonts::{FontOptions, FontPolicy};
use nianbao::lint::LintConfig;
use nianbao::render::docx::{DocxFonts, DocxOptions};
use nianbao::render::html::HtmlOptions;
use nianbao::render::pdf::PdfOptions;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FontsArg {
    /// 先找 --font-path 与系统字体，再用随附字体 / --font-path, then system fonts, then the bundled ones
    System,
    /// 不用系统字体（可重现的构建）/ ignore system fonts (reproducible builds)
    Bundled,
}

/// Font names written into the DOCX (`--docx-fonts`).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocxFontsArg {
    /// 公文字体名（仿宋_GB2312、黑体、楷体_GB2312、方正小标宋简体、宋体）/ the official font names
    Official,
    /// 随附的 Fandol 字体名，供未装公文字体的电脑 / the bundled Fandol families, for machines without the official fonts
    Bundled,
}

/// Font and layout options shared by `build` and `fonts`.
#[derive(clap::Args)]
pub struct LayoutArgs {
    /// 额外的字体目录，优先于系统字体 / extra font folder, searched before system fonts
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// 字体来源 / where fonts come from
    #[arg(long, value_enum, default_value_t = FontsArg::System)]
    pub fonts: FontsArg,
    /// 版式配置文件（默认 GB/T 9704）/ layout profile (default: the built-in GB/T 9704 one)
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
}

impl LayoutArgs {
    pub fn font_options(&self) -> FontOptions {
        FontOptions {
            font_paths: self.font_path.clone(),
            policy: match self.fonts {
                FontsArg::System => FontPolicy::System,
                FontsArg::Bundled => FontPolicy::Bundled,
            },
        }
    }
}

/// What shapes the documents, for `build` and `batch` alike: fonts and profile, the font names
/// written into the DOCX, the template.
#[derive(clap::Args)]
pub struct DocumentArgs {
    #[command(flatten)]
    pub layout: LayoutArgs,
    /// DOCX 中的字体名（默认随 --fonts）/ font names in the DOCX (default: as --fonts)
    #[arg(long = "docx-fonts", value_enum, value_name = "official|bundled")]
    pub docx_fonts: Option<DocxFontsArg>,
    /// 排版模板（Typst），替换内置模板 / Typst template replacing the built-in one
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// 文字检查配置（TOML，可关闭单项检查）/ lint configuration (TOML) switching lints off
    #[arg(long, value_name = "FILE")]
    pub lint_config: Option<PathBuf>,
    /// 关闭某项文字检查，可重复 / switch a lint off (repeatable, or comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = values::lint_rule)]
    pub allow: Vec<LintRule>,
    /// HTML 只输出 <article> 片段（样式内联），供粘贴到网站编辑器 / HTML: the <article> alone, styles
    /// inline, for pasting into a portal editor
    #[arg(long = "html-fragment")]
    pub html_fragment: bool,
    /// HTML 中显示印章（默认不显示：网站发布不加盖印章的文本）/ HTML: show the seal (off by default:
    /// portals publish the unsealed text)
    #[arg(long = "html-seal")]
    pub html_seal: bool,
}

impl DocumentArgs {
    /// What `build` and `batch` build, with these document options: the same options for the
    /// same flags.
    pub fn build_options(
        &self,
        formats: Vec<OutputKind>,
        pdf: PdfOptions,
        allow_inconsistent: bool,
        out_dir: &Path,
        lint: LintConfig,
    ) -> BuildOptions {
        BuildOptions {
            formats,
            pdf,
            docx: self.docx_options(),
            html: self.html_options(),
            allow_inconsistent,
            out_dir: Some(out_dir.to_path_buf()),
            file_stem: None,
            lint,
            ..Default::default()
        }
    }

    /// Load the engine (profile, fonts, template) once for a command; a failure is a usage
    /// problem of the command.
    pub fn engine(&self) -> Result<Engine, Failure> {
        let options = EngineOptions {
            fonts: self.layout.font_options(),
            profile: self.layout.profile.clone(),
            template: self.template.clone(),
        };
        Engine::from_options(&options).map_err(|d| Failure::usage(d, ""))
    }

    /// What `build`, `batch` and `serve` need before the first report: the engine and the lints.
    pub fn prepare(&self) -> Result<(Engine, LintConfig), Failure> {
        Ok((self.engine()?, self.lint()?))
    }

    /// The lints chosen by `--lint-config` and `--allow` (as for `check`); a bad file is a
    /// usage problem shown under its name.
    pub fn lint(&self) -> Result<LintConfig, Failure> {
        LintConfig::from_cli(self.lint_config.as_deref(), &values::lint_ids(&self.allow)).map_err(|d| {
            let name = self.lint_config.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            Failure::usage(d, name)
        })
    }

    /// The HTML options: `--html-fragment`, `--html-seal`.
    pub fn html_options(&self) -> HtmlOptions {
        HtmlOptions { fragment: self.html_fragment, seal: self.html_seal }
    }

    /// The DOCX options: `--docx-fonts`, or without it the choice of `--fonts`.
    pub fn docx_options(&self) -> DocxOptions {
        let bundled = match self.docx_fonts {
            Some(f) => f == DocxFontsArg::Bundled,
            None => self.layout.fonts == FontsArg::Bundled,
        };
        DocxOptions { fonts: if bundled { DocxFonts::Bundled } else { DocxFonts::Official } }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// 报告文件 / report files (JSON)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 输出目录：每份报告的文档写在其中，按机关名称与年度命名 / output folder: each report's documents
    /// are written there, named by agency and year
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// 输出格式 / output formats: pdf, docx, ofd (GB/T 33190), html, any combination such as pdf,ofd
    #[arg(long, value_name = "pdf[,docx][,ofd][,html]", value_enum, value_delimiter = ',', ignore_case = true, default_values = ["pdf"])]
    pub format: Vec<Format>,
    /// PDF 标准，如 a-2b（归档）/ PDF standard, e.g. a-2b (archiving); also a-2u, a-3b, a-4, 2.0, ua-1 …
    #[arg(long = "pdf-standard", value_name = "STANDARD", value_parser = values::pdf_standards)]
    pub pdf_standard: Option<PdfStandards>,
    #[command(flatten)]
    pub document: DocumentArgs,
    #[command(flatten)]
    pub messages: super::MessageFormat,
    /// 上一年度的报告，用于跨年度核对 / last year's report, for the cross-year rules
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// 勾稽关系有错也生成文档（错误作为警告输出）/ produce documents despite consistency errors
    #[arg(long)]
    pub allow_inconsistent: bool,
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    super::output_folder(&args.output)?;
    let formats = values::output_kinds(&args.format);
    let standards = args.pdf_standard.map(|s| s.standards).unwrap_or_default();
    let previous = super::load_previous(args.previous.as_deref())?;
    let (engine, lint) = args.document.prepare()?;
    print_fonts(&engine, messages);

    let options =
        args.document.build_options(formats, PdfOptions { standards }, args.allow_inconsistent, &args.output, lint);

    let mut exit = EXIT_OK;
    for file in &args.files {
        let Some((name, bytes)) = super::read_each(file, nianbao::input::read, messages, &mut exit) else { continue };
        let base = file.parent().map(|p| if p.as_os_str().is_empty() { std::path::Path::new(".") } else { p });
        let outcome = build_report(&engine, &bytes, &name, base, previous.as_ref(), &options);
        let written: Vec<serde_json::Value> = outcome
            .outputs
            .iter()
            .map(|o| {
                serde_json::json!({
                    "format": o.kind.extension(),
                    "path": o.path.as_ref().map(|p| escape_terminal(&p.display().to_string()).into_owned()),
                    "pages": o.pages,
                    "bytes": o.bytes,
                    "sha256": o.sha256,
                })
            })
            .collect();
        if let Some(entry) = messages.file(&name, &outcome.text, &outcome.diagnostics) {
            entry["outputs"] = serde_json::Value::Array(written);
        }
        for o in &outcome.outputs {
            let path = o.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            let pages = o.pages.map(|n| format!("{n} 页 / pages, ")).unwrap_or_default();
            messages.say(format!("已写入 / wrote {path} ({pages}{} bytes, sha256 {})", o.bytes, o.sha256));
        }
        // An unwritable output is an I/O problem (exit 2, README), not a fault of the report.
        if outcome.diagnostics.iter().any(|d| d.is_error() && d.rule == "io") {
            exit = exit.max(EXIT_USAGE);
        }
        if !outcome.succeeded() {
            if !messages.json() {
                eprintln!(
                    "{name}: 未能生成全部文档 / not every document was produced — {} 个错误 / errors",
                    outcome.diagnostics.errors()
                );
            }
            exit = exit.max(EXIT_ERRORS);
        }
    }
    Ok(exit)
}

/// Which font served each role; substitutes are marked, since the printed document then does
/// not use the official 公文 fonts.
fn print_fonts(engine: &Engine, messages: &Messages) {
    messages.say("字体 / fonts:");
    for c in engine.fonts_used() {
        let note = if c.is_substitute { format!("  [替代 / substitute for {}]", c.official) } else { String::new() };
        let weight = if c.weight >= 700 { " bold" } else { "" };
        messages.say(format!("  {:<13} {}{weight} ← {}{note}", c.role, c.family, c.origin));
    }
}
