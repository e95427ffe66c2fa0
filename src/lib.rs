//! nianbao: a compiler for 政府信息公开工作年度报告.
//!
//! The pipeline, one module per stage:
//! input model ([`model`]: decode JSON, with spans) → checks ([`check`]: the 勾稽 rules) →
//! resolved report ([`resolve`]: the one form renderers read) → layout profile ([`profile`]) →
//! renderers ([`render`]: PDF through embedded Typst, DOCX through docx-rs) → batch runs
//! ([`batch`]). The `nianbao` binary is a thin command line over this library.

pub mod batch;
pub mod build;
pub mod check;
pub mod diag;
pub mod fonts;
pub mod import;
pub mod input;
pub mod inputs;
pub mod inspect;
pub mod limits;
pub mod lint;
pub mod manifest;
pub mod model;
pub mod output;
pub mod profile;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod sample;
pub mod serve;
pub mod starter;
pub mod summary;
pub mod text;
pub mod workbook;
