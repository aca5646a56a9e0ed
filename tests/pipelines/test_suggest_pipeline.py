import json

from typer.testing import CliRunner

from coding import review
from coding.cli.main import app
from coding.embedding.fake import HashEmbedder
from coding.codings.import_codings import import_codings
from coding.store import codebooks as codebook_store
from coding.store import suggestions as suggestion_store
from pipelines.evaluate import evaluate_coder, evaluation_json
from pipelines.suggest import gather_inputs, run_suggestions

from tests.conftest import SAMPLE_TRANSCRIPTS


def test_every_excerpt_gets_a_calibrated_score_for_every_leaf_code(sample_store):
    run_id = run_suggestions(sample_store, HashEmbedder())
    rows = suggestion_store.suggestions_for(sample_store, run_id)
    leaves = {c.id for c in codebook_store.current_codebook(sample_store)[1].leaves()}
    excerpts = sample_store.conn.execute("SELECT count(*) FROM excerpts").fetchone()[0]
    assert len(rows) == excerpts * len(leaves)
    assert {r.code for r in rows} == leaves
    assert all(0.0 <= r.score <= 1.0 for r in rows)
    assert all(r.evidence for r in rows if r.suggested)


def test_a_run_records_the_model_codebook_version_and_rule(sample_store):
    run_suggestions(sample_store, HashEmbedder())
    run = suggestion_store.latest_suggestion_run(sample_store)
    assert (run.model_id, run.codebook_version) == ("fake-hash-64", 1)
    assert 0 < run.manifest["threshold"] < 1 and run.manifest["learned_codes"] == []


def test_codings_switch_on_the_learned_model_for_their_codes(sample_store):
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    run_suggestions(sample_store, HashEmbedder(), coders=["ana"])
    run = suggestion_store.latest_suggestion_run(sample_store)
    assert run.manifest["codings_used"] > 0 and run.manifest["learned_codes"]
    learned = [r for r in suggestion_store.suggestions_for(sample_store, run.id) if r.learned is not None]
    assert learned and {r.code for r in learned} <= set(run.manifest["learned_codes"])


def test_the_review_queue_puts_scores_nearest_the_threshold_first(sample_store):
    run_suggestions(sample_store, HashEmbedder())
    run = suggestion_store.latest_suggestion_run(sample_store)
    queue = review.review_queue(sample_store, "ana")
    rows = suggestion_store.suggestions_for(sample_store, run.id, queue[:1] + queue[-1:])
    closest = {r.excerpt_id: min(abs(s.score - run.manifest["threshold"]) for s in rows if s.excerpt_id == r.excerpt_id)
               for r in rows}
    assert closest[queue[0]] <= closest[queue[-1]]


def test_evaluate_reports_zero_shot_and_leave_one_document_out(sample_store):
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    data = evaluation_json(evaluate_coder(sample_store, HashEmbedder(), "ana"))
    assert data["unit"] == "turn"
    assert set(data["dialogue_weights"]) and all(0 <= w <= 0.5 for w in data["dialogue_weights"].values())
    for shape in (data, data["zero_shot"]):
        assert {"codes", "mean_kappa", "macro_f1", "micro_f1"} <= set(shape)
        assert {"kappa", "alpha", "f1", "precision", "recall", "support"} <= set(next(iter(shape["codes"].values())))


