"""Pairwise precision and recall of claim clustering and of the known-hoax matcher.

Data: ``training_data/claims/claim_groups.csv`` (posts with their claim group, topic and
the known hoax they resurface, if any) and ``training_data/claims/known_hoaxes.csv``.
Every post is treated as flagged and streamed, in a shuffled order, through the real
pipeline entry point (:func:`monitor.pipeline.flag.flag_into_cases`) on a fresh SQLite
store, in batches; ``--memory`` uses the in-process index instead (same clustering code,
faster, for threshold sweeps).

* Clustering: over all pairs of posts, a pair is predicted positive when both posts are in
  one case and truly positive when both are in one claim group. Precision = correct
  positive pairs / predicted positive pairs; recall = correct / true positive pairs.
* Known hoaxes: a (post, known hoax) pair is predicted when the post's case is linked to
  that hoax, and true when the post is labelled as resurfacing it.

Groups are split in two halves by a hash of their id: thresholds were tuned on ``dev``
only; ``test`` is the held-out half. Reproduce the reported numbers with::

    .venv/bin/python benchmarks/eval_claims.py
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor.claims.index import items_for  # noqa: E402
from monitor.claims.known import claim_hash, import_known_hoaxes, read_known_hoaxes  # noqa: E402
from monitor.claims.memory import MemoryIndex  # noqa: E402
from monitor.claims.settings import ClaimSettings  # noqa: E402
from monitor.claims.words import claim_words  # noqa: E402
from monitor.pipeline.flag import CaseCandidate, claim_key, flag_into_cases  # noqa: E402
from monitor.pipeline.ingest import ingest  # noqa: E402
from monitor.sources.base import FetchedPost  # noqa: E402
from monitor.store.cases import CasePostRow  # noqa: E402
from monitor.store.claims import KnownHoaxMatchRow, KnownHoaxRow  # noqa: E402
from monitor.store.db import Database  # noqa: E402
from monitor.store.posts import PostRow  # noqa: E402
from monitor.store.sources import SourceRow  # noqa: E402
from monitor.text import normalize_many  # noqa: E402

DATA = REPO / "training_data" / "claims"
START = datetime(2026, 11, 20, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Post:
    post_id: str
    group: str
    topic: str
    known: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load(data: Path) -> tuple[list[Post], dict[str, str]]:
    """Posts, and the claim text of each known hoax id."""
    with (data / "claim_groups.csv").open(encoding="utf-8") as handle:
        posts = [
            Post(r["post_id"], r["group_id"], r["topic"], r["known_hoax_id"] or None, r["text"])
            for r in csv.DictReader(handle)
        ]
    with (data / "known_hoaxes.csv").open(encoding="utf-8") as handle:
        known = {r["id"]: r["claim"] for r in csv.DictReader(handle)}
    return posts, known


def half(group: str) -> str:
    """``dev`` or ``test``: a fixed split of the claim groups."""
    return "dev" if int(hashlib.sha256(group.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _pairs(counts: Counter[object]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise(posts: Sequence[Post], case_of: dict[str, int | None]) -> Scores:
    """Pairwise precision and recall of ``case_of`` against the posts' groups."""
    predicted: Counter[object] = Counter()
    truth: Counter[object] = Counter()
    both: Counter[object] = Counter()
    for post in posts:
        case = case_of.get(post.post_id)
        cluster: object = case if case is not None else ("alone", post.post_id)
        predicted[cluster] += 1
        truth[post.group] += 1
        both[(cluster, post.group)] += 1
    correct = _pairs(both)
    made = _pairs(predicted)
    wanted = _pairs(truth)
    return Scores(correct / made if made else 1.0, correct / wanted if wanted else 1.0)


def known_scores(posts: Sequence[Post], predicted: dict[str, set[str]]) -> Scores:
    """Precision and recall of (post, known hoax) pairs."""
    truth = {(p.post_id, p.known) for p in posts if p.known}
    made = {(p.post_id, k) for p in posts for k in predicted.get(p.post_id, set())}
    correct = len(truth & made)
    return Scores(correct / len(made) if made else 1.0, correct / len(truth) if truth else 1.0)


