"""Throughput of incremental claim clustering: posts per second and peak memory.

A synthetic stream: a few thousand claims, each posted as many variants (words dropped,
added, reordered; forward framing, emoji, mentions and hashtags; amounts written another
way), mixed with unrelated posts, all drawn from a Zipf-distributed vocabulary so common
words collide as they do in real text. Posts arrive in batches. Copies of claims are
flagged (they are the hoaxes); unrelated posts are flagged with ``--flag-unrelated``
probability (default 0.1, the classifier's false alarms; 1.0 is the worst case, where
every unmatched post opens a case and is written to the index).

What is timed is the clustering step from normalizer tokens on: claim words, MinHash and
band keys, the index lookup, the decision and the index update. Normalizing and scoring
are other stages (and run in parallel workers).

* ``--index memory`` (default): the in-process index (:mod:`monitor.claims.memory`),
  the same decision code as the pipeline — the algorithm's own speed.
* ``--index sqlite`` / ``--index postgresql --url URL``: the pipeline's own flag step,
  :func:`monitor.pipeline.flag.flag_into_cases`, against a fresh store (posts are inserted
  untimed beforehand), including case rows, memberships and aggregates.

Examples::

    .venv/bin/python benchmarks/bench_cluster.py                      # 1,000,000 posts
    .venv/bin/python benchmarks/bench_cluster.py --posts 200000 --index sqlite
    .venv/bin/python benchmarks/bench_cluster.py --compare-datasketch --posts 20000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.claims.index import hasher_for, items_for  # noqa: E402
from monitor.claims.memory import MemoryIndex  # noqa: E402
from monitor.claims.settings import ClaimSettings  # noqa: E402
from monitor.claims.words import claim_words  # noqa: E402

START = datetime(2026, 11, 1, tzinfo=UTC)
FRAMING = ["fwd", "info", "grup", "belah", "sebar", "viral"]
EXTRAS = ["emoji:pray", "emoji:fire", "@mention", "url:bit.ly"]
MULTIPLIER = {"000": "ribu", "000000": "juta"}


@dataclass(frozen=True, slots=True)
class Post:
    """A synthetic post: its normalized tokens and the claim it repeats (-1: unrelated)."""

    claim: int
    tokens: tuple[str, ...]
    flagged: bool


class Stream:
    """Deterministic synthetic posts."""

    def __init__(
        self, claims: int, vocabulary: int, unrelated: float, flag_unrelated: float, seed: int
    ) -> None:
        self.rng = random.Random(seed)
        self.unrelated = unrelated
        self.flag_unrelated = flag_unrelated
        self.vocabulary = [f"w{i}" for i in range(vocabulary)]
        # Zipf-Mandelbrot: normalized text has lost its stopwords, so the head is flatter.
        self.cumulative = list(accumulate(1.0 / (r + 50) for r in range(1, vocabulary + 1)))
        self.claims = [self._claim() for _ in range(claims)]
        # Viral claims get more copies than others (Zipf over claims as well).
        self.claim_cumulative = list(accumulate(1.0 / r for r in range(1, claims + 1)))
        self.claim_ids = range(claims)

    def _words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def _claim(self) -> list[str]:
        words = list(dict.fromkeys(self._words(self.rng.randint(14, 30))))
        amount = f"{self.rng.randint(1, 9)}{self.rng.choice(['000', '000000'])}"
        return [*words, amount]

    def _variant(self, claim: list[str]) -> list[str]:
        rng = self.rng
        tokens = claim[:]
        if rng.random() < 0.3:  # shortened forward: keep the first 60-90 %
            tokens = tokens[: max(8, int(len(tokens) * rng.uniform(0.6, 0.9)))]
        tokens = [t for t in tokens if rng.random() > 0.08]  # a few words dropped
        tokens += self._words(rng.randint(0, 3))  # a few added
        if rng.random() < 0.5:
            rng.shuffle(tokens)  # reordered
        if rng.random() < 0.3:
            tokens = rng.sample(FRAMING, 2) + tokens
        tokens += rng.sample(EXTRAS, rng.randint(0, 3))
        out = []
        for token in tokens:  # "5000000" written as "5" "juta"
            if token[0].isdigit() and rng.random() < 0.5:
                head, tail = token[:1], token[1:]
                out += [head, MULTIPLIER[tail]]
            else:
                out.append(token)
        return out

    def posts(self, count: int) -> Iterator[Post]:
        for _ in range(count):
            if self.rng.random() < self.unrelated:
                words = tuple(self._words(self.rng.randint(8, 30)))
                yield Post(-1, words, self.rng.random() < self.flag_unrelated)
            else:
                claim = self.rng.choices(self.claim_ids, cum_weights=self.claim_cumulative)[0]
                yield Post(claim, tuple(self._variant(self.claims[claim])), True)


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pairwise(truth: Sequence[int], predicted: Sequence[int | None]) -> tuple[float, float]:
    """Pairwise precision and recall of the clustering (unrelated posts are singletons)."""

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    cells: Counter[object] = Counter()
    made: Counter[object] = Counter()
    wanted: Counter[object] = Counter()
    for i, (claim, case) in enumerate(zip(truth, predicted, strict=True)):
        group: object = claim if claim >= 0 else ("u", i)
        cluster: object = case if case is not None else ("n", i)
        cells[(group, cluster)] += 1
        made[cluster] += 1
        wanted[group] += 1
    correct, predicted_pairs, true_pairs = pairs(cells), pairs(made), pairs(wanted)
    return (
        correct / predicted_pairs if predicted_pairs else 1.0,
        correct / true_pairs if true_pairs else 1.0,
    )


@dataclass(slots=True)
class Clock:
    """Wall time and this process's CPU time spent clustering."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu


