//! `nianbao manifest merge A.json B.json… -o OUT.json` and `nianbao manifest verify MANIFEST.json`

use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK};
use nianbao::build::sha256_hex;
use nianbao::diag::{escape_terminal, render_human};
use nianbao::manifest::Manifest;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// 合并各分片的清单 / merge the manifests of the shards of one batch (`--shard I/N`)
    Merge(MergeArgs),
    /// 核对清单中每个文件的大小和 SHA-256 / check every listed file's size and SHA-256
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
pub struct MergeArgs {
    /// 各分片的清单（manifest-I-of-N.json）/ the shards' manifests
    #[arg(required = true, value_name = "MANIFEST")]
    pub manifests: Vec<PathBuf>,
    /// 合并后的清单 / the merged manifest
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// 清单文件；其中的文件路径相对于清单所在目录 / the manifest; its files are relative to its folder
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
}

pub fn run(args: Args) -> u8 {
    match args.command {
        Command::Merge(a) => merge(a),
        Command::Verify(a) => verify(a),
    }
}

fn merge(args: MergeArgs) -> u8 {
    let mut parts = Vec::new();
    for p in &args.manifests {
        match Manifest::read(p) {
            Ok(m) => parts.push((p.display().to_string(), m)),
            Err(d) => return super::usage_error(&d, &p.display().to_string()),
        }
    }
    let merged = match Manifest::merge(&parts) {
        Ok(m) => m,
        Err(d) => {
            eprint!("{}", render_human(&d, "nianbao manifest merge", ""));
            return EXIT_ERRORS;
        }
    };
    if let Err(d) = nianbao::output::write_atomic(&args.output, merged.to_json().as_bytes()) {
        return super::usage_error(&d, "nianbao manifest merge");
    }
    println!(
        "已合并 {} 份清单：{} 份报告，{} 份成功，{} 份失败 / merged {} manifests: {} reports, {} produced, {} failed → {}",
        parts.len(),
        merged.summary.reports,
        merged.summary.produced,
        merged.summary.failed,
        parts.len(),
        merged.summary.reports,
        merged.summary.produced,
        merged.summary.failed,
        args.output.display()
    );
    EXIT_OK
}

fn verify(args: VerifyArgs) -> u8 {
    let manifest = match Manifest::read(&args.manifest) {
        Ok(m) => m,
        Err(d) => return super::usage_error(&d, &args.manifest.display().to_string()),
    };
    let dir = match args.manifest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut checked = 0usize;
    let mut bad = 0usize;
    for r in &manifest.reports {
        for o in &r.outputs {
            checked += 1;
            match nianbao::manifest::read_listed(&dir, &o.file, o.bytes) {
                Ok(bytes) if bytes.len() == o.bytes && sha256_hex(&bytes) == o.sha256 => {}
                Ok(bytes) => {
                    bad += 1;
                    println!(
                        "不符 / MISMATCH {} ({} bytes, sha256 {})",
                        escape_terminal(&o.file),
                        bytes.len(),
                        sha256_hex(&bytes)
                    );
                }
                Err(nianbao::manifest::Unreadable::Refused(why)) => {
                    bad += 1;
                    println!("拒绝 / REFUSED {} ({why})", escape_terminal(&o.file));
                }
                Err(nianbao::manifest::Unreadable::Missing(e)) => {
                    bad += 1;
                    println!("缺失 / MISSING {} ({e})", escape_terminal(&o.file));
                }
            }
        }
    }
    // Temporary files of a run that was killed before it could rename them.
    for p in nianbao::output::stale_temp_files(&dir) {
        println!(
            "残留 / STALE {} （中断的运行留下的临时文件，可删除 / a temporary file left by an interrupted run; it can be removed）",
            escape_terminal(&p.display().to_string())
        );
    }
    println!("核对 {checked} 个文件，{bad} 个不符 / checked {checked} files, {bad} do not match");
    if bad > 0 {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
