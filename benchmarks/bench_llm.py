"""Throughput of the LLM coder's client against the test server (tests/llm/server.py) answering instantly.

    python -m benchmarks.bench_llm [--turns 1000] [--concurrency 8] [--batch-size 1]

Builds a project of synthetic interviews with TURNS respondent turns (ingested with the real flow, default
codebook), points it at a local OpenAI-compatible test server that answers from a fixed table with no delay, and
times `qcode suggest --llm`'s flow: asking every turn (requests in flight: CONCURRENCY), saving the answers, then
storing the suggestion run. The server runs in its own process, so its work is not counted as the client's.
With an instant server the client must not be the bottleneck: the target is at least
200 requests per second. A real model is far slower per request; this measures qcode's side only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

from benchmarks.bench_review import CODEBOOK, _SENTENCES
from coding.llm.settings import llm_settings
from coding.project_codebook import load_codebook_file
from coding.store import open_project
from coding.store.settings import set_setting
from pipelines.ingest import ingest_paths
from pipelines.llm_suggest import ask_model, plan_llm_coding, store_llm_run
from tests.llm.server import FakeChatServer, serve_in_child

TARGET_RPS = 200.0
TURNS_PER_DOCUMENT = 125
TABLE = {"professional development": ["TRAINING"], "price": ["COST"], "pilot": ["PILOTS"], "essays": ["INTEGRITY"]}


def write_transcripts(folder: Path, turns: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    documents = -(-turns // TURNS_PER_DOCUMENT)
    for d in range(documents):
        lines = [f"Synthetic interview L{d + 1:03d}", ""]
        for t in range(min(TURNS_PER_DOCUMENT, turns - d * TURNS_PER_DOCUMENT)):
            lines += [f"Interviewer: Question {t + 1}?", ""]
            # Every turn is different text (so every turn is its own request), two sentences long.
            answer = f"{_SENTENCES[(d + t) % len(_SENTENCES)]} {_SENTENCES[(3 * t + d) % len(_SENTENCES)]}"
            lines += [f"Leader {d + 1}: In interview {d + 1}, answer {t + 1}: {answer}", ""]
        (folder / f"L{d + 1:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=1)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ready, done = context.Queue(), context.Event()
    child = context.Process(target=serve_in_child, args=(TABLE, ready, done), daemon=True)
    child.start()
    base_url = ready.get(timeout=60)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_transcripts(folder / "interviews", args.turns)
        store = open_project(folder / "bench.duckdb", create=True)
        try:
            ingest_paths(store, [folder / "interviews"])
            load_codebook_file(store, CODEBOOK)
            for key, value in [("llm_endpoint", base_url), ("llm_model", FakeChatServer.model),
                               ("llm_concurrency", args.concurrency), ("llm_batch_size", args.batch_size)]:
                set_setting(store, key, value)
            plan = plan_llm_coding(store, llm_settings(store))
            print(plan.describe())
            started, cpu_started = time.perf_counter(), time.process_time()
            result = ask_model(store, plan)
            asked = time.perf_counter() - started
            client_cpu = time.process_time() - cpu_started
            run_id = store_llm_run(store, plan)
            total = time.perf_counter() - started
        finally:
            store.close()
            done.set()
            server_cpu = ready.get(timeout=30)
            child.join(timeout=10)
    rps = result.requests_per_second
    print(f"{len(plan.to_ask)} turns, {plan.requests} requests, {args.concurrency} concurrent, batch size "
          f"{args.batch_size}: asked and saved in {asked:.2f} s = {rps:.0f} requests/s "
          f"({result.answered} answered, {result.failed} failed); with the suggestion run {run_id} stored: "
          f"{total:.2f} s")
    print(f"client CPU time {client_cpu:.2f} s = {1000 * client_cpu / max(1, plan.requests):.2f} ms per request "
          f"(at most {plan.requests / client_cpu if client_cpu else 0:.0f} requests/s on one free core)")
    print(f"test server CPU time {server_cpu:.2f} s = {1000 * server_cpu / max(1, plan.requests):.2f} ms per request")
    print(f"{'PASS' if rps >= TARGET_RPS else 'FAIL'}: {rps:.0f} requests/s (target >= {TARGET_RPS:.0f})")


if __name__ == "__main__":
    main()
