//! Fonts: which face serves each typographic role, and whether it has every glyph needed.
//!
//! Resolution per role (official-format §1.2: 小标宋 title, 仿宋 body, 黑体 「一、」, 楷体 「（一）」,
//! 宋体 page numbers, table fonts), in this order:
//! 1. fonts in the `--font-path` folders whose family is one of the role's `system` names in the
//!    profile (or its `official` name);
//! 2. installed system fonts with those names (skipped with `--fonts bundled`);
//! 3. the role's `bundled` family: the free Fandol fonts compiled into the binary (`fonts/`), or
//!    a family of that name in a `--font-path` folder.
//!
//! Names are compared with the family names Typst's font book reports (lower-cased), never with
//! file names or fontconfig names: FandolFang's family is `FandolFang R`. The resulting
//! [`FontSet`] holds *only* the chosen faces, so the Typst font book is closed: output depends on
//! the chosen fonts and nothing else installed on the machine. Coverage checks use the very face
//! Typst will select (`FontBook::select` with the role's family and weight).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use typst::foundations::Bytes;
use typst::text::{Font, FontInfo, FontStretch, FontStyle, FontVariant, FontWeight};
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use crate::diag::Diagnostic;
use crate::profile::{Profile, ROLES};

/// The Fandol fonts shipped in `fonts/` (see fonts/README.md), compiled into the binary so
/// that a bare `nianbao` executable can always typeset.
const BUNDLED: [(&str, &[u8]); 6] = [
    ("FandolFang-Regular.otf", include_bytes!("../fonts/FandolFang-Regular.otf")),
    ("FandolHei-Bold.otf", include_bytes!("../fonts/FandolHei-Bold.otf")),
    ("FandolHei-Regular.otf", include_bytes!("../fonts/FandolHei-Regular.otf")),
    ("FandolKai-Regular.otf", include_bytes!("../fonts/FandolKai-Regular.otf")),
    ("FandolSong-Bold.otf", include_bytes!("../fonts/FandolSong-Bold.otf")),
    ("FandolSong-Regular.otf", include_bytes!("../fonts/FandolSong-Regular.otf")),
];

/// Whether installed system fonts take part in resolution (`--fonts system|bundled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FontPolicy {
    /// `--font-path` folders, then system fonts, then the bundled fonts.
    #[default]
    System,
    /// `--font-path` folders, then the bundled fonts; the system is ignored (reproducible
    /// builds, CI).
    Bundled,
}

/// Where fonts are looked for.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub policy: FontPolicy,
}

/// Where a face was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A file in a `--font-path` folder.
    FontPath { path: PathBuf, index: u32 },
    /// An installed system font.
    System { path: PathBuf, index: u32 },
    /// A Fandol font compiled into the binary.
    Bundled { file: String },
}

impl Origin {
    fn rank(&self) -> u8 {
        match self {
            Origin::FontPath { .. } => 0,
            Origin::System { .. } => 1,
            Origin::Bundled { .. } => 2,
        }
    }

    /// `font-path`, `system` or `bundled`.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::FontPath { .. } => "font-path",
            Origin::System { .. } => "system",
            Origin::Bundled { .. } => "bundled",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::FontPath { path, index } | Origin::System { path, index } => {
                write!(f, "{} {}", self.kind(), path.display())?;
                if *index > 0 {
                    write!(f, " #{index}")?;
                }
                Ok(())
            }
            Origin::Bundled { file } => write!(f, "bundled fonts/{file}"),
        }
    }
}

/// One face found somewhere, not loaded yet.
pub struct Found {
    pub info: FontInfo,
    pub origin: Origin,
}

/// A face compiled into the binary, parsed on first use.
struct Embedded(&'static [u8]);

impl FontSource for Embedded {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.0), 0)
    }
}

impl Found {
    fn source(&self) -> Box<dyn FontSource> {
        match &self.origin {
            Origin::FontPath { path, index } | Origin::System { path, index } => {
                Box::new(FontPath { path: path.clone(), index: *index })
            }
            Origin::Bundled { file } => {
                let data = BUNDLED.iter().find(|(f, _)| f == file).map(|(_, d)| *d).unwrap_or_default();
                Box::new(Embedded(data))
            }
        }
    }
}

/// Every face that resolution may choose from, in priority order.
pub struct Catalogue {
    pub faces: Vec<Found>,
}

