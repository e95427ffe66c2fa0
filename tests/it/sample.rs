//! `nianbao sample`: generated reports are valid (every rule, both years), decode back to what
//! was generated, print with the bundled fonts, vary in the ways tests and benchmarks need, and
//! are the same for the same seed.

use std::collections::BTreeSet;
use std::path::Path;

use nianbao::fonts::{Catalogue, FontOptions, FontPolicy, FontSet};
use nianbao::inspect::check_bytes;
use nianbao::model::encode;
use nianbao::model::tables::row;
use nianbao::profile::Profile;
use nianbao::resolve::resolve;
use nianbao::sample::{generate, SampleSet};

/// The reports of a set as (path, text, previous text).
fn texts(set: &SampleSet) -> Vec<(String, String, Option<String>)> {
    set.reports
        .iter()
        .map(|r| {
            let prev = r.previous.as_ref().map(|p| {
                let prev = set.reports.iter().find(|x| &x.path == p).expect("previous year is part of the set");
                encode::to_string(&prev.report)
            });
            (r.path.display().to_string(), encode::to_string(&r.report), prev)
        })
        .collect()
}

#[test]
fn every_sample_passes_every_rule_for_300_seeds() {
    let mut reports = 0;
    let mut with_previous = 0;
    for seed in 0..300u64 {
        let set = generate(7, seed);
        assert_eq!(set.reports.len(), 7, "seed {seed}");
        for (i, (path, text, prev)) in texts(&set).into_iter().enumerate() {
            let previous = prev.map(|p| {
                let c = check_bytes(p.as_bytes(), None);
                assert!(c.diagnostics.is_empty(), "seed {seed} previous of {path}: {:?}", c.diagnostics);
                c.report.expect("previous decodes")
            });
            with_previous += usize::from(previous.is_some());
            let checked = check_bytes(text.as_bytes(), previous.as_ref());
            // No error and no warning: dates within January, cross-year numbers carried over.
            assert!(checked.diagnostics.is_empty(), "seed {seed} {path}: {:?}", checked.diagnostics);
            assert_eq!(checked.report.as_ref(), Some(&set.reports[i].report), "seed {seed} {path} round-trips");
            reports += 1;
        }
    }
    assert_eq!(reports, 2100);
    assert!(with_previous > 100, "only {with_previous} reports were checked against a previous year");
}

#[test]
fn same_seed_same_files_other_seed_other_files() {
    let a = generate(60, 42);
    let b = generate(60, 42);
    let c = generate(60, 43);
    let ta: Vec<_> = texts(&a);
    assert_eq!(ta, texts(&b));
    assert_eq!(
        a.assets.iter().map(|x| (&x.path, &x.bytes)).collect::<Vec<_>>(),
        b.assets.iter().map(|x| (&x.path, &x.bytes)).collect::<Vec<_>>()
    );
    let tc = texts(&c);
    let same = ta.iter().filter(|x| tc.contains(x)).count();
    assert!(same < 3, "{same} of 60 reports identical for seeds 42 and 43");
}

#[test]
fn samples_vary_in_the_ways_a_batch_does() {
    let set = generate(200, 1);
    let reports: Vec<_> = set.reports.iter().map(|r| &r.report).collect();
    let agencies: BTreeSet<_> = reports.iter().map(|r| r.agency.as_str()).collect();
    let ids: BTreeSet<_> = reports.iter().map(|r| r.id.as_deref()).collect();
    let years: BTreeSet<_> = reports.iter().map(|r| r.year).collect();
    let provinces: BTreeSet<_> = reports.iter().map(|r| r.contact.postcode.as_deref().map(|p| &p[..2])).collect();
    assert!(agencies.len() >= 140, "{} agencies", agencies.len());
    assert_eq!(ids.len(), agencies.len(), "one id per agency");
    assert!(years.len() >= 3, "{years:?}");
    assert!(provinces.len() >= 10, "{} postcode areas", provinces.len());

    let sealed = reports.iter().filter(|r| r.signature.seal.is_some()).count();
    let previous = set.reports.iter().filter(|r| r.previous.is_some()).count();
    assert!((30..=100).contains(&sealed), "{sealed} sealed");
    assert!((15..=60).contains(&previous), "{previous} with a previous year");

    let paragraphs = |r: &nianbao::model::Report| {
        r.overview.paragraphs.len() + r.overview.subsections.iter().map(|s| s.paragraphs.len()).sum::<usize>()
    };
    let lengths: BTreeSet<usize> = reports.iter().map(|r| paragraphs(r)).collect();
    assert!(lengths.iter().min() <= Some(&5) && lengths.iter().max() >= Some(&12), "{lengths:?}");

    let received = |r: &nianbao::model::Report| r.applications.rows[row::NEW].cells.iter().sum::<u64>();
    assert!(reports.iter().any(|r| received(r) == 0), "some office received no application");
    assert!(reports.iter().any(|r| received(r) >= 100), "some office is busy");
    assert!(reports.iter().any(|r| r.applications.rows[row::NEW].total.is_some()), "some rows give their 总计");
    assert!(reports.iter().any(|r| r.applications.rows[row::NEW].total.is_none()), "some rows leave 总计 out");
    assert!(reports.iter().any(|r| r.applications.rows[row::RESULTS_TOTAL].given));
    assert!(reports.iter().any(|r| !r.applications.rows[row::RESULTS_TOTAL].given));
    assert!(reports.iter().any(|r| r.active_disclosure.fees.as_str() != "0"), "some fees");
    assert!(reports.iter().any(|r| r.active_disclosure.fees.as_str().contains('.')), "fees with decimals");
    assert!(reports.iter().any(|r| r.preamble.is_some()) && reports.iter().any(|r| r.preamble.is_none()));
    assert!(reports.iter().any(|r| r.contact.website_url.is_none()));
    assert!(reports.iter().any(|r| r.review_litigation.review.total.is_none()));
    assert!(reports.iter().any(|r| r.review_litigation.review.upheld > 0));
}

