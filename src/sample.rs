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
//! the program); this module owns how reports are made of them. All names, numbers, addresses
//! and telephone numbers are invented for demonstration; region names are real places so that
//! the text reads naturally.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::model::tables::{row, Outcome, APPLICANTS, TABLE3_ROWS};
use crate::model::{
    ActiveDisclosure, Amount, Applications, CaseGroup, Contact, DocCounts, Headings, Report, ReviewLitigation, Row,
    Section, Signature, Subsection, FORMAT_2021,
};

/// SplitMix64: tiny, fast, and identical everywhere (no platform or crate-version drift).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for `(seed, stream)`.
    pub fn derive(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// `k` distinct items, in a random order.
    pub fn choose<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        self.shuffle(&mut idx);
        idx.into_iter().take(k).map(|i| &items[i]).collect()
    }

    /// Index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// The places, departments and sentences the sample reports are made of
/// (`src/sample/material.toml`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Material {
    regions: Vec<Region>,
    departments: Vec<Department>,
    text: Text,
}

/// A county-level area: `prefecture`, its `county` (区/县/市), the pinyin used in file names and
/// web addresses, the administrative division code, telephone area code and postcode.
#[derive(Deserialize)]
struct Region {
    prefecture: String,
    county: String,
    pinyin: String,
    code: String,
    area: String,
    postcode: String,
}

/// How busy a kind of office is: ranges for licensing, penalty, coercion decisions and new
/// applications, and whether it issues normative documents at all.
#[derive(Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct Load {
    licensing: (u64, u64),
    penalty: (u64, u64),
    coercion: (u64, u64),
    applications: (u64, u64),
    documents: (u64, u64),
}

/// A department: its name after the county, a file-name key, its workload and the subjects its
/// reports talk about (主动公开 topics, 依申请 topics).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Department {
    name: String,
    key: String,
    load: Load,
    topics: Vec<String>,
    requests: Vec<String>,
}

/// The sentence pools of the narrative sections (`{topic}`, `{county}` and `{n}` are filled in).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    streets: Vec<String>,
    openings: Vec<String>,
    problems: Vec<String>,
    improvements: Vec<String>,
    /// Last year's problems a long report says were rectified, and the measures taken.
    rectified: Vec<String>,
    measures: Vec<String>,
    innovation: Vec<String>,
    /// The overview's subsections, in print order.
    subsections: Vec<Pool>,
}

/// An overview subsection: its title and the sentences its paragraphs are drawn from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pool {
    title: String,
    sentences: Vec<String>,
}

/// The material, read once. It is part of the program, not input: a unit test reads it.
fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        toml::from_str(include_str!("sample/material.toml"))
            .unwrap_or_else(|e| unreachable!("the bundled sample material is read by a unit test: {e}"))
    })
}

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

