import json
import re

import numpy as np

from typer.testing import CliRunner

from coding.cli.main import app
from coding.codings.import_codings import import_codings
from coding.embedding.fake import HashEmbedder
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import embeddings as embedding_store
from coding.theme_review.actions import listing_as_json, merge_theme_into_code, sweep_unthemed, theme_listing, theme_to_code
from coding.themes.evidence import explain_theme
from coding.themes.settings import ThemeSettings
from pipelines.themes import run_themes
from tests.conftest import SAMPLE_TRANSCRIPTS

PCA = ThemeSettings(unit="excerpts", reducer="pca", n_components=10, min_cluster_size=5, seed=7)


def _signature(listing):
    return [(t.theme, t.size, t.label, tuple(sorted(m.excerpt_id for m in listing.members.get(t.theme, []))))
            for t in listing.themes]


def test_the_same_corpus_and_settings_give_the_same_themes(sample_store):
    embedder = HashEmbedder()
    first = run_themes(sample_store, embedder, PCA)
    second = run_themes(sample_store, embedder, PCA)
    assert first != second
    assert _signature(theme_listing(sample_store, first)) == _signature(theme_listing(sample_store, second))


def test_a_rerun_on_an_unchanged_corpus_embeds_nothing_new(sample_store):
    embedder = HashEmbedder()
    run_themes(sample_store, embedder, PCA)
    cached = embedding_store.models_cached(sample_store)[embedder.model_id]
    calls = []
    original = embedder.encode
    embedder.encode = lambda texts, **kw: calls.append(len(texts)) or original(texts, **kw)
    run_themes(sample_store, embedder, PCA)
    assert calls == [] and embedding_store.models_cached(sample_store)[embedder.model_id] == cached


def test_every_excerpt_is_in_a_theme_or_in_the_unthemed_queue_with_a_nearest_theme(sample_store):
    run_id = run_themes(sample_store, HashEmbedder(), PCA)
    listing = theme_listing(sample_store, run_id)
    members = [m for ms in listing.members.values() for m in ms]
    excerpts = sample_store.conn.execute("SELECT count(*) FROM excerpts").fetchone()[0]
    assert len(members) == excerpts
    themed_ids = {t.theme for t in listing.themes}
    for outlier in listing.members.get(-1, []):
        assert outlier.nearest_theme in themed_ids and outlier.similarity is not None


def test_the_manifest_records_model_parameters_seed_and_code_version(sample_store):
    run_id = run_themes(sample_store, HashEmbedder(), PCA)
    manifest = theme_listing(sample_store, run_id).run.manifest
    assert manifest["model"] == "fake-hash-64"
    assert manifest["settings"]["seed"] == 7 and manifest["settings"]["reducer"] == "pca"
    assert manifest["qcode_version"] and manifest["excerpts"] > 0 and manifest["codebook_version"] == 1


def test_each_theme_is_reconciled_against_the_codebook(sample_store):
    run_id = run_themes(sample_store, HashEmbedder(), PCA)
    leaves = {c.id for c in codebook_store.current_codebook(sample_store)[1].leaves()}
    for theme in theme_listing(sample_store, run_id).themes:
        assert theme.status in {"matched", "straddles", "new"}
        assert {c.code for c in theme.codes} == leaves
        assert [c.score for c in theme.codes] == sorted((c.score for c in theme.codes), reverse=True)


def test_a_theme_becomes_a_code_carrying_its_label_and_quotes(sample_store):
    run_themes(sample_store, HashEmbedder(), PCA)
    theme = theme_listing(sample_store).themes[0]
    version = theme_to_code(sample_store, theme.theme, "NEW_THEME", "ana")
    code = codebook_store.current_codebook(sample_store)[1].code("NEW_THEME")
    assert version == 2 and code.name == theme.label and 1 <= len(code.examples) <= 3


