//! The input model: one 政府信息公开工作年度报告 as `docs/input-format.md` defines it.
//!
//! [`decode`] turns JSON text into a [`Report`] plus a [`SpanMap`] and every problem it found
//! (syntax, unknown or duplicate keys, wrong types, negative or fractional counts, rows of the
//! wrong length, missing fields). The types here hold exactly what the input said; defaults
//! (titles, preamble, totals) are filled in later by [`crate::resolve`].

pub mod decode;
pub mod encode;
pub mod schema;
pub mod tables;

use std::fmt;

pub use decode::{decode, Decoded};

use tables::TABLE3_ROWS;

/// The only format version this release reads (input-format.md, top level `format`).
pub const FORMAT_2021: &str = "2021";

/// The top-level keys of a report in input-format.md order, each with whether it is required:
/// the keys the decoder accepts and the schema's `required` list.
pub const TOP_LEVEL_KEYS: [(&str, bool); 15] = [
    ("format", true),
    ("agency", true),
    ("year", true),
    ("title", false),
    ("preamble", false),
    ("contact", true),
    ("overview", true),
    ("active_disclosure", true),
    ("applications", true),
    ("review_litigation", true),
    ("problems", true),
    ("other_matters", true),
    ("signature", true),
    ("headings", false),
    ("id", false),
];

/// A report exactly as written in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub format: String,
    pub agency: String,
    pub year: i64,
    pub title: Option<String>,
    pub preamble: Option<Vec<String>>,
    pub contact: Contact,
    pub overview: Section,
    pub active_disclosure: ActiveDisclosure,
    pub applications: Applications,
    pub review_litigation: ReviewLitigation,
    pub problems: Section,
    pub other_matters: Section,
    pub signature: Signature,
    pub headings: Headings,
    pub id: Option<String>,
}

impl Report {
    /// The three narrative sections in print order, with their keys (input-format.md).
    pub fn narrative(&self) -> [(&'static str, &Section); 3] {
        [("overview", &self.overview), ("problems", &self.problems), ("other_matters", &self.other_matters)]
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub office: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub website_name: Option<String>,
    pub website_url: Option<String>,
    pub email: Option<String>,
}

/// A narrative section: paragraphs, then numbered subsections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub paragraphs: Vec<String>,
    pub subsections: Vec<Subsection>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subsection {
    /// Written without its number; the resolver numbers （一）（二）….
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// One list of paragraphs of a [`Section`]: its own (before the subsections) or a subsection's.
#[derive(Debug, Clone, Copy)]
pub struct ParagraphList<'a> {
    /// The subsection and its index, for a subsection's paragraphs.
    pub subsection: Option<(usize, &'a Subsection)>,
    pub paragraphs: &'a [String],
}

impl ParagraphList<'_> {
    /// JSON path of the list below its section: `paragraphs` or `subsections[j].paragraphs`.
    pub fn path(&self) -> String {
        match self.subsection {
            None => "paragraphs".to_string(),
            Some((j, _)) => format!("subsections[{j}].paragraphs"),
        }
    }
}

impl Section {
    /// The paragraph lists in print order: the section's own, then each subsection's.
    pub fn paragraph_lists(&self) -> impl Iterator<Item = ParagraphList<'_>> {
        let own = ParagraphList { subsection: None, paragraphs: &self.paragraphs };
        let subs = self
            .subsections
            .iter()
            .enumerate()
            .map(|(j, sub)| ParagraphList { subsection: Some((j, sub)), paragraphs: &sub.paragraphs });
        std::iter::once(own).chain(subs)
    }

    /// Every paragraph in print order.
    pub fn all_paragraphs(&self) -> impl Iterator<Item = &String> {
        self.paragraph_lists().flat_map(|l| l.paragraphs)
    }

    /// Every paragraph in print order, to rewrite.
    pub fn all_paragraphs_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.paragraphs.iter_mut().chain(self.subsections.iter_mut().flat_map(|s| s.paragraphs.iter_mut()))
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    pub agency: Option<String>,
    /// ISO date as written (already validated as a real date by the decoder when it parsed).
    pub date: Option<chrono::NaiveDate>,
    pub seal: Option<String>,
}

/// Wording overrides of the six fixed headings (without their numbers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headings {
    pub overview: Option<String>,
    pub active_disclosure: Option<String>,
    pub applications: Option<String>,
    pub review_litigation: Option<String>,
    pub problems: Option<String>,
    pub other_matters: Option<String>,
}

