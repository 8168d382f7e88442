"""Case priority: how urgently a claim needs a reviewer.

``priority = probability × (1 + log10(1 + engagement)) × (1 + log10(posts))``

A likelier hoax ranks higher; reach and repetition raise it on a log scale so one viral
post does not drown every other claim. The clustering issue extends this formula with
velocity, topic sensitivity and known-hoax matches.
"""

from __future__ import annotations

import math


def case_priority(max_probability: float, engagement: int, post_count: int) -> float:
    """The priority of a case from its strongest score, total engagement and size."""
    reach = 1.0 + math.log10(1 + max(0, engagement))
    repetition = 1.0 + math.log10(max(1, post_count))
    return round(max(0.0, max_probability) * reach * repetition, 6)
