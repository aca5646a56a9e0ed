"""The codebook: codes with stable ids, an optional parent each (a hierarchy of any depth), rules and examples.

Models are frozen and hold tuples, so a `Codebook` never changes; `coding.codebook.edit` returns new ones. Building a
`Codebook` checks the whole of it (duplicate ids, unknown parents, loops) and raises `CodebookError` naming the codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from coding.codebook.structure import Entry, did_you_mean, find_structure_issues
from coding.errors import CodebookError, NotFound, Problem

CODE_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
# The REFI-QDA GUIDType: 8-4-4-4-12 hex digits, optionally in braces.
_GUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
GUID_PATTERN = rf"^(\{{{_GUID}\}}|{_GUID})$"

# Validation context key that postpones the whole-codebook checks (the YAML loader runs them itself, with lines).
SKIP_STRUCTURE = "skip_structure_checks"

TextList = tuple[str, ...]


class Code(BaseModel):
    """One code. `id` is what codings refer to: keep it stable and change `name` instead."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        pattern=CODE_ID_PATTERN,
        description="Unique, stable identifier that codings refer to, e.g. COST. Letters, digits, _ . -",
    )
    name: str = Field(min_length=1, description="Short human-readable label")
    parent: str | None = Field(None, description="id of the parent code; omit for a top-level code")
    definition: str = Field("", description="What the code means")
    include: TextList = Field((), description="Rules: when to apply the code")
    exclude: TextList = Field((), description="Rules: when not to apply it (often naming the code to use instead)")
    examples: TextList = Field((), description="Quotes that should get this code")
    counterexamples: TextList = Field((), description="Quotes that should not get this code")
    color: str | None = Field(None, pattern=COLOR_PATTERN, description='Display colour as "#rrggbb"')
    guid: str | None = Field(
        None, pattern=GUID_PATTERN, description="REFI-QDA GUID kept from an imported codebook (optional)"
    )

    @field_validator("definition", "include", "exclude", "examples", "counterexamples", mode="before")
    @classmethod
    def _empty_key_means_default(cls, value: Any, info: ValidationInfo) -> Any:
        # `include:` with nothing after it is YAML null; read it as "no rules yet" rather than a type error.
        if value is None:
            return "" if info.field_name == "definition" else ()
        return value


class Codebook(BaseModel):
    """A named, versioned list of codes; list order is the order siblings are shown in."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="qcode codebook")

    name: str = Field(min_length=1, description="Title of the codebook")
    version: int = Field(1, ge=1, strict=True, description="Whole number, raised when the codebook changes")
    codes: tuple[Code, ...] = Field((), description="The codes; a parent may come before or after its children")

    @field_validator("codes", mode="before")
    @classmethod
    def _empty_codes(cls, value: Any) -> Any:
        return () if value is None else value

    @model_validator(mode="after")
    def _check_structure(self, info: ValidationInfo) -> Codebook:
        if info.context and info.context.get(SKIP_STRUCTURE):
            return self
        entries = [Entry(i, c.id, c.parent, c.guid) for i, c in enumerate(self.codes)]
        issues = find_structure_issues(entries)
        if issues:
            # Not a ValueError on purpose: pydantic lets it through unwrapped, so callers get located problems.
            raise CodebookError([Problem(i.message, code=i.code, hint=i.hint) for i in issues])
        return self

    # --- lookups ------------------------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def __contains__(self, code_id: object) -> bool:
        return any(c.id == code_id for c in self.codes)

    def get(self, code_id: str) -> Code | None:
        return next((c for c in self.codes if c.id == code_id), None)

    def code(self, code_id: str) -> Code:
        """The code with this id; `NotFound` (with a did-you-mean hint) if there is none."""
        found = self.get(code_id)
        if found is None:
            guess = did_you_mean(code_id, self.ids())
            raise NotFound(
                Problem(
                    f"there is no code '{code_id}' in codebook '{self.name}'",
                    code=code_id,
                    hint=f"did you mean {guess}?" if guess else "check the id in the codebook file",
                )
            )
        return found

    # --- hierarchy ----------------------------------------------------------------------------------------------

    def children(self, code_id: str | None) -> list[Code]:
        """Direct children in file order; `children(None)` is the same as `roots()`."""
        if code_id is not None:
            self.code(code_id)
        return [c for c in self.codes if c.parent == code_id]

    def roots(self) -> list[Code]:
        return [c for c in self.codes if c.parent is None]

    def is_leaf(self, code_id: str) -> bool:
        self.code(code_id)
        return not any(c.parent == code_id for c in self.codes)

    def leaves(self) -> list[Code]:
        """Codes without children, in depth-first order."""
        parents = {c.parent for c in self.codes}
        return [c for c in self.depth_first() if c.id not in parents]

    def ancestors(self, code_id: str) -> list[Code]:
        """Parent, grandparent, ... up to the top-level code (nearest first)."""
        by_id = {c.id: c for c in self.codes}
        chain = []
        current = self.code(code_id).parent
        while current is not None:
            parent = by_id[current]
            chain.append(parent)
            current = parent.parent
        return chain

    def path(self, code_id: str, separator: str = "/") -> str:
        """'CONCERNS/COST': the ids from the top-level code down to this one."""
        ids = [a.id for a in reversed(self.ancestors(code_id))]
        return separator.join([*ids, code_id])

    def depth(self, code_id: str) -> int:
        """0 for a top-level code."""
        return len(self.ancestors(code_id))

    def descendants(self, code_id: str) -> list[Code]:
        """Children, grandchildren, ... in depth-first order (not including the code itself)."""
        self.code(code_id)
        return list(self._walk(code_id))

    def depth_first(self) -> list[Code]:
        """Every code, parents before children, siblings in file order."""
        return list(self._walk(None))

    def _walk(self, top: str | None) -> Iterator[Code]:
        children: dict[str | None, list[Code]] = {}
        for code in self.codes:
            children.setdefault(code.parent, []).append(code)
        stack = list(reversed(children.get(top, [])))
        while stack:  # iterative: hierarchy depth is unbounded
            code = stack.pop()
            yield code
            stack.extend(reversed(children.get(code.id, [])))
