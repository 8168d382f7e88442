"""External check on the Mendeley 600-article corpus (evaluation only; nothing is saved).

Run from the repository root::

    .venv/bin/python benchmarks/mendeley_check.py
    .venv/bin/python benchmarks/mendeley_check.py --data ../shared/data/mendeley-600/x.csv

It reports

(a) the shipped model (newest under ``models/``) on all 600 articles, and
(b) ``pantau train`` on that file with 12-fold cross-validation grouped by topic
    (topic = row // 50), with its default parameters and with ``--tune`` (C and the
    surface weight chosen by inner topic-grouped CV inside every fold, so still a clean
    hold-out), next to a TF-IDF + logistic regression baseline under the same folds.

Both go through the same functions as the commands, which are (equivalently)::

    pantau evaluate --data FILE --text-col berita --label-col tagging --hoax-value hoax \
        --valid-value valid --group-col "" --include-seen --json
    pantau train FILE --text-col berita --label-col tagging --hoax-value hoax \
        --valid-value valid --topic-col "" --group-col "" --date-col "" \
        --rows-per-topic 50 --topic-folds 12 --no-save --json [--tune]

(the script prints them with the file filled in).

The corpus is never copied into the project and no model trained on it is written: (b)
validates only (``fit_final=False``), and plots from (a) go to a temporary directory.

What limits (b), measured 2026-11-27 (scratch experiments, nothing kept): the issue aims
for ROC-AUC 0.80 under topic folds, and no lexical model we tried gets there.

- Our estimator over a grid of 48 settings (C 0.3-10, surface weight 0/0.05, topic filter
  0.3/0.5/0.7, word n-grams 1-2), each scored on the test folds themselves (so optimistic):
  best 0.723. Chosen honestly by nested inner CV (``--tune``): 0.696.
- Other families under the same folds: NB-SVM 0.702, raw-word TF-IDF 0.66-0.70, char
  n-grams 0.655, LSA + LR 0.661-0.664, the first 300/600 characters only 0.620/0.654.
- Mean ROC-AUC within a single topic is no higher than the pooled one (0.66-0.73), so
  the loss is not a per-topic score offset: the models cannot rank articles on one topic.
- Each of the three human referees reaches ROC-AUC 0.83-0.91 against the other two
  where those agree (71% of items unanimous), so the labels are learnable; but a referee
  judges whether the claim is true, which needs knowledge of the world that word counts
  from 550 articles on 11 other topics do not carry. The same features score 0.765-0.786
  under near-duplicate folds, where the topic has been seen.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, roc_auc_score  # noqa: E402

from monitor.model.dataset import LabelledData, LoadOptions, load_labelled  # noqa: E402
from monitor.model.evaluate import evaluate_model  # noqa: E402
from monitor.model.grouping import assign_group_folds, fold_splits  # noqa: E402
from monitor.model.registry import newest_model  # noqa: E402
from monitor.model.scorer import Scorer  # noqa: E402
from monitor.model.train import TrainConfig, train_model  # noqa: E402
from monitor.model.tuning import TuningGrid, describe_choices  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared/data/mendeley-600/600 news with valid hoax label.csv"
OPTIONS = LoadOptions(
    text_columns=("berita",),
    label_column="tagging",
    hoax_value="hoax",
    valid_values=("valid",),
    topic_column=None,
    group_column=None,
    date_column=None,
    rows_per_topic=50,
)


def _fmt(entry: dict[str, Any]) -> str:
    return f"{entry['value']:.3f} [{entry['low']:.3f}, {entry['high']:.3f}]"


def shipped_model_check(data: LabelledData, n_boot: int) -> None:
    """(a): the newest shipped model scores every article."""
    newest = newest_model(REPO / "models")
    if newest is None:
        raise SystemExit("no model under models/")
    scorer = Scorer.load(newest.path)
    with tempfile.TemporaryDirectory() as plots:
        report = evaluate_model(
            scorer, newest.path, data, include_seen=True, plots_dir=Path(plots), n_boot=n_boot
        )
    metrics = report["metrics"]
    print(f"(a) shipped model {scorer.version} on all {report['n']} articles")
    print(f"    ROC-AUC  {_fmt(metrics['roc_auc'])}")
    print(f"    PR-AUC   {_fmt(metrics['pr_auc'])}")
    print(
        f"    at its threshold {scorer.threshold:.3f}: precision {_fmt(metrics['precision'])}, "
        f"recall {_fmt(metrics['recall'])}, accuracy {_fmt(metrics['accuracy'])}"
    )
    print(f"    rows seen in training: {report['rows_seen_in_training']} (expected 0)")


def mean_topic_auc(y: np.ndarray, probabilities: np.ndarray, topics: np.ndarray) -> float:
    """Mean of the per-topic ROC-AUCs (topics holding both labels).

    Under topic folds each fold is one topic, so this is the mean of per-fold ROC-AUCs, the
    usual way grouped cross-validation is summarised (scikit-learn's ``cross_validate``),
    and how the issue's baseline figure of 0.70 reads; the pooled ROC-AUC over all
    out-of-fold scores, which the reports give first, also asks scores of different
    topics to be comparable, and is lower.
    """
    values = [
        roc_auc_score(y[topics == topic], probabilities[topics == topic])
        for topic in np.unique(topics.astype(str))
        if len(np.unique(y[topics == topic])) == 2
    ]
    return float(np.mean(values))


def baseline_cv(data: LabelledData, topics: np.ndarray, folds: int) -> np.ndarray:
    """TF-IDF + logistic regression (scikit-learn defaults) under the same topic folds."""
    texts = np.asarray(data.texts, dtype=object)
    y = data.y
    out = np.zeros(len(y))
    for train, test in fold_splits(assign_group_folds(topics, folds)):
        vectorizer = TfidfVectorizer()
        model = LogisticRegression(max_iter=1000)
        model.fit(vectorizer.fit_transform(texts[train]), y[train])
        out[test] = model.predict_proba(vectorizer.transform(texts[test]))[:, 1]
    return out


def topic_cv_check(data: LabelledData, folds: int, n_boot: int, jobs: int, tune: bool) -> None:
    """(b): `pantau train --rows-per-topic 50 --topic-folds 12 --no-save [--tune]`."""
    start = time.perf_counter()
    config = TrainConfig(
        topic_folds=folds, n_boot=n_boot, n_jobs=jobs, tuning=TuningGrid() if tune else None
    )
    result = train_model(data, config, fit_final=False)
    y = data.y
    topics = np.asarray(data.topics, dtype=object).astype(str)
    ours = result.predictions["topic"]
    report = result.evaluation["topic"]
    metrics = report["metrics"]
    flag = " --tune" if tune else ""
    print(f"(b) pantau train{flag}, {report['description']} ({time.perf_counter() - start:.0f} s)")
    per_topic = mean_topic_auc(y, ours, topics)
    print(f"    ROC-AUC  {_fmt(metrics['roc_auc'])} pooled; mean per topic {per_topic:.3f}")
    print(f"    PR-AUC   {_fmt(metrics['pr_auc'])}")
    print(f"    accuracy at 0.5                 {accuracy_score(y, ours >= 0.5):.3f}")
    print(
        f"    at cross-fitted thresholds for precision {config.target_precision}: "
        f"precision {_fmt(metrics['precision'])}, recall {_fmt(metrics['recall'])}, "
        f"accuracy {_fmt(metrics['accuracy'])}"
    )
    if tune:
        print(f"    chosen per fold: {describe_choices(report['tuning']['chosen'])}")
    other = result.evaluation[result.primary_scheme]
    print(f"    (also: {other['description']}: ROC-AUC {_fmt(other['metrics']['roc_auc'])})")


def baseline_check(data: LabelledData, folds: int) -> None:
    """The plain TF-IDF + LR baseline under (b)'s topic folds."""
    y = data.y
    topics = np.asarray(data.topics, dtype=object).astype(str)
    base = baseline_cv(data, topics, folds)
    print(
        f"(b) baseline TF-IDF + LR, same folds: ROC-AUC {roc_auc_score(y, base):.3f} pooled; "
        f"mean per topic {mean_topic_auc(y, base, topics):.3f}; "
        f"accuracy at 0.5 {accuracy_score(y, base >= 0.5):.3f}"
    )


def equivalent_commands(path: Path, folds: int) -> list[str]:
    """The ``pantau`` commands that compute (a) and (b) on ``path``."""
    quoted = shlex.quote(str(path))
    columns = "--text-col berita --label-col tagging --hoax-value hoax --valid-value valid"
    return [
        f"pantau evaluate --data {quoted} {columns} --group-col '' --include-seen --json",
        f"pantau train {quoted} {columns} --topic-col '' --group-col '' --date-col '' "
        f"--rows-per-topic {OPTIONS.rows_per_topic} --topic-folds {folds} --no-save --json",
        f"pantau train {quoted} {columns} --topic-col '' --group-col '' --date-col '' "
        f"--rows-per-topic {OPTIONS.rows_per_topic} --topic-folds {folds} --no-save --json "
        "--tune",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the 600-article CSV")
    parser.add_argument("--folds", type=int, default=12, help="topic folds for (b)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--jobs", type=int, default=1, help="folds fitted in parallel")
    parser.add_argument("--skip-a", action="store_true", help="only run (b)")
    parser.add_argument(
        "--skip-tuned", action="store_true", help="skip (b) with --tune (~3 minutes)"
    )
    args = parser.parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"no such file: {args.data}")
    data = load_labelled([args.data], OPTIONS)
    counts = data.label_counts()
    print(
        f"{len(data)} articles ({counts['hoax']} hoax, {counts['valid']} valid), "
        f"{len(data.problems)} skipped, read as {data.files[0].encoding} / "
        f"{data.files[0].delimiter!r}"
    )
    if not args.skip_a:
        shipped_model_check(data, args.bootstrap)
    topic_cv_check(data, args.folds, args.bootstrap, args.jobs, tune=False)
    if not args.skip_tuned:
        topic_cv_check(data, args.folds, args.bootstrap, args.jobs, tune=True)
    baseline_check(data, args.folds)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("equivalent commands (a), (b), (b) tuned:")
    for command in equivalent_commands(args.data, args.folds):
        print(f"    {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