def test_merging_a_theme_into_a_code_codes_its_excerpts_as_one_undoable_batch(sample_store):
    run_themes(sample_store, HashEmbedder(), PCA)
    theme = theme_listing(sample_store).themes[-1]
    count = merge_theme_into_code(sample_store, theme.theme, "COST", "ana").coded
    assert count == theme.size
    assert len([c for c in coding_store.current_codings(sample_store, coder="ana") if c.code == "COST"]) == count
    coding_store.undo_last(sample_store, "ana")
    assert coding_store.current_codings(sample_store, coder="ana") == []


def test_sweeping_moves_close_outliers_into_their_nearest_theme(sample_store):
    run_themes(sample_store, HashEmbedder(), PCA)
    before = theme_listing(sample_store)
    outliers = before.members.get(-1, [])
    moved = sweep_unthemed(sample_store, min_similarity=-1.0)
    after = theme_listing(sample_store)
    assert moved == len(outliers) and after.members.get(-1, []) == []
    assert sum(t.size for t in after.themes) == sum(t.size for t in before.themes) + moved


def test_an_unthemed_excerpt_swept_into_a_theme_it_was_a_mention_of_is_no_longer_a_mention(sample_store):
    from coding.models import Theme, ThemeMember, ThemeMention, ThemeRun
    from coding.store import documents as doc_store
    from coding.store.themes import save_theme_run

    first, second, loose, far = doc_store.get_excerpts(sample_store)[:4]
    themes = [Theme(theme=t, label=f"theme {t}", keywords=[], size=1, documents=1, speakers=1, status="new")
              for t in (1, 2)]
    members = [ThemeMember(excerpt_id=first.id, theme=1), ThemeMember(excerpt_id=second.id, theme=2),
               ThemeMember(excerpt_id=loose.id, theme=-1, nearest_theme=1, similarity=0.9),
               ThemeMember(excerpt_id=far.id, theme=-1, nearest_theme=2, similarity=0.1)]
    mentions = [ThemeMention(excerpt_id=loose.id, theme=1, score=0.5),  # swept into theme 1: now a member
                ThemeMention(excerpt_id=second.id, theme=1, score=0.4),  # a member of theme 2: stays a mention
                ThemeMention(excerpt_id=far.id, theme=1, score=0.3)]  # stays unthemed: stays a mention
    save_theme_run(sample_store, ThemeRun(model_id="fake", manifest={}), themes,
                   {t.theme: np.zeros(4, dtype=np.float32) for t in themes}, members, mentions=mentions)
    assert sweep_unthemed(sample_store, min_similarity=0.5) == 1
    after = theme_listing(sample_store)
    assert sorted(m.excerpt_id for m in after.members[1]) == sorted([first.id, loose.id])
    assert [m.excerpt_id for m in after.mentions[1]] == [second.id, far.id]


def test_themes_json_follows_the_cli_contract(sample_store):
    path = sample_store.path
    sample_store.close()
    result = CliRunner().invoke(app, ["themes", "--json", "--model", "fake", "--reducer", "pca", "--min-size", "5",
                                      "--unit", "excerpts", "--db", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("["):])
    assert data[-1]["status"] == "unthemed"
    for theme in data:
        assert {"theme", "label", "keywords", "size", "documents", "status", "codes", "members"} <= set(theme)
        for member in theme["members"]:
            assert {"document", "turn", "excerpt"} <= set(member)


TURNS = ThemeSettings(unit="turns", reducer="pca", n_components=5, min_cluster_size=2, min_samples=1, seed=7)


