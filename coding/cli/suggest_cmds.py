"""`qcode suggest` and `qcode evaluate`: code suggestions for every excerpt, and how far to trust them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from coding.cli.agreement_cmds import print_agreement_table
from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project
from coding.cli.embed_cmds import ModelOption
from coding.cli.progress import progress_bar, stage_lines
from coding.store import suggestions as suggestion_store
from pipelines.embed import project_embedder
from pipelines.evaluate import evaluate_coder, evaluation_json
from pipelines.suggest import run_suggestions


def suggest(
    db: DbOption = default_db(),
    model: ModelOption = None,
    coder: Annotated[Optional[list[str]], typer.Option(help="Learn from these coders (default: every coder).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Suggest codes for every excerpt: zero-shot from the codebook, learned from the codings made so far."""
    with project(db) as store:
        embedder = project_embedder(store, model)
        with progress_bar(f"embedding with {embedder.model_id}") as progress, stage_lines("suggest") as stage:
            run_id = run_suggestions(store, embedder, coders=coder, progress=progress, stage=stage)
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
    db: DbOption = default_db(),
    model: ModelOption = None,
    json_output: JsonOption = False,
) -> None:
    """Leave-one-document-out: learn from CODER on the other documents, suggest for each, score against CODER."""
    if unit != "turn":
        raise typer.BadParameter("evaluation is at turn level: a turn carries a code if any excerpt does",
                                 param_hint="--unit")
    with project(db) as store:
        embedder = project_embedder(store, model)
        with progress_bar(f"embedding with {embedder.model_id}") as progress:
            result = evaluate_coder(store, embedder, coder, progress=progress)
    if json_output:
        print_json(evaluation_json(result))
        return
    print_agreement_table(result.zero_shot, f"zero-shot (codebook only) vs {coder}")
    print_agreement_table(result.combined, f"leave-one-document-out suggestions vs {coder}")
