//! One module per subcommand: its arguments and how it prints; no report logic here.

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

use nianbao::diag::{render_human, Diagnostic};

/// Success, or warnings only.
pub const EXIT_OK: u8 = 0;
/// A report has errors (or, in a batch, some reports failed).
pub const EXIT_ERRORS: u8 = 1;
/// Usage or I/O problem: bad arguments, unreadable input, unwritable output.
pub const EXIT_USAGE: u8 = 2;

/// How a command prints what it found (`--format`).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// `--message-format`, with the older `--format human|json` of check, import and fonts still
/// taken (with a warning on stderr): the one flag that says how diagnostics are printed, so that
/// `--format` names output kinds wherever it exists.
#[derive(clap::Args, Clone, Copy)]
pub struct MessageFormat {
    /// 消息的输出形式 / how diagnostics are printed
    #[arg(long = "message-format", value_enum, value_name = "human|json")]
    message_format: Option<OutputFormat>,
    /// 旧写法，同 --message-format / deprecated spelling of --message-format
    #[arg(long = "format", value_enum, value_name = "human|json", hide = true, conflicts_with = "message_format")]
    old_format: Option<OutputFormat>,
}

impl MessageFormat {
    /// The chosen form; a deprecation warning when the old spelling chose it.
    pub fn get(&self) -> OutputFormat {
        if let Some(f) = self.old_format {
            eprintln!(
                "warning: --format human|json 已改名为 --message-format，旧写法将来会移除\n  = --format human|json is now --message-format; the old spelling will be removed"
            );
            return f;
        }
        self.message_format.unwrap_or(OutputFormat::Human)
    }
}

/// Print an error about the command itself (not about a report) in the standard two-language
/// form and return the usage exit code.
pub fn fail(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> u8 {
    eprintln!("error: {zh}\n  = {en}");
    EXIT_USAGE
}

/// Print a diagnostic about a command's own input or output (`name`: the file, or the command
/// when no single file is at fault) and return the usage exit code.
pub fn usage_error(d: &Diagnostic, name: &str) -> u8 {
    eprint!("{}", render_human(d, name, ""));
    EXIT_USAGE
}

/// Read an input file; an unreadable one is printed under its path (usage exit code).
pub fn read_input(path: &Path) -> Result<Vec<u8>, u8> {
    nianbao::input::read(path).map_err(|d| usage_error(&d, &path.display().to_string()))
}

/// Write an output file atomically; a failure is printed under its path (usage exit code).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), u8> {
    nianbao::output::write_atomic(path, bytes).map_err(|d| usage_error(&d, &path.display().to_string()))
}

/// Create an output folder; a failure is printed under its path (usage exit code).
pub fn ensure_output_dir(dir: &Path) -> Result<(), u8> {
    nianbao::output::ensure_dir(dir).map_err(|d| usage_error(&d, &dir.display().to_string()))
}

/// Read and check last year's report for `--previous`. A report that cannot be read is a usage
/// problem (exit 2); one with errors of its own cannot anchor the cross-year rules (exit 1).
pub fn load_previous(path: Option<&Path>) -> Result<Option<nianbao::model::Report>, u8> {
    let Some(p) = path else { return Ok(None) };
    let name = p.display().to_string();
    let bytes = read_input(p)?;
    let checked = nianbao::check::check_bytes(&bytes, None);
    match checked.report {
        Some(report) if !checked.has_errors() => Ok(Some(report)),
        _ => {
            eprintln!("error: 上年报告 {name} 无法使用 / the previous report cannot be used:");
            for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
                eprint!("{}", render_human(d, &name, &checked.text));
            }
            Err(EXIT_ERRORS)
        }
    }
}
