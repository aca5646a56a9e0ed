"""Themes: the latest run's themes, and what a researcher does with them, saved in the project."""

from __future__ import annotations

import pytest

from coding.store import codings as coding_store
from coding.store.codebooks import current_codebook
from coding.store.themes import members_of_run, themes_of_run
from tests.app.conftest import read_project
from tests.app.project import fake_theme_run


@pytest.fixture
def theme_run(project) -> int:
    with read_project(project[0]) as store:
        return fake_theme_run(store)


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def test_the_theme_list_shows_label_status_keywords_and_quotes(open_app, theme_run):
    at = open_app("themes")
    shown = _html(at)
    assert "time saved planning" in shown and "matches TIME_SAVINGS" in shown  # names the code it matches
    assert any("straddles codes" in c.value and "fits" in c.value for c in at.caption)  # the legend
    from coding.ui.theme_parts import LEGEND

    assert LEGEND in [c.value for c in at.caption]  # its own Markdown (bold status names), not escaped to **
    assert "(S04, turn " in shown and "nearest theme time saved planning" in shown  # unthemed with its address
    assert "straddles codes" in shown and "new: no code fits" in shown
    assert "keywords: union, contract" in shown
    assert "Celeste Abernathy" not in shown  # quotes are excerpts, not speaker labels
    assert "(S01, turn" in shown


def test_renaming_a_theme(open_app, project, theme_run):
    at = open_app("themes")
    at.text_input(key=f"theme_label_{theme_run}_3").input("Teacher union contracts").run()
    at.button(key=f"theme_rename_{theme_run}_3").click().run()
    with read_project(project[0]) as store:
        labels = {t.theme: t.display_label for t in themes_of_run(store, theme_run)}
    assert labels[3] == "Teacher union contracts"
    assert "Teacher union contracts" in _html(at)


def test_turning_a_theme_into_a_code_and_merging_another_into_a_code(open_app, project, theme_run):
    at = open_app("themes", coder="ana")
    at.text_input(key=f"theme_code_id_{theme_run}_3").input("UNIONS").run()
    at.button(key=f"theme_to_code_{theme_run}_3").click().run()
    at.selectbox(key=f"theme_merge_target_{theme_run}_2").select("EQUITY").run()
    at.button(key=f"theme_merge_{theme_run}_2").click().run()
    assert not at.exception and not at.error
    with read_project(project[0]) as store:
        codebook = current_codebook(store)[1]
        codings = coding_store.current_codings(store, coder="ana")
    assert codebook.code("UNIONS").name == "union negotiations"
    assert {c.code for c in codings} == {"EQUITY"}
    assert {c.document for c in codings} == {"S02"}


def test_sweeping_the_unthemed_queue(open_app, project, theme_run):
    at = open_app("themes")
    at.slider(key="themes_sweep_min").set_value(0.55).run()
    at.button(key="themes_sweep").click().run()
    with read_project(project[0]) as store:
        left = [m for m in members_of_run(store, theme_run) if m.theme == -1]
    assert len(left) == 2  # similarities 0.8 and 0.6 joined theme 1; 0.4 and 0.2 stay
    assert "Unthemed (2)" in [s.value for s in at.subheader]


def test_clustering_again_runs_in_the_background_then_shows_the_new_run_and_what_changed(open_app, project,
                                                                                       theme_run):
    from coding.ui import jobs

    at = open_app("themes")
    assert [b.label for b in at.button if b.key == "themes_settings_submit"] == ["Find themes"]
    assert not any(e.label == "Cluster again with other settings" for e in at.expander)
    at.selectbox(key="themes_settings_reducer").select("pca")
    at.number_input(key="themes_settings_min_cluster_size").set_value(5)
    at.button(key="themes_settings_submit").click().run()
    job = jobs.wait("themes", timeout=120)
    assert job is not None and job.finished and job.error is None, job and job.error
    at.run()
    with read_project(project[0]) as store:
        themes = themes_of_run(store, job.result)
    assert themes and all(t.status in ("matched", "straddles", "new") for t in themes)
    assert f"Run {job.result}" in at.caption[0].value
    assert any(f"Theme run {job.result} is ready" in t.proto.body for t in at.toast)
    assert any(f"What changed since run {theme_run}" in e.label for e in at.expander)
    again = open_app("themes")  # the same coder reloads: the news was told once
    assert not any("is ready" in t.proto.body for t in again.toast)
    other = open_app("themes", coder="ben")  # another researcher has not heard it yet
    assert any(f"Theme run {job.result} is ready" in t.proto.body for t in other.toast)


