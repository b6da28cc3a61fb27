//! Reading a live database into the schema model.
