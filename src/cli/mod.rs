//! One module per subcommand: its arguments and how it prints; no report logic here.

pub mod batch;
pub mod build;
pub mod check;
pub mod fonts;
pub mod import;
pub mod init;
pub mod manifest;
pub mod sample;
pub mod schema;
pub mod summary;

/// Success, or warnings only.
pub const EXIT_OK: u8 = 0;
/// A report has errors (or, in a batch, some reports failed).
pub const EXIT_ERRORS: u8 = 1;
/// Usage or I/O problem: bad arguments, unreadable input, unwritable output.
pub const EXIT_USAGE: u8 = 2;

/// Print an error about the command itself (not about a report) in the standard two-language
/// form and return the usage exit code.
pub fn fail(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> u8 {
    eprintln!("error: {zh}\n  = {en}");
    EXIT_USAGE
}

/// Read and check last year's report for `--previous`. A report that cannot be read is a usage
/// problem (exit 2); one with errors of its own cannot anchor the cross-year rules (exit 1).
pub fn load_previous(path: Option<&std::path::Path>) -> Result<Option<nianbao::model::Report>, u8> {
    use nianbao::diag::render_human;
    let Some(p) = path else { return Ok(None) };
    let name = p.display().to_string();
    let bytes = nianbao::input::read(p).map_err(|d| {
        eprint!("{}", render_human(&d, &name, ""));
        EXIT_USAGE
    })?;
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
