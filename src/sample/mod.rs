//! Sample reports for tests and benchmarks (`nianbao sample`).
//!
//! Generates varied, valid, realistic department reports: county and district departments of
//! many provinces, short and long narratives, busy and quiet offices, tables whose 勾稽 rules
//! (input-format.md rules 1–4, 6, 7) all hold, some reports sealed (a generated SVG seal next to
//! the report) and some with their previous year's report under `previous/`, linked by `id` and
//! by `carried_forward` → `carried_over` and `in_force`. Everything is derived from the seed by a
//! small PRNG of our own, so a seed always gives the same files on every platform.
//!
//! The places, departments and sentence pools are data, in `src/sample/material.toml` (built into
//! the program). This module owns how reports are made of them: the plan of a set (which
//! agencies, which years, where each file goes: [`generate`], [`generate_year`]) and writing it
//! ([`write()`]). Its parts are `rng.rs` (the generator every choice is drawn from),
//! `material.rs` (the material's form, read once), `agency.rs` (one agency: its 统一社会信用代码,
//! the style it keeps from year to year, its contact block and its report of one year),
//! `tables.rs` (the numbers of one year, consistent by construction, and how the next year
//! follows on), `narrative.rs` (the preamble and the sections' paragraphs, no sentence repeated
//! from the previous year) and `seal.rs` (the generated seal SVG). All names, numbers, addresses
//! and telephone numbers are invented for demonstration; region names are real places so that
//! the text reads naturally.

mod agency;
mod material;
mod narrative;
mod rng;
mod seal;
mod tables;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::Report;

use agency::{Ctx, Style};
use material::material;
use narrative::sentences_of;
use tables::Tables;

pub use agency::credit_code;
pub use rng::Rng;
pub use seal::seal_svg;

/// What `generate` plans for one report file.
#[derive(Debug, Clone)]
pub struct SampleReport {
    /// Path below the output folder, e.g. `lanshan-market-2023.json` or
    /// `previous/lanshan-market-2022.json`.
    pub path: PathBuf,
    pub report: Report,
    /// This report's previous year, when it is part of the set too.
    pub previous: Option<PathBuf>,
}

