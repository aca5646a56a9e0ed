"""Theme quality on ../shared/corpus-dev: do themes line up with the gold codes, and do codes missing from the
codebook (VENDORS, STAFFING) surface as `new`?

Turn level, with the rule of `coding.themes.evaluation` (at most 4 `new` themes of 5+ turns, each mostly about the
code, covering half its turns with 60% precision; at most 40 themes listed). Two settings:
- codebook alone: no codings, every interview; nothing in theme discovery was chosen on corpus-dev's labels
  (the status rule is a majority of members, the top level a square-root count), so the whole corpus checks it;
- with a coder: the gold codes of one half of the interviews (codebook codes only) calibrate the evidence, and the
  rule is scored on the other half's turns only; repeated 2-fold by document with three seeds (the spread is
  printed).
The codebook-alone run is repeated with other UMAP seeds (--seeds, 4 by default), since one random layout can find
a code that the next one misses. Also purity and NMI of the turn -> theme assignment.
--choose-per-half also chooses the codebook discount and the wording weight (0, 0.5, 1 each), then the mentions
(none, or 5/10 keywords x member quantile 0.5/0.75/0.9) on each tuning half (hidden codes found on its documents,
5 UMAP seeds, codebook alone) and scores the choice on the check half: the defaults were set from these choices, so
this is the figure that says whether they carry. A theme's turns are its members' and its mentions'.
Run: python -m benchmarks.bench_themes [--reducer umap|pca] [--model fake] [--unit turns|excerpts] [--seeds N]
     [--wording-weight W] [--codebook-discount D] [--choose-per-half]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from benchmarks.document_splits import document_splits
from coding.codings.import_codings import import_codings
from coding.project_codebook import load_codebook_file, require_codebook
from coding.store import open_project
from coding.theme_review.actions import theme_groups, theme_listing
from coding.themes.evaluation import evaluate_themes
from coding.themes.settings import ThemeSettings
from pipelines.embed import project_embedder
from pipelines.themes import run_themes

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-dev"
OUTPUT = Path(__file__).resolve().parents[1] / "bench-output"
CACHE = OUTPUT / "corpus-dev.duckdb"
HIDDEN = {"VENDORS", "STAFFING"}  # in gold.csv, not in the codebook
MAX_LISTED = 40


def corpus_project():
    OUTPUT.mkdir(exist_ok=True)
    store = open_project(CACHE, create=True)
    from pipelines.ingest import ingest_paths

    ingest_paths(store, [CORPUS / "transcripts"], CORPUS / "metadata.csv")
    if store.conn.execute("SELECT count(*) FROM codebook_versions").fetchone()[0] == 0:
        load_codebook_file(store, CORPUS / "codebook.yaml")
    return store


def read_gold() -> dict[tuple[str, int], set[str]]:
    gold: dict[tuple[str, int], set[str]] = defaultdict(set)
    with open(CORPUS / "gold.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold[(row["document"], int(row["turn"]))].add(row["code"])
    return gold


def coder_for(store, documents: frozenset[str], gold, name: str) -> str:
    """Record the gold codes of `documents` (codebook codes only) as coder `name`, once."""
    from coding.store import codings as coding_store

    if name in coding_store.coders(store):
        return name
    path = OUTPUT / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "turn", "code"])
        for (document, turn), codes in sorted(gold.items()):
            if document in documents:
                writer.writerows([document, turn, code] for code in sorted(codes - HIDDEN))
    import_codings(store, path, name, require_codebook(store)[1])
    return name


def theme_turns_of(listing, documents: set[str] | None = None) -> dict[int, set[tuple[str, int]]]:
    """Each theme's turns: its members' and its mentions' (as `qcode evaluate --themes` counts them)."""
    return {t.theme: listing.turns_of(t.theme, documents) for t in listing.themes}


def hidden_report(listing, gold, documents: set[str] | None = None):
    """The run scored against the gold codes (of `documents` only, when given), with HIDDEN left out."""
    part = gold if documents is None else {turn: codes for turn, codes in gold.items() if turn[0] in documents}
    return evaluate_themes(theme_turns_of(listing, documents), {t.theme: t.status for t in listing.themes}, part,
                           HIDDEN)


def purity_and_nmi(listing, gold) -> tuple[float, float]:
    votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for theme, members in listing.members.items():
        for m in members:
            if theme != -1:
                votes[(m.document, m.turn)][theme] += 1
    turn_theme = {turn: counter.most_common(1)[0][0] for turn, counter in votes.items()}
    pairs = [(turn_theme[t], code) for t, codes in gold.items() if t in turn_theme for code in codes]
    by_theme: dict[int, Counter] = defaultdict(Counter)
    for turn, theme in turn_theme.items():
        for code in gold.get(turn, ()):
            by_theme[theme][code] += 1
    purity = sum(c.most_common(1)[0][1] for c in by_theme.values() if c) / max(1, len(turn_theme))
    return purity, normalized_mutual_info_score([p[0] for p in pairs], [p[1] for p in pairs])


