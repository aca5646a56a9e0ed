"""Fixtures: the same tiny study as tests/analysis (built once per session, copied for each test)."""

from tests.analysis.conftest import study, study_db, study_template  # noqa: F401 - fixtures shared by import
