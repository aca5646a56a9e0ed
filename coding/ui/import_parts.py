"""Pieces of the Import view: one form per kind of file (transcripts with metadata, a codings CSV, a codebook),
each calling the upload flow (`pipelines.upload`, the CLI's own functions) and saying what happened to each file.

An outcome is kept in the session under the upload's file ids: Streamlit may replay a click that arrived while a
run was busy, and importing the same upload twice must not record its codings twice. Uploading the file again (a
new file id) imports it again, as running the CLI again would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from coding.errors import Problem, QcodeError
from coding.project_codebook import loaded_summary
from coding.readers import supported_extensions
from coding.ui import state
from coding.ui.text import md
from pipelines.upload import (CODEBOOK_EXTENSIONS, CODINGS_EXTENSIONS, Upload, import_codings_upload,
                              ingest_uploads, load_codebook_upload)

TRANSCRIPT_TYPES = [e.lstrip(".") for e in supported_extensions()]
_OUTCOMES = "imp_outcomes"  # section -> Outcome shown under its form
_DONE = "imp_done"  # (section, file ids, options) -> Outcome: what a replayed click shows instead of importing again


@dataclass
class Outcome:
    """What one import did: lines of (kind, text), kind "success", "warning", "error" or "info"."""

    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        self.lines.append((kind, text))

    def problems(self, problems: list[Problem], prefix: str, kind: str = "error") -> None:
        """One line per problem, as the CLI prints it ("error: FILE:LINE: ...")."""
        for problem in problems:
            self.add(kind, f"{prefix}: {problem}")


def upload_limit_mb() -> int:
    return int(st.get_option("server.maxUploadSize"))


def _uploads(files) -> list[Upload]:
    return [Upload(f.name, f.getvalue()) for f in files]


def _run_once(section: str, files: list, options: tuple, work) -> None:
    """`work()` -> Outcome, unless this very upload with these options was imported already in this session."""
    key = (section, tuple(f.file_id for f in files), options)
    done = st.session_state.setdefault(_DONE, {})
    if key not in done:
        try:
            done[key] = state.query(work)
        except QcodeError as error:
            outcome = Outcome()
            outcome.problems(error.problems, "error")
            outcome.add("info", "Nothing was imported: the project is as it was.")
            done[key] = outcome
    st.session_state.setdefault(_OUTCOMES, {})[section] = done[key]


def show_outcome(section: str) -> None:
    outcome = st.session_state.get(_OUTCOMES, {}).get(section)
    if outcome is None:
        return
    with st.container(key=f"imp_outcome_{section}"):
        for kind, text in outcome.lines:
            {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(md(text))


def transcripts_form() -> None:
    st.file_uploader("Transcripts", type=TRANSCRIPT_TYPES, accept_multiple_files=True, key="imp_transcripts",
                     help="Each file is one interview; its name without the extension becomes the document id "
                          "(S01.txt is document S01). Uploading a changed file again stores a new version.")
    st.file_uploader("Metadata (optional)", type=["csv"], key="imp_metadata",
                     help="CSV with a 'document' column and one column per attribute (as 'qcode ingest --metadata').")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input("Interviewer labels (optional)", key="imp_interviewers", placeholder="e.g. Dr. Alvarez, Sam",
                      help="Speaker labels to treat as interviewer, besides the usual ones (Interviewer, "
                           "Researcher, Q, ...); comma-separated.")
        st.checkbox("Cut interviewer turns into excerpts too", key="imp_include_interviewer")
    st.button("Import transcripts", key="imp_ingest", type="primary", on_click=_ingest)
    show_outcome("transcripts")


def _ingest() -> None:
    files = list(st.session_state.get("imp_transcripts") or [])
    metadata = st.session_state.get("imp_metadata")
    if not files:
        state.flash("error", "Choose one or more transcript files first.")
        return
    interviewers = tuple(n.strip() for n in (st.session_state.get("imp_interviewers") or "").split(",") if n.strip())
    include = bool(st.session_state.get("imp_include_interviewer"))

    def work(store) -> Outcome:
        report = ingest_uploads(store, _uploads(files), _uploads([metadata])[0] if metadata else None,
                                interviewers, include)
        outcome = Outcome()
        for file in report.files:
            if file.status == "failed":
                outcome.add("error", f"{file.path}: not ingested, nothing of it was stored")
                outcome.problems(file.problems, "error")
                continue
            outcome.add("success", f"{file.path} → {file.summary()}")
            outcome.problems(file.warnings, "warning", "warning")
            if file.reanchored:
                outcome.add("info", f"{file.reanchored} codings kept on their text in the new version")
            outcome.problems(file.unplaced_problems(), "warning", "warning")
        outcome.problems(report.problems, "error")
        outcome.problems(report.metadata_problems, "error")
        outcome.problems(report.warnings, "warning", "warning")
        ok = sum(1 for f in report.files if f.status != "failed")
        outcome.add("info", f"{ok} of {len(report.files)} files ingested")
        return outcome

    files_and_metadata = files + ([metadata] if metadata else [])
    _run_once("transcripts", files_and_metadata, (interviewers, include), work)


def codings_form() -> None:
    st.file_uploader("Codings CSV", type=[e.lstrip(".") for e in CODINGS_EXTENSIONS], key="imp_codings",
                     help="'document,turn,code' (one row per turn and code) or 'document,code,segment' (coded "
                          "quotes), as 'qcode import-codings'. Every row is imported or reported with its number.")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input("Coder", value=state.coder() or "", key="imp_coder",
                      help="Whose codings these are (they can be undone as one batch by this coder).")
        st.checkbox("Create codes missing from the codebook", key="imp_create_codes",
                    help="Otherwise their rows are reported and not imported.")
    st.button("Import codings", key="imp_import_codings", type="primary", on_click=_import_codings)
    show_outcome("codings")


def _import_codings() -> None:
    upload = st.session_state.get("imp_codings")
    coder = (st.session_state.get("imp_coder") or "").strip()
    if upload is None or not coder:
        state.flash("error", "Choose a codings CSV and say whose codings they are first.")
        return
    create = bool(st.session_state.get("imp_create_codes"))

    def work(store) -> Outcome:
        report = import_codings_upload(store, _uploads([upload])[0], coder, create)
        outcome = Outcome()
        outcome.add("success" if report.imported else "error", f"{upload.name}: {report.summary(coder)}")
        outcome.problems(report.problems, "not imported")
        if report.rows and not report.imported:
            outcome.add("info", "Nothing was imported: the project is as it was.")
        return outcome

    _run_once("codings", [upload], (coder, create), work)


def codebook_form() -> None:
    st.file_uploader("Codebook", type=[e.lstrip(".") for e in CODEBOOK_EXTENSIONS], key="imp_codebook",
                     help="A codebook .yaml (as 'qcode codebook load') or a REFI-QDA .qdc. It becomes the next "
                          "codebook version; codings keep pointing at their code ids. Later edits in the app stay "
                          "in the project (export the codebook to get a file).")
    st.button("Load codebook", key="imp_load_codebook", type="primary", on_click=_load_codebook)
    show_outcome("codebook")


def _load_codebook() -> None:
    upload = st.session_state.get("imp_codebook")
    if upload is None:
        state.flash("error", "Choose a codebook file first.")
        return

    def work(store) -> Outcome:
        version, codebook = load_codebook_upload(store, _uploads([upload])[0], state.coder())
        return Outcome([("success", f"{upload.name}: {loaded_summary(version, codebook)}")])

    _run_once("codebook", [upload], (state.coder(),), work)
