//! Raw SQL: one text for every dialect, and per-dialect variants.

use crate::dialect::Dialect;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Raw SQL, with optional per-dialect variants.
///
/// Serialized as a map with `any` and one entry per dialect named by
/// [`Dialect::key`] (`{"any": ..., "postgres": ..., "sqlite": ...}`, `null` where
/// there is no text).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawSql {
    /// SQL for any dialect that has no variant of its own.
    pub any: Option<String>,
    /// SQL for one dialect, instead of `any`.
    pub variants: BTreeMap<Dialect, String>,
}

impl RawSql {
    /// Raw SQL for every dialect.
    pub fn any(sql: impl Into<String>) -> Self {
        Self {
            any: Some(sql.into()),
            variants: BTreeMap::new(),
        }
    }

    /// The SQL to run on `dialect`: its own variant, else `any`.
    pub fn sql_for(&self, dialect: Dialect) -> Option<&str> {
        self.variant(dialect).or(self.any.as_deref())
    }

    /// The variant of `dialect` alone (not `any`).
    pub fn variant(&self, dialect: Dialect) -> Option<&str> {
        self.variants.get(&dialect).map(String::as_str)
    }

    /// Sets the variant of `dialect`.
    pub fn set_variant(&mut self, dialect: Dialect, sql: impl Into<String>) {
        self.variants.insert(dialect, sql.into());
    }

    /// Whether any dialect has a variant of its own.
    pub fn has_variants(&self) -> bool {
        !self.variants.is_empty()
    }

    /// Every text: `any` first, then the variants in dialect order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.any
            .as_deref()
            .into_iter()
            .chain(self.variants.values().map(String::as_str))
    }
}

impl Serialize for RawSql {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + Dialect::ALL.len()))?;
        map.serialize_entry("any", &self.any)?;
        for d in Dialect::ALL {
            map.serialize_entry(d.key(), &self.variant(d))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RawSql {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawSqlVisitor;
        impl<'de> Visitor<'de> for RawSqlVisitor {
            type Value = RawSql;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of `any` and dialect keys to SQL text or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSql, A::Error> {
                let mut raw = RawSql::default();
                while let Some(key) = map.next_key::<String>()? {
                    let text: Option<String> = map.next_value()?;
                    match (key.as_str(), Dialect::from_key(&key)) {
                        ("any", _) => raw.any = text,
                        (_, Some(d)) => {
                            if let Some(text) = text {
                                raw.variants.insert(d, text);
                            }
                        }
                        // Unknown keys are ignored, as for every other op field.
                        _ => {}
                    }
                }
                Ok(raw)
            }
        }
        deserializer.deserialize_map(RawSqlVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_fall_back_to_any() {
        let mut raw = RawSql::any("SELECT 1");
        raw.set_variant(Dialect::Postgres, "SELECT 2");
        assert_eq!(raw.sql_for(Dialect::Postgres), Some("SELECT 2"));
        assert_eq!(raw.sql_for(Dialect::Sqlite), Some("SELECT 1"));
        assert_eq!(raw.variant(Dialect::Sqlite), None);
        assert_eq!(raw.texts().collect::<Vec<_>>(), ["SELECT 1", "SELECT 2"]);
        assert!(RawSql::default().sql_for(Dialect::Sqlite).is_none());
    }

    #[test]
    fn json_keeps_the_shape_of_one_field_per_dialect() {
        let mut raw = RawSql::default();
        raw.set_variant(Dialect::Sqlite, "VACUUM");
        let json = serde_json::to_string(&raw).unwrap();
        assert_eq!(
            json,
            r#"{"any":null,"postgres":null,"sqlite":"VACUUM","mysql":null}"#
        );
        assert_eq!(serde_json::from_str::<RawSql>(&json).unwrap(), raw);
        let old: RawSql =
            serde_json::from_str(r#"{"any":"SELECT 1","postgres":"SELECT 2"}"#).unwrap();
        assert_eq!(old.any.as_deref(), Some("SELECT 1"));
        assert_eq!(old.variant(Dialect::Postgres), Some("SELECT 2"));
        assert_eq!(
            serde_json::from_str::<RawSql>("{}").unwrap(),
            RawSql::default()
        );
    }
}
