"""The similarity that decides whether two word sets state the same claim.

``similarity = max(jaccard, containment_discount × containment)`` where

* ``jaccard = |A ∩ B| / |A ∪ B|`` — copies with a few words added or dropped;
* ``containment = |A ∩ B| / min(|A|, |B|)`` — a shortened forward keeps a part of the
  message, so it shares most of *its* words with the full text while Jaccard falls. It
  counts only when the shorter text has ``min_containment_words`` words or more (a short,
  generic post, "BLT cair hari ini", is contained in many different claims) and when both
  texts have the same polarity — both refute or neither does, both negate or neither
  does: a shortened copy keeps the stance of the message, while a clarification or
  denial quotes the hoax it contradicts ("tidak ada rencana penghapusan Pertalite").

Every word weighs 1 except the refutation marker :data:`monitor.claims.words.DEBUNK`,
which weighs ``stance_weight``: a clarification repeats most words of the hoax it refutes,
and that one word is what sets it apart.
Identifiers — link domains and numbers of five digits or more (amounts, phone and account
numbers) — name a scam better than any common word. When the text with fewer identifiers
has at least ``min_shared_identifiers`` of them, shares all of them with the other, and
one of them is specific — a link domain or a number of nine digits or more (a phone or
account number, not a round amount that many claims repeat) — the pair (same polarity
again) scores at least ``containment_discount``: a copy buried in commentary ("guru
adikku nyebar info ini, kok bayar?") still carries the hoax's phone number and amount.

LSH only proposes candidates; this exact score, on the stored word sets, decides.
"""

from __future__ import annotations

from typing import NamedTuple

from monitor.claims.settings import ClaimSettings
from monitor.claims.words import DEBUNK, NEGATIONS


class Profile(NamedTuple):
    """What the similarity needs beyond the words themselves, computed once per set."""

    refutes: bool
    negates: bool
    identifiers: frozenset[str]


def _identifier(word: str) -> bool:
    return word.startswith("url:") or sum(c.isdigit() for c in word) >= 5


def profile(words: frozenset[str]) -> Profile:
    """The refutation marker, any negation, and the identifiers among ``words``."""
    return Profile(
        DEBUNK in words,
        not NEGATIONS.isdisjoint(words),
        frozenset(w for w in words if (w[0].isdigit() or w[0] == "u") and _identifier(w)),
    )


def similarity(a: frozenset[str], b: frozenset[str], settings: ClaimSettings) -> float:
    """How alike two claim-word sets are, in [0, 1] (1 for equal non-empty sets)."""
    return score(a, profile(a), b, profile(b), settings)


def known_similarity(post: frozenset[str], claim: frozenset[str], settings: ClaimSettings) -> float:
    """How well a post matches a known hoax's claim: :func:`similarity` with the matcher's
    ``known_containment_discount`` (a clarified claim is a concise summary that a post
    contains among other words)."""
    return score(
        post, profile(post), claim, profile(claim), settings, settings.known_containment_discount
    )


def score(
    a: frozenset[str],
    pa: Profile,
    b: frozenset[str],
    pb: Profile,
    settings: ClaimSettings,
    discount: float | None = None,
) -> float:
    """:func:`similarity` with both profiles already known (the clustering caches them);
    ``discount`` replaces ``containment_discount`` (the known-hoax matcher's own)."""
    discount = settings.containment_discount if discount is None else discount
    if not a or not b:
        return 0.0
    common = a & b
    if not common:
        return 0.0
    stance = settings.stance_weight - 1.0
    size_a = len(a) + (stance if pa.refutes else 0.0)
    size_b = len(b) + (stance if pb.refutes else 0.0)
    shared = len(common) + (stance if pa.refutes and pb.refutes else 0.0)
    jaccard = shared / (size_a + size_b - shared)
    if pa.refutes != pb.refutes or pa.negates != pb.negates:
        return jaccard
    best = jaccard
    if min(len(a), len(b)) >= settings.min_containment_words:
        best = max(best, discount * shared / min(size_a, size_b))
    fewer = min(len(pa.identifiers), len(pb.identifiers))
    if settings.min_shared_identifiers and fewer >= settings.min_shared_identifiers:
        both = pa.identifiers & pb.identifiers
        if len(both) == fewer and any(_specific(word) for word in both):
            best = max(best, discount)
    return best


def _specific(identifier: str) -> bool:
    """A link domain, or a phone or account number (nine digits or more)."""
    return identifier.startswith("url:") or sum(c.isdigit() for c in identifier) >= 9
