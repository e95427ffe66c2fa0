//! Planning a batch: every report named, its previous year found and name collisions refused,
//! all before any document is built.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::name::{default_name, meta, Meta, NamePattern};
use super::previous::{PreviousIndex, PreviousMatch};
use crate::diag::Diagnostic;
use crate::inputs::Item;

/// A report ready to run: its input, its output name and its previous year.
#[derive(Debug, Clone)]
pub struct Planned {
    pub item: Item,
    pub meta: Option<Meta>,
    /// Output path below OUT without extension; `None` when the report cannot be named (it
    /// does not decode), in which case its build reports why.
    pub stem: Option<PathBuf>,
    pub previous: Option<Item>,
    /// Problems found while planning (an ambiguous previous year, `{id}` missing): the report
    /// fails with them and is not built.
    pub problems: Vec<Diagnostic>,
}

/// Inputs that would write the same file.
#[derive(Debug, Clone)]
pub struct Collision {
    /// The output path without extension.
    pub stem: PathBuf,
    pub inputs: Vec<String>,
}

/// Name every report, find its previous year and refuse name collisions — all before any
/// document is built. Collisions are compared case-insensitively (two names differing only in
/// case are one file on Windows and macOS).
pub fn plan(
    items: Vec<Item>,
    pattern: Option<&NamePattern>,
    previous: Option<&PreviousIndex>,
) -> Result<Vec<Planned>, Vec<Collision>> {
    let planned: Vec<Planned> = items
        .into_par_iter()
        .map(|item| {
            let meta = meta(&item);
            let mut problems = Vec::new();
            let stem = meta.as_ref().and_then(|m| match pattern {
                Some(p) => p.apply(m, &item).map_err(|d| problems.push(d)).ok(),
                None => Some(default_name(m)),
            });
            let prev = match (previous, &meta) {
                (Some(index), Some(m)) => match index.find(m) {
                    PreviousMatch::None => None,
                    PreviousMatch::One(p) => Some(p),
                    PreviousMatch::Ambiguous(names) => {
                        problems.push(Diagnostic::error(
                            "previous-ambiguous",
                            "",
                            format!(
                                "--previous-dir 中有多份 {} 年度的上年报告与本报告对应：{}",
                                m.year - 1,
                                names.join("、")
                            ),
                            format!(
                                "several reports for {} in --previous-dir match this one: {}",
                                m.year - 1,
                                names.join(", ")
                            ),
                        ));
                        None
                    }
                },
                _ => None,
            };
            Planned { item, meta, stem, previous: prev, problems }
        })
        .collect();

    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        if let Some(stem) = &p.stem {
            by_name.entry(stem.to_string_lossy().to_lowercase()).or_default().push(i);
        }
    }
    let collisions: Vec<Collision> = by_name
        .values()
        .filter(|v| v.len() > 1)
        .map(|v| Collision {
            stem: planned[v[0]].stem.clone().unwrap_or_default(),
            inputs: v.iter().map(|&i| planned[i].item.name()).collect(),
        })
        .collect();
    if collisions.is_empty() {
        Ok(planned)
    } else {
        Err(collisions)
    }
}
