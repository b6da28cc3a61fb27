//! Re-parenting a revision (and everything after it) onto another revision: the
//! graph after the move, its simulation, and the rewritten file header.

use super::LineageError;
use crate::script::disk::DiskRevision;
use stratum_core::ops::Op;
use stratum_core::revision::{RevisionMap, RevisionNode};
use stratum_core::schema::Schema;

/// A checked rebase, not yet written.
#[derive(Debug, Clone)]
pub struct RebasePlan {
    /// The revision whose parents change.
    pub revision: String,
    /// Its parents before.
    pub old_parents: Vec<String>,
    /// Its parent after.
    pub onto: String,
    /// The revision and its descendants: everything whose ancestry changes.
    pub moved: Vec<String>,
    /// The graph after the move.
    pub map: RevisionMap,
}

fn node(r: &DiskRevision) -> RevisionNode {
    RevisionNode::new(r.id.clone())
        .revises(r.down_revisions.iter().cloned())
        .branch_labels(r.branch_labels.iter().cloned())
        .depends_on(r.depends_on.iter().cloned())
}

/// Plans moving `revision` (an exact id of the files' graph) onto `onto`: refuses a
/// merge revision, a target that is the revision itself or one of its descendants,
/// and a move that changes nothing.
pub fn plan_rebase(
    files: &[DiskRevision],
    revision: &str,
    onto: &str,
) -> Result<RebasePlan, LineageError> {
    let graph = |e: stratum_core::revision::GraphError| LineageError::Graph(e.to_string());
    let before = RevisionMap::new(files.iter().map(node).collect()).map_err(graph)?;
    let rev = before
        .get(revision)
        .ok_or_else(|| LineageError::Graph(format!("no revision file declares {revision}")))?;
    if !before.contains(onto) {
        return Err(LineageError::Graph(format!(
            "no revision file declares {onto}"
        )));
    }
    if rev.down_revisions.len() > 1 {
        return Err(LineageError::Graph(format!(
            "{revision} is a merge of {}; rebase the branches it joins instead",
            rev.down_revisions.join(", ")
        )));
    }
    let mut moved = vec![revision.to_string()];
    moved.extend(
        before
            .descendants(revision)
            .map_err(graph)?
            .into_iter()
            .map(str::to_string),
    );
    if moved.iter().any(|m| m == onto) {
        return Err(LineageError::Graph(format!(
            "{onto} comes after {revision}; a revision cannot be moved onto its own descendant"
        )));
    }
    if rev.down_revisions == [onto] {
        return Err(LineageError::Graph(format!(
            "{revision} already revises {onto}; nothing to rebase"
        )));
    }
    let old_parents = rev.down_revisions.clone();
    let nodes = files
        .iter()
        .map(|r| {
            let mut n = node(r);
            if r.id == revision {
                n.down_revisions = vec![onto.to_string()];
            }
            n
        })
        .collect();
    let map = RevisionMap::new(nodes).map_err(graph)?;
    Ok(RebasePlan {
        revision: revision.to_string(),
        old_parents,
        onto: onto.to_string(),
        moved,
        map,
    })
}

/// Folds every revision of `map` with the simulator, ancestors first: the schema
/// at all its heads. `ops` gives a revision's upgrade ops.
pub fn simulate_map(
    map: &RevisionMap,
    ops: impl Fn(&str) -> Result<Vec<Op>, String>,
) -> Result<Schema, LineageError> {
    let mut schema = Schema::default();
    for node in map.iter() {
        let fail = |reason: String| LineageError::Simulate {
            revision: node.id.clone(),
            reason,
        };
        for op in ops(&node.id).map_err(fail)? {
            stratum_core::simulate::apply(&mut schema, &op).map_err(|e| fail(e.to_string()))?;
        }
    }
    Ok(schema)
}

/// The byte range of the `REVISION` header (`Revision::new(` up to its `;`).
fn header_range(source: &str) -> Option<(usize, usize)> {
    let start = source.find("Revision::new(")?;
    let rest = &source[start..];
    let header = crate::script::disk::until_unquoted(rest, ';');
    // No `;` outside string literals: the header does not end.
    (header.len() < rest.len()).then_some((start, start + header.len()))
}

