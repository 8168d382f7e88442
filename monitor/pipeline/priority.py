"""Case priority as the pipeline uses it; the formula lives in :mod:`monitor.claims.priority`.

``priority = probability × reach × velocity × topic_weight × known_boost`` — see that
module for each part. Kept here so the pipeline's stages stay importable from one package.
"""

from monitor.claims.priority import FORMULA, PriorityInputs, case_priority, priority_parts

__all__ = ["FORMULA", "PriorityInputs", "case_priority", "priority_parts"]
