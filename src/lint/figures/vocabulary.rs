//! The word lists figures are read with, as data in `vocabulary.toml` (built into the program,
//! read at first use), and the two ways a list is looked for in text: [`any`] and [`mask`].

use std::sync::OnceLock;

use serde::Deserialize;

/// The lists of `vocabulary.toml`, which says what each is for.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Vocabulary {
    /// Before a number: approximate, a bound, or the end of a range.
    pub(super) approx_before: Vec<String>,
    /// After a figure: approximate or a bound.
    pub(super) approx_after: Vec<String>,
    /// A difference, a share or an average, not a count.
    pub(super) relative: Vec<String>,
    /// Planned.
    pub(super) planned: Vec<String>,
    /// Of another body, or passed on.
    pub(super) other_body: Vec<String>,
    /// Part of a whole: applicants, channels, topics, timeliness.
    pub(super) subcount: Vec<String>,
    /// A 申请 that is not a disclosure application, or a count of something else.
    pub(super) other_subject: Vec<String>,
    /// A negative that is an aim, not a fact.
    pub(super) goals: Vec<String>,
    /// The year before the report year.
    pub(super) last_year: Vec<String>,
    /// The year after the report year.
    pub(super) next_year: Vec<String>,
    /// Other years, or several.
    pub(super) other_years: Vec<String>,
    /// Explicit disclosure-application wording; the first entry also stands for a paragraph
    /// that has named applications.
    pub(super) app_explicit: Vec<String>,
    /// Verbs of table 三's 本年新收.
    pub(super) verb_new: Vec<String>,
    /// Verbs of table 三's （七）总计.
    pub(super) verb_handled: Vec<String>,
    /// Words that make a figure of table 四 something else.
    pub(super) case_exclude: Vec<String>,
    /// Words that make a figure of table 二's documents something else.
    pub(super) doc_exclude: Vec<String>,
    /// Words that make a figure of table 二's decisions something else.
    pub(super) item_exclude: Vec<String>,
    /// Words that make a figure of table 二's fees something else.
    pub(super) fee_exclude: Vec<String>,
    /// Words that may stand between what a figure counts and the figure, tried in order.
    pub(super) fillers: Vec<String>,
}

/// The vocabulary, read once. It is part of the program, not input: a unit test reads it.
pub(super) fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        toml::from_str(include_str!("vocabulary.toml"))
            .unwrap_or_else(|e| unreachable!("the bundled figure vocabulary is read by a unit test: {e}"))
    })
}

/// Whether any of `words` occurs in `s`.
pub(super) fn any<W: AsRef<str>>(s: &str, words: &[W]) -> bool {
    words.iter().any(|w| s.contains(w.as_ref()))
}

/// `s` with every occurrence of `words` blanked out, so that 无 in 无法提供 or 未 in 未经复议 is not
/// read as a negation.
pub(super) fn mask(s: &str, words: &[&str]) -> String {
    let mut out = s.to_string();
    for w in words {
        out = out.replace(w, &"□".repeat(w.chars().count()));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn vocabulary_parses_and_its_lists_are_sound() {
        let v = vocabulary();
        let lists = [
            ("approx_before", &v.approx_before),
            ("approx_after", &v.approx_after),
            ("relative", &v.relative),
            ("planned", &v.planned),
            ("other_body", &v.other_body),
            ("subcount", &v.subcount),
            ("other_subject", &v.other_subject),
            ("goals", &v.goals),
            ("last_year", &v.last_year),
            ("next_year", &v.next_year),
            ("other_years", &v.other_years),
            ("app_explicit", &v.app_explicit),
            ("verb_new", &v.verb_new),
            ("verb_handled", &v.verb_handled),
            ("case_exclude", &v.case_exclude),
            ("doc_exclude", &v.doc_exclude),
            ("item_exclude", &v.item_exclude),
            ("fee_exclude", &v.fee_exclude),
            ("fillers", &v.fillers),
        ];
        for (name, words) in lists {
            // An empty word would match everywhere.
            assert!(!words.is_empty() && words.iter().all(|w| !w.is_empty()), "{name}");
            let mut seen = HashSet::new();
            assert!(words.iter().all(|w| seen.insert(w)), "{name} holds a word twice");
        }
        // A filler tried before a longer one it starts with would leave the rest unmatched.
        for (i, short) in v.fillers.iter().enumerate() {
            for long in &v.fillers[i + 1..] {
                assert!(!long.starts_with(short.as_str()), "filler {long} comes after {short}");
            }
        }
    }
}
