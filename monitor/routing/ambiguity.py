"""Hand-kept lists that stop ordinary Indonesian words from being read as places.

Three mechanisms, all documented in ``GAZETTEER.md``:

* ``CONTEXT_REQUIRED``: bare aliases that are everyday words ("batu" = stone, "serang" =
  attack, "tegal" = dry field, "kudus" = holy...). They still match in prefixed forms that
  the gazetteer derives ("Kota Batu", "Kab. Tegal"); bare, they match only right after a
  locative word (``LOCATIVE_WORDS``: "di", "ke", "dari"...) *and* written with a capital
  ("banjir di Batu" matches, "duduk di batu" does not).
* ``DECOY_PHRASES``: fixed phrases that contain a place name but do not name the place
  ("medan perang" = battlefield, "nasi padang", "palu arit", "dari Sabang sampai Merauke").
  The matcher consumes them like a place and reports nothing.
* ``STREET_WORDS``: a place name right after "Jalan"/"Jl." is a street ("Jl. Medan Merdeka",
  "Jalan Bandung" in Malang), not the place.
"""

from __future__ import annotations

CONTEXT_REQUIRED = frozenset(
    {
        # Everyday words.
        "batu", "batu bara", "batubara", "tegal", "pati", "serang", "kudus", "batang",
        "lahat", "landak", "buru", "lingga", "puncak", "meranti", "banjar",
        # "kaur" = kepala urusan (an office title); "ngada-ngada" = to make things up.
        "kaur", "ngada",
        # Phrases that are ordinary descriptions ("tebing tinggi" = high cliff, "pesisir
        # selatan" = southern coast, "tanah datar" = flat land, "sungai penuh" = full river).
        "tebing tinggi", "pesisir selatan", "pesisir barat", "tanah datar", "sungai penuh",
        # Javanese "karo" = with; "metro" = Polda Metro Jaya, Metro TV; "kotabaru" is also a
        # district of Yogyakarta; "kuningan" and "manggarai" are also districts of Jakarta;
        # "malaka" is usually the Strait of Malacca; "bima" is a common given name.
        "karo", "metro", "kotabaru", "kuningan", "manggarai", "malaka", "bima",
    }
)  # fmt: skip

LOCATIVE_WORDS = frozenset({"di", "ke", "dari", "daerah", "wilayah", "warga"})

STREET_WORDS = frozenset({"jalan", "jl", "jln"})

DECOY_PHRASES = (
    # medan = field, arena
    "medan perang", "medan tempur", "medan laga", "medan juang", "medan dakwah",
    "medan magnet", "medan magnetik", "medan listrik", "medan elektromagnetik",
    "medan gravitasi", "medan energi", "medan berat", "medan sulit", "medan terjal",
    "medan merdeka",
    # padang = plain, field; and the cuisine
    "padang rumput", "padang pasir", "padang golf", "padang ilalang", "padang savana",
    "padang sabana", "padang mahsyar", "padang masyar", "padang arafah", "padang arafat",
    "nasi padang", "masakan padang", "rumah makan padang", "warung padang",
    # malang = unlucky
    "nasib malang", "bernasib malang", "sungguh malang", "malang nian", "malang sekali",
    "malang melintang", "malang tak dapat ditolak", "si malang", "bakso malang",
    # palu = hammer
    "palu arit", "palu godam", "palu hakim", "palu sidang", "ketok palu", "ketuk palu",
    "mengetok palu", "mengetuk palu", "diketok palu", "diketuk palu",
    # solo = alone (Solo is Surakarta)
    "solo karier", "solo karir", "karier solo", "karir solo", "album solo", "penyanyi solo",
    "konser solo", "solo traveling", "solo travelling", "solo traveler",
    # badung = naughty
    "anak badung", "siswa badung", "murid badung", "bocah badung", "si badung",
    # the national "from Sabang to Merauke" names no place
    "sabang sampai merauke", "sabang hingga merauke", "sabang ke merauke",
    # biak = breed, bangka = old and stiff, sorong = push (Javanese/Malay),
    # poso = fasting (Javanese), lombok = chili (Javanese), kupang = a small shellfish,
    # ketapang = a tree, Bandung Bondowoso = a figure of legend
    "berkembang biak", "kembang biak", "tua bangka", "gerobak sorong", "kereta sorong",
    "wulan poso", "bulan poso", "sasi poso", "lombok ijo", "lombok abang", "lombok merah",
    "lombok rawit", "lontong kupang", "daun ketapang", "pohon ketapang", "bandung bondowoso",
    # history, food and landmarks named after a place elsewhere
    "kerajaan mataram", "kesultanan mataram", "mataram kuno", "mataram islam",
    "sungai kapuas", "pelabuhan ketapang", "pisang ambon", "sate madura", "soto lamongan",
    "pecel lele lamongan", "bakso solo",
)  # fmt: skip
