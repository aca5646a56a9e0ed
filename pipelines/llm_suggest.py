"""LLM suggestion flow: plan (which turns still need asking, what it will cost) -> ask the model, storing answers as
they arrive -> a suggestion run from every stored answer; and the LLM coder scored against a human coder.

A run is resumable: answers are saved every second or so, and turns already answered under the same model, prompt
version and prompt are never asked again. Failed turns are asked again on the next run.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from coding.codebook import Code
from coding.embedding.base import ProgressCallback
from coding.errors import NotFound, Problem, QcodeError
from coding.llm.coder import LlmCoder
from coding.llm.models import TurnAnswer, TurnPrompt
from coding.llm.project import chosen_codes, current_answers, project_prompts
from coding.llm.prompt import PROMPT_VERSION, user_message
from coding.llm.settings import LlmSettings
from coding.models import SuggestionRun
from coding.project_codebook import require_codebook
from coding.stats.agreement import AgreementReport, agreement_report
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import llm_answers as answer_store
from coding.store import suggestions as suggestion_store
from coding.store.connection import interrupted
from coding.units import codes_by_unit

CHARS_PER_TOKEN = 4  # a rough rule for English; the estimate says "about"
FLUSH_EVERY_S = 1.0
FLUSH_EVERY_ANSWERS = 200
THRESHOLD = 0.5  # review order: a chosen code's closest call is its confidence's distance from 0.5


@dataclass
class LlmPlan:
    settings: LlmSettings
    codebook_version: int
    codes: list[Code]
    documents: list[str] | None
    prompts: list[TurnPrompt]  # every turn in scope
    to_ask: list[TurnPrompt]  # those without a usable stored answer
    seconds_per_request: float | None  # from this model's earlier answers

    @property
    def requests(self) -> int:
        size = self.settings.batch_size
        return -(-len(self.to_ask) // size)

    @property
    def prompt_tokens(self) -> int:
        """About how many prompt tokens the requests send (the codebook goes with every request)."""
        coder = LlmCoder(self.settings, self.codes)
        size = self.settings.batch_size
        chars = sum(len(coder.system_prompt) + len(user_message(self.to_ask[i:i + size]))
                    for i in range(0, len(self.to_ask), size))
        return chars // CHARS_PER_TOKEN

    @property
    def seconds_estimate(self) -> float | None:
        if self.seconds_per_request is None:
            return None
        return self.seconds_per_request * self.requests / max(1, self.settings.concurrency)

    def describe(self) -> str:
        answered = len(self.prompts) - len(self.to_ask)
        if not self.to_ask:
            return (f"0 of {len(self.prompts)} turns to ask ({answered} already answered by {self.settings.model}): "
                    f"nothing to send")
        text = (f"{len(self.to_ask)} of {len(self.prompts)} turns to ask ({answered} already answered), "
                f"{_plural(self.requests, 'request')} of up to {_plural(self.settings.batch_size, 'turn')} "
                f"to {self.settings.model} at "
                f"{self.settings.host}, about {self.prompt_tokens:,} prompt tokens")
        if self.seconds_estimate is not None:
            return text + f", about {_duration(self.seconds_estimate)} at {self.settings.concurrency} at a time"
        return text + " (time: shown once the first answers arrive)"


@dataclass
class LlmRunResult:
    plan: LlmPlan
    answered: int = 0
    failed: int = 0
    failures: list[TurnAnswer] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None  # the suggestion run, when one was stored

    @property
    def requests_per_second(self) -> float:
        return self.plan.requests / self.seconds if self.seconds else 0.0


def plan_llm_coding(store: ProjectStore, settings: LlmSettings, documents: list[str] | None = None,
                    codes: list[str] | None = None) -> LlmPlan:
    version, codebook = require_codebook(store)
    chosen = chosen_codes(codebook, codes)
    if not chosen:
        raise QcodeError(Problem("the codebook has no codes to ask the model about",
                                 hint="add codes with 'qcode codebook load FILE'"))
    prompts = project_prompts(store, chosen, documents)
    if not prompts:
        raise NotFound(Problem("there are no respondent turns with excerpts to code", hint="run 'qcode ingest' first"))
    stored = current_answers(store, settings.model, prompts)
    to_ask = [p for p in prompts if p.key not in stored or stored[p.key].status != "ok"]
    return LlmPlan(settings, version, chosen, documents, prompts, to_ask,
                   answer_store.mean_answer_seconds(store, settings.model))


def ask_model(store: ProjectStore, plan: LlmPlan, progress: ProgressCallback | None = None,
              stop: threading.Event | None = None) -> LlmRunResult:
    """Ask about `plan.to_ask`, saving answers as they come; on an interrupt or error what arrived is kept."""
    result = LlmRunResult(plan)
    buffer: list[TurnAnswer] = []
    last_flush = time.monotonic()
    settings = plan.settings

    def flush() -> None:
        nonlocal last_flush
        answer_store.save_llm_answers(store, settings.model, PROMPT_VERSION, settings.host, buffer)
        buffer.clear()
        last_flush = time.monotonic()

    def on_answer(answer: TurnAnswer) -> None:
        buffer.append(answer)
        if answer.status == "ok":
            result.answered += 1
        else:
            result.failed += 1
            result.failures.append(answer)
        if len(buffer) >= FLUSH_EVERY_ANSWERS or time.monotonic() - last_flush >= FLUSH_EVERY_S:
            flush()
        if progress:
            progress(result.answered + result.failed, len(plan.to_ask))

    started = time.perf_counter()
    try:
        LlmCoder(settings, plan.codes).code(plan.to_ask, on_answer, stop)
    except BaseException as error:  # Ctrl+C, also when DuckDB turned it into its own error mid-save
        if not interrupted(error):
            raise
        flush()
        raise QcodeError(Problem(
            f"interrupted after {result.answered + result.failed} of {len(plan.to_ask)} turns; their answers are "
            f"saved", hint="run the same command again to ask only the turns still missing")) from None
    finally:
        flush()
        result.seconds = time.perf_counter() - started
    return result


def store_llm_run(store: ProjectStore, plan: LlmPlan) -> int:
    """A suggestion run from every stored answer for the plan's model, prompt and codes, over the whole project
    (so coding documents one at a time builds up one run); excerpts carry their turn's codes."""
    prompts = project_prompts(store, plan.codes)
    answers = current_answers(store, plan.settings.model, prompts)
    ok = {(p.document, p.turn): answers[p.key] for p in prompts
          if p.key in answers and answers[p.key].status == "ok"}
    failed = sum(1 for p in prompts if p.key in answers and answers[p.key].status == "failed")
    code_ids = [c.id for c in plan.codes]
    rows = []
    for excerpt in doc_store.get_excerpts(store):
        answer = ok.get((excerpt.document, excerpt.turn))
        if answer is None:
            continue  # not asked, or failed: no suggestion rather than a guess
        chosen = {c.code: c for c in answer.codes}
        for code in code_ids:
            choice = chosen.get(code)
            rows.append((excerpt.id, code, choice.confidence if choice else 0.0, choice is not None,
                         choice.justification if choice else None))
    frame = pd.DataFrame(rows, columns=["excerpt_id", "code", "score", "suggested", "evidence"])
    frame["zero_shot"] = None
    frame["learned"] = None
    settings = plan.settings
    model_id = f"llm:{settings.model}"
    manifest = {
        "source": "llm", "model": settings.model, "endpoint_host": settings.host, "prompt_version": PROMPT_VERSION,
        "codebook_version": plan.codebook_version, "codes": code_ids, "documents": plan.documents,
        "threshold": THRESHOLD, "batch_size": settings.batch_size, "concurrency": settings.concurrency,
        "turns_coded": len(ok), "turns_failed": failed, "excerpts": int(frame["excerpt_id"].nunique()),
        "created_at": datetime.now().isoformat(timespec="seconds"),
    }
    run = SuggestionRun(model_id=model_id, codebook_version=plan.codebook_version, manifest=manifest)
    return suggestion_store.save_suggestion_frame(store, run, frame)


