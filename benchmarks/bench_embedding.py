"""Throughput of `SentenceTransformerEmbedder.encode` against calling `SentenceTransformer.encode` directly.

    python -m benchmarks.bench_embedding [--n 2000] [--rounds 2]

Both run on the same texts (synthetic 1-3 sentence excerpts from ../shared/corpus-dev/transcripts/*.txt, else
transcripts/*.txt, else a built-in list) in the same process with the same loaded model, in short interleaved runs
whose times are summed per method, so load from other processes on the machine affects each alike; CPU time and
the median of paired runs are printed too, as wall time on a shared machine is noisy. The wrapper must keep at
least 0.9x the direct throughput.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from coding.embedding import SentenceTransformerEmbedder
from coding.themes.synthetic import find_sentences, synthesise_excerpts

ROOT = Path(__file__).resolve().parents[1]
SENTENCE_FOLDERS = (ROOT.parent / "shared" / "corpus-dev" / "transcripts", ROOT / "transcripts")


def _timed(run) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="texts to embed")
    parser.add_argument("--rounds", type=int, default=2, help="passes over all texts per method")
    parser.add_argument("--slice", type=int, default=250, help="texts per timed run")
    parser.add_argument("--model", default=None, help="model name or folder (default: bundled MiniLM)")
    args = parser.parse_args()

    sentences = find_sentences(SENTENCE_FOLDERS)
    texts = synthesise_excerpts(sentences, args.n, seed=1)
    embedder = SentenceTransformerEmbedder(args.model)
    model = embedder.load()
    model.encode(texts[:64], show_progress_bar=False)  # warm-up outside the timing
    print(f"{len(texts)} texts from {len(sentences)} sentences, mean {np.mean([len(t) for t in texts]):.0f} chars")

    # Interleave short runs of each method on the same slice of texts, alternating which goes first, so that load
    # from other processes (this machine is shared) falls on all three alike; sum wall and CPU time per method.
    methods = {
        "direct SentenceTransformer.encode (batch 32)": lambda part: model.encode(part, show_progress_bar=False),
        "SentenceTransformerEmbedder.encode (batch 64)": lambda part: embedder.encode(part, batch_size=64),
        "SentenceTransformerEmbedder.encode (batch 32, default)": lambda part: embedder.encode(part),
    }
    totals = {name: [0.0, 0.0] for name in methods}
    slice_walls: dict[str, list[float]] = {name: [] for name in methods}
    slices = [texts[i : i + args.slice] for i in range(0, len(texts), args.slice)]
    for round_number in range(args.rounds):
        for slice_number, part in enumerate(slices):
            names = list(methods)
            if (round_number + slice_number) % 2:
                names.reverse()
            for name in names:
                wall, cpu = _timed(lambda: methods[name](part))
                totals[name][0] += wall
                slice_walls[name].append(wall)
                totals[name][1] += cpu
    done = len(texts) * args.rounds
    for name, (wall, cpu) in totals.items():
        print(f"{name:47s} {done / wall:7.1f} texts/s wall ({wall:6.1f} s), {done / cpu:6.1f} texts per CPU-second")
    direct_wall, direct_cpu = totals["direct SentenceTransformer.encode (batch 32)"]
    for name in list(methods)[1:]:
        wall, cpu = totals[name]
        pairs = [d / w for d, w in zip(slice_walls[next(iter(methods))], slice_walls[name])]
        batch = name.split()[-1][:-1]
        print(f"throughput ratio wrapper {batch} / direct: {direct_wall / wall:.3f} by total wall time, "
              f"{direct_cpu / cpu:.3f} by CPU time, {float(np.median(pairs)):.3f} median of {len(pairs)} paired runs")
    direct = model.encode(texts[:200], show_progress_bar=False)
    difference = float(np.abs(np.asarray(direct, dtype=np.float32) - embedder.encode(texts[:200])).max())
    print(f"largest difference between the two methods' vectors: {difference:.2e}")


if __name__ == "__main__":
    main()
