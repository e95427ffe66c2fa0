//! The layout profile: every layout number of both renderers, read from one TOML file.
//!
//! The built-in profile is `templates/gbt9704.toml` (GB/T 9704-2012, official-format.md §1),
//! compiled into the binary; `--profile FILE` replaces it with an office's local variant. The
//! PDF renderer hands the profile to the Typst template as data and the DOCX renderer converts
//! the same numbers to twips and half-points, so the two outputs cannot drift apart. The
//! helpers at the bottom do the unit conversions in one place.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// The built-in GB/T 9704 profile text.
pub const DEFAULT_PROFILE_TOML: &str = include_str!("../templates/gbt9704.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub page: PageLayout,
    pub grid: Grid,
    pub body: Body,
    pub title: Title,
    pub table: TableLayout,
    pub page_number: PageNumber,
    pub signature: SignatureLayout,
    /// Fonts by role: `title`, `body`, `heading1`, `heading2`, `page_number`, `table`,
    /// `table_header`.
    pub fonts: BTreeMap<String, RoleFont>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageLayout {
    pub width_mm: f64,
    pub height_mm: f64,
    pub top_margin_mm: f64,
    pub bottom_margin_mm: f64,
    pub left_margin_mm: f64,
    pub right_margin_mm: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub lines_per_page: u32,
    pub chars_per_line: u32,
    pub line_pitch_pt: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub size_pt: f64,
    pub first_line_indent_chars: u32,
    pub justify: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub size_pt: f64,
    pub line_pitch_pt: f64,
    pub blank_lines_after: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableLayout {
    pub size_pt: f64,
    pub line_pitch_pt: f64,
    pub cell_padding_mm: f64,
    pub rule_pt: f64,
    pub lines_before: u32,
    pub lines_after: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumber {
    pub size_pt: f64,
    pub below_type_area_mm: f64,
    pub side_indent_chars: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureLayout {
    pub blank_lines_before: u32,
    pub unsealed_right_indent_chars: u32,
    pub unsealed_date_shift_chars: u32,
    pub sealed_date_right_indent_chars: u32,
    pub sealed_blank_lines_before: u32,
    pub seal_diameter_mm: f64,
    pub seal_raise_lines: f64,
}

/// The font of one typographic role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleFont {
    /// Name an office's installed font carries; written into the DOCX.
    pub official: String,
    /// Family names searched among system fonts, as Typst's font book reports them.
    pub system: Vec<String>,
    /// The bundled fallback family (Typst's name for it).
    pub bundled: String,
    /// `regular` or `bold`: the weight to use from the bundled family.
    pub bundled_weight: String,
}

/// The roles every profile must define.
pub const ROLES: [&str; 7] = ["title", "body", "heading1", "heading2", "page_number", "table", "table_header"];

impl Profile {
    /// The built-in GB/T 9704 profile.
    pub fn builtin() -> Profile {
        // The built-in text is part of the binary and covered by tests; a failure here is a
        // build defect, not a user error.
        Profile::from_toml(DEFAULT_PROFILE_TOML, "templates/gbt9704.toml").expect("built-in profile is valid")
    }

    /// Parse and validate a profile.
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, Diagnostic> {
        let p: Profile = toml::from_str(text).map_err(|e| {
            Diagnostic::error(
                "profile-invalid",
                "",
                format!("版式配置文件 {origin} 无效：{}", e.message()),
                format!("layout profile {origin} is invalid: {}", e.message()),
            )
            .with_span(e.span().unwrap_or(0..0))
        })?;
        p.validate(origin)?;
        Ok(p)
    }

    /// Read a profile file.
    pub fn load(path: &Path) -> Result<Profile, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(
                "io",
                "",
                format!("无法读取版式配置文件 {}：{e}", path.display()),
                format!("cannot read layout profile {}: {e}", path.display()),
            )
        })?;
        Profile::from_toml(&text, &path.display().to_string())
    }

    fn validate(&self, origin: &str) -> Result<(), Diagnostic> {
        let bad = |zh: String, en: String| {
            Err(Diagnostic::error(
                "profile-invalid",
                "",
                format!("版式配置文件 {origin}：{zh}"),
                format!("layout profile {origin}: {en}"),
            ))
        };
        for role in ROLES {
            if !self.fonts.contains_key(role) {
                return bad(format!("缺少字体角色 [fonts.{role}]"), format!("missing font role [fonts.{role}]"));
            }
        }
        for (role, f) in &self.fonts {
            if f.bundled_weight != "regular" && f.bundled_weight != "bold" {
                return bad(
                    format!("[fonts.{role}] bundled_weight 只能是 regular 或 bold"),
                    format!("[fonts.{role}] bundled_weight must be regular or bold"),
                );
            }
        }
        let positive = [
            self.page.width_mm,
            self.page.height_mm,
            self.body.size_pt,
            self.grid.line_pitch_pt,
            self.title.size_pt,
            self.table.size_pt,
            self.page_number.size_pt,
        ];
        if positive.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return bad("尺寸必须为正数".into(), "sizes must be positive".into());
        }
        if self.type_area_width_mm() <= 0.0 || self.type_area_height_mm() <= 0.0 {
            return bad("页边距大于纸张".into(), "margins leave no type area".into());
        }
        if self.grid.line_pitch_pt < self.body.size_pt {
            return bad("行距小于正文字号".into(), "line pitch is smaller than the body size".into());
        }
        if self.grid.lines_per_page == 0 || self.grid.chars_per_line == 0 {
            return bad(
                "每页行数和每行字数须大于 0".into(),
                "lines per page and characters per line must be positive".into(),
            );
        }
        // The last line needs only its own height, not a full pitch (official-format §1.1).
        let lines_height = f64::from(self.grid.lines_per_page - 1) * self.grid.line_pitch_pt + self.body.size_pt;
        if lines_height > mm_to_pt(self.type_area_height_mm()) + 0.01 {
            return bad(
                format!(
                    "每页 {} 行、行距 {} 磅超出版心高度 {} 毫米",
                    self.grid.lines_per_page,
                    self.grid.line_pitch_pt,
                    self.type_area_height_mm()
                ),
                format!(
                    "{} lines at a {} pt pitch do not fit the {} mm type area",
                    self.grid.lines_per_page,
                    self.grid.line_pitch_pt,
                    self.type_area_height_mm()
                ),
            );
        }
        Ok(())
    }

    pub fn type_area_width_mm(&self) -> f64 {
        self.page.width_mm - self.page.left_margin_mm - self.page.right_margin_mm
    }

    pub fn type_area_height_mm(&self) -> f64 {
        self.page.height_mm - self.page.top_margin_mm - self.page.bottom_margin_mm
    }

    pub fn role(&self, role: &str) -> &RoleFont {
        // Validation guarantees every role of ROLES exists.
        &self.fonts[role]
    }
}

