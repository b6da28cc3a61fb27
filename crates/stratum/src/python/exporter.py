"""Prints the schema of a SQLAlchemy MetaData as JSON, for stratum.

Usage: python -c <this file> MODULE ATTR

MODULE is imported from the working directory and PYTHONPATH; ATTR (dotted) names a
MetaData, or a declarative base / SQLModel class whose `.metadata` is used. The
output is one JSON document on stdout: {"schema": {...}} or {"error": {...}}. What
the module prints while it is imported goes to stderr, so it cannot spoil the JSON.
"""

import json
import sys
import traceback

FORMAT = 1


def fail(kind, message, **extra):
    doc = {"error": dict(kind=kind, message=message, **extra)}
    OUT.write(json.dumps(doc))
    OUT.write("\n")
    OUT.flush()
    sys.exit(0)


def last_line(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    return lines[-1].strip() if lines else type(exc).__name__


def type_info(sa, t):
    """The portable description of a column type, most specific class first."""
    from sqlalchemy import types as st

    try:
        from sqlalchemy.dialects import postgresql as pg
    except Exception:  # pragma: no cover - every SQLAlchemy ships it
        pg = None
    name = type(t).__name__
    if isinstance(t, st.ARRAY) or (pg is not None and isinstance(t, pg.ARRAY)):
        item = type_info(sa, t.item_type)
        dims = getattr(t, "dimensions", None) or 1
        return {"kind": "array", "item": item, "dimensions": dims}
    if name == "GUID":
        # SQLModel's portable UUID before SQLAlchemy 2's Uuid.
        return {"kind": "uuid"}
    if isinstance(t, st.Interval):
        return {"kind": "interval"}
    if isinstance(t, st.TypeDecorator):
        impl = getattr(t, "impl_instance", None)
        if impl is None:
            impl = t.impl
        if isinstance(impl, type):
            impl = impl()
        return type_info(sa, impl)
    if isinstance(t, st.Enum):
        if not getattr(t, "native_enum", True):
            return {"kind": "string", "length": t.length}
        return {"kind": "enum", "name": t.name, "values": list(t.enums)}
    uuid_types = tuple(
        c for c in (getattr(st, "Uuid", None), getattr(st, "UUID", None)) if c is not None
    )
    if pg is not None and hasattr(pg, "UUID"):
        uuid_types += (pg.UUID,)
    if uuid_types and isinstance(t, uuid_types):
        return {"kind": "uuid"}
    if pg is not None and isinstance(t, pg.JSONB):
        return {"kind": "jsonb"}
    if isinstance(t, st.JSON):
        return {"kind": "json"}
    if isinstance(t, st.Boolean):
        return {"kind": "boolean"}
    if isinstance(t, st.BigInteger):
        return {"kind": "bigint"}
    if isinstance(t, st.SmallInteger):
        return {"kind": "smallint"}
    if isinstance(t, st.Integer):
        return {"kind": "integer"}
    if isinstance(t, st.Text):
        return {"kind": "text"}
    if isinstance(t, st.String):
        return {"kind": "string", "length": t.length}
    double_types = tuple(
        c
        for c in (getattr(st, "Double", None), getattr(st, "DOUBLE_PRECISION", None))
        if c is not None
    )
    if double_types and isinstance(t, double_types):
        return {"kind": "double"}
    if isinstance(t, st.REAL):
        return {"kind": "real"}
    if isinstance(t, st.Float):
        precision = t.precision
        if precision is not None and precision <= 24:
            return {"kind": "real"}
        return {"kind": "double"}
    if isinstance(t, st.Numeric):
        return {"kind": "numeric", "precision": t.precision, "scale": t.scale}
    if isinstance(t, st.DateTime):
        return {"kind": "timestamp", "timezone": bool(t.timezone)}
    if isinstance(t, st.Date):
        return {"kind": "date"}
    if isinstance(t, st.Time):
        return {"kind": "time", "timezone": bool(getattr(t, "timezone", False))}
    if isinstance(t, st.LargeBinary):
        return {"kind": "bytes"}
    return {"kind": "unmapped", "python": "%s.%s" % (type(t).__module__, name)}


def sql_text(sa, clause, dialect):
    """A SQL expression as PostgreSQL would print it, literals inline."""
    if isinstance(clause, str):
        return clause
    try:
        return str(clause.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:
        return str(clause.compile(dialect=dialect))


def server_default(sa, column, dialect):
    d = column.server_default
    if d is None:
        return None
    if getattr(d, "is_sequence", False) or getattr(d, "is_identity", False):
        return None
    if getattr(d, "is_computed", False):
        return {"computed": sql_text(sa, d.sqltext, dialect)}
    arg = getattr(d, "arg", None)
    if arg is None:
        return None
    if isinstance(arg, str):
        return {"literal": arg}
    return {"sql": sql_text(sa, arg, dialect)}


def constraint_name(sa, const, table):
    """The constraint's name: its own, its naming convention's, or None."""
    name = const.name
    try:
        from sqlalchemy.sql import naming
        from sqlalchemy.sql.elements import _NONE_NAME
    except Exception:  # pragma: no cover
        naming = None
        _NONE_NAME = None
    if (name is None or name is _NONE_NAME) and naming is not None:
        try:
            name = naming._constraint_name_for_table(const, table)
        except Exception:
            name = None
    if name is None or name is _NONE_NAME:
        return None
    return str(name)


def fk_action(value):
    return (value or "NO ACTION").upper()


def export_table(sa, table, dialect):
    # The column SQLAlchemy makes SERIAL (`_autoincrement_column` before 2.0).
    autoinc = getattr(table, "autoincrement_column", None)
    if autoinc is None:
        autoinc = getattr(table, "_autoincrement_column", None)
    columns = []
    for c in table.columns:
        identity = getattr(c, "identity", None)
        if identity is not None:
            auto = "identity_always" if identity.always else "identity_by_default"
        elif c is autoinc:
            auto = "serial"
        else:
            auto = None
        columns.append(
            {
                "name": c.name,
                "type": type_info(sa, c.type),
                "nullable": bool(c.nullable),
                "server_default": server_default(sa, c, dialect),
                "autoincrement": auto,
            }
        )
    pk = table.primary_key
    primary_key = None
    if pk is not None and len(pk.columns) > 0:
        primary_key = {
            "name": constraint_name(sa, pk, table),
            "columns": [c.name for c in pk.columns],
        }
    fks, uniques, checks = [], [], []
    # Constraints given on a column (Column(..., CheckConstraint(...))) are the
    # column's, not the table's.
    constraints = [(k, None) for k in table.constraints]
    for c in table.columns:
        constraints.extend((k, c.name) for k in c.constraints if k not in table.constraints)
    for const, owner in constraints:
        if isinstance(const, sa.ForeignKeyConstraint):
            elements = list(const.elements)
            fks.append(
                {
                    "name": constraint_name(sa, const, table),
                    "columns": [e.parent.name for e in elements],
                    "ref_table": elements[0].column.table.name,
                    "ref_columns": [e.column.name for e in elements],
                    "on_delete": fk_action(const.ondelete),
                    "on_update": fk_action(const.onupdate),
                }
            )
        elif isinstance(const, sa.UniqueConstraint):
            uniques.append(
                {
                    "name": constraint_name(sa, const, table),
                    "columns": [c.name for c in const.columns],
                }
            )
        elif isinstance(const, sa.CheckConstraint):
            # A check that an Enum or Boolean type adds for itself is that type's
            # business, not a constraint of the model.
            if getattr(const, "_type_bound", False):
                continue
            checks.append(
                {
                    "name": constraint_name(sa, const, table),
                    "expression": sql_text(sa, const.sqltext, dialect),
                    "column": owner,
                }
            )
    indexes = []
    for idx in table.indexes:
        cols = []
        for e in idx.expressions:
            if isinstance(e, sa.Column):
                cols.append(e.name)
            else:
                fail(
                    "index_expression",
                    "index %s of table %s indexes an expression (%s), which cannot be "
                    "compared; index columns only"
                    % (idx.name, table.name, sql_text(sa, e, dialect)),
                )
        pg_opts = idx.dialect_options["postgresql"]
        method = pg_opts.get("using") or None
        where = pg_opts.get("where")
        if where is None:
            where = idx.dialect_options["sqlite"].get("where")
        indexes.append(
            {
                "name": constraint_name(sa, idx, table),
                "columns": cols,
                "unique": bool(idx.unique),
                "method": method,
                "predicate": sql_text(sa, where, dialect) if where is not None else None,
            }
        )
    def order(items):
        return sorted(items, key=lambda i: (i["name"] or "", json.dumps(i, sort_keys=True)))

    return {
        "name": table.name,
        "schema": table.schema,
        "columns": columns,
        "primary_key": primary_key,
        "foreign_keys": order(fks),
        "uniques": order(uniques),
        "checks": order(checks),
        "indexes": order(indexes),
    }


def resolve(module_name, attr):
    import importlib

    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:  # noqa: BLE001 - any failure is reported
        sys.stdout = real_stdout
        fail("import", last_line(exc), module=module_name)
    finally:
        sys.stdout = real_stdout
    obj = module
    walked = []
    for part in attr.split("."):
        walked.append(part)
        if not hasattr(obj, part):
            fail(
                "attribute",
                "module %s has no attribute %s" % (module_name, ".".join(walked)),
            )
        obj = getattr(obj, part)
    return obj


def main():
    if len(sys.argv) != 3:
        fail("usage", "expected MODULE and ATTR")
    module_name, attr = sys.argv[1], sys.argv[2]
    try:
        import sqlalchemy as sa
        from sqlalchemy.dialects import postgresql
    except BaseException as exc:  # noqa: BLE001
        fail("sqlalchemy", last_line(exc))
    obj = resolve(module_name, attr)
    metadata = obj if isinstance(obj, sa.MetaData) else getattr(obj, "metadata", None)
    if not isinstance(metadata, sa.MetaData):
        fail(
            "not_metadata",
            "%s:%s is a %s, not a MetaData, a declarative base or a SQLModel class"
            % (module_name, attr, type(obj).__name__),
        )
    dialect = postgresql.dialect()
    tables = [export_table(sa, t, dialect) for t in metadata.sorted_tables]
    OUT.write(
        json.dumps(
            {
                "schema": {
                    "format": FORMAT,
                    "sqlalchemy": sa.__version__,
                    "tables": tables,
                }
            },
            indent=1,
        )
    )
    OUT.write("\n")
    OUT.flush()


OUT = sys.stdout
main()
