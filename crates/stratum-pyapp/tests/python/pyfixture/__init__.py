"""A small model set for stratum's tests: every column type and constraint that
the exporter maps, declared the way SmartEM declares its models (SQLModel classes)
and in plain SQLAlchemy. Setting PYFIXTURE_CHANGE to one of the names in CHANGES
applies that single change, for the tests that expect exactly one difference."""