#[test]
fn every_character_prints_with_the_bundled_fonts() {
    let profile = Profile::builtin();
    let catalogue = Catalogue::discover(&FontOptions { font_paths: Vec::new(), policy: FontPolicy::Bundled }).unwrap();
    let fonts = FontSet::resolve(&catalogue, &profile).unwrap();
    for seed in [1u64, 2, 3] {
        for r in generate(300, seed).reports {
            let resolved = resolve(&r.report, None);
            if let Some(d) = nianbao::render::pdf::missing_glyphs(&resolved, &fonts) {
                panic!("seed {seed} {}: {}", r.path.display(), d.one_line());
            }
        }
    }
}

#[test]
fn written_set_has_reports_seals_and_previous_years_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let set = generate(40, 5);
    nianbao::sample::write(&set, dir.path()).unwrap();
    for r in &set.reports {
        let path = dir.path().join(&r.path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, encode::to_string(&r.report));
        if let Some(seal) = &r.report.signature.seal {
            // Relative to the report's own folder, as input-format.md says.
            let seal_path = path.parent().unwrap().join(seal);
            let img =
                nianbao::render::load_seal(&nianbao::resolve::Seal { written: seal.clone(), path: seal_path }).unwrap();
            assert!(img.width > 0.0 && img.bitmap().unwrap().len() > 1000, "{seal} rasterises");
            let svg = std::fs::read_to_string(dir.path().join(Path::new(seal).file_name().unwrap())).unwrap();
            assert!(svg.contains("<path") && !svg.contains("<text"), "seal lettering is outlines");
        }
        if let Some(prev) = &r.previous {
            assert!(prev.starts_with("previous"));
            let p = std::fs::read_to_string(dir.path().join(prev)).unwrap();
            let prev_report = nianbao::model::decode(&p).report.unwrap();
            assert_eq!(prev_report.id, r.report.id);
            assert_eq!(prev_report.year + 1, r.report.year);
            assert_eq!(
                prev_report.applications.rows[row::CARRIED_FORWARD].cells,
                r.report.applications.rows[row::CARRIED_OVER].cells
            );
        }
    }
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    assert!(files > 30);
}

#[test]
fn credit_codes_have_valid_check_characters() {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    for r in generate(100, 3).reports {
        let id = r.report.id.unwrap();
        assert_eq!(id.len(), 18, "{id}");
        let v: Vec<u32> = id.bytes().map(|c| CHARS.iter().position(|&x| x == c).unwrap() as u32).collect();
        let sum: u32 = v[..17].iter().zip(WEIGHTS).map(|(a, w)| a * w).sum();
        assert_eq!((31 - sum % 31) % 31, v[17], "{id}: GB 32100 check character");
        // The organisation code (characters 9–17) carries its own GB 11714 check digit.
        let org = &id.as_bytes()[8..17];
        let s: u32 = org[..8].iter().zip([3, 7, 9, 10, 5, 8, 4, 2]).map(|(&c, w)| u32::from(c - b'0') * w).sum();
        let c9 = match 11 - s % 11 {
            10 => b'X',
            11 => b'0',
            n => b'0' + n as u8,
        };
        assert_eq!(org[8], c9, "{id}: GB 11714 check digit");
    }
}

#[test]
fn one_report_year_is_a_county_batch_with_the_previous_years_apart() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["sample", "--count", "12", "--year", "2024", "--seed", "3", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json_in = |sub: &str| -> Vec<std::path::PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir.path().join(sub)) else { return Vec::new() };
        let mut v: Vec<_> =
            entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        v.sort();
        v
    };
    let (this, previous) = (json_in("2024"), json_in("2023"));
    // The count printed is the count written, all of the one year.
    assert_eq!(this.len(), 12);
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote 12 reports of 2024"));
    assert!(!previous.is_empty() && previous.len() < 12, "{}", previous.len());
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| e.unwrap().path().is_dir()), "nothing loose in DIR");
    for p in &this {
        let c = check_bytes(&std::fs::read(p).unwrap(), None);
        assert!(c.diagnostics.is_empty(), "{}: {:?}", p.display(), c.diagnostics);
        assert_eq!(c.report.unwrap().year, 2024);
    }
    // Each previous year anchors its successor's cross-year rules, and is a report of 2023.
    for p in &previous {
        let prev = nianbao::model::decode(&std::fs::read_to_string(p).unwrap()).report.unwrap();
        assert_eq!(prev.year, 2023);
        let name = p.file_name().unwrap().to_string_lossy().replace("-2023.json", "-2024.json");
        let now = std::fs::read(dir.path().join("2024").join(name)).unwrap();
        assert!(check_bytes(&now, Some(&prev)).diagnostics.is_empty());
    }
    // Seals (relative to each report) are found from both folders.
    for p in this.iter().chain(&previous) {
        let r = nianbao::model::decode(&std::fs::read_to_string(p).unwrap()).report.unwrap();
        if let Some(seal) = &r.signature.seal {
            assert!(p.parent().unwrap().join(seal).is_file(), "{}: {seal}", p.display());
        }
    }
    // More than there are agencies is refused.
    let too_many = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["sample", "--count", "100000", "--year", "2024", "-o"])
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(too_many.status.code(), Some(2));
}