def run_memory(
    stream: Iterator[Post], total: int, batch: int, settings: ClaimSettings
) -> tuple[Clock, list[int], list[int | None], MemoryIndex]:
    index = MemoryIndex(settings)
    truth: list[int] = []
    clock = Clock()
    done = 0
    report = max(batch, total // 10)
    while done < total:
        chunk = [next(stream) for _ in range(min(batch, total - done))]
        truth.extend(p.claim for p in chunk)
        rows = [
            (done + i, p.tokens, p.flagged, START + timedelta(seconds=done + i))
            for i, p in enumerate(chunk)
        ]
        with clock.measure():
            index.add_batch(items_for(rows, settings))
        done += len(chunk)
        if done % report < batch:
            print(
                f"  {done:>9,} posts  {done / clock.cpu:>8,.0f} posts per CPU second  "
                f"{len(index.cases):>8,} cases  peak {peak_mb():,.0f} MB",
                flush=True,
            )
    case_of = index.case_of()
    return clock, truth, [case_of.get(i) for i in range(total)], index


def run_store(
    stream: Iterator[Post], total: int, batch: int, settings: ClaimSettings, url: str
) -> tuple[Clock, list[int], list[int | None]]:
    from sqlalchemy import insert, select

    from monitor.pipeline.flag import CaseCandidate, claim_key, flag_into_cases
    from monitor.store.cases import CasePostRow
    from monitor.store.db import Database
    from monitor.store.posts import PostRow
    from monitor.store.sources import SourceRow

    db = Database(url)
    db.upgrade()
    posts = [next(stream) for _ in range(total)]
    print(f"  storing {total:,} posts (untimed)...", flush=True)
    with db.transaction() as session:
        source = SourceRow(name=f"bench-{uuid.uuid4().hex[:6]}", kind="file", settings={})
        session.add(source)
        session.flush()
        source_id = source.id
    ids: list[int] = []
    for start in range(0, total, 20_000):
        with db.transaction() as session:
            ids.extend(
                session.scalars(
                    insert(PostRow).returning(PostRow.id, sort_by_parameter_order=True),
                    [
                        {
                            "source_id": source_id,
                            "external_id": str(start + i),
                            "text": " ".join(p.tokens),
                            "content_hash": str(start + i),
                            "published_at": START + timedelta(seconds=start + i),
                            "shares": 1,
                            "raw": {},
                            "stage": "processed",
                        }
                        for i, p in enumerate(posts[start : start + 20_000])
                    ],
                )
            )
    clock = Clock()
    report = max(batch, total // 10)
    for start in range(0, total, batch):
        candidates = [
            CaseCandidate(
                ids[start + i],
                claim_key(p.tokens),
                p.flagged,
                " ".join(p.tokens),
                None,
                None,
                START + timedelta(seconds=start + i),
                p.tokens,
            )
            for i, p in enumerate(posts[start : start + batch])
        ]
        with clock.measure(), db.transaction() as session:
            flag_into_cases(session, candidates, settings)
        done = start + len(candidates)
        if done % report < batch:
            print(
                f"  {done:>9,} posts  {done / clock.wall:>8,.0f} posts/s wall  "
                f"{done / clock.cpu:>8,.0f} per CPU second of this process",
                flush=True,
            )
    with db.session() as session:
        case_of = dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())
    db.dispose()
    return clock, [p.claim for p in posts], [case_of.get(i) for i in ids]


def compare_datasketch(count: int, settings: ClaimSettings, stream: Iterator[Post]) -> None:
    """Time our batch MinHash against datasketch on the same word sets."""
    from datasketch import MinHash

    sets = [claim_words(next(stream).tokens) for _ in range(count)]
    sets = [s for s in sets if s]
    hasher = hasher_for(settings)
    began = time.perf_counter()
    for start in range(0, len(sets), 1000):
        hasher.keys_for(sets[start : start + 1000])
    ours = time.perf_counter() - began
    began = time.perf_counter()
    for words in sets:
        signature = MinHash(num_perm=settings.num_perm, seed=settings.minhash_seed)
        signature.update_batch([w.encode("utf-8") for w in words])
    theirs = time.perf_counter() - began
    print(
        f"MinHash of {len(sets):,} sets, {settings.num_perm} permutations: "
        f"numpy batch {len(sets) / ours:,.0f} sets/s, "
        f"datasketch update_batch {len(sets) / theirs:,.0f} sets/s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=3_000)
    parser.add_argument("--vocabulary", type=int, default=50_000)
    parser.add_argument("--unrelated", type=float, default=0.5, help="share of unrelated posts")
    parser.add_argument(
        "--flag-unrelated", type=float, default=0.1, help="chance an unrelated post is flagged"
    )
    parser.add_argument("--batch", type=int, default=1_000, help="posts per batch")
    parser.add_argument("--index", choices=["memory", "sqlite", "postgresql"], default="memory")
    parser.add_argument("--url", help="PostgreSQL URL for --index postgresql (a fresh schema)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare-datasketch", action="store_true")
    args = parser.parse_args(argv)
    settings = ClaimSettings()
    stream = Stream(
        args.claims, args.vocabulary, args.unrelated, args.flag_unrelated, args.seed
    ).posts(10**12)
    if args.compare_datasketch:
        compare_datasketch(args.posts, settings, stream)
        return
    print(
        f"{args.posts:,} posts: variants of {args.claims:,} claims and {args.unrelated:.0%} "
        f"unrelated ({args.flag_unrelated:.0%} of them flagged); batches of {args.batch:,}; "
        f"index: {args.index}"
    )
    if args.index == "memory":
        clock, truth, predicted, index = run_memory(stream, args.posts, args.batch, settings)
        fingerprints = sum(state.fingerprints for state in index.cases.values())
        print(f"cases: {len(index.cases):,}, fingerprints: {fingerprints:,}")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}" if args.index == "sqlite" else args.url
            if not url:
                parser.error("--index postgresql needs --url")
            clock, truth, predicted = run_store(stream, args.posts, args.batch, settings, url)
    precision, recall = pairwise(truth, predicted)
    print(
        f"RESULT: {args.posts / clock.cpu:,.0f} posts per CPU second of this process "
        f"({clock.cpu:,.1f} s CPU), {args.posts / clock.wall:,.0f} posts/s wall "
        f"({clock.wall:,.1f} s), peak memory {peak_mb():,.0f} MB, pairwise precision "
        f"{precision:.3f} recall {recall:.3f}"
    )


if __name__ == "__main__":
    main()
