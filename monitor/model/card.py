"""Model cards (JSON for machines, Markdown for people) and writing a trained model folder."""

from __future__ import annotations

import json
import os
import platform
import shutil
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from monitor.model.dataset import LoadOptions
from monitor.model.estimator import ModelParams
from monitor.model.persist import save_estimator
from monitor.model.registry import (
    CARD_JSON,
    CARD_MD,
    FINGERPRINTS_FILE,
    MODEL_FILE,
    publish_model_dir,
)
from monitor.model.tables import file_sha256
from monitor.model.train import TrainResult
from monitor.text import NORMALIZER_VERSION

CARD_SCHEMA_VERSION = 1
_LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "pandas", "PySastrawi")
_SHOWN_METRICS = (
    ("roc_auc", "ROC-AUC"),
    ("pr_auc", "PR-AUC"),
    ("macro_f1", "macro-F1"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("brier", "Brier"),
)


def _library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = package_version(name)
        except PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def _display_path(path: str) -> str:
    """Paths inside the working directory are recorded relative to it (portable cards)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def describe_estimator(params: ModelParams, *, topic_filter: bool) -> str:
    """One line saying what the estimator is, as the card records it."""
    ngrams = (
        f"n-grams used in at least {params.min_topic_fraction:.0%} of the training topics"
        if topic_filter
        else "every n-gram seen in training (no topic filter: too few topics)"
    )
    surface = "log1p+scaled surface features" + (
        ", clipped to their training range" if params.clip_surface else ""
    )
    return (
        "CalibratedClassifierCV(method=sigmoid, ensemble=False) over a Pipeline of "
        "word TF-IDF (normalized text), char_wb TF-IDF (raw text, case kept), "
        f"{surface}, keeping {ngrams}, and LogisticRegression(class_weight=balanced)"
    )


def build_card(
    result: TrainResult,
    *,
    version: str,
    options: LoadOptions,
    created: datetime | None = None,
) -> dict[str, Any]:
    """Return the card of a trained model, without the ``model`` section (added on save)."""
    data = result.data
    counts = data.label_counts()
    estimator = result.estimator
    sizes: dict[str, int] = {}
    selection: dict[str, Any] = {}
    if estimator is not None:
        pipeline = estimator.calibrated_classifiers_[0].estimator
        features = pipeline.named_steps["features"]
        sizes = {name: int(s.stop - s.start) for name, s in features.output_indices_.items()}
        selector = pipeline.named_steps["select"]
        selection = {
            "columns_kept": int(selector.get_support().sum()),
            "topic_filter": getattr(selector, "allowed", None) is not None,
        }
    files = []
    for summary in data.files:
        entry = summary.to_json()
        entry["path"] = _display_path(summary.path)
        files.append(entry)
    return {
        "schema_version": CARD_SCHEMA_VERSION,
        "version": version,
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "normalizer_version": NORMALIZER_VERSION,
        "task": "hoax (1) vs valid (0) for Indonesian public posts; probability of hoax",
        "estimator": describe_estimator(
            result.config.params, topic_filter=bool(selection.get("topic_filter"))
        ),
        "features": {
            "surface": list(result.feature_names),
            "sizes": sizes,
            **selection,
        },
        "data": {
            "files": files,
            "rows": len(data),
            "labels": counts,
            "hoax_share": round(counts["hoax"] / max(len(data), 1), 4),
            "rows_skipped": len(data.problems),
            "topics": len({t for t in data.topics if t is not None}),
            "claim_groups": len({g for g in data.claim_groups if g is not None}),
            "options": options.to_json(),
        },
        "parameters": {**result.config.params.to_json(), **result.config.to_json()},
        "tuning_selection": result.selection.to_json() if result.selection else None,
        "threshold": {
            "value": round(result.threshold.threshold, 6),
            "target_precision": result.threshold.target_precision,
            "target_met": result.threshold.target_met,
            "precision_at_choice": round(result.threshold.precision, 4),
            "recall_at_choice": round(result.threshold.recall, 4),
            "chosen_on": f"out-of-fold predictions of the {result.primary_scheme} CV",
        },
        "evaluation": {"primary": result.primary_scheme, "schemes": result.evaluation},
        "libraries": _library_versions(),
        "notes": list(result.notes),
    }


def _fmt(entry: dict[str, Any]) -> str:
    value, low, high = entry.get("value"), entry.get("low"), entry.get("high")
    if value is None:
        return "n/a"
    if low is None or high is None:
        return f"{value:.3f}"
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def render_markdown(card: dict[str, Any]) -> str:
    """Return the short human-readable model card."""
    data = card["data"]
    threshold = card["threshold"]
    lines = [
        f"# Pantau hoax model {card['version']}",
        "",
        f"Created {card['created']} · normalizer {card['normalizer_version']} · "
        f"scikit-learn {card['libraries'].get('scikit-learn', '?')}",
        "",
        "## What it does",
        "",
        "Scores an Indonesian public post with a calibrated probability that it is a hoax, "
        "and explains the score with the terms and surface features that pushed it. It "
        "prioritises posts for human review; it does not decide what is true.",
        "",
        "## Training data",
        "",
        f"{data['rows']} rows ({data['labels']['hoax']} hoax, {data['labels']['valid']} valid, "
        f"hoax share {data['hoax_share']:.2f}); {data['rows_skipped']} rows skipped; "
        f"{data['topics']} topics, {data['claim_groups']} claim groups.",
        "",
        "| file | sha256 | rows used |",
        "|---|---|---|",
    ]
    for entry in data["files"]:
        lines.append(f"| {entry['path']} | `{entry['sha256'][:16]}…` | {entry['rows_used']} |")
    lines += [
        "",
        "## Evaluation (95% bootstrap intervals over groups)",
        "",
        "| scheme | " + " | ".join(label for _, label in _SHOWN_METRICS) + " |",
        "|---|" + "---|" * len(_SHOWN_METRICS),
    ]
    for name, scheme in card["evaluation"]["schemes"].items():
        cells = " | ".join(_fmt(scheme["metrics"][key]) for key, _ in _SHOWN_METRICS)
        lines.append(f"| {name} | {cells} |")
    lines += [""]
    for name, scheme in card["evaluation"]["schemes"].items():
        lines.append(
            f"- **{name}**: {scheme['description']}; threshold {scheme['threshold_rule']}."
        )
    lines += [
        "",
        "## Threshold",
        "",
        f"A post is flagged at probability ≥ {threshold['value']:.3f}, chosen on "
        f"{threshold['chosen_on']} for precision ≥ {threshold['target_precision']:.2f} "
        f"(met: {'yes' if threshold['target_met'] else 'no'}; precision "
        f"{threshold['precision_at_choice']:.2f}, recall {threshold['recall_at_choice']:.2f} "
        "there).",
        "",
        "## Limits",
        "",
        "- Trained on a corpus written by this project's authors, not on posts collected in "
        "the wild; expect lower scores on real traffic and on topics the corpus lacks.",
        "- Style cues (capitals, exclamation marks, calls to share) carry weight; a hoax "
        "written in sober news style scores lower, a sincere urgent warning higher.",
        "- Indonesian only; posts in other languages get unreliable scores.",
    ]
    if card.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in card["notes"]]
    return "\n".join(lines) + "\n"


def save_trained_model(
    result: TrainResult,
    models_dir: Path,
    version: str,
    options: LoadOptions,
    created: datetime | None = None,
) -> Path:
    """Write ``model.skops``, ``card.json``, ``card.md`` and ``fingerprints.txt`` for a
    trained result into ``models_dir/version`` and return that folder.

    Raises:
        ValueError: the result has no fitted estimator.
        RegistryError: the version exists already or is invalid.
    """
    if result.estimator is None:
        raise ValueError("nothing to save: the model was only validated")
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = models_dir / f".staging-{version}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        model_file = save_estimator(result.estimator, staging / MODEL_FILE)
        card = build_card(result, version=version, options=options, created=created)
        card["model"] = {
            "file": MODEL_FILE,
            "format": "skops",
            "sha256": file_sha256(model_file),
            "bytes": model_file.stat().st_size,
        }
        (staging / CARD_JSON).write_text(
            json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / CARD_MD).write_text(render_markdown(card), encoding="utf-8")
        (staging / FINGERPRINTS_FILE).write_text(
            "".join(f"{f}\n" for f in result.fingerprints), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return publish_model_dir(staging, models_dir, version)
