//! The seal image (`signature.seal`): read, checked and decoded under one policy for PDF and
//! DOCX alike.
//!
//! - A seal path must name a regular file of at most [`SEAL_FILE_BYTES_MAX`]: devices, FIFOs
//!   and folders are refused before they are opened, large files from their size.
//! - A PNG seal has at most [`SEAL_PIXELS_MAX`] pixels, read from its header before it is
//!   decoded.
//! - An SVG seal is self-contained: every linked resource (`<image href>` to a path, relative
//!   or absolute, or to a URL) is refused, naming the seal and the link, so neither renderer
//!   can bring a file of the machine into a document. Compressed SVG (svgz) is refused (its
//!   unpacked size is not known before unpacking).
//! - Images embedded in an SVG seal (data URIs) are PNG, JPEG, GIF or WebP of at most
//!   [`SEAL_PIXELS_MAX`] pixels each (from their headers, before any decoder sees them), at
//!   most [`SEAL_EMBEDDED_IMAGES_MAX`] of them, and SVG documents nest at most
//!   [`SEAL_SVG_NESTING_MAX`] deep; the document, with every `<use>` expanded, has at most
//!   [`SEAL_SVG_ELEMENTS_MAX`] elements and [`SEAL_SVG_DEPTH_MAX`] levels.
//!
//! The checks run when the seal is loaded, before any document is written; Typst (PDF) and
//! resvg (DOCX) then parse an SVG that is known to be within these bounds.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use resvg::usvg;

use crate::diag::Diagnostic;
use crate::input::io_zh;
use crate::limits::{
    mib, SEAL_EMBEDDED_IMAGES_MAX, SEAL_FILE_BYTES_MAX, SEAL_PIXELS_MAX, SEAL_SVG_ELEMENTS_MAX, SEAL_SVG_NESTING_MAX,
};
use crate::resolve::Seal;

/// Deepest element nesting of an SVG seal (usvg converts the tree recursively).
pub const SEAL_SVG_DEPTH_MAX: usize = 256;

/// Image formats accepted for `signature.seal` (input-format.md `signature`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealFormat {
    Png,
    Svg,
}

/// A seal image read from disk and checked to decode.
#[derive(Debug, Clone)]
pub struct SealImage {
    pub bytes: Vec<u8>,
    pub format: SealFormat,
    /// Intrinsic size in pixels (PNG) or user units (SVG); gives the aspect ratio.
    pub width: f64,
    pub height: f64,
    /// Where it was read from, for messages.
    pub path: std::path::PathBuf,
}

impl SealImage {
    /// A PNG rendering, for writers that take only bitmaps (DOCX): the PNG itself, or the SVG
    /// rasterised. Made on demand: Typst draws the SVG itself, so a PDF-only run never pays
    /// for rasterising.
    pub fn bitmap(&self) -> Result<std::borrow::Cow<'_, [u8]>, Diagnostic> {
        match self.format {
            SealFormat::Png => Ok(std::borrow::Cow::Borrowed(&self.bytes)),
            SealFormat::Svg => rasterise(&self.bytes, &self.path).map(std::borrow::Cow::Owned),
        }
    }
}

fn seal_error(zh: String, en: String) -> Diagnostic {
    Diagnostic::error("seal-invalid", "signature.seal", zh, en)
        .with_hint("印章须为 PNG 或 SVG 文件；相对路径相对于报告文件所在目录 / the seal must be a PNG or SVG file; a relative path is taken from the report's folder")
}

fn limit_error(path: &Path, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(
        "seal-limit",
        "signature.seal",
        format!("印章图片 {}：{zh}", path.display()),
        format!("seal {}: {en}", path.display()),
    )
    .with_hint("见 README「安全与限制」/ see README, Safety and limits")
}

/// What the SVG resolvers found wrong, collected while usvg parses.
#[derive(Default)]
struct Findings {
    linked: Vec<String>,
    limits: Vec<(String, String)>,
}

