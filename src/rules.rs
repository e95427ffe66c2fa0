//! The one registry of rule ids.
//!
//! Every [`crate::diag::Diagnostic`] names a rule, and every rule the tool can emit — decoder,
//! consistency checks, lints, import, workbook, renderers, batch, summary, server, I/O and
//! usage — is declared here once, with the severities it is emitted at, the stage that emits
//! it, the spec rule it enforces (input-format.md "Consistency rules" 1–7) and a Chinese and
//! English summary. The README's rule tables name every entry (a test compares them), `--allow`
//! and the lint configuration take entries of this registry, and a diagnostic built with an id
//! that is not here is a defect caught in debug builds (`Diagnostic::new`).

use std::fmt;

use serde::Serialize;

/// Error or warning. Errors stop a document from being produced (unless forced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Which part of the pipeline emits a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the input: JSON, types and ranges (spec rule 5).
    Decode,
    /// The consistency rules on a decoded report (spec rules 1–4, 6, 7).
    Check,
    /// Proofreading of the report's text (`lint.toml`, `--allow`).
    Lint,
    /// Turning a published report into JSON (`import`).
    Import,
    /// The clerk's workbook (`init --xlsx`, `export --xlsx`, reading a filled workbook).
    Workbook,
    /// Fonts, PDF, DOCX, OFD, seals.
    Render,
    /// `batch`, `manifest`.
    Batch,
    /// `summary`.
    Summary,
    /// `serve`.
    Serve,
    /// Files, sizes, the layout profile and the command line.
    Environment,
}

/// The severities a rule is emitted at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    /// An error where nothing can be read, a warning where the reader goes on with a default
    /// (import rules).
    ErrorOrWarning,
}

impl Level {
    pub fn allows(self, s: Severity) -> bool {
        matches!(
            (self, s),
            (Level::Error, Severity::Error) | (Level::Warning, Severity::Warning) | (Level::ErrorOrWarning, _)
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::ErrorOrWarning => "error/warning",
        }
    }
}

/// One rule: its id and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case id, as printed and as `--allow` takes it.
    pub id: &'static str,
    pub level: Level,
    pub stage: Stage,
    /// The consistency rule of input-format.md this enforces, if any.
    pub spec_rule: Option<u8>,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn r(id: &'static str, level: Level, stage: Stage, zh: &'static str, en: &'static str) -> Rule {
    Rule { id, level, stage, spec_rule: None, zh, en }
}

const fn spec(n: u8, rule: Rule) -> Rule {
    Rule { spec_rule: Some(n), ..rule }
}

use Level::{Error as E, ErrorOrWarning as EW, Warning as W};
use Stage::*;

