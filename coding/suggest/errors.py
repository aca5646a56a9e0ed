"""Errors raised for unusable inputs to the suggestion engine."""

from __future__ import annotations

from coding.errors import QcodeError


class SuggestionInputError(QcodeError):
    """Inputs to the suggestion engine do not fit together (shapes, codes, labels)."""
