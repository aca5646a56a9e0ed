"""Fixtures: the tiny study of tests/analysis (documents R1-R3, U1-U2; codes EQUITY, COST, TIME under parents)."""

from tests.analysis.conftest import study, study_db, study_template  # noqa: F401 - fixtures shared by import
