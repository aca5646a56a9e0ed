"""Text search: exact offsets, case and Unicode spellings, phrases, regex, filters, limits and a fresh index."""

from __future__ import annotations

import re

import pytest

from coding.errors import QcodeError
from coding.models import SpeakerRole
from coding.search import SearchFilters, parse_where
from coding.store import documents as doc_store
from pipelines.search import search_text


def _assert_exact(store, results):
    """Every hit is the stored text at its offsets, inside the turn it names, with that turn's speaker and role."""
    for hit in results.hits:
        document = doc_store.get_document(store, hit.document)
        assert document.text[hit.start:hit.end] == hit.text
        turn = next(t for t in doc_store.get_turns(store, hit.document) if t.number == hit.turn)
        assert turn.start <= hit.start < hit.end <= turn.end
        assert (turn.speaker, turn.role) == (hit.speaker, hit.role)
        assert document.text[:hit.start].endswith(hit.before)
        assert document.text[hit.end:].startswith(hit.after)


def test_words_are_found_in_every_case_with_exact_offsets(search_project):
    results = search_text(search_project, "budget")
    assert sorted(h.text for h in results.hits) == ["BUDGET", "Budget", "budget", "budget", "budget"]
    assert results.total == len(results.hits) == 5
    _assert_exact(search_project, results)
    assert {h.text for h in search_text(search_project, "budget", case_sensitive=True).hits} == {"budget"}
    assert [h.text for h in search_text(search_project, "B[a-z]+T", regex=True, case_sensitive=True).hits] == []
    assert [h.text for h in search_text(search_project, "B[a-z]+t", regex=True, case_sensitive=True).hits] == [
        "Budget"]


def test_accented_words_match_across_case(search_project):
    results = search_text(search_project, "andrés")
    assert sorted(h.text for h in results.hits) == ["ANDRÉS", "Andrés"]
    assert [h.text for h in search_text(search_project, "NAÏVE").hits] == ["naïve"]
    _assert_exact(search_project, results)


@pytest.mark.parametrize("typed", ["don't", "don’t"])
def test_straight_and_curly_apostrophes_find_each_other(search_project, typed):
    results = search_text(search_project, typed)
    assert sorted(h.text for h in results.hits) == ["don't", "don’t"]
    _assert_exact(search_project, results)


def test_straight_double_quotes_find_curly_ones(search_project):
    results = search_text(search_project, '"AI detectors"')
    assert [h.text for h in results.hits] == ["“AI detectors”"]
    _assert_exact(search_project, results)


@pytest.mark.parametrize("typed", ["the budget committee", "the   budget\tcommittee", " the budget\ncommittee "])
def test_a_phrase_matches_whatever_whitespace_is_typed(search_project, typed):
    """The file wraps this phrase onto a new line; the typed phrase's spacing does not matter either."""
    results = search_text(search_project, typed)
    assert [h.text for h in results.hits] == [search_project.conn.execute(
        "SELECT regexp_extract(text, 'the budget\\s+committee') FROM documents WHERE name = 'R1'").fetchone()[0]]
    _assert_exact(search_project, results)


def test_speaker_labels_and_titles_are_not_hits(search_project):
    assert search_text(search_project, "Rivera").total == 0
    assert search_text(search_project, "Interview").total == 0
    assert search_text(search_project, "Interviewer:").total == 0


def test_regex_hits_stay_in_one_turn(search_project):
    results = search_text(search_project, r"teach\w*", regex=True)
    assert sorted(h.text for h in results.hits) == ["Teachers", "teachers", "teachers"]
    _assert_exact(search_project, results)
    starts = search_text(search_project, r"^\w+", regex=True)  # `^` is the start of each turn's utterance
    assert {h.text for h in starts.hits} >= {"The", "Our", "Privacy", "How", "Tell"}
    assert len(starts.hits) == 8
    _assert_exact(search_project, starts)
    greedy = search_text(search_project, r"budget.*", regex=True)
    assert all("Interviewer" not in h.text and "\n\n" not in h.text for h in greedy.hits)
    _assert_exact(search_project, greedy)


def test_a_pattern_that_can_match_nothing_yields_only_real_text(search_project):
    results = search_text(search_project, "z*", regex=True)
    assert results.total == 0


@pytest.mark.parametrize("pattern, position", [("(", 0), ("budget[", 6), ("a{2,1}", 2)])
def test_a_bad_regex_says_what_and_where(search_project, pattern, position):
    with pytest.raises(QcodeError) as error:
        search_text(search_project, pattern, regex=True)
    message = str(error.value)
    assert f"'{pattern}' is not a valid regular expression" in message and f"at position {position}" in message
    assert "\n" not in message


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_refused(search_project, query):
    with pytest.raises(QcodeError, match="the search text is empty"):
        search_text(search_project, query)


def test_regex_characters_are_literal_without_regex(search_project):
    assert search_text(search_project, "board's").total == 1
    assert search_text(search_project, "budget.*").total == 0


def test_attribute_filter(search_project):
    rural = search_text(search_project, "budget", filters=SearchFilters(where=parse_where(["district_type=rural"])))
    assert {h.document for h in rural.hits} == {"R1"} and rural.total == 3
    assert all(h.attributes["district_type"] == "rural" for h in rural.hits)
    either = search_text(search_project, "budget",
                         filters=SearchFilters(where=parse_where(["district_type=RURAL", "district_type=urban"])))
    assert either.total == 5
    by_number = search_text(search_project, "budget", filters=SearchFilters(where=parse_where(["enrollment=61380"])))
    assert {h.document for h in by_number.hits} == {"U1"}


