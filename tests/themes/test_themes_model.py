"""Theme discovery with the real all-MiniLM-L6-v2 model: turn themes under a top level, explained statuses, and a
code hidden from the codebook surfacing as new through `qcode evaluate --themes --hide`."""

from __future__ import annotations

import itertools
import json

import pytest
from typer.testing import CliRunner

from coding.cli.main import app

TOPICS = {
    "PRIVACY": (["Our data officer", "The parents", "Our legal team", "The board", "Our IT director"],
                ["asks where the company stores student names and grades.",
                 "worries that the vendor keeps children's personal data.",
                 "reviews every privacy agreement before a tool touches student records.",
                 "wants to know who can see the information students type into the chatbot.",
                 "checks whether the app complies with student data protection law."]),
    "COST": (["The licence", "The subscription", "The new platform", "The tutoring tool", "The writing assistant"],
             ["costs twelve dollars a seat and our budget is flat next year.",
              "is free this year, but when the grant money runs out we cannot pay for it.",
              "would eat the whole technology budget of a small district.",
              "has a price that keeps going up every renewal.",
              "is too expensive to buy for every school, so we pay for a few classrooms."]),
    "INTEGRITY": (["One teacher", "A history teacher", "Our English department", "A principal", "The counsellor"],
                  ["found essays the students clearly did not write themselves.",
                   "caught a student turning in a chatbot answer as his own homework.",
                   "says cheating with AI on take-home tests is everywhere now.",
                   "no longer trusts the plagiarism checker to catch AI-written work.",
                   "moved writing back into class so kids cannot copy from the chatbot."]),
    "BUSES": (["Our bus routes", "The transportation office", "Bus drivers", "The morning bus schedule",
               "Our bus contractor"],
              ["are short of drivers, so children wait an hour at the stop.",
               "cancelled three routes because nobody applied for the driver jobs.",
               "makes kids late to school when a driver calls in sick.",
               "cannot cover the rural routes since the diesel mechanic retired.",
               "doubles up routes, so the buses arrive at school twenty minutes late."]),
}
CODEBOOK = """\
name: model test codebook
codes:
  - id: PRIVACY
    name: Student privacy and data protection
    definition: Protection of student data, vendor data practices, privacy agreements and compliance.
  - id: COST
    name: Cost and budget
    definition: Prices, subscriptions, budgets and whether the district can keep paying for AI tools.
  - id: INTEGRITY
    name: Cheating and academic integrity
    definition: Students using AI to cheat or plagiarize, and how teachers detect AI-written work.
  - id: BUSES
    name: School buses and transportation
    definition: Bus routes, bus drivers and getting students to school.
"""


