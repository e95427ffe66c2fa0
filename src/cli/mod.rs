//! One module per subcommand: its arguments and how it prints; no report logic here.
//!
//! This module owns the grammar the subcommands share: the exit codes, `--message-format` and
//! how diagnostics are printed ([`Messages`]), and what a subcommand hands back to `main`
//! ([`Outcome`]: its exit code, or the [`Failure`] that stopped it, which `main` prints in the
//! one diagnostic shape).

pub mod batch;
pub mod build;
pub mod check;
pub mod export;
pub mod fonts;
pub mod import;
pub mod init;
pub mod manifest;
pub mod sample;
pub mod schema;
pub mod serve;
pub mod summary;
pub mod values;

use std::path::Path;

use nianbao::diag::{render_human, to_json, Diagnostic, Diagnostics};

/// Success, or warnings only.
pub const EXIT_OK: u8 = 0;
/// A report has errors (or, in a batch, some reports failed).
pub const EXIT_ERRORS: u8 = 1;
/// Usage or I/O problem: bad arguments, unreadable input, unwritable output.
pub const EXIT_USAGE: u8 = 2;
/// A batch stopped by Ctrl-C or `kill` (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// How a subcommand ended: `Ok` with its exit code when it did its work — what it found about
/// single inputs was given to [`Messages`] as it went, so the code may well be 1 or 2 — or the
/// [`Failure`] that stopped it.
pub type Outcome = Result<u8, Failure>;

/// Why a subcommand stopped: diagnostics about its own inputs or outputs, each group under the
/// name it is shown with (a file, or the subcommand when none is at fault), and the exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    groups: Vec<Group>,
    /// A closing line after the diagnostics, in the human form only (the JSON document's
    /// counts say as much): what was not done.
    note: Option<String>,
}

#[derive(Debug)]
struct Group {
    /// Shown as the location; empty for the subcommand itself.
    name: String,
    /// The text the diagnostics point into (for the source snippet), or empty.
    text: String,
    diagnostics: Diagnostics,
}

impl Failure {
    /// A failure with exit `code` and, so far, nothing to show (see [`Failure::with`]).
    pub fn new(code: u8) -> Failure {
        Failure { code, groups: Vec::new(), note: None }
    }

    /// A usage or I/O problem (exit 2) with `d`, shown under `name` (a file, or empty for the
    /// subcommand itself).
    pub fn usage(d: Diagnostic, name: impl Into<String>) -> Failure {
        Failure::new(EXIT_USAGE).with(name, "", Diagnostics(vec![d]))
    }

    /// A wrong use of the subcommand (exit 2), said in Chinese and English.
    pub fn args(zh: impl Into<String>, en: impl Into<String>) -> Failure {
        Failure::usage(Diagnostic::error("usage", "", zh, en), "")
    }

    /// The closing line (human form only), e.g. `报告有错误，未导出 / … nothing was exported`.
    pub fn note(mut self, line: impl Into<String>) -> Failure {
        self.note = Some(line.into());
        self
    }

    /// Another group of diagnostics, about `name`, pointing into `text`.
    pub fn with(mut self, name: impl Into<String>, text: impl Into<String>, diagnostics: Diagnostics) -> Failure {
        self.groups.push(Group { name: name.into(), text: text.into(), diagnostics });
        self
    }
}

/// How a command prints what it found (`--message-format`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// `--message-format human|json`: the one flag that says how diagnostics are printed, taken by
/// every subcommand, so that `--format` names output kinds wherever it exists.
#[derive(clap::Args, Clone, Copy)]
pub struct MessageFormat {
    /// 诊断信息的输出形式 / how diagnostics are printed
    #[arg(long = "message-format", value_enum, value_name = "human|json")]
    message_format: Option<OutputFormat>,
}

impl MessageFormat {
    pub fn get(self) -> OutputFormat {
        self.message_format.unwrap_or(OutputFormat::Human)
    }

