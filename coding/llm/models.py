"""What passes between the LLM client, the store and the pipeline: turns to ask and the answers that came back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class TurnText(_Frozen):
    """A respondent turn and the interviewer's question just before it ('' when there is none)."""

    document: str
    turn: int
    question: str
    text: str


class TurnPrompt(_Frozen):
    """A turn as the model will see it, with the key its answer is stored under."""

    document: str
    turn: int
    block: str  # the turn's part of the user message, without its batch label
    key: str  # sha256 of the codebook prompt and the block: the resume key, with model and prompt version


class CodeChoice(_Frozen):
    code: str
    justification: str
    confidence: float = Field(ge=0.0, le=1.0)


class TurnAnswer(_Frozen):
    """The model's codes for one turn, or why there are none ('failed' is never turned into a guess)."""

    document: str
    turn: int
    key: str
    status: Literal["ok", "failed"]
    codes: tuple[CodeChoice, ...] = ()
    error: str | None = None
    attempts: int = 1
    seconds: float | None = None
