//! Pictures of the revision graph: rows for a terminal in the style of
//! `git log --graph` (newest first, one column per line of descent, merges and
//! branch points drawn with `\`, `/` and `_`), and the same graph as Mermaid
//! `flowchart` or Graphviz DOT text. Pure functions of a [`RevisionMap`].
//!
//! ```
//! use stratum_core::revision::{RevisionMap, RevisionNode, draw};
//!
//! let map = RevisionMap::new(vec![
//!     RevisionNode::new("a"),
//!     RevisionNode::new("b").revises(["a"]),
//!     RevisionNode::new("c").revises(["a"]),
//!     RevisionNode::new("d").revises(["b", "c"]),
//! ])
//! .unwrap();
//! let text = draw::terminal(&map, |n| n.id.clone());
//! assert_eq!(text, "*   d\n|\\\n| * c\n* | b\n|/\n*   a\n");
//! ```

use super::{RevisionMap, RevisionNode};
use std::fmt::Write;

/// One row of a terminal drawing: the graph characters, and the revision drawn on
/// that row (rows that only move lines have none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphRow {
    /// Graph characters (`*`, `|`, `/`, `\`, `_` and spaces), without trailing spaces.
    pub graph: String,
    /// The id of the revision whose `*` is on this row.
    pub revision: Option<String>,
}

/// A row of `width` columns (cells at even positions).
struct Canvas(Vec<char>);

impl Canvas {
    fn new(columns: usize) -> Self {
        Self(vec![' '; (2 * columns).max(1)])
    }

    fn set(&mut self, position: usize, c: char) {
        if position >= self.0.len() {
            self.0.resize(position + 1, ' ');
        }
        self.0[position] = c;
    }

    fn row(self, revision: Option<String>) -> GraphRow {
        let graph: String = self.0.into_iter().collect();
        GraphRow {
            graph: graph.trim_end().to_string(),
            revision,
        }
    }
}

/// The rows of the graph, newest revision first. Every revision gets exactly one
/// row with a `*`; children are always above their parents.
pub fn rows(map: &RevisionMap) -> Vec<GraphRow> {
    let mut rows = Vec::new();
    // The revision each column of lines is waiting for.
    let mut columns: Vec<String> = Vec::new();
    for node in map.history() {
        let col = match columns.iter().position(|c| *c == node.id) {
            Some(c) => c,
            None => {
                columns.push(node.id.clone());
                columns.len() - 1
            }
        };
        let mut canvas = Canvas::new(columns.len());
        for i in 0..columns.len() {
            canvas.set(2 * i, if i == col { '*' } else { '|' });
        }
        rows.push(canvas.row(Some(node.id.clone())));

        match node.down_revisions.split_first() {
            None => {
                // A root: its column ends; the columns right of it move left.
                columns.remove(col);
                if col < columns.len() {
                    let mut canvas = Canvas::new(columns.len() + 1);
                    for i in 0..col {
                        canvas.set(2 * i, '|');
                    }
                    for j in col..columns.len() {
                        canvas.set(2 * j + 1, '/');
                    }
                    rows.push(canvas.row(None));
                }
            }
            Some((first, others)) => {
                columns[col] = first.clone();
                // Open one column per further parent, right of this one; the last
                // parent is opened first so the parents end up in declared order.
                for parent in others.iter().rev() {
                    let mut canvas = Canvas::new(columns.len() + 1);
                    for i in 0..=col {
                        canvas.set(2 * i, '|');
                    }
                    for j in col..columns.len() {
                        canvas.set(2 * j + 1, '\\');
                    }
                    rows.push(canvas.row(None));
                    columns.insert(col + 1, parent.clone());
                }
            }
        }
        collapse(&mut columns, &mut rows);
    }
    rows
}

/// Joins columns waiting for the same revision (the lines of a branch point meet),
/// one row per join: the right column runs into the left one.
fn collapse(columns: &mut Vec<String>, rows: &mut Vec<GraphRow>) {
    loop {
        let pair = (0..columns.len()).find_map(|a| {
            (a + 1..columns.len())
                .find(|&b| columns[b] == columns[a])
                .map(|b| (a, b))
        });
        let Some((a, b)) = pair else { return };
        let mut canvas = Canvas::new(columns.len());
        for i in 0..b {
            canvas.set(2 * i, '|');
        }
        for i in a..b - 1 {
            canvas.set(2 * i + 1, '_');
        }
        canvas.set(2 * b - 1, '/');
        for j in b + 1..columns.len() {
            canvas.set(2 * j - 1, '/');
        }
        rows.push(canvas.row(None));
        columns.remove(b);
    }
}

