//! Defaults as the server keeps them: a decimal column's default has exactly
//! the column's scale (`1.5` in a `decimal(10,2)` is `1.50`), and a number in a
//! decimal or floating column reads back as a decimal.

use crate::schema::{ColumnType, DefaultValue};

/// The default `default` of a column of type `ty`, as stored.
pub(super) fn stored_default(ty: &ColumnType, default: DefaultValue) -> DefaultValue {
    match (ty, default) {
        (ColumnType::Numeric { scale, .. }, DefaultValue::Int(i)) => {
            DefaultValue::Decimal(with_scale(&i.to_string(), scale.unwrap_or(0)))
        }
        (ColumnType::Numeric { scale, .. }, DefaultValue::Decimal(d)) => {
            DefaultValue::Decimal(with_scale(&d, scale.unwrap_or(0)))
        }
        (ColumnType::Real | ColumnType::Double, DefaultValue::Int(i)) => {
            DefaultValue::Decimal(i.to_string())
        }
        (_, d) => d,
    }
}

/// `d` with `scale` fractional digits, padded with zeros (a longer fraction is
/// left as written: the server rounds it).
fn with_scale(d: &str, scale: u32) -> String {
    let scale = scale as usize;
    let (int, frac) = d.split_once('.').unwrap_or((d, ""));
    if frac.len() > scale || !frac.chars().all(|c| c.is_ascii_digit()) {
        return d.to_string();
    }
    if scale == 0 {
        return int.to_string();
    }
    format!("{int}.{frac:0<scale$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_take_the_column_scale() {
        let n = |scale| ColumnType::Numeric {
            precision: Some(10),
            scale: Some(scale),
        };
        let dec = |s: &str| DefaultValue::Decimal(s.into());
        assert_eq!(stored_default(&n(2), dec("1.5")), dec("1.50"));
        assert_eq!(stored_default(&n(2), dec("-3")), dec("-3.00"));
        assert_eq!(stored_default(&n(2), DefaultValue::Int(4)), dec("4.00"));
        assert_eq!(stored_default(&n(0), DefaultValue::Int(4)), dec("4"));
        assert_eq!(
            stored_default(&ColumnType::Double, DefaultValue::Int(1)),
            dec("1")
        );
        assert_eq!(
            stored_default(&ColumnType::Integer, DefaultValue::Int(1)),
            DefaultValue::Int(1)
        );
    }
}
