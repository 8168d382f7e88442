"""Benchmark: Pantau's normalize+score path against the usual notebook baseline, same posts.

Run::

    .venv/bin/python benchmarks/bench_score.py                 # 100,000 posts
    .venv/bin/python benchmarks/bench_score.py --posts 20000 --no-explain

Both systems score the same synthetic stream (``bench_normalize.generate_stream``: built
from our own word lists, with realistic vocabulary growth), in one process pinned to one
CPU core with BLAS/OpenMP limited to one thread:

* baseline -- the usual notebook: Sastrawi ``stem`` per text (its stemmer caches stems per
  word), ``TfidfVectorizer`` and ``MultinomialNB`` fitted on ``training_data/corpus``,
  ``predict_proba`` per batch;
* ours -- ``monitor.text.normalize_many`` then ``Scorer.score_many`` (with explanations
  unless ``--no-explain``) with the newest model under ``models/``, per batch, as the
  pipeline does.

Each system makes one untimed pass over the stream (warming the stem caches), then one
timed pass. Both wall-clock and CPU time of the timed pass are printed: on a shared machine
wall time includes waiting for the core, so posts per CPU-second is the one-core figure the
target (10,000 for ours) is judged on; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks.bench_normalize import generate_stream  # noqa: E402
from monitor.model.dataset import load_labelled  # noqa: E402
from monitor.model.registry import model_path, newest_model  # noqa: E402
from monitor.model.scorer import Scorer  # noqa: E402
from monitor.text import normalize_many  # noqa: E402

TARGET = 10_000


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (no sched_setaffinity)"


def _timed(
    run: Callable[[Sequence[str]], int], texts: list[str], batch: int
) -> tuple[float, float]:
    """Run one warm-up pass, then return the wall and CPU seconds of a second pass.

    CPU seconds matter on a shared machine: wall time there includes waiting for the core.
    """
    for _ in range(2):
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), batch):
            run(texts[i : i + batch])
        elapsed, cpu_elapsed = time.perf_counter() - start, time.process_time() - cpu
    return elapsed, cpu_elapsed


def _baseline(corpus: list[str], labels: list[int]) -> Callable[[Sequence[str]], int]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB

    stemmer = StemmerFactory().create_stemmer()
    vectorizer = TfidfVectorizer()
    model = MultinomialNB().fit(vectorizer.fit_transform([stemmer.stem(t) for t in corpus]), labels)

    def run(batch: Sequence[str]) -> int:
        stems = [stemmer.stem(text) for text in batch]
        return len(model.predict_proba(vectorizer.transform(stems)))

    return run


def _ours(scorer: Scorer, explain: bool) -> Callable[[Sequence[str]], int]:
    def run(batch: Sequence[str]) -> int:
        return len(scorer.score_many(batch, normalize_many(list(batch)), explain=explain))

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the stream")
    parser.add_argument("--batch", type=int, default=500, help="posts per batch")
    parser.add_argument("--model", help="model version (default: newest under models/)")
    parser.add_argument("--no-explain", action="store_true", help="score without explanations")
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)

    print(_pin_to_one_core(), flush=True)
    models_dir = REPO / "models"
    if args.model:
        model_dir = model_path(models_dir, args.model)
    else:
        newest = newest_model(models_dir)
        if newest is None:
            raise SystemExit("no model under models/; run `pantau train` first")
        model_dir = newest.path
    scorer = Scorer.load(model_dir)
    corpus = load_labelled(sorted((REPO / "training_data" / "corpus").glob("*.csv")))

    print(f"Generating {args.posts:,} synthetic posts (seed {args.seed})...", flush=True)
    texts = generate_stream(args.posts, args.seed)
    explain = not args.no_explain
    with threadpool_limits(limits=1):
        print("baseline: Sastrawi stem + TfidfVectorizer + MultinomialNB ...", flush=True)
        base = _timed(_baseline(corpus.texts, corpus.labels), texts, args.batch)
        label = "with" if explain else "without"
        print(f"ours: normalize_many + Scorer.score_many ({label} explanations) ...", flush=True)
        ours = _timed(_ours(scorer, explain), texts, args.batch)
        norm = _timed(lambda b: len(normalize_many(list(b))), texts, args.batch)

    n = len(texts)
    print()
    print(f"model {scorer.version}, {n:,} posts, batches of {args.batch}, warm caches, one core")
    print(f"{'':25}{'posts/s wall':>14}{'posts/CPU-s':>14}")
    rows = [
        ("baseline (notebook)", base),
        ("ours normalize+score", ours),
        ("  of which normalize", norm),
        ("  of which score", (ours[0] - norm[0], ours[1] - norm[1])),
    ]
    for name, (wall, cpu) in rows:
        print(f"  {name:<23}{n / max(wall, 1e-9):>14,.0f}{n / max(cpu, 1e-9):>14,.0f}")
    share = norm[1] / ours[1]
    print(f"  share of CPU time: normalize {share:.0%}, score {1 - share:.0%}")
    print(f"  ratio ours/baseline    {base[0] / ours[0]:.2f}x wall, {base[1] / ours[1]:.2f}x CPU")
    rate = n / ours[1]
    verdict = "meets" if rate >= TARGET else "misses"
    print(f"  target {TARGET:,} posts per CPU-second: {verdict}")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