impl Catalogue {
    /// Scan the `--font-path` folders, the system (unless `--fonts bundled`) and the bundled
    /// fonts. A `--font-path` that is not a readable folder is an error.
    pub fn discover(options: &FontOptions) -> Result<Catalogue, Diagnostic> {
        let mut faces = Vec::new();
        for dir in &options.font_paths {
            if !dir.is_dir() {
                return Err(Diagnostic::error(
                    "font-path",
                    "",
                    format!("字体目录 {} 不存在或不是目录", dir.display()),
                    format!("font folder {} does not exist or is not a folder", dir.display()),
                ));
            }
            let mut found: Vec<Found> = typst_kit::fonts::scan(dir)
                .map(|(p, info)| Found { info, origin: Origin::FontPath { path: p.path, index: p.index } })
                .collect();
            found.sort_by_key(|a| origin_key(&a.origin));
            faces.extend(found);
        }
        if options.policy == FontPolicy::System {
            let mut found: Vec<Found> = typst_kit::fonts::system()
                .map(|(p, info)| Found { info, origin: Origin::System { path: p.path, index: p.index } })
                .collect();
            // fontdb's order depends on directory listing order; sort for stable choices.
            found.sort_by_key(|a| origin_key(&a.origin));
            faces.extend(found);
        }
        for (file, data) in BUNDLED {
            if let Some(info) = FontInfo::new(data, 0) {
                faces.push(Found { info, origin: Origin::Bundled { file: file.to_string() } });
            }
        }
        Ok(Catalogue { faces })
    }

    /// Family names by origin kind, sorted, for `nianbao fonts`.
    pub fn families(&self) -> Vec<(&'static str, String, usize)> {
        let mut map: BTreeMap<(u8, &'static str, String), usize> = BTreeMap::new();
        for f in &self.faces {
            *map.entry((f.origin.rank(), f.origin.kind(), f.info.family.clone())).or_default() += 1;
        }
        map.into_iter().map(|((_, kind, family), n)| (kind, family, n)).collect()
    }
}

fn origin_key(o: &Origin) -> (PathBuf, u32) {
    match o {
        Origin::FontPath { path, index } | Origin::System { path, index } => (path.clone(), *index),
        Origin::Bundled { file } => (PathBuf::from(file), 0),
    }
}

/// The font chosen for one role.
#[derive(Debug, Clone, Serialize)]
pub struct RoleChoice {
    pub role: String,
    /// Family name as Typst's font book reports it; what the template asks for.
    pub family: String,
    /// CSS weight the template asks for (400 regular, 700 bold).
    pub weight: u16,
    /// The face that serves it (the best match for family and weight).
    pub origin: Origin,
    /// The official font name of the role (e.g. 仿宋_GB2312), for messages.
    pub official: String,
    /// True when the role is served by its `bundled` substitute, not by the official font or
    /// one of its listed equivalents.
    pub is_substitute: bool,
    /// Index of the selected face in the [`FontSet`]'s book.
    #[serde(skip)]
    pub index: usize,
}

/// The closed set of faces a document is typeset with, and the choice per role.
pub struct FontSet {
    pub store: FontStore,
    pub roles: BTreeMap<String, RoleChoice>,
    /// role → the code points its face covers, for the glyph check before typesetting.
    coverage: BTreeMap<String, CodePoints>,
}

/// The code points of a face as sorted, disjoint ranges. Typst's `Coverage` answers by walking
/// its runs from the start (thousands for a CJK face); every printed character of every report
/// is checked, so the ranges are built once per run and searched by bisection.
#[derive(Debug, Default)]
pub struct CodePoints(Vec<(u32, u32)>);

impl CodePoints {
    fn of(info: &FontInfo) -> CodePoints {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for c in info.coverage.iter() {
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == c => *end = c,
                _ => ranges.push((c, c)),
            }
        }
        CodePoints(ranges)
    }

    pub fn contains(&self, c: char) -> bool {
        let c = c as u32;
        let i = self.0.partition_point(|&(_, end)| end < c);
        self.0.get(i).is_some_and(|&(start, _)| start <= c)
    }
}

