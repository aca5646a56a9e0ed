"""Pieces of the Themes view: a theme card with its actions, the unthemed queue, and their callbacks."""

from __future__ import annotations

import streamlit as st

from coding.codebook import code_id_from_name
from coding.memos.model import MemoTarget, TargetKind
from coding.models import Theme, ThemeGroup, ThemeMember, ThemeMention
from coding.theme_review.actions import merge_theme_into_code, rename_theme, sweep_unthemed, theme_to_code
from coding.ui import state
from coding.ui.components import label_html, show_html, text_html
from coding.ui.memo_parts import memo_panel

STATUS = {"matched": ("#15803d", "matches a code"), "straddles": ("#b45309", "straddles codes"),
          "new": ("#1d4ed8", "new: no code fits")}
LEGEND = ("Status, from two views of a theme: how the suggester codes each of its turns, and which code its centre "
          "is nearest. **matches a code**: one code fits most of its turns and the centre points to it too · "
          "**straddles codes**: two codes each fit most of its turns · **new: no code fits**: no code fits half of "
          "its turns, or the turns and the centre point to different codes, a candidate for a new code (read its "
          "quotes). *Why* gives the figures. The number after a code is how near the theme's centre is to it, "
          "relative to that code's mean over all themes (higher fits better).")
QUOTES = 3
MENTIONS_SHOWN = 30


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def by_group(themes: list[Theme], groups: dict[int, ThemeGroup]) -> list[tuple[int | None, list[Theme]]]:
    """Themes under their top-level theme, groups in their order (largest first), then any theme without one."""
    under: dict[int | None, list[Theme]] = {}
    for theme in sorted(themes, key=lambda t: t.theme):
        under.setdefault(theme.parent if theme.parent in groups else None, []).append(theme)
    order = sorted((g for g in under if g is not None)) + ([None] if None in under else [])
    return [(g, under[g]) for g in order]


def show_group(group: ThemeGroup, themes: list[Theme]) -> bool:
    """A top-level theme's header (label, status, size, why) with a toggle; whether its sub-themes are shown."""
    color, status = STATUS.get(group.status, ("#6b7280", group.status))
    matched = (group.explanation or {}).get("codes") or []
    if group.status == "matched" and matched:
        status = f"matches {matched[0]}"
    reason = (group.explanation or {}).get("reason")
    st.subheader(f"{group.theme_group}. {group.label}", anchor=False)
    show_html(f"{label_html(status, color)}<span style=\"color:#6b7280;font-size:.85em\">top-level theme · "
              f"{_count(len(themes), 'sub-theme')} · {_count(group.turns, 'turn')} · "
              f"{_count(group.size, 'excerpt')}</span>"
              + (f'<div style="font-size:.85em;color:#374151">why: {text_html(reason)}</div>' if reason else ""))
    return st.toggle(f"Show its {_count(len(themes), 'sub-theme')}", value=True,
                     key=f"theme_group_{group.run_id}_{group.theme_group}")


def show_theme(theme: Theme, members: list[ThemeMember], codes: list[tuple[str, str]],
               colors: dict[str, str | None], mentions: list[ThemeMention] = ()) -> None:
    color, status = STATUS.get(theme.status, ("#6b7280", theme.status))
    explanation = theme.explanation or {}
    matched = explanation.get("codes") or [c.code for c in theme.codes[:1]]
    if theme.status == "matched" and matched:
        status = f"matches {matched[0]}"
    names = dict(codes)
    with st.container(border=True):
        show_html(f'<b style="font-size:1.1em">{text_html(theme.display_label)}</b> '
                  f'{label_html(status, color)}<span style="color:#6b7280;font-size:.85em">'
                  f"{_count(theme.size, 'excerpt')} · {_count(theme.documents, 'document')} · "
                  f"{_count(theme.speakers, 'speaker')}</span>"
                  f'<div style="font-size:.85em;color:#374151">keywords: {text_html(", ".join(theme.keywords))}</div>'
                  + ('<span style="font-size:.85em;color:#6b7280">fit to codes: </span>' if theme.codes else "")
                  + "".join(label_html(f"{c.code} {c.score:.2f}", colors.get(c.code), title=names.get(c.code))
                          for c in theme.codes[:4])
                  + (f'<div style="font-size:.85em;color:#374151">why: {text_html(explanation["reason"])}</div>'
                     if explanation.get("reason") else ""))
        quotes = [m for m in members if m.representative_rank][:QUOTES]
        for quote in quotes:
            show_html(f'<div style="border-left:3px solid #e5e7eb;padding-left:.6em;font-size:.9em">'
                      f"{text_html(quote.text or '')} <span style=\"color:#6b7280\">({quote.document}, turn "
                      f"{quote.turn})</span></div>")
        show_mentions(mentions, theme.keywords)
        with st.popover("Act on this theme", icon=":material/more_horiz:"):
            actions(theme, members, codes)
        with st.expander("Memos on this theme", icon=":material/sticky_note_2:"):
            memo_panel(MemoTarget(kind=TargetKind.theme, ref=f"{theme.run_id}:{theme.theme}"))


