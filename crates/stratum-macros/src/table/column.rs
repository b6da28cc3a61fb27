//! The field-level `#[column(...)]` attribute of one column.

use super::attrs::{key_name, lit_str, set_once};
use super::*;
use crate::sql;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Error, Lit, Result, Token, Type};

pub(super) fn parse_column(field: &syn::Field) -> Result<Option<ColumnSpec>> {
    let ident = field
        .ident
        .as_ref()
        .ok_or_else(|| Error::new(field.span(), "Table fields must be named"))?;
    let mut spec = ColumnSpec {
        field_ty: field.ty.clone(),
        name: ident.unraw().to_string(),
        span: ident.span(),
        primary_key: false,
        autoincrement: None,
        ty: None,
        nullable: None,
        default: None,
        index: false,
        unique: false,
        foreign_key: None,
        on_delete: None,
        on_update: None,
        enum_type: false,
    };
    let mut skip = None;
    let mut action_span = None;
    let mut default_span = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("column")) {
        attr.parse_nested_meta(|meta| {
            let key = key_name(&meta);
            let mut set_default = |t: TokenStream, meta: &ParseNestedMeta<'_>| {
                if spec.default.is_some() {
                    return Err(meta.error(
                        "give only one of default, default_now, default_uuid, default_value",
                    ));
                }
                default_span = Some(meta.path.span());
                spec.default = Some(t);
                Ok(())
            };
            match key.as_str() {
                "skip" => {
                    skip = Some(meta.path.span());
                    Ok(())
                }
                "primary_key" => {
                    spec.primary_key = true;
                    Ok(())
                }
                "autoincrement" => {
                    let kind = if meta.input.peek(Token![=]) {
                        let v = lit_str(&meta)?;
                        match v.value().as_str() {
                            "serial" => quote!(Serial),
                            "identity" => quote!(IdentityByDefault),
                            "identity_always" => quote!(IdentityAlways),
                            _ => {
                                return Err(Error::new(
                                    v.span(),
                                    "expected \"serial\", \"identity\" or \"identity_always\"",
                                ));
                            }
                        }
                    } else {
                        quote!(Serial)
                    };
                    set_once(
                        &mut spec.autoincrement,
                        quote!(::stratum::schema::AutoIncrement::#kind),
                        &meta,
                    )
                }
                "name" => {
                    let v = lit_str(&meta)?;
                    if v.value().is_empty() {
                        return Err(Error::new(v.span(), "column name must not be empty"));
                    }
                    spec.name = v.value();
                    spec.span = v.span();
                    Ok(())
                }
                "ty" => {
                    let v = lit_str(&meta)?;
                    let t = sql::column_type(&v.value()).map_err(|e| Error::new(v.span(), e))?;
                    set_once(&mut spec.ty, t, &meta)
                }
                "nullable" | "not_null" => {
                    if spec.nullable.is_some() {
                        return Err(meta.error("give only one of nullable, not_null"));
                    }
                    spec.nullable = Some(key == "nullable");
                    Ok(())
                }
                "default" => {
                    let v = lit_str(&meta)?;
                    let t = sql::default_expr(&v.value()).map_err(|e| Error::new(v.span(), e))?;
                    set_default(t, &meta)
                }
                "default_now" => set_default(quote!(::stratum::schema::DefaultValue::Now), &meta),
                "default_uuid" => {
                    set_default(quote!(::stratum::schema::DefaultValue::RandomUuid), &meta)
                }
                "default_value" => {
                    let lit: Lit = meta.value()?.parse()?;
                    let dv = quote!(::stratum::schema::DefaultValue);
                    let t = match &lit {
                        Lit::Str(s) => {
                            let s = s.value();
                            quote!(#dv::Text(::std::string::String::from(#s)))
                        }
                        Lit::Int(i) => {
                            let v: i64 = i.base10_parse()?;
                            quote!(#dv::Int(#v))
                        }
                        Lit::Bool(b) => {
                            let v = b.value;
                            quote!(#dv::Bool(#v))
                        }
                        Lit::Float(f) => {
                            let v = f.base10_digits().to_string();
                            quote!(#dv::Decimal(::std::string::String::from(#v)))
                        }
                        _ => {
                            return Err(Error::new(
                                lit.span(),
                                "default_value takes a string, integer, float or bool literal",
                            ));
                        }
                    };
                    set_default(t, &meta)
                }
                "index" => {
                    spec.index = true;
                    Ok(())
                }
                "unique" => {
                    spec.unique = true;
                    Ok(())
                }
                "foreign_key" => {
                    let v = lit_str(&meta)?;
                    let value = v.value();
                    let Some((t, c)) = value
                        .split_once('.')
                        .filter(|(t, c)| !t.is_empty() && !c.is_empty() && !c.contains('.'))
                    else {
                        return Err(Error::new(v.span(), "foreign_key must be \"table.column\""));
                    };
                    set_once(&mut spec.foreign_key, (t.to_string(), c.to_string()), &meta)
                }
                "on_delete" | "on_update" => {
                    let v = lit_str(&meta)?;
                    let t = sql::fk_action(&v.value()).map_err(|e| Error::new(v.span(), e))?;
                    action_span = Some(meta.path.span());
                    if key == "on_delete" {
                        set_once(&mut spec.on_delete, t, &meta)
                    } else {
                        set_once(&mut spec.on_update, t, &meta)
                    }
                }
                "enum_type" => {
                    spec.enum_type = true;
                    Ok(())
                }
                _ => Err(meta.error(
                    "unknown column attribute: expected primary_key, autoincrement, name, ty, \
                     nullable, not_null, default, default_now, default_uuid, default_value, \
                     index, unique, foreign_key, on_delete, on_update, enum_type or skip",
                )),
            }
        })?;
    }
    if let Some(span) = skip {
        let only_skip = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("column"))
            .count()
            == 1
            && !spec.primary_key
            && spec.ty.is_none()
            && spec.default.is_none()
            && spec.foreign_key.is_none()
            && spec.nullable.is_none()
            && !spec.index
            && !spec.unique
            && !spec.enum_type
            && spec.autoincrement.is_none();
        if !only_skip {
            return Err(Error::new(
                span,
                "`skip` excludes the field from the table: give no other column attribute",
            ));
        }
        return Ok(None);
    }
    if spec.foreign_key.is_none()
        && let Some(span) = action_span
    {
        return Err(Error::new(
            span,
            "on_delete/on_update need foreign_key = \"table.column\" on the same field",
        ));
    }
    if spec.autoincrement.is_some()
        && let Some(span) = default_span
    {
        return Err(Error::new(
            span,
            "an autoincrement column gets its values from a sequence: remove the default",
        ));
    }
    if spec.enum_type && spec.ty.is_some() {
        return Err(Error::new(
            spec.span,
            "give either enum_type or ty, not both",
        ));
    }
    if spec.primary_key && spec.nullable == Some(true) {
        return Err(Error::new(
            spec.span,
            "a primary-key column cannot be nullable",
        ));
    }
    Ok(Some(spec))
}

/// `Option<T>` (or `std::option::Option<T>`) → `Some(T)`.
pub(super) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}
