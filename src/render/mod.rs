//! Renderers: the resolved report and the layout profile in, document bytes out.
//!
//! `pdf` typesets through embedded Typst; `ofd` writes the same Typst layout as a GB/T 33190
//! package; `docx` writes WordprocessingML through docx-rs; `html` writes the portal page. All
//! read only [`crate::resolve::Resolved`] and [`crate::profile::Profile`]. What they need from
//! outside the report — the seal image — is loaded and validated here, once, under one policy
//! for every format (`seal` below).

pub mod docx;
pub mod html;
pub mod ofd;
pub mod pdf;
mod seal;
mod xml;

pub use seal::{load_seal, seal_from_bytes, SealFormat, SealImage};
