"""A small synthetic labelled corpus for model tests (written here, deterministic).

Each claim is one base sentence; its posts vary the wrapper (hoax-style or news-style) and
filler, so posts of one claim are near-duplicates and share a ``claim_group``. Hoax-style
wrappers shout, plead to share and cite anonymous insiders; valid-style wrappers cite an
agency. That gives a model a real but imperfect signal to learn.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HOAX_CLAIMS = {
    "kesehatan": [
        "vaksin booster mengandung chip pelacak yang bisa dibaca lewat sinyal 5G",
        "minum air kelapa campur garam menyembuhkan demam berdarah dalam sehari",
        "obat batuk sirup di apotek sekarang semua mengandung racun",
    ],
    "bansos": [
        "bantuan sosial 3 juta bisa dicairkan lewat link pendaftaran ini",
        "warga yang tidak punya kartu baru tidak akan dapat beras lagi bulan depan",
        "pendaftaran bansos ditutup besok jadi daftar sekarang di nomor ini",
    ],
    "bencana": [
        "gempa besar akan terjadi malam ini jam dua menurut orang dalam",
        "air laut surut tanda tsunami datang dalam satu jam ke kota",
        "bendungan di hulu sudah jebol dan air bah menuju kota",
    ],
    "harga": [
        "harga bensin naik jadi 20 ribu mulai tengah malam nanti",
        "beras plastik beredar di pasar tradisional seluruh kota",
        "tabung gas melon akan ditarik semua dari warung minggu depan",
    ],
}

VALID_CLAIMS = {
    "kesehatan": [
        "vaksinasi booster dibuka di puskesmas kecamatan setiap hari kerja",
        "kasus demam berdarah menurun setelah gerakan tiga M di sekolah",
        "posyandu membuka layanan imunisasi anak pada pekan ini",
    ],
    "bansos": [
        "penyaluran bantuan pangan beras dilakukan melalui kantor pos setempat",
        "data penerima bantuan dapat dicek di situs resmi kementerian sosial",
        "pemerintah daerah memperpanjang masa penyaluran bantuan hingga akhir bulan",
    ],
    "bencana": [
        "gempa bermagnitudo 4,8 tidak berpotensi tsunami dan warga diminta tenang",
        "peringatan dini cuaca ekstrem berlaku untuk wilayah pesisir selama dua hari",
        "tim gabungan menyalurkan logistik ke posko pengungsian banjir",
    ],
    "harga": [
        "harga bahan bakar tidak berubah pada bulan ini sesuai pengumuman resmi",
        "operasi pasar murah digelar di lima kecamatan untuk menstabilkan harga beras",
        "stok elpiji tiga kilogram di wilayah kota dinyatakan aman",
    ],
}

HOAX_WRAPPERS = [
    "VIRAL!! {claim}!!! sebarkan sebelum dihapus 🙏🙏",
    "Info A1 dari orang dalam: {claim}. SHARE ke grup keluarga!!",
    "AWAS!!! {claim} 😱😱 jangan diam saja, viralkan",
    "{claim}, kata teman sy yg kerja di sana. buruan share ya!!!",
    "PENTING BACA SAMPAI HABIS. {claim}. Pemerintah tdk mau ngaku!!",
]

VALID_WRAPPERS = [
    "Siaran pers: {claim}. Informasi lengkap di situs resmi.",
    "Menurut keterangan dinas terkait, {claim}.",
    "Pemerintah kota menyampaikan bahwa {claim}.",
    "{claim}, demikian disampaikan juru bicara dalam konferensi pers hari ini.",
    "Kominfo mengimbau warga memeriksa sumber berita. Faktanya, {claim}.",
]

FILLERS = ["", "", " Terima kasih.", " Mohon perhatian.", " Salam sehat.", " #infowarga"]

COLUMNS = ["id", "text", "label", "hoax_category", "topic", "register", "region", "date"]


def synthetic_rows(seed: int = 7) -> list[dict[str, str]]:
    """Return 120 labelled rows: 4 topics × 6 claims × 5 posts, dated over two years."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    start = date(2024, 1, 1)
    for topic in HOAX_CLAIMS:
        for label, claims, wrappers in (
            ("hoax", HOAX_CLAIMS[topic], HOAX_WRAPPERS),
            ("valid", VALID_CLAIMS[topic], VALID_WRAPPERS),
        ):
            for number, claim in enumerate(claims):
                group = f"{topic}-{label}-{number}"
                # Cross the styles now and then, as real posts do: a hoax can be written
                # soberly and a warning can shout.
                for variant in range(5):
                    pool = wrappers if rng.random() > 0.15 else (VALID_WRAPPERS + HOAX_WRAPPERS)
                    text = rng.choice(pool).format(claim=claim) + rng.choice(FILLERS)
                    rows.append(
                        {
                            "id": f"{group}-{variant}",
                            "text": text,
                            "label": label,
                            "hoax_category": "fabricated" if label == "hoax" else "",
                            "topic": topic,
                            "register": "social",
                            "region": "",
                            "date": (start + timedelta(days=rng.randrange(700))).isoformat(),
                            "claim_group": group,
                        }
                    )
    rng.shuffle(rows)
    return rows


def write_corpus(path: Path, rows: list[dict[str, str]] | None = None) -> Path:
    """Write ``rows`` (default: :func:`synthetic_rows`) as a UTF-8 CSV and return ``path``."""
    rows = rows if rows is not None else synthetic_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "claim_group"])
        writer.writeheader()
        writer.writerows(rows)
    return path
