"""What a researcher does with a stored theme run: list it, rename, turn a theme into a code, merge it into a code,
sweep the unthemed queue, compare two runs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.codebook import Code, add_code, update_code
from coding.errors import NotFound, Problem
from coding.models import (CodingSource, Decision, DecisionAction, Span, Theme, ThemeGroup, ThemeMember, ThemeMention,
                           ThemeRun)
from coding.project_codebook import apply_edit, require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import themes as theme_store

UNTHEMED = -1


class ThemeListing(BaseModel):
    model_config = ConfigDict(frozen=True)

    run: ThemeRun
    themes: list[Theme]
    members: dict[int, list[ThemeMember]]  # theme id (-1: unthemed) -> members, representatives first
    # theme id -> where it also comes up outside its members, strongest first (coding.themes.mentions)
    mentions: dict[int, list[ThemeMention]] = {}

    def turns_of(self, theme: int, documents: set[str] | None = None) -> set[tuple[str, int]]:
        """The (document, turn) pairs a theme covers: its members' and its mentions' (of `documents` only)."""
        found = [*self.members.get(theme, []), *self.mentions.get(theme, [])]
        return {(m.document, m.turn) for m in found if documents is None or m.document in documents}


def require_run(store: ProjectStore, run_id: int | None = None) -> ThemeRun:
    runs = theme_store.theme_runs(store)
    if not runs:
        raise NotFound(Problem("no theme run yet", hint="run 'qcode themes' first"))
    if run_id is None:
        return runs[-1]
    for run in runs:
        if run.id == run_id:
            return run
    raise NotFound(Problem(f"no theme run {run_id}", hint=f"runs are {', '.join(str(r.id) for r in runs)}"))


def theme_listing(store: ProjectStore, run_id: int | None = None) -> ThemeListing:
    run = require_run(store, run_id)
    return ThemeListing(run=run, themes=theme_store.themes_of_run(store, run.id),
                        members=_by_theme(theme_store.members_of_run(store, run.id)),
                        mentions=_by_theme(theme_store.mentions_of_run(store, run.id)))


def _by_theme(rows: list) -> dict[int, list]:
    """Members or mentions grouped under their theme id, in the order the store gives them."""
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.theme, []).append(row)
    return grouped


def theme_groups(store: ProjectStore, run_id: int | None = None) -> list[ThemeGroup]:
    """The run's top-level themes, each with its sub-theme ids (empty for runs made before groups existed)."""
    return theme_store.groups_of_run(store, require_run(store, run_id).id)


def listing_as_json(listing: ThemeListing, representatives: int = 5) -> list[dict]:
    """The `qcode themes --json` contract: one object per theme plus one `unthemed` object for the outliers."""
    result = []
    for theme in listing.themes:
        members = listing.members.get(theme.theme, [])
        result.append({
            "theme": theme.theme, "label": theme.display_label, "keywords": theme.keywords, "size": theme.size,
            "documents": theme.documents, "speakers": theme.speakers, "status": theme.status,
            "parent": theme.parent, "explanation": theme.explanation,
            "codes": [c.model_dump() for c in theme.codes],
            "representatives": [m.text for m in members if m.representative_rank][:representatives],
            "members": [{"document": m.document, "turn": m.turn, "excerpt": m.excerpt_id} for m in members],
            "mentions": [{"document": m.document, "turn": m.turn, "excerpt": m.excerpt_id, "score": m.score}
                         for m in listing.mentions.get(theme.theme, [])],
        })
    outliers = listing.members.get(UNTHEMED, [])
    result.append({
        "theme": UNTHEMED, "label": "unthemed", "keywords": [], "size": len(outliers),
        "documents": len({m.document for m in outliers}), "status": "unthemed", "codes": [],
        "members": [{"document": m.document, "turn": m.turn, "excerpt": m.excerpt_id,
                     "nearest_theme": m.nearest_theme, "similarity": m.similarity} for m in outliers],
    })
    return result


def _theme(listing: ThemeListing, theme_id: int) -> Theme:
    for theme in listing.themes:
        if theme.theme == theme_id:
            return theme
    raise NotFound(Problem(f"no theme {theme_id} in run {listing.run.id}"))


def rename_theme(store: ProjectStore, theme_id: int, label: str, run_id: int | None = None) -> None:
    run = require_run(store, run_id)
    _theme(theme_listing(store, run.id), theme_id)
    theme_store.rename_theme(store, run.id, theme_id, label.strip() or None)


class MembersCoded(BaseModel):
    """What a bulk action on a theme's members did."""

    model_config = ConfigDict(frozen=True)

    coded: int  # excerpts newly coded
    already: int  # chosen excerpts the coder already held the code on
    rejected: list[str]  # chosen excerpts the coder had rejected the code for: left as they are


