"""Quality and speed of code suggestions on ../shared/corpus-dev.

    python -m benchmarks.bench_suggestions

Reads the transcripts in memory (readers -> render_transcript -> segment_turns, no database), embeds the excerpts
with all-MiniLM-L6-v2 (vectors cached under bench-output/ by text hash, so re-runs skip the model), then prints
per-code Cohen's kappa at turn level against gold.csv for zero-shot suggestions and for leave-one-document-out
learned suggestions, and the time to compute suggestions for 20k excerpts. Skips with a message when the corpus
is absent.
"""

from __future__ import annotations

import csv
from collections import Counter
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus-dev"
CACHE = ROOT / "bench-output" / "suggest-embeddings.npz"
NOT_IN_CODEBOOK = {"VENDORS", "STAFFING"}  # gold codes for theme discovery, not scored here
SYNTHETIC_EXCERPTS = 20_000


@dataclass
class Corpus:
    texts: list[str]  # excerpt texts
    excerpt_turn: np.ndarray  # index into turn_ids per excerpt
    turn_ids: list[tuple[str, int]]  # respondent turns (document, turn number)
    turn_texts: list[str]
    questions: list[str]  # the interviewer turn each respondent turn answers ("" when none came before it)
    gold: dict[tuple[str, int], set[str]]
    codes: list  # duck-typed codes (id, name, parent, definition, include, exclude, examples, counterexamples)

    @property
    def documents(self) -> np.ndarray:
        """Document name per turn."""
        return np.array([doc for doc, _ in self.turn_ids])


def load_codes(path: Path) -> list:
    """The codebook's codes, less VENDORS and STAFFING should a tool have written them into the shared file."""
    return [code for code in _read_codes(path) if code.id not in NOT_IN_CODEBOOK]


def _read_codes(path: Path) -> list:
    try:
        from coding.codebook.yaml_io import load_codebook_yaml
    except ImportError:
        load_codebook_yaml = None
    if load_codebook_yaml is not None:
        return list(load_codebook_yaml(path).codes)
    import yaml

    fields = ("parent", "definition", "include", "exclude", "examples", "counterexamples")
    defaults = {"parent": None, "definition": ""}
    codes = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["codes"]:
        values = {key: raw.get(key) or defaults.get(key, ()) for key in fields}
        codes.append(SimpleNamespace(id=raw["id"], name=raw["name"], **values))
    return codes


def load_corpus(folder: Path = CORPUS) -> Corpus:
    from coding.models import SegmenterSettings, SpeakerRole
    from coding.readers import reader_for
    from coding.readers.labels import SpeakerRoles
    from coding.transcripts.segment import segment_turns
    from coding.transcripts.render import render_transcript

    texts: list[str] = []
    excerpt_turn: list[int] = []
    turn_ids: list[tuple[str, int]] = []
    turn_texts: list[str] = []
    questions: list[str] = []
    for path in sorted((folder / "transcripts").iterdir()):
        parsed = reader_for(path).read(path, path.read_bytes())
        _, turns = render_transcript(path.stem, parsed, SpeakerRoles())
        index = {}
        question = ""
        for turn in turns:
            if turn.role == SpeakerRole.interviewer:
                question = turn.text
            elif turn.text.strip():
                index[turn.number] = len(turn_ids)
                turn_ids.append((turn.document, turn.number))
                turn_texts.append(turn.text)
                questions.append(question)
        for excerpt in segment_turns(turns, SegmenterSettings()):
            texts.append(excerpt.text)
            excerpt_turn.append(index[excerpt.turn])
    gold: dict[tuple[str, int], set[str]] = {}
    with (folder / "gold.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["code"] not in NOT_IN_CODEBOOK:
                gold.setdefault((row["document"], int(row["turn"])), set()).add(row["code"])
    return Corpus(texts, np.array(excerpt_turn), turn_ids, turn_texts, questions, gold,
                  load_codes(folder / "codebook.yaml"))


def cached_encoder(cache: Path = CACHE):
    """An `encode(texts)` that reuses vectors stored under the text's hash and saves new ones."""
    from coding.embedding import SentenceTransformerEmbedder, text_hash

    embedder = SentenceTransformerEmbedder()
    stored: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            stored = dict(zip(data["keys"].tolist(), data["vectors"]))

    def encode(texts: list[str]) -> np.ndarray:
        keys = [text_hash(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in stored}.items())
        if missing:
            started = time.perf_counter()
            vectors = embedder.encode([t for _, t in missing])
            stored.update(zip([k for k, _ in missing], vectors))
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, keys=np.array(list(stored)), vectors=np.stack(list(stored.values())))
            print(f"embedded {len(missing)} texts in {time.perf_counter() - started:.1f} s (cached in {cache})")
        return np.stack([stored[k] for k in keys]).astype(np.float32)

    return encode


