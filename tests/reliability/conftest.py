"""Helpers for the reliability suite: small transcripts, subprocesses that can be killed mid-work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CODEBOOK = """name: Reliability codebook
version: 1
codes:
  - id: COST
    name: Cost
    definition: Money, budgets and licenses.
  - id: PILOTS
    name: Pilots
    definition: Pilots and trials.
  - id: INTEGRITY
    name: Integrity
    definition: Cheating and plagiarism.
"""


def interview(number: int, respondent_turns: int = 6) -> str:
    """A transcript with `respondent_turns` respondent turns of three sentences, each after an interviewer turn."""
    parts = [f"Interview R{number:03d}\n"]
    for turn in range(respondent_turns):
        parts.append(f"Interviewer: Question {turn} for interview {number}?\n")
        parts.append(f"Dr. Rivera: The pilot {turn} went well in school {number}. The budget held for now. "
                     f"Teachers asked about cheating in week {turn}.\n")
    return "\n".join(parts)


def write_interviews(folder: Path, count: int, respondent_turns: int = 6) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"R{number:03d}.txt"
        path.write_text(interview(number, respondent_turns), encoding="utf-8")
        paths.append(path)
    return paths


def python(snippet: str, *args: str | Path) -> subprocess.Popen:
    """Start a Python child running `snippet` with the repository importable; its stdout is a pipe of lines."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", snippet, *map(str, args)], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