/// Parse an SVG seal under the policy of this module: links refused, embedded images bounded.
fn parse_svg(bytes: &[u8], path: &Path) -> Result<usvg::Tree, Diagnostic> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(limit_error(
            path,
            "压缩的 SVG（svgz）不受支持，请保存为未压缩的 SVG".into(),
            "compressed SVG (svgz) is not accepted; save it as plain SVG".into(),
        ));
    }
    prescan(bytes).map_err(|(zh, en)| limit_error(path, zh, en))?;
    let findings = Mutex::new(Findings::default());
    let images = AtomicUsize::new(0);
    let depth = AtomicUsize::new(0);
    let note_limit = |zh: String, en: String| {
        if let Ok(mut f) = findings.lock() {
            f.limits.push((zh, en));
        }
    };
    let resolve_data = |mime: &str, data: Arc<Vec<u8>>, opts: &usvg::Options| -> Option<usvg::ImageKind> {
        if images.fetch_add(1, Ordering::SeqCst) >= SEAL_EMBEDDED_IMAGES_MAX {
            note_limit(
                format!("内嵌图片超过 {SEAL_EMBEDDED_IMAGES_MAX} 个"),
                format!("more than {SEAL_EMBEDDED_IMAGES_MAX} embedded images"),
            );
            return None;
        }
        let is_svg = mime == "image/svg+xml" || (mime == "text/plain" && imagesize::image_type(&data).is_err());
        if is_svg {
            if data.starts_with(&[0x1f, 0x8b]) {
                note_limit("内嵌了压缩的 SVG（svgz）".into(), "it embeds a compressed SVG (svgz)".into());
                return None;
            }
            if depth.load(Ordering::SeqCst) + 1 >= SEAL_SVG_NESTING_MAX {
                note_limit(
                    format!("内嵌 SVG 的嵌套超过 {SEAL_SVG_NESTING_MAX} 层"),
                    format!("embedded SVG documents nest deeper than {SEAL_SVG_NESTING_MAX}"),
                );
                return None;
            }
            if let Err((zh, en)) = prescan(&data) {
                note_limit(format!("内嵌的 SVG {zh}"), format!("an embedded SVG: {en}"));
                return None;
            }
            depth.fetch_add(1, Ordering::SeqCst);
            let tree = usvg::Tree::from_data_nested(&data, opts);
            depth.fetch_sub(1, Ordering::SeqCst);
            return tree.ok().map(usvg::ImageKind::SVG);
        }
        let kind = match imagesize::image_type(&data) {
            Ok(imagesize::ImageType::Png) => usvg::ImageKind::PNG(data.clone()),
            Ok(imagesize::ImageType::Jpeg) => usvg::ImageKind::JPEG(data.clone()),
            Ok(imagesize::ImageType::Gif) => usvg::ImageKind::GIF(data.clone()),
            Ok(imagesize::ImageType::Webp) => usvg::ImageKind::WEBP(data.clone()),
            _ => {
                note_limit(
                    format!("内嵌图片格式不受支持（{mime}）"),
                    format!("an embedded image is of an unsupported kind ({mime})"),
                );
                return None;
            }
        };
        match imagesize::blob_size(&data) {
            Ok(size) if (size.width as u64).saturating_mul(size.height as u64) <= SEAL_PIXELS_MAX => Some(kind),
            Ok(size) => {
                note_limit(
                    format!("内嵌图片 {}×{} 像素，超过上限 {SEAL_PIXELS_MAX} 像素", size.width, size.height),
                    format!(
                        "an embedded image has {}×{} pixels, more than the limit of {SEAL_PIXELS_MAX}",
                        size.width, size.height
                    ),
                );
                None
            }
            Err(_) => {
                note_limit("内嵌图片无法识别尺寸".into(), "an embedded image has no readable size".into());
                None
            }
        }
    };
    let resolve_string = |href: &str, _: &usvg::Options| -> Option<usvg::ImageKind> {
        if let Ok(mut f) = findings.lock() {
            f.linked.push(href.chars().take(200).collect());
        }
        None
    };
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(resolve_data),
            resolve_string: Box::new(resolve_string),
        },
        ..usvg::Options::default()
    };
    let parsed = usvg::Tree::from_data(bytes, &options);
    drop(options);
    let findings = findings.into_inner().unwrap_or_default();
    if let Some(href) = findings.linked.first() {
        return Err(Diagnostic::error(
            "seal-linked",
            "signature.seal",
            format!("印章图片 {} 引用了外部资源 {href}：印章须自成一体，不得链接文件或网址", path.display()),
            format!(
                "seal {} links to the outside resource {href}: a seal must be self-contained, with no linked files or URLs",
                path.display()
            ),
        )
        .with_hint("把图片以 data: URI 嵌入 SVG，或直接使用 PNG 印章 / embed the image as a data: URI, or use a PNG seal"));
    }
    if let Some((zh, en)) = findings.limits.into_iter().next() {
        return Err(limit_error(path, zh, en));
    }
    parsed.map_err(|e| {
        seal_error(
            format!("印章图片 {} 既不是 PNG 也不是有效的 SVG：{e}", path.display()),
            format!("seal {} is neither a PNG nor a valid SVG: {e}", path.display()),
        )
    })
}

