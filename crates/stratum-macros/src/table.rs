//! `#[derive(Table)]`.

use crate::sql;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, Lit, LitStr, Result, Token, Type};

/// A column name as written in an attribute, with its span for errors.
type NameRef = (String, Span);

#[derive(Default)]
struct IndexSpec {
    name: Option<String>,
    columns: Vec<NameRef>,
    unique: bool,
    using: Option<String>,
    predicate: Option<String>,
}

#[derive(Default)]
struct UniqueSpec {
    name: Option<String>,
    columns: Vec<NameRef>,
}

#[derive(Default)]
struct CheckSpec {
    name: Option<String>,
    expr: Option<String>,
}

#[derive(Default)]
struct ForeignKeySpec {
    name: Option<String>,
    columns: Vec<NameRef>,
    references: Option<String>,
    ref_columns: Vec<String>,
    on_delete: Option<TokenStream>,
    on_update: Option<TokenStream>,
}

#[derive(Default)]
struct TableAttrs {
    name: Option<String>,
    indexes: Vec<IndexSpec>,
    uniques: Vec<UniqueSpec>,
    checks: Vec<CheckSpec>,
    foreign_keys: Vec<ForeignKeySpec>,
    primary_key: Option<(Vec<NameRef>, Span)>,
}

struct ColumnSpec {
    field_ty: Type,
    name: String,
    span: Span,
    primary_key: bool,
    autoincrement: Option<TokenStream>,
    ty: Option<TokenStream>,
    nullable: Option<bool>,
    default: Option<TokenStream>,
    index: bool,
    unique: bool,
    foreign_key: Option<(String, String)>,
    on_delete: Option<TokenStream>,
    on_update: Option<TokenStream>,
    enum_type: bool,
}

/// Parses `("a", "b", ...)` after an attribute key.
fn string_list(meta: &ParseNestedMeta<'_>) -> Result<Vec<NameRef>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    if list.is_empty() {
        return Err(meta.error("expected at least one column name, like (\"a\", \"b\")"));
    }
    Ok(list.iter().map(|l| (l.value(), l.span())).collect())
}

fn lit_str(meta: &ParseNestedMeta<'_>) -> Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>) -> Result<()> {
    if slot.is_some() {
        return Err(meta.error("this key is given twice"));
    }
    *slot = Some(value);
    Ok(())
}

fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(|i| i.unraw().to_string())
        .unwrap_or_else(|| "?".into())
}

