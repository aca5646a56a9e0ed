"""What a search returns: hits located by document, turn and exact character offsets."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from coding.models import AttributeValue, SpeakerRole


class SearchFilters(BaseModel):
    """Which turns a search looks at. `where` maps an attribute to the values accepted (any of them); different
    attributes must all match."""

    where: dict[str, list[str]] = Field(default_factory=dict)
    role: SpeakerRole | None = None


class SearchHit(BaseModel):
    """One match: `documents.text[start:end] == text`; `before` and `after` are its context within the turn."""

    document: str
    turn: int
    speaker: str
    role: SpeakerRole
    start: int
    end: int
    text: str
    before: str = ""
    after: str = ""
    excerpt_id: str | None = None  # the excerpt the hit is (semantic search) or exactly spans
    score: float | None = None  # cosine similarity (semantic search)
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)


class SearchResults(BaseModel):
    mode: Literal["text", "semantic"]
    query: str
    total: int  # text search: every hit found, of which `hits` holds the first `limit`; semantic: len(hits)
    hits: list[SearchHit]
    model_id: str | None = None  # the embedding model of a semantic search
    unembedded: int = 0  # excerpts a semantic search could not consider: no vector for the model yet
