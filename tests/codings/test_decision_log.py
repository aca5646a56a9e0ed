from hypothesis import given, settings
from hypothesis import strategies as st

from coding.decisions import replay
from coding.models import CodingSource, Decision, DecisionAction, Span
from coding.store import codings as coding_store
from coding.store import open_project

SPANS = [Span(document="T1", start=s, end=s + 10, turn=t, excerpt_id=f"T1:{t}:1") for s, t in ((0, 2), (20, 4))]
CODES = ["COST", "INTEGRITY"]


def _state(store):
    codings = {(c.coder, c.document, c.start, c.end, c.code) for c in coding_store.current_codings(store)}
    return codings, set(coding_store.current_rejections(store))


def _replayed(store):
    codings, rejections = replay(coding_store.all_decisions(store))
    return set(codings), {(r.coder, r.excerpt_id, r.code) for r in rejections.values()}


def test_code_then_uncode_leaves_no_coding(store):
    span = SPANS[0]
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.code, span=span, code="COST")])
    assert [c.code for c in coding_store.current_codings(store)] == ["COST"]
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.uncode, span=span, code="COST")])
    assert coding_store.current_codings(store) == []
    assert len(coding_store.all_decisions(store)) == 2  # the log keeps both


def test_reject_records_a_negative_and_removes_the_coders_coding(store):
    span = SPANS[0]
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.code, span=span, code="COST",
                                         source=CodingSource.accepted_suggestion)])
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.reject, span=span, code="COST")])
    assert coding_store.current_codings(store) == []
    assert coding_store.current_rejections(store) == [("ana", "T1:2:1", "COST")]


def test_undo_and_redo_survive_a_restart(project_path):
    store = open_project(project_path, create=True)
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.code, span=SPANS[0], code="COST")])
    coding_store.record(store, [Decision(coder="ana", action=DecisionAction.code, span=SPANS[1], code="INTEGRITY")])
    store.close()

    store = open_project(project_path)
    undone = coding_store.undo_last(store, "ana")
    assert [d.code for d in undone] == ["INTEGRITY"]
    store.close()

    store = open_project(project_path)
    assert [c.code for c in coding_store.current_codings(store)] == ["COST"]
    assert [d.code for d in coding_store.redo_last(store, "ana")] == ["INTEGRITY"]
    assert sorted(c.code for c in coding_store.current_codings(store)) == ["COST", "INTEGRITY"]
    store.close()


def test_undo_takes_back_a_whole_batch_and_only_that_coders_decisions(store):
    batch = coding_store.new_batch_id()
    coding_store.record(store, [Decision(coder="ben", action=DecisionAction.code, span=SPANS[0], code="COST")])
    coding_store.record(store, [
        Decision(coder="ana", action=DecisionAction.code, span=span, code="INTEGRITY", batch=batch)
        for span in SPANS
    ])
    assert len(coding_store.undo_last(store, "ana")) == 2
    assert [(c.coder, c.code) for c in coding_store.current_codings(store)] == [("ben", "COST")]


decision_strategy = st.builds(
    lambda coder, action, span, code, from_code: Decision(
        coder=coder, action=action, span=span, code=code,
        from_code=from_code if action == DecisionAction.recode else None),
    st.sampled_from(["ana", "ben"]),
    st.sampled_from([DecisionAction.code, DecisionAction.uncode, DecisionAction.reject, DecisionAction.recode]),
    st.sampled_from(SPANS),
    st.sampled_from(CODES),
    st.sampled_from(CODES),
)


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.one_of(decision_strategy, st.sampled_from(["undo", "redo"])), max_size=12))
def test_tables_always_equal_a_replay_of_the_log(tmp_path_factory, steps):
    store = open_project(tmp_path_factory.mktemp("log") / "p.duckdb", create=True)
    try:
        for step in steps:
            if step == "undo":
                coding_store.undo_last(store, "ana")
            elif step == "redo":
                coding_store.redo_last(store, "ana")
            else:
                coding_store.record(store, [step])
            assert _state(store) == _replayed(store)
        coding_store.rebuild(store)
        assert _state(store) == _replayed(store)
    finally:
        store.close()
