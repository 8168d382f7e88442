"""The normalizer: raw post -> :class:`~monitor.text.types.NormalizedText`.

Steps, each in its own module: :mod:`~monitor.text.charnorm` (NFKC, invisible characters,
accents), :mod:`~monitor.text.urls` (URLs, mentions), :mod:`~monitor.text.hashtags`,
:mod:`~monitor.text.emoji`, :mod:`~monitor.text.elongation` (elongations, laughter),
:mod:`~monitor.text.digits` (numbers, digits as letters, ``2`` for reduplication),
:mod:`~monitor.text.slang`, :mod:`~monitor.text.stopwords`, :mod:`~monitor.text.stem` and
:mod:`~monitor.text.langid`; surface features in :mod:`~monitor.text.features`.

The per-post path (cleaning check, splitting, the chunk memo, assembling the result) also
exists in C (``_cnorm.c``); :class:`Normalizer` uses it when the extension is built and
``PANTAU_PURE_PYTHON`` is not set, and it calls back into Python to analyse new chunks.

How it stays fast: the cleaned post is split on whitespace into chunks, and everything a
chunk contributes (tokens, language votes, feature counts) depends on the chunk alone, so it
is computed once and memoised (bounded); words are memoised too, so a chunk that differs
from a known one by case or punctuation costs a few lookups. A chunk's contribution is three
values: its tokens already joined, one integer packing all its counts and language votes
(see :data:`PACKED_FIELDS`), and its spread-call codes; a post is then a few C-level passes
(``map``, ``sum``, ``join``) over the memo hits.

Linear time on any input: the work on the whole text is a few linear C passes (NFKC,
``translate``, ``split``); a whitespace-free run longer than ``MAX_PIECE`` characters is cut
into pieces of at most ``MAX_PIECE``, and every regular expression and per-word step runs on
one piece, so its cost is bounded by a constant. Total work is therefore proportional to the
length of the text.

Idempotence: every token we emit is a fixed point of the chunk pipeline (checked when the
token is first produced, see :meth:`Normalizer._stable`), so normalizing our own output
``text`` gives the same tokens.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import compress, islice
from operator import itemgetter, not_
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from monitor.text import charnorm, hashtags
from monitor.text import emoji as emoji_module
from monitor.text import features as feat
from monitor.text.charnorm import clean_text
from monitor.text.digits import (
    LEET,
    MAX_LEET_CANDIDATES,
    UNITS,
    deleet,
    expand_reduplication,
    is_number,
    split_number_word,
)
from monitor.text.elongation import (
    LAUGH_TOKEN,
    MAX_VARIABLE_RUNS,
    collapse_elongation,
    is_elongated,
    is_laughter,
)
from monitor.text.emoji import EMOJI_CLASS, REGIONAL_INDICATORS, SKIN_TONES, emoji_token
from monitor.text.extensions import load_extension
from monitor.text.fast_stemmer import FastStemmer
from monitor.text.hashtags import split_hashtag
from monitor.text.langid import (
    LANGS,
    MIN_LEXICAL_VOTES,
    SHARED_VOCAB_VOTES,
    SMOOTHING,
    UNKNOWN_PENALTY,
    UNKNOWN_RATIO,
    Votes,
    decide,
    lexical_decision,
    marker_words,
    needs_fallback,
    word_votes,
)
from monitor.text.lexicons import standard_words
from monitor.text.slang import SlangLexicon, default_slang
from monitor.text.stem import BoundedMemo, StemCache, Stemmer, default_stemmer
from monitor.text.stopwords import NEGATIONS, default_stopwords, sastrawi_stopwords
from monitor.text.types import FEATURE_NAMES, NormalizedText
from monitor.text.urls import MENTION_TOKEN, is_bare_domain, url_token

if TYPE_CHECKING:
    from monitor.text._cnorm import FastNormalizer

_CNORM = load_extension("_cnorm")
_CSTEM = load_extension("_cstem")
# The methods whose work the C path does when it answers stems itself (see
# Normalizer._compiled_stems): an instance attribute of one of these names turns that off.
_STEM_METHODS: dict[type, frozenset[str]] = {
    Stemmer: frozenset({"stem", "_compute"}),
    StemCache: frozenset({"add", "entries", "_load"}),
    FastStemmer: frozenset({"stem_word", "stem_singular_word"}),
}
# True when Normalizer.normalize_many runs its per-post path in C (see _cnorm.c).
C_NORMALIZER_AVAILABLE = _CNORM is not None

# Longest run of non-space characters handled in one piece.
MAX_PIECE = 256
# Longest chunk kept in the memo (longer ones are rare and would only fill it).
MAX_MEMO_CHUNK = 48
# A word still longer than this after collapsing elongations is dropped as junk.
MAX_WORD = 40
DEFAULT_MEMO_SIZE = 400_000

_URL_PART = r"(?P<url>(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"'()\[\]{}]+)"
_SPECIAL_PART = r"|(?P<special>url:[\w.-]+|emoji:[a-z0-9_]+|laugh:haha)"
_EMAIL_PART = r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_MENTION_PART = r"|(?P<mention>@\w+)"
_HASHTAG_PART = r"|(?P<hashtag>\#[^\W_]\w*)"
_NUMBER_PART = r"|(?P<number>(?:[Rr][Pp]\.?)?\d+(?:[.,:/]\d+)+%?|\d+%)"
_PATH_PART = r"|(?P<path>[^\W_][\w-]*(?:\.[\w-]+)+/[^\s<>\"'()\[\]{}]*)"
_WORD_PART = r"|(?P<word>[^\W_]+(?:['.\-][^\W_]+)*)"
_EMOJI_PART = rf"|(?P<flag>[{REGIONAL_INDICATORS}]{{2}})|(?P<emoji>[{EMOJI_CLASS}])"


def _token_re(with_email: bool, with_path: bool) -> re.Pattern[str]:
    """The tokenizer; the e-mail and path alternatives are left out when they cannot match.

    Both scan ahead for an ``@`` or a ``/`` from every position, which costs up to the
    square of the piece length when the character is absent.
    """
    return re.compile(
        _URL_PART
        + _SPECIAL_PART
        + (_EMAIL_PART if with_email else "")
        + _MENTION_PART
        + _HASHTAG_PART
        + _NUMBER_PART
        + (_PATH_PART if with_path else "")
        + _WORD_PART
        + _EMOJI_PART
    )


_TOKEN_RES = {(e, p): _token_re(e, p) for e in (False, True) for p in (False, True)}


def token_matches(piece: str) -> Iterator[re.Match[str]]:
    """Tokenizer matches of one piece (see the ``(?P<kind>...)`` groups above)."""
    return _TOKEN_RES["@" in piece, "/" in piece].finditer(piece)


# Two-letter words allowed when segmenting hashtags (``#dirumahaja`` -> di rumah aja).
_SHORT_SEGMENTS = frozenset({"di", "ke", "ya", "ga", "tv", "uu", "rt", "rw", "pt", "tni"})
_SEGMENT_PREFIXES = ("ber", "ter", "me", "mem", "men", "meng", "meny", "di", "ke", "se", "pe")
_SEGMENT_SUFFIXES = ("nya", "kan", "an", "i", "lah", "ku", "mu")
# Chunks holding these are no language evidence (URLs, mentions, hashtags, our tokens).
_NOT_LANGUAGE_RE = re.compile(r"://|www\.|@|#|url:|emoji:")
FALLBACK_MAX_CHARS = 2000

# --- packed contributions ------------------------------------------------------------------
# A chunk's numbers live in one int, FIELD_BITS bits per field, so a post sums them with one
# C-level ``sum``. Votes are in units of 1/VOTE_SCALE (exact for every weight langid uses).
PACKED_FIELDS: tuple[str, ...] = (
    *LANGS,
    "known",
    "unknown",
    "url",
    "mention",
    "hashtag",
    "emoji",
    "number",
    "elongation",
    "laugh",
    "spread",  # words with a spread-call code
    "upper",  # ASCII capitals (after accent folding)
    "letters",  # ASCII letters
    "exclamation",
    "question",
)
FIELD_BITS = 32
# Longest text normalized; the rest is ignored. It keeps every field below 2**32 (a word
# votes at most 2 * VOTE_SCALE units) and no real post comes near it.
MAX_TEXT_CHARS = 10_000_000
VOTE_SCALE = 60
_UNIT = {name: 1 << (FIELD_BITS * i) for i, name in enumerate(PACKED_FIELDS)}
_SHIFTS = tuple(FIELD_BITS * i for i in range(len(PACKED_FIELDS)))
_UNPACK = struct.Struct(f"<{len(PACKED_FIELDS)}I").unpack
_PACKED_BYTES = FIELD_BITS // 8 * len(PACKED_FIELDS)
(
    _F_ID,
    _F_MS,
    _F_EN,
    _F_JV,
    _F_SU,
    _F_KNOWN,
    _F_UNKNOWN,
    _F_URL,
    _F_MENTION,
    _F_HASHTAG,
    _F_EMOJI,
    _F_NUMBER,
    _F_ELONGATION,
    _F_LAUGH,
    _F_SPREAD,
    _F_UPPER,
    _F_LETTERS,
    _F_EXCLAMATION,
    _F_QUESTION,
) = range(len(PACKED_FIELDS))
_KNOWN = _UNIT["known"]
_UNKNOWN = _UNIT["unknown"]
_URL = _UNIT["url"]
_MENTION = _UNIT["mention"]
_HASHTAG = _UNIT["hashtag"]
_EMOJI = _UNIT["emoji"]
_NUMBER = _UNIT["number"]
_ELONGATION = _UNIT["elongation"]
_LAUGH = _UNIT["laugh"]
_SPREAD_WORD = _UNIT["spread"]
_UPPER = _UNIT["upper"]
_LETTERS = _UNIT["letters"]
_EXCLAMATION = _UNIT["exclamation"]
_QUESTION = _UNIT["question"]
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_UPPER + bytes(range(ord("a"), ord("z") + 1))
_LAUGH_FIRST = frozenset("wkhabmxlnr")
# Clitics and particles that may follow a slang word; Sastrawi would strip them anyway.
_CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")


def pack_votes(votes: Votes | None) -> int:
    """Packed contribution of one word's language votes (``None``: an unknown word)."""
    if votes is None:
        return _UNKNOWN
    packed = _PACKED_VOTES.get(votes)
    if packed is None:
        packed = _KNOWN
        for i, value in enumerate(votes):
            packed += round(value * VOTE_SCALE) << _SHIFTS[i]
        if len(_PACKED_VOTES) < 4096:  # only a handful of distinct vote vectors exist
            _PACKED_VOTES[votes] = packed
    return packed


