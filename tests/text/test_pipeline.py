"""The normalizer end to end: each step seen through normalize()."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.text import normalize, normalize_many
from monitor.text.pipeline import DEFAULT_MEMO_SIZE, MAX_PIECE, Normalizer, pieces
from monitor.text.stem import StemCache, Stemmer
from tests.text.test_golden import PAIRS


def fresh_normalizer(
    tmp_path: Path, *, memo_size: int = DEFAULT_MEMO_SIZE, compiled: bool = True
) -> Normalizer:
    return Normalizer(
        stemmer=Stemmer(cache=StemCache(tmp_path / "stems.tsv")),
        memo_size=memo_size,
        compiled=compiled,
    )


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("cek https://www.bit.ly/3xYz?a=1 sekarang", ("cek", "url:bit.ly")),
        ("sumber turnbackhoax.id", ("sumber", "url:turnbackhoax.id")),
        ("info di kominfo.go.id/berita/1", ("info", "url:kominfo.go.id")),
        ("kirim ke admin@gmail.com", ("kirim", "url:gmail.com")),
        ("@budi_santoso @ani benar", ("@mention", "@mention", "benar")),
        ("#TolakHoaks", ("tolak", "hoaks")),
        ("vaksin😂🇮🇩", ("vaksin", "emoji:laugh", "emoji:flag_id")),
        ("👍🏽", ("emoji:thumbs_up",)),
        ("wkwkwk", ("laugh:haha",)),
        ("sakiiiit", ("sakit",)),
        ("t3rbukt1", ("bukti",)),
        ("covid19 h5n1", ("covid19", "h5n1")),
        ("tahun 2019 Rp50.000 5G", ("tahun", "2019", "rp50.000", "5g")),
        ("anak2 anak-anak", ("anak", "anak")),
        ("Vaksinnya berbahaya", ("vaksin", "bahaya")),
        ("café", ("cafe",)),
        ("ho\u200baks", ("hoaks",)),
    ],
)
def test_each_step_shows_in_the_tokens(text: str, tokens: tuple[str, ...]) -> None:
    assert normalize(text).tokens == tokens


def test_tokens_are_lowercase_single_words() -> None:
    result = normalize("BERITA Hoaks!!! Sebarkan @Budi #CekFakta https://X.COM/a")
    for token in result.tokens:
        assert token == token.lower()
        assert token.split() == [token]


def test_the_batch_equals_one_by_one_with_duplicates() -> None:
    texts = ["Vaksinnya berbahaya", "", "Vaksinnya berbahaya", "banjir di Jakarta https://t.co/a"]
    assert normalize_many(texts) == [normalize(t) for t in texts]
    assert normalize_many([]) == []


def test_a_batch_stems_each_new_word_once(tmp_path: Path) -> None:
    normalizer = fresh_normalizer(tmp_path)
    normalizer.normalize_many(
        ["menyebarkan berita", "Menyebarkan rumah!!", "menyebarkan, menyebarkan"]
    )
    assert normalizer.stemmer.computed == 1  # "menyebarkan"; the others are roots


@pytest.mark.parametrize("compiled", [False, True])
def test_the_memos_stay_bounded(tmp_path: Path, compiled: bool) -> None:
    normalizer = fresh_normalizer(tmp_path, memo_size=10, compiled=compiled)
    for i in range(200):
        # The compiled path analyses "kata1x" itself (no word memo); the hyphenated word
        # still goes through Normalizer._word_part and its word memo.
        normalizer.normalize(f"kata{i}x lain{i}y kata{i}x-lain{i}y")
    # The compiled path keeps its own chunk memo; the Python one then stays unused.
    fast = normalizer._fast
    chunk_memo = fast.memo_len() if fast is not None else len(normalizer._chunks)
    assert 0 < chunk_memo <= 10
    assert 0 < len(normalizer._words) <= 10


def test_a_memo_hit_gives_the_same_result_as_a_miss(tmp_path: Path) -> None:
    normalizer = fresh_normalizer(tmp_path)
    first = normalizer.normalize("Sebarkan sebelum dihapus!! @x #Hoaks 😱")
    assert normalizer.normalize("Sebarkan sebelum dihapus!! @x #Hoaks 😱") == first


def test_non_strings_are_refused() -> None:
    with pytest.raises(TypeError):
        normalize(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        normalize_many(["ok", b"bytes"])  # type: ignore[list-item]


def test_long_runs_without_spaces_are_cut_into_bounded_pieces() -> None:
    chunk = "ab" * (MAX_PIECE * 3) + "c"
    parts = pieces(chunk)
    assert "".join(parts) == chunk
    assert all(0 < len(part) <= MAX_PIECE for part in parts)
    assert pieces("kata") == ["kata"]


def test_a_one_megabyte_post_is_normalized() -> None:
    text = ("Vaksin berbahaya!! sebarkan https://bit.ly/x 😱 wkwk t3rbukt1 " * 20_000)[:1_000_000]
    result = normalize(text)
    assert result.tokens[:2] == ("vaksin", "bahaya")
    assert result.features["url_count"] == text.count("https://bit.ly/x")


def test_results_do_not_depend_on_what_the_memos_hold(tmp_path: Path) -> None:
    texts = [raw for _, raw, _ in PAIRS]
    texts += [t.upper() for t in texts[:50]] + [t + "!!" for t in texts[50:100]]
    batch = fresh_normalizer(tmp_path / "roomy").normalize_many(texts)
    # A memo of two entries forgets almost everything, and the posts come in reverse order.
    tiny = fresh_normalizer(tmp_path / "tiny", memo_size=2)
    assert [tiny.normalize(t) for t in reversed(texts)] == batch[::-1]
