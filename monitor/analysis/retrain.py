"""Retraining for analysts: plan, train a candidate, promote it only when it is better.

The steps of ``notebooks/01_retrain.ipynb``, each a call here::

    plan = RetrainPlan.from_environment()                  # full, or fast smoke settings
    active = pin_active_model(session, models_dir, actor)  # the model scoring posts now
    split = split_heldout(frame, training_fingerprints(active_dir), ...)
    candidate = train_candidate(split.train, models_dir, plan.train)
    comparison = compare_models(candidate.path, active_dir, split.heldout)
    promote_if_better(session, comparison, models_dir, actor=actor)

Why pin first: when the store has never recorded an activation, the pipeline scores with
the NEWEST model folder, so merely saving a candidate would put it in charge. Pinning
records the current model as active before anything new is written.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from monitor.analysis.compare import Comparison
from monitor.analysis.frames import STORE, to_labelled
from monitor.analysis.heldout import row_groups, sample_by_group
from monitor.model.card import save_trained_model
from monitor.model.dataset import LoadOptions
from monitor.model.estimator import ModelParams
from monitor.model.registry import model_path, next_version
from monitor.model.train import ProgressCallback, TrainConfig, TrainResult, train_model
from monitor.model.tuning import TuningGrid
from monitor.pipeline.score import resolve_model_version
from monitor.store.models_registry import (
    ModelActivationRow,
    activate_model,
    active_model_version,
)

#: Set to ``1`` to run the notebooks with fast settings into a scratch model registry.
SMOKE_ENV = "PANTAU_NOTEBOOK_SMOKE"


@dataclass(frozen=True, slots=True)
class RetrainPlan:
    """How to retrain: training settings, held-out share, bootstrap size, sample size.

    ``max_rows`` (smoke runs only) trains on a sample of whole claim groups; ``smoke`` also
    tells the notebook to write into a scratch registry instead of ``models/``.
    """

    train: TrainConfig
    heldout_fraction: float = 0.3
    compare_bootstrap: int = 1000
    max_rows: int | None = None
    seed: int = 0
    smoke: bool = False

    @classmethod
    def full(cls) -> RetrainPlan:
        """The settings ``pantau train`` uses, 1000 bootstrap resamples."""
        return cls(train=TrainConfig())

    @classmethod
    def smoke_test(cls) -> RetrainPlan:
        """Fast settings for tests: two folds, shorter char n-grams, a few hundred rows.

        The model it trains is only good enough to exercise the steps.
        """
        params = ModelParams(c=1.0, char_ngram_max=4, calibration_folds=2, max_iter=100)
        return cls(
            train=TrainConfig(params=params, folds=2, topic_folds=2, n_boot=20),
            compare_bootstrap=50,
            max_rows=400,
            smoke=True,
        )

    def select_rows(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """Return the rows to work with and their groups (see :func:`row_groups`).

        With ``max_rows``, a seeded sample of whole groups that keeps every reviewer label.
        """
        groups = row_groups(frame)
        frame = frame.reset_index(drop=True)
        if self.max_rows is None or len(frame) <= self.max_rows:
            return frame, groups
        keep = (frame["source"] == STORE).to_numpy()
        mask = sample_by_group(groups, self.max_rows, seed=self.seed, keep=keep)
        return frame.loc[mask].reset_index(drop=True), groups[mask]

    def tuned(self, grid: TuningGrid | None = None) -> RetrainPlan:
        """This plan with C and the surface weight chosen by nested inner CV.

        The same as ``pantau train --tune`` (default grid unless ``grid``); training takes
        about four times as long.
        """
        return dataclasses.replace(
            self, train=dataclasses.replace(self.train, tuning=grid or TuningGrid())
        )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> RetrainPlan:
        """The smoke plan when ``PANTAU_NOTEBOOK_SMOKE=1``, else the full plan."""
        environ = os.environ if environ is None else environ
        return cls.smoke_test() if environ.get(SMOKE_ENV, "") == "1" else cls.full()


def pin_active_model(session: Session, models_dir: Path, actor: str) -> str:
    """Return the version scoring posts now, recording it as active when nothing is.

    The caller commits.

    Raises:
        NoModelError: no model is active and none is installed in ``models_dir``.
    """
    version = resolve_model_version(session, models_dir)
    if active_model_version(session) is None:
        activate_model(
            session,
            version,
            actor,
            note="pinned before retraining, so a new model folder does not take over scoring",
        )
    return version


def scratch_registry(
    models_dir: Path, versions: Sequence[str], *, parent: Path | None = None
) -> Path:
    """Copy ``versions`` of ``models_dir`` into a new temporary registry and return it.

    The registry is a fresh folder under ``parent`` (default: the system's temporary
    directory). Smoke runs train their candidate there, never in the repository's
    ``models/``. The caller removes the folder when done.

    Raises:
        ModelNotFound: a version is not in ``models_dir``.
    """
    sources = [model_path(models_dir, version) for version in versions]
    scratch = Path(tempfile.mkdtemp(prefix="pantau-models-", dir=parent))
    for source in sources:
        shutil.copytree(source, scratch / source.name)
    return scratch


@dataclass(slots=True)
class TrainedCandidate:
    """A trained and saved candidate: its version, folder and training report."""

    version: str
    path: Path
    result: TrainResult = field(repr=False)

    def validation(self) -> pd.DataFrame:
        """Return the cross-validation metrics of training, one row per scheme."""
        rows = []
        for scheme, report in self.result.evaluation.items():
            entry: dict[str, object] = {"scheme": scheme, "rows": report["n"]}
            for name in ("pr_auc", "roc_auc", "precision", "recall"):
                entry[name] = report["metrics"][name]["value"]
            rows.append(entry)
        return pd.DataFrame(rows).set_index("scheme")


def train_candidate(
    frame: pd.DataFrame,
    models_dir: Path,
    config: TrainConfig,
    *,
    version: str | None = None,
    progress: ProgressCallback | None = None,
) -> TrainedCandidate:
    """Train on ``frame`` with ``pantau train``'s code path and save the model.

    The version defaults to the next ``YYYY.MM.DD-N`` of ``models_dir``. Saving does not
    make the model active. BLAS runs single-threaded meanwhile: liblinear's many tiny
    vector operations are up to a hundred times slower when OpenBLAS spreads each over
    threads (measured on a busy two-core machine), and the folds are small anyway.

    Raises:
        ValueError: the rows hold a single class or a single group.
        ValidationError: a fold cannot be fitted.
        RegistryError: the version exists already.
    """
    data = to_labelled(frame)
    with threadpool_limits(limits=1, user_api="blas"):
        result = train_model(data, config, progress=progress)
    chosen = version or next_version(models_dir)
    path = save_trained_model(result, models_dir, chosen, LoadOptions())
    return TrainedCandidate(version=chosen, path=path, result=result)


@dataclass(frozen=True, slots=True)
class PromotionOutcome:
    """Whether the candidate became the active model, and why (not)."""

    promoted: bool
    active_version: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        head = "promoted" if self.promoted else "not promoted"
        return f"{head}; active model: {self.active_version}\n" + "\n".join(
            f"- {r}" for r in self.reasons
        )


def promote_if_better(
    session: Session,
    comparison: Comparison,
    models_dir: Path,
    *,
    actor: str,
    note: str | None = None,
    dry_run: bool = False,
) -> PromotionOutcome:
    """Activate the candidate when ``comparison.better``; the caller commits.

    Nothing changes when the comparison says no, or when the model scoring posts is no
    longer the one the candidate was compared with (someone promoted meanwhile; on
    PostgreSQL the newest activation row is locked first, so two analysts promoting at
    once are serialised and the second sees the first one's model). With
    ``dry_run`` nothing is written either way; the outcome says what would have happened
    (smoke runs, whose candidate lives in a scratch registry the pipeline never reads).

    Raises:
        NoModelError: no model is active and none is installed.
        ModelNotFound: the candidate's folder is not in ``models_dir``.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(ModelActivationRow.id)
            .order_by(ModelActivationRow.id.desc())
            .limit(1)
            .with_for_update()
        )
    current = resolve_model_version(session, models_dir)
    if not comparison.better:
        return PromotionOutcome(False, current, tuple(comparison.reasons))
    if current != comparison.active_version:
        return PromotionOutcome(
            False,
            current,
            (
                f"the active model is {current}, not {comparison.active_version} as when "
                "the models were compared; compare again",
            ),
        )
    model_path(models_dir, comparison.candidate_version)
    if dry_run:
        return PromotionOutcome(
            False,
            current,
            (*comparison.reasons, "dry run: the candidate would have been promoted"),
        )
    activate_model(
        session,
        comparison.candidate_version,
        actor,
        note=note or comparison.summary(),
    )
    return PromotionOutcome(True, comparison.candidate_version, tuple(comparison.reasons))
