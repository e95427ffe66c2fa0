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
