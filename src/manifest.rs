//! The archival manifest of a batch (`OUT/manifest.json`) and the merge of shard manifests.
//!
//! For each report: its input (path as given and SHA-256 of its bytes), its previous year, its
//! status, every document written (file relative to OUT, SHA-256, size, pages, fonts, PDF
//! standard) and its warnings or errors; for the run: the tool version, the layout profile's
//! name and checksum, the options that shape the bytes, and the shard. Nothing in it depends
//! on time, machine or thread scheduling, so re-running a batch on unchanged inputs rewrites an
//! identical manifest, and merging the shard manifests of a split run gives exactly the
//! manifest of the unsplit run (official-format.md, archiving: checksums and reproducibility).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::batch::{ItemResult, Shard, Status};
use crate::diag::Diagnostic;

/// Why a listed file could not be verified.
#[derive(Debug)]
pub enum Unreadable {
    /// The listed path leaves the manifest's folder, or does not name a regular file.
    Refused(String),
    Missing(std::io::Error),
}

/// Read a file the manifest lists, relative to the manifest's folder `dir`. The manifest is
/// data from outside: a path that is absolute or climbs out (`..`), or that names a symbolic
/// link, device, FIFO or folder, is refused without being opened; at most `expected + 1`
/// bytes are read, enough to tell a mismatch.
pub fn read_listed(dir: &Path, file: &str, expected: usize) -> Result<Vec<u8>, Unreadable> {
    use std::io::Read;
    use std::path::Component;
    let rel = Path::new(file);
    if file.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) || file.contains('\\') {
        return Err(Unreadable::Refused("路径不在清单所在目录之内 / the path leaves the manifest's folder".into()));
    }
    let path = dir.join(rel);
    // Every step below the folder must be a real folder or file, not a link out of it.
    let mut at = dir.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Unreadable::Refused("路径经过符号链接 / the path goes through a symbolic link".into()))
            }
            Ok(_) => {}
            Err(e) => return Err(Unreadable::Missing(e)),
        }
    }
    let meta = std::fs::symlink_metadata(&path).map_err(Unreadable::Missing)?;
    if !meta.is_file() {
        return Err(Unreadable::Refused("不是普通文件 / not a regular file".into()));
    }
    let f = crate::input::open_nonblocking(&path).map_err(Unreadable::Missing)?;
    match f.metadata() {
        Ok(m) if m.is_file() => {}
        _ => return Err(Unreadable::Refused("不是普通文件 / not a regular file".into())),
    }
    let mut bytes = Vec::new();
    f.take(expected as u64 + 1).read_to_end(&mut bytes).map_err(Unreadable::Missing)?;
    Ok(bytes)
}

/// Version of this file's layout.
pub const MANIFEST_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub manifest_version: u32,
    pub tool: Tool,
    pub profile: ProfileRef,
    pub options: RunSettings,
    /// `null` for a whole run (or a merge of all shards), else which share this is.
    pub shard: Option<ShardRef>,
    /// Number of reports in the whole input set (all shards).
    pub inputs_total: usize,
    pub summary: Counts,
    pub reports: Vec<ReportEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
    pub typst: String,
}

