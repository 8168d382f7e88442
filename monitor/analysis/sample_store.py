"""A small generated store for the analysts' notebooks and their tests.

Built the way a real store fills up: the schema is initialised, a few topic watchlists are
declared, the bundled demo stream (``monitor/demo/demo_stream.jsonl``) is imported and
processed with the newest shipped model (which is recorded as the active one), three
people get accounts, and reviewers label about thirty of the cases through the review
workflow (:mod:`monitor.review.workflow`; when that package is not installed, label rows
are inserted directly).

The verdicts below were written for this sample from the demo posts' texts. They include
a corrected label (the newest row wins), a case left ``unsure`` after an earlier verdict
and a case only ever marked ``unsure``, so the label rules are exercised. The demo stream
is invented and not meant for training or evaluation: numbers computed on this store only
show that the notebooks run.

Run ``python -m monitor.analysis.sample_store var/sample.db`` to build one by hand.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.auth.users import create_user
from monitor.bootstrap import DEMO_STREAM, initialise
from monitor.config import Settings, WatchlistConfig
from monitor.model.persist import ModelFileError
from monitor.model.registry import newest_model
from monitor.model.scorer import Scorer
from monitor.pipeline.importer import import_file
from monitor.pipeline.score import NoModelError
from monitor.runtime import Runtime
from monitor.store.cases import CasePostRow
from monitor.store.db import Database
from monitor.store.models_registry import activate_model, active_model_version
from monitor.store.posts import PostRow
from monitor.store.review import LabelRow
from monitor.store.users import UserRow

log = logging.getLogger(__name__)

SOURCE_NAME = "demo"
ACTOR = "sample-store"

#: Topic watchlists named after the corpus topics, so cases carry comparable topics.
SAMPLE_WATCHLISTS = (
    WatchlistConfig(
        name="bansos", query="bansos OR blt OR pkh OR bpnt OR kemensos", topic="social_aid"
    ),
    WatchlistConfig(
        name="bencana",
        query="gempa OR tsunami OR banjir OR bmkg OR katulampa OR merapi OR badai",
        topic="disasters_bmkg",
    ),
    WatchlistConfig(
        name="bbm-lpg", query="lpg OR pertalite OR bbm OR solar OR spbu", topic="prices_fuel"
    ),
    WatchlistConfig(name="pemilu", query="kpu OR pemilu OR bawaslu", topic="elections_politics"),
    WatchlistConfig(
        name="pendidikan", query="sekolah OR kuliah OR kip OR ijazah OR ppdb", topic="education"
    ),
    WatchlistConfig(
        name="kesehatan",
        query="vaksin OR imunisasi OR bpjs OR virus OR obat OR kanker",
        topic="health_vaccines",
    ),
    WatchlistConfig(name="kejahatan", query="penculikan OR begal", topic="crime_security"),
    WatchlistConfig(
        name="penipuan",
        query="undian OR hadiah OR giveaway OR lowongan OR rekrutmen",
        topic="scams_prizes",
    ),
    WatchlistConfig(name="digital", query="kuota OR komdigi", topic="technology"),
)

#: (e-mail, name, role) of the sample's people; the first two label cases.
SAMPLE_USERS = (
    ("reviewer.ani@example.org", "Ani (central reviewer)", "central_reviewer"),
    ("reviewer.budi@example.org", "Budi (central reviewer)", "central_reviewer"),
    ("analis.citra@example.org", "Citra (analyst)", "analyst"),
)

Verdict = tuple[str, str | None, str]
#: Demo post id → the verdicts given on the case holding it, oldest first:
#: (verdict, hoax category, note).
SAMPLE_REVIEWS: dict[str, tuple[Verdict, ...]] = {
    # The repeating claims of the demo stream: hoaxes.
    "demo-0001": (("hoax", "imposter", "fake Kemensos registration link"),),
    "demo-0009": (("hoax", "fabricated", "KPU runs no online re-registration"),),
    "demo-0028": (("hoax", "fabricated", "no outbreak; schools open"),),
    "demo-0033": (("hoax", "fabricated", "PKH and BPNT continue"),),
    "demo-0059": (("hoax", "imposter", "BMKG does not predict earthquake dates"),),
    "demo-0084": (("hoax", "fabricated", "no LPG price decision"),),
    "demo-0121": (("hoax", "fabricated", "MR vaccine does not cause infertility"),),
    "demo-0126": (("hoax", "imposter", "KIP Kuliah charges no fee"),),
    "demo-0152": (("hoax", "imposter", "phishing link, not Komdigi"),),
    "demo-0166": (("hoax", "fabricated", "Katulampa intact"),),
    "demo-0187": (("hoax", "fabricated", "no abductions reported"),),
    "demo-0197": (("hoax", "imposter", "BUMN recruitment always has tests"),),
    "demo-0245": (("hoax", "false_context", "old plastic-rice hoax resurfacing"),),
    # One-off hoaxes.
    "demo-0034": (("hoax", "fabricated", "Pertalite not abolished"),),
    "demo-0082": (("hoax", "fabricated", "election not postponed"),),
    "demo-0146": (("hoax", "fabricated", "no cure for dengue in two days"),),
    "demo-0168": (("hoax", "satire", "joke taken literally"),),
    "demo-0200": (("hoax", "imposter", "lottery scam"),),
    "demo-0286": (("hoax", "fabricated", "coconut water does not kill cancer"),),
    # A reviewer was unsure, a colleague settled it: the newest verdict counts.
    "demo-0070": (
        ("unsure", None, "need the governor's office to confirm"),
        ("hoax", "fabricated", "governor's office denies any casino permit"),
    ),
    # A mistaken verdict, corrected.
    "demo-0012": (
        ("hoax", "misleading", ""),
        ("not_hoax", None, "correction: a thread on checking hoaxes"),
    ),
    # Doubt after a verdict, and doubt only: both are left out of training.
    "demo-0230": (
        ("hoax", "false_context", ""),
        ("unsure", None, "the video may be real; waiting for the immigration office"),
    ),
    "demo-0091": (("unsure", None, "asked BPOM"),),
    # Ordinary posts the model flagged: false alarms.
    "demo-0008": (("not_hoax", None, "asking for a mechanic"),),
    "demo-0024": (("not_hoax", None, "commuter complaint"),),
    "demo-0027": (("not_hoax", None, "weather chatter"),),
    "demo-0053": (("not_hoax", None, "football chatter"),),
    "demo-0105": (("not_hoax", None, "cat video"),),
    "demo-0122": (("not_hoax", None, "a parent correcting the rumour"),),
    "demo-0174": (("not_hoax", None, "a user correcting the rumour"),),
    "demo-0206": (("not_hoax", None, "official clarification"),),
    "demo-0224": (("not_hoax", None, "asking for IT help"),),
    "demo-0242": (("not_hoax", None, "Teachers' Day greeting"),),
}


@dataclass(frozen=True, slots=True)
class SampleStoreReport:
    """What :func:`build_sample_store` made."""

    path: Path
    url: str
    model_version: str
    posts: int
    cases: int
    labelled_cases: int
    label_rows: int
    users: int
    via_workflow: bool


def review_workflow() -> ModuleType | None:
    """Return :mod:`monitor.review.workflow`, or None when it cannot be imported."""
    try:
        return importlib.import_module("monitor.review.workflow")
    except ImportError:
        return None


def sample_settings(url: str, data_dir: Path, models_dir: Path) -> Settings:
    """Settings of the sample store: no demo source, topic watchlists, flag without them."""
    return Settings(
        database_url=url,
        data_dir=data_dir,
        models_dir=models_dir,
        seed_demo=False,
        flag_requires_watchlist=False,
        watchlists=list(SAMPLE_WATCHLISTS),
    )


def _cases_by_demo_id(session: Session, demo_ids: Sequence[str]) -> dict[int, str]:
    """Map each case holding one of ``demo_ids`` to the earliest such post's demo id."""
    rows = session.execute(
        select(CasePostRow.case_id, PostRow.external_id)
        .join(PostRow, PostRow.id == CasePostRow.post_id)
        .where(PostRow.external_id.in_(list(demo_ids)))
        .order_by(PostRow.id)
    )
    chosen: dict[int, str] = {}
    for case_id, external_id in rows:
        chosen.setdefault(case_id, external_id)
    return chosen