fn parse_table_attrs(input: &DeriveInput) -> Result<TableAttrs> {
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

fn parse_column(field: &syn::Field) -> Result<Option<ColumnSpec>> {
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
fn option_inner(ty: &Type) -> Option<&Type> {
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

fn check_columns(refs: &[NameRef], known: &HashSet<String>) -> Result<()> {
    for (name, span) in refs {
        if !known.contains(name) {
            return Err(Error::new(
                *span,
                format!(
                    "no column `{name}` in this table (column names, not field names, are expected)"
                ),
            ));
        }
    }
    Ok(())
}

fn strings(refs: &[NameRef]) -> TokenStream {
    let names = refs.iter().map(|(n, _)| n);
    quote!(::std::vec![#(::std::string::String::from(#names)),*])
}

fn plain_strings(list: &[String]) -> TokenStream {
    quote!(::std::vec![#(::std::string::String::from(#list)),*])
}

fn opt_string(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(::std::string::String::from(#s))),
        None => quote!(::std::option::Option::None),
    }
}

pub fn expand(input: &DeriveInput) -> Result<TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(Table)] works on structs with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(Table)] works on structs with named fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.generics.span(),
            "#[derive(Table)] does not support generic structs",
        ));
    }
    let attrs = parse_table_attrs(input)?;
    let table_name = attrs
        .name
        .clone()
        .unwrap_or_else(|| input.ident.unraw().to_string().to_lowercase());

    let mut columns = Vec::new();
    let mut known = HashSet::new();
    for field in &fields.named {
        if let Some(col) = parse_column(field)? {
            if !known.insert(col.name.clone()) {
                return Err(Error::new(
                    col.span,
                    format!("column `{}` is declared twice", col.name),
                ));
            }
            columns.push(col);
        }
    }
    if columns.is_empty() {
        return Err(Error::new(
            input.ident.span(),
            "a table needs at least one column",
        ));
    }

    let field_pk: Vec<NameRef> = columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| (c.name.clone(), c.span))
        .collect();
    let pk_cols = match &attrs.primary_key {
        Some((cols, span)) => {
            if !field_pk.is_empty() {
                return Err(Error::new(
                    *span,
                    "primary key declared both here and with #[column(primary_key)]: keep one",
                ));
            }
            check_columns(cols, &known)?;
            cols.clone()
        }
        None => field_pk,
    };
    let pk_names: HashSet<&str> = pk_cols.iter().map(|(n, _)| n.as_str()).collect();

    let mut stmts = Vec::new();
    let mut enum_stmts = Vec::new();
    for col in &columns {
        let name = &col.name;
        let fty = &col.field_ty;
        let enum_inner = col.enum_type.then(|| option_inner(fty).unwrap_or(fty));
        let ty = match (&col.ty, enum_inner) {
            (Some(t), _) => t.clone(),
            (None, Some(inner)) => quote!(::stratum::schema::ColumnType::Enum(
                <#inner as ::stratum::model::DbEnum>::enum_type().name
            )),
            (None, None) => quote!(<#fty as ::stratum::model::SqlType>::column_type()),
        };
        let nullable = match col.nullable {
            Some(b) => quote!(#b),
            None if pk_names.contains(name.as_str()) || col.autoincrement.is_some() => {
                quote!(false)
            }
            None if col.enum_type || col.ty.is_some() => {
                let b = option_inner(fty).is_some();
                quote!(#b)
            }
            None => quote!(<#fty as ::stratum::model::SqlType>::NULLABLE),
        };
        let default = match &col.default {
            Some(d) => quote!(::std::option::Option::Some(#d)),
            None => quote!(::std::option::Option::None),
        };
        let auto = match &col.autoincrement {
            Some(a) => quote!(::std::option::Option::Some(#a)),
            None => quote!(::std::option::Option::None),
        };
        stmts.push(quote! {
            table.columns.push(::stratum::schema::Column {
                name: ::std::string::String::from(#name),
                ty: #ty,
                nullable: #nullable,
                default: #default,
                auto_increment: #auto,
            });
        });
        match (enum_inner, &col.ty) {
            (Some(inner), _) => enum_stmts.push(quote! {
                push(<#inner as ::stratum::model::DbEnum>::enum_type());
            }),
            (None, None) => enum_stmts.push(quote! {
                if let ::std::option::Option::Some(e) =
                    <#fty as ::stratum::model::SqlType>::enum_declaration()
                {
                    push(e);
                }
            }),
            (None, Some(_)) => {}
        }
    }

    if !pk_cols.is_empty() {
        let cols = strings(&pk_cols);
        stmts.push(quote! {
            table.primary_key = ::std::option::Option::Some(::stratum::schema::PrimaryKey {
                name: ::stratum::naming::primary_key(#table_name),
                columns: #cols,
            });
        });
    }

    // Column-level foreign keys, unique constraints and indexes.
    for col in &columns {
        let name = &col.name;
        let one = quote!(::std::vec![::std::string::String::from(#name)]);
        if let Some((rt, rc)) = &col.foreign_key {
            let on_delete = col
                .on_delete
                .clone()
                .unwrap_or_else(|| quote!(::stratum::schema::FkAction::NoAction));
            let on_update = col
                .on_update
                .clone()
                .unwrap_or_else(|| quote!(::stratum::schema::FkAction::NoAction));
            stmts.push(quote! {
                let fk = ::stratum::schema::ForeignKey {
                    name: ::stratum::naming::foreign_key(#table_name, &#one),
                    columns: #one,
                    ref_table: ::std::string::String::from(#rt),
                    ref_columns: ::std::vec![::std::string::String::from(#rc)],
                    on_delete: #on_delete,
                    on_update: #on_update,
                };
                table.foreign_keys.insert(fk.name.clone(), fk);
            });
        }
        if col.index {
            let unique = col.unique;
            stmts.push(quote! {
                let ix = ::stratum::schema::Index {
                    name: ::stratum::naming::index(#table_name, &#one),
                    columns: #one,
                    unique: #unique,
                    method: ::std::option::Option::None,
                    predicate: ::std::option::Option::None,
                };
                table.indexes.insert(ix.name.clone(), ix);
            });
        } else if col.unique {
            stmts.push(quote! {
                let uq = ::stratum::schema::UniqueConstraint {
                    name: ::stratum::naming::unique(#table_name, &#one),
                    columns: #one,
                };
                table.uniques.insert(uq.name.clone(), uq);
            });
        }
    }

    // Table-level constraints and indexes.
    for ix in &attrs.indexes {
        check_columns(&ix.columns, &known)?;
        let cols = strings(&ix.columns);
        let name = match &ix.name {
            Some(n) => quote!(::std::string::String::from(#n)),
            None => quote!(::stratum::naming::index(#table_name, &#cols)),
        };
        let unique = ix.unique;
        let method = opt_string(&ix.using);
        let predicate = opt_string(&ix.predicate);
        stmts.push(quote! {
            let ix = ::stratum::schema::Index {
                name: #name,
                columns: #cols,
                unique: #unique,
                method: #method,
                predicate: #predicate,
            };
            table.indexes.insert(ix.name.clone(), ix);
        });
    }
    for uq in &attrs.uniques {
        check_columns(&uq.columns, &known)?;
        let cols = strings(&uq.columns);
        let name = match &uq.name {
            Some(n) => quote!(::std::string::String::from(#n)),
            None => quote!(::stratum::naming::unique(#table_name, &#cols)),
        };
        stmts.push(quote! {
            let uq = ::stratum::schema::UniqueConstraint { name: #name, columns: #cols };
            table.uniques.insert(uq.name.clone(), uq);
        });
    }
    for ck in &attrs.checks {
        let name = ck.name.as_deref().unwrap_or_default();
        let expr = ck.expr.as_deref().unwrap_or_default();
        stmts.push(quote! {
            table.checks.insert(
                ::std::string::String::from(#name),
                ::stratum::schema::CheckConstraint {
                    name: ::std::string::String::from(#name),
                    expression: ::std::string::String::from(#expr),
                },
            );
        });
    }
    for fk in &attrs.foreign_keys {
        check_columns(&fk.columns, &known)?;
        let cols = strings(&fk.columns);
        let ref_cols = plain_strings(&fk.ref_columns);
        let rt = fk.references.as_deref().unwrap_or_default();
        let name = match &fk.name {
            Some(n) => quote!(::std::string::String::from(#n)),
            None => quote!(::stratum::naming::foreign_key(#table_name, &#cols)),
        };
        let on_delete = fk
            .on_delete
            .clone()
            .unwrap_or_else(|| quote!(::stratum::schema::FkAction::NoAction));
        let on_update = fk
            .on_update
            .clone()
            .unwrap_or_else(|| quote!(::stratum::schema::FkAction::NoAction));
        stmts.push(quote! {
            let fk = ::stratum::schema::ForeignKey {
                name: #name,
                columns: #cols,
                ref_table: ::std::string::String::from(#rt),
                ref_columns: #ref_cols,
                on_delete: #on_delete,
                on_update: #on_update,
            };
            table.foreign_keys.insert(fk.name.clone(), fk);
        });
    }

    let ident = &input.ident;
    Ok(quote! {
        #[automatically_derived]
        impl ::stratum::model::TableModel for #ident {
            fn table() -> ::stratum::schema::Table {
                let mut table = ::stratum::schema::Table::new(#table_name);
                #(#stmts)*
                table
            }

            fn enum_types() -> ::std::vec::Vec<::stratum::schema::EnumType> {
                let mut types: ::std::vec::Vec<::stratum::schema::EnumType> =
                    ::std::vec::Vec::new();
                let mut push = |e: ::stratum::schema::EnumType| {
                    if !types.iter().any(|t| t.name == e.name) {
                        types.push(e);
                    }
                };
                #(#enum_stmts)*
                let _ = &mut push;
                types
            }
        }
    })
}
