//! A small expression tree and its layout, following rustfmt's default rules for
//! the shapes revision code uses: calls, method chains and arrays of literals.
//!
//! The rules (rustfmt's defaults): lines of at most 100 columns; the arguments of a
//! call stay on one line when they take at most 60 columns (a single call or chain
//! argument may take the whole line); a chain of two or more calls stays on one line
//! when it takes at most 60 columns; an array stays on one line when it takes at
//! most 60 columns, else its items go one per line, or several per line when every
//! item is at most 10 columns wide.

/// Maximum line width.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`, `chain_width` and `array_width`.
const SMALL_WIDTH: usize = 60;
/// rustfmt's `short_array_element_width_threshold`.
const SHORT_ITEM: usize = 10;
/// One indentation step.
const INDENT: usize = 4;

/// An expression of generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// Text laid out as it is: a literal, a path, a macro call.
    Atom(String),
    /// `name(args)`.
    Call(String, Vec<Expr>),
    /// `root.name(args).name(args)...`.
    Chain(Box<Expr>, Vec<(String, Vec<Expr>)>),
    /// `[items]`.
    Array(Vec<Expr>),
}

/// A string literal, escaped as Rust source.
pub(crate) fn lit(s: &str) -> Expr {
    Expr::Atom(format!("{s:?}"))
}

/// Any text, as it is.
pub(crate) fn atom(s: impl Into<String>) -> Expr {
    Expr::Atom(s.into())
}

/// `name(args)`.
pub(crate) fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Call(name.to_string(), args)
}

/// An array of string literals.
pub(crate) fn strings(items: &[String]) -> Expr {
    Expr::Array(items.iter().map(|s| lit(s)).collect())
}

/// A method chain being built.
pub(crate) struct ChainBuilder {
    root: Expr,
    calls: Vec<(String, Vec<Expr>)>,
}

impl ChainBuilder {
    /// A chain on `root`.
    pub(crate) fn new(root: Expr) -> Self {
        Self {
            root,
            calls: Vec::new(),
        }
    }

    /// Appends `.name(args)`.
    pub(crate) fn then(mut self, name: &str, args: Vec<Expr>) -> Self {
        self.calls.push((name.to_string(), args));
        self
    }

    /// Appends `.name(args)` when `cond` holds.
    pub(crate) fn then_if(self, cond: bool, name: &str, args: Vec<Expr>) -> Self {
        if cond { self.then(name, args) } else { self }
    }

    /// Appends `.name("arg")`, the argument as a string literal, when there is an
    /// argument; nothing otherwise.
    pub(crate) fn then_opt(self, name: &str, arg: Option<&str>) -> Self {
        match arg {
            Some(a) => self.then(name, vec![lit(a)]),
            None => self,
        }
    }

    /// The chain (the root alone when nothing was appended).
    pub(crate) fn build(self) -> Expr {
        if self.calls.is_empty() {
            self.root
        } else {
            Expr::Chain(Box::new(self.root), self.calls)
        }
    }
}

fn flat_args(args: &[Expr]) -> String {
    args.iter().map(flat).collect::<Vec<_>>().join(", ")
}

/// The expression on one line.
pub(crate) fn flat(e: &Expr) -> String {
    match e {
        Expr::Atom(s) => s.clone(),
        Expr::Call(name, args) => format!("{name}({})", flat_args(args)),
        Expr::Chain(root, calls) => {
            let mut s = flat(root);
            for (name, args) in calls {
                s.push_str(&format!(".{name}({})", flat_args(args)));
            }
            s
        }
        Expr::Array(items) => format!("[{}]", flat_args(items)),
    }
}

/// Whether a lone argument may take the whole line (a call or a chain).
fn overflows(e: &Expr) -> bool {
    matches!(e, Expr::Call(..) | Expr::Chain(..))
}

fn args_one_line(args: &[Expr]) -> bool {
    let one = flat_args(args);
    !one.contains('\n')
        && ((args.len() == 1 && overflows(&args[0])) || one.len() <= SMALL_WIDTH)
        && args.iter().all(one_line_ok)
}