def test_turn_themes_keep_every_excerpt_of_a_turn_together_under_a_top_level_group(sample_store):
    from coding.theme_review.actions import theme_groups

    run_id = run_themes(sample_store, HashEmbedder(), TURNS)
    listing = theme_listing(sample_store, run_id)
    assert listing.themes, "the sample should give at least one turn theme"
    theme_of_turn: dict = {}
    for theme, members in listing.members.items():
        for m in members:
            assert theme_of_turn.setdefault((m.document, m.turn), theme) == theme
    groups = theme_groups(sample_store, run_id)
    assert sorted(t for g in groups for t in g.themes) == [t.theme for t in listing.themes]
    assert {t.parent for t in listing.themes} == {g.theme_group for g in groups}
    assert listing.run.manifest["unit"] == "turns" and listing.run.manifest["units"] == len(theme_of_turn)
    for theme in listing.themes:
        assert theme.explanation["status"] == theme.status and theme.explanation["reason"]
        assert theme.explanation["members"] == theme.explanation["units"]
        # Every theme's reason names the unit (a member index once leaked into all but the first theme's reason).
        assert re.search(rf"\b{theme.explanation['members']} turns\b", theme.explanation["reason"]), theme.theme


def test_the_status_follows_the_coders_codes_on_the_members(sample_store):
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    run_id = run_themes(sample_store, HashEmbedder(), TURNS, coders=["ana"])
    listing = theme_listing(sample_store, run_id)
    assert listing.run.manifest["evidence_coders"] == ["ana"] and listing.run.manifest["evidence_codings"] > 0
    for theme in listing.themes:
        # The status depends only on each code's count among the members and on the centre's code (the reason also
        # on how members overlap, which the stored counts do not keep).
        shares, members = theme.explanation["shares"], theme.explanation["members"]
        codes = [s["code"] for s in shares]
        decided = np.zeros((members, len(codes)), dtype=bool)
        for j, share in enumerate(shares):
            decided[: share["members"], j] = True
        expected = explain_theme(decided, codes, theme.explanation["centre_code"])
        assert theme.status == expected.status


