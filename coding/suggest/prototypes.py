"""What the codebook says about each code, as texts to embed: positives (name, definition, include rules,
examples) and negatives (exclude rules, counterexamples).

Codes are duck-typed: any object with `id, name, parent, definition, include, exclude, examples, counterexamples`
works (the codebook's pydantic `Code` does). Only leaf codes, those no other code names as parent, are suggested by
default; parents get their children's codings by roll-up elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from coding.errors import Problem
from coding.suggest.errors import SuggestionInputError

PositiveKind = Literal["name", "definition", "include", "example"]
NegativeKind = Literal["exclude", "counterexample"]
Encode = Callable[[list[str]], np.ndarray]


class PrototypeText(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    kind: PositiveKind | NegativeKind


class CodePrototype(BaseModel):
    """The texts that stand for one code."""

    model_config = ConfigDict(frozen=True)

    code: str
    positives: tuple[PrototypeText, ...]
    negatives: tuple[PrototypeText, ...] = ()


def leaf_codes(codes: Iterable[Any]) -> list[Any]:
    """Codes that are not the parent of another code, in codebook order."""
    codes = list(codes)
    parents = {code.parent for code in codes if code.parent}
    return [code for code in codes if code.id not in parents]


def _without_code_references(text: str, code_ids: set[str]) -> str:
    """Drop "(TRAINING)" or "(PILOTS or COST)" from a rule: the ids say where to go, not what the text means."""

    def replace(match: re.Match[str]) -> str:
        words = re.split(r"[\s,/]+|\bor\b|\band\b", match.group(1))
        return "" if all(not w or w in code_ids for w in words) and any(w in code_ids for w in words) else match[0]

    return re.sub(r"\s*\(([^()]*)\)", replace, text).strip()


def _texts(code: Any, attribute: str) -> list[str]:
    value = getattr(code, attribute, None) or ()
    return [value] if isinstance(value, str) else [str(v) for v in value]


def build_prototypes(codes: Iterable[Any], leaves_only: bool = True) -> list[CodePrototype]:
    """One prototype per suggestible code (leaf codes unless `leaves_only=False`), in codebook order."""
    codes = list(codes)
    code_ids = {code.id for code in codes}
    chosen = leaf_codes(codes) if leaves_only else codes
    prototypes: list[CodePrototype] = []
    for code in chosen:
        positives: list[PrototypeText] = []
        for kind, attribute in (("name", "name"), ("definition", "definition"), ("include", "include"),
                                ("example", "examples")):
            for text in _texts(code, attribute):
                text = _without_code_references(text, code_ids)
                if text:
                    positives.append(PrototypeText(text=text, kind=kind))
        negatives = [
            PrototypeText(text=cleaned, kind=kind)
            for kind, attribute in (("exclude", "exclude"), ("counterexample", "counterexamples"))
            for text in _texts(code, attribute)
            if (cleaned := _without_code_references(text, code_ids))
        ]
        prototypes.append(CodePrototype(code=code.id, positives=tuple(positives), negatives=tuple(negatives)))
    if not prototypes:
        raise SuggestionInputError(Problem("the codebook has no codes to suggest", hint="add codes first"))
    return prototypes


@dataclass(frozen=True)
class PrototypeVectors:
    """Embedded prototype texts: row r of `positive` belongs to code `codes[positive_owner[r]]`."""

    codes: list[str]
    positive: np.ndarray
    positive_owner: np.ndarray
    positive_texts: list[str]
    negative: np.ndarray
    negative_owner: np.ndarray
    negative_texts: list[str]


def embed_prototypes(prototypes: Sequence[CodePrototype], encode: Encode) -> PrototypeVectors:
    """Embed every prototype text once; `encode(texts)` returns unit vectors (an Embedder's `encode` works)."""
    pos_texts = [p.text for proto in prototypes for p in proto.positives]
    pos_owner = [j for j, proto in enumerate(prototypes) for _ in proto.positives]
    neg_texts = [n.text for proto in prototypes for n in proto.negatives]
    neg_owner = [j for j, proto in enumerate(prototypes) for _ in proto.negatives]
    vectors = np.asarray(encode(pos_texts + neg_texts), dtype=np.float32)
    return PrototypeVectors(
        codes=[proto.code for proto in prototypes],
        positive=vectors[: len(pos_texts)],
        positive_owner=np.array(pos_owner, dtype=np.int64),
        positive_texts=pos_texts,
        negative=vectors[len(pos_texts):].reshape(len(neg_texts), vectors.shape[1]),
        negative_owner=np.array(neg_owner, dtype=np.int64),
        negative_texts=neg_texts,
    )
