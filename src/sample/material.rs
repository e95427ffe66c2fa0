//! The form of `material.toml` (places, departments and sentence pools), read once from the
//! copy built into the program.

use std::sync::OnceLock;

use serde::Deserialize;

/// The places, departments and sentences the sample reports are made of
/// (`src/sample/material.toml`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Material {
    pub(super) regions: Vec<Region>,
    pub(super) departments: Vec<Department>,
    pub(super) text: Text,
}

/// A county-level area: `prefecture`, its `county` (区/县/市), the pinyin used in file names and
/// web addresses, the administrative division code, telephone area code and postcode.
#[derive(Deserialize)]
pub(super) struct Region {
    pub(super) prefecture: String,
    pub(super) county: String,
    pub(super) pinyin: String,
    pub(super) code: String,
    pub(super) area: String,
    pub(super) postcode: String,
}

/// How busy a kind of office is: ranges for licensing, penalty, coercion decisions and new
/// applications, and whether it issues normative documents at all.
#[derive(Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Load {
    pub(super) licensing: (u64, u64),
    pub(super) penalty: (u64, u64),
    pub(super) coercion: (u64, u64),
    pub(super) applications: (u64, u64),
    pub(super) documents: (u64, u64),
}

/// A department: its name after the county, a file-name key, its workload and the subjects its
/// reports talk about (主动公开 topics, 依申请 topics).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Department {
    pub(super) name: String,
    pub(super) key: String,
    pub(super) load: Load,
    pub(super) topics: Vec<String>,
    pub(super) requests: Vec<String>,
}

/// The sentence pools of the narrative sections (`{topic}`, `{county}` and `{n}` are filled in).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Text {
    pub(super) streets: Vec<String>,
    pub(super) openings: Vec<String>,
    pub(super) problems: Vec<String>,
    pub(super) improvements: Vec<String>,
    /// Last year's problems a long report says were rectified, and the measures taken.
    pub(super) rectified: Vec<String>,
    pub(super) measures: Vec<String>,
    pub(super) innovation: Vec<String>,
    /// The overview's subsections, in print order.
    pub(super) subsections: Vec<Pool>,
}

/// An overview subsection: its title and the sentences its paragraphs are drawn from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Pool {
    pub(super) title: String,
    pub(super) sentences: Vec<String>,
}

/// The material, read once. It is part of the program, not input: a unit test reads it.
pub(super) fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        toml::from_str(include_str!("material.toml"))
            .unwrap_or_else(|e| unreachable!("the bundled sample material is read by a unit test: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

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
}
