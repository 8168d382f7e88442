"""The pure clustering of one batch: joining, opening, closed claims, fingerprints, hoaxes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from monitor.claims.cluster import CaseState, ClaimItem, Fingerprint, plan_batch
from monitor.claims.index import band_keys
from monitor.claims.settings import ClaimSettings

SETTINGS = ClaimSettings()
WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HOAX = "token listrik 900 va naik 40 persen bulan depan isi token banyak sebelum tanggal 1"
OTHER = "harga cabai rawit merah pasar induk kramat jati tembus 90000 kg hujan sentra"


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def item(post_id: int, text: str, *, flagged: bool = True, at: datetime = WHEN) -> ClaimItem:
    found = words(text)
    return ClaimItem(post_id, found, band_keys([found], SETTINGS)[0], flagged, at)


def stored(fingerprints: Sequence[Fingerprint], items: Sequence[ClaimItem]) -> dict[int, list]:
    """What an index lookup would return for ``items`` given stored ``fingerprints``."""
    found: dict[int, list[Fingerprint]] = {}
    for fingerprint in fingerprints:
        for key in band_keys([fingerprint.words], SETTINGS)[0]:
            if any(key in i.keys for i in items):
                found.setdefault(key, []).append(fingerprint)
    return found


def test_copies_in_one_batch_form_one_new_case_and_other_claims_their_own() -> None:
    batch = [
        item(1, HOAX),
        item(2, "isi token banyak sebelum tanggal 1 token listrik 900 va naik 40 persen"),
        item(3, OTHER),
    ]
    plan = plan_batch(batch, {}, {}, SETTINGS)
    assert plan.assignments[1] == plan.assignments[2] != plan.assignments[3]
    assert set(plan.new_cases) == {plan.assignments[1], plan.assignments[3]}
    assert all(ref < 0 for ref in plan.new_cases)


def test_a_copy_joins_the_stored_case_and_an_unflagged_stranger_stays_out() -> None:
    batch = [item(5, HOAX + " ayo", flagged=False), item(6, OTHER, flagged=False)]
    fingerprint = Fingerprint(words(HOAX), case_ref=42, id=1)
    cases = {42: CaseState("in_review", WHEN, 1)}
    plan = plan_batch(batch, stored([fingerprint], batch), cases, SETTINGS)
    assert plan.assignments == {5: 42}
    assert not plan.new_cases


def test_a_published_merged_or_stale_case_takes_no_more_posts() -> None:
    fingerprint = Fingerprint(words(HOAX), case_ref=42, id=1)
    for state, at in [
        (CaseState("published", WHEN, 1), WHEN),
        (CaseState("merged", WHEN, 1), WHEN),
        (CaseState("new", WHEN, 1), WHEN + timedelta(days=SETTINGS.open_claim_days + 1)),
    ]:
        batch = [item(5, HOAX, at=at)]
        plan = plan_batch(batch, stored([fingerprint], batch), {42: state}, SETTINGS)
        assert plan.assignments[5] < 0, state
    batch = [item(5, HOAX, at=WHEN + timedelta(days=SETTINGS.open_claim_days - 1))]
    plan = plan_batch(
        batch, stored([fingerprint], batch), {42: CaseState("new", WHEN, 1)}, SETTINGS
    )
    assert plan.assignments[5] == 42


def test_only_new_wordings_become_fingerprints_up_to_the_cap() -> None:
    reworded = "token listrik 900 va naik 40 persen bulan depan pln siap tarif baru"
    batch = [item(1, HOAX), item(2, HOAX), item(3, reworded)]
    plan = plan_batch(batch, {}, {}, SETTINGS)
    assert [f.post_id for f in plan.fingerprints] == [1, 3]
    capped = ClaimSettings(max_fingerprints_per_case=1)
    plan = plan_batch(batch, {}, {}, capped)
    assert [f.post_id for f in plan.fingerprints] == [1]
    assert len(set(plan.assignments.values())) == 1


def test_a_post_too_short_to_cluster_opens_its_own_case_without_a_fingerprint() -> None:
    batch = [
        ClaimItem(1, words("hoaks"), (), True, WHEN),
        ClaimItem(2, words("hoaks"), (), True, WHEN),
        ClaimItem(3, words("hoaks"), (), False, WHEN),
    ]
    plan = plan_batch(batch, {}, {}, SETTINGS)
    assert len(plan.new_cases) == 2
    assert 3 not in plan.assignments
    assert not plan.fingerprints


def test_a_known_hoax_is_a_hit_unless_it_came_from_the_same_case() -> None:
    batch = [item(1, HOAX), item(2, OTHER)]
    hoax = Fingerprint(words(HOAX), known_hoax_id=7, id=10)
    plan = plan_batch(batch, stored([hoax], batch), {}, SETTINGS)
    assert [(hit.post_id, hit.known_hoax_id) for hit in plan.known_hits] == [(1, 7)]
    assert plan.known_hits[0].case_ref == plan.assignments[1]
    assert plan.known_hits[0].similarity == 1.0

    own = Fingerprint(words(HOAX), known_hoax_id=7, known_case_id=42, id=10)
    case = Fingerprint(words(HOAX), case_ref=42, id=11)
    plan = plan_batch(batch, stored([own, case], batch), {42: CaseState("new", WHEN, 1)}, SETTINGS)
    assert plan.assignments[1] == 42
    assert not plan.known_hits


def test_the_most_similar_open_case_wins_when_bridged_cases_are_not_merged() -> None:
    close = "token listrik 900 va naik 40 persen bulan depan isi token banyak"
    far = "token listrik 900 va naik bulan depan kata pln"
    batch = [item(1, HOAX)]
    fingerprints = [
        Fingerprint(words(far), case_ref=1, id=1),
        Fingerprint(words(close), case_ref=2, id=2),
    ]
    cases = {1: CaseState("new", WHEN, 1), 2: CaseState("new", WHEN, 1)}
    apart = ClaimSettings(merge_bridged_cases=False)
    plan = plan_batch(batch, stored(fingerprints, batch), cases, apart)
    assert plan.assignments[1] == 2
    assert plan.merges == []


BRIDGED = [
    "token listrik 900 va naik 40 persen bulan depan kata pln",
    "isi token banyak sebelum tanggal 1 bulan depan naik 40 persen",
]


def _bridge(states: dict[int, CaseState], separate: set[frozenset[int]]) -> dict[str, object]:
    batch = [item(1, HOAX)]
    fingerprints = [
        Fingerprint(words(BRIDGED[0]), case_ref=3, id=1),
        Fingerprint(words(BRIDGED[1]), case_ref=2, id=2),
    ]
    plan = plan_batch(batch, stored(fingerprints, batch), states, SETTINGS, separate)
    return {"case": plan.assignments[1], "merges": plan.merges}


def test_a_post_copying_two_new_cases_merges_them_into_the_older() -> None:
    states = {2: CaseState("new", WHEN, 1), 3: CaseState("new", WHEN, 1)}
    assert _bridge(states, set()) == {"case": 2, "merges": [(2, 3)]}


def test_a_reviewed_case_is_kept_and_two_reviewed_cases_are_not_merged() -> None:
    reviewed = {2: CaseState("new", WHEN, 1), 3: CaseState("in_review", WHEN, 1)}
    assert _bridge(reviewed, set()) == {"case": 3, "merges": [(3, 2)]}
    both = {2: CaseState("draft", WHEN, 1), 3: CaseState("in_review", WHEN, 1)}
    assert _bridge(both, set())["merges"] == []


def test_cases_a_reviewer_split_apart_are_never_merged_again() -> None:
    states = {2: CaseState("new", WHEN, 1), 3: CaseState("new", WHEN, 1)}
    assert _bridge(states, {frozenset((2, 3))})["merges"] == []


def test_cases_opened_in_the_same_batch_merge_without_a_trace() -> None:
    batch = [item(1, BRIDGED[0]), item(2, BRIDGED[1]), item(3, HOAX)]
    assert len(plan_batch(batch[:2], {}, {}, SETTINGS).new_cases) == 2
    plan = plan_batch(batch, {}, {}, SETTINGS)
    assert len(plan.new_cases) == 1
    assert len(set(plan.assignments.values())) == 1
    assert set(plan.assignments.values()) == set(plan.new_cases)
    assert {f.case_ref for f in plan.fingerprints} == set(plan.new_cases)
    assert plan.merges == []
