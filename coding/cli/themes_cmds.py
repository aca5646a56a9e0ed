"""`qcode themes` (discover and list candidate themes) and `qcode theme ...` (act on one)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from coding.cli.common import DbOption, JsonOption, QcodeGroup, console, default_db, print_json, project
from coding.cli.embed_cmds import ModelOption
from coding.cli.progress import pipeline_progress
from coding.theme_review.actions import (
    compare_runs,
    listing_as_json,
    merge_theme_into_code,
    rename_theme,
    sweep_unthemed,
    theme_groups,
    theme_listing,
    theme_to_code,
)
from coding.themes.settings import ThemeSettings
from pipelines.embed import project_embedder
from pipelines.themes import run_themes

CoderOption = Annotated[str, typer.Option("--coder", envvar="QCODE_CODER", help="Who makes the change.")]
DEFAULTS = ThemeSettings()
RunOption = Annotated[Optional[int], typer.Option("--run", help="Theme run id (default: the latest).")]


def themes(
    db: DbOption = default_db(),
    min_size: Annotated[Optional[int], typer.Option("--min-size", help="Minimum excerpts per theme "
                                                    "(default: scaled to the corpus).")] = None,
    model: ModelOption = None,
    unit: Annotated[str, typer.Option("--unit", help="turns (whole respondent turns, default) or excerpts.")
                    ] = "turns",
    reducer: Annotated[str, typer.Option(help="umap, pca or none.")] = "umap",
    seed: Annotated[int, typer.Option(help="Random seed (same corpus + settings + seed = same themes).")] = 42,
    wording_weight: Annotated[float, typer.Option("--wording-weight", min=0.0, max=4.0,
                                                  help="How much shared wording counts beside meaning when "
                                                       "clustering (0: meaning alone).")] = DEFAULTS.wording_weight,
    codebook_discount: Annotated[float, typer.Option(
        "--codebook-discount", min=0.0, max=1.0,
        help="How much of what the codebook's own texts describe is set aside when clustering, so themes form "
             "around what the codes do not say (0: none, 1: all).")] = DEFAULTS.codebook_discount,
    mention_keywords: Annotated[int, typer.Option(
        "--mention-keywords", min=0, max=100,
        help="List a turn outside a theme as a mention of it when it uses this many of the theme's most "
             "distinctive keywords as strongly as its members do (0: no mentions).")] = DEFAULTS.mention_keywords,
    reuse: Annotated[bool, typer.Option("--reuse", help="List the latest run instead of clustering again.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Cluster the excerpts into candidate themes and check each against the codebook (matched/straddles/new)."""
    with project(db) as store:
        if not reuse:
            if unit not in ("turns", "excerpts"):
                raise typer.BadParameter("use 'turns' or 'excerpts'", param_hint="--unit")
            settings = ThemeSettings(unit=unit, min_cluster_size=min_size, reducer=reducer, seed=seed,
                                     wording_weight=wording_weight, codebook_discount=codebook_discount,
                                     mention_keywords=mention_keywords)
            embedder = project_embedder(store, model)
            with pipeline_progress("themes", f"embedding with {embedder.model_id}") as (progress, stage):
                run_themes(store, embedder, settings, progress, stage=stage)
        listing = theme_listing(store)
        groups = theme_groups(store, listing.run.id)
    if json_output:
        print_json(listing_as_json(listing))
        return
    table = Table("theme", "label", "size", "docs", "also in", "status", "why", "keywords",
                  title=f"theme run {listing.run.id} ({listing.run.model_id}): {len(groups)} top-level themes, "
                        f"{len(listing.themes)} sub-themes")
    by_id = {t.theme: t for t in listing.themes}
    for group in groups or [None]:
        if group is not None:
            table.add_row(f"[{group.theme_group}]", group.label, str(group.size), "", "", group.status,
                          group.explanation.get("reason", ""), ", ".join(group.keywords[:6]), style="bold")
        for t in [by_id[i] for i in group.themes] if group is not None else listing.themes:
            why = (t.explanation or {}).get("reason") or ", ".join(f"{c.code} {c.score:.2f}" for c in t.codes[:2])
            also = len({(m.document, m.turn) for m in listing.mentions.get(t.theme, [])})
            table.add_row(f"  {t.theme}", t.display_label, str(t.size), str(t.documents), str(also), t.status, why,
                          ", ".join(t.keywords[:6]))
    console.print(table)
    console.print("matched: one code fits most of its turns and its centre points to it too; straddles: two codes "
                  "each fit most of them; new: no code fits half of them, or the turns and the centre point to "
                  "different codes (a candidate code: read its quotes)", markup=False)
    console.print("also in: turns outside the theme that use its keywords as strongly as its members do, where it "
                  "comes up in passing (qcode themes --json lists them under \"mentions\")", markup=False)
    unthemed = len(listing.members.get(-1, []))
    console.print(f"{unthemed} excerpts unthemed (each has its nearest theme: qcode theme sweep)", markup=False)