def test_merging_codes_only_the_ticked_members_and_never_overrides_a_rejection(open_app, project, theme_run):
    from coding.review import reject_suggestion
    from coding.theme_review.actions import theme_listing

    with read_project(project[0]) as store:
        members = [m.excerpt_id for m in theme_listing(store, theme_run).members[2]]
        reject_suggestion(store, "ana", members[0], "EQUITY")
    at = open_app("themes", coder="ana")
    labels = [c.label for c in at.checkbox if c.key and c.key.startswith(f"theme_member_{theme_run}_2_")]
    assert len(labels) == len(members) and all(label.startswith("S02, turn ") for label in labels)
    at.checkbox(key=f"theme_member_{theme_run}_2_{members[1]}").uncheck().run()
    at.selectbox(key=f"theme_merge_target_{theme_run}_2").select("EQUITY").run()
    at.button(key=f"theme_merge_{theme_run}_2").click().run()
    assert not at.exception and not at.error
    assert any(members[0] in i.value and "rejected EQUITY" in i.value for i in at.info)
    with read_project(project[0]) as store:
        codings = coding_store.current_codings(store, coder="ana")
        log = [d for d in coding_store.all_decisions(store) if d.coder == "ana" and d.action.value == "code"]
        assert ("ana", members[0], "EQUITY") in coding_store.current_rejections(store, "ana")
    assert sorted(c.excerpt_id for c in codings) == sorted(members[2:])
    assert {c.source.value for c in codings} == {"theme"}
    assert {d.note for d in log} == {f"run {theme_run} theme 2: merged into EQUITY"}
    assert len({d.batch for d in log}) == 1  # one undo takes the merge back


def test_each_theme_says_why_and_sits_under_its_top_level_theme_which_folds_away(open_app, project):
    from coding.embedding.fake import HashEmbedder
    from coding.themes.settings import ThemeSettings
    from pipelines.themes import run_themes

    with read_project(project[0]) as store:
        run_id = run_themes(store, HashEmbedder(), ThemeSettings(unit="turns", reducer="pca", n_components=5,
                                                                 min_cluster_size=2, min_samples=1, seed=7))
        themes = themes_of_run(store, run_id)
    assert themes
    shown = _html(open_app("themes"))
    for theme in themes:
        assert f"why: {theme.explanation['reason']}"[:60] in shown.replace("&#x27;", "'")
    with read_project(project[0]) as store:
        from coding.theme_review.actions import theme_groups

        groups = theme_groups(store, run_id)
    at = open_app("themes")
    headers = [h.value for h in at.subheader]
    assert headers[:len(groups)] == [f"{g.theme_group}. {g.label}" for g in groups]
    toggles = {t.key: t for t in at.toggle}
    assert set(toggles) == {f"theme_group_{run_id}_{g.theme_group}" for g in groups}
    # Folding a top-level theme hides exactly its sub-themes' cards.
    folded = groups[0]
    toggles[f"theme_group_{run_id}_{folded.theme_group}"].set_value(False).run()
    cards = {w.key for w in at.text_input if w.key.startswith("theme_label_")}
    assert cards == {f"theme_label_{run_id}_{t.theme}" for t in themes if t.parent != folded.theme_group}


def test_find_themes_is_a_plain_button_and_the_settings_wait_under_advanced_with_their_defaults(open_bare_app):
    from coding.themes.settings import ThemeSettings

    at = open_bare_app("themes")
    advanced = next(e for e in at.expander if e.label == "Advanced settings")
    inside = {w.key for kind in ("selectbox", "number_input", "text_input", "button") for w in advanced.get(kind)}
    assert "themes_settings_submit" not in inside  # the button is outside, above the expander
    assert {"themes_settings_reducer", "themes_settings_unit", "themes_settings_seed",
            "themes_settings_min_cluster_size"} <= inside
    assert at.selectbox(key="themes_settings_reducer").value == ThemeSettings().reducer
    assert at.number_input(key="themes_settings_seed").value == ThemeSettings().seed
    assert "(default: umap)" in at.selectbox(key="themes_settings_reducer").help
    assert "(default: automatic)" in at.number_input(key="themes_settings_min_cluster_size").help
    captions = [c.value for c in advanced.caption]
    assert captions[0].startswith("Embedding model: ") and "All at their defaults." in captions
    at.number_input(key="themes_settings_seed").set_value(7).run()
    advanced = next(e for e in at.expander if e.label == "Advanced settings")
    assert "Changed from the defaults: seed 7 (default 42)" in [c.value for c in advanced.caption]