_PACKED_VOTES: dict[Votes, int] = {}
# Packed votes of a word of the shared vocabulary that marks no language.
_PACKED_SHARED = pack_votes(SHARED_VOCAB_VOTES)


def unpack(packed: int) -> dict[str, int]:
    """Field name -> value of a packed contribution."""
    return dict(zip(PACKED_FIELDS, _UNPACK(packed.to_bytes(_PACKED_BYTES, "little")), strict=True))


def surface_counts(chunk: str) -> int:
    """Packed capitals, letters, ``!`` and ``?`` of a raw chunk (case and punctuation)."""
    data = chunk.encode("ascii", "ignore")
    without_upper = len(data.translate(None, _ASCII_UPPER))
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return (
        (len(data) - without_upper) * _UPPER
        + letters * _LETTERS
        + chunk.count("!") * _EXCLAMATION
        + chunk.count("?") * _QUESTION
    )


class Contribution(NamedTuple):
    """What one chunk (or one word) contributes to a post."""

    text: str  # its tokens joined by single spaces, "" when none
    packed: int  # counts and language votes, see PACKED_FIELDS
    spread: str  # one spread-call code letter per word; "" when every letter is "."


_EMPTY = Contribution("", 0, "")


def _part(text: str, packed: int, spread: str) -> Contribution:
    """``Contribution(text, packed, spread)`` without the Python-level ``__new__`` (hot path)."""
    return _NEW_TUPLE(Contribution, (text, packed, spread))


