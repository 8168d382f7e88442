"""Stopwords with negations kept."""

from __future__ import annotations

from monitor.text.pipeline import Normalizer
from monitor.text.stopwords import (
    NEGATIONS,
    build_stopwords,
    default_stopwords,
    sastrawi_stopwords,
)


def test_negations_are_never_stopwords() -> None:
    for word in ("tidak", "bukan", "belum", "jangan", "tak", "enggak"):
        assert word in NEGATIONS
        assert word not in default_stopwords()


def test_the_default_list_is_sastrawis_plus_ours() -> None:
    stopwords = default_stopwords()
    assert "yang" in sastrawi_stopwords() and "yang" in stopwords
    assert "sih" not in sastrawi_stopwords() and "sih" in stopwords


def test_the_list_is_configurable() -> None:
    custom = build_stopwords(["hoaks"], include_sastrawi=False, keep=["tidak"])
    assert custom == frozenset({"hoaks"})
    assert "tidak" not in build_stopwords(["tidak"])


def test_a_negation_changes_the_tokens_of_a_claim() -> None:
    normalizer = Normalizer()
    assert normalizer.normalize("vaksin itu tidak aman").tokens == ("vaksin", "tidak", "aman")
    assert normalizer.normalize("vaksin itu aman").tokens == ("vaksin", "aman")


def test_a_word_whose_stem_is_a_stopword_is_kept_whole() -> None:
    # "peringatan" stems to "ingat", a stopword; the warning must not vanish.
    assert Normalizer().normalize("peringatan").tokens == ("peringatan",)


def test_a_custom_stopword_list_is_used_by_the_normalizer() -> None:
    normalizer = Normalizer(stopwords=build_stopwords(["vaksin"]))
    assert "vaksin" not in normalizer.normalize("vaksin berbahaya").tokens
