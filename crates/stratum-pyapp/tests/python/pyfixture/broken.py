"""A module whose import fails, for the error the engine reports."""

RATIO = 1 / 0
