//! New revision files: options checked against the graph, source rendering, writing.

use super::ScriptError;
use super::naming::{self, DEFAULT_FILE_TEMPLATE};
use chrono::NaiveDateTime;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use stratum_core::revision::{RevisionMap, Target, branch_label_problem, validate_id};

/// Format of `created` in revision headers.
pub const CREATED_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A fresh revision id: 12 random lowercase hex digits.
pub fn new_rev_id() -> String {
    let bytes: [u8; 6] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What `revision` was asked for, before it is checked against the graph.
#[derive(Debug, Clone)]
pub struct RevisionOptions {
    /// `-m`: the message.
    pub message: String,
    /// `--rev-id`: a chosen id instead of a random one.
    pub rev_id: Option<String>,
    /// `--head`: the parent (`head` when absent; `base` for a new root; any target
    /// form: id, prefix, `label@head`).
    pub head: Option<String>,
    /// `--splice`: allow a parent that is not a head (starts a new branch).
    pub splice: bool,
    /// `--branch-label`: labels for the new revision.
    pub branch_labels: Vec<String>,
    /// `--depends-on`: revisions (ids, prefixes or labels) applied before this one.
    pub depends_on: Vec<String>,
    /// Creation time written in the header and the file name.
    pub created: NaiveDateTime,
    /// Pre-rendered upgrade statements (autogenerate), unindented.
    pub upgrade_body: Option<String>,
    /// Pre-rendered downgrade statements (autogenerate), unindented.
    pub downgrade_body: Option<String>,
    /// Mark the revision `.irreversible()` (its downgrade cannot be written
    /// automatically).
    pub irreversible: bool,
}

impl RevisionOptions {
    /// Options for `revision -m message` at that time, everything else default.
    pub fn new(message: impl Into<String>, created: NaiveDateTime) -> Self {
        Self {
            message: message.into(),
            rev_id: None,
            head: None,
            splice: false,
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            created,
            upgrade_body: None,
            downgrade_body: None,
            irreversible: false,
        }
    }
}

/// What `merge` was asked for.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Targets to merge (`heads` when empty).
    pub revisions: Vec<String>,
    /// `-m`: the message (`Merge a and b` when absent).
    pub message: Option<String>,
    /// `--rev-id`.
    pub rev_id: Option<String>,
    /// `--branch-label`.
    pub branch_labels: Vec<String>,
    /// Creation time.
    pub created: NaiveDateTime,
}

/// A new revision, checked against the graph, ready to render and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    /// Its id.
    pub id: String,
    /// Parent ids (two or more for a merge).
    pub parents: Vec<String>,
    /// Message.
    pub message: String,
    /// Creation time.
    pub created: NaiveDateTime,
    /// Branch labels.
    pub branch_labels: Vec<String>,
    /// Dependency ids.
    pub depends_on: Vec<String>,
    /// Upgrade statements, unindented (`None`: an empty function).
    pub upgrade_body: Option<String>,
    /// Downgrade statements, unindented (`None`: an empty function).
    pub downgrade_body: Option<String>,
    /// Declared `.irreversible()`.
    pub irreversible: bool,
    /// File name template (see [`naming::file_name`]).
    pub file_template: String,
}

fn choose_id(map: &RevisionMap, rev_id: Option<&str>) -> Result<String, ScriptError> {
    match rev_id {
        Some(id) => {
            validate_id(id).map_err(ScriptError::graph)?;
            if map.contains(id) {
                return Err(ScriptError::RevisionIdTaken {
                    id: id.to_owned(),
                    file: None,
                });
            }
            Ok(id.to_owned())
        }
        None => loop {
            let id = new_rev_id();
            if !map.contains(&id) {
                return Ok(id);
            }
        },
    }
}

fn check_labels(map: &RevisionMap, labels: &[String]) -> Result<(), ScriptError> {
    let mut seen = BTreeSet::new();
    for label in labels {
        let reason = branch_label_problem(label)
            .or_else(|| {
                map.branch_label(label)
                    .map(|n| format!("revision {} already declares it", n.id))
            })
            .or_else(|| {
                map.contains(label)
                    .then(|| "it is a revision id".to_owned())
            })
            .or_else(|| (!seen.insert(label)).then(|| "it is given twice".to_owned()));
        if let Some(reason) = reason {
            return Err(ScriptError::BranchLabel {
                label: label.clone(),
                reason,
            });
        }
    }
    Ok(())
}