/// Millimetres → twentieths of a point (Word's unit).
pub fn mm_to_twips(mm: f64) -> i32 {
    (mm / 25.4 * 1440.0).round() as i32
}

/// Points → twips.
pub fn pt_to_twips(pt: f64) -> i32 {
    (pt * 20.0).round() as i32
}

/// Points → half-points (Word's font size unit).
pub fn pt_to_half_points(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}

/// Millimetres → points.
pub fn mm_to_pt(mm: f64) -> f64 {
    mm / 25.4 * 72.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_parses_and_has_gbt9704_numbers() {
        let p = Profile::builtin();
        assert_eq!(p.type_area_width_mm(), 156.0);
        assert_eq!(p.type_area_height_mm(), 225.0);
        assert_eq!(p.grid.lines_per_page, 22);
        assert_eq!(pt_to_twips(p.grid.line_pitch_pt), 579);
        assert_eq!(mm_to_twips(37.0), 2098);
    }

    #[test]
    fn a_grid_that_does_not_fit_the_type_area_is_refused() {
        let text = DEFAULT_PROFILE_TOML.replace("lines_per_page = 22", "lines_per_page = 23");
        let e = Profile::from_toml(&text, "x.toml").unwrap_err();
        assert!(e.message_en.contains("23 lines at a 28.95 pt pitch"), "{}", e.message_en);
        // A tighter pitch still flows 22 lines (the PDF fills no 23rd line).
        let text = DEFAULT_PROFILE_TOML.replace("line_pitch_pt = 28.95", "line_pitch_pt = 28.0");
        assert!(Profile::from_toml(&text, "x.toml").is_ok());
    }

    #[test]
    fn unknown_key_in_profile_is_refused() {
        let text = DEFAULT_PROFILE_TOML.replace("[grid]", "[grid]\nline_pich_pt = 3");
        let e = Profile::from_toml(&text, "x.toml").unwrap_err();
        assert_eq!(e.rule, "profile-invalid");
        assert!(e.message_en.contains("line_pich_pt"), "{}", e.message_en);
    }
}
