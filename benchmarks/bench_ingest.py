"""Ingest benchmark: about one million words of synthetic interviews through qcode's ingest flow.

Run from the repository root:  python -m benchmarks.bench_ingest  [--files 200] [--words 5000] [--profile]

It writes 200 interviews of ~5,000 words as .txt files in a temporary folder (four layouts researchers receive:
`Name: text` with a title, label alone on its line with wrapped lines and page markers, `[hh:mm:ss] Name:`
timestamps, and `hh:mm:ss Name:` with CRLF line ends; some interviews have two respondents), then times
`pipelines.ingest.ingest_paths` into a fresh project end to end (reading, rendering, spaCy sentence splitting,
storing) and prints the figures with PASS/FAIL against the 60-second target.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_SECONDS = 60.0

VOCABULARY = (
    "we the district teachers students board policy pilot data privacy budget year school schools principal "
    "principals parents families community tools tool platform vendor contract training time planning lesson "
    "lessons writing feedback assessment guidance committee union superintendent classroom classrooms grade "
    "reading math science equity access devices Chromebooks network bandwidth rural urban honestly really "
    "actually probably maybe just still already never always sometimes often first last next early late "
    "started stopped tried asked wanted needed learned found saw heard said told thought worried hoped built "
    "wrote shared changed moved paid bought tested used use using make made take took give gave keep kept "
    "about around with without because although while since until after before during across into through "
    "a an and or but so if then than that this these those it its they them their our us you your he she his her "
    "is are was were be been being have has had do does did can could would should will might must not no yes "
    "more most less fewer many much some any every each other another new old big small good bad hard easy "
    "kids staff time money state federal law rules trust safety cheating detection integrity literacy future"
).split()
SPEAKERS = ["Dr. Alvarez", "SUPERINTENDENT HALE", "Marisol Arreola", "Mr. Kowalczyk", "Gloria Benavidez",
            "Priya Natarajan", "Dale Brandt", "Nadia Haddad"]
INTERVIEWERS = ["Interviewer", "Researcher", "Q", "Moderator", "Interviewer 1"]
LAYOUTS = ("colon", "label_alone", "bracket_timestamp", "bare_timestamp_crlf")


@dataclass
class Corpus:
    folder: Path
    files: int
    words: int


def _sentence(rng: random.Random) -> tuple[str, int]:
    # Spoken sentences: mostly 8-25 words, a long tail of run-ons, the odd one-word reply.
    length = max(1, min(60, int(rng.lognormvariate(2.7, 0.5))))
    words = [rng.choice(VOCABULARY) for _ in range(length)]
    if length > 6 and rng.random() < 0.5:
        words[rng.randrange(2, length - 1)] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?!"), length


def _utterance(rng: random.Random, sentences: int) -> tuple[str, int]:
    parts = [_sentence(rng) for _ in range(sentences)]
    return " ".join(p[0] for p in parts), sum(p[1] for p in parts)


def _interview(rng: random.Random, index: int, target_words: int) -> tuple[str, int, str]:
    layout = LAYOUTS[index % len(LAYOUTS)]
    interviewer = rng.choice(INTERVIEWERS)
    respondents = rng.sample(SPEAKERS, 2 if index % 3 == 0 else 1)
    turns: list[tuple[str, str]] = []
    words = 0
    while words < target_words:
        question, n = _utterance(rng, rng.randint(1, 3))
        turns.append((interviewer, question))
        words += n
        for speaker in rng.sample(respondents, rng.randint(1, len(respondents))):
            answer, n = _utterance(rng, rng.randint(2, 14))
            turns.append((speaker, answer))
            words += n
    return _render(rng, layout, index, turns), words, layout


def _render(rng: random.Random, layout: str, index: int, turns: list[tuple[str, str]]) -> str:
    lines = [f"Synthetic interview {index:03d}", ""]
    clock = 5
    page = 1
    for speaker, text in turns:
        clock += rng.randint(5, 120)
        stamp = f"{clock // 3600:02d}:{clock % 3600 // 60:02d}:{clock % 60:02d}"
        if layout == "colon":
            lines += [f"{speaker}: {text}", ""]
        elif layout == "label_alone":
            lines.append(f"{speaker}:")
            for line in textwrap.wrap(text, 78):
                lines.append(line)
                if rng.random() < 0.02:
                    page += 1
                    lines.append(f"{page}/40")
        elif layout == "bracket_timestamp":
            lines += [f"[{stamp}] {speaker}: {text}", ""]
        else:
            lines += [f"{stamp} {speaker}: {text}", ""]
    newline = "\r\n" if layout == "bare_timestamp_crlf" else "\n"
    return newline.join(lines) + newline


def synthesise(folder: Path, files: int, words_per_file: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(1, files + 1):
        text, words, _ = _interview(rng, index, words_per_file)
        (folder / f"B{index:03d}.txt").write_bytes(text.encode("utf-8"))
        total += words
    return Corpus(folder, files, total)


def run(files: int, words_per_file: int, profile: bool) -> bool:
    from coding.store import open_project
    from coding.store import documents as doc_store
    from pipelines.ingest import ingest_paths

    with tempfile.TemporaryDirectory(prefix="qcode-bench-ingest-") as tmp:
        corpus = synthesise(Path(tmp) / "transcripts", files, words_per_file)
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        store = open_project(Path(tmp) / "bench.duckdb", create=True)
        try:
            report = ingest_paths(store, [corpus.folder])
            counts = doc_store.counts(store)
        finally:
            store.close()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
    failed = [f for f in report.files if f.status == "failed"]
    passed = seconds <= TARGET_SECONDS and not failed and counts["documents"] == corpus.files
    print(f"files:        {corpus.files} ({counts['documents']} ingested, {len(failed)} failed)")
    print(f"words:        {corpus.words:,}")
    print(f"turns:        {counts['turns']:,}")
    print(f"excerpts:     {counts['excerpts']:,}")
    print(f"seconds:      {seconds:.1f}")
    print(f"words/second: {corpus.words / seconds:,.0f}")
    print(f"target:       {TARGET_SECONDS:.0f} s -> {'PASS' if passed else 'FAIL'}")
    for outcome in failed[:5]:
        print(f"  failed: {outcome.path.name}: {'; '.join(str(p) for p in outcome.problems)}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--words", type=int, default=5000, help="words per interview (approximate)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the timed part")
    args = parser.parse_args(argv)
    return 0 if run(args.files, args.words, args.profile) else 1


if __name__ == "__main__":
    sys.exit(main())