    /// The form chosen by `--message-format` or by the older spelling `old` of check, import
    /// and fonts (with a deprecation warning when that chose it).
    pub fn or_old(self, old: OldMessageFormat) -> OutputFormat {
        match old.old_format {
            Some(f) => {
                eprintln!(
                    "warning: --format human|json 已改名为 --message-format，旧写法将来会移除\n  = --format human|json is now --message-format; the old spelling will be removed"
                );
                f
            }
            None => self.get(),
        }
    }
}

/// The older `--format human|json` of check, import and fonts, still taken (hidden, with a
/// warning); those commands have no output kinds for `--format` to name.
#[derive(clap::Args, Clone, Copy)]
pub struct OldMessageFormat {
    /// 旧写法，同 --message-format / deprecated spelling of --message-format
    #[arg(long = "format", value_enum, value_name = "human|json", hide = true, conflicts_with = "message_format")]
    old_format: Option<OutputFormat>,
}

/// Where a subcommand's diagnostics go, in the form `--message-format` chose: the human form on
/// standard error as they are found, or the entries of the one JSON document
/// (`{"files":[{"file","errors","warnings","diagnostics"}]}`, as `check` prints it) that
/// [`Messages::finish`] prints when the subcommand ends.
pub struct Messages {
    format: OutputFormat,
    files: Vec<serde_json::Value>,
    /// The subcommand writes its data (a report, the schema) on standard output: the JSON
    /// document and the status lines go to standard error instead.
    data_on_stdout: bool,
    /// The subcommand prints a JSON document of its own (`fonts`) and none of diagnostics unless
    /// it fails.
    own_document: bool,
}

impl Messages {
    pub fn new(format: OutputFormat) -> Messages {
        Messages { format, files: Vec::new(), data_on_stdout: false, own_document: false }
    }

    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Standard output carries the subcommand's data from here on.
    pub fn data_on_stdout(&mut self) {
        self.data_on_stdout = true;
    }

    /// The subcommand prints its own JSON document on success.
    pub fn own_document(&mut self) {
        self.own_document = true;
    }

    /// The findings about one input, shown under `name`, pointing into `text`: printed now in
    /// the human form, or one entry of the JSON document, returned so that the subcommand can
    /// add what else it knows of the file (`check --fix`, the documents `build` wrote).
    pub fn file(&mut self, name: &str, text: &str, diagnostics: &Diagnostics) -> Option<&mut serde_json::Value> {
        match self.format {
            OutputFormat::Human => {
                for d in diagnostics.iter() {
                    eprintln!("{}", render_human(d, name, text));
                }
                None
            }
            OutputFormat::Json => {
                self.files.push(to_json(name, diagnostics));
                self.files.last_mut()
            }
        }
    }

    /// The entry of the JSON document added last (`None` in the human form).
    pub fn last_entry(&mut self) -> Option<&mut serde_json::Value> {
        if self.json() {
            self.files.last_mut()
        } else {
            None
        }
    }

    /// One diagnostic about `name` (see [`Messages::file`]).
    pub fn one(&mut self, name: &str, d: Diagnostic) {
        self.file(name, "", &Diagnostics(vec![d]));
    }

    /// An entry of the JSON document composed by the subcommand itself (`import`: the import's
    /// and the check's findings of one file).
    pub fn entry(&mut self, entry: serde_json::Value) {
        self.files.push(entry);
    }

    /// A status line: standard output, unless that carries JSON (the document or the
    /// subcommand's data), then standard error.
    pub fn say(&self, line: impl std::fmt::Display) {
        if self.json() || self.data_on_stdout {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }

    /// Print how the subcommand `command` ended and return the exit code: the groups of a
    /// failure (shown under `command` when no file is at fault), then, with
    /// `--message-format json`, the document.
    pub fn finish(mut self, command: &str, outcome: Outcome) -> u8 {
        let code = match outcome {
            Ok(code) => code,
            Err(failure) => {
                for g in &failure.groups {
                    let name = if g.name.is_empty() { command } else { &g.name };
                    self.file(name, &g.text, &g.diagnostics);
                }
                if let (Some(note), false) = (&failure.note, self.json()) {
                    eprintln!("{note}");
                }
                self.own_document = false;
                failure.code
            }
        };
        if !self.json() || self.own_document {
            return code;
        }
        let doc = serde_json::json!({ "files": self.files });
        match serde_json::to_string_pretty(&doc) {
            Ok(s) if self.data_on_stdout => eprintln!("{s}"),
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error[usage]: 无法输出 JSON：{e}\n  = cannot print JSON: {e}");
                return EXIT_USAGE;
            }
        }
        code
    }
}

