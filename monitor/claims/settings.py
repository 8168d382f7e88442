"""Settings of claim clustering, known-hoax matching and case priority.

The lead wires these in as ``Settings.claims``; until then every entry point falls back to
``ClaimSettings()`` (the defaults below). :func:`claim_settings` does that lookup.

The MinHash layout (``lsh_bands`` × ``lsh_rows`` and ``minhash_seed``) is baked into the
stored index: posts hashed with another layout never meet the stored band keys, so after
changing it run :func:`monitor.claims.index.rebuild_index` once.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

#: Topic weights used when none are configured. Topic names are the watchlists' topics.
DEFAULT_TOPIC_WEIGHTS: dict[str, float] = {
    "religion_ethnicity": 1.6,
    "elections_politics": 1.4,
    "disasters_bmkg": 1.4,
    "health_vaccines": 1.2,
    "crime_security": 1.2,
    "social_aid": 1.1,
    "scams_prizes": 1.1,
}


class ClaimSettings(BaseModel):
    """How posts are grouped into claims, matched to known hoaxes and ranked."""

    similarity_threshold: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description=(
            "A post joins a claim when its claim words reach this similarity with one of the "
            "claim's fingerprints (Jaccard, or discounted containment for shortened copies)."
        ),
    )
    known_hoax_threshold: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description="Similarity at or above which a case is linked to a known (clarified) hoax.",
    )
    known_containment_discount: float = Field(
        default=0.75,
        ge=0.0,
        le=1.0,
        description=(
            "containment_discount of the known-hoax matcher: a clarified claim is a short "
            "summary that a resurfacing post contains among other words."
        ),
    )
    containment_discount: float = Field(
        default=0.65,
        ge=0.0,
        le=1.0,
        description=(
            "Weight of containment (shared words / words of the shorter text) in the "
            "similarity; lets a shortened forward join the full message. 0 disables it."
        ),
    )
    min_containment_words: int = Field(
        default=8,
        ge=1,
        description="Containment counts only when the shorter text has at least this many words.",
    )
    stance_weight: float = Field(
        default=5.0,
        ge=1.0,
        description=(
            "Weight of the refutation marker in the similarity (other words weigh 1): keeps "
            "clarifications and fact checks out of the case of the hoax they refute."
        ),
    )
    min_shared_identifiers: int = Field(
        default=2,
        ge=0,
        description=(
            "Two texts of the same stance sharing every identifier (link domains, numbers of "
            "5+ digits such as phone numbers and amounts) of the one with fewer, at least "
            "this many, score containment_discount at least. 0 disables."
        ),
    )
    min_claim_words: int = Field(
        default=3,
        ge=1,
        description=(
            "Posts with fewer claim words (after dropping links, emoji, mentions and forward "
            "boilerplate) are too short to stand for a claim: they never join or get joined."
        ),
    )
    lsh_bands: int = Field(
        default=32, ge=1, le=256, description="MinHash LSH bands (candidate recall rises with it)."
    )
    lsh_rows: int = Field(
        default=3,
        ge=1,
        le=16,
        description="MinHash rows per band (candidate precision rises with it).",
    )
    minhash_seed: int = Field(
        default=20261126, description="Seed of the MinHash permutations; part of the index."
    )
    max_band_fanout: int = Field(
        default=100,
        ge=1,
        description=(
            "Fingerprints read per band key, newest first. A band key shared by very many "
            "wordings is as uninformative as a stopword; capping it bounds the work per post."
        ),
    )
    max_candidates: int = Field(
        default=40,
        ge=1,
        description="Fingerprints compared per post, those sharing the most LSH bands first.",
    )
    merge_bridged_cases: bool = Field(
        default=True,
        description=(
            "Merge open, unreviewed cases when one new post is a copy of each (they state "
            "one claim); cases a reviewer split apart are never merged."
        ),
    )
    fingerprint_novelty: float = Field(
        default=0.8,
        gt=0.0,
        le=1.0,
        description=(
            "A post that joins a claim becomes one more fingerprint of it when its best "
            "similarity to the claim's fingerprints is below this (a new wording)."
        ),
    )
    max_fingerprints_per_case: int = Field(
        default=24, ge=1, description="Most fingerprints (wordings) kept per claim."
    )
    open_claim_days: float = Field(
        default=30.0,
        gt=0.0,
        description=(
            "A claim with no post for this many days is closed: a later copy opens a new case "
            "(recognised by the known-hoax matcher if it was clarified)."
        ),
    )
    closed_statuses: tuple[str, ...] = Field(
        default=("published",),
        description=(
            "Case statuses that take no new posts. A copy of a published claim opens a new "
            "case linked to the clarification as a resurfacing. Merged cases never do."
        ),
    )
    velocity_window_hours: float = Field(
        default=6.0, gt=0.0, description="Recent window for the claim's posts-per-hour."
    )
    velocity_smoothing: float = Field(
        default=1.0,
        gt=0.0,
        description="Posts per hour added to both rates of the trend so tiny counts stay calm.",
    )
    trend_min: float = Field(default=0.5, gt=0.0, description="Lower bound of the trend factor.")
    trend_max: float = Field(default=2.0, gt=0.0, description="Upper bound of the trend factor.")
    topic_weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_TOPIC_WEIGHTS),
        description="Sensitivity weight per topic (e.g. religion and ethnicity, elections).",
    )
    default_topic_weight: float = Field(
        default=1.0, gt=0.0, description="Weight of a topic not listed in topic_weights."
    )
    known_hoax_boost: float = Field(
        default=1.5,
        ge=1.0,
        description="Priority multiplier of a case that resurfaces a known hoax.",
    )

    @model_validator(mode="after")
    def _trend_bounds_are_ordered(self) -> ClaimSettings:
        if self.trend_min > self.trend_max:
            raise ValueError("trend_min must not exceed trend_max")
        return self

    @property
    def num_perm(self) -> int:
        """MinHash permutations: bands × rows."""
        return self.lsh_bands * self.lsh_rows

    def topic_weight(self, topic: str | None) -> float:
        """The sensitivity weight of ``topic`` (the default for None or unlisted topics)."""
        if topic is None:
            return self.default_topic_weight
        return self.topic_weights.get(topic, self.default_topic_weight)


def claim_settings(settings: object | None = None) -> ClaimSettings:
    """``settings.claims`` when the application settings carry it, else the defaults."""
    found = getattr(settings, "claims", None)
    return found if isinstance(found, ClaimSettings) else ClaimSettings()
