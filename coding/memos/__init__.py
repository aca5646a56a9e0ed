"""Memos: titled Markdown notes by a coder on the project, a document, a code, a coding or a theme.

`model` holds the pydantic objects and target parsing, `log` the replay of the append-only memo log into the memos
in force, `actions` the checked add/edit/delete/undo/redo that the CLI calls (storage is `coding.store.memos`).
"""
