//! `--previous-dir`: each report's previous year, matched by id, else by agency.

use std::path::Path;

use super::name::Meta;
use crate::diag::Diagnostic;
use crate::inputs::{expand, Item};

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
            let checked = crate::inspect::check_bytes(&bytes, None);
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
