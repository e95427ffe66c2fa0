//! Batch runs: many reports in, every good one built, every bad one listed (`nianbao batch`).
//!
//! This module owns what a batch adds to the single-report pipeline of [`crate::build`], one
//! concern per file; its inputs come from [`crate::inputs`] (files, folders, NDJSON, arrays):
//! - **naming** ([`name`]): `--name` patterns and the default name;
//! - **planning** ([`plan`]): output names from `--name`, refusal of two inputs that would write
//!   the same file, and each report's previous year from `--previous-dir`, all before any work;
//! - **previous years** ([`previous`]): `--previous-dir`;
//! - **sharding** ([`Shard`]): a deterministic split over N machines or job-array tasks;
//! - **running** ([`run`]): the shared [`Engine`] on `--jobs` worker threads, one report each
//!   at a time, failures isolated per report, outputs written atomically, memory kept flat
//!   (document bytes and input texts are dropped as soon as a report is done; Typst's cache is
//!   evicted by the renderer after every document).
//!
//! The archival record of a run is [`crate::manifest`].

pub mod lock;
pub mod name;
pub mod plan;
pub mod previous;
pub mod run;
pub mod shard;

pub use crate::inputs::{expand, Expansion, Item, Place, SourceFile};
pub use lock::{clean_stale_temp_files, BatchLock};
pub use name::{default_name, meta, Meta, NamePattern};
pub use plan::{plan, Collision, Planned};
pub use previous::{PreviousIndex, PreviousMatch};
pub use run::{error_rules, run, summarize, ItemResult, RunOptions, Status, Summary, Written};
pub use shard::Shard;
