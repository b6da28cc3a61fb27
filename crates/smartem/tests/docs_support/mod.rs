//! Runs the command examples of a Markdown file, so the documentation cannot drift
//! from the tool.
//!
//! Conventions in the Markdown:
//!
//! - a fenced block whose info string is `sh` is run, line by line, in one fresh
//!   directory per file, blocks in order; blocks marked `console`, `bash`, `shell`
//!   or anything else are illustrations and are not run;
//! - a command is `smartem-migrate ARGS` or `cargo run --release -- ARGS` (both run
//!   the built `smartem-migrate`); `VAR=value` prefixes set variables; `cargo test`
//!   lines are skipped (the suite is what runs this); anything else fails the test,
//!   so a runnable block says only what can be run;
//! - `# prints: TEXT` after a command: its output (stdout and stderr) contains TEXT;
//!   `# never prints: TEXT`: it does not (for passwords);
//!   `# exit: N`: it exits with N (without it, the command must succeed);
//! - a fenced block whose info string has `file=NAME` (e.g. ```` ```toml file=smartem-migrate.toml ````)
//!   is written to NAME in the directory before the commands after it run.
//!
//! The binary never sees the caller's `DATABASE_URL`, `SMARTEM_ENV` or `POSTGRES_*`,
//! so the examples run on the embedded default SQLite file unless they say otherwise.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::Path;

/// What a block holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A command line and what it must do.
    Run {
        /// Line in the Markdown file (1-based).
        line: usize,
        /// Variables set for it.
        env: Vec<(String, String)>,
        /// Arguments after the program name.
        args: Vec<String>,
        /// Texts the output contains.
        prints: Vec<String>,
        /// Texts the output must not contain.
        hides: Vec<String>,
        /// Expected exit code.
        exit: i32,
    },
    /// A file to write.
    File {
        /// Its name, relative to the directory.
        name: String,
        /// Its contents.
        contents: String,
    },
}

/// Splits a command line into words: spaces separate, single and double quotes
/// group, a backslash in double quotes escapes the next character.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(format!("unclosed ' in {line:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => cur.extend(chars.next()),
                        Some(c) => cur.push(c),
                        None => return Err(format!("unclosed \" in {line:?}")),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

fn command(line_no: usize, line: &str) -> Result<Option<Step>, String> {
    let mut w = words(line)?;
    let mut env = Vec::new();
    while let Some(first) = w.first() {
        match first.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
                w.remove(0);
            }
            _ => break,
        }
    }
    let args: Vec<String> = if w.first().map(String::as_str) == Some("smartem-migrate") {
        w[1..].to_vec()
    } else if w.len() >= 4 && w[..4] == ["cargo", "run", "--release", "--"] {
        w[4..].to_vec()
    } else if w.len() >= 2 && w[..2] == ["cargo", "test"] {
        return Ok(None);
    } else {
        return Err(format!(
            "line {line_no}: cannot run {line:?}: a runnable (sh) block holds only smartem-migrate commands; mark the block `console` if it is an illustration"
        ));
    };
    if let Some(cmd) = args.iter().find(|a| !a.starts_with('-'))
        && ["revision", "merge"].contains(&cmd.as_str())
        && !args.iter().any(|a| a == "--versions-dir")
    {
        return Err(format!(
            "line {line_no}: {line:?} would write into the repository's own versions directory; add --versions-dir"
        ));
    }
    Ok(Some(Step::Run {
        line: line_no,
        env,
        args,
        prints: Vec::new(),
        hides: Vec::new(),
        exit: 0,
    }))
}

/// The steps of a Markdown text.
pub fn steps(markdown: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let info = info.trim();
        let mut body = Vec::new();
        let mut start = i + 2;
        let mut closed = false;
        for (j, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                closed = true;
                break;
            }
            if body.is_empty() {
                start = j + 1;
            }
            body.push(l);
        }
        if !closed {
            return Err(format!("line {}: unclosed code block", i + 1));
        }
        if let Some(name) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            let mut contents = body.join("\n");
            contents.push('\n');
            steps.push(Step::File {
                name: name.to_string(),
                contents,
            });
            continue;
        }
        if info != "sh" {
            continue;
        }
        let mut pending = String::new();
        for (k, raw) in body.iter().enumerate() {
            let line_no = start + k;
            let text = raw.trim();
            if let Some(expected) = text.strip_prefix("# prints:") {
                match steps.last_mut() {
                    Some(Step::Run { prints, .. }) => prints.push(expected.trim().to_string()),
                    _ => return Err(format!("line {line_no}: `# prints:` follows no command")),
                }
                continue;
            }
            if let Some(secret) = text.strip_prefix("# never prints:") {
                match steps.last_mut() {
                    Some(Step::Run { hides, .. }) => hides.push(secret.trim().to_string()),
                    _ => {
                        return Err(format!(
                            "line {line_no}: `# never prints:` follows no command"
                        ));
                    }
                }
                continue;
            }
            if let Some(code) = text.strip_prefix("# exit:") {
                match steps.last_mut() {
                    Some(Step::Run { exit, .. }) => {
                        *exit = code
                            .trim()
                            .parse()
                            .map_err(|_| format!("line {line_no}: bad exit code {code:?}"))?;
                    }
                    _ => return Err(format!("line {line_no}: `# exit:` follows no command")),
                }
                continue;
            }
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            if let Some(head) = text.strip_suffix('\\') {
                pending.push_str(head);
                pending.push(' ');
                continue;
            }
            pending.push_str(text);
            let full = std::mem::take(&mut pending);
            let without_comment = match full.find(" #") {
                Some(p) => &full[..p],
                None => &full[..],
            };
            if let Some(step) = command(line_no, without_comment)? {
                steps.push(step);
            }
        }
    }
    Ok(steps)
}

/// Runs every step of `file` (relative to the repository root) in `dir`; returns
/// how many commands ran.
pub fn run_markdown(file: &str, dir: &Path) -> usize {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let steps = steps(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut ran = 0;
    for step in steps {
        match step {
            Step::File { name, contents } => {
                std::fs::write(dir.join(&name), contents)
                    .unwrap_or_else(|e| panic!("{file}: writing {name}: {e}"));
            }
            Step::Run {
                line,
                env,
                args,
                prints,
                hides,
                exit,
            } => {
                let mut cmd = Command::from_std(stratum_testkit::migrate_command(
                    assert_cmd::cargo::cargo_bin!("smartem-migrate"),
                    dir,
                ));
                cmd.env_remove("VISUAL").env("EDITOR", "true");
                for (k, v) in &env {
                    cmd.env(k, v);
                }
                let out = cmd.args(&args).output().expect("binary runs");
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                let code = out.status.code().unwrap_or(-1);
                assert_eq!(
                    code,
                    exit,
                    "{file}:{line}: `{}` exited with {code}, the documentation says {exit}:\n{text}",
                    args.join(" ")
                );
                for p in &prints {
                    assert!(
                        text.contains(p.as_str()),
                        "{file}:{line}: the output of `{}` does not contain {p:?}:\n{text}",
                        args.join(" ")
                    );
                }
                for h in &hides {
                    assert!(
                        !text.contains(h.as_str()),
                        "{file}:{line}: the output of `{}` shows {h:?}:\n{text}",
                        args.join(" ")
                    );
                }
                ran += 1;
            }
        }
    }
    ran
}
