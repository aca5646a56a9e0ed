from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from coding.codebook import codebook_json_schema, codebook_json_schema_text, write_codebook_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "codebooks" / "codebook.schema.json"


def test_checked_in_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == codebook_json_schema_text(), (
        "codebooks/codebook.schema.json is stale: run "
        'python -c "from coding.codebook import write_codebook_json_schema; write_codebook_json_schema()"'
    )


def test_schema_is_valid_json_schema_describing_codes() -> None:
    schema = codebook_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    code = schema["$defs"]["Code"]
    assert code["required"] == ["id", "name"]
    assert code["additionalProperties"] is False


def test_schema_accepts_a_codebook_and_rejects_unknown_keys() -> None:
    validator = jsonschema.Draft202012Validator(codebook_json_schema())
    good = {"name": "x", "version": 1, "codes": [{"id": "A", "name": "a", "color": "#00ff00", "include": ["r"]}]}
    assert list(validator.iter_errors(good)) == []
    bad = {"name": "x", "codes": [{"id": "A", "name": "a", "colour": "#00ff00"}]}
    assert any("colour" in error.message for error in validator.iter_errors(bad))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "codes": [{"id": "1A", "name": "a"}]}, codebook_json_schema())


def test_write_schema_writes_the_same_text(tmp_path: Path) -> None:
    path = write_codebook_json_schema(tmp_path / "nested" / "codebook.schema.json")
    assert json.loads(path.read_text(encoding="utf-8")) == codebook_json_schema()
