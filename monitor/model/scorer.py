"""Score posts with a registered model: calibrated hoax probability, label, explanation.

Loading checks the model file against the sha256 in its card and every type in it against
an explicit allow-list (see :mod:`monitor.model.persist`). Scoring runs the compiled forward
pass, which equals the estimator's ``predict_proba`` and yields exact explanations.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from monitor.model.compiled import CompiledModel, Forward
from monitor.model.explain import Explanation, explain_batch
from monitor.model.inputs import surface_matrix
from monitor.model.persist import ModelFileError, load_estimator
from monitor.model.registry import MODEL_FILE, ModelNotFound, read_card
from monitor.model.tables import file_sha256
from monitor.text import NORMALIZER_VERSION, NormalizedText

log = logging.getLogger(__name__)

HOAX = "hoax"
VALID = "valid"

__all__ = ["HOAX", "VALID", "Explanation", "ScoreResult", "Scorer"]


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored post: ``label`` is ``"hoax"`` when ``probability >= threshold``."""

    probability: float
    label: str
    explanation: Explanation


_EMPTY = Explanation(up=[], down=[])


class Scorer:
    """A loaded model ready to score batches. Build it with :meth:`load`.

    Attributes:
        version: the model's version (its folder name).
        threshold: probability at or above which a post is labelled hoax.
        card: the parsed model card.
        normalizer_matches: False when the model was trained with another normalizer.
    """

    version: str
    threshold: float
    card: Mapping[str, Any]

    def __init__(
        self, version: str, threshold: float, card: Mapping[str, Any], compiled: CompiledModel
    ) -> None:
        self.version = version
        self.threshold = threshold
        self.card = card
        self.compiled = compiled
        self.normalizer_matches = card.get("normalizer_version") == NORMALIZER_VERSION

    @classmethod
    def load(cls, model_dir: Path, *, threshold: float | None = None) -> Scorer:
        """Load the model in ``model_dir``; ``threshold`` overrides the card's.

        Logs a warning when the card's normalizer version differs from the running one.

        Raises:
            ModelNotFound: the folder has no card.
            ModelFileError: the model file is missing, altered since the card was written,
                holds an untrusted type (UntrustedModelError) or has an unexpected layout.
        """
        card = read_card(model_dir)
        model_file = model_dir / MODEL_FILE
        if not model_file.is_file():
            raise ModelNotFound(f"{model_dir}: no {MODEL_FILE}")
        expected = card.get("model", {}).get("sha256")
        if expected and file_sha256(model_file) != expected:
            raise ModelFileError(f"{model_file}: sha256 differs from the one in its card")
        compiled = CompiledModel(load_estimator(model_file))
        if threshold is None:
            threshold = float(card["threshold"]["value"])
        scorer = cls(str(card.get("version", model_dir.name)), threshold, card, compiled)
        if not scorer.normalizer_matches:
            log.warning(
                "model %s was trained with normalizer %s but %s is running; "
                "scores may drift until the model is retrained",
                scorer.version,
                card.get("normalizer_version"),
                NORMALIZER_VERSION,
            )
        return scorer

    def probabilities(
        self, raw_texts: Sequence[str], normalized: Sequence[NormalizedText]
    ) -> np.ndarray:
        """Return the hoax probability of each post (no explanations)."""
        return self._forward(raw_texts, normalized, attribute=False).probability

    def score_many(
        self,
        raw_texts: Sequence[str],
        normalized: Sequence[NormalizedText],
        *,
        explain: bool = True,
        top_k: int = 8,
    ) -> list[ScoreResult]:
        """Score posts given as raw text plus the normalizer's output for each.

        Raises:
            ValueError: when the two sequences differ in length.
        """
        if not raw_texts and not normalized:
            return []
        forward = self._forward(raw_texts, normalized, attribute=explain)
        explanations = (
            explain_batch(forward, self.compiled.surface_names, top_k)
            if explain
            else [_EMPTY] * len(raw_texts)
        )
        return [
            ScoreResult(
                probability=float(p),
                label=HOAX if p >= self.threshold else VALID,
                explanation=e,
            )
            for p, e in zip(forward.probability, explanations, strict=True)
        ]

    def _forward(
        self, raw_texts: Sequence[str], normalized: Sequence[NormalizedText], *, attribute: bool
    ) -> Forward:
        # The columns of build_model_input, without the DataFrame: its construction cost
        # more than scoring a small batch.
        if len(raw_texts) != len(normalized):
            raise ValueError(
                f"{len(raw_texts)} raw texts but {len(normalized)} normalized texts; "
                "they must correspond one to one"
            )
        return self.compiled.forward(
            [str(t) for t in raw_texts],
            [n.text for n in normalized],
            surface_matrix(normalized, self.compiled.surface_names),
            attribute=attribute,
        )
