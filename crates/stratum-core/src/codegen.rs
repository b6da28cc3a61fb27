//! Codegen: ops written back as revision code, through the same [`Ops`] builder calls
//! a person writes (`op.create_table("t").column(col("id", integer()).primary_key())`).
//!
//! [`generate`] diffs two schemas and renders both functions of a revision:
//!
//! - the `upgrade` body: one statement per op of [`diff`], laid out as rustfmt lays
//!   it out, with a `// review: ...` comment above every op that can lose data or
//!   needs a decision (a dropped table or column, a type change, a column becoming
//!   NOT NULL, a NOT NULL column added without a default, an enum type that loses
//!   labels, a drop and an add that may be a rename);
//! - the `downgrade` body: the [`reverse`] of each op, in reverse order, folded over
//!   the schema. A new enum label has no reverse op; it is undone by recreating the
//!   type (marked for review). When some op cannot be undone at all (raw SQL), the
//!   downgrade holds only a comment saying so and the revision is marked
//!   [`Generated::irreversible`].
//!
//! Renames are never applied on a guess: a column that looks renamed is dropped and
//! added, with a comment showing the `rename_to` call to use instead.
//!
//! Bodies are unindented statements, as [`Generated::upgrade`] and
//! [`Generated::downgrade`]; the script generator indents them into the functions.
//!
//! [`Ops`]: crate::ops::Ops
//! [`diff`]: crate::diff::diff
//! [`reverse`]: crate::reverse::reverse

mod exprs;
mod layout;
#[cfg(test)]
mod tests;

use crate::diff::{RenameHint, diff, rename_hints};
use crate::ops::Op;
use crate::reverse::reverse;
use crate::schema::{ColumnType, Schema};
use crate::simulate::apply;
use std::collections::BTreeSet;

/// The width review comments are wrapped to (the body is indented by 4).
const COMMENT_WIDTH: usize = 96;

/// Both functions of a generated revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The ops of the upgrade (what [`diff`] returned).
    pub upgrade_ops: Vec<Op>,
    /// The ops of the downgrade (empty when [`Generated::irreversible`]).
    pub downgrade_ops: Vec<Op>,
    /// The upgrade body: unindented statements.
    pub upgrade: String,
    /// The downgrade body: unindented statements, or only a comment when the
    /// upgrade cannot be undone automatically.
    pub downgrade: String,
    /// Some op has no automatic reverse: mark the revision `.irreversible()`.
    pub irreversible: bool,
    /// The review notes written into the upgrade body, in order.
    pub reviews: Vec<String>,
}

impl Generated {
    /// Whether the schemas were equal (nothing to do).
    pub fn is_empty(&self) -> bool {
        self.upgrade_ops.is_empty()
    }
}

/// The revision that turns `from` into `to`: [`diff`]'s ops as builder calls, and
/// their reverse. `from` is the schema the revision will run on (the head of the
/// revisions, or a live database), `to` the wanted one (the models).
pub fn generate(from: &Schema, to: &Schema) -> Generated {
    let from = from.normalized();
    let ops = diff(&from, to);
    generate_ops(&from, &ops, &rename_hints(&from, &to.normalized()))
}

/// Renders `ops` (which apply to `before`) and their reverse, with the given rename
/// hints as review comments on the drops they concern.
pub fn generate_ops(before: &Schema, ops: &[Op], renames: &[RenameHint]) -> Generated {
    let mut reviews = Vec::new();
    let upgrade = body(before, ops, renames, &mut reviews);
    let mut schema = before.clone();
    let mut undo: Vec<Vec<Op>> = Vec::new();
    let mut cannot: Vec<String> = Vec::new();
    for op in ops {
        let prior = schema.clone();
        if apply(&mut schema, op).is_err() {
            cannot.push(op.to_string());
            continue;
        }
        match reverse(op, &prior) {
            Some(r) => undo.push(r),
            None => {
                let back = if op.is_data_change() {
                    Vec::new()
                } else {
                    diff(&schema, &prior)
                };
                if back.is_empty() {
                    cannot.push(op.to_string());
                } else {
                    undo.push(back);
                }
            }
        }
    }
    let after = schema;
    let (downgrade_ops, downgrade) = if cannot.is_empty() {
        let down: Vec<Op> = undo.into_iter().rev().flatten().collect();
        let back_hints = rename_hints(&after, before);
        let text = body(&after, &down, &back_hints, &mut Vec::new());
        (down, text)
    } else {
        let mut text = String::new();
        let note = format!(
            "the upgrade cannot be undone automatically ({}). Write the downgrade by hand; \
             until then the revision is marked irreversible and a downgrade past it needs --force.",
            cannot.join("; ")
        );
        push_comment(&mut text, &note);
        (Vec::new(), text)
    };
    Generated {
        upgrade_ops: ops.to_vec(),
        downgrade_ops,
        upgrade,
        downgrade,
        irreversible: !cannot.is_empty(),
        reviews,
    }
}

/// One op as one statement (unindented, with its `;`).
pub fn statement(op: &Op) -> String {
    let e = exprs::op_expr(op);
    unindent(&layout::layout(&e, 4, 4, 1)) + ";"
}

/// The statements of `ops` (which apply to `before`), with review comments; no
/// rename hints.
pub fn render_ops(before: &Schema, ops: &[Op]) -> String {
    body(before, ops, &[], &mut Vec::new())
}

