//! The library's top-level modules form no cycle: each stage of the pipeline depends only on
//! the stages before it (ARCHITECTURE.md). Read from the source: a `crate::m` path in a
//! module's code (comments and test modules aside) is a dependency on `m`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::files_below;

/// The code of a source file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Top-level module → the top-level modules its code names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = files_below(&src);
    let module_of = |path: &str| -> Option<String> {
        let first = path.split('/').next()?;
        let name = first.strip_suffix(".rs").unwrap_or(first);
        (!matches!(name, "main" | "lib" | "cli")).then(|| name.to_string())
    };
    let modules: BTreeSet<String> = files.keys().filter_map(|p| module_of(p)).collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in &files {
        let Some(m) = module_of(path).filter(|_| path.ends_with(".rs")) else { continue };
        let code = code(&String::from_utf8_lossy(bytes));
        let entry = deps.entry(m.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String =
                code[i + "crate::".len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if name != m && modules.contains(&name) {
                entry.insert(name);
            }
        }
    }
    deps
}

/// A path `from → … → from` through `deps`, if there is one.
fn cycle_through(deps: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in deps.get(&at).into_iter().flatten() {
            if next == from {
                let mut p = path.clone();
                p.push(from.to_string());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn top_level_modules_form_no_cycle() {
    let deps = dependencies();
    // The reader sees something: the pipeline's known edges are there.
    assert!(deps["inspect"].contains("check") && deps["inspect"].contains("lint"), "{deps:#?}");
    assert!(deps["resolve"].contains("model"), "{deps:#?}");
    let cycles: Vec<String> = deps.keys().filter_map(|m| cycle_through(&deps, m)).map(|c| c.join(" → ")).collect();
    assert!(cycles.is_empty(), "module cycles: {cycles:#?}");
}
