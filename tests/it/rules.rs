//! The rule registry (`src/rules.rs`): every id the source emits is declared there, and the
//! README's rule table is the registry's.

use std::path::Path;

use nianbao::rules::{self, Stage};

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The string literals the source passes as a rule id: the first argument of the diagnostic
/// constructors (`Diagnostic::error("id"`, `ctx.warn("id"`, …) and of the readers'
/// `Err(("id", …))`, possibly on the next line.
fn emitted_ids() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for opener in
            ["Diagnostic::error(", "Diagnostic::warning(", ".error(", ".warn(", "Tally::new(", "Err((", "convert(d, "]
        {
            for (at, _) in text.match_indices(opener) {
                let rest = text[at + opener.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else { continue };
                let Some(end) = rest.find('"') else { continue };
                let id = &rest[..end];
                if !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                    found.push((id.to_string(), f.display().to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn every_id_the_source_emits_is_in_the_registry() {
    let found = emitted_ids();
    // The scan finds the constructors (a scan that finds nothing would pass anything).
    assert!(found.len() > 150, "{}", found.len());
    let missing: Vec<_> = found.iter().filter(|(id, _)| rules::find(id).is_none()).collect();
    assert!(missing.is_empty(), "rule ids emitted but not in src/rules.rs: {missing:?}");
    // And the registry holds no id nothing emits (by literal or through the lint tallies).
    let lint: Vec<&str> = nianbao::lint::rules().map(|r| r.id).collect();
    for r in rules::ALL {
        let used = found.iter().any(|(id, _)| id == r.id) || lint.contains(&r.id);
        assert!(used, "`{}` is in the registry but emitted nowhere", r.id);
    }
}

#[test]
fn the_readme_rule_table_is_the_registry() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let start = readme.find(begin).expect("README has the rules table markers") + begin.len();
    let stop = readme[start..].find(end).expect("README has the end marker") + start;
    let want = rules::markdown_table();
    if readme[start..stop] != want && std::env::var_os("NIANBAO_UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[stop..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..stop] == want,
        "README's rule table differs from src/rules.rs; NIANBAO_UPDATE_README=1 cargo test rules:: rewrites it"
    );
}

#[test]
fn the_consistency_rules_are_the_spec_rules() {
    // input-format.md "Consistency rules": 1–4 errors, 6 and 7 warnings, each one registered.
    let checks: Vec<_> = rules::of_stage(Stage::Check).collect();
    for n in [1, 2, 3, 4, 6, 7] {
        assert!(checks.iter().any(|r| r.spec_rule == Some(n)), "spec rule {n}");
    }
    for r in &checks {
        let warning = matches!(r.spec_rule, Some(6 | 7));
        assert_eq!(r.level == rules::Level::Warning, warning, "{}", r.id);
    }
}

#[test]
fn an_unknown_rule_in_allow_is_an_error_with_a_suggestion() {
    let mut cfg = nianbao::lint::LintConfig::default();
    let e = cfg.set("repeted-text", false).unwrap_err();
    assert_eq!(e.rule, "lint-config");
    assert!(e.hint.as_deref().unwrap_or("").contains("repeated-text"), "{e:?}");
    assert!(cfg.set("repeated-text", false).is_ok());
    assert!(!cfg.is_on("repeated-text"));
    // A consistency rule is not a lint: the message names what lets it through.
    let e = cfg.set("table3-balance", false).unwrap_err();
    assert!(e.message_en.contains("--allow-inconsistent"), "{e:?}");
}