/// Whether rustfmt's width rules allow the expression on one line (whatever the
/// space left).
fn one_line_ok(e: &Expr) -> bool {
    match e {
        Expr::Atom(s) => !s.contains('\n'),
        Expr::Call(_, args) => args_one_line(args),
        Expr::Chain(root, calls) => {
            one_line_ok(root)
                && (calls.len() == 1 || flat(e).len() <= SMALL_WIDTH)
                && calls.iter().all(|(_, args)| args_one_line(args))
        }
        Expr::Array(items) => flat(e).len() <= SMALL_WIDTH && items.iter().all(one_line_ok),
    }
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

/// Lays `e` out starting at column `col` on a line whose block indentation is
/// `indent`, with `suffix` columns following its last line. Continuation lines
/// carry their absolute indentation.
pub(crate) fn layout(e: &Expr, indent: usize, col: usize, suffix: usize) -> String {
    let one = flat(e);
    if one_line_ok(e) && col + one.len() + suffix <= MAX_WIDTH {
        return one;
    }
    match e {
        Expr::Atom(s) => s.clone(),
        Expr::Call(name, args) => {
            format!(
                "{name}{}",
                layout_args(args, indent, col + name.len(), suffix)
            )
        }
        Expr::Array(items) => layout_array(items, indent),
        Expr::Chain(root, calls) => layout_chain(root, calls, indent, col, suffix),
    }
}

/// `(args)` starting at `col`: on one line when allowed, else one argument per line.
fn layout_args(args: &[Expr], indent: usize, col: usize, suffix: usize) -> String {
    let one = flat_args(args);
    if args_one_line(args) && col + one.len() + 2 + suffix <= MAX_WIDTH {
        return format!("({one})");
    }
    if args.is_empty() {
        return "()".to_string();
    }
    // A lone call or array argument opens on this line and closes with it:
    // `.index(index(\n    "name",\n    [...],\n))`.
    match &args[0] {
        Expr::Call(name, inner) if args.len() == 1 => {
            let text = layout_args(inner, indent, col + 1 + name.len(), suffix + 1);
            if text.contains('\n') {
                return format!("({name}{text})");
            }
        }
        Expr::Array(items) if args.len() == 1 => {
            return format!("({})", layout_array(items, indent));
        }
        _ => {}
    }
    let inner = indent + INDENT;
    let mut out = String::from("(\n");
    push_one_per_line(&mut out, args, inner);
    out.push_str(&pad(indent));
    out.push(')');
    out
}

/// Appends `items` one per line, each at column `inner` and followed by `,\n`.
fn push_one_per_line(out: &mut String, items: &[Expr], inner: usize) {
    for item in items {
        out.push_str(&pad(inner));
        out.push_str(&layout(item, inner, inner, 1));
        out.push_str(",\n");
    }
}

fn layout_array(items: &[Expr], indent: usize) -> String {
    let inner = indent + INDENT;
    let flats: Vec<String> = items.iter().map(flat).collect();
    let mut out = String::from("[\n");
    if flats
        .iter()
        .all(|f| f.len() <= SHORT_ITEM && !f.contains('\n'))
    {
        let mut line = String::new();
        for f in &flats {
            let piece = format!("{f},");
            if !line.is_empty() && inner + line.len() + 1 + piece.len() > MAX_WIDTH {
                out.push_str(&pad(inner));
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
        out.push_str(&pad(inner));
        out.push_str(&line);
        out.push('\n');
    } else {
        push_one_per_line(&mut out, items, inner);
    }
    out.push_str(&pad(indent));
    out.push(']');
    out
}

fn layout_chain(
    root: &Expr,
    calls: &[(String, Vec<Expr>)],
    indent: usize,
    col: usize,
    suffix: usize,
) -> String {
    let last = calls.len() - 1;
    if let Some(text) = overflow_last(root, calls, indent, col, suffix) {
        return text;
    }
    let root_text = layout(root, indent, col, 0);
    let short_root = matches!(root, Expr::Atom(s) if s.len() <= INDENT);
    let mut out = root_text;
    let mut rest = calls.iter().enumerate();
    let mut child_indent = indent + INDENT;
    if short_root {
        let (i, (name, args)) = rest.next().expect("a chain has calls");
        let start = col + out.len() + 1 + name.len();
        let s = if i == last { suffix } else { 0 };
        let args_text = layout_args(args, indent, start, s);
        if args_text.contains('\n') {
            child_indent = indent;
        }
        out.push_str(&format!(".{name}{args_text}"));
    }
    for (i, (name, args)) in rest {
        let s = if i == last { suffix } else { 0 };
        let start = child_indent + 1 + name.len();
        out.push('\n');
        out.push_str(&pad(child_indent));
        out.push_str(&format!(
            ".{name}{}",
            layout_args(args, child_indent, start, s)
        ));
    }
    out
}

/// rustfmt keeps the last call of a chain on the line of the others when they fit
/// on one line and the last call takes several lines wherever it goes:
/// `op.create_table("t").column(\n    col(...)\n        .not_null(),\n);`.
fn overflow_last(
    root: &Expr,
    calls: &[(String, Vec<Expr>)],
    indent: usize,
    col: usize,
    suffix: usize,
) -> Option<String> {
    let (last_name, last_args) = calls.last()?;
    let prefix_expr = if calls.len() == 1 {
        root.clone()
    } else {
        Expr::Chain(Box::new(root.clone()), calls[..calls.len() - 1].to_vec())
    };
    let prefix = flat(&prefix_expr);
    let budget = if calls.len() > 1 {
        SMALL_WIDTH
    } else {
        MAX_WIDTH
    };
    // The prefix and the opening of the last call count against the chain width.
    let opening = prefix.len() + 1 + last_name.len() + 1;
    if !one_line_ok(&prefix_expr) || opening > budget || col + opening > MAX_WIDTH {
        return None;
    }
    let start = col + prefix.len() + 1 + last_name.len();
    let same_line = layout_args(last_args, indent, start, suffix);
    if !same_line.contains('\n') {
        return None;
    }
    let own_line = layout_args(
        last_args,
        indent + INDENT,
        indent + INDENT + 1 + last_name.len(),
        suffix,
    );
    if !own_line.contains('\n') {
        return None;
    }
    Some(format!("{prefix}.{last_name}{same_line}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(root: Expr, calls: &[(&str, Vec<Expr>)]) -> Expr {
        calls
            .iter()
            .fold(ChainBuilder::new(root), |c, (n, a)| c.then(n, a.clone()))
            .build()
    }

    #[test]
    fn breaks_like_rustfmt() {
        let e = chain(
            atom("op"),
            &[
                (
                    "drop_index",
                    vec![lit("idx_micrograph_acquisition_datetime")],
                ),
                ("table", vec![lit("micrograph")]),
            ],
        );
        assert_eq!(
            layout(&e, 4, 4, 1),
            "op.drop_index(\"idx_micrograph_acquisition_datetime\")\n        .table(\"micrograph\")"
        );
        let e = chain(
            call("col", vec![lit("id"), call("integer", vec![])]),
            &[("primary_key", vec![]), ("autoincrement", vec![])],
        );
        assert_eq!(
            layout(&e, 8, 16, 1),
            "col(\"id\", integer()).primary_key().autoincrement()"
        );
    }
}
