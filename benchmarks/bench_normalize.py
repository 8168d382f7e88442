"""Benchmark: our normalizer against the usual Sastrawi baseline on the same post stream.

Run::

    .venv/bin/python benchmarks/bench_normalize.py            # 100,000 posts
    .venv/bin/python benchmarks/bench_normalize.py --posts 20000

The stream is synthetic and built from our own word lists only (Sastrawi's root list and
stopwords, our slang lexicon, language marker lists and emoji table) -- never from
``../shared/data``. It has realistic vocabulary growth: words follow a Zipf law, a third of
content words carry affixes, and new names, typos, slang, elongations, URL slugs, mentions
and hashtags keep arriving, so both systems meet unseen words until the end.

Each system runs in a fresh Python process (imports, dictionary loading and any caches
included in the cold-start time):

* baseline -- ``StemmerFactory().create_stemmer().stem(StopWordRemover.remove(text))`` per
  text, as commonly used with Sastrawi (its stemmer already caches stems per word);
* ours -- ``monitor.text.normalize_many`` in batches of ``--batch`` posts, as ingest does.

"cold" is the first pass over the stream in the fresh process, "warm" a second pass in the
same process. Each system runs ``--rounds`` times (fresh processes, alternating with the
other system) and the medians are reported, with the cold ratio of every round: on a
shared machine one burst of load can move a one-second run by 10%. Peak memory is the
process's maximum resident set size (the largest over the rounds). The start-up part of
the cold time (imports and dictionaries) is printed separately, and so is the cold ratio we
would reach if new words cost nothing (baseline cold / our warm pass): a cold pass still
cleans, splits, looks up and assembles every post, so it can never beat the warm pass.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import random
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEXICONS = ROOT / "monitor" / "text" / "lexicons"
TARGET_RATIO = 20.0
TARGET_MEMORY_MB = 500.0

# --------------------------------------------------------------------------------------
# The stream
# --------------------------------------------------------------------------------------

PREFIX_PATTERNS = [
    ("me", ""),
    ("me", "kan"),
    ("me", "i"),
    ("di", ""),
    ("di", "kan"),
    ("di", "i"),
    ("ber", ""),
    ("ber", "an"),
    ("ter", ""),
    ("pe", "an"),
    ("ke", "an"),
    ("", "nya"),
    ("", "kan"),
    ("", "an"),
    ("", "lah"),
    ("memper", "kan"),
    ("diper", "kan"),
    ("se", "nya"),
]
NASAL = {"p": "m", "b": "m", "t": "n", "d": "n", "c": "n", "j": "n", "s": "ny", "k": "ng"}
SYLLABLES = [c + v for c in "bcdghjklmnprstwy" for v in "aiueo"] + ["ng", "an", "in", "ar", "ul"]
DOMAINS = [
    "bit.ly",
    "t.co",
    "s.id",
    "youtu.be",
    "facebook.com",
    "instagram.com",
    "tiktok.com",
    "detik.com",
    "kompas.com",
    "kominfo.go.id",
    "turnbackhoax.id",
    "wa.me",
    "blogspot.com",
    "berita-terkini.xyz",
    "info-bansos.site",
]
SPREAD_PHRASES = [
    "Sebarkan sebelum dihapus!!",
    "SEBARKAN!!!",
    "share sebelum dihapus",
    "viralkan!",
    "tolong bagikan ke grup keluarga",
    "sebarin ya gaes",
]


def _read_words(path: Path) -> list[str]:
    if not path.is_file():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.append(line.split("\t")[0].strip())
    return words


@dataclass
class Vocabulary:
    """Word sources of the stream, all from our own lists."""

    roots: list[str]
    stopwords: list[str]
    slang: list[str]
    english: list[str]
    javanese: list[str]
    sundanese: list[str]
    emoji: list[str]

    @classmethod
    def load(cls) -> Vocabulary:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

        roots = [w for w in StemmerFactory().get_words_from_file() if w.isalpha() and len(w) >= 3]
        return cls(
            roots=roots,
            stopwords=list(StopWordRemoverFactory().get_stop_words()),
            slang=_read_words(LEXICONS / "slang.tsv"),
            english=_read_words(LEXICONS / "lang_en.txt"),
            javanese=_read_words(LEXICONS / "lang_jv.txt"),
            sundanese=_read_words(LEXICONS / "lang_su.txt"),
            emoji=_read_words(LEXICONS / "emoji.tsv"),
        )


class Zipf:
    """Draw items with probability proportional to 1 / rank**s."""

    def __init__(self, items: list[str], rng: random.Random, s: float = 1.05) -> None:
        self.items = items[:]
        rng.shuffle(self.items)
        weights = [1.0 / (rank**s) for rank in range(1, len(self.items) + 1)]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.total = total
        self.rng = rng

    def draw(self) -> str:
        import bisect

        x = self.rng.random() * self.total
        return self.items[min(bisect.bisect_left(self.cumulative, x), len(self.items) - 1)]


class GrowingPool:
    """Items that keep arriving: a new one with probability p(n), else a Zipf-ish reuse."""

    def __init__(self, make: object, rng: random.Random, alpha: float = 0.6) -> None:
        self.make = make
        self.items: list[str] = []
        self.rng = rng
        self.alpha = alpha
        self.draws = 0

    def draw(self) -> str:
        self.draws += 1
        # Heaps' law: the chance of a new item decays like n**(alpha - 1).
        p_new = min(1.0, 3.0 * self.draws ** (self.alpha - 1.0))
        if not self.items or self.rng.random() < p_new:
            item = self.make()  # type: ignore[operator]
            self.items.append(item)
            return item
        # Recent and early items are both reused: power-law over the pool.
        index = int(len(self.items) * (self.rng.random() ** 2.5))
        return self.items[index]


class StreamGenerator:
    """Synthetic Indonesian social-media posts with realistic vocabulary growth."""

    def __init__(self, vocabulary: Vocabulary, seed: int = 20261126) -> None:
        self.v = vocabulary
        self.rng = random.Random(seed)
        self.content = Zipf(vocabulary.roots, self.rng, s=1.0)
        self.function = Zipf(vocabulary.stopwords, self.rng, s=1.2)
        self.slang = Zipf(vocabulary.slang or vocabulary.stopwords, self.rng, s=1.1)
        self.names = GrowingPool(self._name, self.rng, alpha=0.7)
        self.users = GrowingPool(self._user, self.rng, alpha=0.7)
        self.tags = GrowingPool(self._hashtag, self.rng, alpha=0.6)
        self.affixed = GrowingPool(self._affixed, self.rng, alpha=0.75)
        self.recent: list[str] = []

    def _name(self) -> str:
        n = self.rng.choice((2, 2, 3, 3, 4))
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()

    def _user(self) -> str:
        digits = str(self.rng.randint(0, 9999)) if self.rng.random() < 0.5 else ""
        return "@" + self._name().lower() + self.rng.choice(("", "_", ".")) + digits

    def _hashtag(self) -> str:
        words = [self.content.draw().capitalize() for _ in range(self.rng.choice((1, 2, 2, 3)))]
        tag = "".join(words)
        return "#" + (tag.lower() if self.rng.random() < 0.3 else tag)

    def _affixed(self) -> str:
        root = self.content.draw()
        prefix, suffix = self.rng.choice(PREFIX_PATTERNS)
        if prefix in ("me", "pe") and root[0] in NASAL:
            nasal = NASAL[root[0]]
            body = root[1:] if root[0] in "ptks" else root
            return prefix + nasal + body + suffix
        return prefix + root + suffix

    def _typo(self, word: str) -> str:
        if len(word) < 4:
            return word
        i = self.rng.randrange(1, len(word) - 1)
        op = self.rng.randrange(4)
        if op == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if op == 1:
            return word[:i] + word[i + 1 :]
        if op == 2:
            return word[:i] + word[i] + word[i:]
        return word[:i] + self.rng.choice("aiueokrtsnmbdgl") + word[i + 1 :]

    def _elongate(self, word: str) -> str:
        vowels = [i for i, c in enumerate(word) if c in "aiueo"]
        if not vowels:
            return word
        i = self.rng.choice(vowels)
        return word[:i] + word[i] * self.rng.randint(3, 7) + word[i + 1 :]

    def _leet(self, word: str) -> str:
        table = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}
        return "".join(table[c] if c in table and self.rng.random() < 0.6 else c for c in word)

    def _word(self, register: str) -> str:
        r = self.rng.random()
        if register == "en":
            return self.rng.choice(self.v.english)
        if register == "jv" and r < 0.5:
            return self.rng.choice(self.v.javanese)
        if register == "su" and r < 0.5:
            return self.rng.choice(self.v.sundanese)
        if r < 0.38:
            word = self.function.draw()
        elif r < 0.50:
            word = self.slang.draw()
        elif r < 0.56:
            return self.names.draw()
        elif r < 0.74:
            word = self.affixed.draw()
        else:
            word = self.content.draw()
        r = self.rng.random()
        if r < 0.02:
            word = self._typo(word)
        elif r < 0.035:
            word = self._elongate(word)
        elif r < 0.042:
            word = self._leet(word)
        elif r < 0.05 and word.isalpha():
            word = word + "2"
        return word

    def post(self) -> str:
        rng = self.rng
        if self.recent and rng.random() < 0.05:  # forwarded copy of a recent post
            return rng.choice(self.recent)
        r = rng.random()
        register = "en" if r < 0.05 else "jv" if r < 0.08 else "su" if r < 0.10 else "id"
        length = max(3, min(60, int(rng.lognormvariate(math.log(16), 0.5))))
        words = [self._word(register) for _ in range(length)]
        if rng.random() < 0.25:
            words.insert(0, words[0].capitalize())
            words.pop(1)
        if rng.random() < 0.08:
            k = rng.randrange(len(words))
            words[k : k + 4] = [w.upper() for w in words[k : k + 4]]
        if rng.random() < 0.2:
            words.append(self.tags.draw())
        if rng.random() < 0.25:
            slug = "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") for _ in range(8)
            )
            words.insert(rng.randrange(len(words) + 1), f"https://{rng.choice(DOMAINS)}/{slug}")
        if rng.random() < 0.2:
            words.insert(0, self.users.draw())
        if rng.random() < 0.2:
            number = rng.choice(
                (
                    str(rng.randint(1990, 2030)),
                    f"Rp{rng.randint(1, 999)}.000",
                    f"{rng.randint(1, 31)}/{rng.randint(1, 12)}/{rng.randint(2019, 2026)}",
                    f"{rng.randint(1, 100)}%",
                    str(rng.randint(1, 500)),
                )
            )
            words.insert(rng.randrange(len(words) + 1), number)
        if rng.random() < 0.06:
            words.append(rng.choice(SPREAD_PHRASES))
        if self.v.emoji and rng.random() < 0.3:
            words.append("".join(rng.choice(self.v.emoji) for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.3:
            words[-1] += rng.choice(("!", "!!", "!!!", "?", "??", "."))
        text = " ".join(words)
        self.recent.append(text)
        if len(self.recent) > 200:
            self.recent.pop(0)
        return text


def generate_stream(n: int, seed: int = 20261126) -> list[str]:
    """Return ``n`` synthetic posts (deterministic for a given seed)."""
    generator = StreamGenerator(Vocabulary.load(), seed)
    return [generator.post() for _ in range(n)]


def vocabulary_growth(texts: list[str], checkpoints: int = 5) -> list[tuple[int, int]]:
    """(posts seen, distinct whitespace tokens) at a few checkpoints."""
    seen: set[str] = set()
    out = []
    step = max(1, len(texts) // checkpoints)
    for i, text in enumerate(texts, 1):
        seen.update(text.lower().split())
        if i % step == 0 or i == len(texts):
            out.append((i, len(seen)))
    return out


# --------------------------------------------------------------------------------------
# Runners (each executed in a fresh interpreter)
# --------------------------------------------------------------------------------------

RUNNER = r"""
import json, resource, sys, time
texts = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
system, batch = sys.argv[1], int(sys.argv[3])
def run_baseline():
    t0 = time.perf_counter(); c0 = time.process_time()
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
    stemmer = StemmerFactory().create_stemmer()
    remover = StopWordRemoverFactory().create_stop_word_remover()
    startup = time.process_time() - c0
    def one_pass():
        out = 0
        for text in texts:
            out += len(stemmer.stem(remover.remove(text)))
        return out
    one_pass()
    cold = (time.perf_counter() - t0, time.process_time() - c0)
    t1 = time.perf_counter(); c1 = time.process_time()
    one_pass()
    warm = (time.perf_counter() - t1, time.process_time() - c1)
    return cold, warm, {"startup_cpu_s": startup}
