"""Claim words: content words as a set, framing dropped, amounts written one way."""

from __future__ import annotations

from monitor.claims.words import DEBUNK, claim_words, parse_words, refutes, words_text
from monitor.text import normalize


def test_order_repeats_emoji_mentions_and_forward_framing_do_not_count() -> None:
    plain = claim_words(["vaksin", "isi", "chip", "pelacak", "resmi"])
    forwarded = claim_words(
        [
            *("fwd", "info", "grup", "belah", "resmi", "pelacak", "emoji:pray", "chip"),
            *("@mention", "vaksin", "isi", "vaksin", "sebar"),
        ]
    )
    assert forwarded == plain


def test_link_domains_stay_because_a_scam_is_named_by_its_domain() -> None:
    words = claim_words(["cek", "url:bsu-cair.example.com", "url:"])
    assert words == {"cek", "url:bsu-cair.example.com"}


def test_amounts_are_written_one_way() -> None:
    expected = {"bantu", "3500000"}
    assert claim_words(["bantu", "rp", "3.500.000"]) == expected
    assert claim_words(["bantu", "rp3,5", "juta"]) == expected
    assert claim_words(["bantu", "3,5", "jt"]) == expected
    assert claim_words(["bantu", "3500000"]) == expected
    assert claim_words(["bantu", "3500rb"]) == expected


def test_units_glued_to_numbers_are_split_and_other_numbers_kept() -> None:
    assert claim_words(["lpg", "3kg"]) == {"lpg", "3", "kg"}
    assert claim_words(["gempa", "8,9", "23.00"]) == {"gempa", "8,9", "23.00"}


def test_a_refutation_gets_the_stance_word_but_bukan_hoaks_does_not() -> None:
    assert refutes(["klarifikasi", "bmkg"])
    assert refutes(["kabar", "tanggul", "jebol", "tidak", "benar"])
    assert refutes(["cek", "fakta", "vaksin"])
    assert not refutes(["ini", "bukan", "hoaks", "vaksin", "bahaya"])
    assert not refutes(["benar", "tidak", "vaksin", "bahaya"])
    assert DEBUNK in claim_words(["hoaks", "vaksin", "lumpuh"])
    assert DEBUNK not in claim_words(["bukan", "hoaks", "vaksin", "lumpuh"])


def test_stored_words_read_back_as_the_same_set() -> None:
    words = claim_words(["vaksin", "polio", "lumpuh", "url:a.example.org", "3kg"])
    assert parse_words(words_text(words)) == words
    assert words_text(words) == " ".join(sorted(words))


def test_spelled_out_acronyms_fold_back_into_one_word() -> None:
    spelled = normalize("Pengumuman Komisi Pemilihan Umum: bawa Kartu Tanda Penduduk").tokens
    short = normalize("Pengumuman KPU: bawa KTP").tokens
    assert claim_words(spelled) == claim_words(short)
    assert {"kpu", "ktp"} <= claim_words(short)


def test_hyphenated_words_are_split_and_the_se_prefix_dropped() -> None:
    assert claim_words(["sd-smp", "se-surabaya", "libur"]) == {"sd", "smp", "surabaya", "libur"}
    assert claim_words(["anak-anak"]) == {"anak"}
    assert claim_words(["0812-0000-4471"]) == {"0812-0000-4471"}
