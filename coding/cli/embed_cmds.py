"""`qcode embed` and `qcode config`: the embedding model and the cached vectors."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project
from coding.cli.progress import progress_bar
from coding.errors import Problem, QcodeError
from coding.llm.settings import SETTINGS_HELP as LLM_SETTINGS_HELP
from coding.llm.settings import parse_llm_setting
from coding.store.settings import all_settings, set_setting
from pipelines.embed import embed_excerpts, project_embedder

ModelOption = Annotated[
    Optional[str],
    typer.Option("--model", help="sentence-transformers model name or local path (default: project setting, "
                                 "else the bundled all-MiniLM-L6-v2; 'fake' for a quick hash embedder)."),
]

SETTINGS_HELP = {
    "embedding_model": "sentence-transformers model name or local folder used by embed, themes and suggest",
    "spacy_model": "'blank:en' (rule-based sentences) or an installed spaCy pipeline used when ingesting",
    "interviewer_labels": "JSON list of speaker labels that mark interviewer turns",
    "interviewer_names": "JSON list of interviewer names added with ingest --interviewer",
    **LLM_SETTINGS_HELP,
}


def embed(db: DbOption = default_db(), model: ModelOption = None, json_output: JsonOption = False) -> None:
    """Embed every excerpt once per model (cached in the project; a re-run encodes only new text)."""
    with project(db) as store:
        embedder = project_embedder(store, model)
        with progress_bar(f"embedding with {embedder.model_id}") as progress:
            report = embed_excerpts(store, embedder, progress)
    if json_output:
        print_json(report.__dict__)
        return
    console.print(f"{report.excerpts} excerpts: {report.encoded} embedded now, {report.cached} already cached "
                  f"({report.model_id})", markup=False)


def config(
    key: Annotated[Optional[str], typer.Argument(help=f"One of: {', '.join(SETTINGS_HELP)}.")] = None,
    value: Annotated[Optional[str], typer.Argument(help="New value (JSON for lists).")] = None,
    db: DbOption = default_db(),
) -> None:
    """Show the project settings, or set one (`qcode config embedding_model /models/my-model`)."""
    with project(db) as store:
        if key is None:
            print_json(all_settings(store))
            return
        if key not in SETTINGS_HELP:
            raise QcodeError(Problem(f"unknown setting '{key}'", hint=f"settings are: {', '.join(SETTINGS_HELP)}"))
        if value is None:
            print_json(all_settings(store).get(key))
            return
        if key.startswith("llm_"):
            parsed = parse_llm_setting(key, value)
        else:
            parsed = json.loads(value) if key.startswith("interviewer_") else value
        set_setting(store, key, parsed)
    console.print(f"{key} = {value}", markup=False)
