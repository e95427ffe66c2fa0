//! Renderers: the resolved report and the layout profile in, document bytes out.
//!
//! `pdf` typesets through embedded Typst; `docx` writes WordprocessingML through docx-rs. Both
//! read only [`crate::resolve::Resolved`] and [`crate::profile::Profile`]. What both need from
//! outside the report — the seal image — is loaded and validated here, once, under one policy
//! for both formats (`seal` below).

pub mod docx;
pub mod ofd;
pub mod pdf;
mod seal;

pub use seal::{load_seal, seal_from_bytes, SealFormat, SealImage, RULES};