/// The end (exclusive) of the call whose `(` is at `open`, outside string literals.
fn call_end(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The source with the header's parents replaced by `parents` (a `.revises(...)`
/// call is added after `Revision::new(...)` when the revision was a root). The
/// rest of the file is kept byte for byte.
pub fn rewrite_parents(source: &str, parents: &[String]) -> Option<String> {
    let (start, end) = header_range(source)?;
    let header = &source[start..end];
    let list: Vec<String> = parents.iter().map(|p| format!("{p:?}")).collect();
    let call = format!(".revises(&[{}])", list.join(", "));
    let (from, to, replacement) = match header.find(".revises(") {
        Some(at) => {
            let open = start + at + ".revises".len();
            (start + at, call_end(source, open)?, call)
        }
        None => {
            let open = start + "Revision::new".len();
            let after = call_end(source, open)?;
            (after, after, format!("\n    {call}"))
        }
    };
    Some(format!(
        "{}{}{}",
        &source[..from],
        replacement,
        &source[to..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::disk::parse_header;
    use std::path::Path;

    const CHILD: &str = r#"//! Add a column; see "the (notes)"
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("cc")
    .revises(&["aa"])
    .message("Add a column (x; y)")
    .created("2026-01-07 09:00:00");

pub fn upgrade(op: &mut Ops) { op.execute("SELECT ')'"); }
"#;

    fn disk(id: &str, parents: &[&str]) -> DiskRevision {
        DiskRevision {
            path: format!("{id}.rs").into(),
            id: id.into(),
            down_revisions: parents.iter().map(|p| p.to_string()).collect(),
            branch_labels: vec![],
            depends_on: vec![],
            message: String::new(),
            replaces: vec![],
        }
    }

    #[test]
    fn rewrites_only_the_parents() {
        let out = rewrite_parents(CHILD, &["bb".to_string()]).unwrap();
        assert_eq!(
            out,
            CHILD.replace(r#".revises(&["aa"])"#, r#".revises(&["bb"])"#)
        );
        let header = parse_header(Path::new("cc.rs"), &out).unwrap();
        assert_eq!(header.down_revisions, ["bb"]);
        assert_eq!(header.message, "Add a column (x; y)");
    }

    #[test]
    fn a_root_gains_a_parent() {
        let root = CHILD.replace("\n    .revises(&[\"aa\"])", "");
        let out = rewrite_parents(&root, &["bb".to_string()]).unwrap();
        let header = parse_header(Path::new("cc.rs"), &out).unwrap();
        assert_eq!(header.down_revisions, ["bb"]);
        assert!(
            out.contains("Revision::new(\"cc\")\n    .revises(&[\"bb\"])"),
            "{out}"
        );
    }

    #[test]
    fn two_heads_become_one() {
        let files = [
            disk("aa", &[]),
            disk("bb", &["aa"]),
            disk("cc", &["aa"]),
            disk("dd", &["cc"]),
        ];
        let plan = plan_rebase(&files, "cc", "bb").unwrap();
        assert_eq!(plan.moved, ["cc", "dd"]);
        assert_eq!(plan.old_parents, ["aa"]);
        assert_eq!(plan.map.heads(), ["dd"]);
    }

    #[test]
    fn refuses_moves_that_make_no_sense() {
        let files = [disk("aa", &[]), disk("bb", &["aa"]), disk("cc", &["bb"])];
        let err = plan_rebase(&files, "bb", "cc").unwrap_err().to_string();
        assert!(err.contains("own descendant"), "{err}");
        let err = plan_rebase(&files, "cc", "bb").unwrap_err().to_string();
        assert!(err.contains("nothing to rebase"), "{err}");
        let err = plan_rebase(&files, "zz", "bb").unwrap_err().to_string();
        assert!(err.contains("zz"), "{err}");
    }

    #[test]
    fn a_simulation_failure_names_the_revision() {
        use stratum_core::prelude::*;
        let files = [disk("aa", &[]), disk("bb", &["aa"])];
        let map = plan_rebase(&files, "bb", "aa").map(|p| p.map);
        assert!(map.is_err());
        let map = RevisionMap::new(files.iter().map(node).collect()).unwrap();
        let err = simulate_map(&map, |id| {
            let mut op = Ops::new();
            if id == "bb" {
                op.drop_table("missing");
            }
            Ok(op.into_vec())
        })
        .unwrap_err();
        assert!(err.to_string().contains("revision bb"), "{err}");
    }
}