def test_evaluate_themes_hides_a_code_and_reports_whether_it_surfaces_as_new(sample_store):
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    path = sample_store.path
    sample_store.close()
    result = CliRunner().invoke(app, ["evaluate", "--coder", "ana", "--themes", "--hide", "VENDORS", "--json",
                                      "--model", "fake", "--db", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    vendors = next(c for c in report["codes"] if c["code"] == "VENDORS")
    assert vendors["hidden"] is True and vendors["found_as_new"] in (True, False)
    assert vendors["turns"] == 5 and 0 <= vendors["coverage"] <= 1
    assert all(not c["hidden"] for c in report["codes"] if c["code"] != "VENDORS")
    missing = CliRunner().invoke(app, ["evaluate", "--coder", "ana", "--themes", "--hide", "NOPE", "--model", "fake",
                                       "--db", str(path)])
    assert missing.exit_code == 1 and "no code NOPE in the codebook to hide" in missing.output


def test_the_wording_weight_reaches_the_run_manifest_from_the_cli(sample_store):
    path = sample_store.path
    sample_store.close()
    result = CliRunner().invoke(app, ["themes", "--model", "fake", "--reducer", "pca", "--wording-weight", "1",
                                      "--db", str(path)])
    assert result.exit_code == 0, result.output
    from coding.store import open_project

    with open_project(path) as store:
        assert theme_listing(store).run.manifest["settings"]["wording_weight"] == 1.0
    refused = CliRunner().invoke(app, ["themes", "--model", "fake", "--wording-weight", "9", "--db", str(path)])
    assert refused.exit_code == 2 and "wording-weight" in refused.output


def test_the_codebook_discount_reaches_the_manifest_and_leaves_hidden_codes_out(sample_store):
    leaves = len(codebook_store.current_codebook(sample_store)[1].leaves())
    path = sample_store.path
    sample_store.close()
    from coding.store import open_project

    def manifest(*options: str) -> dict:
        result = CliRunner().invoke(app, ["themes", "--model", "fake", "--reducer", "pca", *options, "--db", str(path)])
        assert result.exit_code == 0, result.output
        with open_project(path) as store:
            return theme_listing(store).run.manifest

    default = manifest()
    assert default["settings"]["codebook_discount"] == 0.5 and default["codebook_discounted_codes"] == leaves
    off = manifest("--codebook-discount", "0")
    assert off["settings"]["codebook_discount"] == 0.0 and off["codebook_discounted_codes"] == 0
    with open_project(path) as store:
        run_themes(store, HashEmbedder(), ThemeSettings(reducer="pca"), hide=["VENDORS"])
        hidden = theme_listing(store).run.manifest
    assert hidden["codebook_discounted_codes"] == leaves - 1  # a hidden code's own texts must not steer clustering
    refused = CliRunner().invoke(app, ["themes", "--model", "fake", "--codebook-discount", "2", "--db", str(path)])
    assert refused.exit_code == 2 and "codebook-discount" in refused.output


def test_each_theme_lists_where_it_also_comes_up_and_evaluation_counts_those_turns(sample_store):
    run_id = run_themes(sample_store, HashEmbedder(), TURNS)
    listing = theme_listing(sample_store, run_id)
    assert listing.run.manifest["mentions"] > 0 and listing.run.manifest["settings"]["mention_keywords"] == 5
    members = {t: {(m.document, m.turn) for m in listing.members.get(t, [])} for t in listing.members}
    mentioned = [t for t in listing.themes if listing.mentions.get(t.theme)]
    assert mentioned
    for theme in mentioned:
        found = listing.mentions[theme.theme]
        scores = [m.score for m in found]
        assert scores == sorted(scores, reverse=True)
        turns = {(m.document, m.turn) for m in found}
        assert not turns & members[theme.theme]  # a mention is outside the theme, and stays where it is
        assert all(m.text for m in found)
        assert listing.turns_of(theme.theme) == members[theme.theme] | turns
    as_json = {t["theme"]: t for t in listing_as_json(listing)}
    first = mentioned[0]
    assert [m["excerpt"] for m in as_json[first.theme]["mentions"]] == [m.excerpt_id for m in listing.mentions[first.theme]]
    quiet = theme_listing(sample_store, run_themes(sample_store, HashEmbedder(),
                                                   TURNS.model_copy(update={"mention_keywords": 0})))
    assert quiet.mentions == {} and quiet.run.manifest["mentions"] == 0


def test_qcode_themes_shows_how_many_other_turns_each_theme_comes_up_in(sample_store):
    path = sample_store.path
    sample_store.close()
    runner = CliRunner()
    shown = runner.invoke(app, ["themes", "--model", "fake", "--reducer", "pca", "--db", str(path)],
                          terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "also in" in shown.output and "comes up in passing" in shown.output
    off = runner.invoke(app, ["themes", "--model", "fake", "--reducer", "pca", "--mention-keywords", "0", "--json",
                              "--db", str(path)])
    assert off.exit_code == 0, off.output
    assert all(t.get("mentions", []) == [] for t in json.loads(off.output[off.output.index("["):]))
    refused = runner.invoke(app, ["themes", "--model", "fake", "--mention-keywords", "-1", "--db", str(path)])
    assert refused.exit_code == 2 and "mention-keywords" in refused.output


def test_evaluate_themes_counts_a_themes_mentions_among_its_turns(sample_store, monkeypatch):
    import pipelines.evaluate as evaluate

    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    seen = {}
    real = evaluate.evaluate_themes
    monkeypatch.setattr(evaluate, "evaluate_themes",
                        lambda theme_turns, *args, **kw: seen.update(theme_turns) or real(theme_turns, *args, **kw))
    run_id, _ = evaluate.evaluate_theme_discovery(sample_store, HashEmbedder(), "ana", settings=TURNS)
    listing = theme_listing(sample_store, run_id)
    coded = {c.document for c in coding_store.current_codings(sample_store, coder="ana")}
    assert any(listing.mentions.values())
    assert seen == {t.theme: listing.turns_of(t.theme, coded) for t in listing.themes}
    assert any(seen[t] - {(m.document, m.turn) for m in listing.members.get(t, [])} for t in seen)  # mentions count
