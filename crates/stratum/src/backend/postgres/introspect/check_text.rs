//! The text of check constraints as `pg_get_constraintdef` prints them.

/// The expression of `CHECK (expr) [NO INHERIT] [NOT VALID]` as printed by
/// `pg_get_constraintdef`.
pub(crate) fn check_expression(definition: &str) -> String {
    let mut s = definition.trim();
    for suffix in [" NOT VALID", " NO INHERIT"] {
        s = s.strip_suffix(suffix).unwrap_or(s).trim_end();
    }
    s.strip_prefix("CHECK").unwrap_or(s).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_check_definitions() {
        assert_eq!(check_expression("CHECK ((qty > 0))"), "((qty > 0))");
        assert_eq!(
            check_expression("CHECK ((qty > 0)) NOT VALID"),
            "((qty > 0))"
        );
    }
}