def mention_turns(mentions: list[ThemeMention], keywords: list[str] = ()) -> list[tuple[str, int, str]]:
    """(document, turn, text) per turn the theme also comes up in, strongest first. The text is the turn's excerpts
    that use one of the theme's keywords (the passing mention itself, not the start of a long turn), joined with
    " … "; the whole turn when none does."""
    turns: dict[tuple[str, int], list[str]] = {}
    for mention in mentions:
        turns.setdefault((mention.document or "", mention.turn or 0), []).append(mention.text or "")
    words = [k.lower() for k in keywords if k]
    shown = []
    for (document, turn), texts in turns.items():
        using = [t for t in texts if any(word in t.lower() for word in words)]
        shown.append((document, turn, " … ".join(using) if using else " ".join(texts)))
    return shown


def show_mentions(mentions: list[ThemeMention], keywords: list[str] = ()) -> None:
    """Turns outside the theme that use its keywords as strongly as its members do: where it comes up in passing."""
    turns = mention_turns(mentions, keywords)
    if not turns:
        return
    with st.expander(f"Also comes up in {_count(len(turns), 'other turn')}", icon=":material/travel_explore:"):
        st.caption("Turns in other themes (or unthemed) that use this theme's keywords as strongly as its own turns "
                   "do; shown are their sentences with its keywords. They stay where they are; read them before you "
                   "code the theme.")
        for document, turn, text in turns[:MENTIONS_SHOWN]:
            short = text if len(text) <= 400 else text[:397] + "..."
            show_html(f'<div style="border-left:3px solid #e5e7eb;padding-left:.6em;font-size:.9em">'
                      f"{text_html(short)} <span style=\"color:#6b7280\">({text_html(document)}, turn {turn})"
                      f"</span></div>")
        if len(turns) > MENTIONS_SHOWN:
            st.caption(f"and {len(turns) - MENTIONS_SHOWN} more: qcode themes --json lists them all")


def widget_key(name: str, theme: Theme) -> str:
    """A theme's widget key names its run: theme ids restart at 1 in every run, and a label typed or a box unticked
    for theme 3 of one run must not reappear on theme 3 of the next."""
    return f"theme_{name}_{theme.run_id}_{theme.theme}"


def member_key(theme: Theme, excerpt_id: str) -> str:
    return f"{widget_key('member', theme)}_{excerpt_id}"


def chosen_members(theme: Theme, members: list[ThemeMember]) -> list[str]:
    """The members whose box is ticked (every box starts ticked)."""
    return [m.excerpt_id for m in members if st.session_state.get(member_key(theme, m.excerpt_id), True)]


def member_checkboxes(theme: Theme, members: list[ThemeMember]) -> None:
    """Every member, with its document and turn, each with a box: a bulk action codes only the ticked ones."""
    with st.expander(f"The {_count(len(members), 'excerpt')} a bulk action codes (untick to leave one out)"):
        for member in members:
            text = member.text or ""
            st.checkbox(f"{member.document}, turn {member.turn}: {text if len(text) <= 160 else text[:157] + '...'}",
                        value=True, key=member_key(theme, member.excerpt_id))