def run_ours():
    t0 = time.perf_counter(); c0 = time.process_time()
    from monitor.text import normalize_many
    from monitor.text.pipeline import default_normalizer
    from monitor.text.stem import default_stemmer
    default_normalizer()  # built on first use anyway; built here to time the start-up alone
    startup = time.process_time() - c0
    def one_pass():
        out = 0
        for i in range(0, len(texts), batch):
            for result in normalize_many(texts[i : i + batch]):
                out += len(result.tokens)
        return out
    one_pass()
    cold = (time.perf_counter() - t0, time.process_time() - c0)
    computed = default_stemmer().computed
    t1 = time.perf_counter(); c1 = time.process_time()
    one_pass()
    warm = (time.perf_counter() - t1, time.process_time() - c1)
    return cold, warm, {"startup_cpu_s": startup, "words_stemmed_from_scratch": computed}
cold, warm, extra = run_baseline() if system == "baseline" else run_ours()
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cold_wall_s": cold[0], "cold_cpu_s": cold[1], "warm_wall_s": warm[0],
                  "warm_cpu_s": warm[1], "peak_mb": peak_mb, **extra}))
"""


def run_system(system: str, stream_file: Path, batch: int) -> dict[str, float]:
    """Run one system in a fresh interpreter and return its timings."""
    completed = subprocess.run(
        [sys.executable, "-c", RUNNER, system, str(stream_file), str(batch)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{system} run failed:\n{completed.stderr}")
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over the runs of one system; the largest peak memory."""
    merged = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    merged["peak_mb"] = max(run["peak_mb"] for run in runs)
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the stream")
    parser.add_argument("--batch", type=int, default=1000, help="normalize_many batch size")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="fresh-process runs of each system, alternating; the medians are reported",
    )
    args = parser.parse_args(argv)

    print(f"Generating {args.posts:,} synthetic posts (seed {args.seed})...", flush=True)
    texts = generate_stream(args.posts, args.seed)
    growth = vocabulary_growth(texts)
    print(
        "Vocabulary growth (posts -> distinct tokens): "
        + ", ".join(f"{p:,}->{v:,}" for p, v in growth)
    )
    # An installed package is byte-compiled (pip does it), like Sastrawi in site-packages; a
    # source checkout run with PYTHONDONTWRITEBYTECODE=1 would recompile ours in every fresh
    # process and charge that to our start-up.
    compileall.compile_dir(ROOT / "monitor", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        stream_file = Path(tmp) / "stream.jsonl"
        stream_file.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
        # A shared machine's speed drifts; a run of our normalizer is short, so one burst of
        # load can move it by 10%. Each system runs in several fresh processes, alternating,
        # and every figure below is the median over them (peak memory: the largest).
        base_runs: list[dict[str, float]] = []
        our_runs: list[dict[str, float]] = []
        for round_number in range(1, max(1, args.rounds) + 1):
            print(f"Round {round_number}: the baseline, then ours (fresh processes)...", flush=True)
            base_runs.append(run_system("baseline", stream_file, args.batch))
            our_runs.append(run_system("ours", stream_file, args.batch))
        base, ours = median_run(base_runs), median_run(our_runs)

    n = len(texts)
    rows = [("Sastrawi baseline", base), ("monitor.text", ours)]
    print()
    print("posts/s; cpu = per CPU-second of the process, wall = elapsed (shared machines differ)")
    header = ("system", "cold cpu", "cold wall", "warm cpu", "warm wall", "peak MB")
    print(f"{header[0]:<20}" + "".join(f"{h:>12}" for h in header[1:]))
    for name, r in rows:
        cells = [
            n / r["cold_cpu_s"],
            n / r["cold_wall_s"],
            n / r["warm_cpu_s"],
            n / r["warm_wall_s"],
        ]
        print(f"{name:<20}" + "".join(f"{c:>12,.0f}" for c in cells) + f"{r['peak_mb']:>12,.0f}")
    rounds = zip(base_runs, our_runs, strict=True)
    print(
        "cold ratio of each round: "
        + ", ".join(f"{b['cold_cpu_s'] / o['cold_cpu_s']:.1f}x" for b, o in rounds)
    )
    cold_ratio = base["cold_cpu_s"] / ours["cold_cpu_s"]
    cold_wall_ratio = base["cold_wall_s"] / ours["cold_wall_s"]
    warm_ratio = base["warm_cpu_s"] / ours["warm_cpu_s"]
    print()
    print(
        f"ratio ours/baseline, cold start: {cold_ratio:.1f}x cpu, {cold_wall_ratio:.1f}x wall"
        f"   (target >= {TARGET_RATIO:.0f}x)"
    )
    print(f"ratio ours/baseline, warm:       {warm_ratio:.1f}x cpu")
    # A cold pass does at least what a warm pass does (every post is still split, looked up
    # and assembled), so this is the cold ratio we would get if new words cost nothing.
    print(
        "cold ratio if new words were free (baseline cold / ours warm): "
        f"{base['cold_cpu_s'] / ours['warm_cpu_s']:.1f}x cpu"
    )
    print(f"peak memory, ours: {ours['peak_mb']:.0f} MB   (target < {TARGET_MEMORY_MB:.0f} MB)")
    print(
        "cold cpu seconds = start-up (imports, dictionaries) + first pass: "
        + ", ".join(
            f"{name} {r['startup_cpu_s']:.2f} + {r['cold_cpu_s'] - r['startup_cpu_s']:.2f}"
            for name, r in (("baseline", base), ("ours", ours))
        )
    )
    if "words_stemmed_from_scratch" in ours:
        print(f"words our stemmer computed from scratch: {ours['words_stemmed_from_scratch']:,.0f}")
    ok = cold_ratio >= TARGET_RATIO and ours["peak_mb"] < TARGET_MEMORY_MB
    print("TARGET MET" if ok else "TARGET NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
