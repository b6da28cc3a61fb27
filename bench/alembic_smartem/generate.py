#!/usr/bin/env python3
"""Writes the Alembic port of the SmartEM chain into migrations/versions/.

    generate.py UPGRADE_SQL DOWNGRADE_SQL

UPGRADE_SQL is the output of `smartem-migrate upgrade head --sql` and DOWNGRADE_SQL
that of `smartem-migrate downgrade head:base --sql` (both for PostgreSQL). Each
`-- upgrade A -> B` block becomes revision B of an Alembic file whose upgrade()
runs, through op.execute, the same statements (the transaction control, the
lock-timeout settings and the version-table bookkeeping are left to Alembic),
and whose downgrade() runs the statements of the matching `-- downgrade` block.
Same revision ids, same order, same tables, indexes, enum types and seed rows.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = re.compile(r"^-- (upgrade|downgrade) (\S+) -> (\S+): (.*)$")
SKIP = re.compile(
    r"^(BEGIN|COMMIT|SET LOCAL |SET lock_timeout|SET statement_timeout|RESET )"
    r"|alembic_version|stratum_history",
    re.I,
)


def blocks(text):
    """(kind, from, to, message, [statements]) for every revision block."""
    out = []
    cur = None
    buf = []
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            cur = [m.group(1), m.group(2), m.group(3), m.group(4), []]
            out.append(cur)
            buf = []
            continue
        if cur is None:
            continue
        if line.startswith("--"):
            # Comments the renderer writes between statements (such as the
            # `-- destructive:` marks) are not part of any statement.
            continue
        buf.append(line)
        if line.endswith(";"):
            stmt = "\n".join(buf).strip()
            buf = []
            if stmt and not SKIP.search(stmt.splitlines()[0]) and not SKIP.search(stmt):
                cur[4].append(stmt[:-1])
    return out


def pystr(s):
    return repr(s)


def sql_arg(s):
    """op.execute() reads a string as sqlalchemy.text(), where `:name` is a bind
    parameter; every colon is escaped (text() turns `\\:` back into `:`)."""
    return repr(s.replace(":", "\\:"))


def main():
    up = blocks(open(sys.argv[1]).read())
    down = {b[1]: b for b in blocks(open(sys.argv[2]).read()) if b[0] == "downgrade"}
    versions = os.path.join(HERE, "migrations", "versions")
    for f in os.listdir(versions):
        if f.endswith(".py"):
            os.remove(os.path.join(versions, f))
    for n, (kind, frm, to, message, stmts) in enumerate(up):
        assert kind == "upgrade"
        parent = None if frm == "base" else frm
        undo = down.get(to, [None] * 5)[4] or []
        message = re.sub(r" \([^)]*\)$", "", message)
        lines = [
            f'"""{message}"""',
            "from alembic import op",
            "",
            f"revision = {pystr(to)}",
            f"down_revision = {pystr(parent)}",
            "branch_labels = None",
            "depends_on = None",
            "",
            "",
            "def upgrade():",
        ]
        lines += [f"    op.execute({sql_arg(s)})" for s in stmts] or ["    pass"]
        lines += ["", "", "def downgrade():"]
        lines += [f"    op.execute({sql_arg(s)})" for s in undo] or ["    pass"]
        name = f"{n + 1:02d}_{to}.py"
        open(os.path.join(versions, name), "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
