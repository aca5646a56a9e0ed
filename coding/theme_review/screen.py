"""Everything the Themes screen shows: the latest run's themes with their members, what changed since the run
before, the unthemed queue and the codes a theme can be merged into."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.project_codebook.editing import applicable_codes
from coding.models import Theme, ThemeGroup, ThemeMember, ThemeMention, ThemeRun
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import themes as theme_store
from coding.theme_review.actions import UNTHEMED, compare_runs, theme_groups, theme_listing


class ThemesScreen(BaseModel):
    model_config = ConfigDict(frozen=True)

    run: ThemeRun | None  # None: no clustering has been run yet
    themes: list[Theme]
    members: dict[int, list[ThemeMember]]  # representatives first
    unthemed: list[ThemeMember]  # nearest theme first
    previous_run: int | None
    changes: list[dict]  # per theme of this run: the closest theme of the previous run and the overlap
    codes: list[tuple[str, str]]  # (id, "ID  name") of the codebook's leaf codes
    colors: dict[str, str | None]  # code id -> colour, for the labels
    groups: dict[int, ThemeGroup] = {}  # top-level group id -> the group, for each theme's parent
    mentions: dict[int, list[ThemeMention]] = {}  # theme id -> where it also comes up, strongest first


def themes_screen(store: ProjectStore) -> ThemesScreen:
    found = codebook_store.current_codebook(store)
    codes = applicable_codes(store, found[1]) if found else []
    colors = {c.id: c.color for c in found[1].codes} if found else {}
    runs = theme_store.theme_runs(store)
    if not runs:
        return ThemesScreen(run=None, themes=[], members={}, unthemed=[], previous_run=None, changes=[], codes=codes,
                            colors=colors)
    listing = theme_listing(store, runs[-1].id)
    previous = runs[-2].id if len(runs) > 1 else None
    unthemed = sorted(listing.members.get(UNTHEMED, []), key=lambda m: -(m.similarity or 0.0))
    groups = {g.theme_group: g for g in theme_groups(store, listing.run.id)}
    return ThemesScreen(
        run=listing.run, themes=listing.themes, members=listing.members, unthemed=unthemed, previous_run=previous,
        changes=compare_runs(store, previous, listing.run.id) if previous else [], codes=codes, colors=colors,
        groups=groups, mentions=listing.mentions,
    )