def _write_study(folder):
    sentences = {code: [f"{s} {p}" for s, p in itertools.product(*parts)] for code, parts in TOPICS.items()}
    rows = ["document,turn,code"]
    for d in range(12):
        lines, turn = [], 0
        for k, code in enumerate(TOPICS):
            for j in range(2):
                first = sentences[code][(d * 2 + j) % 25]
                second = sentences[code][(d * 2 + j + 7 + k) % 25]
                lines += [f"Interviewer: Can you tell me more about that, part {j + 1}?", f"Leader: {first} {second}"]
                turn += 2
                rows.append(f"I{d:02d},{turn},{code}")
        (folder / f"I{d:02d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (folder / "codings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")


@pytest.mark.model
def test_a_hidden_code_surfaces_as_a_new_theme_with_the_real_model(tmp_path):
    study = tmp_path / "study"
    study.mkdir()
    _write_study(study)
    db = str(tmp_path / "project.duckdb")
    runner = CliRunner()
    for command in (["init"], ["ingest", str(study)], ["codebook", "load", str(study / "codebook.yaml")],
                    ["import-codings", str(study / "codings.csv"), "--coder", "ana"]):
        result = runner.invoke(app, [*command, "--db", db])
        assert result.exit_code == 0, result.output

    result = runner.invoke(app, ["evaluate", "--coder", "ana", "--themes", "--hide", "BUSES", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    by_code = {c["code"]: c for c in report["codes"]}
    assert by_code["BUSES"]["hidden"] and by_code["BUSES"]["found_as_new"], by_code["BUSES"]
    for known in ("PRIVACY", "COST", "INTEGRITY"):
        statuses = {t["status"] for t in by_code[known]["themes"]}
        assert statuses and "new" not in statuses, by_code[known]

    listing = runner.invoke(app, ["themes", "--reuse", "--json", "--db", db])
    themes = json.loads(listing.output[listing.output.index("["):])[:-1]
    assert themes and all(t["parent"] >= 1 and t["explanation"]["reason"] for t in themes)
    new = [t for t in themes if t["status"] == "new"]
    reasons = ("no code fits half", "centre is nearest", "carry no code at all")
    assert new and all(any(r in t["explanation"]["reason"] for r in reasons) for t in new)
    shown = runner.invoke(app, ["themes", "--reuse", "--db", db])
    assert "top-level themes" in shown.output and "[1]" in shown.output


VENDOR_TALK = (["The sales rep from the company", "The vendor's account manager", "A startup founder",
                "The company's regional salesperson", "A big ed-tech firm"],
               ["called us three times this month to pitch their AI product.",
                "pushed us to sign a three-year contract before the demo was over.",
                "promised features that their product still does not have.",
                "offered a free pilot if we agreed to be a reference district.",
                "sent a rep to our board meeting to sell the platform."])


@pytest.mark.model
def test_talk_entangled_with_known_codes_stands_apart_once_the_codebook_is_discounted(tmp_path):
    """Vendor talk never comes alone here: each vendor turn also talks about cost or privacy, as on real interviews.
    In the plain embedding those turns join the cost and privacy themes; with the default discount they hold
    themes of their own, flagged new."""
    from coding.store import open_project
    from coding.themes.settings import ThemeSettings
    from pipelines.embed import project_embedder
    from pipelines.evaluate import evaluate_theme_discovery

    known = {code: [f"{s} {p}" for s, p in itertools.product(*parts)]
             for code, parts in TOPICS.items() if code != "BUSES"}
    vendor = [f"{s} {p}" for s, p in itertools.product(*VENDOR_TALK)]
    study = tmp_path / "study"
    study.mkdir()
    rows = ["document,turn,code"]
    for d in range(12):
        lines, turn = [], 0
        for k, code in enumerate(known):
            for j in range(2):
                first, second = known[code][(d * 2 + j) % 25], known[code][(d * 2 + j + 7 + k) % 25]
                lines += [f"Interviewer: Can you tell me more about that, part {j + 1}?", f"Leader: {first} {second}"]
                turn += 2
                rows.append(f"I{d:02d},{turn},{code}")
        for j, partner in enumerate(("COST", "PRIVACY")):
            lines += ["Interviewer: And the companies selling these tools?",
                      f"Leader: {vendor[(d * 2 + j) % 25]} {known[partner][(d * 3 + j + 11) % 25]}"]
            turn += 2
            rows += [f"I{d:02d},{turn},VENDORS", f"I{d:02d},{turn},{partner}"]
        (study / f"I{d:02d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (study / "codings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (study / "codebook.yaml").write_text(CODEBOOK.split("  - id: BUSES")[0] + "  - id: VENDORS\n    name: Vendors\n"
                                         "    definition: Companies and sales reps selling AI products.\n",
                                         encoding="utf-8")
    db = str(tmp_path / "project.duckdb")
    for command in (["init"], ["ingest", str(study)], ["codebook", "load", str(study / "codebook.yaml")],
                    ["import-codings", str(study / "codings.csv"), "--coder", "ana"]):
        result = CliRunner().invoke(app, [*command, "--db", db])
        assert result.exit_code == 0, result.output

    def vendor_themes(settings: ThemeSettings) -> list[tuple[str, int, int]]:
        with open_project(db) as store:
            _, report = evaluate_theme_discovery(store, project_embedder(store, None), "ana", ["VENDORS"], settings)
        return [(a.status, a.with_code, a.turns) for c in report.codes if c.code == "VENDORS" for a in c.themes]

    plain = vendor_themes(ThemeSettings(codebook_discount=0, wording_weight=0))
    assert not [t for t in plain if t[0] == "new"], plain
    discounted = vendor_themes(ThemeSettings())
    assert [t for t in discounted if t[0] == "new" and t[1] == t[2]], discounted  # new, and every turn is vendor talk
