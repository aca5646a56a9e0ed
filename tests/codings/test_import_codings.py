from coding.codings.import_codings import import_codings
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store

from .conftest import write_csv


def _codebook(store):
    return codebook_store.current_codebook(store)[1]


def test_import_by_turn_codes_the_whole_turn(coded_project, tmp_path):
    path = write_csv(tmp_path, "by_turn.csv", "document,turn,code\nT1,2,COST\nT1,4,INTEGRITY\n")
    report, _ = import_codings(coded_project, path, "gold", _codebook(coded_project))
    assert (report.shape, report.imported, report.problems) == ("turn", 2, [])
    turns = {t.number: t for t in doc_store.get_turns(coded_project, "T1")}
    codings = coding_store.current_codings(coded_project, coder="gold")
    assert {(c.turn, c.code) for c in codings} == {(2, "COST"), (4, "INTEGRITY")}
    for c in codings:
        assert (c.start, c.end) == (turns[c.turn].start, turns[c.turn].end)
        assert c.source.value == "imported"


def test_import_by_quote_finds_quotes_across_line_breaks_page_markers_and_curly_quotes(coded_project, tmp_path):
    quote = 'We rewrote the honor code last spring.\n3/7\nHonestly the "plagiarism detectors" don\'t work'
    path = write_csv(tmp_path, "quotes.csv", f'document,code,segment\nT1,INTEGRITY,"{quote.replace(chr(34), 2 * chr(34))}"\n')
    report, _ = import_codings(coded_project, path, "maxqda", _codebook(coded_project))
    assert (report.shape, report.located, report.imported) == ("quote", 1, 1)
    coding = coding_store.current_codings(coded_project, coder="maxqda")[0]
    text = doc_store.get_document(coded_project, "T1").text
    assert text[coding.start:coding.end].startswith("We rewrote the honor code")
    assert text[coding.start:coding.end].endswith("don’t work")
    assert coding.turn == 4


def test_every_bad_row_is_reported_with_its_row_number(coded_project, tmp_path):
    path = write_csv(tmp_path, "bad.csv", "document,turn,code\nT1,2,COST\nT9,2,COST\nT1,2,NOPE\nT1,99,COST\nT1,x,COST\n")
    report, _ = import_codings(coded_project, path, "gold", _codebook(coded_project))
    assert report.imported == 1
    messages = [str(p) for p in report.problems]
    assert len(messages) == 4
    assert "row 3" in messages[0] and "unknown document 'T9'" in messages[0]
    assert "row 4" in messages[1] and "unknown code 'NOPE'" in messages[1]
    assert "row 5" in messages[2] and "turns 1..4, not 99" in messages[2]
    assert "row 6" in messages[3] and "not a number" in messages[3]


def test_quote_not_in_the_transcript_is_listed_not_dropped(coded_project, tmp_path):
    path = write_csv(tmp_path, "q.csv", "document,code,segment\nT1,COST,The budget is tight\nT1,COST,never said this\n")
    report, _ = import_codings(coded_project, path, "ana", _codebook(coded_project))
    assert (report.imported, report.located) == (1, 1)
    assert "quote not found" in str(report.problems[0]) and "row 3" in str(report.problems[0])


def test_create_codes_adds_missing_codes_to_the_codebook(coded_project, tmp_path):
    path = write_csv(tmp_path, "new.csv", "document,turn,code\nT1,2,VENDORS\n")
    report, codebook = import_codings(coded_project, path, "gold", _codebook(coded_project), create_codes=True)
    assert report.created_codes == ["VENDORS"] and "VENDORS" in codebook
    assert report.imported == 1


def test_an_import_is_undone_as_one_batch(coded_project, tmp_path):
    path = write_csv(tmp_path, "by_turn.csv", "document,turn,code\nT1,2,COST\nT1,4,INTEGRITY\n")
    import_codings(coded_project, path, "gold", _codebook(coded_project))
    assert len(coding_store.undo_last(coded_project, "gold")) == 2
    assert coding_store.current_codings(coded_project) == []