def test_what_is_typed_or_unticked_on_a_theme_stays_with_its_run_and_a_stale_page_acts_on_the_run_it_shows(
        open_app, project, theme_run):
    """Theme ids restart at 1 in every run: a new run's theme 3 must not inherit the label typed for the old theme
    3, and a page still showing the old run renames the theme it shows, not the new run's theme with that id."""
    from coding.theme_review.actions import theme_listing

    at = open_app("themes", coder="ana")
    at.text_input(key=f"theme_label_{theme_run}_3").input("Typed, not saved").run()
    with read_project(project[0]) as store:
        old_members = [m.excerpt_id for m in theme_listing(store, theme_run).members[2]]
    at.checkbox(key=f"theme_member_{theme_run}_2_{old_members[0]}").uncheck().run()
    with read_project(project[0]) as store:
        newer = fake_theme_run(store)  # e.g. `qcode themes` run from a terminal meanwhile
        newer_label = {t.theme: t.display_label for t in themes_of_run(store, newer)}[3]
    # The page still shows the old run: its Rename renames that run's theme 3 only.
    at.button(key=f"theme_rename_{theme_run}_3").click().run()
    with read_project(project[0]) as store:
        assert {t.theme: t.display_label for t in themes_of_run(store, theme_run)}[3] == "Typed, not saved"
        assert {t.theme: t.display_label for t in themes_of_run(store, newer)}[3] == newer_label
    # Reloaded, the page shows the newer run with its own label and every box ticked.
    fresh = open_app("themes", coder="ana")
    assert fresh.text_input(key=f"theme_label_{newer}_3").value == newer_label
    ticked = [c.value for c in fresh.checkbox if c.key and c.key.startswith(f"theme_member_{newer}_2_")]
    assert ticked and all(ticked)
    # In the same session too: the old run's widgets are not the newer run's.
    at.run()
    assert at.text_input(key=f"theme_label_{newer}_3").value == newer_label
    assert all(c.value for c in at.checkbox if c.key and c.key.startswith(f"theme_member_{newer}_2_"))


def test_a_theme_shows_the_turns_it_also_comes_up_in_without_moving_them(open_app, project, theme_run):
    with read_project(project[0]) as store:
        from coding.store.themes import mentions_of_run

        mentions = mentions_of_run(store, theme_run, theme=3)
        before = {m.excerpt_id: m.theme for m in members_of_run(store, theme_run)}
    turns = {(m.document, m.turn) for m in mentions}
    at = open_app("themes")
    expander = [e for e in at.expander if e.label.startswith("Also comes up in")]
    assert [e.label for e in expander] == [f"Also comes up in {len(turns)} other turn{'s' if len(turns) > 1 else ''}"]
    shown = "\n".join(h.proto.body for h in expander[0].get("html"))
    for document, turn in turns:
        assert f"({document}, turn {turn})" in shown
    assert mentions[0].text[:40] in shown.replace("&#x27;", "'").replace("&quot;", '"')
    with read_project(project[0]) as store:  # reading them changes nothing
        assert {m.excerpt_id: m.theme for m in members_of_run(store, theme_run)} == before


def test_a_mention_shows_the_sentences_of_its_turn_that_use_the_themes_keywords():
    from coding.models import ThemeMention
    from coding.ui.theme_parts import mention_turns

    turn = [ThemeMention(excerpt_id=f"e{i}", theme=3, score=0.5, document="S05", turn=4, text=text)
            for i, text in enumerate(["We started the year with a new math curriculum.",
                                      "The board asked about it twice.",
                                      "And the union contract talks stalled again in March."])]
    other = ThemeMention(excerpt_id="e9", theme=3, score=0.2, document="S06", turn=2, text="Nothing in common here.")
    shown = mention_turns([*turn, other], ["union", "contract"])
    assert shown == [("S05", 4, "And the union contract talks stalled again in March."),
                     ("S06", 2, "Nothing in common here.")]  # no keyword: the whole turn
