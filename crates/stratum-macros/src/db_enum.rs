//! `#[derive(DbEnum)]`.

use crate::sql;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Error, Fields, LitStr, Result};

pub fn expand(input: &DeriveInput) -> Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(DbEnum)] works on enums whose variants have no fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new(
            input.ident.span(),
            "#[derive(DbEnum)] does not support generic enums",
        ));
    }
    let mut type_name: Option<String> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("db_enum")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let v: LitStr = meta.value()?.parse()?;
                if v.value().is_empty() {
                    return Err(Error::new(v.span(), "enum type name must not be empty"));
                }
                if type_name.replace(v.value()).is_some() {
                    return Err(meta.error("name is given twice"));
                }
                Ok(())
            } else {
                Err(meta.error("unknown db_enum attribute on the enum: expected name = \"...\""))
            }
        })?;
    }
    let type_name = type_name.unwrap_or_else(|| input.ident.unraw().to_string().to_lowercase());

    if data.variants.is_empty() {
        return Err(Error::new(
            input.ident.span(),
            "a database enum needs at least one variant",
        ));
    }
    let mut idents = Vec::new();
    let mut labels = Vec::new();
    let mut seen = HashSet::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(Error::new(
                variant.ident.span(),
                "#[derive(DbEnum)] variants cannot have fields",
            ));
        }
        let mut label: Option<(String, proc_macro2::Span)> = None;
        for attr in variant
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("db_enum"))
        {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let v: LitStr = meta.value()?.parse()?;
                    if v.value().is_empty() {
                        return Err(Error::new(v.span(), "an enum label must not be empty"));
                    }
                    if label.replace((v.value(), v.span())).is_some() {
                        return Err(meta.error("rename is given twice"));
                    }
                    Ok(())
                } else {
                    Err(meta
                        .error("unknown db_enum attribute on a variant: expected rename = \"...\""))
                }
            })?;
        }
        let (label, span) = label.unwrap_or_else(|| {
            (
                sql::screaming_snake(&variant.ident.unraw().to_string()),
                variant.ident.span(),
            )
        });
        if !seen.insert(label.clone()) {
            return Err(Error::new(
                span,
                format!("enum label `{label}` is used by two variants"),
            ));
        }
        idents.push(&variant.ident);
        labels.push(label);
    }

    let ident = &input.ident;
    Ok(quote! {
        #[automatically_derived]
        impl ::stratum::model::DbEnum for #ident {
            fn enum_type() -> ::stratum::schema::EnumType {
                ::stratum::schema::EnumType {
                    name: ::std::string::String::from(#type_name),
                    values: ::std::vec![#(::std::string::String::from(#labels)),*],
                }
            }
        }

        #[automatically_derived]
        impl ::stratum::model::SqlType for #ident {
            fn column_type() -> ::stratum::schema::ColumnType {
                ::stratum::schema::ColumnType::Enum(::std::string::String::from(#type_name))
            }

            fn enum_declaration() -> ::std::option::Option<::stratum::schema::EnumType> {
                ::std::option::Option::Some(<Self as ::stratum::model::DbEnum>::enum_type())
            }
        }

        impl #ident {
            /// Every variant, in the order of the database type's labels.
            pub const ALL: &'static [Self] = &[#(Self::#idents),*];

            /// The database label of this variant.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#idents => #labels,)*
                }
            }
        }

        #[automatically_derived]
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::std::str::FromStr for #ident {
            type Err = ::stratum::model::UnknownEnumLabel;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    #(#labels => ::std::result::Result::Ok(Self::#idents),)*
                    other => ::std::result::Result::Err(::stratum::model::UnknownEnumLabel {
                        type_name: #type_name,
                        label: ::std::string::String::from(other),
                    }),
                }
            }
        }
    })
}