app = typer.Typer(cls=QcodeGroup, help="Act on one theme of a run: rename, to-code, merge, sweep, compare.",
                  no_args_is_help=True)


@app.command()
def rename(theme: int, label: str, db: DbOption = default_db(), run: RunOption = None) -> None:
    """Give a theme your own label."""
    with project(db) as store:
        rename_theme(store, theme, label, run)
    console.print(f"theme {theme} is now '{label}'", markup=False)


@app.command("to-code")
def to_code(
    theme: int,
    code: Annotated[str, typer.Argument(help="Id of the new code, e.g. VENDORS.")],
    db: DbOption = default_db(),
    name: Annotated[Optional[str], typer.Option(help="Code name (default: the theme's label).")] = None,
    parent: Annotated[Optional[str], typer.Option(help="Parent code id.")] = None,
    code_members: Annotated[bool, typer.Option(help="Also code the theme's excerpts with it.")] = False,
    coder: CoderOption = "researcher",
    run: RunOption = None,
) -> None:
    """Turn a theme into a new code, carrying its label and representative excerpts as examples."""
    with project(db) as store:
        version = theme_to_code(store, theme, code, coder, name=name, parent=parent, code_members=code_members,
                                run_id=run)
    console.print(f"code {code} created from theme {theme}; codebook is now project version {version}", markup=False)


@app.command()
def merge(theme: int, code: str, db: DbOption = default_db(), coder: CoderOption = "researcher",
          run: RunOption = None) -> None:
    """Code every excerpt of a theme with an existing code (one undoable batch)."""
    with project(db) as store:
        result = merge_theme_into_code(store, theme, code, coder, run_id=run)
    console.print(f"{result.coded} excerpts of theme {theme} coded {code} by {coder}"
                  + (f"; {result.already} already were" if result.already else "")
                  + (f"; left out {len(result.rejected)} where {coder} had rejected {code}: "
                     f"{', '.join(result.rejected)}" if result.rejected else ""), markup=False)


@app.command()
def sweep(
    db: DbOption = default_db(),
    min_similarity: Annotated[float, typer.Option(help="Cosine similarity to the nearest theme needed.")] = 0.5,
    run: RunOption = None,
) -> None:
    """Move unthemed excerpts into their nearest theme when they are close enough."""
    with project(db) as store:
        moved = sweep_unthemed(store, min_similarity, run)
    console.print(f"{moved} unthemed excerpts assigned to their nearest theme", markup=False)


@app.command()
def compare(old: int, new: int, db: DbOption = default_db(), json_output: JsonOption = False) -> None:
    """What changed between two theme runs."""
    with project(db) as store:
        rows = compare_runs(store, old, new)
    if json_output:
        print_json(rows)
        return
    table = Table("theme", "label", "size", "was", "overlap", "change")
    for r in rows:
        table.add_row(str(r["theme"]), r["label"], str(r["size"]), f"{r['previous_theme']} {r['previous_label'] or ''}",
                      f"{r['overlap']:.2f}", r["change"])
    console.print(table)
