import json

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.errors import NotFound
from coding.codings.import_codings import import_codings
from coding.reliability import project_agreement
from coding.store import codebooks as codebook_store
from coding.units import coder_unit_codes

from .conftest import write_csv


def _import(store, tmp_path, coder, rows):
    path = write_csv(tmp_path, f"{coder}.csv", "document,turn,code\n" + "".join(f"T1,{t},{c}\n" for t, c in rows))
    import_codings(store, path, coder, codebook_store.current_codebook(store)[1])


def test_turn_units_are_respondent_turns_and_excerpt_units_follow_coverage(coded_project, tmp_path):
    _import(coded_project, tmp_path, "ana", [(2, "COST")])
    by_turn = coder_unit_codes(coded_project, ["ana"], "turn")["ana"]
    assert by_turn == {("T1", 2): {"COST"}}
    by_excerpt = coder_unit_codes(coded_project, ["ana"], "excerpt")["ana"]
    assert by_excerpt and all(key.startswith("T1:2:") for key in by_excerpt)


def test_identical_coders_agree_perfectly_and_disagreement_lowers_kappa(coded_project, tmp_path):
    _import(coded_project, tmp_path, "ana", [(2, "COST"), (4, "INTEGRITY")])
    _import(coded_project, tmp_path, "ben", [(2, "COST"), (4, "INTEGRITY")])
    _import(coded_project, tmp_path, "cy", [(2, "INTEGRITY"), (4, "COST")])
    same = project_agreement(coded_project, ["ana", "ben"], "turn", codes=["COST", "INTEGRITY"])
    assert same.codes["COST"].kappa == 1.0 and same.mean_kappa == 1.0
    crossed = project_agreement(coded_project, ["ana", "cy"], "turn", codes=["COST", "INTEGRITY"])
    # 2 respondent turns; ana COST on turn 2 only, cy COST on turn 4 only: po = 0, pe = 0.5, kappa = -1.
    assert crossed.codes["COST"].kappa == pytest.approx(-1.0)
    assert crossed.codes["COST"].f1 == 0.0


def test_unknown_coder_is_named_with_the_known_ones(coded_project, tmp_path):
    _import(coded_project, tmp_path, "ana", [(2, "COST")])
    with pytest.raises(NotFound, match="no codings by coder 'zed'.*ana"):
        project_agreement(coded_project, ["ana", "zed"])


def test_agreement_json_has_the_documented_shape(coded_project, tmp_path, project_path):
    _import(coded_project, tmp_path, "ana", [(2, "COST")])
    _import(coded_project, tmp_path, "ben", [(2, "COST")])
    coded_project.close()
    result = CliRunner().invoke(app, ["agreement", "--coders", "ana,ben", "--json", "--db", str(project_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unit"] == "turn"
    assert set(data["codes"]) == {"COST", "INTEGRITY", "PILOTS"}  # the codebook's leaves
    assert {"kappa", "alpha", "f1", "precision", "recall", "support"} <= set(data["codes"]["COST"])
    assert {"mean_kappa", "macro_f1", "micro_f1"} <= set(data)


def test_backup_is_a_complete_project_that_keeps_counting_decisions(coded_project, tmp_path):
    from coding.store import open_project
    from coding.store import codings as coding_store
    from coding.store.backup import backup_project

    _import(coded_project, tmp_path, "ana", [(2, "COST")])
    target = backup_project(coded_project, tmp_path / "copy.duckdb")
    copy = open_project(target)
    try:
        assert [c.code for c in coding_store.current_codings(copy)] == ["COST"]
        before = max(d.id for d in coding_store.all_decisions(copy))
        coding_store.undo_last(copy, "ana")
        assert max(d.id for d in coding_store.all_decisions(copy)) == before + 1
    finally:
        copy.close()
