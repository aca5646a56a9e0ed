"""`qcode suggest` and `qcode evaluate`: code suggestions for every excerpt, and how far to trust them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from coding.cli.agreement_cmds import print_agreement_table
from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project
from coding.cli.embed_cmds import ModelOption
from coding.cli.llm_cmds import LlmOption, evaluate_with_llm, suggest_with_llm
from coding.cli.progress import pipeline_progress, progress_bar
from coding.store import suggestions as suggestion_store
from coding.suggest import DecisionRule
from pipelines.embed import project_embedder
from pipelines.evaluate import evaluate_coder, evaluate_theme_discovery, evaluation_json
from pipelines.suggest import run_suggestions

ListOption = Optional[str]
DialogueOption = Annotated[Optional[float], typer.Option(
    "--dialogue-weight", min=0.0, max=1.0,
    help="How much a code carried by the turns just before and after raises its probability in a turn (0 reads "
         "each turn alone). Default: chosen on the coder's coded turns, 0.4 until there are enough.")]


def decision_rule(dialogue_weight: float | None) -> DecisionRule | None:
    return None if dialogue_weight is None else DecisionRule(dialogue_weight=dialogue_weight)


def suggest(
    db: DbOption = default_db(),
    model: ModelOption = None,
    coder: Annotated[Optional[list[str]], typer.Option(help="Learn from these coders (default: every coder).")] = None,
    json_output: JsonOption = False,
    llm: LlmOption = False,
    documents: Annotated[ListOption, typer.Option("--documents", help="--llm: only these documents (S01,S02).")] = None,
    codes: Annotated[ListOption, typer.Option("--codes", help="--llm: only these codes (a parent: its leaves).")
                     ] = None,
    estimate: Annotated[bool, typer.Option("--estimate", help="--llm: print the cost/time estimate only.")] = False,
    dialogue_weight: DialogueOption = None,
) -> None:
    """Suggest codes for every excerpt: zero-shot from the codebook, learned from the codings made so far
    (or, with --llm, from the local model set with 'qcode config llm_endpoint/llm_model')."""
    if llm and dialogue_weight is not None:
        raise typer.BadParameter("the local model reads each turn with its question; --dialogue-weight is for the "
                                 "embedding suggester", param_hint="--dialogue-weight")
    if llm:
        suggest_with_llm(db, documents, codes, estimate, json_output)
        return
    with project(db) as store:
        embedder = project_embedder(store, model)
        with pipeline_progress("suggest", f"embedding with {embedder.model_id}") as (progress, stage):
            run_id = run_suggestions(store, embedder, coders=coder, rule=decision_rule(dialogue_weight),
                                     progress=progress, stage=stage)
        run = suggestion_store.latest_suggestion_run(store)
        rows = suggestion_store.suggestions_for(store, run_id, only_suggested=True)
    if json_output:
        print_json({"run": run.model_dump(mode="json"),
                    "suggestions": [r.model_dump() for r in rows]})
        return
    excerpts = len({r.excerpt_id for r in rows})
    learned = run.manifest.get("learned_codes") or []
    console.print(f"suggestion run {run_id}: {len(rows)} suggestions on {excerpts} of {run.manifest['excerpts']} "
                  f"excerpts ({run.model_id}, codebook version {run.codebook_version}; learned codes: "
                  f"{', '.join(learned) or 'none yet'})", markup=False)


def evaluate(
    coder: Annotated[str, typer.Option("--coder", help="Whose codings to reproduce.")],
    unit: Annotated[str, typer.Option("--unit", help="Only 'turn' (respondent turns) is supported.")] = "turn",
    themes: Annotated[bool, typer.Option("--themes", help="Evaluate theme discovery instead: the themes mostly "
                                         "about each of CODER's codes, and whether hidden codes surface as new.")
                      ] = False,
    hide: Annotated[Optional[str], typer.Option("--hide", help="With --themes: codes to leave out of the codebook "
                                                "(comma-separated), to check they are found as new.")] = None,
    db: DbOption = default_db(),
    model: ModelOption = None,
    json_output: JsonOption = False,
    llm: LlmOption = False,
    dialogue_weight: DialogueOption = None,
) -> None:
    """Leave-one-document-out: learn from CODER on the other documents, suggest for each, score against CODER.

    With --themes: cluster the project into themes and report, per code of CODER, the themes mostly about it and,
    for codes hidden with --hide, whether at most 4 `new` themes (5+ turns, mostly about it) cover half its turns
    with 60% precision. With --llm: the local model's codes for every turn, asking about turns it has not answered
    yet."""
    if unit != "turn":
        raise typer.BadParameter("evaluation is at turn level: a turn carries a code if any excerpt does",
                                 param_hint="--unit")
    if hide and not themes:
        raise typer.BadParameter("--hide only applies with --themes", param_hint="--hide")
    if dialogue_weight is not None and (themes or llm):
        raise typer.BadParameter("--dialogue-weight applies to the embedding suggester's check, not to --themes or "
                                 "--llm", param_hint="--dialogue-weight")
    if themes and llm:
        raise typer.BadParameter("--themes and --llm evaluate different things: use one", param_hint="--llm")
    if themes:
        _evaluate_themes(coder, [c.strip() for c in (hide or "").split(",") if c.strip()], db, model, json_output)
        return
    if llm:
        evaluate_with_llm(db, coder, json_output)
        return
    with project(db) as store:
        embedder = project_embedder(store, model)
        with progress_bar(f"embedding with {embedder.model_id}") as progress:
            result = evaluate_coder(store, embedder, coder, progress=progress, rule=decision_rule(dialogue_weight))
    if json_output:
        print_json(evaluation_json(result))
        return
    print_agreement_table(result.zero_shot, f"zero-shot (codebook only) vs {coder}")
    print_agreement_table(result.combined, f"leave-one-document-out suggestions vs {coder}")
    weights = sorted(set((result.dialogue_weights or {}).values()))
    if weights:
        console.print(f"turns around each turn counted at weight {', '.join(f'{w:g}' for w in weights)} "
                      "(per held-out document, as chosen on the coder's other documents)", markup=False)


def _evaluate_themes(coder: str, hide: list[str], db, model, json_output: bool) -> None:
    with project(db) as store:
        embedder = project_embedder(store, model)
        with progress_bar(f"embedding with {embedder.model_id}") as progress:
            run_id, report = evaluate_theme_discovery(store, embedder, coder, hide, progress=progress)
    if json_output:
        print_json({"run": run_id, **report.model_dump(mode="json")})
        return
    console.print(f"theme run {run_id}: {report.themes} themes, {report.new_themes} new; turn level, against "
                  f"{coder}", markup=False)
    for code in report.codes:
        about = ", ".join(f"{a.theme} ({a.status}, {a.with_code}/{a.turns})" for a in code.themes) or "none"
        line = f"  {code.code:24s} {code.turns:4d} turns, {code.in_themes:4d} in themes; mostly about it: {about}"
        if code.hidden:
            verdict = "FOUND as new" if code.found_as_new else "not found as new"
            line += f"\n  {'':24s} hidden: {verdict} (coverage {code.coverage:.0%}, precision {code.precision:.0%})"
        console.print(line, markup=False)
