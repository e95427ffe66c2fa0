//! Benchmark helper: export each report as a stand-alone Typst project (`main.typ` = the
//! built-in template, `data.json` = exactly what `nianbao` hands the template, the seal image),
//! so that the `typst` command line can compile the same documents for comparison.
//!
//! `cargo run --release --example emit-typst -- OUT INPUT…`
//!
//! `data.json` is `PdfRenderer::template_data_json`, the very data the embedded compiler reads
//! (measured table header lines included).
//! `bench/run.sh` checks that the `typst` PDFs have the same page counts as nianbao's.

use std::path::PathBuf;
use std::process::ExitCode;

use nianbao::build::default_file_stem;
use nianbao::fonts::{Catalogue, FontOptions, FontPolicy, FontSet};
use nianbao::inspect::check_bytes;
use nianbao::profile::Profile;
use nianbao::render::pdf::{PdfRenderer, TEMPLATE};
use nianbao::render::{load_seal, SealFormat};
use nianbao::resolve::resolve;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((out, inputs)) = args.split_first() else {
        eprintln!("usage: emit-typst OUT INPUT…");
        return ExitCode::from(2);
    };
    let profile = Profile::builtin();
    let catalogue = match Catalogue::discover(&FontOptions { font_paths: Vec::new(), policy: FontPolicy::Bundled }) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{}", d.one_line());
            return ExitCode::from(2);
        }
    };
    let renderer = match FontSet::resolve(&catalogue, &profile) {
        Ok(f) => PdfRenderer::new(f, None),
        Err(d) => {
            eprintln!("{}", d.one_line());
            return ExitCode::from(2);
        }
    };

    let expansion = nianbao::batch::expand(inputs, std::slice::from_ref(out));
    for d in &expansion.errors {
        eprintln!("{}", d.one_line());
    }
    let mut written = 0;
    for item in &expansion.items {
        let checked = check_bytes(&item.bytes(), None);
        let Some(report) = checked.report.filter(|_| !checked.diagnostics.has_errors()) else {
            eprintln!("skipped {}: it has errors", item.name());
            continue;
        };
        let doc = resolve(&report, Some(&item.base_dir()));
        let seal = match doc.signature.seal.as_ref().map(load_seal).transpose() {
            Ok(s) => s,
            Err(d) => {
                eprintln!("skipped {}: {}", item.name(), d.one_line());
                continue;
            }
        };
        let dir = out.join(default_file_stem(&doc.agency, doc.year));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("cannot create {}: {e}", dir.display());
            return ExitCode::from(2);
        }
        let data = renderer.template_data_json(&doc, &profile, seal.as_ref());
        let mut files = vec![("main.typ".to_string(), TEMPLATE.as_bytes().to_vec())];
        files.push(("data.json".to_string(), data));
        if let Some(s) = &seal {
            let name = if s.format == SealFormat::Png { "seal.png" } else { "seal.svg" };
            files.push((name.to_string(), s.bytes.clone()));
        }
        for (name, bytes) in files {
            if let Err(e) = std::fs::write(dir.join(&name), bytes) {
                eprintln!("cannot write {}: {e}", dir.join(name).display());
                return ExitCode::from(2);
            }
        }
        written += 1;
    }
    println!("{written}");
    ExitCode::SUCCESS
}
