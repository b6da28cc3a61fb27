use super::*;
use serde_json::json;

fn one_table(columns: serde_json::Value, extra: serde_json::Value) -> String {
    let mut table = json!({
        "name": "t", "schema": null, "columns": columns, "primary_key": null,
        "foreign_keys": [], "uniques": [], "checks": [], "indexes": []
    });
    for (k, v) in extra.as_object().unwrap() {
        table[k] = v.clone();
    }
    json!({ "schema": { "format": 1, "tables": [table] } }).to_string()
}

fn col(name: &str, ty: serde_json::Value) -> serde_json::Value {
    json!({ "name": name, "type": ty, "nullable": true, "server_default": null, "autoincrement": null })
}

fn load(doc: &str) -> Result<Schema, PythonError> {
    schema_from_json(doc, "python3", "app.models")
}

#[test]
fn maps_each_kind_of_type() {
    let doc = one_table(
        json!([
            col("a", json!({"kind": "string", "length": null})),
            col("b", json!({"kind": "string", "length": 12})),
            col("c", json!({"kind": "numeric", "precision": 10, "scale": 2})),
            col("d", json!({"kind": "time", "timezone": true})),
            col("e", json!({"kind": "interval"})),
            col(
                "f",
                json!({"kind": "array", "item": {"kind": "string", "length": 20}, "dimensions": 1})
            ),
            col(
                "g",
                json!({"kind": "array", "item": {"kind": "timestamp", "timezone": true}, "dimensions": 2})
            ),
            col(
                "h",
                json!({"kind": "enum", "name": "mood", "values": ["HAPPY", "SAD"]})
            ),
        ]),
        json!({}),
    );
    let s = load(&doc).unwrap();
    let types: Vec<String> = s.tables["t"]
        .columns
        .iter()
        .map(|c| c.ty.to_string())
        .collect();
    assert_eq!(
        types,
        [
            "varchar",
            "varchar(12)",
            "numeric(10,2)",
            "time with time zone",
            "interval",
            "character varying(20)[]",
            "timestamp with time zone[]",
            "enum mood",
        ]
    );
    assert_eq!(s.enums["mood"].values, ["HAPPY", "SAD"]);
}

#[test]
fn literal_defaults_take_the_column_type() {
    let with_default = |ty: serde_json::Value, v: &str| {
        let mut c = col("x", ty);
        c["server_default"] = json!({ "literal": v });
        let s = load(&one_table(json!([c]), json!({}))).unwrap();
        s.tables["t"].columns[0].default.clone().unwrap()
    };
    assert_eq!(
        with_default(json!({"kind": "integer"}), "0"),
        DefaultValue::Int(0)
    );
    assert_eq!(
        with_default(
            json!({"kind": "numeric", "precision": 5, "scale": 2}),
            "1.50"
        ),
        DefaultValue::Decimal("1.50".into())
    );
    assert_eq!(
        with_default(json!({"kind": "boolean"}), "1"),
        DefaultValue::Bool(true)
    );
    assert_eq!(
        with_default(json!({"kind": "text"}), "0"),
        DefaultValue::Text("0".into())
    );
    let mut c = col("x", json!({"kind": "timestamp", "timezone": false}));
    c["server_default"] = json!({ "sql": "CURRENT_TIMESTAMP" });
    let s = load(&one_table(json!([c]), json!({}))).unwrap();
    assert_eq!(s.tables["t"].columns[0].default, Some(DefaultValue::Now));
}

#[test]
fn unnamed_constraints_get_postgres_names() {
    let doc = one_table(
        json!([
            col("id", json!({"kind": "integer"})),
            col("p", json!({"kind": "integer"}))
        ]),
        json!({
            "primary_key": {"name": null, "columns": ["id"]},
            "foreign_keys": [{"name": null, "columns": ["p"], "ref_table": "t", "ref_columns": ["id"],
                              "on_delete": "SET NULL", "on_update": "NO ACTION"}],
            "uniques": [{"name": null, "columns": ["p"]}],
            "checks": [{"name": null, "expression": "p > 0", "column": "p"},
                       {"name": null, "expression": "p < id", "column": null}],
            "indexes": [{"name": null, "columns": ["p"], "unique": false, "method": null, "predicate": null}],
        }),
    );
    let t = &load(&doc).unwrap().tables["t"];
    assert_eq!(t.primary_key.as_ref().unwrap().name, "t_pkey");
    assert_eq!(t.foreign_keys["t_p_fkey"].on_delete, FkAction::SetNull);
    assert!(t.uniques.contains_key("t_p_key"));
    assert_eq!(
        t.checks.keys().collect::<Vec<_>>(),
        ["t_check", "t_p_check"]
    );
    assert!(t.indexes.contains_key("ix_t_p"));
}

#[test]
fn errors_name_what_to_fix() {
    let doc = one_table(
        json!([col(
            "shape",
            json!({"kind": "unmapped", "python": "geoalchemy2.types.Geometry"})
        )]),
        json!({}),
    );
    let e = load(&doc).unwrap_err().to_string();
    assert!(
        e.contains("t.shape") && e.contains("geoalchemy2.types.Geometry"),
        "{e}"
    );

    let doc = json!({"error": {"kind": "import", "message": "ModuleNotFoundError: No module named 'app'", "module": "app.models"}});
    let e = load(&doc.to_string()).unwrap_err();
    assert!(matches!(e, PythonError::Import { .. }));
    assert!(e.to_string().contains("No module named 'app'"), "{e}");

    let doc = one_table(
        json!([col(
            "a",
            json!({"kind": "enum", "name": null, "values": ["X"]})
        )]),
        json!({}),
    );
    assert!(load(&doc).unwrap_err().to_string().contains("name=\"a\""));

    let doc = one_table(
        json!([
            col("a", json!({"kind": "enum", "name": "m", "values": ["X"]})),
            col("b", json!({"kind": "enum", "name": "m", "values": ["Y"]}))
        ]),
        json!({}),
    );
    assert!(load(&doc).unwrap_err().to_string().contains("enum type m"));
    assert!(matches!(load("not json"), Err(PythonError::BadOutput(_))));
}

#[test]
fn sources_are_spelled_python_module_attr() {
    let s = PythonSourceSpec::parse("python:app.models:SQLModel.metadata").unwrap();
    assert_eq!(
        (s.module.as_str(), s.attr.as_str()),
        ("app.models", "SQLModel.metadata")
    );
    assert_eq!(s.to_string(), "python:app.models:SQLModel.metadata");
    for bad in [
        "python:app",
        "python::x",
        "app:x",
        "python:a b:x",
        "python:a:1x",
    ] {
        assert!(PythonSourceSpec::parse(bad).is_err(), "{bad}");
    }
}

use super::super::PythonSource as PythonSourceSpec;