def context_vectors(corpus: Corpus, encode) -> np.ndarray:
    """The question each turn answers, embedded; a zero row where a turn follows no interviewer turn."""
    present = [i for i, q in enumerate(corpus.questions) if q.strip()]
    context = np.zeros((len(corpus.questions), 384), dtype=np.float32)
    if present:
        vectors = encode([corpus.questions[i] for i in present])
        context = np.zeros((len(corpus.questions), vectors.shape[1]), dtype=np.float32)
        context[present] = vectors
    return context


def print_table(evaluation) -> None:
    print(f"{'code':18s} {'support':>7s} | {'zero-shot':^22s} | {'learned (LODO)':^22s} | {'combined (LODO)':^22s}")
    header = f"{'kappa   P    R   F1':^22s}"
    print(f"{'':18s} {'':7s} | {header} | {header} | {header}")
    for code in evaluation.codes:
        cells = []
        for report in (evaluation.zero_shot, evaluation.learned, evaluation.combined):
            r = report.codes[code]
            cells.append(f"{r.kappa:5.2f} {r.precision:4.2f} {r.recall:4.2f} {r.f1:4.2f}")
        print(f"{code:18s} {evaluation.zero_shot.codes[code].support:7d} | " + " | ".join(f"{c:^22s}" for c in cells))
    for name, report in (("zero-shot", evaluation.zero_shot), ("learned", evaluation.learned),
                         ("combined", evaluation.combined)):
        print(f"{name:>10s}: mean kappa {report.mean_kappa:.3f}   macro F1 {report.macro_f1:.3f}   "
              f"micro F1 {report.micro_f1:.3f}")


def print_weak_codes(evaluation, corpus: Corpus, which: str, limit: float) -> None:
    """For codes below `limit`, what they are missed for and confused with."""
    report = getattr(evaluation, which)
    probability = getattr(evaluation, f"{which}_probability")
    from coding.suggest import DecisionRule

    decided = probability >= DecisionRule().threshold
    codes = evaluation.codes
    weak = [c for c in codes if report.codes[c].kappa < limit]
    print(f"\n{which}: codes with kappa below {limit}: {', '.join(weak) or 'none'}")
    for code in weak:
        j = codes.index(code)
        gold = evaluation.gold[:, j]
        missed = gold & ~decided[:, j]
        extra = ~gold & decided[:, j]
        given_instead = Counter(codes[k] for i in np.flatnonzero(missed) for k in np.flatnonzero(decided[i]))
        gold_of_extra = Counter(codes[k] for i in np.flatnonzero(extra) for k in np.flatnonzero(evaluation.gold[i]))
        uncoded_extra = int(sum(1 for i in np.flatnonzero(extra) if not evaluation.gold[i].any()))
        r = report.codes[code]
        print(f"  {code}: kappa {r.kappa:.2f}, {int(missed.sum())} of {int(gold.sum())} gold turns missed "
              f"(suggested instead: {_top(given_instead)}); {int(extra.sum())} extra turns "
              f"(their gold codes: {_top(gold_of_extra)}; {uncoded_extra} uncoded)")
        if missed.any():
            i = int(np.flatnonzero(missed)[np.argmax(-probability[missed, j])])
            doc, turn = corpus.turn_ids[i]
            print(f"     most clearly missed: {doc} turn {turn} (p={probability[i, j]:.2f}): "
                  f"{corpus.turn_texts[i][:150]!r}")


