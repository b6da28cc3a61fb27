//! `#[derive(Table)]`.

mod attrs;
mod column;

use attrs::parse_table_attrs;
use column::{option_inner, parse_column};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, Result, Type};

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