def test_suggest_json_lists_only_suggested_pairs(sample_store):
    path = sample_store.path
    sample_store.close()
    result = CliRunner().invoke(app, ["suggest", "--json", "--model", "fake", "--db", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["run"]["model_id"] == "fake-hash-64"
    assert data["suggestions"] and all(s["suggested"] for s in data["suggestions"])


def test_learning_and_scoring_report_counts_that_reach_their_totals(sample_store, monkeypatch):
    import importlib

    # coding.suggest exports a function named `decide`, so the module is reached by its full name
    monkeypatch.setattr(importlib.import_module("coding.suggest.decide"), "SCORE_BATCH", 50)  # several steps
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    events: list[tuple] = []
    run_suggestions(sample_store, HashEmbedder(), coders=["ana"],
                    progress=lambda done, total: events.append(("progress", done, total)),
                    stage=lambda name, count: events.append(("stage", name, count)))
    stages = [e[1] for e in events if e[0] == "stage"]
    assert stages == ["code prototypes", "zero-shot", "learn", "score", "evidence", "save"]

    def counts(stage: str) -> list[tuple[int, int]]:
        start = events.index(next(e for e in events if e[:2] == ("stage", stage)))
        after = events[start + 1:]
        end = next((i for i, e in enumerate(after) if e[0] == "stage"), len(after))
        return [(done, total) for _, done, total in after[:end]]

    learned_codes = suggestion_store.latest_suggestion_run(sample_store).manifest["learned_codes"]
    learn = counts("learn")
    assert learn and learn[-1] == (len(learned_codes), len(learned_codes)) and len(learned_codes) > 1
    assert next(e for e in events if e[:2] == ("stage", "learn"))[2] == len(learned_codes)
    excerpts = sample_store.conn.execute("SELECT count(*) FROM excerpts").fetchone()[0]
    score = counts("score")
    assert [done for done, _ in score] == [*range(50, excerpts, 50), excerpts]
    assert {total for _, total in score} == {excerpts}
    for steps in (learn, score):
        assert all(a[0] < b[0] for a, b in zip(steps, steps[1:]))  # always forward


def test_a_run_reads_each_turn_with_the_turns_around_it_and_records_how_much(sample_store):
    from coding.suggest import DecisionRule

    together = run_suggestions(sample_store, HashEmbedder())
    manifest = suggestion_store.latest_suggestion_run(sample_store).manifest
    assert manifest["rule"]["dialogue_weight"] == 0.4 and manifest["dialogue_weight_from"].startswith("prior")
    rows = suggestion_store.suggestions_for(sample_store, together)
    # without codings the score is the zero-shot probability, raised wherever the neighbouring turns carry the code
    assert all(r.score >= r.zero_shot - 1e-9 for r in rows) and any(r.score > r.zero_shot + 1e-6 for r in rows)
    alone = run_suggestions(sample_store, HashEmbedder(), rule=DecisionRule(dialogue_weight=0))
    assert suggestion_store.latest_suggestion_run(sample_store).manifest["rule"]["dialogue_weight"] == 0
    assert all(abs(r.score - r.zero_shot) < 1e-9 for r in suggestion_store.suggestions_for(sample_store, alone))


def test_the_dialogue_weight_is_a_checked_option_of_suggest_and_evaluate(sample_store):
    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    path = sample_store.path
    sample_store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["suggest", "--json", "--model", "fake", "--db", str(path), "--dialogue-weight", "0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output[result.output.index("{"):])["run"]["manifest"]["rule"]["dialogue_weight"] == 0
    result = runner.invoke(app, ["evaluate", "--coder", "ana", "--dialogue-weight", "0", "--model", "fake",
                                 "--db", str(path)])
    assert result.exit_code == 0 and "leave-one-document-out suggestions vs ana" in result.output, result.output
    assert "turns around each turn counted at weight 0 (per held-out document" in result.output
    for arguments, complaint in (
            (["suggest", "--dialogue-weight", "1.5"], "Invalid value for '--dialogue-weight'"),
            (["suggest", "--llm", "--dialogue-weight", "0.2"], "embedding suggester"),
            (["evaluate", "--coder", "ana", "--themes", "--dialogue-weight", "0.2"], "not to --themes")):
        result = runner.invoke(app, [*arguments, "--db", str(path)])
        assert result.exit_code == 2 and complaint in result.output, result.output


def test_once_a_coder_has_coded_the_weight_of_the_turns_around_is_chosen_on_their_turns(sample_store):
    from coding.suggest.dialogue import CANDIDATE_WEIGHTS

    import_codings(sample_store, SAMPLE_TRANSCRIPTS / "sample-codings.csv", "ana",
                   codebook_store.current_codebook(sample_store)[1])
    run_suggestions(sample_store, HashEmbedder(), coders=["ana"])
    manifest = suggestion_store.latest_suggestion_run(sample_store).manifest
    assert manifest["dialogue_weight_from"].startswith("chosen on the coder's ")
    assert manifest["rule"]["dialogue_weight"] in CANDIDATE_WEIGHTS
    evaluation = evaluate_coder(sample_store, HashEmbedder(), "ana")
    documents = {document for document, _ in gather_inputs(sample_store, HashEmbedder()).unit_keys}
    assert set(evaluation.dialogue_weights) == documents  # one weight per held-out document, from the others
    assert set(evaluation.dialogue_weights.values()) <= set(CANDIDATE_WEIGHTS)