impl Tool {
    pub fn current() -> Tool {
        Tool { name: "nianbao".into(), version: env!("CARGO_PKG_VERSION").into(), typst: "0.15.1".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRef {
    pub name: String,
    /// SHA-256 of the profile's TOML text.
    pub sha256: String,
}

/// Options that decide the bytes of the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    pub formats: Vec<String>,
    /// `--pdf-standard` as given (normalised to lower case), `null` for plain PDF 1.7.
    pub pdf_standard: Option<String>,
    /// `system` or `bundled`.
    pub fonts: String,
    /// SHA-256 of a `--template` file, `null` for the built-in template.
    pub template_sha256: Option<String>,
    /// `--name` pattern, `null` for the default.
    pub name_pattern: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRef {
    pub index: usize,
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub reports: usize,
    pub produced: usize,
    pub failed: usize,
    pub files: usize,
    pub pages: usize,
    pub warnings: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportEntry {
    /// Position in the whole input set, from 1.
    pub n: usize,
    /// `file`, `file:line` or `file[index]`.
    pub input: String,
    pub input_sha256: String,
    pub id: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i64>,
    /// The report used for the cross-year rules, if any.
    pub previous: Option<String>,
    /// `ok` or `failed`.
    pub status: String,
    pub outputs: Vec<OutputEntry>,
    pub warnings: Vec<Finding>,
    pub errors: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputEntry {
    /// `pdf`, `docx` or `ofd`.
    pub format: String,
    /// Path relative to the output folder, `/`-separated.
    pub file: String,
    pub sha256: String,
    pub bytes: usize,
    /// Page count (PDF, OFD).
    pub pages: Option<usize>,
    /// PDF standard the file claims (PDF only; `null` for plain PDF 1.7).
    pub pdf_standard: Option<String>,
    /// Fonts by role: the embedded families (PDF, OFD) or the font names the document asks
    /// for (DOCX).
    pub fonts: Vec<FontEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontEntry {
    pub role: String,
    pub family: String,
    /// Where the face came from (`bundled fonts/FandolFang-Regular.otf`, a system path …);
    /// `null` for DOCX, which names fonts without embedding them.
    pub source: Option<String>,
}

/// A diagnostic as the manifest keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub rule: String,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message_zh: String,
    pub message_en: String,
}

impl From<&Diagnostic> for Finding {
    fn from(d: &Diagnostic) -> Self {
        Finding {
            rule: d.rule.to_string(),
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message_zh: d.message_zh.clone(),
            message_en: d.message_en.clone(),
        }
    }
}

/// Everything the manifest needs besides the results.
pub struct Header {
    pub profile: ProfileRef,
    pub options: RunSettings,
    pub shard: Option<Shard>,
    pub inputs_total: usize,
    /// Fonts of the PDF, by role, with their source.
    pub pdf_fonts: Vec<FontEntry>,
    /// Font names the DOCX asks for, by role.
    pub docx_fonts: Vec<FontEntry>,
}

impl Manifest {
    /// The manifest of a run. Skipped reports (an interrupted run) are not listed.
    pub fn from_results(header: &Header, results: &[ItemResult]) -> Manifest {
        let reports = results
            .iter()
            .filter(|r| r.status != Status::Skipped)
            .map(|r| ReportEntry {
                n: r.ordinal + 1,
                input: r.name.clone(),
                input_sha256: r.input_sha256.clone(),
                id: r.meta.as_ref().and_then(|m| m.id.clone()),
                agency: r.meta.as_ref().map(|m| m.agency.clone()),
                year: r.meta.as_ref().map(|m| m.year),
                previous: r.previous.clone(),
                status: if r.status == Status::Ok { "ok" } else { "failed" }.into(),
                outputs: r
                    .outputs
                    .iter()
                    .map(|o| {
                        let pdf = o.kind == crate::build::OutputKind::Pdf;
                        // The OFD embeds the very faces of the PDF (one layout for both).
                        let embeds = pdf || o.kind == crate::build::OutputKind::Ofd;
                        OutputEntry {
                            format: o.kind.extension().into(),
                            file: o.file.clone(),
                            sha256: o.sha256.clone(),
                            bytes: o.bytes,
                            pages: o.pages,
                            pdf_standard: if pdf { header.options.pdf_standard.clone() } else { None },
                            fonts: if embeds { header.pdf_fonts.clone() } else { header.docx_fonts.clone() },
                        }
                    })
                    .collect(),
                warnings: r.diagnostics.iter().filter(|d| !d.is_error()).map(Finding::from).collect(),
                errors: r.diagnostics.iter().filter(|d| d.is_error()).map(Finding::from).collect(),
            })
            .collect();
        let mut m = Manifest {
            manifest_version: MANIFEST_VERSION,
            tool: Tool::current(),
            profile: header.profile.clone(),
            options: header.options.clone(),
            shard: header.shard.map(|s| ShardRef { index: s.index, count: s.count }),
            inputs_total: header.inputs_total,
            summary: Counts::default(),
            reports,
        };
        m.recount();
        m
    }

    fn recount(&mut self) {
        let mut c = Counts { reports: self.reports.len(), ..Counts::default() };
        for r in &self.reports {
            if r.status == "ok" {
                c.produced += 1;
            } else {
                c.failed += 1;
            }
            c.files += r.outputs.len();
            // A report's pages once, however many fixed-layout files (PDF, OFD) show them.
            c.pages += r.outputs.iter().filter_map(|o| o.pages).max().unwrap_or(0);
            c.warnings += r.warnings.len();
        }
        self.summary = c;
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        // Plain data: serialisation cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn read(path: &Path) -> Result<Manifest, Diagnostic> {
        let bytes = crate::input::read_limited(path, crate::limits::MANIFEST_FILE_BYTES_MAX)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Diagnostic::error(
                "manifest-invalid",
                "",
                format!("{} 不是 nianbao 清单文件：{e}", path.display()),
                format!("{} is not a nianbao manifest: {e}", path.display()),
            )
        })
    }

    /// Merge the manifests of the shards of one run into the manifest of the whole run. They
    /// must come from the same tool version, profile and options, be shards of one split
    /// (`I/N` for every I once) and cover the same inputs.
    pub fn merge(parts: &[(String, Manifest)]) -> Result<Manifest, Diagnostic> {
        let bad = |zh: String, en: String| Err(Diagnostic::error("manifest-merge", "", zh, en));
        let Some((first_name, first)) = parts.first() else {
            return bad("没有要合并的清单".into(), "no manifests to merge".into());
        };
        let count = match first.shard {
            Some(s) => s.count,
            None => 1,
        };
        let mut seen = BTreeSet::new();
        for (name, m) in parts {
            let differs = |what_zh: &str, what_en: &str| {
                bad(
                    format!("{name} 与 {first_name} 的{what_zh}不同，不是同一次批量生成的分片"),
                    format!("{name} and {first_name} differ in {what_en}: not shards of one run"),
                )
            };
            if m.manifest_version != first.manifest_version || m.tool != first.tool {
                return differs("工具版本", "tool version");
            }
            if m.profile != first.profile {
                return differs("版式配置", "layout profile");
            }
            if m.options != first.options {
                return differs("生成选项", "options");
            }
            if m.inputs_total != first.inputs_total {
                return differs("输入总数", "number of inputs");
            }
            let s = m.shard.unwrap_or(ShardRef { index: 1, count: 1 });
            if s.count != count {
                return differs("分片数", "shard count");
            }
            if !seen.insert(s.index) {
                return bad(
                    format!("分片 {}/{} 出现了不止一次（{name}）", s.index, s.count),
                    format!("shard {}/{} is given more than once ({name})", s.index, s.count),
                );
            }
        }
        let missing: Vec<String> = (1..=count).filter(|i| !seen.contains(i)).map(|i| format!("{i}/{count}")).collect();
        if !missing.is_empty() {
            return bad(format!("缺少分片 {}", missing.join("、")), format!("missing shard(s) {}", missing.join(", ")));
        }
        let mut reports: Vec<ReportEntry> = parts.iter().flat_map(|(_, m)| m.reports.iter().cloned()).collect();
        reports.sort_by_key(|r| r.n);
        if let Some(w) = reports.windows(2).find(|w| w[0].n == w[1].n) {
            return bad(
                format!("第 {} 份输入（{}）出现在多个分片中", w[0].n, w[0].input),
                format!("input {} ({}) appears in several shards", w[0].n, w[0].input),
            );
        }
        if reports.len() != first.inputs_total {
            return bad(
                format!("各分片共列出 {} 份报告，但输入共有 {} 份", reports.len(), first.inputs_total),
                format!("the shards list {} reports but the run had {} inputs", reports.len(), first.inputs_total),
            );
        }
        let mut files = BTreeSet::new();
        for r in &reports {
            for o in &r.outputs {
                if !files.insert(o.file.to_lowercase()) {
                    return bad(
                        format!("文件 {} 在多个分片中出现", o.file),
                        format!("file {} is listed by several shards", o.file),
                    );
                }
            }
        }
        let mut m = Manifest {
            manifest_version: first.manifest_version,
            tool: first.tool.clone(),
            profile: first.profile.clone(),
            options: first.options.clone(),
            shard: None,
            inputs_total: first.inputs_total,
            summary: Counts::default(),
            reports,
        };
        m.recount();
        Ok(m)
    }
}
