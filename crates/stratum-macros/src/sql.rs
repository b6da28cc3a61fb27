//! Compile-time parsing of SQL spellings in attributes (column types, defaults,
//! foreign-key actions) into the tokens of the engine's schema values.

use proc_macro2::TokenStream;
use quote::quote;

/// A column type spelled in SQL, as the engine's `ColumnType` constructor tokens.
/// `Err` carries a message for the attribute's span.
pub fn column_type(spelling: &str) -> Result<TokenStream, String> {
    let s = spelling.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = s.to_ascii_lowercase();
    if let Some(custom) = s.strip_prefix("custom:") {
        let custom = custom.trim();
        if custom.is_empty() {
            return Err("`custom:` needs the type as the database spells it".into());
        }
        return Ok(quote!(::stratum::schema::ColumnType::Custom(
            ::std::string::String::from(#custom)
        )));
    }
    if let Some(name) = s.strip_prefix("enum:") {
        let name = name.trim();
        if name.is_empty() {
            return Err("`enum:` needs the enum type's name".into());
        }
        return Ok(quote!(::stratum::schema::ColumnType::Enum(
            ::std::string::String::from(#name)
        )));
    }
    let (base, args) = match lower.find('(') {
        Some(open) => {
            let Some(inner) = lower[open + 1..].strip_suffix(')') else {
                return Err(format!("unbalanced parentheses in type `{s}`"));
            };
            let args = inner
                .split(',')
                .map(|a| {
                    a.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("type argument `{}` is not a number", a.trim()))
                })
                .collect::<Result<Vec<u32>, String>>()?;
            (lower[..open].trim().to_string(), args)
        }
        None => (lower.clone(), Vec::new()),
    };
    let no_args = |t: TokenStream| -> Result<TokenStream, String> {
        if args.is_empty() {
            Ok(t)
        } else {
            Err(format!("type `{base}` takes no arguments"))
        }
    };
    let ct = quote!(::stratum::schema::ColumnType);
    match base.as_str() {
        "smallint" | "int2" | "small_integer" => no_args(quote!(#ct::SmallInt)),
        "integer" | "int" | "int4" => no_args(quote!(#ct::Integer)),
        "bigint" | "int8" | "big_integer" => no_args(quote!(#ct::BigInt)),
        "real" | "float4" => no_args(quote!(#ct::Real)),
        "double precision" | "double" | "float8" | "float" => no_args(quote!(#ct::Double)),
        "numeric" | "decimal" => {
            let (p, sc) = match args.as_slice() {
                [] => (quote!(None), quote!(None)),
                [p] => (quote!(Some(#p)), quote!(None)),
                [p, sc] => (quote!(Some(#p)), quote!(Some(#sc))),
                _ => return Err("numeric takes at most (precision, scale)".into()),
            };
            Ok(quote!(#ct::Numeric { precision: #p, scale: #sc }))
        }
        "text" => no_args(quote!(#ct::Text)),
        "varchar" | "character varying" | "string" => match args.as_slice() {
            [] => Ok(quote!(#ct::Varchar(None))),
            [n] => Ok(quote!(#ct::Varchar(Some(#n)))),
            _ => Err("varchar takes at most one length".into()),
        },
        "boolean" | "bool" => no_args(quote!(#ct::Boolean)),
        "date" => no_args(quote!(#ct::Date)),
        "time" | "time without time zone" => no_args(quote!(#ct::Time)),
        "timestamp" | "timestamp without time zone" | "datetime" => {
            no_args(quote!(#ct::Timestamp { tz: false }))
        }
        "timestamptz" | "timestamp with time zone" => no_args(quote!(#ct::Timestamp { tz: true })),
        "uuid" => no_args(quote!(#ct::Uuid)),
        "json" => no_args(quote!(#ct::Json)),
        "jsonb" => no_args(quote!(#ct::Jsonb)),
        "bytea" | "blob" | "bytes" => no_args(quote!(#ct::Bytes)),
        _ => Err(format!(
            "unknown column type `{s}`: use a SQL type such as \"integer\", \"varchar(255)\", \
             \"timestamptz\", \"jsonb\", or \"enum:<name>\" / \"custom:<sql>\""
        )),
    }
}

/// A server default spelled in SQL, as `DefaultValue` constructor tokens.
pub fn default_expr(spelling: &str) -> Result<TokenStream, String> {
    let s = spelling.trim();
    if s.is_empty() {
        return Err("empty default: omit the attribute or write the SQL expression".into());
    }
    let dv = quote!(::stratum::schema::DefaultValue);
    let lower = s.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "now()" | "current_timestamp" | "current_timestamp()" | "localtimestamp" => {
            quote!(#dv::Now)
        }
        "gen_random_uuid()" | "uuid_generate_v4()" => quote!(#dv::RandomUuid),
        "null" => quote!(#dv::Null),
        "true" => quote!(#dv::Bool(true)),
        "false" => quote!(#dv::Bool(false)),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                quote!(#dv::Int(#i))
            } else if is_decimal(s) {
                quote!(#dv::Decimal(::std::string::String::from(#s)))
            } else if let Some(text) = quoted_literal(s) {
                quote!(#dv::Text(::std::string::String::from(#text)))
            } else {
                quote!(#dv::Expr(::std::string::String::from(#s)))
            }
        }
    })
}

fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `'it''s'` or `'x'::some_type` → `it's` / `x`.
fn quoted_literal(s: &str) -> Option<String> {
    let rest = s.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|(_, c)| *c) == Some('\'') {
                out.push('\'');
                chars.next();
                continue;
            }
            let tail = rest[i + 1..].trim();
            return if tail.is_empty() || tail.starts_with("::") {
                Some(out)
            } else {
                None
            };
        }
        out.push(c);
    }
    None
}

/// A foreign-key action spelled in SQL, as `FkAction` tokens.
pub fn fk_action(spelling: &str) -> Result<TokenStream, String> {
    let s = spelling
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
        .replace('_', " ");
    let fk = quote!(::stratum::schema::FkAction);
    Ok(match s.as_str() {
        "no action" => quote!(#fk::NoAction),
        "restrict" => quote!(#fk::Restrict),
        "cascade" => quote!(#fk::Cascade),
        "set null" => quote!(#fk::SetNull),
        "set default" => quote!(#fk::SetDefault),
        _ => {
            return Err(format!(
                "unknown foreign-key action `{spelling}`: use \"cascade\", \"set null\", \
                 \"set default\", \"restrict\" or \"no action\""
            ));
        }
    })
}

/// `MicrographsDetected` → `MICROGRAPHS_DETECTED`, `CTFStarted` → `CTF_STARTED`.
pub fn screaming_snake(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev != '_' && (prev.is_lowercase() || prev.is_ascii_digit() || next_lower) {
                out.push('_');
            }
        }
        out.extend(c.to_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screaming_snake_splits_words_and_acronyms() {
        assert_eq!(screaming_snake("Planned"), "PLANNED");
        assert_eq!(
            screaming_snake("MicrographsDetected"),
            "MICROGRAPHS_DETECTED"
        );
        assert_eq!(screaming_snake("CTFStarted"), "CTF_STARTED");
        assert_eq!(screaming_snake("Scan2Done"), "SCAN2_DONE");
        assert_eq!(screaming_snake("Already_Snake"), "ALREADY_SNAKE");
    }

    #[test]
    fn quoted_literals_unescape_and_drop_casts() {
        assert_eq!(quoted_literal("'it''s'").as_deref(), Some("it's"));
        assert_eq!(
            quoted_literal("'PLANNED'::acquisitionstatus").as_deref(),
            Some("PLANNED")
        );
        assert_eq!(quoted_literal("'a' || 'b'"), None);
        assert_eq!(quoted_literal("lower('a')"), None);
    }

    #[test]
    fn decimals_are_recognized() {
        assert!(is_decimal("0.5"));
        assert!(is_decimal("-12.25"));
        assert!(!is_decimal("12"));
        assert!(!is_decimal("1."));
        assert!(!is_decimal("a.5"));
    }

    #[test]
    fn unknown_types_and_actions_are_errors() {
        assert!(column_type("varchar(25x)").is_err());
        assert!(column_type("integer(4)").is_err());
        assert!(column_type("strange").is_err());
        assert!(fk_action("explode").is_err());
        assert!(default_expr("  ").is_err());
    }
}
