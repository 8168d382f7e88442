"""Incremental clustering of one batch: which claim each post states. Pure, no I/O.

The caller looks up the batch's LSH band keys in the index (the store, or memory for the
benchmark) and hands over the fingerprints found plus the state of their cases;
:func:`plan_batch` decides, post by post in the order given:

1. Candidates are the fingerprints sharing a band key with the post — stored ones (at most
   ``max_band_fanout`` per key, the newest) and those created earlier in this batch —
   the ``max_candidates`` sharing most bands first.
2. The post joins the open case whose fingerprint is most similar
   (:func:`monitor.claims.similarity.similarity`), if that reaches
   ``similarity_threshold``. A case is open unless its status is closed (merged, or in
   ``closed_statuses``) or its last post is more than ``open_claim_days`` older.
   A post that reaches the threshold with several open cases shows they state one claim
   (their first posts were too different to meet, this one is a copy of both): with
   ``merge_bridged_cases`` they are merged, unless two of them were already reviewed or
   a reviewer split them apart. This keeps the result from depending on arrival order.
3. Otherwise a flagged post opens a new case (a negative reference until stored); an
   unflagged post with no claim stays out of every case.
4. A post that opens a case, or joins one in a new wording (best similarity below
   ``fingerprint_novelty``, case under ``max_fingerprints_per_case``), becomes a
   fingerprint of that case, so later copies of that wording find it.
5. A post in a case is compared with the known hoaxes among its candidates
   (:func:`monitor.claims.similarity.known_similarity`); the best one at
   ``known_hoax_threshold`` or above is a resurfacing of that hoax (never a hoax made
   from the same case).

History is never re-clustered: existing cases only gain posts (or are merged by a
bridging post). Reviewers' merges and splits move fingerprints between cases, so later
posts follow them, and split cases are never merged back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from monitor.claims.settings import ClaimSettings
from monitor.claims.similarity import Profile, profile, score
from monitor.store.claims import MERGED_STATUS


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """A post as clustering sees it. ``keys`` is empty for a post too short to cluster."""

    post_id: int
    words: frozenset[str]
    keys: tuple[int, ...]
    flagged: bool
    seen_at: datetime


@dataclass(eq=False, slots=True)
class Fingerprint:
    """A wording of a case (``case_ref`` set) or of a known hoax (``known_hoax_id`` set).

    ``case_ref`` is a stored case id, or a negative reference to a case opened in this
    batch. ``known_case_id`` is the case a known hoax was made from, if any.
    """

    words: frozenset[str]
    case_ref: int | None = None
    known_hoax_id: int | None = None
    known_case_id: int | None = None
    id: int | None = None
    profile: Profile = field(init=False)

    def __post_init__(self) -> None:
        self.profile = profile(self.words)


@dataclass(slots=True)
class CaseState:
    """What joining needs to know about a case."""

    status: str
    last_seen_at: datetime | None
    fingerprints: int


@dataclass(frozen=True, slots=True)
class NewFingerprint:
    """A fingerprint to store for ``case_ref``."""

    case_ref: int
    post_id: int
    words: frozenset[str]
    keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class KnownHit:
    """A post of ``case_ref`` that resurfaces a known hoax."""

    case_ref: int
    known_hoax_id: int
    post_id: int | None
    similarity: float
    seen_at: datetime


@dataclass(slots=True)
class BatchPlan:
    """What to write for a batch: memberships, new cases, fingerprints, known-hoax hits, and
    stored cases to merge (``(keep, other)``: a post bridged two open cases of one claim)."""

    assignments: dict[int, int] = field(default_factory=dict)
    new_cases: dict[int, ClaimItem] = field(default_factory=dict)
    fingerprints: list[NewFingerprint] = field(default_factory=list)
    known_hits: list[KnownHit] = field(default_factory=list)
    merges: list[tuple[int, int]] = field(default_factory=list)


def is_open(state: CaseState, seen_at: datetime, settings: ClaimSettings) -> bool:
    """True when a post seen at ``seen_at`` may still join a case in ``state``."""
    if state.status == MERGED_STATUS or state.status in settings.closed_statuses:
        return False
    if state.last_seen_at is None:
        return True
    return seen_at - state.last_seen_at <= timedelta(days=settings.open_claim_days)


class _Batch:
    """The working state of :func:`plan_batch`: cases opened and merged so far."""

    def __init__(
        self,
        found: Mapping[int, Sequence[Fingerprint]],
        cases: Mapping[int, CaseState],
        separate: Set[frozenset[int]],
        settings: ClaimSettings,
    ) -> None:
        self.found = found
        self.cases = cases
        self.separate = separate
        self.settings = settings
        self.plan = BatchPlan()
        self.local: dict[int, list[Fingerprint]] = {}
        self.states: dict[int, CaseState] = {}
        self.redirect: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}

    def resolve(self, ref: int) -> int:
        while ref in self.redirect:
            ref = self.redirect[ref]
        return ref

    def state(self, ref: int) -> CaseState | None:
        return self.states.get(ref) or self.cases.get(ref)

    def own(self, ref: int) -> CaseState:
        """The batch's own (mutable) copy of a case's state; the caller's is never changed."""
        state = self.states.get(ref)
        if state is None:
            base = self.cases[ref]
            state = self.states[ref] = CaseState(base.status, base.last_seen_at, base.fingerprints)
        return state

    def open_case(self, item: ClaimItem) -> int:
        ref = -(len(self.plan.new_cases) + len(self.redirect) + 1)
        while ref in self.plan.new_cases or ref in self.redirect:
            ref -= 1
        self.plan.new_cases[ref] = item
        self.states[ref] = CaseState("new", item.seen_at, 0)
        return ref

    def _stored_members(self, ref: int) -> set[int]:
        return self.members.get(ref, {ref} if ref > 0 else set())

    def merge(self, a: int, b: int) -> int | None:
        """Merge two open cases a post bridged; returns the case kept, None when not allowed.

        Only cases nobody has reviewed yet (status ``new``) are merged away, never two a
        reviewer split apart; the kept case is the reviewed one, else the oldest.
        """
        first, second = self.state(a), self.state(b)
        assert first is not None and second is not None
        if first.status != "new" and second.status != "new":
            return None
        pairs = {
            frozenset((x, y)) for x in self._stored_members(a) for y in self._stored_members(b)
        }
        if pairs & self.separate:
            return None
        if first.status != "new":
            keep, other = a, b
        elif second.status != "new":
            keep, other = b, a
        elif a > 0 and b > 0:
            keep, other = min(a, b), max(a, b)
        elif a > 0 or b > 0:
            keep, other = (a, b) if a > 0 else (b, a)
        else:
            keep, other = max(a, b), min(a, b)
        kept, gone = (first, second) if keep == a else (second, first)
        self.redirect[other] = keep
        self.members[keep] = self._stored_members(keep) | self._stored_members(other)
        last = max(
            (s for s in (kept.last_seen_at, gone.last_seen_at) if s is not None), default=None
        )
        self.states[keep] = CaseState(kept.status, last, kept.fingerprints + gone.fingerprints)
        if other > 0:
            self.plan.merges.append((keep, other))
        else:
            del self.plan.new_cases[other]
        return keep

    def add(self, item: ClaimItem) -> None:
        settings = self.settings
        if not item.keys:
            if item.flagged:
                self.plan.assignments[item.post_id] = self.open_case(item)
            return
        stored, recent = self.found.get, self.local.get
        shared = [fp for key in item.keys for fp in stored(key, ())]
        if self.local:
            shared += [fp for key in item.keys for fp in recent(key, ())]
        hits = Counter(shared)
        candidates = (
            hits
            if len(hits) <= settings.max_candidates
            else dict(hits.most_common(settings.max_candidates))
        )
        words, item_profile = item.words, profile(item.words)
        case_scores: dict[int, float] = {}
        closed: set[int] = set()
        known: tuple[Fingerprint, float] | None = None
        redirect = self.redirect
        for fingerprint in candidates:
            owner = fingerprint.case_ref
            if owner is not None:
                if redirect:
                    owner = self.resolve(owner)
                if owner in closed:
                    continue
                if owner not in case_scores:
                    state = self.state(owner)
                    if state is None or not is_open(state, item.seen_at, settings):
                        closed.add(owner)
                        continue
            if owner is None:
                value = score(
                    words,
                    item_profile,
                    fingerprint.words,
                    fingerprint.profile,
                    settings,
                    settings.known_containment_discount,
                )
            else:
                value = score(words, item_profile, fingerprint.words, fingerprint.profile, settings)
            if owner is None:
                if value >= settings.known_hoax_threshold and (known is None or value > known[1]):
                    known = (fingerprint, value)
            elif value > case_scores.get(owner, -1.0):
                case_scores[owner] = value

        matching = sorted(
            (score, owner)
            for owner, score in case_scores.items()
            if score >= settings.similarity_threshold
        )
        if matching:
            best, chosen = matching[-1]
            if settings.merge_bridged_cases:
                for _, owner in reversed(matching[:-1]):
                    kept = self.merge(chosen, self.resolve(owner))
                    chosen = kept if kept is not None else chosen
        elif item.flagged:
            chosen, best = self.open_case(item), 0.0
        else:
            return
        self.plan.assignments[item.post_id] = chosen

        state = self.own(chosen)
        if state.last_seen_at is None or item.seen_at > state.last_seen_at:
            state.last_seen_at = item.seen_at
        if best < settings.fingerprint_novelty and (
            state.fingerprints < settings.max_fingerprints_per_case
        ):
            self.plan.fingerprints.append(
                NewFingerprint(chosen, item.post_id, item.words, item.keys)
            )
            fingerprint = Fingerprint(item.words, case_ref=chosen)
            local = self.local
            for key in item.keys:
                bucket = local.get(key)
                if bucket is None:
                    local[key] = [fingerprint]
                else:
                    bucket.append(fingerprint)
            state.fingerprints += 1

        if known is not None and known[0].known_case_id != chosen:
            known_id = known[0].known_hoax_id
            assert known_id is not None  # a fingerprint without a case belongs to a hoax
            self.plan.known_hits.append(
                KnownHit(chosen, known_id, item.post_id, known[1], item.seen_at)
            )

    def finish(self) -> BatchPlan:
        """The plan with every reference to a merged-away case pointing at its keeper."""
        plan = self.plan
        resolve = self.resolve
        plan.assignments = {post: resolve(ref) for post, ref in plan.assignments.items()}
        plan.fingerprints = [replace(f, case_ref=resolve(f.case_ref)) for f in plan.fingerprints]
        plan.merges = [(resolve(keep), other) for keep, other in plan.merges]
        best: dict[tuple[int, int], KnownHit] = {}
        for hit in plan.known_hits:
            hit = replace(hit, case_ref=resolve(hit.case_ref))
            previous = best.get((hit.case_ref, hit.known_hoax_id))
            if previous is None or hit.similarity > previous.similarity:
                best[(hit.case_ref, hit.known_hoax_id)] = hit
        plan.known_hits = list(best.values())
        return plan


def plan_batch(
    items: Sequence[ClaimItem],
    found: Mapping[int, Sequence[Fingerprint]],
    cases: Mapping[int, CaseState],
    settings: ClaimSettings,
    separate: Set[frozenset[int]] = frozenset(),
) -> BatchPlan:
    """Decide the claim of every item, in order.

    ``found`` maps band keys to stored fingerprints; ``cases`` holds the state of every
    stored case among them (a case missing there is treated as closed); ``separate`` holds
    pairs of stored case ids a reviewer split apart, which are never merged. Nothing passed
    in is modified.
    """
    batch = _Batch(found, cases, separate, settings)
    for item in items:
        batch.add(item)
    return batch.finish()
