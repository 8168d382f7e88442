"""Language identification per post."""

from __future__ import annotations

import pytest

from monitor.text import normalize
from monitor.text.langid import LANGS, decide, lexical_decision, word_votes


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("gk tau knp bgt yg viral skrg, pemerintah diem aja", "id"),
        ("Pemerintah resmi mengumumkan bantuan sosial tahap kedua akan cair minggu depan", "id"),
        ("aku ora ngerti kowe arep nang endi", "jv"),
        ("piye kabare, wis mangan durung", "jv"),
        ("abdi teu terang naon nu aya di dieu", "su"),
        ("kumaha damang, hatur nuhun pisan", "su"),
        ("saya tak tahu kenapa kerajaan buat macam tu, awak nak pergi mana", "ms"),
        ("this is fake news, share it before it is deleted", "en"),
        ("the government says the vaccine is safe for children", "en"),
        ("Bonjour tout le monde, je suis très content de vous voir", "other"),
        ("Это фейковые новости, не верьте им", "other"),
    ],
)
def test_posts_get_their_language(text: str, language: str) -> None:
    assert normalize(text).language == language


def test_a_post_without_words_is_other_with_no_confidence() -> None:
    result = normalize("😂😂 https://bit.ly/x 2019")
    assert result.language == "other"
    assert result.language_confidence == 0.0


def test_a_mixed_post_is_kept_labelled_and_its_mix_reported() -> None:
    mixed = normalize("vaksin ini aman kok, trust me this is not fake news guys")
    pure = normalize("vaksin ini aman kok, pemerintah sudah menjamin")
    assert mixed.tokens  # kept, not dropped
    assert mixed.language in LANGS
    assert mixed.features["code_mix_ratio"] > pure.features["code_mix_ratio"]
    assert mixed.language_confidence < pure.language_confidence


def test_confidence_stays_between_zero_and_one() -> None:
    for text in ("ora", "gk", "the the the the", "banget banget banget", ""):
        assert 0.0 <= normalize(text).language_confidence <= 1.0


def test_a_marker_word_outweighs_shared_vocabulary() -> None:
    votes = word_votes("kowe", in_shared_vocabulary=False)
    assert votes is not None and max(range(len(LANGS)), key=votes.__getitem__) == LANGS.index("jv")


def test_an_english_loanword_counts_half_english() -> None:
    votes = word_votes("video", in_shared_vocabulary=True)
    assert votes is not None
    assert 0 < votes[LANGS.index("en")] < 2


def test_an_unknown_word_gives_no_vote() -> None:
    assert word_votes("xqzt", in_shared_vocabulary=False) is None


def test_ties_go_to_indonesian() -> None:
    assert decide((1.0, 1.0, 0.0, 0.0, 0.0), 2, 0).language == "id"


@pytest.mark.parametrize(
    ("votes", "unknown"),
    [
        ((1.0, 1.0, 0.0, 0.0, 0.0), 0),
        ((2.1, 0.9, 4.0, 0.0, 0.0), 3),
        ((0.7, 0.3, 0.0, 6.0, 2.0), 1),
        ((0.0, 0.0, 0.0, 0.0, 1.5), 0),
    ],
)
def test_the_lexical_decision_is_decide_without_fallback(
    votes: tuple[float, float, float, float, float], unknown: int
) -> None:
    result = decide(votes, 10, unknown)
    total = votes[0] + votes[1] + votes[2] + votes[3] + votes[4]
    assert lexical_decision(votes, total, unknown) == (
        result.language,
        result.confidence,
        result.code_mix_ratio,
    )