def llm_suggest(store: ProjectStore, plan: LlmPlan, progress: ProgressCallback | None = None,
                stop: threading.Event | None = None) -> LlmRunResult:
    """Ask what is not answered yet and store the suggestion run (also after a stop: it holds what was answered)."""
    result = ask_model(store, plan, progress, stop)
    result.run_id = store_llm_run(store, plan)
    return result


@dataclass(frozen=True)
class LlmEvaluation:
    report: AgreementReport
    model: str
    prompt_version: str
    turns: int
    failed: int  # turns without a usable answer: scored as carrying no code


def evaluate_llm(store: ProjectStore, plan: LlmPlan, coder: str,
                 progress: ProgressCallback | None = None) -> LlmEvaluation:
    """Ask about turns not answered yet, then score the model's codes against `coder`'s, per code, by turn."""
    if coder not in coding_store.coders(store):
        raise NotFound(Problem(f"no codings by coder '{coder}'",
                               hint=f"coders are: {', '.join(coding_store.coders(store)) or 'none yet'}"))
    if plan.to_ask:
        ask_model(store, plan, progress)
    answers = current_answers(store, plan.settings.model, plan.prompts)
    units = [(p.document, p.turn) for p in plan.prompts]
    model_codes = {(p.document, p.turn): {c.code for c in answers[p.key].codes} for p in plan.prompts
                   if p.key in answers and answers[p.key].status == "ok"}
    gold = codes_by_unit(coding_store.current_codings(store, coder=coder), "turn", [], doc_store.all_turns(store))
    code_ids = [c.id for c in plan.codes]
    report = agreement_report(units, {"gold": gold, "assistant": model_codes}, code_ids, "turn", "gold")
    return LlmEvaluation(report, plan.settings.model, PROMPT_VERSION, len(units),
                         sum(1 for u in units if u not in model_codes))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "under 1 s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
