//! boilerstrip: turn scraped web text into clean, analysis-ready JSONL.
//!
//! A page flows through one stage per module, each adding to a [`Document`]:
//!
//! ```text
//! bytes -> decode -> normalize -> segment -> classify -> metadata -> emit
//! ```
//!
//! [`Cleaner`] runs the stages for one page; [`run::run`] runs many pages in parallel with
//! ordered output. The command-line tool is a thin layer over these. The modules are built in
//! rooms that import downwards only (docs/architecture.md; `tests/layers.rs` checks it): text
//! and the document at the bottom, then words, patterns, the stages, the cleaner, the drivers.
//!
//! ```
//! use boilerstrip::{Cleaner, Config, PatternsBuilder};
//!
//! let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
//! let page = "Home\nNews\n\nThe delegation held a number of meetings with the partners on Monday, \
//!             and they agreed that the cooperation will continue next year.\n\nRead also\n";
//! let doc = cleaner.clean_text("id", "page.txt", page);
//! assert!(doc.text().starts_with("The delegation"));
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batches;
pub mod compress;
pub mod dates;
pub mod document;
pub mod emit;
pub mod error;
pub mod explain;
pub mod input;
pub mod jsonl;
pub mod learn;
pub mod patterns;
pub mod pipeline;
pub mod run;
pub mod site_stats;
pub mod stage;
pub mod text;
pub mod timings;
pub mod train;
pub mod words;

pub use document::{Document, Line, Metadata, Reason, Verdict};
pub use error::InputError;
pub use patterns::{Patterns, PatternsBuilder};
pub use pipeline::{Cleaner, Config};
