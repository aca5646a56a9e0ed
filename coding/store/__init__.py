"""The only package that talks to DuckDB. Everything else passes pydantic objects from `coding.models`."""

from coding.store.connection import DEFAULT_DB, ProjectStore, open_project

__all__ = ["DEFAULT_DB", "ProjectStore", "open_project"]
