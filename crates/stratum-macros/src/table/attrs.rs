//! The struct-level `#[table(...)]` attribute: name, indexes, uniques, checks and
//! foreign keys.

use super::*;
use crate::sql;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{DeriveInput, Error, LitStr, Result, Token};

/// Parses `("a", "b", ...)` after an attribute key.
pub(super) fn string_list(meta: &ParseNestedMeta<'_>) -> Result<Vec<NameRef>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    if list.is_empty() {
        return Err(meta.error("expected at least one column name, like (\"a\", \"b\")"));
    }
    Ok(list.iter().map(|l| (l.value(), l.span())).collect())
}

pub(super) fn lit_str(meta: &ParseNestedMeta<'_>) -> Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

pub(super) fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    meta: &ParseNestedMeta<'_>,
) -> Result<()> {
    if slot.is_some() {
        return Err(meta.error("this key is given twice"));
    }
    *slot = Some(value);
    Ok(())
}

pub(super) fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(|i| i.unraw().to_string())
        .unwrap_or_else(|| "?".into())
}

pub(super) fn parse_table_attrs(input: &DeriveInput) -> Result<TableAttrs> {
    let mut attrs = TableAttrs::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("table")) {
        attr.parse_nested_meta(|meta| {
            let key = key_name(&meta);
            match key.as_str() {
                "name" => {
                    let v = lit_str(&meta)?;
                    if v.value().is_empty() {
                        return Err(Error::new(v.span(), "table name must not be empty"));
                    }
                    set_once(&mut attrs.name, v.value(), &meta)
                }
                "index" => {
                    let mut spec = IndexSpec::default();
                    meta.parse_nested_meta(|m| match key_name(&m).as_str() {
                        "name" => set_once(&mut spec.name, lit_str(&m)?.value(), &m),
                        "columns" => {
                            spec.columns = string_list(&m)?;
                            Ok(())
                        }
                        "unique" => {
                            spec.unique = true;
                            Ok(())
                        }
                        "using" => set_once(&mut spec.using, lit_str(&m)?.value(), &m),
                        "predicate" => set_once(&mut spec.predicate, lit_str(&m)?.value(), &m),
                        _ => Err(m.error(
                            "unknown index key: expected name, columns, unique, using or predicate",
                        )),
                    })?;
                    if spec.columns.is_empty() {
                        return Err(meta.error("index needs columns(\"a\", ...)"));
                    }
                    attrs.indexes.push(spec);
                    Ok(())
                }
                "unique" => {
                    let mut spec = UniqueSpec::default();
                    meta.parse_nested_meta(|m| match key_name(&m).as_str() {
                        "name" => set_once(&mut spec.name, lit_str(&m)?.value(), &m),
                        "columns" => {
                            spec.columns = string_list(&m)?;
                            Ok(())
                        }
                        _ => Err(m.error("unknown unique key: expected name or columns")),
                    })?;
                    if spec.columns.is_empty() {
                        return Err(meta.error("unique needs columns(\"a\", ...)"));
                    }
                    attrs.uniques.push(spec);
                    Ok(())
                }
                "check" => {
                    let mut spec = CheckSpec::default();
                    meta.parse_nested_meta(|m| match key_name(&m).as_str() {
                        "name" => set_once(&mut spec.name, lit_str(&m)?.value(), &m),
                        "expr" => set_once(&mut spec.expr, lit_str(&m)?.value(), &m),
                        _ => Err(m.error("unknown check key: expected name or expr")),
                    })?;
                    if spec.name.is_none() || spec.expr.is_none() {
                        return Err(meta.error("check needs name = \"...\" and expr = \"...\""));
                    }
                    attrs.checks.push(spec);
                    Ok(())
                }
                "foreign_key" => {
                    let mut spec = ForeignKeySpec::default();
                    meta.parse_nested_meta(|m| match key_name(&m).as_str() {
                        "name" => set_once(&mut spec.name, lit_str(&m)?.value(), &m),
                        "columns" => {
                            spec.columns = string_list(&m)?;
                            Ok(())
                        }
                        "references" => set_once(&mut spec.references, lit_str(&m)?.value(), &m),
                        "ref_columns" => {
                            spec.ref_columns =
                                string_list(&m)?.into_iter().map(|(s, _)| s).collect();
                            Ok(())
                        }
                        "on_delete" => {
                            let v = lit_str(&m)?;
                            let t =
                                sql::fk_action(&v.value()).map_err(|e| Error::new(v.span(), e))?;
                            set_once(&mut spec.on_delete, t, &m)
                        }
                        "on_update" => {
                            let v = lit_str(&m)?;
                            let t =
                                sql::fk_action(&v.value()).map_err(|e| Error::new(v.span(), e))?;
                            set_once(&mut spec.on_update, t, &m)
                        }
                        _ => Err(m.error(
                            "unknown foreign_key key: expected name, columns, references, \
                             ref_columns, on_delete or on_update",
                        )),
                    })?;
                    if spec.columns.is_empty() || spec.references.is_none() {
                        return Err(meta.error(
                            "foreign_key needs columns(\"a\", ...), references = \"table\" \
                             and ref_columns(\"x\", ...)",
                        ));
                    }
                    if spec.columns.len() != spec.ref_columns.len() {
                        return Err(meta.error(
                            "foreign_key: columns and ref_columns must have the same length",
                        ));
                    }
                    attrs.foreign_keys.push(spec);
                    Ok(())
                }
                "primary_key" => {
                    let span = meta.path.span();
                    let cols = string_list(&meta)?;
                    set_once(&mut attrs.primary_key, (cols, span), &meta)
                }
                _ => Err(meta.error(
                    "unknown table attribute: expected name, index, unique, check, \
                     foreign_key or primary_key",
                )),
            }
        })?;
    }
    Ok(attrs)
}