@pytest.mark.parametrize("where, message", [
    (["region=South"], "no document has the attribute 'region' (attributes are: district_type, enrollment)"),
    (["district_type=mars"], "no document has district_type=mars (values of district_type are: rural, urban)"),
])
def test_a_filter_no_document_passes_names_what_there_is(search_project, where, message):
    with pytest.raises(QcodeError) as error:
        search_text(search_project, "budget", filters=SearchFilters(where=parse_where(where)))
    assert message in str(error.value)


@pytest.mark.parametrize("condition", ["district_type", "=rural", ""])
def test_a_malformed_filter_is_refused(condition):
    with pytest.raises(QcodeError, match="is not attribute=value"):
        parse_where([condition])


@pytest.mark.parametrize("regex", [False, True])
def test_role_filter(search_project, regex):
    asked = search_text(search_project, "budget", regex=regex, filters=SearchFilters(role=SpeakerRole.interviewer))
    assert asked.total == 2 and all(h.role == SpeakerRole.interviewer for h in asked.hits)
    answered = search_text(search_project, "budget", regex=regex,
                           filters=SearchFilters(role=SpeakerRole.respondent))
    assert answered.total == 3 and all(h.role == SpeakerRole.respondent for h in answered.hits)


def test_limit_keeps_the_total(search_project):
    results = search_text(search_project, "budget", limit=2)
    assert results.total == 5 and len(results.hits) == 2
    assert [(h.document, h.start) for h in results.hits] == sorted((h.document, h.start) for h in results.hits)


def test_the_index_follows_a_new_document(search_project, tmp_path):
    assert search_text(search_project, "vendors").total == 0
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "N1.txt").write_text("Interview N1\n\nInterviewer: Vendors?\n\nMr. Li: Vendors call every week.\n",
                                   encoding="utf-8")
    from pipelines.ingest import ingest_paths

    ingest_paths(search_project, [folder])
    results = search_text(search_project, "vendors")
    assert results.total == 2 and {h.document for h in results.hits} == {"N1"}
    _assert_exact(search_project, results)


def test_hits_agree_with_a_plain_regex_over_each_turn(search_project):
    """The class check: for several queries, the hits are exactly re.finditer over every turn's text."""
    for query in ["the", "e", "privacy", "it"]:
        expected = []
        for name in doc_store.document_names(search_project):
            for turn in doc_store.get_turns(search_project, name):
                for match in re.finditer(re.escape(query), turn.text, re.IGNORECASE):
                    expected.append((name, turn.number, turn.start + match.start(), turn.start + match.end()))
        found = [(h.document, h.turn, h.start, h.end) for h in search_text(search_project, query).hits]
        assert found == expected, query


def _ingest(store, tmp_path, name: str, answer: str) -> None:
    from pipelines.ingest import ingest_paths

    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(f"Interview {name}\n\nInterviewer: And?\n\nMs. Kim: {answer}\n",
                                        encoding="utf-8")
    ingest_paths(store, [folder])


def test_offsets_stay_exact_where_lowercasing_would_lengthen_the_text(search_project, tmp_path):
    """"İ" lowercases to two characters; a document holding it must not shift the hits after it."""
    _ingest(search_project, tmp_path, "T1", "İstanbul İzmir: the BUDGET is fine, the budget is fine.")
    results = search_text(search_project, "budget", filters=SearchFilters(where={}))
    in_t1 = [h for h in results.hits if h.document == "T1"]
    assert [h.text for h in in_t1] == ["BUDGET", "budget"]
    _assert_exact(search_project, results)


@pytest.mark.parametrize("typed", ["οδος", "ΟΔΟΣ", "οδοσ"])
def test_greek_final_sigma_matches_either_form(search_project, tmp_path, typed):
    _ingest(search_project, tmp_path, "G1", "Η ΟΔΟΣ και η οδος.")
    results = search_text(search_project, typed)
    assert sorted(h.text for h in results.hits) == ["ΟΔΟΣ", "οδος"]
    _assert_exact(search_project, results)


@pytest.mark.parametrize("pattern", [
    r"teach\w*", r"[A-Z]\w+", r"\bBUDGET\b", r"[^a-z ]+", r"ANDRÉS|naïve", r"\É", r"(?i)budget", r"\x41ndr",
    r"don.t", r"\W+", r"^\w+", r"\w+\.$", r"(?P<Word>PRIVACY)", r"B\w+T", r"\S+ \S+", r"(?-i:The)",
])
def test_regex_hits_equal_a_case_insensitive_regex_over_each_turn(search_project, tmp_path, pattern):
    """However the search runs a regex (lowered text or as typed), the hits are those of re.IGNORECASE per turn."""
    _ingest(search_project, tmp_path, "T2", "İstanbul BUDGET, The Budget; ÉTÉ été.")
    expected = []
    compiled = re.compile(pattern, re.IGNORECASE)
    for name in doc_store.document_names(search_project):
        for turn in doc_store.get_turns(search_project, name):
            for match in compiled.finditer(turn.text):
                if match.end() > match.start():
                    expected.append((name, turn.number, turn.start + match.start(), turn.start + match.end()))
    results = search_text(search_project, pattern, regex=True)
    assert [(h.document, h.turn, h.start, h.end) for h in results.hits] == expected
    _assert_exact(search_project, results)