/// Removes the 4 columns of function-body indentation from continuation lines.
fn unindent(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l
            } else {
                l.strip_prefix("    ").unwrap_or(l)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits on whitespace outside backquoted code, so that code stays on one line.
fn words(note: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut code = false;
    for c in note.chars() {
        if c == '`' {
            code = !code;
            continue;
        }
        if c.is_whitespace() && !code {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn push_comment(out: &mut String, note: &str) {
    let mut line = String::from("// review:");
    for word in words(note) {
        if line.len() + 1 + word.len() > COMMENT_WIDTH && line.len() > 3 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("//");
        }
        line.push(' ');
        line.push_str(&word);
    }
    out.push_str(&line);
    out.push('\n');
}

fn body(before: &Schema, ops: &[Op], renames: &[RenameHint], reviews: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut schema = before.clone();
    let mut previous_block = false;
    let mut noted_enums = BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        let notes = review_notes(&schema, ops, i, renames, &mut noted_enums);
        let stmt = match op {
            Op::DropConstraint {
                table,
                name,
                kind: Some(kind),
            } if schema.table(table).and_then(|t| t.constraint_kind(name)) != Some(*kind) => {
                let e = exprs::drop_constraint_of_kind(table, name, *kind);
                unindent(&layout::layout(&e, 4, 4, 1)) + ";"
            }
            _ => statement(op),
        };
        let table = matches!(op, Op::CreateTable(_));
        if i > 0 && (table || previous_block || !notes.is_empty()) && !out.ends_with("\n\n") {
            out.push('\n');
        }
        for n in &notes {
            push_comment(&mut out, n);
        }
        let noted = !notes.is_empty();
        reviews.extend(notes);
        out.push_str(&stmt);
        out.push('\n');
        previous_block = table || noted;
        let _ = apply(&mut schema, op);
    }
    out
}

/// The review notes for `ops[i]`, given the schema before it.
fn review_notes(
    before: &Schema,
    ops: &[Op],
    i: usize,
    renames: &[RenameHint],
    noted_enums: &mut BTreeSet<String>,
) -> Vec<String> {
    let mut notes = Vec::new();
    match &ops[i] {
        Op::DropTable { name } => {
            notes.push(format!("drops table {name} with every row in it."));
        }
        Op::DropColumn { table, column } => {
            match renames
                .iter()
                .find(|h| &h.table == table && &h.from == column)
            {
                Some(h) => notes.push(format!(
                    "maybe a rename of {from} to {to}: use \
                     `op.alter_column({table:?}, {from:?}).rename_to({to:?})` instead of this drop \
                     and the add of {to}, to keep the data.",
                    from = h.from,
                    to = h.to,
                )),
                None => notes.push(format!("drops column {table}.{column} and its data.")),
            }
        }
        Op::AddColumn { table, column }
            if !column.nullable
                && column.default.is_none()
                && column.auto_increment.is_none()
                && before.table(table).is_some() =>
        {
            notes.push(format!(
                "adds NOT NULL column {table}.{} without a default: this fails on a table \
                 with rows. Give it a default, or add it nullable, fill it and then set NOT NULL.",
                column.name
            ));
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => {
            let old = before.table(table).and_then(|t| t.column(column));
            if let (Some(ty), Some(old)) = (&change.ty, old) {
                let passing = match (&old.ty, ty) {
                    (ColumnType::Enum(e), ColumnType::Text) => {
                        if let Some(note) = recreate_note(before, ops, i, e)
                            && noted_enums.insert(e.clone())
                        {
                            notes.push(note);
                        }
                        true
                    }
                    (ColumnType::Text, ColumnType::Enum(e)) => noted_enums.contains(e),
                    _ => false,
                };
                if !passing {
                    notes.push(format!(
                        "changes the type of {table}.{column} from {} to {ty}: existing values \
                         must convert (PostgreSQL rewrites the table); add .using(...) if a \
                         plain cast does not fit.",
                        old.ty
                    ));
                }
            }
            if change.nullable == Some(false) && old.is_some_and(|c| c.nullable) {
                notes.push(format!(
                    "{table}.{column} becomes NOT NULL: this fails while rows hold NULL there; \
                     fill them first."
                ));
            }
        }
        Op::DropEnum { name } => match recreate_note(before, ops, i, name) {
            Some(note) => {
                if noted_enums.insert(name.clone()) {
                    notes.push(note);
                }
            }
            None => notes.push(format!("drops enum type {name}.")),
        },
        _ => {}
    }
    notes
}

/// The note for enum type `name` when the ops from `i` on drop and create it again
/// (the differ's way to remove or reorder labels).
fn recreate_note(before: &Schema, ops: &[Op], i: usize, name: &str) -> Option<String> {
    let old = before.enums.get(name)?;
    let drop_at = ops[i..]
        .iter()
        .position(|o| matches!(o, Op::DropEnum { name: n } if n == name))?;
    let new = ops[i + drop_at..].iter().find_map(|o| match o {
        Op::CreateEnum(e) if e.name == name => Some(e),
        _ => None,
    })?;
    let removed: Vec<String> = old
        .values
        .iter()
        .filter(|v| !new.values.contains(v))
        .map(|v| format!("'{v}'"))
        .collect();
    let mut note = format!(
        "enum type {name} is dropped and created again with labels {}: its columns pass \
         through text meanwhile and are cast back.",
        new.values.join(", ")
    );
    if !removed.is_empty() {
        note.push_str(&format!(
            " It loses {}: rows holding a removed label will fail to convert, update or \
             delete them first.",
            removed.join(", ")
        ));
    }
    Some(note)
}
