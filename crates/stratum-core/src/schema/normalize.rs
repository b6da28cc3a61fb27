//! Normalization: one spelling for each meaning, so that equal schemas compare equal.

use super::{AutoIncrement, ColumnType, DefaultValue, Schema, Table};

impl Schema {
    /// This schema in normal form: default index method spelled `None`, a
    /// `DEFAULT NULL` dropped, autoincrement columns made NOT NULL without a default,
    /// index predicates and check expressions with outer parentheses and extra
    /// whitespace removed.
    pub fn normalized(&self) -> Schema {
        let mut s = self.clone();
        s.normalize();
        s
    }

    /// Brings this schema to normal form in place (see [`Schema::normalized`]).
    pub fn normalize(&mut self) {
        for table in self.tables.values_mut() {
            table.normalize();
        }
    }

    /// A copy in normal form with every table's columns sorted by name: for
    /// comparisons where column order cannot matter (a column dropped and added
    /// back comes back last; no op moves a column).
    pub fn column_order_insensitive(&self) -> Schema {
        let mut s = self.normalized();
        for table in s.tables.values_mut() {
            table.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        s
    }
}

impl Table {
    /// Brings this table to normal form in place (see [`Schema::normalized`]).
    pub fn normalize(&mut self) {
        normalize_table(self);
    }
}

fn normalize_table(table: &mut Table) {
    let pk_cols: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    for col in &mut table.columns {
        if col.default == Some(DefaultValue::Null) {
            col.default = None;
        }
        if col.auto_increment.is_some() {
            col.nullable = false;
            col.default = None;
        }
        if pk_cols.contains(&col.name) {
            col.nullable = false;
        }
        if let ColumnType::Numeric {
            precision: None,
            scale: Some(_),
        } = col.ty
        {
            col.ty = ColumnType::Numeric {
                precision: None,
                scale: None,
            };
        }
        if col.auto_increment == Some(AutoIncrement::Serial) && !col.ty.is_integer() {
            col.auto_increment = None;
        }
    }
    for idx in table.indexes.values_mut() {
        if idx
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("btree"))
        {
            idx.method = None;
        }
        if let Some(m) = &mut idx.method {
            *m = m.to_ascii_lowercase();
        }
        if let Some(p) = &mut idx.predicate {
            *p = normalize_sql_expr(p);
        }
    }
    for check in table.checks.values_mut() {
        check.expression = normalize_sql_expr(&check.expression);
    }
}

/// Collapses whitespace runs to one space, removes quotes from identifiers that do
/// not need them (`"qty"` → `qty`) and strips parentheses that wrap the whole
/// expression.
pub fn normalize_sql_expr(expr: &str) -> String {
    let unquoted = crate::expr::unquote_plain_identifiers(expr);
    let mut s = unquoted.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let t = s.trim();
        if t.starts_with('(') && t.ends_with(')') && wraps_whole(t) {
            s = t[1..t.len() - 1].trim().to_string();
        } else {
            return t.to_string();
        }
    }
}

/// Whether the first `(` of `s` closes at its last character (ignoring quoted text).
fn wraps_whole(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str: Option<char> = None;
    let n = s.chars().count();
    for (i, c) in s.chars().enumerate() {
        if let Some(q) = in_str {
            if c == q {
                in_str = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => in_str = Some(c),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && i != n - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::normalize_sql_expr;

    #[test]
    fn strips_wrapping_parentheses_only() {
        assert_eq!(normalize_sql_expr("((a > 0))"), "a > 0");
        assert_eq!(
            normalize_sql_expr("(a > 0) AND (b < 1)"),
            "(a > 0) AND (b < 1)"
        );
        assert_eq!(normalize_sql_expr("  x  =\n 'a )'  "), "x = 'a )'");
        assert_eq!(normalize_sql_expr("(\"qty\" > 0)"), "qty > 0");
    }
}
