"""The Codebook page's edit form after `qcode codebook load` (another process) changed the codebook: its next run
shows the new saved values, not the widgets' old ones (a browser keeps a widget's value under its key)."""

from __future__ import annotations

import os
import subprocess
import sys

from coding.codebook import load_codebook_yaml
from coding.store.codebooks import current_codebook
from tests.app.conftest import read_project
from tests.app.project import REPO


def test_the_edit_form_shows_what_a_command_loaded(open_app, project, tmp_path):
    path, yaml_file = project
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    form = f"cb_definition_{at.session_state['cb_form']}"
    assert at.text_area(key=form).value == load_codebook_yaml(yaml_file).code("COST").definition
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml_file.read_text(encoding="utf-8").replace(
        load_codebook_yaml(yaml_file).code("COST").definition, "Loaded from the command line."), encoding="utf-8")
    load = subprocess.run([sys.executable, "-m", "coding.cli.main", "codebook", "load", str(changed), "--db",
                           str(path)], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO), "QCODE_LOCK_WAIT": "60"})
    assert load.returncode == 0, load.stderr
    at.run()
    assert not at.exception
    definition = at.text_area(key=f"cb_definition_{at.session_state['cb_form']}")
    assert definition.value == "Loaded from the command line."
    with read_project(path) as store:
        assert current_codebook(store)[1].code("COST").definition == "Loaded from the command line."
