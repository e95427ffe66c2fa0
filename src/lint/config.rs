//! Which lints run, read from a TOML file (`--lint-config FILE`) and `--allow RULE`.
//!
//! ```toml
//! [rules]                      # every rule is on unless switched off here
//! repeated-text = false
//! copied-sentence = true
//!
//! [repeated-text]
//! allow = ["研究研究"]         # repetitions that are intended in this office's texts
//!
//! [copied-sentence]
//! min_chars = 20               # shorter sentences may repeat from year to year
//! min_sentences = 2            # one recurring formula sentence is normal; 内容雷同 is more
//! ```
//!
//! Unknown tables, keys and rule names are errors (a misspelt rule would otherwise be silently
//! left on), named with a suggestion.

use std::collections::BTreeSet;
use std::path::Path;

use super::rules;
use crate::diag::Diagnostic;

/// Sentences shorter than this many characters are not reported as copied: short formula
/// sentences (本年度未收取信息处理费。) legitimately recur every year.
pub const DEFAULT_COPIED_MIN_CHARS: usize = 20;
/// Copied sentences are reported once a report has at least this many: one formula sentence
/// carried over (办理复文在征得代表委员同意后已按规定公开。) is normal, several are 内容雷同.
pub const DEFAULT_COPIED_MIN_SENTENCES: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    off: BTreeSet<&'static str>,
    /// Extra repetitions that `repeated-text` accepts (`研究研究`).
    pub repeated_allow: Vec<String>,
    /// Shortest sentence, in characters, that `copied-sentence` reports.
    pub copied_min_chars: usize,
    /// Fewest copied sentences in a report before `copied-sentence` reports them.
    pub copied_min_sentences: usize,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            off: BTreeSet::new(),
            repeated_allow: Vec::new(),
            copied_min_chars: DEFAULT_COPIED_MIN_CHARS,
            copied_min_sentences: DEFAULT_COPIED_MIN_SENTENCES,
        }
    }
}

fn rule_id(name: &str) -> Option<&'static str> {
    rules().map(|r| r.id).find(|r| *r == name)
}

fn rule_list() -> String {
    rules().map(|r| r.id).collect::<Vec<_>>().join(", ")
}

fn config_error(file: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic::error("lint-config", "", zh, en)
        .with_hint(format!("规则 / rules: {}；文件 / file: {file}", rule_list()))
}

impl LintConfig {
    /// Every lint off (a plain consistency check).
    pub fn none() -> Self {
        LintConfig { off: rules().map(|r| r.id).collect(), ..LintConfig::default() }
    }

    pub fn is_on(&self, rule: &str) -> bool {
        !self.off.contains(rule)
    }

    /// Switch a rule on or off by its id; an unknown id is an error.
    pub fn set(&mut self, rule: &str, on: bool) -> Result<(), Diagnostic> {
        let Some(id) = rule_id(rule) else {
            // A registered rule of another stage: say what it is and how it is let through.
            if let Some(other) = crate::rules::find(rule) {
                let (zh, en) = if other.stage == crate::rules::Stage::Check {
                    (
                        "一致性规则只能用 --allow-inconsistent 放行",
                        "a consistency rule is let through by --allow-inconsistent only",
                    )
                } else {
                    ("只有校对规则可以关闭", "only the proofreading lints can be switched off")
                };
                return Err(Diagnostic::error(
                    "lint-config",
                    "",
                    format!("\"{rule}\" 不是校对规则（{}）：{zh}", other.zh),
                    format!("`{rule}` is not a proofreading lint ({}): {en}", other.en),
                )
                .with_hint(format!("规则 / rules: {}", rule_list())));
            }
            let hint =
                super::closest_rule(rule).map(|s| format!("是否应为 {s}？/ did you mean {s}? ")).unwrap_or_default();
            return Err(Diagnostic::error(
                "lint-config",
                "",
                format!("未知的检查规则 \"{rule}\""),
                format!("unknown lint rule `{rule}`"),
            )
            .with_hint(format!("{hint}规则 / rules: {}", rule_list())));
        };
        if on {
            self.off.remove(id);
        } else {
            self.off.insert(id);
        }
        Ok(())
    }

    /// The configuration a command line asks for: a `--lint-config` file (or the defaults),
    /// then every `--allow RULE` switched off.
    pub fn from_cli(file: Option<&Path>, allow: &[String]) -> Result<LintConfig, Diagnostic> {
        let mut cfg = match file {
            Some(p) => LintConfig::load(p)?,
            None => LintConfig::default(),
        };
        for rule in allow {
            cfg.set(rule.trim(), false)?;
        }
        Ok(cfg)
    }