def _code_members(store: ProjectStore, run_id: int, theme_id: int, members: list[ThemeMember], code: str,
                  coder: str, what: str, chosen: list[str] | None) -> MembersCoded:
    """Code the chosen members (all when `chosen` is None) with `code` as one undoable batch, with source `theme`
    and a note naming the run and the theme. A coder's rejection of the code on an excerpt is never overridden."""
    ids = [m.excerpt_id for m in members]
    if chosen is not None:
        strangers = sorted(set(chosen) - set(ids))
        if strangers:
            raise NotFound(Problem(f"{', '.join(strangers[:5])} not in theme {theme_id} of run {run_id}",
                                   hint="choose among the theme's listed excerpts"))
        ids = [i for i in ids if i in set(chosen)]
    excerpts = doc_store.excerpts_by_id(store, ids)
    rejected_here = {excerpt for who, excerpt, rejected_code in coding_store.current_rejections(store, coder)
                     if rejected_code == code}
    batch = coding_store.new_batch_id()
    decisions, already, refused = [], 0, []
    for excerpt_id in ids:
        e = excerpts.get(excerpt_id)
        if e is None:
            continue
        span = Span(document=e.document, start=e.start, end=e.end, turn=e.turn, excerpt_id=e.id)
        if excerpt_id in rejected_here:
            refused.append(excerpt_id)
        elif coding_store.span_state(store, coder, span, code)[0]:
            already += 1
        else:
            decisions.append(Decision(coder=coder, action=DecisionAction.code, code=code, source=CodingSource.theme,
                                      batch=batch, note=f"run {run_id} theme {theme_id}: {what}", span=span))
    coding_store.record(store, decisions)
    return MembersCoded(coded=len(decisions), already=already, rejected=refused)


def theme_to_code(store: ProjectStore, theme_id: int, code_id: str, coder: str, name: str | None = None,
                  parent: str | None = None, code_members: bool = False, run_id: int | None = None,
                  examples: int = 3, chosen: list[str] | None = None) -> int:
    """A new code from a theme: its label as name, keywords in the definition, representative quotes as examples.
    Returns the new codebook version."""
    listing = theme_listing(store, run_id)
    theme = _theme(listing, theme_id)
    _, codebook = require_codebook(store)
    members = listing.members.get(theme_id, [])
    quotes = [m.text for m in members if m.representative_rank and m.text][:examples]
    code = Code(id=code_id, name=name or theme.display_label, parent=parent,
                definition=f"Candidate theme from clustering (keywords: {', '.join(theme.keywords[:8])}).",
                examples=quotes)
    with store.transaction():
        version = apply_edit(store, add_code(codebook, code), coder, note=f"code {code_id} from theme {theme_id}")
        if code_members:
            _code_members(store, listing.run.id, theme_id, members, code_id, coder, f"turned into {code_id}", chosen)
    return version


def merge_theme_into_code(store: ProjectStore, theme_id: int, code_id: str, coder: str,
                          run_id: int | None = None, examples: int = 2,
                          chosen: list[str] | None = None) -> MembersCoded:
    """Code the theme's excerpts (the `chosen` ones, or all) with an existing code, undoable as one batch, and add
    its best quotes to the code's examples. Excerpts where the coder rejected the code are left as they are."""
    listing = theme_listing(store, run_id)
    _theme(listing, theme_id)
    _, codebook = require_codebook(store)
    code = codebook.code(code_id)
    members = listing.members.get(theme_id, [])
    quotes = [m.text for m in members if m.representative_rank and m.text and m.text not in code.examples]
    with store.transaction():
        if quotes[:examples]:
            apply_edit(store, update_code(codebook, code_id, examples=[*code.examples, *quotes[:examples]]), coder,
                       note=f"examples from theme {theme_id}")
        return _code_members(store, listing.run.id, theme_id, members, code_id, coder, f"merged into {code_id}",
                             chosen)


def sweep_unthemed(store: ProjectStore, min_similarity: float, run_id: int | None = None) -> int:
    """Assign every unthemed excerpt whose nearest theme is at least `min_similarity` close to that theme."""
    run = require_run(store, run_id)
    return theme_store.assign_outliers(store, run.id, min_similarity)


def compare_runs(store: ProjectStore, old_run: int, new_run: int) -> list[dict]:
    """For each theme of the new run: the old theme sharing most excerpts, and the overlap (Jaccard)."""
    old = theme_listing(store, old_run)
    new = theme_listing(store, new_run)
    old_sets = {t: {m.excerpt_id for m in ms} for t, ms in old.members.items() if t != UNTHEMED}
    labels = {t.theme: t.display_label for t in old.themes}
    rows = []
    for theme in new.themes:
        mine = {m.excerpt_id for m in new.members.get(theme.theme, [])}
        best, score = None, 0.0
        for other, theirs in old_sets.items():
            jaccard = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
            if jaccard > score:
                best, score = other, jaccard
        rows.append({"theme": theme.theme, "label": theme.display_label, "size": theme.size,
                     "previous_theme": best, "previous_label": labels.get(best), "overlap": round(score, 3),
                     "change": "same" if score >= 0.8 else "changed" if score >= 0.3 else "new"})
    return rows
