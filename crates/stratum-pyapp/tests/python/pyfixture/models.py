"""The fixture's models. See the package docstring for PYFIXTURE_CHANGE."""

import datetime
import enum
import os
import uuid
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Field, SQLModel

CHANGE = os.environ.get("PYFIXTURE_CHANGE", "")

CHANGES = [
    "add_column",
    "drop_column",
    "change_type",
    "make_nullable",
    "server_default",
    "add_table",
    "add_index",
    "enum_value",
    "fk_action",
    "add_check",
    "add_unique",
]


class Phase(str, enum.Enum):
    """Where a sample stands."""

    PREPARED = "prepared"
    IMAGED = "imaged"
    DISCARDED = "discarded"


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


class Lowercase(sa.types.TypeDecorator):
    """Stored as text; the schema sees its impl."""

    impl = sa.String(40)
    cache_ok = True


class Project(SQLModel, table=True):
    """A SQLModel class: str is AutoString, Optional means nullable."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    code: str = Field(max_length=12, unique=True)
    summary: Optional[str] = Field(default=None, sa_type=sa.Text)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    created_at: datetime.datetime = Field(
        sa_column=sa.Column(
            sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        )
    )
    phase: Phase = Field(default=Phase.PREPARED)
    if CHANGE == "add_column":
        budget: Optional[float] = Field(default=None)


sample_columns = [
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column(
        "project_id",
        sa.Integer,
        sa.ForeignKey(
            "project.id",
            ondelete="SET NULL" if CHANGE == "fk_action" else "CASCADE",
            onupdate="CASCADE",
        ),
        nullable=False,
    ),
    sa.Column("uid", sa.Uuid, nullable=False, server_default=sa.text("gen_random_uuid()")),
    sa.Column("label", Lowercase, nullable=CHANGE == "make_nullable"),
    sa.Column("rank", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("weight", sa.Float),
    sa.Column("ratio", sa.Double if CHANGE != "change_type" else sa.Float(precision=10)),
    sa.Column("price", sa.Numeric(10, 2), server_default="1.50" if CHANGE == "server_default" else None),
    sa.Column("taken_on", sa.Date),
    sa.Column("taken_at", sa.Time),
    sa.Column("seen_at", sa.DateTime),
    sa.Column("exposure", sa.Interval),
    sa.Column("raw", sa.LargeBinary),
    sa.Column("settings", sa.JSON),
    sa.Column("extra", postgresql.JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("tags", postgresql.ARRAY(sa.Text)),
    sa.Column("scores", sa.ARRAY(sa.Integer)),
    sa.Column(
        "level",
        sa.Enum(
            Level,
            name="samplelevel",
            values_callable=None,
        ),
        nullable=False,
        server_default="LOW",
    ),
    sa.Column("note", sa.String(200), default="python-side only", index=True),
    sa.Column("serial_no", sa.String(32), nullable=False),
    sa.UniqueConstraint("project_id", "serial_no", name="uq_sample_project_serial"),
    sa.CheckConstraint("rank >= 0", name="ck_sample_rank"),
    sa.Index("ix_sample_taken", "taken_on", "taken_at"),
    sa.Index("ix_sample_tags", "tags", postgresql_using="gin"),
    sa.Index("ix_sample_live", "label", unique=True, postgresql_where=sa.text("rank > 0")),
]
if CHANGE != "drop_column":
    sample_columns.append(sa.Column("comment", sa.Text))
if CHANGE == "add_index":
    sample_columns.append(sa.Index("ix_sample_weight", "weight"))
if CHANGE == "add_check":
    sample_columns.append(sa.CheckConstraint("weight > 0", name="ck_sample_weight"))
if CHANGE == "add_unique":
    sample_columns.append(sa.UniqueConstraint("uid", name="uq_sample_uid"))

sample = sa.Table("sample", SQLModel.metadata, *sample_columns)

# A second metadata with a naming convention, for the plain SQLAlchemy path.
conventions = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

shelf = sa.Table(
    "shelf",
    conventions,
    sa.Column("id", sa.Integer, sa.Identity(always=True), primary_key=True),
    sa.Column("code", sa.String(8), nullable=False, unique=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("shelf.id")),
    sa.Column("size", sa.Integer, sa.CheckConstraint("size > 0", name="positive")),
    sa.Column("state", sa.Enum(Phase, name="phase"), index=True),
)

if CHANGE == "add_table":

    class Comment(SQLModel, table=True):
        id: Optional[int] = Field(default=None, primary_key=True)
        body: str

if CHANGE == "enum_value":
    SQLModel.metadata.tables["project"].c.phase.type.enums.append("ARCHIVED")

metadata = SQLModel.metadata
