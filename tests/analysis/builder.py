"""A tiny study built with the real library: five transcripts, a two-level codebook and two coders' codings.

Known answers (coder ana; see tests/analysis/test_frequencies.py for the table):
- R1, R2, R3 are rural, U1 and U2 urban; U2 has no region.
- U2 turn 2 has four sentences, so two excerpts; every other respondent turn is one excerpt.
- ana: EQUITY on R1:2, R1:4, R2:2 (turns) and on excerpt U2:2:1; COST on R1:2 and U1:2 (an accepted
  suggestion); TIME on R3:4, on the whole of U2:2 and on the short quote "thin broadband" in R1:2.
- ben coded only R1 and R2: EQUITY on R1:2 and R1:4, COST on R2:2.
"""

from __future__ import annotations

from pathlib import Path

from coding.codebook import Code, Codebook
from coding.codings.locate import locate_quote
from coding.models import CodingSource, Decision, DecisionAction, Span
from coding.project_codebook import save_version
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths

TRANSCRIPTS = {
    "R1": """Interview R1

[00:00:05] Interviewer: Thanks for joining. What worries you about AI?

[00:00:12] Dr. Maria Alvarez: Our rural schools have thin broadband. Families cannot pay for devices.

[00:01:30] Interviewer: Anything else?

[00:01:40] Dr. Maria Alvarez: Some students still lack access at home.
""",
    "R2": """Interview R2

Interviewer: How are things going?

Sam Lee: Access is uneven across our villages. The budget is tight too.

Interviewer: And time?

Sam Lee: We have not measured any time savings yet.
""",
    "R3": """Interview R3

Interviewer: Tell me about your pilot.

Pat Quinn: We only started in the spring.

Interviewer: What did teachers notice?

Pat Quinn: Teachers say lesson planning goes faster now.
""",
    "U1": """Interview U1

Interviewer: What about costs?

Jordan Price: The licences cost more than we planned. The price keeps rising.

Interviewer: Thanks.

Jordan Price: You're welcome.
""",
    "U2": """Interview U2

Interviewer: What changed this year?

Chris Park: Some neighbourhoods still have no laptops. Like Maria Alvarez said, access matters. Grading is quicker with the new tools. Teachers get evenings back.

Interviewer: Thank you.

Chris Park: Glad to help.
""",
}

METADATA = """document,district_type,role,region,enrollment
R1,rural,Superintendent,Midwest,1200
R2,rural,Principal,Midwest,800
R3,rural,Superintendent,Midwest,650
U1,urban,Chief Technology Officer,West,90000
U2,urban,Superintendent,,120000
"""

CODEBOOK = Codebook(
    name="Tiny study",
    codes=(
        Code(id="CONCERNS", name="Concerns", definition="Parent of the risks."),
        Code(id="EQUITY", name="Equity and access", parent="CONCERNS", definition="Unequal access to AI.",
             include=("broadband, devices",), exclude=("prices (COST)",)),
        Code(id="COST", name="Cost", parent="CONCERNS", definition="Money."),
        Code(id="OPPS", name="Opportunities", definition="Parent of the benefits."),
        Code(id="TIME", name="Time savings", parent="OPPS", definition="Saving teachers time."),
    ),
)


def write_study(folder: Path) -> tuple[Path, Path]:
    transcripts = folder / "transcripts"
    transcripts.mkdir(parents=True, exist_ok=True)
    for name, text in TRANSCRIPTS.items():
        (transcripts / f"{name}.txt").write_text(text, encoding="utf-8")
    metadata = folder / "metadata.csv"
    metadata.write_text(METADATA, encoding="utf-8")
    return transcripts, metadata


def turn_span(store: ProjectStore, document: str, number: int) -> Span:
    turn = doc_store.get_turns(store, document)[number - 1]
    excerpts = [e for e in doc_store.get_excerpts(store, document) if e.turn == number]
    exact = excerpts[0].id if len(excerpts) == 1 else None
    return Span(document=document, start=turn.start, end=turn.end, turn=number, excerpt_id=exact)


def excerpt_span(store: ProjectStore, excerpt_id: str) -> Span:
    excerpt = doc_store.excerpts_by_id(store, [excerpt_id])[excerpt_id]
    return Span(document=excerpt.document, start=excerpt.start, end=excerpt.end, turn=excerpt.turn,
                excerpt_id=excerpt.id)


def quote_span(store: ProjectStore, document: str, quote: str) -> Span:
    text = doc_store.get_document(store, document).text
    start, end = locate_quote(text, quote)
    turn = next(t for t in doc_store.get_turns(store, document) if t.start <= start < t.end)
    return Span(document=document, start=start, end=end, turn=turn.number)


def code(coder: str, span: Span, code_id: str, source: CodingSource = CodingSource.human) -> Decision:
    return Decision(coder=coder, action=DecisionAction.code, span=span, code=code_id, source=source)


def build_study(store: ProjectStore, folder: Path) -> None:
    """Ingest the transcripts with their metadata, store the codebook and record both coders' codings."""
    transcripts, metadata = write_study(folder)
    report = ingest_paths(store, [transcripts], metadata=metadata)
    assert not report.all_problems, report.all_problems
    save_version(store, CODEBOOK)
    s = store
    coding_store.record(store, [
        code("ana", turn_span(s, "R1", 2), "EQUITY"),
        code("ana", turn_span(s, "R1", 2), "COST"),
        code("ana", turn_span(s, "R1", 4), "EQUITY"),
        code("ana", turn_span(s, "R2", 2), "EQUITY"),
        code("ana", excerpt_span(s, "U2:2:1"), "EQUITY"),
        code("ana", turn_span(s, "U1", 2), "COST", CodingSource.accepted_suggestion),
        code("ana", turn_span(s, "R3", 4), "TIME"),
        code("ana", turn_span(s, "U2", 2), "TIME"),
        code("ana", quote_span(s, "R1", "thin broadband"), "TIME"),
        code("ben", turn_span(s, "R1", 2), "EQUITY"),
        code("ben", turn_span(s, "R1", 4), "EQUITY"),
        code("ben", turn_span(s, "R2", 2), "COST"),
    ])


def build_template(folder: Path) -> Path:
    """Build the study once into folder/study.duckdb (closed, so it can be copied for each test)."""
    from coding.store import open_project

    path = folder / "study.duckdb"
    with open_project(path, create=True) as store:
        build_study(store, folder)
    return path


def open_copy(template: Path, target: Path) -> ProjectStore:
    """A private, writable copy of the built study."""
    import shutil

    from coding.store import open_project

    shutil.copyfile(template, target)
    return open_project(target)
