"""Case priority: how urgently a claim needs a reviewer. One formula, shown part by part.

::

    priority = probability × reach × velocity × topic_weight × known_boost

    reach        = 1 + log10(1 + engagement) + log10(authors)
    rate         = posts in the last ``velocity_window_hours`` / window hours
    earlier_rate = posts before that window / hours from the first post to the window
                   (at least one window long; 0 when the claim is younger than the window)
    trend        = (rate + s) / (earlier_rate + s), clipped to [trend_min, trend_max],
                   with s = ``velocity_smoothing``
    velocity     = 1 + log2(1 + rate) × trend
    topic_weight = ``topic_weights[topic]`` (``default_topic_weight`` otherwise)
    known_boost  = ``known_hoax_boost`` when the case resurfaces a known hoax, else 1

* ``probability`` is the strongest hoax score among the case's posts: no score, no
  priority, however viral (a claim that is surely not a hoax needs nobody).
* Reach grows on a log scale with engagement (likes + shares + comments) and with the
  number of distinct authors, so one viral post does not drown every other claim.
* Velocity compares the claim with its own history: a claim posted 5 times an hour that
  used to be posted once a day is accelerating (trend up to ``trend_max``); one that slows
  down loses up to half its velocity bonus.
* Times are measured up to the claim's newest post (``as_of``), so the score is
  reproducible; :func:`monitor.claims.aggregates.refresh_cases` with ``as_of=now`` lets it
  decay for claims that stopped spreading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from monitor.claims.settings import ClaimSettings

FORMULA = "probability × reach × velocity × topic_weight × known_boost"


@dataclass(frozen=True, slots=True)
class PriorityInputs:
    """What the priority of one case is computed from."""

    probability: float
    engagement: int
    authors: int
    posts: int
    recent_posts: int
    earlier_posts: int
    #: Hours from the first post to the start of the recent window (0 if none).
    earlier_hours: float
    topic: str | None
    known_hoax: bool


def priority_parts(inputs: PriorityInputs, settings: ClaimSettings) -> dict[str, Any]:
    """Every part of the formula and the resulting ``priority``, rounded for display."""
    window = settings.velocity_window_hours
    smoothing = settings.velocity_smoothing
    probability = min(1.0, max(0.0, inputs.probability))
    reach = 1.0 + math.log10(1 + max(0, inputs.engagement)) + math.log10(max(1, inputs.authors))
    rate = max(0, inputs.recent_posts) / window
    earlier_rate = (
        inputs.earlier_posts / max(inputs.earlier_hours, window)
        if inputs.earlier_posts > 0
        else 0.0
    )
    trend = (rate + smoothing) / (earlier_rate + smoothing)
    trend = min(settings.trend_max, max(settings.trend_min, trend))
    velocity = 1.0 + math.log2(1 + rate) * trend
    topic_weight = settings.topic_weight(inputs.topic)
    known_boost = settings.known_hoax_boost if inputs.known_hoax else 1.0
    priority = probability * reach * velocity * topic_weight * known_boost
    return {
        "formula": FORMULA,
        "priority": round(priority, 6),
        "probability": round(probability, 4),
        "reach": round(reach, 4),
        "engagement": inputs.engagement,
        "authors": inputs.authors,
        "posts": inputs.posts,
        "velocity": round(velocity, 4),
        "posts_per_hour": round(rate, 4),
        "earlier_posts_per_hour": round(earlier_rate, 4),
        "trend": round(trend, 4),
        "window_hours": window,
        "topic": inputs.topic,
        "topic_weight": topic_weight,
        "known_hoax": inputs.known_hoax,
        "known_boost": known_boost,
    }


def case_priority(inputs: PriorityInputs, settings: ClaimSettings | None = None) -> float:
    """The priority alone (see the module docstring for the formula)."""
    parts = priority_parts(inputs, settings or ClaimSettings())
    return float(parts["priority"])
