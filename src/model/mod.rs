//! The input model: one 政府信息公开工作年度报告 as `docs/input-format.md` defines it.
//!
//! [`decode`] turns JSON text into a [`Report`] plus a [`SpanMap`] and every problem it found
//! (syntax, unknown or duplicate keys, wrong types, negative or fractional counts, rows of the
//! wrong length, missing fields). The types here hold exactly what the input said; defaults
//! (titles, preamble, totals) are filled in later by [`crate::resolve`].

pub mod decode;
pub mod encode;
pub mod printed;
pub mod schema;
pub mod tables;

use std::fmt;

pub use decode::{decode, Decoded};

use tables::{DocColumn, DocRow, Heading, Table4Column, Table4Group, ValueRow, APPLICANTS, TABLE3_ROW_COUNT};

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
    /// The three narrative sections in print order, with their headings (whose keys are the
    /// sections' keys, input-format.md).
    pub fn narrative(&self) -> [(Heading, &Section); 3] {
        [
            (Heading::Overview, &self.overview),
            (Heading::Problems, &self.problems),
            (Heading::OtherMatters, &self.other_matters),
        ]
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
    /// The wording the input gave for `heading`, if any.
    pub fn get(&self, heading: Heading) -> Option<&str> {
        self.slot(heading).as_deref()
    }

    pub fn slot(&self, heading: Heading) -> &Option<String> {
        match heading {
            Heading::Overview => &self.overview,
            Heading::ActiveDisclosure => &self.active_disclosure,
            Heading::Applications => &self.applications,
            Heading::ReviewLitigation => &self.review_litigation,
            Heading::Problems => &self.problems,
            Heading::OtherMatters => &self.other_matters,
        }
    }

    pub fn slot_mut(&mut self, heading: Heading) -> &mut Option<String> {
        match heading {
            Heading::Overview => &mut self.overview,
            Heading::ActiveDisclosure => &mut self.active_disclosure,
            Heading::Applications => &mut self.applications,
            Heading::ReviewLitigation => &mut self.review_litigation,
            Heading::Problems => &mut self.problems,
            Heading::OtherMatters => &mut self.other_matters,
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
    pub fn get(&self, column: DocColumn) -> u64 {
        match column {
            DocColumn::Issued => self.issued,
            DocColumn::Repealed => self.repealed,
            DocColumn::InForce => self.in_force,
        }
    }

    pub fn get_mut(&mut self, column: DocColumn) -> &mut u64 {
        match column {
            DocColumn::Issued => &mut self.issued,
            DocColumn::Repealed => &mut self.repealed,
            DocColumn::InForce => &mut self.in_force,
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
    /// The printed value of a one-value row (`fees` as written).
    pub fn value_text(&self, row: ValueRow) -> String {
        match self.count(row) {
            Some(n) => n.to_string(),
            None => self.fees.as_str().to_string(),
        }
    }

    /// The count of a one-value row; `None` for [`ValueRow::Fees`], an amount.
    pub fn count(&self, row: ValueRow) -> Option<u64> {
        match row {
            ValueRow::Licensing => Some(self.licensing),
            ValueRow::Penalty => Some(self.penalty),
            ValueRow::Coercion => Some(self.coercion),
            ValueRow::Fees => None,
        }
    }

    /// The count of a one-value row to change; `None` for [`ValueRow::Fees`].
    pub fn count_mut(&mut self, row: ValueRow) -> Option<&mut u64> {
        match row {
            ValueRow::Licensing => Some(&mut self.licensing),
            ValueRow::Penalty => Some(&mut self.penalty),
            ValueRow::Coercion => Some(&mut self.coercion),
            ValueRow::Fees => None,
        }
    }

    pub fn doc_row(&self, row: DocRow) -> &DocCounts {
        match row {
            DocRow::Regulations => &self.regulations,
            DocRow::NormativeDocuments => &self.normative_documents,
        }
    }

    pub fn doc_row_mut(&mut self, row: DocRow) -> &mut DocCounts {
        match row {
            DocRow::Regulations => &mut self.regulations,
            DocRow::NormativeDocuments => &mut self.normative_documents,
        }
    }
}

/// One row of table 三: six counts and the 总计 the input gave, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    pub cells: [u64; APPLICANTS],
    pub total: Option<u64>,
    /// Whether the row appeared in the input at all (matters for the optional `results.total`).
    pub given: bool,
}

impl Row {
    pub fn new(cells: [u64; APPLICANTS]) -> Row {
        Row { cells, total: None, given: true }
    }
}

/// Table 三, its rows in [`tables::TABLE3_ROWS`] order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applications {
    pub rows: [Row; TABLE3_ROW_COUNT],
}

impl Applications {
    /// The row keyed `key` (a path below `applications`, as in [`tables::TABLE3_ROWS`]).
    pub fn row(&self, key: &str) -> Option<&Row> {
        tables::table3_row(key).map(|i| &self.rows[i])
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
    /// The value the input gave for `column` (the total only when given).
    pub fn get(&self, column: Table4Column) -> Option<u64> {
        match column {
            Table4Column::Upheld => Some(self.upheld),
            Table4Column::Corrected => Some(self.corrected),
            Table4Column::Other => Some(self.other),
            Table4Column::Pending => Some(self.pending),
            Table4Column::Total => self.total,
        }
    }

    /// Set `column` (the total becomes given).
    pub fn set(&mut self, column: Table4Column, value: u64) {
        match column {
            Table4Column::Upheld => self.upheld = value,
            Table4Column::Corrected => self.corrected = value,
            Table4Column::Other => self.other = value,
            Table4Column::Pending => self.pending = value,
            Table4Column::Total => self.total = Some(value),
        }
    }

    /// The four outcome counts in [`Table4Column::PARTS`] order.
    pub fn parts(&self) -> [u64; 4] {
        [self.upheld, self.corrected, self.other, self.pending]
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
    pub fn group(&self, group: Table4Group) -> &CaseGroup {
        match group {
            Table4Group::Review => &self.review,
            Table4Group::LitigationDirect => &self.litigation_direct,
            Table4Group::LitigationAfterReview => &self.litigation_after_review,
        }
    }

    pub fn group_mut(&mut self, group: Table4Group) -> &mut CaseGroup {
        match group {
            Table4Group::Review => &mut self.review,
            Table4Group::LitigationDirect => &mut self.litigation_direct,
            Table4Group::LitigationAfterReview => &mut self.litigation_after_review,
        }
    }
}
