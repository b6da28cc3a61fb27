"""A model with a type that has no counterpart in the engine's types."""

import sqlalchemy as sa


class Shape(sa.types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self):
        return "GEOMETRY"


metadata = sa.MetaData()
place = sa.Table("place", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("shape", Shape))
