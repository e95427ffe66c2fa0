//! One agency of a sample set: its 统一社会信用代码, the style it keeps from year to year, and its
//! report of one year (contact block, tables, narrative and signature).

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::model::{ActiveDisclosure, Contact, Headings, Report, ReviewLitigation, Signature, FORMAT_2021};

use super::material::{material, Department, Region};
use super::rng::Rng;
use super::tables::Tables;

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

/// Per-series choices that both years of an agency share (an office writes alike every year).
pub(super) struct Style {
    /// 0 short, 1 medium, 2 long.
    pub(super) length: usize,
    /// Scale of the office's workload, percent of its kind's range.
    pub(super) busy: u64,
    pub(super) row_totals: bool,
    pub(super) results_total: bool,
    pub(super) table4_totals: bool,
    custom_preamble: bool,
    signature_agency: bool,
    website: bool,
    fax: bool,
    email: bool,
    address: bool,
    pub(super) fees: bool,
}

impl Style {
    pub(super) fn draw(rng: &mut Rng, d: &Department) -> Style {
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

/// One agency while its reports are written: where it is, what it is called, how it writes, and
/// what its previous year's report already said.
pub(super) struct Ctx<'a> {
    /// Sentences of the previous year's report, not to be written again.
    pub(super) avoid: HashSet<String>,
    pub(super) region: &'a Region,
    pub(super) department: &'a Department,
    pub(super) agency: &'a str,
    pub(super) id: &'a str,
    pub(super) profile: &'a Style,
}

impl Ctx<'_> {
    pub(super) fn county_gov(&self) -> String {
        format!("{}{}人民政府", self.region.prefecture, self.region.county)
    }

    pub(super) fn report(&self, rng: &mut Rng, year: i64, t: &Tables, seal: Option<String>) -> Report {
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
}
