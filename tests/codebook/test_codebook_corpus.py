"""The study codebook in ../shared/corpus-dev loads and survives the round trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from coding.codebook import codebook_from_yaml_text, dump_codebook_yaml, load_codebook_yaml, read_qdc, write_qdc

REPO_ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = REPO_ROOT.parent / "shared" / "corpus-dev" / "codebook.yaml"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CODEBOOK.exists(), reason="../shared/corpus-dev is not available"),
]


def test_dev_codebook_has_fifteen_leaf_codes_under_three_parents() -> None:
    codebook = load_codebook_yaml(CODEBOOK)
    roots = [c.id for c in codebook.roots()]
    assert roots == ["OPPORTUNITIES", "CONCERNS", "IMPLEMENTATION"]
    leaves = codebook.leaves()
    assert len(leaves) == 15
    assert all(leaf.parent in roots for leaf in leaves)
    assert codebook.path("COST") == "CONCERNS/COST"
    assert "hours back" in codebook.code("TIME_SAVINGS").examples[0]


def test_dev_codebook_round_trips_through_yaml_and_qdc() -> None:
    codebook = load_codebook_yaml(CODEBOOK)
    assert codebook_from_yaml_text(dump_codebook_yaml(codebook)) == codebook
    back = read_qdc(write_qdc(codebook), known=codebook)
    assert [(c.id, c.name, c.parent, c.definition) for c in back.depth_first()] == [
        (c.id, c.name, c.parent, c.definition) for c in codebook.depth_first()
    ]


def test_dev_codebook_validates_against_the_json_schema() -> None:
    schema = json.loads((REPO_ROOT / "codebooks" / "codebook.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(CODEBOOK.read_text(encoding="utf-8")), schema)