/// Every rule, grouped by stage.
pub const ALL: &[Rule] = &[
    // Consistency rules (input-format.md 1–4, 6, 7).
    spec(
        1,
        r(
            "table3-balance",
            E,
            Check,
            "表三 第一项加第二项之和等于第三项加第四项之和",
            "table 三: new + carried over = results total + carried forward",
        ),
    ),
    spec(
        2,
        r(
            "table3-results-total",
            E,
            Check,
            "表三（七）总计等于各办理结果之和",
            "table 三: （七）总计 equals the sum of the result rows",
        ),
    ),
    spec(
        3,
        r(
            "table3-row-total",
            E,
            Check,
            "表三 每行总计等于六列之和",
            "table 三: a row's 总计 equals the sum of its six columns",
        ),
    ),
    spec(
        4,
        r(
            "table4-total",
            E,
            Check,
            "表四 总计等于维持、纠正、其他、尚未审结之和",
            "table 四: 总计 = upheld + corrected + other + pending",
        ),
    ),
    spec(5, r("count-overflow", E, Check, "合计超出可处理的数值范围", "a sum exceeds the largest count")),
    spec(
        6,
        r(
            "signature-date",
            W,
            Check,
            "成文日期应在统计年度之后、次年1月31日之前",
            "the signature date should fall after the report year and by 31 January",
        ),
    ),
    spec(
        7,
        r(
            "cross-year-carry",
            W,
            Check,
            "本年上年结转等于上年结转下年度",
            "carried over equals last year's carried forward",
        ),
    ),
    spec(
        7,
        r(
            "cross-year-in-force",
            W,
            Check,
            "现行有效件数等于上年现行有效件数加本年制发减本年废止",
            "in force = last year's in force + issued − repealed",
        ),
    ),
    // Decoding (input-format.md rule 5).
    spec(5, r("count-negative", E, Decode, "件数为负数", "a count is negative")),
    spec(
        5,
        r(
            "count-invalid",
            E,
            Decode,
            "件数不是整数或过大（5.5、5.0、1e3）",
            "a count is not a whole number or is too large",
        ),
    ),
    spec(
        5,
        r(
            "amount-invalid",
            E,
            Decode,
            "收费金额为负数或不是普通小数",
            "a fee amount is negative or not a plain decimal",
        ),
    ),
    spec(5, r("year-range", E, Decode, "年度不在 2008–2100", "the year is outside 2008–2100")),
    spec(5, r("invalid-date", E, Decode, "日期不是真实的 YYYY-MM-DD", "a date is not a real YYYY-MM-DD")),
    spec(5, r("format-version", E, Decode, "format 不是 \"2021\"", "format is not \"2021\"")),
    spec(5, r("json-syntax", E, Decode, "JSON 语法错误", "JSON syntax error")),
    spec(5, r("encoding", E, Decode, "输入不是 UTF-8", "the input is not UTF-8")),
    spec(5, r("unknown-key", E, Decode, "未知的键", "an unknown key")),
    spec(5, r("duplicate-key", E, Decode, "同一对象中重复的键", "a key repeated in one object")),
    spec(5, r("wrong-type", E, Decode, "类型错误", "a value of the wrong type")),
    spec(5, r("missing-field", E, Decode, "缺少必填字段", "a required field is missing")),
    spec(5, r("empty-text", E, Decode, "必填文字为空", "a required text is empty")),
    spec(
        5,
        r("row-length", E, Decode, "表三一行不是 0、6 或 7 个数", "a table 三 row does not hold 0, 6 or 7 numbers"),
    ),
    spec(
        5,
        r(
            "text-control",
            E,
            Decode,
            "文字中有控制字符、双向覆盖符或 NUL",
            "text contains control characters, bidi overrides or NUL",
        ),
    ),
    spec(5, r("text-too-long", E, Decode, "一段文字超过长度上限", "a text exceeds the length limit")),
    // Proofreading lints (warnings; `lint.toml` and `--allow` switch them off).
    r(
        "narrative-figure",
        W,
        Lint,
        "正文所述数字与表二、表三、表四不一致",
        "a figure in the text contradicts the tables",
    ),
    r("repeated-text", W, Lint, "字词重复（遵循遵循、的的）", "a word or particle written twice in a row"),
    r(
        "halfwidth-punct",
        W,
        Lint,
        "中文之间使用半角标点（, ; : ? ! ( )）",
        "half-width punctuation between Chinese characters",
    ),
    r("unbalanced-pair", W, Lint, "括号、引号、书名号不成对（）“”《》", "unbalanced （）“”《》"),
    r(
        "date-style",
        W,
        Lint,
        "日期未按 GB/T 9704 书写（补零、汉字数字、2022-01-05）",
        "a date not written the GB/T 9704 way",
    ),
    r("empty-section", W, Lint, "部分、小节或段落没有内容", "an empty section, subsection or paragraph"),
    r(
        "repeated-number",
        W,
        Lint,
        "小节标题自带编号，印出来重复（（一）（一））",
        "a title that carries its own number",
    ),
    r(
        "copied-sentence",
        W,
        Lint,
        "句子与上年报告完全相同（内容雷同）",
        "a sentence copied unchanged from last year's report",
    ),
    r(
        "lint-config",
        E,
        Lint,
        "lint.toml 无法读取或写有未知的规则",
        "lint.toml cannot be read or names an unknown rule",
    ),
    r("fix", E, Lint, "--fix 的修改无法写回输入文件", "the --fix rewrite cannot be written back"),
    // Import.
    r("import-read", EW, Import, "导入的文件无法读取", "the imported file cannot be read"),
    r("import-encoding", W, Import, "文字不是 UTF-8，按 GB18030 读取", "the text is not UTF-8 and was read as GB18030"),
    r(
        "import-limit",
        E,
        Import,
        "导入的文件超过解压大小、条目数或嵌套上限",
        "an imported file exceeds an unpacked-size, entry-count or nesting limit",
    ),
    r("import-title", EW, Import, "没有找到标题、年度或机关名称", "no title, year or agency name was found"),
    r("import-section", EW, Import, "没有找到某一部分", "a section was not found"),
    r("import-table", E, Import, "表格无法读取", "a table cannot be read"),
    r("import-label", W, Import, "表格的标签与官方表样不完全一致", "a table label differs from the official form"),
    r("import-missing-row", W, Import, "表格缺少一行，按 0 读取", "a table row is missing and was read as 0"),
    r("import-blank-cell", W, Import, "空白单元格按 0 读取", "blank cells were read as 0"),
    r(
        "import-2019-row",
        W,
        Import,
        "2019 年旧表样的行，已并入新表样",
        "a row of the 2019 form, folded into the 2021 form",
    ),
    r("import-fee-unit", W, Import, "收费金额的单位不是万元，已换算", "the fee was not in 万元 and was converted"),
    r("import-signature", EW, Import, "没有找到署名或成文日期", "no signature or signature date was found"),
    r(
        "import-contact",
        E,
        Import,
        "没有找到联系机构或联系电话、电子邮箱",
        "no contact office, phone or e-mail was found",
    ),
    r("import-unplaced", W, Import, "某行文字未能归入报告", "a line could not be placed in the report"),
    r("import-invalid", E, Import, "导入结果不是有效的报告", "the imported report is not valid"),
    // The clerk's workbook.
    r("workbook-invalid", E, Workbook, "文件不是可读取的工作簿", "the file is not a readable workbook"),
    r(
        "workbook-limit",
        E,
        Workbook,
        "工作簿超出读取限制（大小、成员数、单元格数）",
        "the workbook exceeds a reading limit",
    ),
    r(
        "workbook-version",
        E,
        Workbook,
        "工作簿不是本版本 nianbao 生成的模板",
        "the workbook is not this release's template",
    ),
    r("workbook-label", E, Workbook, "表格标签被移动或改写", "a label of the workbook was moved or rewritten"),
    r(
        "workbook-cell-deleted",
        E,
        Workbook,
        "填写单元格所在的行或列被删除",
        "an input cell's row or column was deleted",
    ),
    r("workbook-write", E, Workbook, "报告无法写成工作簿", "the report cannot be written as a workbook"),
    // Rendering: fonts, PDF, DOCX, OFD, seals.
    r("font-missing", E, Render, "没有可用的字体", "no usable font"),
    r("font-path", E, Render, "--font-path 无法读取", "--font-path cannot be read"),
    r("missing-glyph", E, Render, "有字符没有任何可用字体能显示", "characters no available font covers"),
    r(
        "typst",
        EW,
        Render,
        "模板排版时的错误或警告（Typst，指出模板的行）",
        "an error or warning of the Typst template (naming the template line)",
    ),
    r("pdf-standard", E, Render, "PDF 不满足所选标准（PDF/A）", "the PDF does not meet the chosen standard (PDF/A)"),
    r("pdf-export", E, Render, "PDF 无法生成", "the PDF cannot be produced"),
    r("pdf-data", E, Render, "排版数据无法传给模板", "the layout data cannot be passed to the template"),
    r("docx-write", E, Render, "DOCX 无法生成", "the DOCX cannot be produced"),
    r("docx-table", E, Render, "表格无法写入 DOCX", "a table cannot be written to the DOCX"),
    r(
        "ofd-archival",
        W,
        Render,
        "OFD 不满足 OFD-A 档案要求（如缺成文日期），按普通 OFD 写出",
        "the OFD does not meet the OFD-A archival rules (e.g. no signature date); written as plain OFD",
    ),
    r("ofd-font", E, Render, "字体无法子集化嵌入 OFD", "a font cannot be subset and embedded in the OFD"),
    r("ofd-image", E, Render, "图片无法以 PNG/JPEG 嵌入 OFD", "an image cannot be embedded in the OFD as PNG or JPEG"),
    r("ofd-package", E, Render, "OFD 包无法写出", "the OFD package cannot be written"),
    r(
        "seal-invalid",
        E,
        Render,
        "印章图片无法读取或不是有效的 PNG/SVG",
        "the seal cannot be read or is not a valid PNG/SVG",
    ),
    r("seal-linked", E, Render, "SVG 印章引用了外部文件或网址", "an SVG seal links to an outside file or URL"),
    r("seal-limit", E, Render, "印章超过大小、像素或嵌套上限", "a seal exceeds a size, pixel or nesting limit"),
    r(
        "not-built",
        E,
        Render,
        "一份报告的文档没有全部生成，因此都未写入",
        "not every document of a report was produced, so none was written",
    ),
    // Batches and manifests.
    r("batch", E, Batch, "批量任务无法进行（输出目录、清单）", "the batch cannot go on (output folder, manifest)"),
    r(
        "batch-input",
        E,
        Batch,
        "批量输入无法展开（目录、NDJSON、数组）",
        "a batch input cannot be expanded (folder, NDJSON, array)",
    ),
    r(
        "batch-locked",
        E,
        Batch,
        "另一个批量任务正在写入同一输出目录",
        "another batch is writing to the same output folder",
    ),
    r(
        "internal-error",
        E,
        Batch,
        "生成这份报告时程序内部出错（其余报告不受影响）",
        "an internal error stopped this report (the others are not affected)",
    ),
    r("name-pattern", E, Batch, "--name 的文件名模式无效", "the --name pattern is not valid"),
    r("previous-ambiguous", E, Batch, "同一机关有多份上年报告", "an agency has more than one report of last year"),
    r(
        "previous-unusable",
        W,
        Batch,
        "上年报告有错误，不用于跨年度核对",
        "last year's report has errors and is not used for the cross-year rules",
    ),
    r(
        "manifest-invalid",
        E,
        Batch,
        "清单无法读取或文件的哈希不符",
        "a manifest cannot be read or a file's hash differs",
    ),
    r("manifest-merge", E, Batch, "分片清单无法合并", "shard manifests cannot be merged"),
    // Summary.
    r("summary-empty", E, Summary, "没有可汇总的报告", "no report to sum"),
    r("summary-year", E, Summary, "报告年度不一致", "the reports are of different years"),
    r("summary-date", E, Summary, "汇总报告的成文日期无效", "the summary's date is not valid"),
    r("summary-duplicate", E, Summary, "同一报告被汇总两次", "the same report is summed twice"),
    r("summary-same-name", W, Summary, "两份报告的机关名称相同", "two reports name the same agency"),
    r("summary-self", E, Summary, "汇总报告本身在输入之中", "the summary itself is among the inputs"),
    r("summary-fees", E, Summary, "收费金额无法相加", "the fees cannot be added"),
    r("summary-other-year", W, Summary, "报告不是汇总年度的，未计入", "a report of another year is left out"),
    r(
        "summary-refused",
        E,
        Summary,
        "部门报告有错误，未做汇总，未写入任何文件",
        "a department report has errors; nothing is summed or written",
    ),
    r("summary-inconsistent-input", W, Summary, "某份输入报告的表格不一致", "an input report's tables do not balance"),
    r("xlsx", E, Summary, "汇总工作簿无法写出", "the summary workbook cannot be written"),
    // The server.
    r(
        "serve-bad-request",
        E,
        Serve,
        "请求无法读取（不是 JSON、缺少字段或参数有误）",
        "the request cannot be read (not JSON, a missing field or a bad parameter)",
    ),
    r("serve-too-large", E, Serve, "请求体超过大小上限", "the request body is larger than the limit"),
    r(
        "serve-host",
        E,
        Serve,
        "Host 不是本服务的地址（防 DNS 重绑定）",
        "the Host is not this server's address (DNS rebinding guard)",
    ),
    r("serve-origin", E, Serve, "来自其他网站的请求被拒绝", "a request from another web site was refused"),
    r("serve-not-found", E, Serve, "没有这个地址", "no such address"),
    r("serve-method", E, Serve, "此地址不接受该请求方法", "this address does not take that method"),
    r(
        "serve-seal-not-uploaded",
        W,
        Serve,
        "报告写有印章路径，但印章未上传；服务不读取本机文件",
        "the report names a seal file but no seal was uploaded; the server never reads files of the machine",
    ),
    r(
        "serve-previous-invalid",
        E,
        Serve,
        "上年报告有错误，无法用于跨年度核对",
        "last year's report has errors and cannot anchor the cross-year rules",
    ),
    r("serve-internal", E, Serve, "服务内部错误（不是输入造成的）", "internal server error (not caused by the input)"),
    // Files, limits, the profile, the command line.
    r("io", E, Environment, "文件无法读取或写入", "a file cannot be read or written"),
    r("input-too-large", E, Environment, "输入文件超过大小上限", "an input file exceeds its size limit"),
    r(
        "input-not-file",
        E,
        Environment,
        "输入路径不是普通文件（设备、管道或目录）",
        "an input path is not a regular file (a device, FIFO or folder)",
    ),
    r("profile-invalid", E, Environment, "版式配置文件无效", "the layout profile is not valid"),
    r(
        "previous-invalid",
        E,
        Environment,
        "--previous 给出的上年报告有错误，无法用于跨年度核对",
        "the report given by --previous has errors and cannot anchor the cross-year rules",
    ),
    r("usage", E, Environment, "命令行参数有误", "a command-line argument is wrong"),
];

