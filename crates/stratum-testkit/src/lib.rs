//! Test harness: a fresh PostgreSQL database or SQLite file for each test.