def print_hidden(report, prefix: str) -> None:
    for code in report.codes:
        if code.hidden:
            about = ", ".join(f"{a.theme}:{a.status} {a.with_code}/{a.turns}" for a in code.themes) or "none"
            print(f"{prefix}{code.code:9s} {'FOUND' if code.found_as_new else 'not found'} as new "
                  f"(coverage {code.coverage:.0%}, precision {code.precision:.0%}; {code.turns} turns, "
                  f"{code.in_themes} in themes; themes mostly about it: {about})")


def seed_spread(store, embedder, settings: ThemeSettings, gold, extra: int) -> None:
    """The same run with other UMAP seeds: whether a hidden code is found must not hang on one random layout."""
    if extra <= 0:
        return
    seeds = [settings.seed, *range(extra)]
    print(f"\n  the same run with UMAP seeds {', '.join(map(str, seeds))} (found as new on the whole corpus):")
    found = Counter()
    for seed in seeds:
        run_id = run_themes(store, embedder, settings.model_copy(update={"seed": seed}), coders=[])
        listing = theme_listing(store, run_id)
        report = hidden_report(listing, gold)
        found.update(report.found())
        hidden = "; ".join(f"{c.code} {'FOUND' if c.found_as_new else 'not found'} ({c.coverage:.0%}/{c.precision:.0%})"
                           for c in report.codes if c.hidden)
        print(f"    seed {seed}: {len(listing.themes)} themes, {report.new_themes} new; {hidden}")
    print("    found over seeds: " + ", ".join(f"{code} {found[code]}/{len(seeds)}" for code in sorted(HIDDEN)))


CHOICES = (0.0, 0.5, 1.0)
CHOICE_SEEDS = (42, 0, 1, 2, 3)
MENTION_CHOICES = [(0, 0.75)] + [(k, q) for k in (5, 10) for q in (0.5, 0.75, 0.9)]


def found_in(listing, documents: set[str], gold) -> dict[str, bool]:
    """Whether each hidden code is found as new, counting only the turns of `documents`."""
    return {c.code: bool(c.found_as_new) for c in hidden_report(listing, gold, documents).codes if c.hidden}


def known_flagged_new(listing, gold) -> int:
    """Themes mostly about a code the codebook has that are flagged new (the cost of flagging more themes new)."""
    return sum(1 for c in hidden_report(listing, gold).codes if not c.hidden for a in c.themes if a.status == "new")


