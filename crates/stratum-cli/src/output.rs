//! Printing: the only place that writes to the terminal. Respects `NO_COLOR`, quiet
//! and verbose levels, and non-terminal outputs.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether stderr holds an unfinished in-place progress line (see
/// [`Printer::live`]); any other line ends it first.
static LIVE_LINE: AtomicBool = AtomicBool::new(false);

fn end_live_line() {
    if LIVE_LINE.swap(false, Ordering::SeqCst) {
        eprintln!();
    }
}

/// Where and how to print.
#[derive(Debug, Clone)]
pub struct Printer {
    /// Print only errors.
    pub quiet: bool,
    /// Verbosity level (0 = normal).
    pub verbose: u8,
    /// Use ANSI colors on stderr.
    pub color: bool,
}

impl Printer {
    /// A printer for these flags; colors only on a terminal and without `NO_COLOR`.
    pub fn new(quiet: bool, verbose: u8) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            quiet,
            verbose,
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Green text (when colored).
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Yellow text (when colored).
    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Red text (when colored).
    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Dim text (when colored).
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// A result line on stdout (always printed: it is the command's output).
    pub fn out(&self, line: impl AsRef<str>) {
        end_live_line();
        let mut o = std::io::stdout().lock();
        let _ = writeln!(o, "{}", line.as_ref());
    }

    /// A progress or information line on stderr (not in quiet mode).
    pub fn info(&self, line: impl AsRef<str>) {
        if !self.quiet {
            end_live_line();
            eprintln!("{}", line.as_ref());
        }
    }

    /// A detail line on stderr (only with `-v`).
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose > 0 && !self.quiet {
            end_live_line();
            eprintln!("{}", self.dim(line.as_ref()));
        }
    }

    /// A warning on stderr.
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            end_live_line();
            eprintln!("{} {}", self.yellow("warning:"), line.as_ref());
        }
    }

    /// An error on stderr (always printed).
    pub fn error(&self, line: impl AsRef<str>) {
        end_live_line();
        eprintln!("{} {}", self.red("error:"), line.as_ref());
    }

    /// A progress line on stderr that replaces the previous one in place on a
    /// terminal (the next other line starts below it); elsewhere, one line
    /// each, as [`Printer::info`]. Not in quiet mode.
    pub fn live(&self, line: impl AsRef<str>) {
        if self.quiet {
            return;
        }
        if !std::io::stderr().is_terminal() {
            return self.info(line);
        }
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K{}", line.as_ref());
        let _ = e.flush();
        LIVE_LINE.store(true, Ordering::SeqCst);
    }

    /// A JSON document on stdout.
    pub fn json(&self, value: &serde_json::Value) {
        self.out(serde_json::to_string_pretty(value).unwrap_or_default());
    }
}