/// A generated file that is not a report (seal images).
#[derive(Debug, Clone)]
pub struct SampleAsset {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A whole sample set.
#[derive(Debug, Clone, Default)]
pub struct SampleSet {
    pub reports: Vec<SampleReport>,
    pub assets: Vec<SampleAsset>,
}

/// The largest `--count`: every agency appears once, with at most two years.
pub fn max_count() -> usize {
    let m = material();
    2 * m.regions.len() * m.departments.len()
}

/// Generate `count` report files from `seed`. Reports with a previous year count twice (both
/// files are reports); the previous year goes to `previous/`. Growing `count` keeps the earlier
/// agencies and their contents.
pub fn generate(count: usize, seed: u64) -> SampleSet {
    generate_with(count, seed, None)
}

/// A county's batch: `count` department reports of report year `year` in `YEAR/`, and for about
/// a quarter of them the previous year's report in `YEAR-1/` (not counted), which `batch YEAR/`
/// does not pick up by itself (`--previous-dir YEAR-1/` links them). Seals go to `seals/`.
pub fn generate_year(count: usize, seed: u64, year: i64) -> SampleSet {
    generate_with(count, seed, Some(year))
}

/// The most department reports `generate_year` can write: every agency once.
pub fn max_year_count() -> usize {
    let m = material();
    m.regions.len() * m.departments.len()
}

fn generate_with(count: usize, seed: u64, one_year: Option<i64>) -> SampleSet {
    let m = material();
    let mut plan = Rng::derive(seed, 0);
    let departments = m.departments.len();
    let mut combos: Vec<(usize, usize)> =
        (0..m.regions.len()).flat_map(|r| (0..departments).map(move |d| (r, d))).collect();
    plan.shuffle(&mut combos);

    let mut set = SampleSet::default();
    let mut written = 0usize;
    for (series, &(r, d)) in combos.iter().enumerate() {
        if written >= count {
            break;
        }
        let mut rng = Rng::derive(seed, series as u64 + 1);
        let region = &m.regions[r];
        let department = &m.departments[d];
        // Two files for one agency when the count could not be reached otherwise.
        let need = count - written;
        let with_previous = rng.chance(25) || need > combos.len() - series;
        // With one report year the previous years are extra files: they do not count (and there
        // is none before 2021, the first year of the 2021 format).
        let with_previous = match one_year {
            None => with_previous && need >= 2,
            Some(y) => with_previous && y > 2021,
        };
        let year = if with_previous {
            2022 + rng.weighted(&[20, 50, 30]) as i64
        } else {
            2021 + rng.weighted(&[10, 20, 45, 25]) as i64
        };
        let year = one_year.unwrap_or(year);
        // Where the files go: `previous/` beside the reports, or one folder per year.
        let (this_dir, prev_dir, seal_dir, seal_ref) = match one_year {
            None => (PathBuf::new(), PathBuf::from("previous"), PathBuf::new(), ""),
            Some(y) => {
                (PathBuf::from(y.to_string()), PathBuf::from((y - 1).to_string()), PathBuf::from("seals"), "../seals/")
            }
        };
        let sealed = rng.chance(30);
        let agency = format!("{}{}{}", region.prefecture, region.county, department.name);
        let id = credit_code(&region.code, &mut rng);
        let slug = format!("{}-{}", region.pinyin, department.key);
        let seal_name = format!("{slug}-seal.svg");
        if sealed {
            set.assets.push(SampleAsset { path: seal_dir.join(&seal_name), bytes: seal_svg(&agency).into_bytes() });
        }
        let profile = Style::draw(&mut rng, department);
        let mut ctx = Ctx { region, department, agency: &agency, id: &id, profile: &profile, avoid: HashSet::new() };

        let previous = if with_previous {
            let prev_tables = Tables::fresh(&mut rng, &profile, department);
            let seal = sealed.then(|| {
                if one_year.is_some() {
                    format!("{seal_ref}{seal_name}")
                } else {
                    format!("../{seal_name}")
                }
            });
            let prev = ctx.report(&mut rng, year - 1, &prev_tables, seal);
            // This year's text must not repeat last year's sentences (the `copied-sentence`
            // lint: 内容雷同 is a failure of the 2021 format).
            ctx.avoid = sentences_of(&prev);
            let path = prev_dir.join(format!("{slug}-{}.json", year - 1));
            set.reports.push(SampleReport { path: path.clone(), report: prev, previous: None });
            written += usize::from(one_year.is_none());
            Some((path, prev_tables))
        } else {
            None
        };
        let tables = match &previous {
            Some((_, prev)) => Tables::following(&mut rng, &profile, department, prev),
            None => Tables::fresh(&mut rng, &profile, department),
        };
        let seal =
            sealed.then(|| if one_year.is_some() { format!("{seal_ref}{seal_name}") } else { seal_name.clone() });
        let report = ctx.report(&mut rng, year, &tables, seal);
        set.reports.push(SampleReport {
            path: this_dir.join(format!("{slug}-{year}.json")),
            report,
            previous: previous.map(|(p, _)| p),
        });
        written += 1;
    }
    set
}

/// Write a sample set into `dir` (atomically, file by file).
pub fn write(set: &SampleSet, dir: &Path) -> Result<(), Diagnostic> {
    crate::output::ensure_dir(dir)?;
    for a in &set.assets {
        write_file(dir, &a.path, &a.bytes)?;
    }
    for r in &set.reports {
        write_file(dir, &r.path, crate::model::encode::to_string(&r.report).as_bytes())?;
    }
    Ok(())
}

fn write_file(dir: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        crate::output::ensure_dir(parent)?;
    }
    crate::output::write_atomic(&path, bytes)
}