    /// Read a configuration file.
    pub fn load(path: &Path) -> Result<LintConfig, Diagnostic> {
        let bytes = crate::input::read(path)?;
        let name = path.display().to_string();
        let text = String::from_utf8(bytes)
            .map_err(|_| config_error(&name, format!("{name} 不是 UTF-8 文本"), format!("{name} is not UTF-8 text")))?;
        LintConfig::from_toml(&text, &name)
    }

    /// Parse the TOML form; `file` names it in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<LintConfig, Diagnostic> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            config_error(
                file,
                format!("检查配置 {file} 不是有效的 TOML：{}", e.message()),
                format!("lint configuration {file} is not valid TOML: {}", e.message()),
            )
        })?;
        let mut cfg = LintConfig::default();
        for (key, value) in &table {
            match key.as_str() {
                "rules" => {
                    let rules = value.as_table().ok_or_else(|| {
                        config_error(file, "[rules] 应为表".into(), "`rules` must be a table".into())
                    })?;
                    for (rule, on) in rules {
                        let on = on.as_bool().ok_or_else(|| {
                            config_error(
                                file,
                                format!("[rules] 中 {rule} 的值应为 true 或 false"),
                                format!("[rules] {rule} must be true or false"),
                            )
                        })?;
                        cfg.set(rule, on)?;
                    }
                }
                "repeated-text" => {
                    let t = value.as_table().ok_or_else(|| {
                        config_error(file, "[repeated-text] 应为表".into(), "`repeated-text` must be a table".into())
                    })?;
                    for (k, v) in t {
                        let list = (k == "allow").then(|| v.as_array()).flatten().ok_or_else(|| {
                            config_error(
                                file,
                                format!("[repeated-text] 只接受 allow = [\"…\"]，而不是 {k}"),
                                format!("[repeated-text] takes `allow = [\"…\"]` only, not `{k}`"),
                            )
                        })?;
                        for item in list {
                            let s = item.as_str().ok_or_else(|| {
                                config_error(file, "allow 的元素应为字符串".into(), "`allow` items must be strings".into())
                            })?;
                            cfg.repeated_allow.push(s.to_string());
                        }
                    }
                }
                "copied-sentence" => {
                    let t = value.as_table().ok_or_else(|| {
                        config_error(file, "[copied-sentence] 应为表".into(), "`copied-sentence` must be a table".into())
                    })?;
                    for (k, v) in t {
                        let known = k == "min_chars" || k == "min_sentences";
                        let n = known.then(|| v.as_integer()).flatten().filter(|n| *n >= 1).ok_or_else(|| {
                            config_error(
                                file,
                                format!("[copied-sentence] 只接受 min_chars、min_sentences = 正整数，而不是 {k}"),
                                format!("[copied-sentence] takes `min_chars` and `min_sentences` = <positive integer> only, not `{k}`"),
                            )
                        })?;
                        let n = usize::try_from(n).unwrap_or(usize::MAX);
                        if k == "min_chars" {
                            cfg.copied_min_chars = n;
                        } else {
                            cfg.copied_min_sentences = n;
                        }
                    }
                }
                other => {
                    return Err(config_error(
                        file,
                        format!("检查配置中有未知的表或键 \"{other}\"（可用：rules、repeated-text、copied-sentence）"),
                        format!("unknown table or key `{other}` in the lint configuration (known: rules, repeated-text, copied-sentence)"),
                    ))
                }
            }
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_switch_off_and_unknown_ones_are_refused() {
        let cfg = LintConfig::from_toml("[rules]\nrepeated-text = false\n", "x.toml").unwrap();
        assert!(!cfg.is_on("repeated-text"));
        assert!(cfg.is_on("narrative-figure"));
        let e = LintConfig::from_toml("[rules]\nrepeated-txt = false\n", "x.toml").unwrap_err();
        assert_eq!(e.rule, "lint-config");
        assert!(e.hint.unwrap_or_default().contains("repeated-text"));
        assert!(LintConfig::from_toml("[rule]\n", "x.toml").is_err());
        assert!(LintConfig::from_toml("[rules]\nrepeated-text = 0\n", "x.toml").is_err());
    }

    #[test]
    fn allow_list_and_min_chars() {
        let cfg = LintConfig::from_toml(
            "[repeated-text]\nallow = [\"研究研究\"]\n[copied-sentence]\nmin_chars = 30\nmin_sentences = 1\n",
            "x",
        )
        .unwrap();
        assert_eq!(cfg.repeated_allow, ["研究研究"]);
        assert_eq!(cfg.copied_min_chars, 30);
        assert_eq!(cfg.copied_min_sentences, 1);
        assert!(LintConfig::from_toml("[copied-sentence]\nmin_chars = 0\n", "x").is_err());
    }
}
