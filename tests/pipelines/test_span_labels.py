"""The suggester learns from a coding across turns on every respondent turn it reaches, as agreement counts it."""

from __future__ import annotations

from coding.codings.spans import code_span
from coding.embedding.fake import HashEmbedder
from coding.models import SpeakerRole
from coding.store import documents as doc_store
from coding.suggest.labels import POSITIVE, UNKNOWN
from pipelines.suggest import coder_labels, gather_inputs


def test_a_span_across_turns_labels_each_respondent_turn_it_reaches(sample_store):
    turns = doc_store.get_turns(sample_store, "S03")
    answers = [t for t in turns if t.role == SpeakerRole.respondent]
    first, second = answers[2], next(t for t in answers[3:] if t.number > answers[2].number + 1)
    code_span(sample_store, "ana", "S03", first.end - 10, second.start + 10, "COST")
    inputs = gather_inputs(sample_store, HashEmbedder())
    labels, count = coder_labels(sample_store, inputs, ["COST"], ["ana"])
    rows = {key: labels[i, 0] for i, key in enumerate(inputs.unit_keys)}
    reached = {("S03", t.number) for t in answers if first.number <= t.number <= second.number}
    assert count == 1 and len(reached) >= 2
    assert {key for key, label in rows.items() if label == POSITIVE} == reached
    assert rows[("S03", answers[0].number)] == UNKNOWN  # turns it does not reach stay unlabelled
