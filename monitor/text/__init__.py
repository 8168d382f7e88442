"""Indonesian social-media text normalizer: the one code path for ingest, scoring, training.

Public interface: :func:`normalize`, :func:`normalize_many`, :class:`NormalizedText`,
``FEATURE_NAMES`` and ``NORMALIZER_VERSION``.
"""

from monitor.text.pipeline import normalize, normalize_many
from monitor.text.types import FEATURE_NAMES, NORMALIZER_VERSION, NormalizedText

__all__ = [
    "FEATURE_NAMES",
    "NORMALIZER_VERSION",
    "NormalizedText",
    "normalize",
    "normalize_many",
]
