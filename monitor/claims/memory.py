"""An in-process claim index running the same clustering as the store, for evaluation and
benchmarks (threshold sweeps, the million-post run). Not shared between processes: the
pipeline always uses the index in the store (:mod:`monitor.claims.index`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from monitor.claims.cluster import CaseState, ClaimItem, Fingerprint, KnownHit, plan_batch
from monitor.claims.index import band_keys
from monitor.claims.settings import ClaimSettings
from monitor.store.claims import MERGED_STATUS


@dataclass(slots=True)
class MemoryIndex:
    """Cases, fingerprints and band keys in dictionaries."""

    settings: ClaimSettings
    bands: dict[int, list[Fingerprint]] = field(default_factory=dict)
    cases: dict[int, CaseState] = field(default_factory=dict)
    by_case: dict[int, list[Fingerprint]] = field(default_factory=dict)
    redirect: dict[int, int] = field(default_factory=dict)
    _case_of: dict[int, int] = field(default_factory=dict)
    _known_hits: list[KnownHit] = field(default_factory=list)
    _next_case: int = 1
    _next_known: int = 1

    def add_known(self, texts_words: Sequence[frozenset[str]]) -> int:
        """Index one known hoax by the claim words of its wordings; returns its id."""
        known_id = self._next_known
        self._next_known += 1
        for words, keys in zip(texts_words, band_keys(texts_words, self.settings), strict=True):
            fingerprint = Fingerprint(words, known_hoax_id=known_id)
            for key in keys:
                self.bands.setdefault(key, []).append(fingerprint)
        return known_id

    def resolve(self, case_id: int) -> int:
        """The case a (possibly merged) case now lives in."""
        while case_id in self.redirect:
            case_id = self.redirect[case_id]
        return case_id

    def case_of(self) -> dict[int, int]:
        """The current case of every post placed in one."""
        return {post: self.resolve(case) for post, case in self._case_of.items()}

    def known_hits(self) -> list[KnownHit]:
        """Every resurfacing found, by current case."""
        return [
            KnownHit(self.resolve(h.case_ref), h.known_hoax_id, h.post_id, h.similarity, h.seen_at)
            for h in self._known_hits
        ]

    def add_batch(self, items: Sequence[ClaimItem]) -> dict[int, int]:
        """Cluster a batch; returns the case id of each post placed in a case."""
        found: dict[int, list[Fingerprint]] = {}
        fanout = self.settings.max_band_fanout
        bands = self.bands
        for key in {key for item in items for key in item.keys}:
            stored = bands.get(key)
            if stored:
                found[key] = stored if len(stored) <= fanout else stored[-fanout:]
        plan = plan_batch(items, found, self.cases, self.settings)
        ids: dict[int, int] = {}
        for ref, item in plan.new_cases.items():
            ids[ref] = self._next_case
            self.cases[self._next_case] = CaseState("new", item.seen_at, 0)
            self._next_case += 1
        for keep, other in plan.merges:
            self._merge(ids.get(keep, keep), other)
        seen_at = {item.post_id: item.seen_at for item in items}
        placed: dict[int, int] = {}
        for post_id, ref in plan.assignments.items():
            case_id = ids.get(ref, ref)
            placed[post_id] = self._case_of[post_id] = case_id
            state = self.cases[case_id]
            if state.last_seen_at is None or seen_at[post_id] > state.last_seen_at:
                state.last_seen_at = seen_at[post_id]
        for new in plan.fingerprints:
            case_id = ids.get(new.case_ref, new.case_ref)
            fingerprint = Fingerprint(new.words, case_ref=case_id)
            self.by_case.setdefault(case_id, []).append(fingerprint)
            for key in new.keys:
                self.bands.setdefault(key, []).append(fingerprint)
            self.cases[case_id].fingerprints += 1
        for hit in plan.known_hits:
            case_id = ids.get(hit.case_ref, hit.case_ref)
            self._known_hits.append(
                KnownHit(case_id, hit.known_hoax_id, hit.post_id, hit.similarity, hit.seen_at)
            )
        return placed

    def _merge(self, keep: int, other: int) -> None:
        moved = self.by_case.pop(other, [])
        for fingerprint in moved:
            fingerprint.case_ref = keep
        self.by_case.setdefault(keep, []).extend(moved)
        kept, gone = self.cases[keep], self.cases[other]
        kept.fingerprints += len(moved)
        if gone.last_seen_at and (
            kept.last_seen_at is None or gone.last_seen_at > kept.last_seen_at
        ):
            kept.last_seen_at = gone.last_seen_at
        gone.status = MERGED_STATUS
        gone.fingerprints = 0
        self.redirect[other] = keep
