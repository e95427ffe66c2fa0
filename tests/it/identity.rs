//! Output identity: the files `nianbao batch` writes (PDF, DOCX, OFD, HTML and the manifest) for
//! the three samples and a generated county batch are compared, by SHA-256, with the digests in
//! `tests/fixtures/identity.sha256`. A refactor must leave every byte as it was; a change that
//! is meant to change the outputs says so by regenerating the list:
//!
//! ```sh
//! NIANBAO_UPDATE_IDENTITY=1 cargo test identity::
//! ```
//!
//! and the diff of the list is part of the commit. The fonts are the bundled ones, so the
//! digests do not depend on the fonts a machine has.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::files_below;

const LIST: &str = "tests/fixtures/identity.sha256";
const GENERATED: usize = 40;
const SEED: &str = "2024";

/// Run nianbao in `cwd`, so the input paths the manifest records are relative and the same on
/// every machine.
fn run(cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .current_dir(cwd)
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("nianbao runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn parse(list: &str) -> BTreeMap<String, String> {
    list.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once("  ").map(|(h, n)| (n.to_string(), h.to_string())))
        .collect()
}

#[test]
fn outputs_are_byte_identical_to_the_recorded_digests() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    run(cwd, &[&"sample", &"--count", &GENERATED.to_string(), &"--seed", &SEED, &"-o", &"generated"]);
    let samples = crate::common::sample_path(crate::common::WENDENG).parent().unwrap().to_path_buf();
    std::fs::create_dir(cwd.join("samples")).unwrap();
    for entry in std::fs::read_dir(&samples).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, cwd.join("samples").join(path.file_name().unwrap())).unwrap();
        }
    }
    let out = cwd.join("out");
    for input in ["samples", "generated"] {
        let target = format!("out/{input}");
        run(cwd, &[&"batch", &input, &"-o", &target, &"--format", &"pdf,docx,ofd,html", &"--fonts", &"bundled"]);
    }
    let now: BTreeMap<String, String> =
        files_below(&out).into_iter().map(|(name, bytes)| (name, nianbao::build::sha256_hex(&bytes))).collect();
    assert!(now.len() > 2 * GENERATED, "only {} files written", now.len());

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(LIST);
    if std::env::var("NIANBAO_UPDATE_IDENTITY").as_deref() == Ok("1") {
        let text: String = now.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let recorded = parse(&std::fs::read_to_string(&path).unwrap_or_default());
    let mut differences = Vec::new();
    for (name, hash) in &now {
        match recorded.get(name) {
            None => differences.push(format!("new: {name}")),
            Some(h) if h != hash => differences.push(format!("changed: {name}")),
            Some(_) => {}
        }
    }
    differences.extend(recorded.keys().filter(|n| !now.contains_key(*n)).map(|n| format!("gone: {n}")));
    assert!(
        differences.is_empty(),
        "{} of {} outputs differ from {LIST} (if the change is meant, regenerate it with \
         NIANBAO_UPDATE_IDENTITY=1 cargo test identity::):\n{}",
        differences.len(),
        now.len(),
        differences.join("\n")
    );
}
