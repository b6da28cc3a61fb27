//! The SmartEM data model, one module per area.