/// Check an SVG document's shape before usvg builds it: element depth, and the element count
/// with every `<use>` expanded (usvg copies the referenced subtree for each `<use>`, so a
/// chain of doubling references grows exponentially). Text that is not XML passes: usvg then
/// reports it.
fn prescan(bytes: &[u8]) -> Result<(), (String, String)> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: SEAL_SVG_ELEMENTS_MAX as u32 * 4,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(d) => d,
        Err(roxmltree::Error::NodesLimitReached) => {
            return Err((
                format!("节点超过 {} 个", SEAL_SVG_ELEMENTS_MAX * 4),
                format!("more than {} nodes", SEAL_SVG_ELEMENTS_MAX * 4),
            ))
        }
        Err(_) => return Ok(()),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.ancestors().count() > SEAL_SVG_DEPTH_MAX + 1 {
            return Err((
                format!("元素嵌套超过 {SEAL_SVG_DEPTH_MAX} 层"),
                format!("elements nest deeper than {SEAL_SVG_DEPTH_MAX}"),
            ));
        }
    }
    let ids: HashMap<&str, roxmltree::Node> =
        doc.descendants().filter_map(|n| n.attribute("id").map(|id| (id, n))).collect();
    let mut memo: HashMap<roxmltree::NodeId, u64> = HashMap::new();
    let mut active = Vec::new();
    let total = expanded(doc.root_element(), &ids, &mut memo, &mut active);
    if total > SEAL_SVG_ELEMENTS_MAX {
        return Err((
            format!("展开 <use> 后元素超过 {SEAL_SVG_ELEMENTS_MAX} 个"),
            format!("more than {SEAL_SVG_ELEMENTS_MAX} elements once every <use> is expanded"),
        ));
    }
    Ok(())
}

/// Elements below and including `node`, with `<use>` targets counted where they are used;
/// saturates above the limit. A reference cycle counts nothing (usvg skips it).
fn expanded<'a>(
    node: roxmltree::Node<'a, 'a>,
    ids: &HashMap<&str, roxmltree::Node<'a, 'a>>,
    memo: &mut HashMap<roxmltree::NodeId, u64>,
    active: &mut Vec<roxmltree::NodeId>,
) -> u64 {
    if let Some(&n) = memo.get(&node.id()) {
        return n;
    }
    if active.contains(&node.id()) || active.len() > SEAL_SVG_DEPTH_MAX * 4 {
        return if active.len() > SEAL_SVG_DEPTH_MAX * 4 { SEAL_SVG_ELEMENTS_MAX + 1 } else { 0 };
    }
    active.push(node.id());
    let mut n = 1u64;
    for child in node.children().filter(|c| c.is_element()) {
        n = n.saturating_add(expanded(child, ids, memo, active));
        if n > SEAL_SVG_ELEMENTS_MAX {
            break;
        }
    }
    if node.tag_name().name() == "use" && n <= SEAL_SVG_ELEMENTS_MAX {
        let href =
            node.attribute(("http://www.w3.org/1999/xlink", "href")).or_else(|| node.attribute("href")).unwrap_or("");
        if let Some(target) = href.strip_prefix('#').and_then(|id| ids.get(id)) {
            n = n.saturating_add(expanded(*target, ids, memo, active));
        }
    }
    active.pop();
    let n = n.min(SEAL_SVG_ELEMENTS_MAX + 1);
    memo.insert(node.id(), n);
    n
}

/// The bitmap size of a rasterised SVG seal and its scale: about 600 px across, enough for
/// print at seal size (42 mm ≈ 360 dpi). Checked when the seal is loaded, so a seal that could
/// not be rasterised stops the report before any document is written, not halfway.
fn raster_size(size: usvg::Size, path: &Path) -> Result<(u32, u32, f32), Diagnostic> {
    let (w, h) = (size.width(), size.height());
    let scale = 600.0 / w.max(1.0);
    let (pw, ph) = (((w * scale).ceil() as u32).max(1), ((h * scale).ceil() as u32).max(1));
    if (pw as u64) * (ph as u64) > SEAL_PIXELS_MAX {
        return Err(limit_error(
            path,
            "尺寸无效（宽高比过大）".into(),
            "the size is invalid (aspect ratio too extreme)".into(),
        ));
    }
    Ok((pw, ph, scale))
}

fn rasterise(bytes: &[u8], path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let tree = parse_svg(bytes, path)?;
    let (pw, ph, scale) = raster_size(tree.size(), path)?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| {
        seal_error(
            format!("印章图片 {} 尺寸无效", path.display()),
            format!("seal {} has an invalid size", path.display()),
        )
    })?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| {
        seal_error(
            format!("无法转换印章图片 {}：{e}", path.display()),
            format!("cannot rasterise seal {}: {e}", path.display()),
        )
    })
}

/// Width and height of a PNG from its header (IHDR), before anything is decoded.
fn png_size(bytes: &[u8]) -> Option<(u64, u64)> {
    let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((w as u64, h as u64))
}