def actions(theme: Theme, members: list[ThemeMember], codes: list[tuple[str, str]]) -> None:
    """Rename, turn into a code, merge into a code: each acts on this theme of the run shown, even when a newer run
    has been made since (by the CLI or another browser) and reuses its id."""
    st.text_input("Label", value=theme.display_label, key=widget_key("label", theme))
    st.button("Rename", key=widget_key("rename", theme), on_click=_rename, args=(theme,))
    st.divider()
    st.text_input("New code id", value=code_id_from_name(theme.display_label), key=widget_key("code_id", theme))
    member_checkboxes(theme, members)
    st.checkbox("Also code the ticked excerpts", key=widget_key("code_members", theme))
    st.button("Turn into a code", key=widget_key("to_code", theme), on_click=_to_code, args=(theme, members))
    st.divider()
    st.selectbox("Merge into code", [c for c, _ in codes], format_func=dict(codes).get, index=None,
                 placeholder="choose a code", key=widget_key("merge_target", theme))
    st.button("Merge into this code", key=widget_key("merge", theme), on_click=_merge, args=(theme, members),
              help="Codes the ticked excerpts with it (one undoable batch; never where you rejected that code) and "
                   "adds the theme's best quotes as examples.")


def _rename(theme: Theme) -> None:
    label = st.session_state.get(widget_key("label", theme), "")
    if state.succeeded(rename_theme, theme.theme, label, run_id=theme.run_id):
        state.flash("success", f"Theme {theme.theme} is now “{label}”")


def _to_code(theme: Theme, members: list[ThemeMember]) -> None:
    coder = state.coder()
    if not coder:
        state.flash("error", "Choose your coder name in the sidebar first.")
        return
    code_id = st.session_state.get(widget_key("code_id", theme), "")
    members_too = bool(st.session_state.get(widget_key("code_members", theme)))
    if state.act(theme_to_code, theme.theme, code_id, coder, code_members=members_too, run_id=theme.run_id,
                 chosen=chosen_members(theme, members)) is not None:
        state.flash("success", f"New code {code_id} from theme “{theme.display_label}”")


def _merge(theme: Theme, members: list[ThemeMember]) -> None:
    coder, code = state.coder(), st.session_state.get(widget_key("merge_target", theme))
    if not coder or not code:
        state.flash("error", "Choose your coder name and the code to merge into first.")
        return
    chosen = chosen_members(theme, members)
    if not chosen:
        state.flash("error", "Tick at least one excerpt to code.")
        return
    result = state.act(merge_theme_into_code, theme.theme, code, coder, run_id=theme.run_id, chosen=chosen)
    if result is not None:
        state.flash("success", f"Coded {result.coded} excerpts of theme {theme.theme} with {code}"
                    + (f"; {result.already} already had it" if result.already else ""))
        if result.rejected:
            state.flash("info", f"Left out {len(result.rejected)} excerpts where you had rejected {code}: "
                        f"{', '.join(result.rejected)}")


def show_unthemed(unthemed: list[ThemeMember], labels: dict[int, str], run_id: int) -> None:
    st.subheader(f"Unthemed ({len(unthemed)})")
    if not unthemed:
        st.caption("Every excerpt belongs to a theme.")
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.slider("Assign to the nearest theme when at least this similar", 0.0, 1.0, 0.5, 0.05,
                  key="themes_sweep_min")
        st.button("Sweep", key="themes_sweep", on_click=_sweep, args=(run_id,))
    for member in unthemed[:5]:
        show_html(_unthemed_line(member, labels))
    if len(unthemed) > 5:
        with st.expander(f"All {len(unthemed)} unthemed excerpts"):
            for member in unthemed[5:]:
                show_html(_unthemed_line(member, labels))


def _unthemed_line(member: ThemeMember, labels: dict[int, str]) -> str:
    nearest = labels.get(member.nearest_theme or 0, "?")
    return (f'<div style="font-size:.9em">{text_html(member.text or "")} <span style="color:#6b7280">'
            f"({member.document}, turn {member.turn}) → nearest theme {text_html(nearest)}, similarity "
            f"{member.similarity or 0:.2f}</span></div>")


def _sweep(run_id: int) -> None:
    moved = state.act(sweep_unthemed, float(st.session_state.get("themes_sweep_min", 0.5)), run_id=run_id)
    if moved is not None:
        state.flash("success", f"{moved} unthemed excerpts joined their nearest theme")
