"""Contract tests of the public interface of monitor.text."""

from __future__ import annotations

import dataclasses

import pytest

from monitor.text import (
    FEATURE_NAMES,
    NORMALIZER_VERSION,
    NormalizedText,
    normalize,
    normalize_many,
)


def test_it_returns_tokens_joined_as_text() -> None:
    result = normalize("Vaksinnya BERBAHAYA!!")
    assert isinstance(result, NormalizedText)
    assert result.text == " ".join(result.tokens)
    assert "vaksin" in result.tokens


def test_it_keeps_negations_and_drops_other_stopwords() -> None:
    tokens = normalize("vaksin itu tidak aman dan bukan obat").tokens
    assert "tidak" in tokens
    assert "bukan" in tokens
    assert "itu" not in tokens
    assert "dan" not in tokens


def test_it_exposes_exactly_the_feature_names() -> None:
    features = normalize("Awas!!! Sebarkan ya? https://bit.ly/x @budi").features
    assert tuple(features) == FEATURE_NAMES
    assert features["exclamation_count"] == 3
    assert features["question_count"] == 1
    assert features["url_count"] == 1
    assert features["mention_count"] == 1
    assert features["spread_call_count"] == 1


def test_the_result_is_immutable() -> None:
    result = normalize("banjir jakarta")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.features["char_count"] = 1.0  # type: ignore[index]


def test_the_batch_matches_one_by_one() -> None:
    texts = ["Vaksinnya berbahaya", "", "banjir di Jakarta https://t.co/a"]
    assert normalize_many(texts) == [normalize(t) for t in texts]


def test_the_version_is_a_nonempty_string() -> None:
    assert isinstance(NORMALIZER_VERSION, str)
    assert NORMALIZER_VERSION


def test_query_terms_match_post_tokens() -> None:
    query = normalize("vaksinnya").tokens
    post = normalize("Vaksin itu berbahaya").tokens
    assert set(query) <= set(post)