/// Read a seal file: a regular file within the size limit.
fn read_seal(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    crate::input::read_limited(path, SEAL_FILE_BYTES_MAX).map_err(|d| match d.rule {
        "input-too-large" => limit_error(
            path,
            format!("文件大于上限 {}", mib(SEAL_FILE_BYTES_MAX)),
            format!("the file is larger than the limit of {}", mib(SEAL_FILE_BYTES_MAX)),
        ),
        "input-not-file" => limit_error(
            path,
            "不是普通文件（设备、管道或目录），未读取".into(),
            "not a regular file (a device, FIFO or folder); it was not read".into(),
        ),
        _ => {
            let e = std::fs::metadata(path).err();
            let zh = e.as_ref().map(io_zh).unwrap_or("输入输出错误");
            let en = e.map(|e| e.to_string()).unwrap_or_else(|| d.message_en.clone());
            seal_error(
                format!("无法读取印章图片 {}：{zh}", path.display()),
                format!("cannot read the seal image {}: {en}", path.display()),
            )
        }
    })
}

/// Read and decode the seal; a seal that cannot be read or decoded, or breaks the policy of
/// this module, is an error naming the path, never a silent omission (input-format.md
/// `signature.seal`).
pub fn load_seal(seal: &Seal) -> Result<SealImage, Diagnostic> {
    let bytes = read_seal(&seal.path)?;
    seal_from_bytes(bytes, &seal.path)
}

/// Decode a seal that arrived as bytes (an upload to `nianbao serve`), with the same checks and
/// limits as [`load_seal`]; `name` only labels messages and is never opened.
pub fn seal_from_bytes(bytes: Vec<u8>, name: &Path) -> Result<SealImage, Diagnostic> {
    if bytes.len() as u64 > SEAL_FILE_BYTES_MAX {
        return Err(limit_error(
            name,
            format!("文件大于上限 {}", mib(SEAL_FILE_BYTES_MAX)),
            format!("the file is larger than the limit of {}", mib(SEAL_FILE_BYTES_MAX)),
        ));
    }
    let path = &name.to_path_buf();
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let (w, h) = png_size(&bytes).unwrap_or((0, 0));
        if w.saturating_mul(h) > SEAL_PIXELS_MAX {
            return Err(limit_error(
                path,
                format!("{w}×{h} 像素，超过上限 {SEAL_PIXELS_MAX} 像素"),
                format!("{w}×{h} pixels, more than the limit of {SEAL_PIXELS_MAX}"),
            ));
        }
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&bytes), image::ImageFormat::Png);
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(w.min(u32::MAX as u64) as u32);
        limits.max_image_height = Some(h.min(u32::MAX as u64) as u32);
        // Decoded RGBA16 at the pixel limit, plus the decoder's buffers.
        limits.max_alloc = Some(SEAL_PIXELS_MAX * 8 + (16 << 20));
        reader.limits(limits);
        let img = reader.decode().map_err(|e| {
            seal_error(
                format!("印章图片 {} 不是有效的 PNG：{e}", path.display()),
                format!("seal {} is not a valid PNG: {e}", path.display()),
            )
        })?;
        let (width, height) = (img.width() as f64, img.height() as f64);
        return Ok(SealImage { bytes, format: SealFormat::Png, width, height, path: path.clone() });
    }
    let size = parse_svg(&bytes, path)?.size();
    raster_size(size, path)?;
    let (width, height) = (size.width() as f64, size.height() as f64);
    Ok(SealImage { bytes, format: SealFormat::Svg, width, height, path: path.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg_err(svg: &str) -> Option<&'static str> {
        parse_svg(svg.as_bytes(), Path::new("s.svg")).err().map(|d| d.rule)
    }

    #[test]
    fn linked_images_are_refused() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/passwd" width="5" height="5"/></svg>"#;
        assert_eq!(svg_err(svg), Some("seal-linked"));
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="https://example.org/a.png" width="5" height="5"/></svg>"#;
        assert_eq!(svg_err(svg), Some("seal-linked"));
    }

    #[test]
    fn use_chains_are_bounded() {
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><rect id="a0" width="1" height="1"/>"#,
        );
        for i in 1..40 {
            svg.push_str(&format!(r##"<g id="a{i}"><use href="#a{p}"/><use href="#a{p}"/></g>"##, p = i - 1));
        }
        svg.push_str(r##"</defs><use href="#a39"/></svg>"##);
        assert_eq!(svg_err(&svg), Some("seal-limit"));
    }

    #[test]
    fn a_plain_svg_passes() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="red"/></svg>"#;
        assert_eq!(svg_err(svg), None);
    }
}