/// One input of a subcommand that reads several, read with `read` (a reader of `nianbao::input`):
/// its name as messages show it (escaped: a file name may hold control characters) and its
/// bytes. An unreadable file is reported under its name, `exit` becomes at least 2 and `None`
/// says to go on with the next input.
pub fn read_each(
    file: &Path,
    read: impl FnOnce(&Path) -> Result<Vec<u8>, Diagnostic>,
    messages: &mut Messages,
    exit: &mut u8,
) -> Option<(String, Vec<u8>)> {
    let name = nianbao::diag::escape_terminal(&file.display().to_string()).into_owned();
    match read(file) {
        Ok(bytes) => Some((name, bytes)),
        Err(d) => {
            messages.one(&name, d);
            *exit = (*exit).max(EXIT_USAGE);
            None
        }
    }
}

/// Read an input file; an unreadable one is a failure under its path (exit 2).
pub fn read_input(path: &Path) -> Result<Vec<u8>, Failure> {
    nianbao::input::read(path).map_err(|d| Failure::usage(d, path.display().to_string()))
}

/// Write an output file atomically; a failure is shown under its path (exit 2).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    nianbao::output::write_atomic(path, bytes).map_err(|d| Failure::usage(d, path.display().to_string()))
}

/// Create an output folder; a failure is shown under its path (exit 2).
pub fn ensure_output_dir(dir: &Path) -> Result<(), Failure> {
    nianbao::output::ensure_dir(dir).map_err(|d| Failure::usage(d, dir.display().to_string()))
}

/// `-o` of `build` and `batch`, which write several files: a folder. One named like a document
/// (`-o report.pdf`) that is not a folder yet, nor written as one (`report.pdf/`), is refused:
/// it would become a folder holding the documents, while the `-o` of the commands that write a
/// single file (`summary`, `export`, `schema`, `manifest merge`, `import` of one input) names
/// that file.
pub fn output_folder(dir: &Path) -> Result<(), Failure> {
    let document = dir
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["pdf", "docx", "ofd", "html"].iter().any(|k| e.eq_ignore_ascii_case(k)));
    if !document || dir.is_dir() || dir.to_string_lossy().ends_with(['/', '\\']) {
        return Ok(());
    }
    let shown = nianbao::diag::escape_terminal(&dir.display().to_string()).into_owned();
    let d = Diagnostic::error(
        "usage",
        "",
        format!("-o 是输出目录，而 {shown} 像是文件名：文档按机关名称与年度命名"),
        format!(
            "-o names the output folder, and {shown} looks like a file name: documents are named by agency and year"
        ),
    )
    .with_hint("例如 -o out/；batch 可用 --name 指定文件名 / e.g. -o out/; batch names files with --name");
    Err(Failure::usage(d, ""))
}

/// Read and check last year's report for `--previous`. A report that cannot be read is a usage
/// problem (exit 2); one with errors of its own cannot anchor the cross-year rules (exit 1).
pub fn load_previous(path: Option<&Path>) -> Result<Option<nianbao::model::Report>, Failure> {
    let Some(p) = path else { return Ok(None) };
    let name = p.display().to_string();
    let bytes = read_input(p)?;
    let checked = nianbao::inspect::check_bytes(&bytes, None);
    match checked.report {
        Some(report) if !checked.has_errors() => Ok(Some(report)),
        _ => {
            let mut errors = Diagnostics(checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect());
            errors.push(Diagnostic::error(
                "previous-invalid",
                "",
                format!("上年报告 {name} 无法使用：它本身有错误"),
                format!("the previous report {name} cannot be used: it has errors of its own"),
            ));
            Err(Failure::new(EXIT_ERRORS).with(name, checked.text, errors))
        }
    }
}
