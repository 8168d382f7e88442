"""The similarity that confirms a candidate: copies high, hard negatives low."""

from __future__ import annotations

from monitor.claims.settings import ClaimSettings
from monitor.claims.similarity import similarity
from monitor.claims.words import claim_words

SETTINGS = ClaimSettings()


def words(text: str) -> frozenset[str]:
    """Claim words of space-separated normalized tokens."""
    return claim_words(text.split())


FULL = words(
    "sumber balai merapi letus besar 3 hari lagi radius 20 km wajib kosong segera aman "
    "surat harga ternak jangan tunggu perintah resmi warga lereng"
)


def test_equal_sets_score_one_and_disjoint_sets_zero() -> None:
    assert similarity(FULL, FULL, SETTINGS) == 1.0
    assert similarity(FULL, frozenset({"cabai", "mahal"}), SETTINGS) == 0.0
    assert similarity(FULL, frozenset(), SETTINGS) == 0.0


def test_a_shortened_forward_reaches_the_threshold_through_containment() -> None:
    short = words("merapi letus besar 3 hari lagi radius 20 km wajib kosong")
    jaccard = len(short & FULL) / len(short | FULL)
    assert jaccard < SETTINGS.similarity_threshold
    assert similarity(short, FULL, SETTINGS) >= SETTINGS.similarity_threshold


def test_a_short_generic_post_is_not_a_copy_of_every_claim_it_is_part_of() -> None:
    generic = words("merapi letus")
    assert similarity(generic, FULL, SETTINGS) < SETTINGS.similarity_threshold


def test_a_clarification_quoting_the_hoax_stays_below_the_threshold() -> None:
    hoax = words(
        "darurat tanggul banjir kanal timur semarang jebol air tinggi 3 meter simpang lima "
        "segera evakuasi keluarga tempat"
    )
    clarification = words(
        "bpbd kota semarang pasti tanggul banjir kanal timur kondisi aman kabar tanggul "
        "jebol air 3 meter simpang lima tidak benar"
    )
    assert similarity(hoax, clarification, SETTINGS) < SETTINGS.similarity_threshold
    unmarked = clarification - {"stance:debunk"}
    assert similarity(hoax, unmarked, SETTINGS) > similarity(hoax, clarification, SETTINGS)


def test_a_denial_does_not_join_through_containment() -> None:
    claim = words("pertalite resmi hapus 1 januari spbu seluruh indonesia jual pertamax")
    denial = words(
        "pertamina pasti pertalite tetap jual spbu seluruh indonesia 1 januari tidak rencana "
        "hapus resmi stok aman masyarakat panik"
    )
    assert similarity(claim, denial, SETTINGS) < SETTINGS.similarity_threshold
    assert similarity(claim, denial - {"tidak"}, SETTINGS) >= SETTINGS.similarity_threshold


def test_a_copy_buried_in_commentary_is_recognised_by_its_phone_number_and_amount() -> None:
    hoax = words(
        "kip kuliah gelombang khusus 2027 kuota 2000 biaya hidup 1400000 transfer biaya "
        "administrasi 150000 rekening panitia dwi hartono konfirmasi wa 0812-0000-4471"
    )
    commented = words(
        "guru bk sekolah adik kabupaten kediri sebar kip kuliah gelombang khusus transfer "
        "biaya admin 150000 dwi hartono konfirmasi wa 0812-0000-4471 kok bayar"
    )
    assert similarity(hoax, commented, SETTINGS) >= SETTINGS.similarity_threshold
    without_identifiers = ClaimSettings(min_shared_identifiers=0)
    assert similarity(hoax, commented, without_identifiers) < SETTINGS.similarity_threshold
    warning = commented | {"stance:debunk"}
    assert similarity(hoax, warning, SETTINGS) < SETTINGS.similarity_threshold
