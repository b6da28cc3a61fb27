//! The differ: ordered ops that turn one schema into another.