impl NewRevision {
    /// Checks `revision` options against the graph: the parent (`--head`, which
    /// must be a head unless `--splice`; several heads need an explicit `--head`),
    /// the id, labels and dependencies.
    pub fn plan(map: &RevisionMap, opts: &RevisionOptions) -> Result<NewRevision, ScriptError> {
        let id = choose_id(map, opts.rev_id.as_deref())?;
        let heads = map.heads();
        let parents: Vec<String> = match opts.head.as_deref().unwrap_or("head") {
            "head" => match heads.as_slice() {
                [] => Vec::new(),
                [one] => vec![(*one).to_owned()],
                several => {
                    return Err(ScriptError::MultipleHeads {
                        heads: several.iter().map(|h| (*h).to_owned()).collect(),
                    });
                }
            },
            target => {
                let target = Target::parse(target).map_err(ScriptError::graph)?;
                let resolved = map.resolve(&target, &[]).map_err(ScriptError::graph)?;
                match resolved.as_slice() {
                    [] => Vec::new(),
                    [one] => {
                        if !opts.splice && !heads.contains(one) {
                            return Err(ScriptError::NotAHead {
                                id: (*one).to_owned(),
                            });
                        }
                        vec![(*one).to_owned()]
                    }
                    several => {
                        return Err(ScriptError::MultipleHeads {
                            heads: several.iter().map(|h| (*h).to_owned()).collect(),
                        });
                    }
                }
            }
        };
        check_labels(map, &opts.branch_labels)?;
        let mut depends_on: Vec<String> = Vec::new();
        for dep in &opts.depends_on {
            let dep = map.lookup(dep).map_err(ScriptError::graph)?.to_owned();
            if parents.contains(&dep) {
                return Err(ScriptError::DependencyIsParent { id: dep });
            }
            if !depends_on.contains(&dep) {
                depends_on.push(dep);
            }
        }
        Ok(NewRevision {
            id,
            parents,
            message: opts.message.clone(),
            created: opts.created,
            branch_labels: opts.branch_labels.clone(),
            depends_on,
            upgrade_body: opts.upgrade_body.clone(),
            downgrade_body: opts.downgrade_body.clone(),
            irreversible: opts.irreversible,
            file_template: DEFAULT_FILE_TEMPLATE.to_owned(),
        })
    }

    /// Checks `merge` options against the graph: two or more distinct revisions,
    /// none an ancestor of another.
    pub fn merge(map: &RevisionMap, opts: &MergeOptions) -> Result<NewRevision, ScriptError> {
        let targets: Vec<String> = if opts.revisions.is_empty() {
            vec!["heads".to_owned()]
        } else {
            opts.revisions.clone()
        };
        let mut parents: Vec<String> = Vec::new();
        for target in &targets {
            for id in map.resolve_str(target, &[]).map_err(ScriptError::graph)? {
                if !parents.iter().any(|p| p == id) {
                    parents.push(id.to_owned());
                }
            }
        }
        if parents.len() < 2 {
            return Err(ScriptError::MergeNeedsTwo {
                targets,
                resolved: parents,
            });
        }
        for a in &parents {
            for d in &parents {
                if map.is_ancestor(a, d).map_err(ScriptError::graph)? {
                    return Err(ScriptError::MergeOfRelated {
                        ancestor: a.clone(),
                        descendant: d.clone(),
                    });
                }
            }
        }
        check_labels(map, &opts.branch_labels)?;
        let message = opts.message.clone().unwrap_or_else(|| {
            let (last, rest) = parents.split_last().expect("at least two parents");
            format!("Merge {} and {last}", rest.join(", "))
        });
        Ok(NewRevision {
            id: choose_id(map, opts.rev_id.as_deref())?,
            parents,
            message,
            created: opts.created,
            branch_labels: opts.branch_labels.clone(),
            depends_on: Vec::new(),
            upgrade_body: None,
            downgrade_body: None,
            irreversible: false,
            file_template: DEFAULT_FILE_TEMPLATE.to_owned(),
        })
    }

