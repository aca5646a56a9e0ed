"""Theme quality on ../shared/corpus-dev: how well discovered themes line up with the gold codes.

Turn level: a respondent turn's theme is the theme most of its excerpts fall in (outliers left out); each of the
turn's gold codes gives one (theme, code) pair. Prints purity, NMI, how many gold codes have a matching theme
(a theme where at least half the turns carry that code) and whether VENDORS and STAFFING (left out of the codebook
on purpose) surface as `new` themes. Run: python -m benchmarks.bench_themes [--reducer umap|pca] [--model fake]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from pathlib import Path

from sklearn.metrics import normalized_mutual_info_score

from coding.project_codebook import load_codebook_file
from coding.store import open_project
from coding.theme_actions import theme_listing
from coding.themes.settings import ThemeSettings
from pipelines.embed import project_embedder
from pipelines.ingest import ingest_paths
from pipelines.themes import run_themes

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-dev"
CACHE = Path(__file__).resolve().parents[1] / "bench-output" / "corpus-dev.duckdb"


def corpus_project():
    CACHE.parent.mkdir(exist_ok=True)
    store = open_project(CACHE, create=True)
    ingest_paths(store, [CORPUS / "transcripts"], CORPUS / "metadata.csv")
    if store.conn.execute("SELECT count(*) FROM codebook_versions").fetchone()[0] == 0:
        load_codebook_file(store, CORPUS / "codebook.yaml")
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reducer", default="umap")
    parser.add_argument("--model", default=None)
    parser.add_argument("--min-size", type=int, default=None)
    args = parser.parse_args()
    if not (CORPUS / "transcripts").is_dir():
        print("skipped: ../shared/corpus-dev is not present")
        return
    store = corpus_project()
    embedder = project_embedder(store, args.model)
    started = time.perf_counter()
    run_id = run_themes(store, embedder, ThemeSettings(reducer=args.reducer, min_cluster_size=args.min_size))
    seconds = time.perf_counter() - started
    listing = theme_listing(store, run_id)
    gold: dict[tuple[str, int], set[str]] = defaultdict(set)
    with open(CORPUS / "gold.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold[(row["document"], int(row["turn"]))].add(row["code"])
    votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for theme, members in listing.members.items():
        for m in members:
            if theme != -1:
                votes[(m.document, m.turn)][theme] += 1
    turn_theme = {turn: counter.most_common(1)[0][0] for turn, counter in votes.items()}
    pairs = [(turn_theme[t], code) for t, codes in gold.items() if t in turn_theme for code in codes]
    nmi = normalized_mutual_info_score([p[0] for p in pairs], [p[1] for p in pairs])
    by_theme: dict[int, Counter] = defaultdict(Counter)
    turns_in_theme: Counter = Counter(turn_theme.values())
    for turn, theme in turn_theme.items():
        for code in gold.get(turn, ()):
            by_theme[theme][code] += 1
    purity = sum(c.most_common(1)[0][1] for c in by_theme.values() if c) / max(1, sum(turns_in_theme.values()))
    matched: dict[str, list[int]] = defaultdict(list)
    for theme, counter in by_theme.items():
        for code, n in counter.items():
            if n >= 0.5 * turns_in_theme[theme]:
                matched[code].append(theme)
    gold_codes = sorted({c for codes in gold.values() for c in codes})
    sizes = [t.size for t in listing.themes]
    total = sum(len(m) for m in listing.members.values())
    print(f"model {embedder.model_id}, reducer {args.reducer}: {len(sizes)} themes in {seconds:.1f} s "
          f"(largest {max(sizes, default=0) / max(total, 1):.0%} of {total} excerpts, "
          f"{len(listing.members.get(-1, [])) / max(total, 1):.0%} unthemed)")
    print(f"turn level: purity {purity:.3f}  NMI {nmi:.3f}  (turns with a theme: {len(turn_theme)})")
    print(f"gold codes with a matching theme: {len([c for c in gold_codes if matched.get(c)])} of {len(gold_codes)}")
    status = {t.theme: t.status for t in listing.themes}
    for code in gold_codes:
        themes = matched.get(code, [])
        print(f"  {code:18} themes {themes or '-'} status {[status[t] for t in themes] or '-'}")
    for code in ("VENDORS", "STAFFING"):
        found = [t for t in matched.get(code, []) if status[t] == "new"]
        print(f"{code}: {'found as a new theme ' + str(found) if found else 'not found as a new theme'}")
    store.close()


if __name__ == "__main__":
    main()
