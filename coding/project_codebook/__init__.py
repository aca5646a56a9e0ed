"""The project's codebook: its versions in the project file (`versions`: load a file as a new version, apply an
edit, delete with merge, export) and the edits a researcher makes to it (`editing`: add, change, move, undo).

Codings refer to code ids, so every version keeps them; the pure codebook model and files are `coding.codebook`.
"""

from coding.project_codebook.versions import (
    CODEBOOK_FILE_SETTING,
    apply_edit,
    delete_code_in_project,
    export_codebook,
    load_codebook_file,
    loaded_summary,
    read_codebook_file,
    require_codebook,
    save_version,
)

__all__ = [
    "CODEBOOK_FILE_SETTING",
    "apply_edit",
    "delete_code_in_project",
    "export_codebook",
    "load_codebook_file",
    "loaded_summary",
    "read_codebook_file",
    "require_codebook",
    "save_version",
]