def add_sample_labels(
    session: Session, reviewers: Sequence[UserRow], workflow: ModuleType | None
) -> int:
    """Label every case holding a post of :data:`SAMPLE_REVIEWS`; return the label rows added.

    A case gets the verdicts of its earliest such post, given in turn by ``reviewers``.
    With ``workflow`` (:mod:`monitor.review.workflow`) each verdict goes through
    ``workflow.label`` (permissions, status change, audit); without, label rows are
    inserted directly.
    """
    rows = 0
    cases = _cases_by_demo_id(session, list(SAMPLE_REVIEWS))
    for turn, (case_id, demo_id) in enumerate(sorted(cases.items())):
        for step, (verdict, category, note) in enumerate(SAMPLE_REVIEWS[demo_id]):
            reviewer = reviewers[(turn + step) % len(reviewers)]
            if workflow is not None:
                workflow.label(
                    session, reviewer, case_id, verdict=verdict, category=category, note=note
                )
            else:
                session.add(
                    LabelRow(
                        case_id=case_id,
                        user_id=reviewer.id,
                        verdict=verdict,
                        category=category,
                        note=note,
                    )
                )
                session.flush()
            rows += 1
    missing = sorted(set(SAMPLE_REVIEWS) - set(cases.values()))
    if missing:
        log.info("sample reviews for posts in no case (not flagged): %s", ", ".join(missing))
    return rows


