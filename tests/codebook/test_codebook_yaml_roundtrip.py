"""Dumped codebooks are readable block-style YAML that loads back to an equal codebook."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coding.codebook import (
    Code,
    Codebook,
    codebook_from_yaml_text,
    dump_codebook_yaml,
    load_codebook_yaml,
    save_codebook_yaml,
)

TRICKY_TEXTS = (
    "It's free right now: that's exactly what worries me.",
    '"Quoted" at the start',
    "# not a comment",
    "yes",
    "3",
    "- not a list item",
    "Line one\nLine two\n",
    "  leading and trailing spaces  ",
    "Ünïcödé — “curly” quotes, emoji 🙂",
    "key: value looking text",
    "",
)


def test_dump_then_load_gives_an_equal_codebook(small_codebook: Codebook) -> None:
    assert codebook_from_yaml_text(dump_codebook_yaml(small_codebook)) == small_codebook


def test_tricky_texts_survive_the_round_trip() -> None:
    codebook = Codebook(
        name="Tricky: a codebook",
        version=7,
        codes=(
            Code(
                id="T.1-x",
                name="yes",
                definition="Multi-line\ndefinition: with colon\n",
                include=TRICKY_TEXTS,
                examples=TRICKY_TEXTS,
                counterexamples=("no",),
                color="#ABCDEF",
                guid="{5215cc69-b628-4e02-afb9-9beeaee55808}",
            ),
        ),
    )
    assert codebook_from_yaml_text(dump_codebook_yaml(codebook)) == codebook


def test_dump_uses_file_key_order_and_leaves_out_empty_keys(small_codebook: Codebook) -> None:
    text = dump_codebook_yaml(small_codebook)
    assert text.startswith("name: Small\nversion: 2\ncodes:\n  - id: COST\n    name: Cost\n    parent: CONCERNS\n")
    concerns = text[text.index("  - id: CONCERNS") :].split("  - id: PRIVACY")[0]
    assert concerns == "  - id: CONCERNS\n    name: Concerns\n"  # no parent, definition, lists, colour or guid


def test_dump_is_block_style_with_indented_lists(small_codebook: Codebook) -> None:
    text = dump_codebook_yaml(small_codebook)
    assert "[" not in text and "{" not in text
    assert "    examples:\n      - It's pricey.\n" in text


def test_multi_line_text_is_written_as_a_literal_block() -> None:
    codebook = Codebook(name="x", codes=(Code(id="A", name="a", definition="First line\nSecond line"),))
    assert "definition: |-\n      First line\n      Second line\n" in dump_codebook_yaml(codebook)


def test_long_definitions_stay_on_one_line() -> None:
    long_text = " ".join(["word"] * 60)
    codebook = Codebook(name="x", codes=(Code(id="A", name="a", definition=long_text),))
    assert f"definition: {long_text}\n" in dump_codebook_yaml(codebook)


def test_save_and_load_through_a_file(tmp_path: Path, small_codebook: Codebook) -> None:
    path = save_codebook_yaml(small_codebook, tmp_path / "codebook.yaml")
    assert load_codebook_yaml(path) == small_codebook
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["codes"][0]["id"] == "COST"


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t:#-'\""), max_size=40)


@settings(max_examples=60, deadline=None)
@given(name=texts.filter(bool), definition=texts, examples=st.lists(texts, max_size=3))
def test_any_text_round_trips(name: str, definition: str, examples: list[str]) -> None:
    codebook = Codebook(
        name="Property",
        codes=(
            Code(id="P", name="Parent"),
            Code(id="C", name=name, parent="P", definition=definition, examples=tuple(examples)),
        ),
    )
    assert codebook_from_yaml_text(dump_codebook_yaml(codebook)) == codebook
