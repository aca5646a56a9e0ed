"""JSON Schema of the codebook file, generated from the model so the two cannot drift apart.

Editors that speak JSON Schema (VS Code's YAML extension, for one) use it to complete keys and flag mistakes while
a researcher types. Regenerate the checked-in copy after changing the model with
`python -c "from coding.codebook import write_codebook_json_schema; write_codebook_json_schema()"`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from coding.codebook.model import Codebook
from coding.safety.outputs import write_output

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE_NAME = "codebook.schema.json"
# The copy kept in the repository, next to example codebooks.
REPOSITORY_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "codebooks" / SCHEMA_FILE_NAME


def codebook_json_schema() -> dict[str, Any]:
    schema = Codebook.model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def codebook_json_schema_text() -> str:
    """The schema as the file holds it: stable key order, two-space indent, trailing newline."""
    return json.dumps(codebook_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_codebook_json_schema(path: str | os.PathLike[str] = REPOSITORY_SCHEMA_PATH) -> Path:
    return write_output(Path(path), codebook_json_schema_text())
