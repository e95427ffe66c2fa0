//! Renderers: the resolved report and the layout profile in, document bytes out.
//!
//! `pdf` typesets through embedded Typst; `docx` writes WordprocessingML through docx-rs. Both
//! read only [`crate::resolve::Resolved`] and [`crate::profile::Profile`]. What both need from
//! outside the report — the seal image — is loaded and validated here, once.

pub mod docx;
pub mod ofd;
pub mod pdf;

use crate::diag::Diagnostic;
use crate::input::io_zh;
use crate::resolve::Seal;

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

fn parse_svg(bytes: &[u8], path: &std::path::Path) -> Result<resvg::usvg::Tree, Diagnostic> {
    resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default()).map_err(|e| {
        seal_error(
            format!("印章图片 {} 既不是 PNG 也不是有效的 SVG：{e}", path.display()),
            format!("seal {} is neither a PNG nor a valid SVG: {e}", path.display()),
        )
    })
}

/// The bitmap size of a rasterised SVG seal and its scale: about 600 px across, enough for
/// print at seal size (42 mm ≈ 360 dpi). Checked when the seal is loaded, so a seal that could
/// not be rasterised stops the report before any document is written, not halfway.
fn raster_size(size: resvg::usvg::Size, path: &std::path::Path) -> Result<(u32, u32, f32), Diagnostic> {
    let (w, h) = (size.width(), size.height());
    let scale = 600.0 / w.max(1.0);
    let (pw, ph) = (((w * scale).ceil() as u32).max(1), ((h * scale).ceil() as u32).max(1));
    // tiny-skia refuses a pixmap whose row stride times height overflows an i32.
    if (pw as u64) * (ph as u64) * 4 > i32::MAX as u64 {
        return Err(seal_error(
            format!("印章图片 {} 尺寸无效（宽高比过大）", path.display()),
            format!("seal {} has an invalid size (aspect ratio too extreme)", path.display()),
        ));
    }
    Ok((pw, ph, scale))
}

fn rasterise(bytes: &[u8], path: &std::path::Path) -> Result<Vec<u8>, Diagnostic> {
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

/// Read and decode the seal; a seal that cannot be read or decoded is an error naming the
/// path, never a silent omission (input-format.md `signature.seal`).
pub fn load_seal(seal: &Seal) -> Result<SealImage, Diagnostic> {
    let path = &seal.path;
    let bytes = std::fs::read(path).map_err(|e| {
        seal_error(
            format!("无法读取印章图片 {}：{}", path.display(), io_zh(&e)),
            format!("cannot read the seal image {}: {e}", path.display()),
        )
    })?;
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).map_err(|e| {
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