impl Headings {
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "overview" => self.overview.as_deref(),
            "active_disclosure" => self.active_disclosure.as_deref(),
            "applications" => self.applications.as_deref(),
            "review_litigation" => self.review_litigation.as_deref(),
            "problems" => self.problems.as_deref(),
            "other_matters" => self.other_matters.as_deref(),
            _ => None,
        }
    }
}

/// A money amount kept as the decimal text the input wrote, so `12.50` prints `12.50`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount(String);

impl Amount {
    /// Accepts plain non-negative decimal notation only (`0`, `12.50`); the decoder reports
    /// anything else.
    pub fn parse(text: &str) -> Option<Amount> {
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.is_some_and(|f| !digits(f)) {
            return None;
        }
        Some(Amount(text.to_string()))
    }

    pub fn zero() -> Amount {
        Amount("0".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn to_decimal(&self) -> Option<rust_decimal::Decimal> {
        self.0.parse().ok()
    }
}

impl Default for Amount {
    fn default() -> Self {
        Amount::zero()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocCounts {
    pub issued: u64,
    pub repealed: u64,
    pub in_force: u64,
}

impl DocCounts {
    pub fn get(&self, key: &str) -> u64 {
        match key {
            "issued" => self.issued,
            "repealed" => self.repealed,
            _ => self.in_force,
        }
    }
}

/// Table 二 (input-format.md, `active_disclosure`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActiveDisclosure {
    pub regulations: DocCounts,
    pub normative_documents: DocCounts,
    pub licensing: u64,
    pub penalty: u64,
    pub coercion: u64,
    pub fees: Amount,
}

impl ActiveDisclosure {
    /// The printed value of a one-number row of [`tables::TABLE2_VALUE_ROWS`] (`fees` as written).
    pub fn value_text(&self, key: &str) -> String {
        match key {
            "licensing" => self.licensing.to_string(),
            "penalty" => self.penalty.to_string(),
            "coercion" => self.coercion.to_string(),
            _ => self.fees.as_str().to_string(),
        }
    }

    pub fn doc_row(&self, key: &str) -> &DocCounts {
        if key == "regulations" {
            &self.regulations
        } else {
            &self.normative_documents
        }
    }
}

/// One row of table 三: six counts and the 总计 the input gave, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    pub cells: [u64; 6],
    pub total: Option<u64>,
    /// Whether the row appeared in the input at all (matters for the optional `results.total`).
    pub given: bool,
}

impl Row {
    pub fn new(cells: [u64; 6]) -> Row {
        Row { cells, total: None, given: true }
    }

    /// Sum of the six cells, or `None` when it does not fit in 64 bits.
    pub fn sum(&self) -> Option<u64> {
        self.cells.iter().try_fold(0u64, |acc, &c| acc.checked_add(c))
    }
}

/// Table 三, its 25 rows in [`TABLE3_ROWS`] order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applications {
    pub rows: [Row; 25],
}

impl Applications {
    pub fn row(&self, key: &str) -> Option<&Row> {
        TABLE3_ROWS.iter().position(|r| r.key == key).map(|i| &self.rows[i])
    }
}

/// One group of table 四.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseGroup {
    pub upheld: u64,
    pub corrected: u64,
    pub other: u64,
    pub pending: u64,
    pub total: Option<u64>,
}

impl CaseGroup {
    pub fn sum(&self) -> Option<u64> {
        [self.corrected, self.other, self.pending].iter().try_fold(self.upheld, |a, &b| a.checked_add(b))
    }

    pub fn get(&self, key: &str) -> Option<u64> {
        match key {
            "upheld" => Some(self.upheld),
            "corrected" => Some(self.corrected),
            "other" => Some(self.other),
            "pending" => Some(self.pending),
            _ => self.total,
        }
    }
}

/// Table 四 (input-format.md, `review_litigation`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewLitigation {
    pub review: CaseGroup,
    pub litigation_direct: CaseGroup,
    pub litigation_after_review: CaseGroup,
}

impl ReviewLitigation {
    pub fn group(&self, key: &str) -> &CaseGroup {
        match key {
            "review" => &self.review,
            "litigation_direct" => &self.litigation_direct,
            _ => &self.litigation_after_review,
        }
    }

    pub fn group_mut(&mut self, key: &str) -> &mut CaseGroup {
        match key {
            "review" => &mut self.review,
            "litigation_direct" => &mut self.litigation_direct,
            _ => &mut self.litigation_after_review,
        }
    }
}
