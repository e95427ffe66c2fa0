//! Page content: Typst's laid-out frames turned into OFD graphic objects, item for item.
//!
//! Every text item becomes a `TextObject` (GB/T 33190-2016 §11.3) whose characters stand at the
//! positions of their glyphs — advances and offsets exactly as the layout computed them, so
//! line breaks and positions are the PDF's; every shape a `PathObject` (§9.1); every image an
//! `ImageObject` (§10). Coordinates are millimetres with the origin at the page's top-left and y
//! growing downwards (§7.3, §8.2): the same orientation as Typst's, so only the unit changes.
//! Each object's `Boundary` is its box on the page and its own coordinates are relative to the
//! box's top-left corner; a transform that is more than a translation goes into `CTM`.

use std::collections::{BTreeSet, HashMap};

use typst::layout::{Frame, FrameItem, Point, Size, Transform};
use typst::text::{Font, TextItem};
use typst::visualize::{
    Curve, CurveItem, ExchangeFormat, FillRule, Geometry, Image, ImageKind, LineCap, LineJoin, Paint, RasterFormat,
    Shape,
};
use typst_layout::PagedDocument;

use super::xml::{mm, xml_char};
use crate::diag::Diagnostic;
use crate::render::{SealFormat, SealImage};

/// An affine map in points: `x' = a x + c y + e`, `y' = b x + d y + f` (Typst's `Transform`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Affine {
    const IDENTITY: Affine = Affine { a: 1.0, b: 0.0, c: 0.0, d: 1.0, e: 0.0, f: 0.0 };

    fn translate(x: f64, y: f64) -> Affine {
        Affine { e: x, f: y, ..Affine::IDENTITY }
    }

    fn from_typst(t: &Transform) -> Affine {
        Affine { a: t.sx.get(), b: t.ky.get(), c: t.kx.get(), d: t.sy.get(), e: t.tx.to_pt(), f: t.ty.to_pt() }
    }

    /// `self ∘ inner`: apply `inner` first.
    fn then(self, inner: Affine) -> Affine {
        Affine {
            a: self.a * inner.a + self.c * inner.b,
            b: self.b * inner.a + self.d * inner.b,
            c: self.a * inner.c + self.c * inner.d,
            d: self.b * inner.c + self.d * inner.d,
            e: self.a * inner.e + self.c * inner.f + self.e,
            f: self.b * inner.e + self.d * inner.f + self.f,
        }
    }

    /// A point in points → the page in millimetres.
    fn apply_mm(&self, x: f64, y: f64) -> (f64, f64) {
        (mm(self.a * x + self.c * y + self.e), mm(self.b * x + self.d * y + self.f))
    }

    fn is_translation(&self) -> bool {
        (self.a - 1.0).abs() < 1e-9 && self.b.abs() < 1e-9 && self.c.abs() < 1e-9 && (self.d - 1.0).abs() < 1e-9
    }

    fn scale(&self) -> f64 {
        (self.a * self.d - self.b * self.c).abs().sqrt()
    }
}

/// RGBA, 0–255 (the default RGB colour space, GB/T 33190-2016 §8.3.2).
pub type Rgba = [u8; 4];

/// Where an object stands: its box on the page and, when the layout rotated, skewed or scaled
/// it, the matrix from its own coordinates to the box (`CTM`, §8.2).
#[derive(Debug, Clone)]
pub struct Placement {
    pub boundary: [f64; 4],
    pub ctm: Option<[f64; 6]>,
}

/// Characters and the glyphs that draw them, as one unit of the text (a cluster).
#[derive(Debug, Clone)]
pub struct Cluster {
    pub chars: Vec<char>,
    /// Layout glyph ids, in drawing order.
    pub glyphs: Vec<u16>,
}

