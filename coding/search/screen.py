"""What the app's Search page offers to choose from: attribute values to filter by, codes to apply, and whether the
excerpts have vectors for semantic search."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.project_codebook.editing import applicable_codes
from coding.models import Excerpt
from coding.search.cache import text_index
from coding.search.filters import attribute_text
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import documents as doc_store
from coding.store import search as search_store


class SearchChoices(BaseModel):
    model_config = ConfigDict(frozen=True)

    attributes: dict[str, list[str]]  # attribute -> every value documents have, as a filter compares it
    codes: list[tuple[str, str]]  # (id, "ID  name") of the codes a coder can apply


def search_choices(store: ProjectStore) -> SearchChoices:
    values: dict[str, set[str]] = {}
    for attributes in text_index(store).attributes().values():
        for name, value in attributes.items():
            if value is not None and attribute_text(value):
                values.setdefault(name, set()).add(attribute_text(value))
    found = codebook_store.current_codebook(store)
    return SearchChoices(attributes={name: sorted(values[name], key=_natural) for name in sorted(values)},
                         codes=applicable_codes(store, found[1]) if found else [])


def _natural(value: str) -> tuple:
    """Numbers in numeric order (900 before 1183), then words."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value.casefold())


def embedded_excerpts(store: ProjectStore, model_id: str) -> tuple[int, int]:
    """(excerpts in the project, excerpts with a vector from the model)."""
    excerpts, embedded = search_store.vectors_stamp(store, model_id)
    return int(excerpts), int(embedded)


def find_excerpt(store: ProjectStore, excerpt_id: str) -> Excerpt | None:
    return doc_store.excerpts_by_id(store, [excerpt_id]).get(excerpt_id)
