//! The SmartEM entity-relationship diagram is valid Mermaid `erDiagram` text, and
//! the copy in docs/schema.md is the one the tool draws today.
//!
//! The checker below is strict on the subset of Mermaid's `erDiagram` grammar the
//! engine emits (Mermaid's documented syntax: entity blocks of `type name [keys]`
//! attributes; relationships `A <left><line><right> B : label` with left
//! cardinalities `|o || }o }|`, right ones `o| || o{ |{`, lines `--` or `..`; the
//! lexer is case-insensitive for the key words `PK`, `FK`, `UK`).

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};

const LEFT: &[&str] = &["|o", "||", "}o", "}|"];
const RIGHT: &[&str] = &["o|", "||", "o{", "|{"];
const KEYS: &[&str] = &["PK", "FK", "UK"];

fn entity_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn attribute_type(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '*')
        && c.all(|c| c.is_ascii_alphanumeric() || "_-[]()".contains(c))
}

fn attribute_name(s: &str) -> bool {
    entity_name(s) && !KEYS.iter().any(|k| k.eq_ignore_ascii_case(s))
}

/// Checks `text`; returns the entities with their attributes.
fn check_er(text: &str) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, "erDiagram")) => {}
        other => return Err(format!("first line must be `erDiagram`, found {other:?}")),
    }
    let mut entities: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut relations = Vec::new();
    let mut open: Option<String> = None;
    for (n, raw) in lines {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fail = |why: &str| Err(format!("line {n}: {why}: {raw:?}"));
        if let Some(entity) = &open {
            if line == "}" {
                open = None;
                continue;
            }
            let words: Vec<&str> = line.splitn(3, ' ').collect();
            let (ty, name) = match words.as_slice() {
                [ty, name] | [ty, name, _] => (*ty, *name),
                _ => return fail("an attribute is `type name [keys]`"),
            };
            if !attribute_type(ty) {
                return fail("bad attribute type");
            }
            if !attribute_name(name) {
                return fail("bad attribute name");
            }
            if let Some(keys) = words.get(2) {
                let keys: Vec<&str> = keys.split(',').map(str::trim).collect();
                let distinct: BTreeSet<&&str> = keys.iter().collect();
                if keys.iter().any(|k| !KEYS.contains(k)) || distinct.len() != keys.len() {
                    return fail("keys are distinct PK, FK or UK separated by commas");
                }
            }
            let attrs = entities.get_mut(entity).expect("open entity exists");
            if attrs.iter().any(|a| a == name) {
                return fail("attribute declared twice");
            }
            attrs.push(name.to_string());
            continue;
        }
        if let Some(name) = line.strip_suffix(" {") {
            if !entity_name(name) {
                return fail("bad entity name");
            }
            if entities.insert(name.to_string(), Vec::new()).is_some() {
                return fail("entity declared twice");
            }
            open = Some(name.to_string());
            continue;
        }
        let Some((lhs, label)) = line.split_once(" : ") else {
            return fail("neither an entity block nor a relationship");
        };
        let parts: Vec<&str> = lhs.split(' ').collect();
        let [a, spec, b] = parts.as_slice() else {
            return fail("a relationship is `A <spec> B : label`");
        };
        if spec.len() != 6 {
            return fail("bad relationship spec");
        }
        let (left, line_kind, right) = (&spec[..2], &spec[2..4], &spec[4..]);
        if !LEFT.contains(&left) || !RIGHT.contains(&right) || !["--", ".."].contains(&line_kind) {
            return fail("bad relationship spec");
        }
        let quoted = label.len() >= 2
            && label.starts_with('"')
            && label.ends_with('"')
            && !label[1..label.len() - 1].contains('"');
        if !quoted && !entity_name(label) {
            return fail("a label is a word or a quoted text without quotes inside");
        }
        relations.push((n, a.to_string(), b.to_string()));
    }
    if let Some(e) = open {
        return Err(format!("entity {e} is not closed"));
    }
    for (n, a, b) in relations {
        for e in [a, b] {
            if !entities.contains_key(&e) {
                return Err(format!(
                    "line {n}: relationship names undeclared entity {e}"
                ));
            }
        }
    }
    Ok(entities)
}

fn draw(args: &[&str]) -> String {
    // The package directory is where cargo runs tests from.
    let out = Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
    ))
    .args(["schema", "--format", "mermaid"])
    .args(args)
    .assert()
    .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn smartem_diagrams_are_valid_er_diagrams() {
    for args in [
        &[][..],
        &["--all-columns"],
        &["--source", "head"],
        &["--source", "head", "--all-columns"],
    ] {
        let text = draw(args);
        let entities = check_er(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
        assert!(
            entities.len() >= 26,
            "{args:?}: {} entities",
            entities.len()
        );
        assert!(entities.contains_key("foilhole") && entities.contains_key("user_preferences"));
    }
    // Models and the folded revisions draw the same picture.
    assert_eq!(
        draw(&["--all-columns"]),
        draw(&["--source", "head", "--all-columns"])
    );
}

#[test]
fn the_checker_rejects_what_mermaid_rejects() {
    let ok = "erDiagram\n    a {\n        integer id PK\n    }\n    b {\n        integer a_id FK\n    }\n    a ||--o{ b : \"a_id\"\n";
    assert!(check_er(ok).is_ok());
    for (bad, why) in [
        ("graph TD\n", "header"),
        ("erDiagram\n    a {\n        integer id PK\n", "unclosed"),
        (
            "erDiagram\n    a {\n        integer id PK, PK\n    }\n",
            "duplicate key",
        ),
        (
            "erDiagram\n    a {\n        integer id XK\n    }\n",
            "unknown key",
        ),
        (
            "erDiagram\n    a {\n        integer fk\n    }\n",
            "keyword as name",
        ),
        (
            "erDiagram\n    a {\n        varchar(40) x\n        9int y\n    }\n",
            "type",
        ),
        ("erDiagram\n    a b {\n    }\n", "entity name"),
        (
            "erDiagram\n    a {\n    }\n    a ||--o{ c : \"x\"\n",
            "undeclared",
        ),
        (
            "erDiagram\n    a {\n    }\n    a o{--|| a : \"x\"\n",
            "cardinality side",
        ),
        (
            "erDiagram\n    a {\n    }\n    a ||--o{ a : \"x\"y\"\n",
            "quote in label",
        ),
        ("erDiagram\n    a {\n    }\n    a {\n    }\n", "twice"),
    ] {
        assert!(check_er(bad).is_err(), "accepted ({why}): {bad}");
    }
}

#[test]
fn the_guide_shows_todays_diagram() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema.md"))
        .expect("docs/schema.md");
    let start = doc.find("```mermaid\n").expect("a mermaid block") + "```mermaid\n".len();
    let end = start + doc[start..].find("```").expect("closed");
    assert_eq!(
        &doc[start..end],
        draw(&[]),
        "docs/schema.md is out of date: regenerate it with `smartem-migrate schema --format mermaid` (see the file)"
    );
}
