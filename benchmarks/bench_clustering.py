"""Theme discovery at scale: 100,000 excerpts of 384 dimensions, timed and measured.

    python -m benchmarks.bench_clustering [--n 100000] [--fake]

Excerpt vectors are noisy mixtures of real sentence embeddings: the distinct sentences of
../shared/corpus-dev/transcripts/*.txt (else transcripts/*.txt, else a built-in list) are embedded once with
all-MiniLM-L6-v2 (cached under bench-output/ by model and text hash), each synthetic excerpt takes 1-3 sentences
(the first at random, the others among its 30 nearest sentences), and its vector is a random mix of theirs plus
noise. That keeps the topic structure of the interviews while every one of the 100k vectors is distinct.

`discover_themes` then runs in a fresh child process, so the figures include importing UMAP/HDBSCAN and numba's
compilation, as a `qcode themes` run pays them, and its peak RSS is the clustering's alone (no embedding model).
Targets: under 60 s and 3 GB on two cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SENTENCE_FOLDERS = (ROOT.parent / "shared" / "corpus-dev" / "transcripts", ROOT / "transcripts")
CACHE = ROOT / "bench-output" / "clustering-sentences.npz"
EXCERPTS_PER_DOCUMENT = 50
EXCERPTS_PER_TURN = 3  # the sample interviews average 2.4 excerpts per respondent turn, corpus-dev 2.4


def sentence_vectors(sentences: list[str], fake: bool) -> tuple[np.ndarray, str]:
    from coding.embedding import make_embedder, text_hash

    embedder = make_embedder("fake" if fake else None)
    keys = np.array([f"{embedder.model_id}:{text_hash(s)}" for s in sentences])
    if CACHE.exists():
        cached = np.load(CACHE)
        if cached["keys"].shape == keys.shape and (cached["keys"] == keys).all():
            return cached["vectors"], embedder.model_id
    start = time.perf_counter()
    vectors = embedder.encode(sentences)
    print(f"embedded {len(sentences)} sentences with {embedder.model_id} in {time.perf_counter() - start:.1f} s")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE, keys=keys, vectors=vectors)
    return vectors, embedder.model_id


def build_corpus(n: int, seed: int, noise: float, fake: bool, folder: Path) -> None:
    from coding.themes.synthetic import excerpt_compositions, find_sentences, mixed_vectors

    sentences = find_sentences(SENTENCE_FOLDERS)
    vectors, model_id = sentence_vectors(sentences, fake)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    neighbours = np.argsort(-similarity, axis=1, kind="stable")[:, :30]
    compositions = excerpt_compositions(len(sentences), n, seed=seed, neighbours=neighbours)
    excerpt_vectors = mixed_vectors(vectors, compositions, seed=seed, noise=noise)
    texts = [" ".join(sentences[i] for i in picked) for picked in compositions]
    np.save(folder / "vectors.npy", excerpt_vectors)
    (folder / "texts.json").write_text(json.dumps(texts))
    print(f"{n} excerpts ({excerpt_vectors.shape[1]}-d) from {len(sentences)} sentences embedded with {model_id}")


def peak_rss_mb() -> float:
    """This process's peak resident memory. /proc's VmHWM is reset by exec; ru_maxrss is not (a child started
    from a big parent would report the parent's size), so it is only the fallback off Linux."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path) -> None:
    """Child process: load the corpus, run discover_themes once, print one JSON line of figures."""
    vectors = np.load(folder / "vectors.npy")
    texts = json.loads((folder / "texts.json").read_text())
    groups = [f"D{i // EXCERPTS_PER_DOCUMENT:05d}" for i in range(len(texts))]
    speakers = [f"{g}-R" for g in groups]
    loaded_rss = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    from coding.themes import ThemeSettings, discover_themes

    timings: dict[str, float] = {}
    result = discover_themes(vectors, texts, groups, speakers, ThemeSettings(), timings=timings)
    figures = {
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": peak_rss_mb(),
        "rss_after_loading_data_mb": loaded_rss,
        "stages": timings,
        "themes": len(result.themes),
        "outlier_share": len(result.outliers) / len(texts),
        "largest": [(t.size, t.label) for t in result.themes[:8]],
        "min_cluster_size": result.manifest["min_cluster_size"],
        "min_samples": result.manifest["min_samples"],
    }
    figures["turns"] = measure_turn_pipeline(vectors, texts, groups, speakers)
    figures["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))


def measure_turn_pipeline(vectors: np.ndarray, texts: list[str], groups: list[str], speakers: list[str]) -> dict:
    """The default `qcode themes` path over the same excerpts: pool into turns (EXCERPTS_PER_TURN each), cluster
    the turns, group themes into a top level, and score every excerpt against 15 codes for the members' evidence
    (zero-shot; the prototypes are corpus vectors, which costs the same as embedded code texts)."""
    from coding.suggest import build_units, score_corpus
    from coding.suggest.evaluate import unit_decisions
    from coding.suggest.prototypes import PrototypeVectors
    from coding.themes import ThemeSettings, discover_themes
    from coding.themes.evidence import explain_theme
    from coding.themes.hierarchy import group_themes
    from coding.themes.turn_units import pool_by_key

    rng = np.random.default_rng(0)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    keys = [i // EXCERPTS_PER_TURN for i in range(len(vectors))]
    pooled = pool_by_key(vectors, keys)
    turn_texts = [" ".join(texts[i] for i in ex) for ex in pooled.excerpts_of]
    first = [ex[0] for ex in pooled.excerpts_of]
    timings["pool"] = time.perf_counter() - started
    result = discover_themes(pooled.vectors, turn_texts, [groups[i] for i in first], [speakers[i] for i in first],
                             ThemeSettings())
    timings["discover"] = time.perf_counter() - started - timings["pool"]
    mark = time.perf_counter()
    parents = group_themes(np.vstack([t.centroid for t in result.themes])) if result.themes else np.zeros(0)
    timings["group"] = time.perf_counter() - mark
    mark = time.perf_counter()
    owners = np.repeat(np.arange(15), 4)
    prototypes = PrototypeVectors([f"C{j}" for j in range(15)], vectors[rng.choice(len(vectors), 60)], owners,
                                  [""] * 60, np.zeros((0, vectors.shape[1]), np.float32), np.zeros(0, np.int64), [])
    units = build_units(vectors, pooled.unit_of)
    scores = score_corpus(units, prototypes)
    decided = unit_decisions(scores.probability >= 0.5, pooled.unit_of, len(pooled.keys))
    for theme in result.themes:
        explain_theme(decided[theme.members], prototypes.codes, "C0")
    timings["evidence"] = time.perf_counter() - mark
    return {"seconds": time.perf_counter() - started, "units": len(pooled.keys), "themes": len(result.themes),
            "groups": int(parents.max()) if len(parents) else 0, "stages": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic excerpts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--noise", type=float, default=0.6, help="noise length relative to the clean mix")
    parser.add_argument("--fake", action="store_true", help="hash embedder instead of MiniLM (no model needed)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    with tempfile.TemporaryDirectory() as folder:
        build_corpus(args.n, args.seed, args.noise, args.fake, Path(folder))
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_clustering", "--measure", folder],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
    if child.returncode != 0:
        sys.exit(f"discover_themes failed:\n{child.stderr}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    stages = figures["stages"]
    print(f"discover_themes on {args.n} excerpts: {figures['seconds']:.1f} s wall, {figures['cpu_seconds']:.1f} s CPU")
    names = [n for n in ("wording", "reduce", "cluster", "keywords", "mentions", "describe") if n in stages]
    print("  stages (wall / CPU s): " + ", ".join(f"{n} {stages[n]:.1f}/{stages[n + '_cpu']:.1f}" for n in names))
    print(f"  peak RSS {figures['peak_rss_mb']:.0f} MB (of which {figures['rss_after_loading_data_mb']:.0f} MB is "
          "the loaded vectors and texts)")
    print(f"  {figures['themes']} themes, outlier share {figures['outlier_share']:.1%}, "
          f"min_cluster_size {figures['min_cluster_size']}, min_samples {figures['min_samples']}")
    for size, label in figures["largest"]:
        print(f"    {size:6d}  {label}")
    turns = figures["turns"]
    print(f"default path (turn units): {turns['seconds']:.1f} s wall for {turns['units']} turns -> {turns['themes']} "
          f"themes in {turns['groups']} top-level groups; stages "
          + ", ".join(f"{name} {seconds:.1f}" for name, seconds in turns["stages"].items())
          + f"; peak RSS of the whole child {figures['peak_rss_mb']:.0f} MB")
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"  machine load average during the run: {' '.join(load)} (2 cores: wall time grows with other load)")


if __name__ == "__main__":
    main()
