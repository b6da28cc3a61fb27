"""Alembic environment of the SmartEM port used by bench/run.

DB_URL names the database. For `alembic check`, BENCH_METADATA names a pickled
SQLAlchemy MetaData of the SmartEM schema at head (bench/run writes it once by
reflecting a database upgraded to head), standing in for the SQLAlchemy models.
"""
import os
import pickle

from alembic import context
from sqlalchemy import create_engine


def target_metadata():
    path = os.environ.get("BENCH_METADATA")
    if not path:
        return None
    with open(path, "rb") as f:
        return pickle.load(f)


def run():
    url = os.environ["DB_URL"]
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with create_engine(url).connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata(),
            include_name=lambda name, type_, parent: name != "alembic_version",
        )
        with context.begin_transaction():
            context.run_migrations()


run()
