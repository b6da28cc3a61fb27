//! Configuration: environments, URLs, `.env`, and the embedded default.