#[derive(Debug, Clone)]
pub struct Text {
    /// Index into [`Collected::fonts`].
    pub font: usize,
    pub size_mm: f64,
    pub fill: Rgba,
    pub at: Placement,
    pub clusters: Vec<Cluster>,
    /// Position of every character (all clusters in order), in the object's coordinates.
    pub positions: Vec<(f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct Stroke {
    pub color: Rgba,
    pub width_mm: f64,
    pub cap: &'static str,
    pub join: &'static str,
    pub miter_limit: f64,
    pub dash_mm: Option<(f64, Vec<f64>)>,
}

#[derive(Debug, Clone)]
pub struct Path {
    pub at: Placement,
    /// `AbbreviatedData` (§9.3.2, table 37), relative to the boundary.
    pub data: String,
    pub stroke: Option<Stroke>,
    pub fill: Option<Rgba>,
    pub even_odd: bool,
}

#[derive(Debug, Clone)]
pub struct Picture {
    pub at: Placement,
    /// Index into [`Collected::media`].
    pub media: usize,
}

#[derive(Debug, Clone)]
pub enum Object {
    Text(Text),
    Path(Path),
    Image(Picture),
}

pub struct PageContent {
    pub width_mm: f64,
    pub height_mm: f64,
    pub objects: Vec<Object>,
}

/// A bitmap for `MultiMedia` (§10.1): PNG or JPEG only, as OFD-A wants.
pub struct Media {
    pub bytes: Vec<u8>,
    /// `PNG` or `JPEG`.
    pub format: &'static str,
}

/// Everything the pages draw, with the fonts and glyphs they use.
pub struct Collected {
    pub pages: Vec<PageContent>,
    pub fonts: Vec<Font>,
    /// Per font: the layout glyph ids used, and the characters drawn one-to-one.
    pub glyphs: Vec<BTreeSet<u16>>,
    pub chars: Vec<BTreeSet<char>>,
    pub media: Vec<Media>,
    /// Group clip paths met (not carried into the OFD; the built-in template has none).
    pub clips_ignored: usize,
}

struct Collector<'a> {
    seal: Option<&'a SealImage>,
    out: Collected,
    font_index: HashMap<Font, usize>,
    media_index: HashMap<Image, usize>,
    objects: Vec<Object>,
}

/// Walk every page of `document`. Errors: an image that cannot be carried as PNG or JPEG.
pub fn collect(document: &PagedDocument, seal: Option<&SealImage>) -> Result<Collected, Diagnostic> {
    let mut c = Collector {
        seal,
        out: Collected {
            pages: Vec::new(),
            fonts: Vec::new(),
            glyphs: Vec::new(),
            chars: Vec::new(),
            media: Vec::new(),
            clips_ignored: 0,
        },
        font_index: HashMap::new(),
        media_index: HashMap::new(),
        objects: Vec::new(),
    };
    for page in document.pages() {
        c.frame(Affine::IDENTITY, &page.frame)?;
        let size = page.frame.size();
        let objects = std::mem::take(&mut c.objects);
        c.out.pages.push(PageContent { width_mm: mm(size.x.to_pt()), height_mm: mm(size.y.to_pt()), objects });
    }
    Ok(c.out)
}

impl Collector<'_> {
    fn frame(&mut self, m: Affine, frame: &Frame) -> Result<(), Diagnostic> {
        for (pos, item) in frame.items() {
            let m = m.then(Affine::translate(pos.x.to_pt(), pos.y.to_pt()));
            match item {
                FrameItem::Group(g) => {
                    if g.clip.is_some() {
                        self.out.clips_ignored += 1;
                    }
                    self.frame(m.then(Affine::from_typst(&g.transform)), &g.frame)?;
                }
                FrameItem::Text(t) => self.text(m, t),
                FrameItem::Shape(s, _) => self.shape(m, s),
                FrameItem::Image(img, size, _) => self.image(m, img, *size)?,
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
        Ok(())
    }

    fn font(&mut self, font: &Font) -> usize {
        if let Some(i) = self.font_index.get(font) {
            return *i;
        }
        let i = self.out.fonts.len();
        self.out.fonts.push(font.clone());
        self.out.glyphs.push(BTreeSet::new());
        self.out.chars.push(BTreeSet::new());
        self.font_index.insert(font.clone(), i);
        i
    }

    fn text(&mut self, m: Affine, t: &TextItem) {
        let size = t.size;
        let size_pt = size.to_pt();
        // Pen position of every glyph in the item's coordinates (points, baseline at y = 0,
        // y down; Typst's offsets and vertical advances are y-up).
        let mut pen = (0.0, 0.0);
        let mut at = Vec::with_capacity(t.glyphs.len());
        for g in &t.glyphs {
            at.push((pen.0 + g.x_offset.at(size).to_pt(), pen.1 - g.y_offset.at(size).to_pt()));
            pen.0 += g.x_advance.at(size).to_pt();
            pen.1 -= g.y_advance.at(size).to_pt();
        }
        // Clusters: consecutive glyphs whose text ranges overlap draw one piece of text.
        let mut groups: Vec<(std::ops::Range<usize>, Vec<usize>)> = Vec::new();
        for (i, g) in t.glyphs.iter().enumerate() {
            let r = g.range();
            if let Some((last, members)) = groups.last_mut() {
                if (r.start < last.end && last.start < r.end) || r.is_empty() || *last == r {
                    last.start = last.start.min(r.start);
                    last.end = last.end.max(r.end);
                    members.push(i);
                    continue;
                }
            }
            groups.push((r, vec![i]));
        }
        let mut clusters = Vec::new();
        let mut local = Vec::new();
        for (range, members) in groups {
            let Some(text) = t.text.get(range) else { continue };
            let chars: Vec<char> = text.chars().filter(|c| xml_char(*c)).collect();
            if chars.is_empty() {
                continue;
            }
            // Character j of the cluster stands where glyph j is drawn (a reader draws the
            // glyphs of a CGTransform at the positions of its characters, §11.4).
            for j in 0..chars.len() {
                local.push(at[members[j.min(members.len() - 1)]]);
            }
            clusters.push(Cluster { chars, glyphs: members.iter().map(|i| t.glyphs[*i].id).collect() });
        }
        // Spaces at either end draw nothing and would be lost by readers that trim element text.
        while clusters.first().is_some_and(|c| c.chars.iter().all(|c| c.is_whitespace())) {
            let n = clusters.remove(0).chars.len();
            local.drain(..n);
        }
        while clusters.last().is_some_and(|c| c.chars.iter().all(|c| c.is_whitespace())) {
            let n = clusters.pop().map(|c| c.chars.len()).unwrap_or(0);
            local.truncate(local.len() - n);
        }
        if clusters.is_empty() {
            return;
        }
        let font = self.font(t.font.font());
        for c in &clusters {
            self.out.glyphs[font].extend(c.glyphs.iter().copied());
            if c.chars.len() == 1 && c.glyphs.len() == 1 {
                self.out.chars[font].insert(c.chars[0]);
            }
        }
        // The box: generous around the glyphs (ascent up to 1.2 em, descent 0.5 em), since a
        // reader may clip an object to its boundary.
        let xs = local.iter().map(|p| p.0);
        let ys = local.iter().map(|p| p.1);
        let (x0, x1) = (xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
        let (y0, y1) = (ys.clone().fold(f64::INFINITY, f64::min), ys.fold(f64::NEG_INFINITY, f64::max));
        let bbox = [x0 - 0.5 * size_pt, y0 - 1.2 * size_pt, x1 + 1.5 * size_pt, y1 + 0.5 * size_pt];
        let (at, to_local) = place(m, bbox);
        let positions = local.iter().map(|(x, y)| to_local(*x, *y)).collect();
        self.objects.push(Object::Text(Text {
            font,
            size_mm: mm(size_pt),
            fill: color(&t.fill),
            at,
            clusters,
            positions,
        }));
    }

    fn shape(&mut self, m: Affine, s: &Shape) {
        let stroke = s.stroke.as_ref().filter(|st| st.thickness.to_pt() > 0.0);
        let fill = s.fill.as_ref().map(color);
        if stroke.is_none() && fill.is_none() {
            return;
        }
        let mut segs: Vec<(char, Vec<(f64, f64)>)> = Vec::new();
        match &s.geometry {
            Geometry::Line(p) => {
                segs.push(('M', vec![(0.0, 0.0)]));
                segs.push(('L', vec![(p.x.to_pt(), p.y.to_pt())]));
            }
            Geometry::Rect(size) => {
                let (w, h) = (size.x.to_pt(), size.y.to_pt());
                segs.push(('M', vec![(0.0, 0.0)]));
                segs.push(('L', vec![(w, 0.0)]));
                segs.push(('L', vec![(w, h)]));
                segs.push(('L', vec![(0.0, h)]));
                segs.push(('C', vec![]));
            }
            Geometry::Curve(curve) => curve_segments(curve, &mut segs),
        }
        // Page millimetres.
        let segs: Vec<(char, Vec<(f64, f64)>)> =
            segs.into_iter().map(|(op, pts)| (op, pts.into_iter().map(|(x, y)| m.apply_mm(x, y)).collect())).collect();
        let all: Vec<(f64, f64)> = segs.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        if all.is_empty() {
            return;
        }
        let width_mm = stroke.map(|st| mm(st.thickness.to_pt()) * m.scale()).unwrap_or(0.0);
        let pad = width_mm / 2.0 + 0.1;
        let x0 = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min) - pad;
        let y0 = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) - pad;
        let x1 = all.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max) + pad;
        let y1 = all.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max) + pad;
        let mut data = String::new();
        for (op, pts) in &segs {
            if !data.is_empty() {
                data.push(' ');
            }
            data.push(*op);
            for (x, y) in pts {
                data.push(' ');
                super::xml::push_num(&mut data, x - x0);
                data.push(' ');
                super::xml::push_num(&mut data, y - y0);
            }
        }
        let stroke = stroke.map(|st| Stroke {
            color: color(&st.paint),
            width_mm,
            cap: match st.cap {
                LineCap::Butt => "Butt",
                LineCap::Round => "Round",
                LineCap::Square => "Square",
            },
            join: match st.join {
                LineJoin::Miter => "Miter",
                LineJoin::Round => "Round",
                LineJoin::Bevel => "Bevel",
            },
            miter_limit: st.miter_limit.get(),
            dash_mm: st.dash.as_ref().map(|d| {
                (mm(d.phase.to_pt()) * m.scale(), d.array.iter().map(|a| mm(a.to_pt()) * m.scale()).collect())
            }),
        });
        self.objects.push(Object::Path(Path {
            at: Placement { boundary: [x0, y0, x1 - x0, y1 - y0], ctm: None },
            data,
            stroke,
            fill,
            even_odd: s.fill_rule == FillRule::EvenOdd,
        }));
    }

    fn image(&mut self, m: Affine, img: &Image, size: Size) -> Result<(), Diagnostic> {
        let media = match self.media_index.get(img) {
            Some(i) => *i,
            None => {
                let media = self.bitmap(img)?;
                let i = self.out.media.len();
                self.out.media.push(media);
                self.media_index.insert(img.clone(), i);
                i
            }
        };
        let (w, h) = (size.x.to_pt(), size.y.to_pt());
        let corners = [m.apply_mm(0.0, 0.0), m.apply_mm(w, 0.0), m.apply_mm(0.0, h), m.apply_mm(w, h)];
        let x0 = corners.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let y0 = corners.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let x1 = corners.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let y1 = corners.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        // An image is drawn into the unit square of its own coordinates (§10.2): the matrix
        // stretches that square to the image's size on the page.
        let (wm, hm) = (mm(w), mm(h));
        let (ox, oy) = m.apply_mm(0.0, 0.0);
        let ctm = [m.a * wm, m.b * wm, m.c * hm, m.d * hm, ox - x0, oy - y0];
        self.objects.push(Object::Image(Picture {
            at: Placement { boundary: [x0, y0, x1 - x0, y1 - y0], ctm: Some(ctm) },
            media,
        }));
        Ok(())
    }

    /// The image as PNG or JPEG bytes: raster PNG and JPEG as they are, the SVG seal
    /// rasterised as for the DOCX.
    fn bitmap(&self, img: &Image) -> Result<Media, Diagnostic> {
        let unsupported = |what: &str| {
            Diagnostic::error(
                "ofd-image",
                "signature.seal",
                format!("OFD 只能嵌入 PNG 或 JPEG 图片，此图片为 {what}"),
                format!("an OFD embeds PNG or JPEG images only; this image is {what}"),
            )
        };
        match img.kind() {
            ImageKind::Raster(r) => match r.format() {
                RasterFormat::Exchange(ExchangeFormat::Png) => Ok(Media { bytes: r.data().to_vec(), format: "PNG" }),
                RasterFormat::Exchange(ExchangeFormat::Jpg) => Ok(Media { bytes: r.data().to_vec(), format: "JPEG" }),
                other => Err(unsupported(&format!("{other:?}"))),
            },
            ImageKind::Svg(svg) => match self.seal {
                Some(seal) if seal.format == SealFormat::Svg && svg.data().as_slice() == seal.bytes.as_slice() => {
                    Ok(Media { bytes: seal.bitmap()?.into_owned(), format: "PNG" })
                }
                _ => Err(unsupported("SVG")),
            },
            #[allow(unreachable_patterns)]
            _ => Err(unsupported("PDF")),
        }
    }
}