/// A 统一社会信用代码 (GB 32100-2015) of a government organ (登记管理部门 1 机构编制, 类别 1
/// 机关) in the given division, with a valid organisation-code check digit (GB 11714) and a
/// valid final check character.
pub fn credit_code(division: &str, rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body: Vec<u8> = std::iter::once(b'0').chain((0..7).map(|_| b'0' + rng.below(10) as u8)).collect();
    let weights = [3u32, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body.iter().zip(weights).map(|(&c, w)| u32::from(c - b'0') * w).sum();
    let c9 = match 11 - s % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    };
    let mut code: Vec<u8> = b"11".iter().chain(division.as_bytes()).chain(&body).copied().collect();
    code.push(c9);
    let mut sum = 0u32;
    let mut w = 1u32;
    for &c in &code {
        let v = CHARS.iter().position(|&x| x == c).unwrap_or(0) as u32;
        sum += v * w;
        w = w * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    code.push(CHARS[check as usize]);
    String::from_utf8_lossy(&code).into_owned()
}

/// A generated official seal as SVG: a red ring, the agency's name along the upper arc and a
/// five-pointed star. The name is drawn as glyph outlines of the bundled FandolSong (vector
/// paths, no `<text>`), so the PDF (Typst) and the DOCX (rasterised) show the same image
/// whatever fonts the machine has.
pub fn seal_svg(agency: &str) -> String {
    const RED: &str = "#d7141a";
    let (cx, cy) = (100.0f64, 100.0f64);
    let star: Vec<String> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { 26.0 } else { 10.0 };
            let a = std::f64::consts::PI * (i as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
            format!("{:.2},{:.2}", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let mut out = String::new();
    out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">"#);
    out.push('\n');
    out.push_str(&format!(r#"<circle cx="100" cy="100" r="94" fill="none" stroke="{RED}" stroke-width="6"/>"#));
    out.push('\n');
    out.push_str(&format!(r#"<polygon points="{}" fill="{RED}"/>"#, star.join(" ")));
    out.push('\n');
    out.push_str(&seal_name(agency, cx, cy, RED));
    out.push_str("</svg>\n");
    out
}

/// The agency name along the upper arc, each character upright towards the rim.
fn seal_name(agency: &str, cx: f64, cy: f64, colour: &str) -> String {
    let Some(face) = seal_face() else { return String::new() };
    let chars: Vec<char> = agency.chars().collect();
    let n = chars.len().max(1) as f64;
    // The name spans up to 250° of the rim; the glyph size follows from the arc per character.
    let span = (n * 20.0).min(250.0).to_radians();
    let baseline = 58.0;
    let step = if chars.len() > 1 { span / (n - 1.0) } else { 0.0 };
    let height = (baseline * step * 1.05).clamp(14.0, 30.0);
    let units = f64::from(face.units_per_em());
    let sy = height / units;
    let sx = sy * 0.78;
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(glyph) = face.glyph_index(c) else { continue };
        let mut path = SvgPath(String::new());
        if face.outline_glyph(glyph, &mut path).is_none() {
            continue;
        }
        let advance = face.glyph_hor_advance(glyph).map(f64::from).unwrap_or(units);
        let phi = -std::f64::consts::FRAC_PI_2 - span / 2.0 + step * i as f64;
        let (px, py) = (cx + baseline * phi.cos(), cy + baseline * phi.sin());
        out.push_str(&format!(
            "<path fill=\"{colour}\" transform=\"translate({px:.2} {py:.2}) rotate({:.2}) scale({sx:.5} {:.5}) translate({:.1} 0)\" d=\"{}\"/>\n",
            phi.to_degrees() + 90.0,
            -sy,
            -advance / 2.0,
            path.0.trim_end()
        ));
    }
    out
}

/// FandolSong Regular (bundled) for the seal lettering.
fn seal_face() -> Option<ttf_parser::Face<'static>> {
    let (_, data) = crate::fonts::bundled_files().find(|(name, _)| *name == "FandolSong-Regular.otf")?;
    ttf_parser::Face::parse(data, 0).ok()
}

/// Glyph outline → SVG path data, in font units.
struct SvgPath(String);

impl ttf_parser::OutlineBuilder for SvgPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("M{x} {y} "));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("L{x} {y} "));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push_str(&format!("Q{x1} {y1} {x} {y} "));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push_str(&format!("C{x1} {y1} {x2} {y2} {x} {y} "));
    }
    fn close(&mut self) {
        self.0.push_str("Z ");
    }
}

/// Per-series choices that both years of an agency share (an office writes alike every year).
struct Style {
    /// 0 short, 1 medium, 2 long.
    length: usize,
    /// Scale of the office's workload, percent of its kind's range.
    busy: u64,
    row_totals: bool,
    results_total: bool,
    table4_totals: bool,
    custom_preamble: bool,
    signature_agency: bool,
    website: bool,
    fax: bool,
    email: bool,
    address: bool,
    fees: bool,
}

impl Style {
    fn draw(rng: &mut Rng, d: &Department) -> Style {
        Style {
            length: rng.weighted(&[30, 50, 20]),
            busy: rng.range(5, 100),
            row_totals: rng.chance(40),
            results_total: rng.chance(60),
            table4_totals: rng.chance(80),
            custom_preamble: rng.chance(15),
            signature_agency: rng.chance(50),
            website: rng.chance(85),
            fax: rng.chance(35),
            email: rng.chance(60),
            address: rng.chance(80),
            fees: d.load.licensing.1 > 0 && rng.chance(20),
        }
    }
}

/// The numbers of one year.
#[derive(Clone)]
struct Tables {
    regulations: DocCounts,
    normative: DocCounts,
    licensing: u64,
    penalty: u64,
    coercion: u64,
    fees: Amount,
    new: [u64; APPLICANTS],
    carried_over: [u64; APPLICANTS],
    /// The 21 result rows, in TABLE3_ROWS order from RESULTS_FIRST.
    results: [[u64; APPLICANTS]; row::RESULT_ROWS],
    carried_forward: [u64; APPLICANTS],
    t4: [CaseGroup; 3],
}

/// Relative weight of each result row (予以公开 … 其他) in a typical office.
const RESULT_WEIGHTS: [u64; 21] = [40, 10, 1, 2, 1, 4, 2, 3, 2, 3, 20, 4, 3, 5, 3, 1, 1, 2, 3, 1, 2];
/// Share of each applicant column in new applications.
const APPLICANT_WEIGHTS: [u64; APPLICANTS] = [75, 14, 1, 2, 5, 3];

fn scaled(rng: &mut Rng, (lo, hi): (u64, u64), busy: u64) -> u64 {
    if hi == 0 {
        return 0;
    }
    let top = lo + (hi - lo) * busy / 100;
    rng.range(lo, top.max(lo))
}

impl Tables {
    /// A year with no known predecessor.
    fn fresh(rng: &mut Rng, p: &Style, d: &Department) -> Tables {
        let carried_over = if rng.chance(60) {
            [0; 6]
        } else {
            let n = rng.range(1, 6);
            spread(rng, n, &APPLICANT_WEIGHTS)
        };
        let in_force = |rng: &mut Rng, max: u64| if max == 0 { 0 } else { rng.range(0, max * 4) };
        let regulations = DocCounts { issued: 0, repealed: 0, in_force: 0 };
        let normative = DocCounts { issued: 0, repealed: 0, in_force: in_force(rng, d.load.documents.1) };
        Tables::year(rng, p, d, carried_over, regulations, normative)
    }

    /// The year after `prev`: carried over what it carried forward, documents in force follow.
    fn following(rng: &mut Rng, p: &Style, d: &Department, prev: &Tables) -> Tables {
        Tables::year(rng, p, d, prev.carried_forward, prev.regulations, prev.normative)
    }

    fn year(
        rng: &mut Rng,
        p: &Style,
        d: &Department,
        carried_over: [u64; APPLICANTS],
        regulations_before: DocCounts,
        normative_before: DocCounts,
    ) -> Tables {
        let l = d.load;
        let docs = |rng: &mut Rng, before: DocCounts, max: u64| {
            let issued = if max == 0 { 0 } else { scaled(rng, l.documents, p.busy) };
            let repealed = rng.range(0, before.in_force.min(3));
            DocCounts { issued, repealed, in_force: before.in_force + issued - repealed }
        };
        let regulations = docs(rng, regulations_before, 0);
        let normative = docs(rng, normative_before, l.documents.1);
        let fees = if p.fees && rng.chance(70) {
            let cents = rng.range(50, 250_000);
            let text = match rng.below(3) {
                0 => format!("{}.{:02}", cents / 100, cents % 100),
                1 => format!("{}.{}", cents / 100, cents % 100 / 10),
                _ => (cents / 100).to_string(),
            };
            Amount::parse(&text).unwrap_or_default()
        } else {
            Amount::zero()
        };
        let new_total = if rng.chance(8) { 0 } else { scaled(rng, l.applications, p.busy) };
        let new = spread(rng, new_total, &APPLICANT_WEIGHTS);
        let mut results = [[0u64; 6]; 21];
        let mut carried_forward = [0u64; 6];
        // Per column: everything received is either decided this year or carried forward
        // (rule 1); a few pending cases, the rest spread over the result rows.
        let weights: Vec<u64> = RESULT_WEIGHTS.iter().map(|&w| if rng.chance(25) { 0 } else { w }).collect();
        let weights = if weights.iter().all(|&w| w == 0) { RESULT_WEIGHTS.to_vec() } else { weights };
        for c in 0..APPLICANTS {
            let available = new[c] + carried_over[c];
            let forward = if available == 0 || rng.chance(50) { 0 } else { rng.range(0, available.div_ceil(8)) };
            carried_forward[c] = forward;
            for _ in 0..available - forward {
                results[rng.weighted(&weights)][c] += 1;
            }
        }
        let case = |rng: &mut Rng, max: u64| {
            let n = if max == 0 || rng.chance(55) { 0 } else { rng.range(1, max) };
            let parts = spread(rng, n, &[50, 15, 15, 20, 0, 0]);
            CaseGroup {
                upheld: parts[0],
                corrected: parts[1],
                other: parts[2],
                pending: parts[3],
                total: p.table4_totals.then_some(n),
            }
        };
        let busy_cases = (new_total / 15).clamp(1, 12);
        let t4 = [case(rng, busy_cases), case(rng, busy_cases / 2 + 1), case(rng, busy_cases / 3 + 1)];
        Tables {
            regulations,
            normative,
            licensing: scaled(rng, l.licensing, p.busy),
            penalty: scaled(rng, l.penalty, p.busy),
            coercion: scaled(rng, l.coercion, p.busy),
            fees,
            new,
            carried_over,
            results,
            carried_forward,
            t4,
        }
    }

    /// The sum of the six cells of result row `i` (an index in `TABLE3_ROWS`).
    fn result_row_sum(&self, i: usize) -> u64 {
        self.results[i - row::RESULTS_FIRST].iter().sum()
    }

    fn applications(&self, p: &Style) -> Applications {
        let mut a = Applications::default();
        let mk = |cells: [u64; APPLICANTS]| Row { cells, total: p.row_totals.then(|| cells.iter().sum()), given: true };
        a.rows[row::NEW] = mk(self.new);
        a.rows[row::CARRIED_OVER] = mk(self.carried_over);
        for (i, cells) in self.results.iter().enumerate() {
            a.rows[row::RESULTS_FIRST + i] = mk(*cells);
        }
        let mut total = [0u64; 6];
        for r in &self.results {
            for (t, v) in total.iter_mut().zip(r) {
                *t += v;
            }
        }
        a.rows[row::RESULTS_TOTAL] = if p.results_total { mk(total) } else { Row::default() };
        a.rows[row::CARRIED_FORWARD] = mk(self.carried_forward);
        debug_assert_eq!(TABLE3_ROWS.len(), a.rows.len());
        a
    }
}

/// Split `n` into six parts with the given weights.
fn spread(rng: &mut Rng, n: u64, weights: &[u64; APPLICANTS]) -> [u64; APPLICANTS] {
    let mut out = [0u64; 6];
    for _ in 0..n {
        out[rng.weighted(weights)] += 1;
    }
    out
}

/// Every sentence (up to 。！？) of a report's paragraphs.
fn sentences_of(r: &Report) -> HashSet<String> {
    let narrative = r.narrative().into_iter().flat_map(|(_, s)| s.all_paragraphs());
    r.preamble.iter().flatten().chain(narrative).flat_map(|p| split_sentences(p)).collect()
}

fn split_sentences(p: &str) -> Vec<String> {
    p.split_inclusive(['。', '！', '？']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

struct Ctx<'a> {
    /// Sentences of the previous year's report, not to be written again.
    avoid: HashSet<String>,
    region: &'a Region,
    department: &'a Department,
    agency: &'a str,
    id: &'a str,
    profile: &'a Style,
}

impl Ctx<'_> {
    fn county_gov(&self) -> String {
        format!("{}{}人民政府", self.region.prefecture, self.region.county)
    }

    fn report(&self, rng: &mut Rng, year: i64, t: &Tables, seal: Option<String>) -> Report {
        let p = self.profile;
        let r = self.region;
        let office = if self.agency.ends_with("办公室") {
            format!("{}政务公开科", self.agency)
        } else if rng.chance(80) {
            format!("{}办公室", self.agency)
        } else {
            format!("{}政务公开办公室", self.agency)
        };
        let phone = format!(
            "{}-{}",
            r.area,
            rng.range(
                if r.area.len() == 3 { 10_000_000 } else { 2_000_000 },
                if r.area.len() == 3 { 89_999_999 } else { 8_999_999 }
            )
        );
        let contact = Contact {
            office,
            address: p.address.then(|| {
                format!("{}{}{}", r.prefecture, r.county, rng.pick(&material().text.streets))
                    + &format!("{}号", rng.range(1, 288))
            }),
            postcode: p.address.then(|| r.postcode.to_string()),
            phone: Some(phone.clone()),
            fax: p.fax.then(|| {
                format!(
                    "{}-{}",
                    r.area,
                    phone.split('-').nth(1).map(|n| n.parse::<u64>().unwrap_or(0) + 1).unwrap_or(0)
                )
            }),
            website_name: p.website.then(|| self.county_gov()),
            website_url: p.website.then(|| format!("http://www.{}.gov.cn", r.pinyin)),
            email: p.email.then(|| {
                format!(
                    "{}{}@{}.gov.cn",
                    r.pinyin.chars().take(2).collect::<String>(),
                    self.department.key.replace('-', ""),
                    r.pinyin
                )
            }),
        };
        let applications = t.applications(p);
        let a = ActiveDisclosure {
            regulations: t.regulations,
            normative_documents: t.normative,
            licensing: t.licensing,
            penalty: t.penalty,
            coercion: t.coercion,
            fees: t.fees.clone(),
        };
        let day = rng.range(5, 31) as u32;
        let date = NaiveDate::from_ymd_opt(year as i32 + 1, 1, day);
        let preamble = p.custom_preamble.then(|| self.preamble(year, &contact));
        let mut report = Report {
            format: FORMAT_2021.to_string(),
            agency: self.agency.to_string(),
            year,
            title: None,
            preamble,
            contact,
            overview: self.overview(rng, year, t),
            active_disclosure: a,
            applications,
            review_litigation: ReviewLitigation {
                review: t.t4[0],
                litigation_direct: t.t4[1],
                litigation_after_review: t.t4[2],
            },
            problems: self.problems(rng, year),
            other_matters: self.other_matters(rng, year, t),
            signature: Signature { agency: p.signature_agency.then(|| self.agency.to_string()), date, seal },
            headings: Headings::default(),
            id: Some(self.id.to_string()),
        };
        self.reword(&mut report, year);
        report
    }

    /// Make sure no sentence repeats last year's: a repeated sentence is joined to its
    /// neighbour (a sentence of a single-sentence paragraph gets the year in front).
    fn reword(&self, r: &mut Report, year: i64) {
        if self.avoid.is_empty() {
            return;
        }
        let fix = |p: &mut String| {
            let mut parts = split_sentences(p);
            while let Some(i) = parts.iter().position(|x| self.avoid.contains(x)) {
                if parts.len() == 1 {
                    parts[0] = format!("{year}年度，{}", parts[0]);
                    continue;
                }
                let (a, b) = if i > 0 { (i - 1, i) } else { (0, 1) };
                let second = parts.remove(b);
                let first = &mut parts[a];
                let cut = first.trim_end_matches(['。', '！', '？']).len();
                first.truncate(cut);
                first.push('，');
                first.push_str(&second);
            }
            *p = parts.concat();
        };
        for p in r.preamble.iter_mut().flatten() {
            fix(p);
        }
        for s in [&mut r.overview, &mut r.problems, &mut r.other_matters] {
            s.all_paragraphs_mut().for_each(fix);
        }
    }

    fn preamble(&self, year: i64, c: &Contact) -> Vec<String> {
        let mut v = vec![format!(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{}{year}年度政府信息公开工作年度报告。",
            self.agency
        )];
        v.push(format!(
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ));
        let mut last = format!("{year}年度报告");
        if let (Some(n), Some(u)) = (&c.website_name, &c.website_url) {
            last.push_str(&format!("电子版可在“{n}”门户网站（{u}）查阅或下载，"));
        }
        last.push_str(&format!("如有疑问，请与{}联系", c.office));
        if let Some(ph) = &c.phone {
            last.push_str(&format!("（电话：{ph}）"));
        }
        last.push('。');
        v.push(last);
        v
    }

    fn overview(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
        let d = self.department;
        let topics = rng.choose(&d.topics, 2);
        let opening = rng.pick(&material().text.openings);
        let intro = format!(
            "{year}年，{}{}，围绕{}、{}等重点工作，持续推进决策、执行、管理、服务、结果公开，以公开促落实、以公开强监管、以公开优服务，政府信息公开工作取得新成效。",
            self.agency, opening, topics[0], topics[1]
        );
        let per_sub = match self.profile.length {
            0 => (1, 1),
            1 => (1, 2),
            _ => (2, 4),
        };
        let mut subsections = Vec::new();
        let count = match self.profile.length {
            0 => 3,
            1 => 5,
            _ => 5,
        };
        for (k, pool) in material().text.subsections.iter().take(count).enumerate() {
            let n = rng.range(per_sub.0, per_sub.1) as usize;
            let mut paragraphs = Vec::new();
            match k {
                0 => {
                    paragraphs.push(self.active_paragraph(rng, year, t));
                    paragraphs.push(self.documents_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, &pool.sentences, n - 1));
                }
                1 => {
                    paragraphs.push(self.requests_paragraph(rng, year, t));
                    paragraphs.extend(self.fillers(rng, &pool.sentences, n - 1));
                }
                _ => paragraphs.extend(self.fillers(rng, &pool.sentences, n)),
            }
            subsections.push(Subsection { title: pool.title.clone(), paragraphs });
        }
        Section { paragraphs: vec![intro], subsections }
    }

    fn active_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let d = self.department;
        let items = rng.range(40, 400) + t.licensing.min(2000) / 10;
        let topic = rng.pick(&d.topics);
        let mut s = format!(
            "{year}年通过{}门户网站本单位信息公开专栏主动公开政府信息{items}条，主要包括工作动态、通知公告、政策文件及解读、{topic}、财政预决算等信息。",
            self.region.county
        );
        if t.licensing + t.penalty + t.coercion > 0 {
            s.pop();
            s.push_str(&format!(
                "；依法公开行政许可决定{}件、行政处罚决定{}件、行政强制决定{}件，均在作出决定之日起7个工作日内上网公示。",
                t.licensing, t.penalty, t.coercion
            ));
        }
        s
    }

    fn documents_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let n = t.normative;
        let topic = rng.pick(&self.department.topics);
        if n.issued == 0 && n.repealed == 0 {
            return format!(
                "{year}年未制发行政规范性文件，截至{year}年底现行有效的行政规范性文件{}件，均已在政府门户网站规范性文件库集中公开。{year}年围绕{topic}等群众关注事项，发布政策解读{}篇。",
                n.in_force,
                rng.range(1, 12)
            );
        }
        let mut s = if n.issued > 0 {
            format!("围绕{topic}等事项，制发行政规范性文件{}件，同步发布政策解读{}篇；", n.issued, n.issued)
        } else {
            format!("{year}年未制发行政规范性文件；")
        };
        if n.repealed > 0 {
            s.push_str(&format!("按程序废止不再适用的行政规范性文件{}件，", n.repealed));
        }
        s.push_str(&format!("截至{year}年底现行有效的行政规范性文件{}件。", n.in_force));
        s
    }

    fn requests_paragraph(&self, rng: &mut Rng, year: i64, t: &Tables) -> String {
        let new: u64 = t.new.iter().sum();
        let over: u64 = t.carried_over.iter().sum();
        let fwd: u64 = t.carried_forward.iter().sum();
        if new == 0 && over == 0 {
            return format!("{year}年，本单位未收到政府信息公开申请，无上年结转申请。");
        }
        let topics = rng.choose(&self.department.requests, 2.min(self.department.requests.len()));
        let names: Vec<&str> = topics.into_iter().map(String::as_str).collect();
        let mut s = format!(
            "{year}年本单位新收政府信息公开申请{new}件，其中自然人申请{}件，法人或其他组织申请{}件",
            t.new[0],
            new - t.new[0]
        );
        if over > 0 {
            s.push_str(&format!("；另有上年结转申请{over}件"));
        }
        s.push_str(&format!("，申请内容主要涉及{}等方面。", names.join("、")));
        let groups = Outcome::ALL.map(|o| (o.word(), o.rows().into_iter().map(|i| t.result_row_sum(i)).sum::<u64>()));
        let done: u64 = groups.iter().map(|(_, n)| n).sum();
        let parts: Vec<String> = groups.iter().filter(|(_, n)| *n > 0).map(|(l, n)| format!("{l}{n}件")).collect();
        s.push_str(&format!("截至{year}年底办结申请{done}件"));
        if !parts.is_empty() {
            s.push_str(&format!("，其中{}", parts.join("、")));
        }
        s.push_str("，均在法定期限内答复");
        if fwd > 0 {
            s.push_str(&format!("；结转下年度继续办理{fwd}件"));
        }
        s.push('。');
        s
    }

    /// Up to `paragraphs` paragraphs of two to three sentences from `pool`, no sentence twice
    /// and at most half of the pool, so that the next year still finds sentences it has not
    /// used.
    fn fillers(&self, rng: &mut Rng, pool: &[String], paragraphs: usize) -> Vec<String> {
        let topic = rng.pick(&self.department.topics).as_str();
        let mut order: Vec<&str> = pool.iter().map(String::as_str).collect();
        rng.shuffle(&mut order);
        let mut budget = pool.len().div_ceil(2);
        let mut sentences = order.into_iter();
        let mut out = Vec::new();
        for _ in 0..paragraphs {
            if budget == 0 {
                break;
            }
            let n = (rng.range(2, 3) as usize).min(budget);
            let mut p = String::new();
            let mut taken = 0;
            for s in sentences.by_ref() {
                let s = s.replace("{topic}", topic).replace("{county}", &self.region.county);
                let s = s.replace("{n}", &rng.range(2, 30).to_string());
                if self.avoid.contains(&s) {
                    continue;
                }
                p.push_str(&s);
                taken += 1;
                budget -= 1;
                if taken == n {
                    break;
                }
            }
            if p.is_empty() {
                break;
            }
            out.push(p);
        }
        out
    }

    fn problems(&self, rng: &mut Rng, year: i64) -> Section {
        let k = match self.profile.length {
            0 => 2,
            1 => 3,
            _ => rng.range(3, 4) as usize,
        };
        let text = &material().text;
        let ordinals = ["一是", "二是", "三是", "四是"];
        let probs: Vec<String> =
            rng.choose(&text.problems, k).iter().enumerate().map(|(i, p)| format!("{}{}", ordinals[i], p)).collect();
        let fixes: Vec<String> = rng
            .choose(&text.improvements, k)
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let topic = rng.pick(&self.department.topics);
                format!("{}{}", ordinals[i], p.replace("{topic}", topic))
            })
            .collect();
        let mut paragraphs = vec![
            format!(
                "{year}年，本单位政府信息公开工作取得一定成效，但对照上级要求和群众期盼，仍存在一些不足：{}。",
                probs.join("；")
            ),
            format!("针对上述问题，{}年将重点做好以下工作：{}。", year + 1, fixes.join("；")),
        ];
        if self.profile.length > 0 {
            paragraphs.push(format!(
                "上年度问题整改情况：针对{}年度报告中提出的{}问题，本年度{}，相关问题已整改到位。",
                year - 1,
                rng.pick(&text.rectified),
                rng.pick(&text.measures)
            ));
        }
        Section { paragraphs, subsections: Vec::new() }
    }

    fn other_matters(&self, rng: &mut Rng, year: i64, t: &Tables) -> Section {
        let fee_text = if rng.chance(85) {
            format!("{year}年本单位未收取信息处理费。")
        } else {
            format!("{year}年本单位依据《政府信息公开信息处理费管理办法》向{}名申请人发出收费通知，全年实际收取信息处理费0元。", rng.range(1, 3))
        };
        if self.profile.length == 0 {
            return Section { paragraphs: vec![fee_text], subsections: Vec::new() };
        }
        let mut subsections =
            vec![Subsection { title: "信息处理费收取情况".into(), paragraphs: vec![fee_text] }];
        let (a, b) = (rng.range(0, 15), rng.range(0, 20));
        subsections.push(Subsection {
            title: "人大代表建议和政协委员提案办理情况".into(),
            paragraphs: vec![if a + b == 0 {
                format!("{year}年，本单位未承办人大代表建议和政协委员提案。")
            } else {
                format!("{year}年，本单位承办人大代表建议{a}件、政协委员提案{b}件，均按期办结，办结率100%。办理复文在征得代表委员同意后已按规定公开。")
            }],
        });
        subsections.push(Subsection {
            title: "落实年度政务公开工作要点情况".into(),
            paragraphs: vec![format!(
                "对照{}{year}年政务公开工作要点，本单位围绕{}等重点领域细化任务分工，全部完成年度目标任务。",
                self.county_gov(),
                rng.pick(&self.department.topics)
            )],
        });
        if self.profile.length == 2 && t.licensing > 0 {
            subsections.push(Subsection {
                title: "年度政务公开工作创新情况".into(),
                paragraphs: self.fillers(rng, &material().text.innovation, 1),
            });
        }
        Section { paragraphs: Vec::new(), subsections }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_code_has_valid_check_characters() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let c = credit_code("371302", &mut rng);
            assert_eq!(c.len(), 18);
            assert!(c.starts_with("11371302"));
        }
        // A published code (国家市场监督管理总局 style example) verified by hand: the check
        // character of 91350100M000100Y4 is 3.
        const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let body = b"91350100M000100Y4";
        let mut sum = 0u32;
        let mut w = 1u32;
        for &c in body {
            sum += CHARS.iter().position(|&x| x == c).unwrap() as u32 * w;
            w = w * 3 % 31;
        }
        assert_eq!(CHARS[((31 - sum % 31) % 31) as usize], b'3');
    }

    #[test]
    fn material_has_what_the_generator_draws_on() {
        let m = material();
        assert!(!m.regions.is_empty() && !m.departments.is_empty());
        for r in &m.regions {
            assert!(r.code.len() == 6 && r.code.bytes().all(|b| b.is_ascii_digit()), "{}", r.county);
            assert!(matches!(r.area.len(), 3 | 4) && r.postcode.len() == 6, "{}", r.county);
        }
        let mut keys = HashSet::new();
        for d in &m.departments {
            assert!(keys.insert(d.key.as_str()), "department key {} twice", d.key);
            // The overview names two topics; the request paragraph at least one subject.
            assert!(d.topics.len() >= 2 && !d.requests.is_empty(), "{}", d.name);
            let l = d.load;
            for (lo, hi) in [l.licensing, l.penalty, l.coercion, l.applications, l.documents] {
                assert!(lo <= hi, "{}: load range {lo}..{hi}", d.name);
            }
        }
        let t = &m.text;
        // A long report has five overview subsections and up to four problems with their fixes.
        assert_eq!(t.subsections.len(), 5);
        assert!(t.subsections.iter().all(|s| !s.title.is_empty() && s.sentences.len() >= 2));
        assert!(t.problems.len() >= 4 && t.improvements.len() >= 4);
        for pool in [&t.streets, &t.openings, &t.rectified, &t.measures, &t.innovation] {
            assert!(!pool.is_empty());
        }
    }

    #[test]
    fn prng_is_stable() {
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    }
}