def _top(counter: Counter) -> str:
    return ", ".join(f"{code} {n}" for code, n in counter.most_common(3)) or "nothing"


def print_reliability(evaluation) -> None:
    """Observed share of gold codes per zero-shot probability bin (turn level): what a threshold means."""
    p = evaluation.zero_shot_probability.ravel()
    gold = evaluation.gold.ravel()
    print("\nzero-shot calibration (turn level, best excerpt): probability bin -> share the coder applied")
    for low in np.arange(0.0, 1.0, 0.1):
        inside = (p >= low) & (p < low + 0.1)
        if inside.any():
            print(f"  {low:.1f}-{low + 0.1:.1f}: {gold[inside].mean():.2f} of {int(inside.sum())} (turn, code) pairs")


def synthetic_corpus(corpus: Corpus, vectors: np.ndarray, size: int, seed: int = 0):
    """About `size` excerpts made by resampling whole turns with noise; labels for a quarter of the documents."""
    from coding.suggest import label_matrix

    rng = np.random.default_rng(seed)
    excerpts_of = [np.flatnonzero(corpus.excerpt_turn == t) for t in range(len(corpus.turn_ids))]
    rows, unit_of, documents, gold_rows = [], [], [], []
    while len(rows) < size:
        turn = int(rng.integers(len(excerpts_of)))
        unit = len(documents)
        rows.extend(excerpts_of[turn])
        unit_of.extend([unit] * len(excerpts_of[turn]))
        documents.append(f"S{unit // 25}")  # 25 turns per synthetic interview
        gold_rows.append(turn)
    noisy = vectors[rows] + rng.normal(0, 0.02, (len(rows), vectors.shape[1])).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    documents = np.array(documents)
    codes = [p for p in corpus_codes(corpus)]
    applied = {u: corpus.gold.get(corpus.turn_ids[t], set()) for u, t in enumerate(gold_rows)}
    labels = label_matrix(len(documents), codes, applied)
    labelled_documents = np.unique(documents)[::4]
    labels[~np.isin(documents, labelled_documents)] = -1
    return noisy, np.array(unit_of), documents, labels


def corpus_codes(corpus: Corpus) -> list[str]:
    from coding.suggest import leaf_codes

    return [code.id for code in leaf_codes(corpus.codes)]


def time_20k(corpus: Corpus, vectors: np.ndarray, prototypes) -> None:
    from threadpoolctl import threadpool_limits

    from coding.suggest import LearnedScorer, build_units, review_order, score_corpus, to_suggestions

    synthetic, unit_of, documents, labels = synthetic_corpus(corpus, vectors, SYNTHETIC_EXCERPTS)
    print(f"\nspeed: {len(synthetic)} synthetic excerpts in {len(documents)} turns, {len(np.unique(documents))} "
          f"interviews, {int((labels[:, 0] >= 0).sum())} turns coded; best of 3 runs (the machine may be shared)")
    for threads in (None, 1):
        timings: dict[str, list[float]] = {}
        with threadpool_limits(limits=threads, user_api="blas"):
            for _ in range(3):
                started = time.perf_counter()
                units = build_units(synthetic, unit_of, documents, positions=np.arange(len(documents)))
                after_units = time.perf_counter()
                score_corpus(units, prototypes)
                after_zero_shot = time.perf_counter()
                LearnedScorer().score(units, labels, prototypes.codes)
                after_retrain = time.perf_counter()
                scores = score_corpus(units, prototypes, labels)
                after_all = time.perf_counter()
                suggestions = to_suggestions(scores, texts=[""] * len(synthetic))
                after_objects = time.perf_counter()
                review_order(scores.probability, scores.rule.threshold, vectors=units.excerpts)
                finished = time.perf_counter()
                for name, seconds in (("pool excerpts into units", after_units - started),
                                      ("zero-shot scores + decisions", after_zero_shot - after_units),
                                      ("learned retrain alone", after_retrain - after_zero_shot),
                                      ("zero-shot + learned + decisions", after_all - after_retrain),
                                      ("Suggestion objects", after_objects - after_all),
                                      ("review queue", finished - after_objects),
                                      ("total: vectors to Suggestion objects",
                                       (after_units - started) + (after_objects - after_retrain))):
                    timings.setdefault(name, []).append(seconds)
        print(f"  BLAS threads: {threads or 'default'}")
        for name, values in timings.items():
            print(f"    {name:34s} {min(values):6.2f} s")
    print(f"  ({len(suggestions)} suggestions for {len(synthetic)} excerpts)")


