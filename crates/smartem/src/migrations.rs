//! The embedded revision chain of `migrations/versions/`.
