//! The integration tests, as one test binary so that Typst and the rest of nianbao are linked
//! once. One module per concern; `common` holds the helpers they share (samples, the binary,
//! tool detection).

mod common;

mod bad_input;
mod batch;
mod check_rules;
mod cli;
mod cli_check;
mod docx;
mod hostile;
mod html;
mod identity;
mod import;
mod layout;
mod lint;
mod model;
mod modules;
mod ofd;
mod pdf;
mod rules;
mod sample;
mod schema;
mod serve;
mod summary;
mod xlsx;
