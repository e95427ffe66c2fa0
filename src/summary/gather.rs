//! Gathering: which reports of a batch expansion ([`crate::batch::expand`]) are summed, which
//! are left out (another report year) and which are refused (errors of their own, another format
//! version).

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::inputs::Item;
use crate::inspect::check_bytes;
use crate::model::Report;

/// One department's report, to be summed.
#[derive(Debug, Clone)]
pub struct Department {
    /// Where the report came from: `file`, `file:line` (NDJSON) or `file[index]` (array).
    pub source: String,
    pub report: Report,
    /// Its own consistency errors, when it is summed anyway (`--allow-inconsistent`).
    pub inconsistencies: Vec<Diagnostic>,
}

impl Department {
    pub fn new(source: impl Into<String>, report: Report) -> Department {
        Department { source: source.into(), report, inconsistencies: Vec::new() }
    }
}

/// A report left out because it is of another report year.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub source: String,
    pub agency: String,
    pub year: i64,
}

/// A report that cannot be summed: it does not decode, is of another format version, or fails
/// its own checks.
#[derive(Debug, Clone)]
pub struct Refused {
    pub source: String,
    /// The file, for `file:line:column` locations.
    pub file: String,
    pub agency: Option<String>,
    /// The text its diagnostics point into.
    pub text: String,
    /// Its errors.
    pub diagnostics: Diagnostics,
}

/// What [`gather`] made of the inputs.
#[derive(Debug, Default)]
pub struct Gathered {
    pub departments: Vec<Department>,
    pub skipped: Vec<Skipped>,
    pub refused: Vec<Refused>,
}

enum Sorted {
    Take(Box<Department>),
    Skip(Skipped),
    Refuse(Refused),
}

/// Whether an error is one of the 勾稽 rules (input-format rules 1–4), which
/// `--allow-inconsistent` lets through as `build` does; any other error (types, format version,
/// missing fields) leaves numbers that are not known and is never summed.
fn is_consistency_rule(d: &Diagnostic) -> bool {
    crate::rules::is_check(d.rule) && d.rule != "count-overflow"
}

/// Check every report of a batch expansion and sort it: summed (report year `year`, no errors;
/// with `allow_inconsistent`, consistency errors allowed), skipped (another year) or refused.
/// A report whose year cannot be read is refused: it cannot be told apart from one that
/// belongs in the sum.
pub fn gather(items: &[Item], year: i64, allow_inconsistent: bool) -> Gathered {
    let sorted: Vec<Sorted> = items
        .par_iter()
        .map(|item| {
            let checked = check_bytes(&item.bytes(), None);
            let errors: Vec<Diagnostic> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let refuse = |agency: Option<String>, errors: Vec<Diagnostic>| {
                Sorted::Refuse(Refused {
                    source: item.name(),
                    file: item.file(),
                    agency,
                    text: checked.text.clone(),
                    diagnostics: Diagnostics(errors),
                })
            };
            let Some(report) = checked.report.clone() else { return refuse(None, errors) };
            if report.year != year {
                return Sorted::Skip(Skipped { source: item.name(), agency: report.agency, year: report.year });
            }
            if errors.is_empty() {
                return Sorted::Take(Box::new(Department::new(item.name(), report)));
            }
            if allow_inconsistent && errors.iter().all(is_consistency_rule) {
                return Sorted::Take(Box::new(Department { source: item.name(), report, inconsistencies: errors }));
            }
            refuse(Some(report.agency), errors)
        })
        .collect();
    let mut g = Gathered::default();
    for s in sorted {
        match s {
            Sorted::Take(d) => g.departments.push(*d),
            Sorted::Skip(s) => g.skipped.push(s),
            Sorted::Refuse(r) => g.refused.push(r),
        }
    }
    g
}
