"""Claim words: the part of a normalized post that says what the claim is.

Copies of one claim differ in framing, not in content: ``Fwd:``, "Info dari grup sebelah",
"sebarkan!", emoji, mentions and shortened links come and go. :func:`claim_words` keeps the
content words of the normalizer's tokens as a set (so word order does not matter), drops
that framing, and writes amounts one way ("3.500.000", "3,5 juta" and "3500000" agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from monitor.text import normalize_many

#: Words of forwarding and sharing boilerplate, as the normalizer stems them. They say how a
#: message travels, never what it claims, so they must not make two copies look different.
FRAMING_WORDS = frozenset(
    {
        "fwd",
        "fw",
        "forward",
        "forwarded",
        "diteruskan",
        "repost",
        "reshare",
        "copas",
        "info",
        "grup",
        "group",
        "wag",
        "belah",
        "sebelah",
        "sebar",
        "share",
        "viral",
        "viralkan",
        "breaking",
        "kiriman",
        "tolong",
        "mohon",
        "guys",
        "gaes",
        "gais",
    }
)

#: Added to the claim words of a post that refutes a claim (a clarification, a fact check):
#: it states the opposite of the hoax in mostly the same words, so the similarity weighs
#: this word heavily (``ClaimSettings.stance_weight``) to keep the two apart.
DEBUNK = "stance:debunk"
_DEBUNK_WORDS = frozenset(
    {
        "hoaks",
        "hoax",
        "hoaxs",
        "klarifikasi",
        "bantah",
        "disinformasi",
        "misinformasi",
        "turnbackhoax",
    }
)
#: "tidak benar", "cek fakta", and a link or account said not to be someone's ("bukan
#: resmi", "bukan milik KPU").
_DEBUNK_PAIRS = frozenset(
    {("tidak", "benar"), ("cek", "fakta"), ("bukan", "resmi"), ("bukan", "milik")}
)
#: Negations as the normalizer writes them ("gak", "nggak", "tdk" become "tidak").
NEGATIONS = frozenset({"tidak", "bukan", "belum", "tak"})
#: "bukan hoaks" / "tidak hoax" insist a claim is true: the opposite of a refutation.
_NEGATORS = frozenset({"bukan", "tidak"})

_MULTIPLIERS = {
    "ribu": 1_000,
    "rb": 1_000,
    "k": 1_000,
    "juta": 1_000_000,
    "jt": 1_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "m": 1_000_000_000,
    "triliun": 1_000_000_000_000,
}
_NUMBER = re.compile(r"^(?:rp\.?)?(\d+(?:[.,]\d+)*)([a-z]*)$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")


def _scaled(number: str, scale: int) -> str:
    whole, _, fraction = number.partition(",")
    value = int(whole) * scale
    if fraction:
        value += int(fraction) * scale // 10 ** len(fraction)
    return str(value)


def _number_words(token: str, following: str | None) -> tuple[list[str], bool]:
    """The canonical words of a number token; True when it consumed ``following``.

    "rp3,5" + "juta", "3.500.000" and "3500000" all give "3500000"; "5jt" gives
    "5000000"; "3kg" gives "3" and "kg".
    """
    match = _NUMBER.match(token)
    if match is None:
        return [token], False
    number, suffix = match.groups()
    if _THOUSANDS.match(number):
        number = number.replace(".", "")
    if not _DECIMAL.match(number):
        return [number, suffix] if suffix else [number], False
    if suffix in _MULTIPLIERS:
        return [_scaled(number, _MULTIPLIERS[suffix])], False
    if suffix:
        return [number, suffix], False
    if following in _MULTIPLIERS:
        return [_scaled(number, _MULTIPLIERS[following])], True
    return [number], False


def _is_word(token: str) -> bool:
    return token.isalnum() or any(c.isalnum() for c in token)


def refutes(tokens: Sequence[str]) -> bool:
    """True when normalized tokens read as a refutation ("hoaks", "klarifikasi", "tidak
    benar", "#cekfakta"...), not counting "bukan hoaks", which insists on the claim."""
    previous = ""
    for token in tokens:
        if token in _DEBUNK_WORDS and previous not in _NEGATORS:
            return True
        if (previous, token) in _DEBUNK_PAIRS:
            return True
        previous = token
    return False


#: Link domains that say nothing about a claim: shorteners and the platforms themselves.
GENERIC_DOMAINS = frozenset(
    {
        "bit.ly",
        "s.id",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "forms.gle",
        "linktr.ee",
        "cutt.ly",
        "shorturl.at",
        "wa.me",
        "t.me",
        "whatsapp.com",
        "chat.whatsapp.com",
        "facebook.com",
        "m.facebook.com",
        "fb.me",
        "fb.watch",
        "instagram.com",
        "tiktok.com",
        "vt.tiktok.com",
        "vm.tiktok.com",
        "youtube.com",
        "m.youtube.com",
        "youtu.be",
        "twitter.com",
        "x.com",
        "google.com",
        "drive.google.com",
        "docs.google.com",
    }
)
_SKIPPED = FRAMING_WORDS | {"rp", "rupiah"}
#: Prefixes written with a hyphen before a name ("se-Surabaya": all of Surabaya).
_PREFIXES = frozenset({"se", "ke", "di"})
_ACRONYM = re.compile(r"^[a-z]{2,6}$")
Expansions = dict[str, list[tuple[tuple[str, ...], str]]]


@lru_cache(maxsize=1)
def acronym_expansions() -> Expansions:
    """Normalized multi-word expansions of the slang lexicon's acronyms, by first token.

    The normalizer spells acronyms out ("KPU" becomes "komisi pilih umum" after stemming,
    "KTP" "kartu tanda duduk"): good for matching words, bad for comparing claims, where
    one acronym would weigh three or four words and any two posts about the KPU and an
    ID card would share seven. :func:`claim_words` folds them back into the acronym (so the
    written-out name and the acronym also agree). Empty when the text package does not
    expose its lexicon.
    """
    try:
        from monitor.text.lexicons import SLANG_FILE, read_pairs
    except ImportError:  # pragma: no cover - depends on the text package's layout
        return {}
    pairs = [
        (key.lower(), value)
        for key, value in read_pairs(SLANG_FILE)
        if _ACRONYM.match(key.lower()) and " " in value
    ]
    table: Expansions = {}
    for (key, _), spelled in zip(pairs, normalize_many([v for _, v in pairs]), strict=True):
        tokens = tuple(spelled.tokens)
        if len(tokens) >= 2 and NEGATIONS.isdisjoint(tokens):
            table.setdefault(tokens[0], []).append((tokens, key))
    for options in table.values():
        options.sort(key=lambda option: -len(option[0]))
    return table


def fold_acronyms(tokens: Sequence[str]) -> list[str]:
    """``tokens`` with every spelled-out acronym replaced by the acronym itself."""
    table = acronym_expansions()
    out: list[str] = []
    index, count = 0, len(tokens)
    while index < count:
        token = tokens[index]
        for sequence, acronym in table.get(token, ()):
            end = index + len(sequence)
            if end <= count and tuple(tokens[index:end]) == sequence:
                out.append(acronym)
                index = end
                break
        else:
            out.append(token)
            index += 1
    return out


def claim_words(tokens: Sequence[str]) -> frozenset[str]:
    """The claim words of a normalized post, as a set.

    Drops emoji, mentions, framing words (:data:`FRAMING_WORDS`), the currency word
    "rp"/"rupiah" and generic link domains (:data:`GENERIC_DOMAINS`); keeps other link
    domains (a scam's domain names the scam) and
    numbers, written without thousands separators and with "juta"/"ribu" multiplied out;
    splits hyphenated words ("sd-smp", "se-surabaya"); folds spelled-out acronyms back
    (:func:`fold_acronyms`). A refutation
    (:func:`refutes`) also gets the word :data:`DEBUNK`.
    """
    words: set[str] = {DEBUNK} if refutes(tokens) else set()
    tokens = fold_acronyms(tokens)
    add = words.add
    count = len(tokens)
    index = 0
    while index < count:
        token = tokens[index]
        index += 1
        if token in _SKIPPED:
            continue
        first = token[0]
        if first.isdigit() or token.startswith("rp"):
            following = tokens[index] if index < count else None
            numbers, consumed = _number_words(token, following)
            index += consumed
            words.update(numbers)
        elif token.isalnum():
            add(token)
        elif "-" in token and not token.startswith("url:"):
            # Reduplication and compounds: "anak-anak", "sd-smp", "se-surabaya".
            words.update(
                part for part in token.split("-") if part.isalnum() and part not in _PREFIXES
            )
        elif token.startswith("url:"):
            domain = token[len("url:") :]
            if domain and domain not in GENERIC_DOMAINS:
                add(token)
        elif first != "@" and not token.startswith("emoji:") and _is_word(token):
            add(token)
    return frozenset(words)


def words_text(words: Iterable[str]) -> str:
    """Claim words as stored: sorted, space-separated (the inverse of :func:`parse_words`)."""
    return " ".join(sorted(words))


def parse_words(text: str) -> frozenset[str]:
    """Claim words from their stored form."""
    return frozenset(text.split())