def build_sample_store(
    path: Path,
    models_dir: Path,
    *,
    stream: Path = DEMO_STREAM,
    use_workflow: bool = True,
) -> SampleStoreReport:
    """Create the sample SQLite store at ``path`` and return what it holds.

    ``use_workflow=False`` inserts label rows directly even when the review workflow is
    installed (the fallback path).

    Raises:
        FileExistsError: ``path`` exists (a store is never overwritten).
        NoModelError: ``models_dir`` holds no model.
        ModelFileError: the newest model cannot be loaded (checked before any post is
            processed, so a broken model fails fast instead of failing every post).
    """
    if path.exists():
        raise FileExistsError(f"{path} exists; the sample store is only written to a new file")
    newest = newest_model(models_dir)
    if newest is None:
        raise NoModelError(f"no model under {models_dir}")
    Scorer.load(newest.path)
    url = f"sqlite:///{path.resolve()}"
    settings = sample_settings(url, path.parent, models_dir)
    db = Database(url)
    try:
        initialise(db, settings)
        with db.transaction() as session:
            # initialise() activates the newest installed model on a new store; record
            # one here only when it did not (one activation row, whoever wrote it).
            if active_model_version(session) is None:
                activate_model(session, newest.version, ACTOR, note="sample store")
        import_file(db, stream, SOURCE_NAME, max_chars=settings.max_post_chars)
        runtime = Runtime(settings, db)
        try:
            runtime.process()
        finally:
            runtime.close()
        workflow = review_workflow() if use_workflow else None
        with db.transaction() as session:
            users = [
                create_user(session, email=email, name=name, role=role, actor=ACTOR)[0]
                for email, name, role in SAMPLE_USERS
            ]
            label_rows = add_sample_labels(session, users[:2], workflow)
        with db.session() as session:
            posts = session.scalar(select(func.count()).select_from(PostRow)) or 0
            cases = session.scalar(select(func.count(func.distinct(CasePostRow.case_id)))) or 0
            labelled = session.scalar(select(func.count(func.distinct(LabelRow.case_id)))) or 0
    finally:
        db.dispose()
    return SampleStoreReport(
        path=path,
        url=url,
        model_version=newest.version,
        posts=int(posts),
        cases=int(cases),
        labelled_cases=int(labelled),
        label_rows=label_rows,
        users=len(SAMPLE_USERS),
        via_workflow=workflow is not None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build a sample store from the command line; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path, help="SQLite file to create (must not exist)")
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    args = parser.parse_args(argv)
    try:
        report = build_sample_store(args.path, args.models_dir)
    except (FileExistsError, NoModelError, ModelFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{report.url}: {report.posts} posts, {report.cases} cases, "
        f"{report.labelled_cases} labelled cases ({report.label_rows} labels), "
        f"model {report.model_version}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