    /// The file name, from the template.
    pub fn file_name(&self) -> Result<String, ScriptError> {
        Ok(naming::file_name(
            &self.file_template,
            self.created,
            &self.id,
            &self.message,
        )?)
    }
}

fn string_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}

fn function(out: &mut String, name: &str, body: Option<&str>) {
    let body = body.map(str::trim_end).filter(|b| !b.trim().is_empty());
    match body {
        None => {
            let _ = writeln!(out, "pub fn {name}(_op: &mut Ops) {{}}");
        }
        Some(body) => {
            let _ = writeln!(out, "pub fn {name}(op: &mut Ops) {{");
            for line in body.lines() {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "    {line}");
                }
            }
            out.push_str("}\n");
        }
    }
}

/// The source of a new revision file: a doc line with the message, the
/// `REVISION` header (id, parents, message, creation time, branch labels,
/// dependencies) and the `upgrade`/`downgrade` functions (empty, or with the
/// given statements).
pub fn new_revision_source(rev: &NewRevision) -> String {
    let mut out = String::new();
    // A bare CR is not allowed in a doc comment: every line break becomes LF.
    let doc = if rev.message.trim().is_empty() {
        format!("Revision {}", rev.id)
    } else {
        rev.message.replace("\r\n", "\n").replace('\r', "\n")
    };
    for line in doc.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let _ = writeln!(out, "//! {line}");
        }
    }
    out.push_str("use stratum::prelude::*;\n\n");
    let _ = write!(
        out,
        "pub const REVISION: Revision = Revision::new({:?})",
        rev.id
    );
    if !rev.parents.is_empty() {
        let _ = write!(out, "\n    .revises({})", string_list(&rev.parents));
    }
    if !rev.message.is_empty() {
        let _ = write!(out, "\n    .message({:?})", rev.message);
    }
    let _ = write!(
        out,
        "\n    .created({:?})",
        rev.created.format(CREATED_FORMAT).to_string()
    );
    if !rev.branch_labels.is_empty() {
        let _ = write!(
            out,
            "\n    .branch_labels({})",
            string_list(&rev.branch_labels)
        );
    }
    if !rev.depends_on.is_empty() {
        let _ = write!(out, "\n    .depends_on({})", string_list(&rev.depends_on));
    }
    if rev.irreversible {
        out.push_str("\n    .irreversible()");
    }
    out.push_str(";\n\n");
    function(&mut out, "upgrade", rev.upgrade_body.as_deref());
    out.push('\n');
    function(&mut out, "downgrade", rev.downgrade_body.as_deref());
    out
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScriptError + '_ {
    move |error| ScriptError::Io {
        path: path.to_owned(),
        error,
    }
}

/// Writes a new revision file into the versions directory and returns its path.
/// Never overwrites: an existing file of that name, or any `.rs` file there
/// already declaring the id (by name or by header), is an error.
pub fn write_revision(versions_dir: &Path, rev: &NewRevision) -> Result<PathBuf, ScriptError> {
    let file_name = rev.file_name()?;
    let declaration = format!("Revision::new({:?})", rev.id);
    for entry in std::fs::read_dir(versions_dir).map_err(io(versions_dir))? {
        let entry = entry.map_err(io(versions_dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || !path.is_file() {
            continue;
        }
        let by_name = naming::parse_file_name(&name).is_ok_and(|p| p.rev == rev.id);
        let by_header = !by_name
            && std::fs::read_to_string(&path)
                .map_err(io(&path))?
                .contains(&declaration);
        if by_name || by_header {
            return Err(ScriptError::RevisionIdTaken {
                id: rev.id.clone(),
                file: Some(name),
            });
        }
    }
    let path = versions_dir.join(&file_name);
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ScriptError::FileExists { path });
        }
        Err(e) => return Err(io(&path)(e)),
    };
    file.write_all(new_revision_source(rev).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(&path))?;
    Ok(path)
}