Outcome = tuple[dict[str, int | None], dict[str, set[str]]]
#: Streams posts through a clustering; returns each post's case and its known hoaxes.
Runner = Callable[[Sequence[Post], dict[str, str], ClaimSettings, int], Outcome]


class StoreRun:
    """Streams the posts through ``flag_into_cases`` on a fresh SQLite store."""

    def __init__(self, template: Path, workdir: Path) -> None:
        self.template = template
        self.workdir = workdir

    def __call__(
        self, posts: Sequence[Post], known: dict[str, str], settings: ClaimSettings, batch: int
    ) -> Outcome:
        path = self.workdir / "run.db"
        shutil.copy(self.template, path)
        db = Database(f"sqlite:///{path}")
        try:
            return self._run(db, posts, known, settings, batch)
        finally:
            db.dispose()

    @staticmethod
    def _run(
        db: Database,
        posts: Sequence[Post],
        known: dict[str, str],
        settings: ClaimSettings,
        batch: int,
    ) -> Outcome:
        records = read_known_hoaxes(DATA / "known_hoaxes.csv")
        with db.transaction() as session:
            source = SourceRow(name="eval", kind="file", settings={}, consecutive_failures=0)
            session.add(source)
            session.flush()
            import_known_hoaxes(session, records, settings)
            label_of = {claim_hash(text): label for label, text in known.items()}
            known_label = {
                row_id: label_of[digest]
                for row_id, digest in session.execute(
                    select(KnownHoaxRow.id, KnownHoaxRow.claim_hash)
                ).all()
            }
            fetched = [
                FetchedPost(p.post_id, p.text, published_at=START + timedelta(minutes=i))
                for i, p in enumerate(posts)
            ]
            ingest(session, source.id, fetched, max_chars=20_000)
            ids = dict(session.execute(select(PostRow.external_id, PostRow.id)).all())
        for start in range(0, len(posts), batch):
            chunk = posts[start : start + batch]
            normalized = normalize_many([p.text for p in chunk])
            candidates = [
                CaseCandidate(
                    ids[p.post_id],
                    claim_key(n.tokens),
                    True,
                    p.text,
                    p.topic,
                    None,
                    START + timedelta(minutes=start + i),
                    n.tokens,
                )
                for i, (p, n) in enumerate(zip(chunk, normalized, strict=True))
            ]
            with db.transaction() as session:
                flag_into_cases(session, candidates, settings)
        with db.session() as session:
            external = {v: k for k, v in ids.items()}
            case_of: dict[str, int | None] = {
                external[post_id]: case_id
                for post_id, case_id in session.execute(
                    select(CasePostRow.post_id, CasePostRow.case_id)
                ).all()
            }
            linked: dict[int, set[str]] = {}
            for case_id, known_id in session.execute(
                select(KnownHoaxMatchRow.case_id, KnownHoaxMatchRow.known_hoax_id)
            ).all():
                linked.setdefault(case_id, set()).add(known_label[known_id])
        predicted = {
            post: linked.get(case, set()) for post, case in case_of.items() if case is not None
        }
        return case_of, predicted