def choose_per_half(store, embedder, settings: ThemeSettings, gold, what: str, grid: list[tuple],
                    fields: tuple[str, str], plain: tuple) -> None:
    """Each cell of `grid` (values of the two `fields` of the settings) chosen on each tuning half (hidden codes
    found on its documents, 5 UMAP seeds, codebook alone) and scored on its check half; ties go to `plain`."""
    splits = document_splits([document for document, _ in gold])
    print(f"\nchosen per half: {what} over {grid}, UMAP seeds {', '.join(map(str, CHOICE_SEEDS))}, codebook alone")
    table = {}
    for cell in grid:
        flagged = 0
        for seed in CHOICE_SEEDS:
            run_id = run_themes(store, embedder, settings.model_copy(update={**dict(zip(fields, cell)), "seed": seed}),
                                coders=[])
            listing = theme_listing(store, run_id)
            flagged += known_flagged_new(listing, gold)
            for split in splits:
                table[(cell, seed, split.name)] = (found_in(listing, set(split.tuning), gold),
                                                   found_in(listing, set(split.check), gold))
        checks = [table[(cell, seed, split.name)][1] for seed in CHOICE_SEEDS for split in splits]
        print(f"  fixed {fields[0]} {cell[0]} {fields[1]} {cell[1]}: on the check halves "
              + ", ".join(f"{code} {sum(c[code] for c in checks)}/{len(checks)}" for code in sorted(HIDDEN))
              + f"; themes mostly about a codebook code flagged new: {flagged / len(CHOICE_SEEDS):.1f} per run")
    totals, chosen = Counter(), Counter()
    for split in splits:
        tuning = {cell: sum(sum(table[(cell, seed, split.name)][0].values()) for seed in CHOICE_SEEDS)
                  for cell in grid}
        best = max(grid, key=lambda cell: (tuning[cell], cell == plain))
        chosen[best] += 1
        checks = [table[(best, seed, split.name)][1] for seed in CHOICE_SEEDS]
        for code in HIDDEN:
            totals[code] += sum(c[code] for c in checks)
        print(f"  {split.name}: chose {best} ({tuning[best]} found on the tuning half) -> check half "
              + ", ".join(f"{code} {sum(c[code] for c in checks)}/{len(CHOICE_SEEDS)}" for code in sorted(HIDDEN)))
    runs = len(splits) * len(CHOICE_SEEDS)
    print("  chosen per half, check halves: " + ", ".join(f"{code} {totals[code]}/{runs}" for code in sorted(HIDDEN))
          + f"; {sum(totals.values()) / runs:.2f} of {len(HIDDEN)} found per (half, seed); choices: "
          + ", ".join(f"{cell} x{n}" for cell, n in chosen.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reducer", default="umap")
    parser.add_argument("--model", default=None)
    parser.add_argument("--unit", default="turns")
    parser.add_argument("--min-size", type=int, default=None)
    parser.add_argument("--wording-weight", type=float, default=ThemeSettings().wording_weight)
    parser.add_argument("--codebook-discount", type=float, default=ThemeSettings().codebook_discount)
    parser.add_argument("--seeds", type=int, default=4, help="extra UMAP seeds for the codebook-alone spread")
    parser.add_argument("--choose-per-half", action="store_true",
                        help="also choose discount and wording weight on each tuning half, scored on the check half")
    args = parser.parse_args()
    if not (CORPUS / "transcripts").is_dir():
        print("skipped: ../shared/corpus-dev is not present")
        return
    store = corpus_project()
    embedder = project_embedder(store, args.model)
    settings = ThemeSettings(unit=args.unit, reducer=args.reducer, min_cluster_size=args.min_size,
                             wording_weight=args.wording_weight, codebook_discount=args.codebook_discount)
    gold = read_gold()

    started = time.perf_counter()
    run_id = run_themes(store, embedder, settings, coders=[])
    seconds = time.perf_counter() - started
    listing = theme_listing(store, run_id)
    groups = theme_groups(store, run_id)
    total = sum(len(m) for m in listing.members.values())
    purity, nmi = purity_and_nmi(listing, gold)
    report = hidden_report(listing, gold)
    statuses = Counter(t.status for t in listing.themes)
    print(f"codebook alone ({embedder.model_id}, unit {args.unit}, reducer {args.reducer}, wording weight "
          f"{settings.wording_weight}, codebook discount {settings.codebook_discount}): {len(listing.themes)} "
          f"themes in {len(groups)} top-level groups, {seconds:.1f} s; {dict(statuses)}; "
          f"{len(listing.members.get(-1, [])) / max(total, 1):.0%} of excerpts unthemed")
    print(f"  turn level: purity {purity:.3f}  NMI {nmi:.3f}; themes listed {len(listing.themes)} "
          f"({'within' if len(listing.themes) <= MAX_LISTED else 'OVER'} the {MAX_LISTED} allowed)")
    for code in report.codes:
        if not code.hidden:
            about = ", ".join(f"{a.theme}:{a.status}" for a in code.themes) or "-"
            print(f"    {code.code:18s} {code.turns:3d} turns; themes mostly about it: {about}")
    print_hidden(report, "  ")
    seed_spread(store, embedder, settings, gold, args.seeds)

    print("\nwith a coder: gold codes of the tuning half calibrate the evidence; the rule is scored on the check half")
    found = Counter()
    splits = document_splits([document for document, _ in gold])
    for split in splits:
        coder = coder_for(store, split.tuning, gold, f"tuning-{split.seed}-{min(split.tuning)}")
        run_id = run_themes(store, embedder, settings, coders=[coder])
        listing = theme_listing(store, run_id)
        report = hidden_report(listing, gold, set(split.check))
        print(f"  {split.name}: {len(listing.themes)} themes, {report.new_themes} new")
        print_hidden(report, "    ")
        found.update(report.found())
    print(f"  found as new over {len(splits)} check halves: "
          + ", ".join(f"{code} {found[code]}/{len(splits)}" for code in sorted(HIDDEN)))
    if args.choose_per_half:
        choose_per_half(store, embedder, settings, gold, "codebook discount x wording weight",
                        [(d, w) for d in CHOICES for w in CHOICES], ("codebook_discount", "wording_weight"), (0.0, 0.0))
        choose_per_half(store, embedder, settings, gold, "mention keywords x member quantile", MENTION_CHOICES,
                        ("mention_keywords", "mention_quantile"), (0, 0.75))
    store.close()


if __name__ == "__main__":
    main()