_NEW_TUPLE = tuple.__new__
_TEXT = itemgetter(0)
_PACKED = itemgetter(1)
_SPREAD = itemgetter(2)


class _Acc:
    """Mutable accumulator used while analysing one chunk or word."""

    __slots__ = ("packed", "spread", "tokens")

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.packed = 0
        self.spread: list[str] = []

    def add(self, part: Contribution) -> None:
        """Add a word's contribution."""
        if part.text:
            self.tokens.append(part.text)
        self.packed += part.packed
        self.spread.append(part.spread or ".")

    def result(self) -> Contribution:
        code = "".join(self.spread)
        return Contribution(" ".join(self.tokens), self.packed, code if code.strip(".") else "")


def join_reduplication(words: tuple[str, ...]) -> tuple[str, ...]:
    """Join reduplication written with a space (``anak anak``, ``obat obatan``) by a hyphen.

    The slang lexicon writes ``anak2`` as ``anak anak``; Sastrawi stems ``anak-anak``.
    """
    out: list[str] = []
    for word in words:
        if out and "-" not in out[-1] and word.startswith(out[-1]) and len(out[-1]) >= 2:
            out[-1] = f"{out[-1]}-{word}"
        else:
            out.append(word)
    return tuple(out)


def pieces(chunk: str, size: int = MAX_PIECE) -> list[str]:
    """Cut a whitespace-free chunk into consecutive pieces of at most ``size`` characters."""
    if len(chunk) <= size:
        return [chunk]
    return [chunk[i : i + size] for i in range(0, len(chunk), size)]


def class_code_points(char_class: str) -> list[int]:
    """Code points of a character class body of single characters and ``a-b`` ranges."""
    codes: list[int] = []
    i = 0
    while i < len(char_class):
        if i + 2 < len(char_class) and char_class[i + 1] == "-":
            codes.extend(range(ord(char_class[i]), ord(char_class[i + 2]) + 1))
            i += 3
        else:
            codes.append(ord(char_class[i]))
            i += 1
    return codes


_WORD_CHAR_RE = re.compile(r"\w")


@lru_cache(maxsize=1)
def emoji_chunk_tables() -> tuple[tuple[tuple[int, str | None], ...], tuple[str | None, ...]]:
    """``(singles, flags)`` for the C side's emoji chunks (``_cnorm.c``, stage 4b).

    singles: sorted ``(code point, token)`` pairs: every character of ``EMOJI_CLASS`` that
    is no word character (``\\w``: the tokenizer's word alternative would take it), with
    ``emoji_token(char)`` (``None``: a match that adds nothing), and the skin-tone modifiers,
    which no alternative matches (token ``None``). flags: ``emoji_token`` of each pair of
    regional indicators, ``a a``, ``a b``, ... ``z z`` (26 * 26).
    """
    singles: dict[int, str | None] = {}
    for code in class_code_points(EMOJI_CLASS):
        char = chr(code)
        # \w matches one character exactly when it is alphanumeric or "_" (re's definition).
        if not (char.isalnum() or char == "_") and not char.isspace():
            singles[code] = emoji_token(char)
    emoji_class = set(class_code_points(EMOJI_CLASS))
    indicators = class_code_points(REGIONAL_INDICATORS)
    for code in class_code_points(SKIN_TONES):  # (none is in the class: checked anyway)
        if (
            code not in emoji_class
            and code not in indicators
            and not _WORD_CHAR_RE.match(chr(code))
        ):
            singles[code] = None
    flags = tuple(emoji_token(chr(a) + chr(b)) for a in indicators for b in indicators)
    return tuple(sorted(singles.items())), flags