def memory_run(
    posts: Sequence[Post], known: dict[str, str], settings: ClaimSettings, batch: int
) -> Outcome:
    """The same clustering with the in-process index."""
    index = MemoryIndex(settings)
    labels: dict[int, str] = {}
    texts = list(known.items())
    for (label, _), claim in zip(texts, normalize_many([text for _, text in texts]), strict=True):
        labels[index.add_known([claim_words(claim.tokens)])] = label
    numbers = {p.post_id: i for i, p in enumerate(posts)}
    for start in range(0, len(posts), batch):
        chunk = posts[start : start + batch]
        normalized = normalize_many([p.text for p in chunk])
        index.add_batch(
            items_for(
                [
                    (numbers[p.post_id], n.tokens, True, START + timedelta(minutes=start + i))
                    for i, (p, n) in enumerate(zip(chunk, normalized, strict=True))
                ],
                settings,
            )
        )
    names = {i: post_id for post_id, i in numbers.items()}
    case_of: dict[str, int | None] = {names[i]: c for i, c in index.case_of().items()}
    linked: dict[int, set[str]] = {}
    for hit in index.known_hits():
        linked.setdefault(hit.case_ref, set()).add(labels[hit.known_hoax_id])
    predicted = {post: linked.get(case, set()) for post, case in case_of.items() if case}
    return case_of, predicted


def evaluate(
    posts: list[Post],
    known: dict[str, str],
    settings: ClaimSettings,
    *,
    seeds: int,
    batch: int,
    runner: Runner,
) -> dict[str, dict[str, list[Scores]]]:
    """Scores per subset (all, dev, test) and kind (clusters, known), one per seed."""
    results: dict[str, dict[str, list[Scores]]] = {
        subset: {"clusters": [], "known": []} for subset in ("all", "dev", "test")
    }
    for seed in range(1, seeds + 1):
        order = posts[:]
        random.Random(seed).shuffle(order)
        case_of, predicted = runner(order, known, settings, batch)
        for subset in results:
            chosen = [p for p in posts if subset == "all" or half(p.group) == subset]
            results[subset]["clusters"].append(pairwise(chosen, case_of))
            results[subset]["known"].append(known_scores(chosen, predicted))
    return results


def _summary(scores: list[Scores]) -> str:
    p = [s.precision for s in scores]
    r = [s.recall for s in scores]
    return (
        f"P {statistics.mean(p):.3f} (min {min(p):.3f})  "
        f"R {statistics.mean(r):.3f} (min {min(r):.3f})  "
        f"F1 {statistics.mean(s.f1 for s in scores):.3f}"
    )


def _describe(posts: Sequence[Post]) -> str:
    groups = Counter(p.group for p in posts)
    topics = Counter(p.topic for p in posts)
    return (
        f"{len(posts)} posts, {len(groups)} claim groups "
        f"({sum(1 for n in groups.values() if n > 1)} with copies), {len(topics)} topics, "
        f"{sum(1 for p in posts if p.known)} posts resurfacing "
        f"{len({p.known for p in posts if p.known})} known hoaxes"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=5, help="stream orders to average over")
    parser.add_argument("--batch", type=int, default=50, help="posts per flag call")
    parser.add_argument("--memory", action="store_true", help="in-process index, no store")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a ClaimSettings field, e.g. --set similarity_threshold=0.55",
    )
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    settings = ClaimSettings.model_validate({**ClaimSettings().model_dump(), **overrides})
    posts, known = load(args.data)
    print(_describe(posts))
    print(
        "settings: "
        + ", ".join(
            f"{name}={getattr(settings, name)}"
            for name in (
                "similarity_threshold",
                "known_hoax_threshold",
                "containment_discount",
                "min_containment_words",
                "lsh_bands",
                "lsh_rows",
            )
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        runner: Runner = memory_run
        if not args.memory:
            template = Path(tmp) / "template.db"
            migrated = Database(f"sqlite:///{template}")
            migrated.upgrade()
            migrated.dispose()
            runner = StoreRun(template, Path(tmp))
        results = evaluate(
            posts, known, settings, seeds=args.seeds, batch=args.batch, runner=runner
        )
    print(f"index: {'memory' if args.memory else 'store (SQLite)'}; {args.seeds} stream orders")
    for subset, kinds in results.items():
        size = sum(1 for p in posts if subset == "all" or half(p.group) == subset)
        print(f"[{subset}: {size} posts]")
        print(f"  clustering  {_summary(kinds['clusters'])}")
        print(f"  known hoax  {_summary(kinds['known'])}")


if __name__ == "__main__":
    main()
