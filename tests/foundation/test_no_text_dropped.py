"""Ingest never drops or misattributes text silently (issue 11, item 5): labels as real exports write them
(lowercase names, device names, full-width colons, e-mail addresses), breaks that never join words, and every piece
of a source that is in no turn reported with its line and size."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from typer.testing import CliRunner

from coding.cli.main import app
from coding.readers.labels import lowercase_speakers, split_label
from coding.store import ProjectStore
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths


def _cue(start: int, payload: str) -> str:
    return f"00:00:{start:02d}.000 --> 00:00:{start + 1:02d}.000\n{payload}\n\n"


def _vtt(*payloads: str) -> str:
    return "WEBVTT\n\n" + "".join(_cue(n, payload) for n, payload in enumerate(payloads, start=1))


def _turns(parsed) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in parsed.turns]


def _dropped(parsed) -> list[tuple[int | None, int, str]]:
    return [(d.line, d.characters, d.what) for d in parsed.dropped]


# --- labels as real exports write them ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "speaker", "rest"),
    [
        ("iPhone de Ana: Hola.", "iPhone de Ana", "Hola."),
        ("Galaxy S21 de Pedro: Sí.", "Galaxy S21 de Pedro", "Sí."),
        ("John's iPad: Yes.", "John's iPad", "Yes."),
        ("李娜：我们开始了。", "李娜", "我们开始了。"),
        ("李娜： 我们开始了。", "李娜", "我们开始了。"),
        ("李娜: 我们开始了。", "李娜", "我们开始了。"),
        ("インタビュアー：はい。", "インタビュアー", "はい。"),
        ("Ana Ruiz：Hola.", "Ana Ruiz", "Hola."),
        ("[00:01:02] 王伟：好的。", "王伟", "好的。"),
        ("jdoe@district.org: We started a pilot.", "jdoe@district.org", "We started a pilot."),
        ("ana.ruiz+zoom@example.edu：Yes.", "ana.ruiz+zoom@example.edu", "Yes."),
    ],
)
def test_device_names_full_width_colons_and_email_addresses_are_labels(line, speaker, rest) -> None:
    labelled = split_label(line)
    assert labelled is not None, line
    assert (labelled.label, labelled.rest) == (speaker, rest)


@pytest.mark.parametrize(
    "line",
    [
        "我们今天讨论了三件事：成本、隐私和培训。",  # a sentence before a full-width colon
        "At 10：30 the board met.",
        "ana ruiz: We started.",  # lowercase: a label only where the file uses it as one (below)
        "iphone users: they complained.",
        "email me at jdoe@district.org: thanks",
    ],
)
def test_sentences_and_lone_lowercase_phrases_are_not_labels_on_their_own(line) -> None:
    assert split_label(line) is None


def test_a_lowercase_label_starting_two_lines_is_a_speaker_and_a_sentence_phrase_is_not() -> None:
    lines = ["Interviewer: Hi.", "ana ruiz: Hello.", "Interviewer: And?", "ana ruiz: More.",
             "so here's the thing: no.", "so here's the thing: again.", "bottom line: money.", "ben: once."]
    speakers = lowercase_speakers(lines)
    assert speakers == {"ana ruiz"}
    assert split_label("ana ruiz: Hello.", speakers).label == "ana ruiz"
    assert split_label("so here's the thing: no.", speakers) is None
    assert split_label("bottom line: money.", speakers) is None


def test_a_lowercase_label_once_is_a_speaker_when_the_file_also_writes_it_capitalised() -> None:
    speakers = lowercase_speakers(["Ana Ruiz: Hello.", "Interviewer: Hi.", "ana ruiz: Once, in lowercase."])
    assert "ana ruiz" in speakers


def test_plain_text_with_lowercase_and_full_width_labels_gets_a_turn_per_speaker(read) -> None:
    parsed = read("x.txt", "interviewer: How did it start?\n\nana ruiz: Teachers asked.\n\n"
                           "interviewer: And then?\n\nana ruiz: We said yes.\n\n李娜：我们也同意。\n")
    speakers = [speaker for speaker, _ in _turns(parsed)]
    assert speakers == ["interviewer", "ana ruiz", "interviewer", "ana ruiz", "李娜"]
    assert parsed.dropped == []


def test_a_colon_sentence_inside_a_turn_still_continues_it(read) -> None:
    parsed = read("x.txt", "Interviewer: What mattered?\nDr. Lee: Several things.\nNote: we met at ten.\n"
                           "the bottom line: cost.\n")
    assert _turns(parsed)[1] == ("Dr. Lee", "Several things. Note: we met at ten. the bottom line: cost.")


def test_markdown_bold_full_width_label_is_a_label(read) -> None:
    parsed = read("x.md", "**Interviewer:** Hello?\n\n**李娜：**你好。\n")
    assert _turns(parsed) == [("Interviewer", "Hello?"), ("李娜", "你好。")]


# --- captions -------------------------------------------------------------------------------------------------

def test_zoom_cues_with_lowercase_and_device_names_are_their_own_turns(read) -> None:
    parsed = read("x.vtt", _vtt("Interviewer: How did it start?", "ana ruiz: Teachers asked for it.",
                                "iPhone de Ana: Perdón, se cortó.", "Interviewer: Thanks."))
    assert _turns(parsed) == [("Interviewer", "How did it start?"), ("ana ruiz", "Teachers asked for it."),
                              ("iPhone de Ana", "Perdón, se cortó."), ("Interviewer", "Thanks.")]


def test_srt_cues_with_a_lowercase_speaker_are_their_own_turns(read) -> None:
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hi.\n\n"
           "2\n00:00:02,000 --> 00:00:03,000\nana ruiz: Hello.\n")
    assert _turns(read("x.srt", srt)) == [("Interviewer", "Hi."), ("ana ruiz", "Hello.")]


def test_unlabelled_cues_before_the_first_speaker_are_reported_with_line_and_size(read) -> None:
    parsed = read("x.vtt", _vtt("Welcome everyone", "to the recording.", "Interviewer: Hi.", "and thanks."))
    assert _turns(parsed) == [("Interviewer", "Hi. and thanks.")]
    assert _dropped(parsed) == [(3, len("Welcome everyone to the recording."),
                                 "captions before the first named speaker")]


def test_teams_e_mail_voice_and_several_voices_in_one_cue_keep_every_word(read) -> None:
    parsed = read("x.vtt", _vtt("<v jdoe@district.org>We started a pilot.</v>",
                                "<v Ana Ruiz>Really?</v><v jdoe@district.org>Yes, in the fall.</v>",
                                "<v Ana Ruiz>Good</v> to hear."))
    assert _turns(parsed) == [("jdoe@district.org", "We started a pilot."), ("Ana Ruiz", "Really?"),
                              ("jdoe@district.org", "Yes, in the fall."), ("Ana Ruiz", "Good to hear.")]
    assert parsed.dropped == []


def test_text_before_a_voice_tag_continues_the_previous_speaker(read) -> None:
    parsed = read("x.vtt", _vtt("<v Ana>We started.</v>", "in the fall <v Ben>Which fall?</v>"))
    assert _turns(parsed) == [("Ana", "We started. in the fall"), ("Ben", "Which fall?")]


# --- preamble and headings -------------------------------------------------------------------------------------

def test_a_second_paragraph_before_the_first_label_is_reported_not_silently_dropped(read) -> None:
    parsed = read("x.txt", "Study interview B1\nRecorded in March.\n\nThe respondent asked to be anonymous.\n\n"
                           "Interviewer: Hi.\n\nAna: Yes.\n")
    assert parsed.title == "Study interview B1"
    before_label = "text before the first speaker label"
    assert _dropped(parsed) == [(2, len("Recorded in March."), before_label),
                                (4, len("The respondent asked to be anonymous."), before_label)]


def test_markdown_reports_extra_title_headings_text_before_labels_and_headings_between_turns(read) -> None:
    parsed = read("x.md", "---\nsite: A\n---\n# Interview 3\n## Part one\nConsent given.\n\nI: Hi.\n\n"
                          "## Part two\n\nAna: Yes.\n")
    assert parsed.title == "Interview 3"
    assert _dropped(parsed) == [(5, len("Part one"), "a heading before the first speaker label"),
                                (6, len("Consent given."), "text before the first speaker label"),
                                (10, len("Part two"), "a heading between turns")]


def test_a_transcript_whose_every_line_is_in_a_turn_reports_nothing(read, two_respondents_txt) -> None:
    assert read("x.txt", two_respondents_txt).dropped == []  # its first line is the title, which is stored


# --- breaks never join words -------------------------------------------------------------------------------------

@pytest.mark.parametrize("separator", ["\v", "\f", "\u2028", "\u2029", "\x1e", "\x85"])
def test_vertical_tab_form_feed_and_unicode_separators_separate_words(read, separator) -> None:
    parsed = read("x.txt", f"Interviewer: Hi.\n\nAna: We started{separator}the pilot{separator}\n{separator}Ben: Ok.\n")
    assert _turns(parsed) == [("Interviewer", "Hi."), ("Ana", "We started the pilot"), ("Ben", "Ok.")]
    cue = read("x.vtt", _vtt(f"Ana: We started{separator}the pilot."))
    assert _turns(cue) == [("Ana", "We started the pilot.")]


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_page_and_column_breaks_inside_a_paragraph_do_not_join_words(read) -> None:
    def build(document):
        document.add_paragraph("Interviewer: Hi.")
        paragraph = document.add_paragraph("Ana: We started")
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        paragraph.add_run("the pilot")
        paragraph.add_run().add_break(WD_BREAK.COLUMN)
        paragraph.add_run("in the fall.")

    assert _turns(read("x.docx", _docx_bytes(build)))[1] == ("Ana", "We started the pilot in the fall.")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_word_tracked_insertions_fields_and_content_controls_are_read_and_deletions_are_not(read) -> None:
    def build(document):
        document.add_paragraph("Interviewer: Hi.")
        paragraph = document.add_paragraph("Ana: We started ")
        paragraph._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="x"><w:r><w:t xml:space="preserve">the pilot '
                                      "</w:t></w:r></w:ins>"))
        paragraph._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="x"><w:r><w:delText>never </w:delText>'
                                      "</w:r></w:del>"))
        paragraph._p.append(parse_xml(f'<w:sdt {W}><w:sdtContent><w:r><w:t xml:space="preserve">in </w:t></w:r>'
                                      "</w:sdtContent></w:sdt>"))
        paragraph._p.append(parse_xml(f'<w:fldSimple {W} w:instr="DATE"><w:r><w:t>March</w:t></w:r></w:fldSimple>'))

    assert _turns(read("x.docx", _docx_bytes(build)))[1] == ("Ana", "We started the pilot in March")


def test_word_tables_headings_between_turns_and_extra_preamble_are_reported(read) -> None:
    def build(document):
        document.add_heading("Interview D30", level=1)
        document.add_paragraph("Consent recorded on paper.")
        document.add_paragraph("Interviewer: Hi.")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Ana"
        table.cell(0, 1).text = "We started a pilot."
        document.add_heading("Part two", level=2)
        document.add_paragraph("Ana: Yes.")

    parsed = read("x.docx", _docx_bytes(build))
    assert parsed.title == "Interview D30"
    assert _turns(parsed) == [("Interviewer", "Hi."), ("Ana", "Yes.")]
    dropped = _dropped(parsed)
    assert dropped[0] == (2, len("Consent recorded on paper."), "text before the first speaker label")
    assert dropped[1][1:] == (len("AnaWe started a pilot."), "a table (qcode reads paragraphs, not tables)")
    assert dropped[2][1:] == (len("Part two"), "a heading between turns")
    assert parsed.dropped[1].hint and "Convert to Text" in parsed.dropped[1].hint


def test_word_paragraphs_with_lowercase_labels_used_twice_are_turns(read) -> None:
    def build(document):
        for line in ("Interviewer: Hi.", "ana ruiz: Hello.", "Interviewer: And?", "ana ruiz: More."):
            document.add_paragraph(line)

    assert [s for s, _ in _turns(read("x.docx", _docx_bytes(build)))] == ["Interviewer", "ana ruiz"] * 2


# --- surfaced by ingest and by the CLI ---------------------------------------------------------------------------

def test_ingest_returns_one_warning_per_place_with_file_line_and_size(store: ProjectStore, write) -> None:
    path = write("W1.txt", "Study W1\n\nThe respondent asked to be anonymous.\n\nInterviewer: Hi.\n\nAna: Yes.\n")
    [outcome] = ingest_paths(store, [path]).files
    assert outcome.status == "added"
    [warning] = outcome.warnings
    assert (warning.path, warning.line) == (str(path), 3)
    assert "37 characters" in warning.message and "text before the first speaker label" in warning.message
    assert "The respondent" not in doc_store.get_document(store, "W1").text


def test_qcode_ingest_prints_each_warning_on_one_line_and_exits_0(tmp_path: Path, write) -> None:
    runner = CliRunner()
    db = tmp_path / "p.duckdb"
    folder = tmp_path / "interviews"
    write("C1.vtt", _vtt("Welcome everyone.", "Interviewer: Hi.", "ana ruiz: Hello."), folder)
    write("C2.txt", "Interviewer: Hi.\n\n李娜：你好。\n", folder)
    assert runner.invoke(app, ["init", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [line for line in warnings if f"{folder / 'C1.vtt'}:3: 17 characters in no turn" in line]
    assert len(warnings) == 1
    assert "C1: added (2 turns" in result.output and "C2: added (2 turns" in result.output


def test_a_time_with_a_full_width_colon_is_not_a_label() -> None:
    assert split_label("10：30我们开会了。") is None
    assert split_label("会议在 10：30 开始。") is None


def test_a_number_that_is_a_whole_answer_is_kept_and_page_numbers_between_lines_are_not(read) -> None:
    parsed = read("x.txt", "Interviewer:\nHow many schools?\nDr. Lee:\n42\n\nInterviewer: And teachers?\n"
                           "Dr. Lee:\n1200\n")
    assert _turns(parsed) == [("Interviewer", "How many schools?"), ("Dr. Lee", "42"),
                              ("Interviewer", "And teachers?"), ("Dr. Lee", "1200")]
    wrapped = read("y.txt", "Interviewer: Hi.\nDr. Lee: We serve about\n2\nthirty schools.\nDr. Lee:\n3\nand more.\n")
    assert _turns(wrapped)[1:] == [("Dr. Lee", "We serve about thirty schools."), ("Dr. Lee", "and more.")]


def test_a_word_text_box_is_reported_once_not_read_twice(read) -> None:
    """Word keeps a text box twice (the drawing, and a VML copy in mc:Fallback for old readers): report it once."""
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'

    def box(words: str) -> str:
        return (f"<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{words}</w:t></w:r></w:p>"
                "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")

    def build(document):
        document.add_paragraph("Interviewer: Hi.")
        paragraph = document.add_paragraph("Ana: Yes.")
        paragraph._p.append(parse_xml(f"<mc:AlternateContent {W} {mc} {vml}><mc:Choice Requires=\"wps\">"
                                      f"{box('Side note in a box')}</mc:Choice><mc:Fallback>"
                                      f"{box('Side note in a box')}</mc:Fallback></mc:AlternateContent>"))

    parsed = read("x.docx", _docx_bytes(build))
    assert _turns(parsed)[1] == ("Ana", "Yes.")
    assert _dropped(parsed) == [(2, len("Side note in a box"), "a text box")]


def test_styling_tags_inside_a_word_do_not_split_it(read) -> None:
    parsed = read("x.srt", "1\n00:00:01,000 --> 00:00:02,000\nAna: We <i>re</i>wrote the <b>honor</b> code.\n")
    assert _turns(parsed) == [("Ana", "We rewrote the honor code.")]