impl FontSet {
    /// Resolve every role of the profile against the catalogue.
    pub fn resolve(catalogue: &Catalogue, profile: &Profile) -> Result<FontSet, Diagnostic> {
        // Family (lower-cased) → the place its faces are taken from. A family used by two roles
        // comes from one place, so the closed book never holds two faces under one name.
        let mut places: Vec<(String, Origin)> = Vec::new();
        let mut picks: Vec<(String, String, u16, bool)> = Vec::new();
        for role in ROLES {
            let rf = profile.role(role);
            let mut names: Vec<String> = rf.system.iter().map(|s| s.to_lowercase()).collect();
            names.push(rf.official.to_lowercase());
            let official = catalogue
                .faces
                .iter()
                .filter(|f| !matches!(f.origin, Origin::Bundled { .. }))
                .filter_map(|f| names.iter().position(|n| *n == f.info.family.to_lowercase()).map(|pos| (f, pos)))
                .min_by_key(|(f, pos)| (f.origin.rank(), *pos))
                .map(|(f, _)| f);
            let (face, weight, substitute) = match official {
                Some(f) => (f, 400u16, false),
                None => {
                    let want = rf.bundled.to_lowercase();
                    let hit = catalogue
                        .faces
                        .iter()
                        .filter(|f| f.info.family.to_lowercase() == want)
                        .min_by_key(|f| (f.origin.rank() + 1) % 3);
                    let Some(f) = hit else {
                        return Err(Diagnostic::error(
                            "font-missing",
                            "",
                            format!(
                                "找不到“{role}”角色的字体：既没有 {}（{}），也没有备用字体 {}",
                                rf.official,
                                rf.system.join("、"),
                                rf.bundled
                            ),
                            format!(
                                "no font for role `{role}`: neither {} ({}) nor the fallback {} was found",
                                rf.official,
                                rf.system.join(", "),
                                rf.bundled
                            ),
                        )
                        .with_hint("用 --font-path 指定字体目录，或修改版式配置文件中的字体名 / pass --font-path DIR or change the family names in the profile"));
                    };
                    (f, if rf.bundled_weight == "bold" { 700 } else { 400 }, true)
                }
            };
            let family = face.info.family.clone();
            let lower = family.to_lowercase();
            if !places.iter().any(|(n, _)| *n == lower) {
                places.push((lower, face.origin.clone()));
            }
            picks.push((role.to_string(), family, weight, substitute));
        }

        // The closed store: every face of each chosen family from its place.
        let mut store = FontStore::new();
        let mut store_origins = Vec::new();
        for (lower, place) in &places {
            for f in &catalogue.faces {
                if f.info.family.to_lowercase() == *lower && same_place(&f.origin, place) {
                    store.push((BoxedSource(f.source()), f.info.clone()));
                    store_origins.push(f.origin.clone());
                }
            }
        }
        let mut roles = BTreeMap::new();
        for (role, family, weight, substitute) in picks {
            let variant = FontVariant::new(FontStyle::Normal, FontWeight::from_number(weight), FontStretch::NORMAL);
            let index = store.book().select(&family.to_lowercase(), variant).ok_or_else(|| {
                Diagnostic::error(
                    "font-missing",
                    "",
                    format!("字体 {family} 无法选用"),
                    format!("font family {family} cannot be selected"),
                )
            })?;
            roles.insert(
                role.clone(),
                RoleChoice {
                    official: profile.role(&role).official.clone(),
                    role,
                    family,
                    weight,
                    origin: store_origins[index].clone(),
                    is_substitute: substitute,
                    index,
                },
            );
        }
        let coverage = roles
            .iter()
            .map(|(role, choice)| {
                let points = store.book().info(choice.index).map(CodePoints::of).unwrap_or_default();
                (role.clone(), points)
            })
            .collect();
        Ok(FontSet { store, roles, coverage })
    }

    /// Does the face chosen for `role` have a glyph for `c`?
    pub fn covers(&self, role: &str, c: char) -> bool {
        self.coverage(role).is_some_and(|p| p.contains(c))
    }

    /// The code points of the face chosen for `role`; looked up once per text.
    pub fn coverage(&self, role: &str) -> Option<&CodePoints> {
        self.coverage.get(role)
    }

    pub fn role(&self, role: &str) -> Option<&RoleChoice> {
        self.roles.get(role)
    }
}

/// Same kind of place: bundled with bundled, or the same file for font-path/system faces of
/// one family (a family split over several files in one folder is kept together).
fn same_place(a: &Origin, b: &Origin) -> bool {
    match (a, b) {
        (Origin::Bundled { .. }, Origin::Bundled { .. }) => true,
        (Origin::FontPath { path: p, .. }, Origin::FontPath { path: q, .. })
        | (Origin::System { path: p, .. }, Origin::System { path: q, .. }) => p.parent() == q.parent(),
        _ => false,
    }
}

/// Adapter: `FontStore::push` wants a sized `FontSource`.
struct BoxedSource(Box<dyn FontSource>);

impl FontSource for BoxedSource {
    fn load(&self) -> Option<Font> {
        self.0.load()
    }
}

/// Is `c` a character that needs no glyph (spaces, line breaks, controls, joiners, variation
/// selectors)? Typst does not draw these from the font.
pub fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace() || c.is_control() || typst::text::is_default_ignorable(c)
}

/// The bundled font files (name, bytes), for `nianbao fonts`.
pub fn bundled_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUNDLED.iter().copied()
}