/// The graph as text for a terminal: each revision's row carries `label(node)`,
/// aligned after the widest graph.
pub fn terminal<F>(map: &RevisionMap, label: F) -> String
where
    F: Fn(&RevisionNode) -> String,
{
    let rows = rows(map);
    let width = rows
        .iter()
        .filter(|r| r.revision.is_some())
        .map(|r| r.graph.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in &rows {
        match row.revision.as_deref().and_then(|id| map.get(id)) {
            Some(node) => {
                let _ = writeln!(out, "{:<width$} {}", row.graph, label(node));
            }
            None => {
                let _ = writeln!(out, "{}", row.graph);
            }
        }
    }
    out
}

/// A node name safe in Mermaid and DOT (revision ids are ASCII letters and digits).
fn node_name(id: &str) -> String {
    format!("r_{id}")
}

/// The graph as a Mermaid `flowchart`, oldest revision at the bottom: a solid arrow
/// from each parent to its child, a dotted one for `depends_on`. `label(node)` is
/// the text in each box.
pub fn mermaid<F>(map: &RevisionMap, label: F) -> String
where
    F: Fn(&RevisionNode) -> String,
{
    let mut out = String::from("flowchart BT\n");
    for node in map.iter() {
        let text = label(node)
            .replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;");
        let _ = writeln!(out, "    {}[\"{text}\"]", node_name(&node.id));
    }
    for node in map.iter() {
        for parent in &node.down_revisions {
            let _ = writeln!(out, "    {} --> {}", node_name(parent), node_name(&node.id));
        }
        for dep in &node.depends_on {
            let _ = writeln!(out, "    {} -.-> {}", node_name(dep), node_name(&node.id));
        }
    }
    out
}

/// The graph as a Graphviz DOT digraph, oldest revision at the bottom; dashed edges
/// for `depends_on`.
pub fn dot<F>(map: &RevisionMap, label: F) -> String
where
    F: Fn(&RevisionNode) -> String,
{
    let mut out = String::from(
        "digraph revisions {\n    rankdir=BT;\n    node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for node in map.iter() {
        let text = label(node).replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "    \"{}\" [label=\"{text}\"];", node.id);
    }
    for node in map.iter() {
        for parent in &node.down_revisions {
            let _ = writeln!(out, "    \"{parent}\" -> \"{}\";", node.id);
        }
        for dep in &node.depends_on {
            let _ = writeln!(out, "    \"{dep}\" -> \"{}\" [style=dashed];", node.id);
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(nodes: &[(&str, &[&str])]) -> RevisionMap {
        RevisionMap::new(
            nodes
                .iter()
                .map(|(id, parents)| RevisionNode::new(*id).revises(parents.iter().copied()))
                .collect(),
        )
        .expect("valid graph")
    }

    fn ids(m: &RevisionMap) -> String {
        terminal(m, |n| n.id.clone())
    }

    /// Every revision is drawn once, and every row is made of graph characters only.
    fn well_formed(m: &RevisionMap) {
        let rows = rows(m);
        let mut drawn: Vec<&str> = rows.iter().filter_map(|r| r.revision.as_deref()).collect();
        drawn.sort_unstable();
        let mut all: Vec<&str> = m.iter().map(|n| n.id.as_str()).collect();
        all.sort_unstable();
        assert_eq!(drawn, all);
        for r in &rows {
            assert!(r.graph.chars().all(|c| "*|/\\_ ".contains(c)), "{r:?}");
            assert_eq!(r.revision.is_some(), r.graph.contains('*'), "{r:?}");
        }
    }

    #[test]
    fn linear_chain_is_one_column() {
        let m = map(&[("a", &[]), ("b", &["a"]), ("c", &["b"])]);
        well_formed(&m);
        assert_eq!(ids(&m), "* c\n* b\n* a\n");
    }

    #[test]
    fn branch_and_merge() {
        let m = map(&[
            ("a", &[]),
            ("b", &["a"]),
            ("c", &["a"]),
            ("d", &["b", "c"]),
            ("e", &["d"]),
        ]);
        well_formed(&m);
        insta::assert_snapshot!(ids(&m));
    }

    #[test]
    fn two_open_heads() {
        let m = map(&[("a", &[]), ("b", &["a"]), ("c", &["a"]), ("d", &["c"])]);
        well_formed(&m);
        insta::assert_snapshot!(ids(&m));
    }

    #[test]
    fn three_heads_from_one_branch_point_and_a_late_merge() {
        let m = map(&[
            ("root", &[]),
            ("x1", &["root"]),
            ("y1", &["root"]),
            ("z1", &["root"]),
            ("x2", &["x1"]),
            ("m", &["x2", "y1"]),
        ]);
        well_formed(&m);
        insta::assert_snapshot!(ids(&m));
    }

    #[test]
    fn octopus_merge_and_two_roots() {
        let m = map(&[
            ("r1", &[]),
            ("r2", &[]),
            ("p", &["r1"]),
            ("q", &["r1"]),
            ("m", &["p", "q", "r2"]),
        ]);
        well_formed(&m);
        insta::assert_snapshot!(ids(&m));
    }

    #[test]
    fn labels_are_aligned_after_the_widest_graph() {
        let m = map(&[("a", &[]), ("b", &["a"]), ("c", &["a"])]);
        let text = terminal(&m, |n| format!("<{}>", n.id));
        for line in text.lines().filter(|l| l.contains('<')) {
            assert_eq!(line.find('<'), Some(4), "{text}");
        }
    }

    #[test]
    fn mermaid_and_dot_have_every_edge() {
        let m = RevisionMap::new(vec![
            RevisionNode::new("a"),
            RevisionNode::new("b").revises(["a"]),
            RevisionNode::new("c").revises(["a"]),
            RevisionNode::new("d").revises(["b", "c"]).depends_on(["a"]),
        ])
        .unwrap();
        let text = mermaid(&m, |n| format!("{} \"quoted\" <x>", n.id));
        insta::assert_snapshot!(text);
        let d = dot(&m, |n| format!("{} \"q\"", n.id));
        assert_eq!(d.matches(" -> ").count(), 5, "{d}");
        assert!(d.contains("\"a\" -> \"d\" [style=dashed];"), "{d}");
        assert!(d.contains("[label=\"d \\\"q\\\"\"]"), "{d}");
    }
}
