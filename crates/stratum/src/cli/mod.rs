//! Command-line interface: a generic [`run`] that any application crate calls with its
//! models and embedded revisions. Only this module prints.

pub mod args;
pub mod exit;
pub mod output;

pub use args::Cli;
pub use exit::Exit;