/// Typst's curve as path operators in points: `M` move, `L` line, `B` cubic Bézier, `C` close
/// (§9.3.2, table 37).
fn curve_segments(curve: &Curve, segs: &mut Vec<(char, Vec<(f64, f64)>)>) {
    let p = |p: &Point| (p.x.to_pt(), p.y.to_pt());
    for item in curve.0.iter() {
        match item {
            CurveItem::Move(a) => segs.push(('M', vec![p(a)])),
            CurveItem::Line(a) => segs.push(('L', vec![p(a)])),
            CurveItem::Cubic(a, b, c) => segs.push(('B', vec![p(a), p(b), p(c)])),
            CurveItem::Close => segs.push(('C', vec![])),
        }
    }
}

/// Maps a point of a Typst item (pt) to the coordinates of its OFD object (mm).
type PointMap = Box<dyn Fn(f64, f64) -> (f64, f64)>;

/// The placement of an object whose own box (in the item's points) is `bbox`
/// `[x0, y0, x1, y1]` under `m`, and the map from the item's points to the object's
/// coordinates in millimetres.
fn place(m: Affine, bbox: [f64; 4]) -> (Placement, PointMap) {
    let [x0, y0, x1, y1] = bbox;
    if m.is_translation() {
        let (bx, by) = m.apply_mm(x0, y0);
        let (ex, ey) = m.apply_mm(x1, y1);
        let at = Placement { boundary: [bx, by, ex - bx, ey - by], ctm: None };
        return (at, Box::new(move |x, y| (mm(x - x0), mm(y - y0))));
    }
    let corners = [m.apply_mm(x0, y0), m.apply_mm(x1, y0), m.apply_mm(x0, y1), m.apply_mm(x1, y1)];
    let bx = corners.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let by = corners.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let ex = corners.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let ey = corners.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (ox, oy) = m.apply_mm(0.0, 0.0);
    let ctm = [m.a, m.b, m.c, m.d, ox - bx, oy - by];
    let at = Placement { boundary: [bx, by, ex - bx, ey - by], ctm: Some(ctm) };
    (at, Box::new(|x, y| (mm(x), mm(y))))
}

fn color(paint: &Paint) -> Rgba {
    match paint {
        Paint::Solid(c) => c.to_vec4_u8(),
        // Gradients and tilings have no OFD counterpart here; the built-in template uses none.
        _ => [0, 0, 0, 255],
    }
}