class Normalizer:
    """A configured normalizer; :func:`monitor.text.normalize` uses a shared default one.

    ``stopwords``, ``slang`` and ``stemmer`` default to the shipped lists and the
    process-wide stemmer. Each memo (chunks, words) holds at most ``memo_size`` entries.

    ``compiled`` (default): when the ``_cnorm`` extension is built and not disabled by
    ``PANTAU_PURE_PYTHON``, the per-post path (cleaning ASCII posts, splitting, the chunk
    memo, assembling the result) runs in C, which calls back into this object only to analyse
    chunks it has not seen. ``compiled=False`` keeps everything in Python: the reference the
    C path is tested against. Both give equal results. ``compiled_words`` (default) lets the
    C path also analyse plain lowercase words itself (:meth:`_plain_word` in C), and with
    them words with capitals or punctuation, URLs, mentions and hashtags made of such words;
    ``False`` sends every new chunk to :meth:`_analyse_chunk`.
    """

    def __init__(
        self,
        *,
        stopwords: Iterable[str] | None = None,
        slang: SlangLexicon | None = None,
        stemmer: Stemmer | None = None,
        memo_size: int = DEFAULT_MEMO_SIZE,
        compiled: bool = True,
        compiled_words: bool = True,
    ) -> None:
        self.stopwords = frozenset(stopwords) if stopwords is not None else default_stopwords()
        self.slang = slang if slang is not None else default_slang()
        self._slang_keys = self.slang.keys()
        self.stemmer = stemmer if stemmer is not None else default_stemmer()
        self.dictionary = self.stemmer.dictionary
        markers = marker_words()
        # Indonesian/Malay vocabulary for language votes: roots, stopwords, standard words.
        self.shared_vocabulary = (
            self.dictionary | standard_words() | sastrawi_stopwords() | self.slang.targets()
        )
        self._other_markers = frozenset().union(
            *(words for lang, words in markers.items() if lang != "id")
        )
        # Slang keys count as shared vocabulary unless they mark another language.
        self._shared_or_slang = self.shared_vocabulary | self.slang.keys()
        self._markers = frozenset().union(*markers.values())
        self.known = (
            self.shared_vocabulary
            | self.slang.keys()
            | self.stopwords
            | NEGATIONS
            | frozenset().union(*markers.values())
        )
        self._chunks: BoundedMemo[str, Contribution] = BoundedMemo(memo_size)
        self._words: BoundedMemo[str, Contribution] = BoundedMemo(memo_size)
        self._stable_memo: BoundedMemo[str, tuple[str, ...]] = BoundedMemo(memo_size)
        # The compiled per-post path; it keeps its own chunk memo (``self._chunks`` then
        # serves only str subclasses) and calls ``_analyse_chunk`` for chunks missing from it.
        self._fast: FastNormalizer | None = None
        if compiled and _CNORM is not None:
            words = self._compiled_words_lexicons() if compiled_words else None
            self._fast = _CNORM.FastNormalizer(
                analyse=self._analyse_chunk,
                fallback=_fallback_language,
                clean=clean_text,
                spread_calls=feat.count_spread_calls,
                result_type=NormalizedText,
                languages=LANGS,
                feature_names=FEATURE_NAMES,
                packed_fields=PACKED_FIELDS,
                memo_size=memo_size,
                max_memo_chunk=MAX_MEMO_CHUNK,
                max_text_chars=MAX_TEXT_CHARS,
                vote_scale=VOTE_SCALE,
                min_lexical_votes=MIN_LEXICAL_VOTES,
                unknown_ratio=UNKNOWN_RATIO,
                unknown_penalty=UNKNOWN_PENALTY,
                smoothing=SMOOTHING,
                words=words,
                hashtags=self._compiled_hashtag_lexicons() if words is not None else None,
                stems=self._compiled_stems() if words is not None else None,
                emoji=self._compiled_emoji_tables() if words is not None else None,
                clean_shortcut=(
                    charnorm.shortcut_ranges() if clean_text is charnorm.clean_text else None
                ),
                # self.known is built above as a union of the word lexicons' sets.
                known_covers_lexicons=words is not None,
            )

    @property
    def compiled(self) -> bool:
        """Whether this normalizer runs its per-post path in C."""
        return self._fast is not None

    def _compiled_words_lexicons(self) -> tuple[object, ...] | None:
        """What the C path needs to analyse plain words itself (``_cnorm.c``, stage 2).

        ``None`` (plain words go to :meth:`_analyse_chunk`) unless this is a plain
        :class:`Normalizer` with a plain :class:`SlangLexicon` and set-typed lexicons, so
        that the C side's set lookups mean exactly what the Python path's ``in`` tests mean.
        """
        sets = (
            self._slang_keys,
            self.stopwords,
            self._shared_or_slang,
            self._other_markers,
            self.shared_vocabulary,
            self.dictionary,
            self.known,
        )
        slang_map = self.slang._map
        if (
            type(self) is not Normalizer
            or type(self.slang) is not SlangLexicon
            or type(slang_map) is not dict
            or not all(type(s) in (set, frozenset) for s in sets)
        ):
            return None
        marker_votes = {
            word: (pack_votes(word_votes(word, False)), pack_votes(word_votes(word, True)))
            for word in self._markers
        }
        return (
            self._slang_keys,
            self.stopwords,
            _SPREAD_CODES,
            self._shared_or_slang,
            self._other_markers,
            self.shared_vocabulary,
            self.dictionary,
            marker_votes,
            _PACKED_SHARED,
            _UNKNOWN,
            MAX_WORD,
            _CLITICS,
            self.stemmer.stem,
            self._stable,
            # Stage 2b: elongated, slang, clitic-slang and laughter words (_word's general path).
            slang_map,
            self.known,
            MAX_VARIABLE_RUNS,
            LAUGH_TOKEN,
            # Stage 3e: words with digits (Normalizer._digits).
            (UNITS, LEET, MAX_LEET_CANDIDATES),
        )

    def _compiled_hashtag_lexicons(self) -> tuple[object, ...] | None:
        """What the C path needs to split hashtags itself (``_cnorm.c``, stage 3c).

        Used only where the C path analyses plain words (:meth:`_compiled_words_lexicons`).
        ``None`` (hashtag chunks go to :meth:`_analyse_chunk`) unless ``known`` is a
        frozenset (the C side copies it, so it must not change): then its lookups mean what
        :meth:`_is_segment`'s ``in`` tests mean.
        """
        if type(self.known) is not frozenset:
            return None
        return (
            self.known,
            _SHORT_SEGMENTS,
            _SEGMENT_PREFIXES,
            _SEGMENT_SUFFIXES,
            hashtags.MAX_SEGMENTED_RUN,
            hashtags.MAX_WORD,
        )

    def _compiled_stems(self) -> tuple[object, ...] | None:
        """What the C path needs to answer stems itself (``_cnorm.c``, ``call_stem``).

        ``None`` (every stem goes to ``self.stemmer.stem``) unless the stemmer is a plain
        :class:`Stemmer` on a plain :class:`StemCache` and a :class:`FastStemmer` with the
        compiled stemmer, and no instance attribute hides one of the methods involved: the C
        side then does what :meth:`Stemmer.stem` does, on the stemmer's own state.
        """
        stemmer = self.stemmer
        if type(stemmer) is not Stemmer:
            return None
        cache, fast = stemmer.cache, stemmer.fast
        if (
            type(cache) is not StemCache
            or type(fast) is not FastStemmer
            or _CSTEM is None
            or type(fast._compiled) is not _CSTEM.CStemmer
            or not _STEM_METHODS[Stemmer].isdisjoint(vars(stemmer))
            or not _STEM_METHODS[StemCache].isdisjoint(vars(cache))
            or not _STEM_METHODS[FastStemmer].isdisjoint(vars(fast))
        ):
            return None
        return (stemmer, StemCache, FastStemmer, _CSTEM.CStemmer)

    @staticmethod
    def _compiled_emoji_tables() -> tuple[object, ...] | None:
        """What the C path needs to analyse chunks of emoji itself (``_cnorm.c``, stage 4b).

        ``None`` unless :func:`emoji_token` is the shipped one reading the shipped plain
        ``dict`` (the caller also needs stage 2: a plain :class:`Normalizer`).
        """
        if (
            emoji_token is not emoji_module.emoji_token
            or type(emoji_module.emoji_table()) is not dict
        ):
            return None
        return emoji_chunk_tables()

    # --- public ---------------------------------------------------------------------------
    def normalize(self, text: str) -> NormalizedText:
        """Normalize one raw post. Never raises on a ``str``; idempotent on its own output."""
        if self._fast is not None and type(text) is str:  # str subclasses: Python path
            done = self._fast.normalize_many([text])
            if done is not None:
                return done[0]
        if not isinstance(text, str):
            raise TypeError(f"normalize() expects str, got {type(text).__name__}")
        cleaned = clean_text(text[:MAX_TEXT_CHARS])
        chunks = cleaned.split()
        parts = self._chunks.get_many(chunks)
        if None in parts:
            found: dict[str, Contribution] = {}
            for part, chunk in zip(parts, chunks, strict=True):
                if part is None and chunk not in found:
                    found[chunk] = self._lookup(chunk)
            parts = [found[c] if p is None else p for p, c in zip(parts, chunks, strict=True)]
        return self._assemble(text, cleaned, parts)  # type: ignore[arg-type]

    def normalize_many(self, texts: Sequence[str]) -> list[NormalizedText]:
        """Normalize a batch; equal to ``[normalize(t) for t in texts]``.

        Identical posts (forwards, retweets) are normalized once, and the distinct chunks of
        the whole batch are analysed once each before any post is assembled, so each new word
        reaches the stemmer once per batch.
        """
        if self._fast is not None:
            done = self._fast.normalize_many(texts)
            if done is not None:  # None: not a list or tuple of exact str
                return done
        return self._normalize_many_python(texts)

    def _normalize_many_python(self, texts: Sequence[str]) -> list[NormalizedText]:
        """:meth:`normalize_many` in Python (the reference for the compiled path)."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"normalize_many() expects str items, got {type(text).__name__}")
        distinct = list(dict.fromkeys(texts))
        cleaned = [clean_text(text[:MAX_TEXT_CHARS]) for text in distinct]
        chunk_lists = [c.split() for c in cleaned]
        flat = [chunk for chunks in chunk_lists for chunk in chunks]
        parts = self._chunks.get_many(flat)
        # Only the misses go through Python code, each distinct one once. (``not_`` is a
        # C-level test; ``None in parts`` would compare every tuple with ``None``.)
        missing = dict.fromkeys(compress(flat, map(not_, parts)))
        if missing:
            get_old, analyse = self._chunks.get_old, self._chunk
            found = {chunk: get_old(chunk) or analyse(chunk) for chunk in missing}
            parts = [part or found[chunk] for part, chunk in zip(parts, flat, strict=True)]
        it = iter(parts)
        assemble = self._assemble
        done = {
            text: assemble(text, clean, list(islice(it, len(chunks))))  # type: ignore[arg-type]
            for text, clean, chunks in zip(distinct, cleaned, chunk_lists, strict=True)
        }
        return [done[text] for text in texts]

    # --- assembling a post ------------------------------------------------------------------
    def _assemble(self, raw: str, cleaned: str, parts: list[Contribution]) -> NormalizedText:
        # C-level passes only: a warm post is nothing but memo hits.
        text = " ".join(filter(None, map(_TEXT, parts)))
        tokens = tuple(text.split())
        fields = _UNPACK(sum(map(_PACKED, parts)).to_bytes(_PACKED_BYTES, "little"))
        spread_calls = 0
        if fields[_F_SPREAD]:
            spread_calls = feat.count_spread_calls([code or "." for code in map(_SPREAD, parts)])
        votes: Votes = (
            fields[_F_ID] / VOTE_SCALE,
            fields[_F_MS] / VOTE_SCALE,
            fields[_F_EN] / VOTE_SCALE,
            fields[_F_JV] / VOTE_SCALE,
            fields[_F_SU] / VOTE_SCALE,
        )
        known, unknown = fields[_F_KNOWN], fields[_F_UNKNOWN]
        if needs_fallback(votes, known, unknown):
            language, confidence, mix = _fallback_language(votes, known, unknown, cleaned)
        else:  # what decide() does when no fallback is needed, without the result object
            total = votes[0] + votes[1] + votes[2] + votes[3] + votes[4]
            language, confidence, mix = lexical_decision(votes, total, unknown)
        letters = fields[_F_LETTERS]
        features = dict(
            zip(
                FEATURE_NAMES,
                (
                    float(len(raw)),
                    float(len(tokens)),
                    fields[_F_UPPER] / letters if letters else 0.0,
                    float(fields[_F_EXCLAMATION]),
                    float(fields[_F_QUESTION]),
                    float(spread_calls),
                    float(fields[_F_URL]),
                    float(fields[_F_MENTION]),
                    float(fields[_F_HASHTAG]),
                    float(fields[_F_EMOJI]),
                    float(fields[_F_NUMBER]),
                    float(fields[_F_ELONGATION]),
                    float(fields[_F_LAUGH]),
                    mix,
                ),
                strict=True,
            )
        )
        return NormalizedText(text, tokens, language, confidence, MappingProxyType(features))

    # --- analysing a chunk ------------------------------------------------------------------
    def _lookup(self, chunk: str) -> Contribution:
        part = self._chunks.get(chunk)
        return part if part is not None else self._chunk(chunk)

    def _chunk(self, chunk: str) -> Contribution:
        part = self._analyse_chunk(chunk)
        if len(chunk) <= MAX_MEMO_CHUNK:
            self._chunks.put(chunk, part)
        return part

    def _analyse_chunk(self, chunk: str) -> Contribution:
        """What ``chunk`` contributes, computed (no chunk memo; the word memos are used)."""
        if chunk.isalpha():  # the common case: one plain word
            if chunk.isascii() and chunk.islower():  # _word_part(chunk) without lowercasing
                part = self._words.get(chunk) or self._new_word_part(chunk)
                return _part(part.text, part.packed + len(chunk) * _LETTERS, part.spread)
            part = self._word_part(chunk)
            if chunk.isascii() and chunk.isupper():
                surface = len(chunk) * (_LETTERS + _UPPER)
            else:
                surface = surface_counts(chunk)
        else:
            acc = _Acc()
            for piece in pieces(chunk):
                self._piece(piece, acc)
            part = acc.result()
            surface = surface_counts(chunk)
        return _part(part.text, part.packed + surface, part.spread)

    def _piece(self, piece: str, acc: _Acc) -> None:
        for match in token_matches(piece):
            kind = match.lastgroup
            value = match.group()
            if kind == "word":
                acc.add(self._word_part(value))
            elif kind == "url":
                acc.tokens.append(url_token(value))
                acc.packed += _URL
            elif kind == "path":  # host.tld/path without a scheme
                host, _, rest = value.partition("/")
                if is_bare_domain(host):
                    acc.tokens.append(url_token(host))
                    acc.packed += _URL
                else:
                    acc.add(self._word_part(host))
                    self._piece(rest, acc)
            elif kind == "email":
                acc.tokens.append(url_token(value.rpartition("@")[2]))
                acc.packed += _URL
            elif kind == "special":
                acc.tokens.append(value)
            elif kind == "mention":
                acc.tokens.append(MENTION_TOKEN)
                acc.packed += _MENTION
            elif kind == "hashtag":
                acc.add(self._hashtag_part(value))
            elif kind == "number":
                acc.tokens.append(value.lower())
                acc.packed += _NUMBER
            else:  # emoji or flag
                token = emoji_token(value)
                if token is not None:
                    acc.tokens.append(token)
                    acc.packed += _EMOJI

    def _hashtag_part(self, tag: str) -> Contribution:
        """Contribution of a hashtag: its words, plus one hashtag (memoised on the tag)."""
        part = self._words.get(tag)
        if part is None:
            acc = _Acc()
            acc.packed += _HASHTAG
            for word in split_hashtag(tag, self._is_segment):
                acc.add(self._word_part(word))
            part = acc.result()
            self._words.put(tag, part)
        return part

    def _word_part(self, raw: str) -> Contribution:
        """Contribution of one word-like match (memoised on its lowercase form)."""
        word = raw.lower()
        return self._words.get(word) or self._new_word_part(word)

    def _new_word_part(self, word: str) -> Contribution:
        """:meth:`_word_part` of a lowercase word missing from the word memo."""
        part = self._plain_word(word)
        if part is None:
            acc = _Acc()
            self._word(word, acc)
            part = acc.result()
            if part.text:
                stable = " ".join(t for token in part.text.split() for t in self._stable(token))
                if stable != part.text:
                    part = part._replace(text=stable)
        self._words.put(word, part)
        return part

    def _plain_word(self, word: str) -> Contribution | None:
        """Fast path of :meth:`_word` for a plain ASCII word; ``None`` when it does not apply.

        Gives what the general path gives for a lowercase ASCII word that is no laughter,
        not elongated and not slang, with its token already checked to be a fixed point.
        """
        if (
            not word.isascii()
            or not word.isalpha()
            or len(word) > MAX_WORD
            or word in self._slang_keys
            or (word[:1] in _LAUGH_FIRST and is_laughter(word))
            or is_elongated(word)
            or (word.endswith(_CLITICS) and self._slang(word) is not None)
        ):
            return None
        code = _SPREAD_CODES.get(word, "")
        spread = _SPREAD_WORD if code else 0
        stopwords = self.stopwords
        if word in stopwords:
            return _part("", pack_votes(self._word_votes(word)) + spread, code)
        # One stem serves the language votes and the token.
        stem = self.stemmer.stem(word)
        packed = self._votes_with_stem(word, stem) + spread
        if stem in stopwords or not stem:
            stem = word  # see _emit
        elif stem != word:  # a dictionary root; it may still be slang
            stem = " ".join(self._stable(stem))
        return _part(stem, packed, code)

    def _word(self, word: str, acc: _Acc) -> None:
        """Normalize one lowercase word-like match (letters, digits, inner ``'.-``)."""
        if "'" in word:
            word = word.replace("'", "")
        if not word.isascii():
            word = clean_text(word)  # lowercasing may leave a non-NFKC or accented form
        if "." in word:
            if is_bare_domain(word):
                acc.tokens.append(url_token(word))
                acc.packed += _URL
                return
            for part in word.split("."):
                if part:
                    acc.add(self._word_part(part))
            return
        if word[:1] in _LAUGH_FIRST and is_laughter(word):
            acc.tokens.append(LAUGH_TOKEN)
            acc.packed += _LAUGH
            return
        standard = self._slang(word)
        if standard is None:
            if not word.isalpha() and any(c.isdigit() for c in word):
                resolved = self._digits(word, acc)
                if resolved is None:
                    return
                word = resolved
                standard = self._slang(word)
            if standard is None and is_elongated(word):
                acc.packed += _ELONGATION
                word = collapse_elongation(word, self._is_known)
                standard = self._slang(word)
        if len(word) > MAX_WORD:
            return
        acc.packed += pack_votes(self._word_votes(word))
        if standard is not None and len(standard) > 1:
            standard = join_reduplication(standard)
        for std in standard or (word,):
            code = _SPREAD_CODES.get(std, ".")
            if code != ".":
                acc.packed += _SPREAD_WORD
            acc.spread.append(code)
            self._emit(std, acc)

    def _digits(self, word: str, acc: _Acc) -> str | None:
        """Resolve a word containing digits; return the letters-only word or ``None`` if done."""
        if is_number(word):
            acc.tokens.append(word)
            acc.packed += _NUMBER
            return None
        split = split_number_word(word)
        if split is not None:
            acc.tokens.append(split[0])
            acc.packed += _NUMBER
            return split[1]
        redup = expand_reduplication(word)
        if redup is not None:
            base = redup.partition("-")[0]
            if any(c.isdigit() for c in base):
                plain = deleet(base, self._is_known)
                if plain is None:
                    acc.tokens.append(word)
                    return None
                redup = f"{plain}-{redup[len(base) + 1 :].replace(base, plain, 1)}"
            return redup
        plain = deleet(word, self._is_known)
        if plain is not None:
            return plain
        # A code such as covid19, g20 or h5n1: kept as written, not stemmed.
        acc.tokens.append(word)
        return None

    def _emit(self, word: str, acc: _Acc) -> None:
        """Stopwords out, then the stem (whose stem may itself be a stopword)."""
        stopwords = self.stopwords
        if word in stopwords:
            return
        if not word.isascii():
            acc.tokens.append(word)
            return
        stem = self.stemmer.stem(word)
        if stem in stopwords or not stem:
            # "peringatan" -> "ingat", a stopword: keep the word, its meaning is not "ingat".
            stem = word
        acc.tokens.append(stem)

    # --- idempotence ------------------------------------------------------------------------
    def _stable(self, token: str) -> tuple[str, ...]:
        """Replace ``token`` by tokens that the pipeline maps to themselves.

        Follows ``token -> pipeline(token)`` until every token maps to itself. A chain of
        single tokens that loops ends on the smallest token of the loop (the same whatever
        the entry point); anything longer than a few steps is dropped.
        """
        cached = self._stable_memo.get(token)
        if cached is not None:
            return cached
        result = (token,) if self._is_plain_fixpoint(token) else self._stabilise(token, [])
        self._stable_memo.put(token, result)
        return result

    def _is_plain_fixpoint(self, token: str) -> bool:
        """Cheap sufficient test that a plain lowercase word maps to itself.

        Such a word is no slang, no stopword, no laughter, not elongated, and either its own
        stem (Sastrawi returns either a dictionary root, whose stem is itself, or the word) or
        a word whose stem is a stopword (kept as it is, see :meth:`_emit`).
        """
        if not (
            token.isalpha()
            and token.isascii()
            and token.islower()
            and len(token) <= MAX_WORD
            and token not in self._slang_keys
            and token not in self.stopwords
            and not is_laughter(token)
            and not is_elongated(token)
            and not (token.endswith(_CLITICS) and self._slang(token) is not None)
        ):
            return False
        stem = self.stemmer.stem(token)
        return stem == token or stem in self.stopwords or not stem

    def _stabilise(self, token: str, path: list[str]) -> tuple[str, ...]:
        out = self._raw_tokens(token)
        if out == (token,):
            return out
        if token in path:
            loop = path[path.index(token) :]
            return (min(loop),) if all(len(self._raw_tokens(t)) == 1 for t in loop) else ()
        if len(path) >= 6:
            return ()
        path = [*path, token]
        return tuple(t for nxt in out for t in self._stabilise(nxt, path))

    def _raw_tokens(self, token: str) -> tuple[str, ...]:
        """Tokens of an emitted token analysed as a post, before stabilisation."""
        acc = _Acc()
        for chunk in clean_text(token).split():
            for piece in pieces(chunk):
                for match in token_matches(piece):
                    if match.lastgroup == "word":
                        self._word(match.group().lower(), acc)
                    else:
                        self._piece(match.group(), acc)
        return tuple(" ".join(acc.tokens).split())

    # --- word knowledge ---------------------------------------------------------------------
    def _slang(self, word: str) -> tuple[str, ...] | None:
        """Standard words for a slang word, also with a clitic or particle (``bansosnya``)."""
        standard = self.slang.lookup(word)
        if standard is None and word.endswith(_CLITICS):
            for clitic in _CLITICS:
                if word.endswith(clitic) and len(word) - len(clitic) >= 2:
                    standard = self.slang.lookup(word[: -len(clitic)])
                    if standard is not None:
                        break
        return standard

    def _word_votes(self, word: str) -> Votes | None:
        shared = word in self._shared_or_slang and word not in self._other_markers
        if not shared:
            shared = word in self.shared_vocabulary or (
                len(word) > 3
                and word.isascii()
                and word.isalpha()
                and self.stemmer.stem(word) in self.dictionary
            )
        return word_votes(word, shared)

    def _votes_with_stem(self, word: str, stem: str) -> int:
        """``pack_votes(self._word_votes(word))`` for a plain lowercase ASCII word and its stem.

        Saves the stem lookup that :meth:`_word_votes` would repeat.
        """
        shared = (
            (word in self._shared_or_slang and word not in self._other_markers)
            or word in self.shared_vocabulary
            or (len(word) > 3 and stem in self.dictionary)
        )
        if word in self._markers:
            return pack_votes(word_votes(word, shared))
        return _PACKED_SHARED if shared else _UNKNOWN

    def _is_known(self, word: str) -> bool:
        """Whether ``word`` is a real word: listed, or an affixed form of a dictionary root."""
        if word in self.known:
            return True
        if len(word) < 4 or not (word.isascii() and word.isalpha()):
            return False
        stem = self.stemmer.stem(word)
        return stem != word and stem in self.dictionary

    def _is_segment(self, word: str) -> bool:
        """Known word for hashtag segmentation: cheap lexical checks only, no stemming."""
        if len(word) < 3:
            return word in _SHORT_SEGMENTS
        known = self.known
        if word in known:
            return True
        for prefix in _SEGMENT_PREFIXES:
            if word.startswith(prefix) and word[len(prefix) :] in known:
                return True
        for suffix in _SEGMENT_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                root = word[: -len(suffix)]
                if root in known or any(
                    root.startswith(p) and root[len(p) :] in known for p in _SEGMENT_PREFIXES
                ):
                    return True
        return False


_SPREAD_CODES = feat.spread_codes()


def _fallback_language(
    votes: Votes, known: int, unknown: int, cleaned: str
) -> tuple[str, float, float]:
    """(language, confidence, code-mix ratio) of a post whose lexical evidence is too thin.

    ``decide`` with the post's chunks that can be language evidence (no URLs, mentions,
    hashtags or our special tokens) as the text for py3langid.
    """
    fallback = " ".join(
        chunk
        for chunk in cleaned[:FALLBACK_MAX_CHARS].split()
        if not _NOT_LANGUAGE_RE.search(chunk)
    )
    result = decide(votes, known, unknown, fallback)
    return result.language, result.confidence, result.code_mix_ratio


_DEFAULT: Normalizer | None = None


def default_normalizer() -> Normalizer:
    """The process-wide normalizer (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Normalizer()
    return _DEFAULT


def normalize(text: str) -> NormalizedText:
    """Normalize one raw post (see :class:`Normalizer`). Never raises on a ``str``."""
    return default_normalizer().normalize(text)


def normalize_many(texts: Sequence[str]) -> list[NormalizedText]:
    """Normalize a batch of posts; deduplicates posts and words before stemming."""
    return default_normalizer().normalize_many(texts)


class _RecordingStemmer(Stemmer):
    """A stemmer that remembers every word it was asked for."""

    def __init__(self) -> None:
        super().__init__(cache=StemCache(path=_NO_FILE))
        self.asked: dict[str, None] = {}

    def stem(self, word: str) -> str:
        self.asked[word] = None
        return super().stem(word)


def stemmer_words(texts: Iterable[str]) -> Iterator[str]:
    """The words the normalizer hands to the stemmer for ``texts`` (for the stem cache)."""
    recorder = _RecordingStemmer()
    normalizer = Normalizer(stemmer=recorder)
    for text in texts:
        normalizer.normalize(text)
    yield from recorder.asked


_NO_FILE = StemCache().path.with_name(".no-such-stem-cache.tsv")