def split_figures(corpus: Corpus, evaluation, units, prototypes, shuffled=None) -> None:
    """Tuning-half and check-half figures over repeated 2-fold document splits (see benchmarks.document_splits).

    `evaluation` scores each turn alone (dialogue weight 0, leave one document out); the turns around are added
    here: at the prior weight, at the weight qcode chooses from the tuning half's codes (as it would from a coder's),
    and with the decision constants and the weight chosen together on each tuning half, each scored on the check
    half. `shuffled`, when given, is (evaluation, units) with the turns of every interview shuffled: a study whose
    topics do not carry from turn to turn, where the turns around must not cost."""
    from benchmarks.document_splits import choose_and_check, document_splits, print_figures
    from coding.suggest import DecisionRule, ZeroShotScorer, decide

    splits = document_splits(list(corpus.documents))
    gold = evaluation.gold
    print(f"\ndocument splits: {len(splits)} (tuning half, check half) pairs, 2-fold by document, seeds 0-2; "
          f"mean kappa over the {len(evaluation.codes)} codes on each half's turns")
    zero_shot = ZeroShotScorer(prototypes).score(units)
    for name, probability in (("zero-shot", zero_shot.probability),
                              ("learned LODO", evaluation.learned_excerpt_probability),
                              ("combined LODO", evaluation.combined_excerpt_probability)):
        for how, figures in _dialogue_figures(probability, zero_shot.probability, units, gold, splits):
            print_figures(f"  {name + ', default rule, ' + how:62s}", figures, show_choice="chosen" in how)
    z = zero_shot.z
    best = z.max(1, keepdims=True)
    per_unit = _per_unit(units)
    z_rules = {f"z>={z_min:.1f}, gap<={gap}": per_unit((z >= z_min) & (z >= best - gap))
               for z_min in np.arange(0.8, 2.61, 0.2) for gap in (0.25, 0.5, 0.75, 1.0, 1.5)}
    print_figures(f"  {'zero-shot, z rule chosen per half':62s}", choose_and_check(z_rules, gold, corpus.documents,
                                                                                  splits), show_choice=True)
    combined = evaluation.combined_excerpt_probability
    thresholds, relatives = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5), (0.3, 0.5, 0.7)
    for name, weights in (("combined, rule chosen per half, each turn alone", (0.0,)),
                          ("combined, rule and dialogue weight chosen per half", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5))):
        rules = {f"threshold {t}, relative {r}, dialogue {w}":
                 per_unit(decide(_around(combined, units, w), DecisionRule(threshold=t, relative=r)))
                 for w in weights for t in thresholds for r in relatives}
        print_figures(f"  {name:62s}", choose_and_check(rules, gold, corpus.documents, splits), show_choice=True)
    if shuffled is not None:
        other, other_units = shuffled
        other_zero_shot = ZeroShotScorer(prototypes).score(other_units).probability
        print("  the same interviews with the turns of each shuffled (topics no longer carry from turn to turn):")
        for how, figures in _dialogue_figures(other.combined_excerpt_probability, other_zero_shot, other_units,
                                              other.gold, splits):
            print_figures(f"    {'combined LODO, default rule, ' + how:60s}", figures, show_choice="chosen" in how)


def shuffled_positions(documents: np.ndarray, positions: list[int], seed: int = 0) -> list[int]:
    """The turn numbers permuted within each document: the same turns, in an order whose topics do not carry on."""
    rng = np.random.default_rng(seed)
    shuffled = list(positions)
    for document in np.unique(documents):
        rows = np.flatnonzero(documents == document)
        for row, source in zip(rows, rng.permutation(rows)):
            shuffled[row] = positions[source]
    return shuffled


def _per_unit(units):
    from coding.suggest import unit_decisions

    return lambda excerpt_bool: unit_decisions(excerpt_bool, units.unit_of, units.n_units)


