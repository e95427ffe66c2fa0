//! `nianbao manifest merge A.json B.json… -o OUT.json` and `nianbao manifest verify MANIFEST.json`

use std::path::PathBuf;

use super::{Failure, Messages, Outcome, EXIT_ERRORS, EXIT_OK};
use nianbao::build::sha256_hex;
use nianbao::diag::{escape_terminal, Diagnostic, Diagnostics};
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
    /// 输出文件：合并后的清单 / output file: the merged manifest
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// 清单文件；其中的文件路径相对于清单所在目录 / the manifest; its files are relative to its folder
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

impl Args {
    /// How the subcommand is named where no file is at fault.
    pub fn name(&self) -> &'static str {
        match self.command {
            Command::Merge(_) => "nianbao manifest merge",
            Command::Verify(_) => "nianbao manifest verify",
        }
    }

    /// `--message-format` of the subcommand.
    pub fn messages(&self) -> super::MessageFormat {
        match &self.command {
            Command::Merge(a) => a.messages,
            Command::Verify(a) => a.messages,
        }
    }
}

pub fn run(args: Args, messages: &mut Messages) -> Outcome {
    match args.command {
        Command::Merge(a) => merge(a, messages),
        Command::Verify(a) => verify(a, messages),
    }
}

fn merge(args: MergeArgs, messages: &mut Messages) -> Outcome {
    let mut parts = Vec::new();
    for p in &args.manifests {
        let m = Manifest::read(p).map_err(|d| Failure::usage(d, p.display().to_string()))?;
        parts.push((p.display().to_string(), m));
    }
    let merged = Manifest::merge(&parts).map_err(|d| Failure::new(EXIT_ERRORS).with("", "", Diagnostics(vec![d])))?;
    nianbao::output::write_atomic(&args.output, merged.to_json().as_bytes()).map_err(|d| Failure::usage(d, ""))?;
    messages.say(format!(
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
    ));
    Ok(EXIT_OK)
}

fn verify(args: VerifyArgs, messages: &mut Messages) -> Outcome {
    let manifest =
        Manifest::read(&args.manifest).map_err(|d| Failure::usage(d, args.manifest.display().to_string()))?;
    let dir = match args.manifest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut checked = 0usize;
    let mut bad = 0usize;
    // Each file that is not as listed: a line on standard output in the human form, a finding
    // about the file in the JSON document.
    let mut found = |what: (&str, &str), file: &str, detail: String| {
        let file = escape_terminal(file);
        if messages.json() {
            let d = Diagnostic::error(
                "manifest-invalid",
                "",
                format!("文件与清单不符（{}）：{file}（{detail}）", what.0),
                format!("{} {file} ({detail})", what.1),
            );
            messages.one(&file, d);
        } else {
            println!("{} / {} {file} ({detail})", what.0, what.1);
        }
    };
    for r in &manifest.reports {
        for o in &r.outputs {
            checked += 1;
            match nianbao::manifest::read_listed(&dir, &o.file, o.bytes) {
                Ok(bytes) if bytes.len() == o.bytes && sha256_hex(&bytes) == o.sha256 => {}
                Ok(bytes) => {
                    bad += 1;
                    let detail = format!("{} bytes, sha256 {}", bytes.len(), sha256_hex(&bytes));
                    found(("不符", "MISMATCH"), &o.file, detail);
                }
                Err(nianbao::manifest::Unreadable::Refused(why)) => {
                    bad += 1;
                    found(("拒绝", "REFUSED"), &o.file, why.to_string());
                }
                Err(nianbao::manifest::Unreadable::Missing(e)) => {
                    bad += 1;
                    found(("缺失", "MISSING"), &o.file, e.to_string());
                }
            }
        }
    }
    // Temporary files of a run that was killed before it could rename them.
    for p in nianbao::output::stale_temp_files(&dir) {
        messages.say(format!(
            "残留 / STALE {} （中断的运行留下的临时文件，可删除 / a temporary file left by an interrupted run; it can be removed）",
            escape_terminal(&p.display().to_string())
        ));
    }
    messages.say(format!("核对 {checked} 个文件，{bad} 个不符 / checked {checked} files, {bad} do not match"));
    Ok(if bad > 0 { EXIT_ERRORS } else { EXIT_OK })
}