impl Stage {
    /// The stage's name in the README's rule table.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Decode => "读取 decode",
            Stage::Check => "勾稽 check",
            Stage::Lint => "校对 lint",
            Stage::Import => "导入 import",
            Stage::Workbook => "工作簿 workbook",
            Stage::Render => "生成 render",
            Stage::Batch => "批量 batch",
            Stage::Summary => "汇总 summary",
            Stage::Serve => "服务 serve",
            Stage::Environment => "环境 environment",
        }
    }
}

/// The README's table of every rule, generated from the registry (a test keeps the README's
/// copy equal to it).
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | spec | severity | stage | 含义 / meaning |\n|---|---|---|---|---|\n");
    for r in ALL {
        let spec = r.spec_rule.map_or("—".to_string(), |n| n.to_string());
        out.push_str(&format!(
            "| `{}` | {spec} | {} | {} | {} / {} |\n",
            r.id,
            r.level.name(),
            r.stage.name(),
            r.zh,
            r.en
        ));
    }
    out
}

/// The rule of an id.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id)
}

/// The rules of one stage, in registry order.
pub fn of_stage(stage: Stage) -> impl Iterator<Item = &'static Rule> {
    ALL.iter().filter(move |r| r.stage == stage)
}

/// Whether `id` is one of the consistency rules (spec rules 1–4, 6, 7, and the overflow of a
/// checked sum): the errors `--allow-inconsistent` lets through.
pub fn is_check(id: &str) -> bool {
    find(id).is_some_and(|r| r.stage == Stage::Check)
}

/// The registered id nearest to a misspelt one among `candidates` (edit distance at most 3).
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a Rule>) -> Option<&'static str>
where
    'a: 'static,
{
    candidates
        .map(|r| (crate::text::edit_distance(name, r.id), r.id))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        for (i, r) in ALL.iter().enumerate() {
            assert!(ALL[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
            assert!(r.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.id);
        }
    }
}