def _around(probability: np.ndarray, units, weight: float) -> np.ndarray:
    from coding.suggest.dialogue import with_dialogue

    return with_dialogue(probability, units.unit_of, units.neighbours, weight)


def _dialogue_figures(probability, zero_shot, units, gold, splits):
    """(how, figures) for each turn alone, the prior weight, and the weight qcode chooses on the tuning half's codes
    (`choose_weight` on the zero-shot scores, as from a coder's codings), each scored on the check half."""
    from benchmarks.document_splits import SplitFigure, choose_and_check, mean_kappa, part_rows
    from coding.suggest import DecisionRule, decide
    from coding.suggest.dialogue import PRIOR_WEIGHT, choose_weight

    per_unit = _per_unit(units)
    documents = units.documents
    rows = []
    for weight, how in ((0.0, "each turn alone"), (PRIOR_WEIGHT, f"turns around at the prior {PRIOR_WEIGHT}")):
        rows.append((how, choose_and_check({"default": per_unit(decide(_around(probability, units, weight)))}, gold,
                                           documents, splits)))
    figures = []
    for split in splits:
        tuning = part_rows(documents, split.tuning)
        labels = np.where(tuning[:, None], gold.astype(np.int8), -1)
        chosen = choose_weight(zero_shot, units.unit_of, units.neighbours, labels,
                               lambda p: decide(p, DecisionRule())).weight
        decided = per_unit(decide(_around(probability, units, chosen)))
        figures.append(SplitFigure(split, f"dialogue {chosen}", mean_kappa(decided, gold, tuning),
                                   mean_kappa(decided, gold, part_rows(documents, split.check))))
    rows.append(("turns around, weight chosen on the tuning half's codes (qcode's rule)", figures))
    return rows


def main() -> int:
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (the shared corpus-dev folder is needed for this benchmark)")
        return 0
    from coding.suggest import DecisionRule, build_prototypes, build_units, embed_prototypes, evaluate

    corpus = load_corpus()
    encode = cached_encoder()
    vectors = encode(corpus.texts)
    context = context_vectors(corpus, encode)
    prototypes = embed_prototypes(build_prototypes(corpus.codes), encode)
    documents = corpus.documents
    positions = [turn for _, turn in corpus.turn_ids]
    print(f"{len(corpus.turn_ids)} respondent turns, {len(corpus.texts)} excerpts, {len(prototypes.codes)} leaf codes")
    results = {}
    for label, unit_context in (("excerpt vectors only", None), ("with the question each turn answers", context)):
        units = build_units(vectors, corpus.excerpt_turn, documents, unit_context, positions=positions)
        started = time.perf_counter()
        evaluation = evaluate(units, prototypes, corpus.turn_ids, corpus.gold)
        print(f"\n=== {label} (evaluated in {time.perf_counter() - started:.1f} s) ===")
        print_table(evaluation)
        results[label] = evaluation
    chosen = results["with the question each turn answers"]
    units = build_units(vectors, corpus.excerpt_turn, documents, context, positions=positions)
    alone = DecisionRule(dialogue_weight=0)
    each_turn_alone = evaluate(units, prototypes, corpus.turn_ids, corpus.gold, rule=alone)
    shuffled_units = build_units(vectors, corpus.excerpt_turn, documents, context,
                                 positions=shuffled_positions(documents, positions))
    shuffled = (evaluate(shuffled_units, prototypes, corpus.turn_ids, corpus.gold, rule=alone), shuffled_units)
    split_figures(corpus, each_turn_alone, units, prototypes, shuffled)
    print_reliability(chosen)
    print_weak_codes(chosen, corpus, "zero_shot", 0.45)
    print_weak_codes(chosen, corpus, "combined", 0.6)
    time_20k(corpus, vectors, prototypes)
    print("\nsummary (mean kappa at turn level, 15 leaf codes):")
    for label, evaluation in results.items():
        print(f"  {label:38s} zero-shot {evaluation.zero_shot.mean_kappa:.3f}   "
              f"learned LODO {evaluation.learned.mean_kappa:.3f}   combined LODO {evaluation.combined.mean_kappa:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
