"""The LLM coder over a project: which turns and codes it is asked about, and what it answered for them.

Units are respondent turns that have excerpts (the units the embedding suggester scores); a turn's context is the
interviewer's question just before it. The pseudo-coder `llm` is the latest LLM run's model and prompt over the
current turns: a turn carries the codes the model chose for exactly the prompt it would be sent now.
"""

from __future__ import annotations

from collections import defaultdict

from coding.codebook import Code, Codebook
from coding.errors import NotFound, Problem, QcodeError
from coding.llm.models import TurnAnswer, TurnPrompt, TurnText
from coding.llm.prompt import PROMPT_VERSION, codebook_prompt, turn_prompt
from coding.models import SpeakerRole
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import documents as doc_store
from coding.store import llm_answers as answer_store

LLM_CODER = "llm"


def turn_texts(store: ProjectStore, documents: list[str] | None = None) -> list[TurnText]:
    """Respondent turns with excerpts, in reading order, each with the interviewer question before it."""
    known = doc_store.document_names(store)
    if documents is not None:
        missing = [d for d in documents if d not in known]
        if missing:
            raise NotFound([Problem(f"there is no document '{d}'", hint=f"documents are: {', '.join(known)}")
                            for d in missing])
    wanted = set(documents) if documents is not None else set(known)
    with_excerpts = {(e.document, e.turn) for e in doc_store.get_excerpts(store) if e.document in wanted}
    turns = {(t.document, t.number): t for t in doc_store.all_turns(store) if t.document in wanted}
    order = {name: i for i, name in enumerate(known)}
    result = []
    for key in sorted(with_excerpts, key=lambda k: (order[k[0]], k[1])):
        turn = turns[key]
        if turn.role != SpeakerRole.respondent:
            continue
        before = turns.get((key[0], key[1] - 1))
        asked = before is not None and before.role == SpeakerRole.interviewer
        result.append(TurnText(document=key[0], turn=key[1], question=before.text if asked else "", text=turn.text))
    return result


def chosen_codes(codebook: Codebook, code_ids: list[str] | None = None) -> list[Code]:
    """The leaf codes to ask about: all of them, or those named (a parent stands for its leaf codes)."""
    if not code_ids:
        return codebook.leaves()
    leaves = {c.id for c in codebook.leaves()}
    chosen: list[str] = []
    for code_id in code_ids:
        codebook.code(code_id)  # NotFound with a did-you-mean hint
        below = [code_id] if code_id in leaves else [c.id for c in codebook.descendants(code_id) if c.id in leaves]
        chosen += [c for c in below if c not in chosen]
    return [c for c in codebook.leaves() if c.id in chosen]


def project_prompts(store: ProjectStore, codes: list[Code], documents: list[str] | None = None) -> list[TurnPrompt]:
    system = codebook_prompt(codes)
    return [turn_prompt(system, t) for t in turn_texts(store, documents)]


def current_answers(store: ProjectStore, model: str, prompts: list[TurnPrompt],
                    prompt_version: str = PROMPT_VERSION) -> dict[str, TurnAnswer]:
    return answer_store.llm_answers(store, model, prompt_version, [p.key for p in prompts])


def llm_turn_codes(store: ProjectStore) -> dict[tuple[str, int], set[str]]:
    """{(document, turn): codes} of the latest LLM run's model and codes, for turns it answered as now worded."""
    run = answer_store.latest_llm_run(store)
    if run is None:
        raise NotFound(Problem("the LLM coder has not coded anything yet", hint="run 'qcode suggest --llm' first"))
    _, codebook = require_codebook(store)
    try:
        codes = chosen_codes(codebook, run.manifest["codes"])
    except NotFound as error:
        raise QcodeError(Problem(f"the codebook changed since the LLM run {run.id}: {error.problems[0].message}",
                                 hint="run 'qcode suggest --llm' again")) from None
    prompts = project_prompts(store, codes)
    answers = current_answers(store, run.manifest["model"], prompts, run.manifest["prompt_version"])
    if not any(a.status == "ok" for a in answers.values()):
        raise QcodeError(Problem(f"no LLM answers match the current codebook and transcripts (run {run.id}, "
                                 f"model {run.manifest['model']})", hint="run 'qcode suggest --llm' again"))
    result: dict[tuple[str, int], set[str]] = {}
    for prompt in prompts:
        answer = answers.get(prompt.key)
        if answer is not None and answer.status == "ok":
            result[(prompt.document, prompt.turn)] = {c.code for c in answer.codes}
    return result


def llm_unit_codes(store: ProjectStore, unit: str) -> dict:
    """The pseudo-coder `llm` by turn or by excerpt (every excerpt of a turn carries the turn's codes)."""
    by_turn = llm_turn_codes(store)
    if unit == "turn":
        return by_turn
    result: dict = defaultdict(set)
    for excerpt in doc_store.get_excerpts(store):
        codes = by_turn.get((excerpt.document, excerpt.turn))
        if codes:
            result[excerpt.id] |= codes
    return dict(result)
