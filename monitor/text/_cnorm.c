/*
 * monitor.text._cnorm: the per-post path of monitor.text.pipeline.Normalizer in C (stage 1).
 *
 * Contract: for every list or tuple of exact str, FastNormalizer(...).normalize_many(texts)
 * equals the Python reference Normalizer.normalize_many (Normalizer(compiled=False)): equal
 * NormalizedText dataclasses, same feature keys in the same order, identical float values,
 * features wrapped in a MappingProxyType. For anything else (another sequence type, str
 * subclasses, whose methods may be overridden) it returns None and the caller uses the Python
 * path; a non-str item raises the same TypeError as the Python path.
 *
 * What is in C: cutting to MAX_TEXT_CHARS, the ASCII test (clean_text leaves ASCII text as it
 * is), splitting exactly like str.split() (Py_UNICODE_ISSPACE, the table str.split uses),
 * the chunk memo, and assembling a post like Normalizer._assemble: the joined text, the
 * tokens, the summed packed fields, the language votes and lexical_decision (same float
 * operations in the same order), the features and the result object.
 *
 * What stays in Python (callbacks given to the constructor):
 *   clean(text) -> str            charnorm.clean_text, for non-ASCII posts only;
 *   analyse(chunk) -> Contribution   Normalizer._analyse_chunk, for chunks missing from
 *                                    the memo (stage 1: every miss);
 *   spread_calls(codes) -> int    features.count_spread_calls, only for a post with spread
 *                                 words whose codes are not all ASCII (never with the shipped
 *                                 lexicons: count_call_matches counts them in C);
 *   fallback(votes, known, unknown, cleaned) -> (language, confidence, mix)
 *                                 pipeline._fallback_language, when needs_fallback holds.
 * Stage 2 (optional, the ``words`` lexicons given at construction; off when None): chunks of
 * lowercase ASCII letters that Normalizer._plain_word handles are analysed in C (see
 * analyse_plain_word), calling back only stemmer.stem and Normalizer._stable (through
 * call_stem and call_stable); every other chunk still goes to analyse(). stats() counts both
 * and why a plain word went to Python.
 * Stage 2b (with stage 2, switchable by the general_words attribute, on by default): the
 * [a-z]+ words that _plain_word declines for being laughter, elongated, slang or a clitic
 * after slang (not those longer than MAX_WORD) take the general path of Normalizer._word in
 * C too (see analyse_general_word and analyse_laughter): the exact is_laughter test, slang
 * lookup, collapse_elongation with _is_known, join_reduplication, _emit and _stable,
 * calling back only stemmer.stem and Normalizer._stable. stats() counts them
 * (c_general_words, of which c_laughter); the maybe_laughter, slang, elongated and
 * clitic_slang counters then count only such words that still went to Python.
 * Stems and stabilisations in C (with stage 2, the optional ``stems`` argument): call_stem
 * answers from the Stemmer's cache dict, its dictionary and the C stemmer, learning new
 * words into the cache and updating its counters as Stemmer.stem does, and call_stable
 * answers the tokens that Normalizer._is_plain_fixpoint accepts; anything else still calls
 * stem() or _stable() (see the "Stems and stabilisations" section). stats() counts them
 * (c_stems, python_stems, c_stable of stable_calls).
 * Stage 3b (with stage 2, switchable by the link_chunks attribute, on by default): an
 * ASCII chunk that is one whole URL ("https://bit.ly/x", "www.Detik.com") or one mention
 * with safe punctuation after it ("@budi", "@budi!!") is analysed in C: its url:<domain> or
 * @mention token, the url or mention count and its surface counts (see analyse_link_chunk).
 * stats() counts them (c_urls, c_mentions).
 * Stage 3a (with stage 2, switchable by the word_chunks attribute, on by default): a chunk
 * that is one ASCII word with capitals and/or safe punctuation around it ("Vaksin",
 * "vaksin,", "Hoaks!!!") is analysed in C too: the stage-2 part of its lowercase word plus
 * the chunk's surface counts (see analyse_word_chunk, which also shows why the punctuation
 * set is safe). stats() counts these chunks (c_word_chunks) and the ones of that shape that
 * still went to Python (python_word_chunks).
 * Stage 3c (with stage 2 and the ``hashtags`` lexicons given at construction, switchable by
 * the hashtag_chunks attribute, on by default): an ASCII chunk that is one hashtag with safe
 * punctuation after it ("#TolakHoaks", "#dirumahaja!!") is analysed in C: the hashtag split
 * into words like hashtags.split_hashtag (camel parts, then the segmentation of each
 * lowercase run with Normalizer._is_segment), the stage-2 part of each word, one hashtag and
 * the chunk's surface counts (see analyse_hashtag_chunk). stats() counts them (c_hashtags),
 * the ones of that shape that still went to Python (python_hashtags) and the lexicon probes
 * of the segmentation (segment_probes).
 * Stage 4a (the ``clean_shortcut`` runs, charnorm.shortcut_ranges; switchable by the
 * clean_shortcut attribute): a non-ASCII post whose non-ASCII characters all lie where
 * clean_text is trivial (kept as they are, or invisible and deleted) is cleaned in C without
 * calling clean() (see clean_shortcut). stats(): c_clean_posts.
 * Stage 4b (with stage 2 and the ``emoji`` tables, pipeline.emoji_chunk_tables; switchable by
 * the emoji_chunks attribute): a chunk of emoji, skin tones, flags and safe punctuation
 * ("🤲🏚😓", "🇮🇩!!") is analysed in C (see analyse_emoji_chunk). stats(): c_emoji_chunks.
 * Stage 3d (with stage 2, switchable by the misc_chunks attribute, on by default): three
 * more ASCII chunk shapes, each with safe punctuation around it (see the stage 3d section):
 * a number ("Rp494.000", "7/10/2024,", "64%"), a hyphenated word ("sama-sama",
 * "SEKURANG-KURANGNYA!!", through stage 2b's general word path) and a mention with a dot
 * and digits ("@kadingyo.1268"). stats() counts them (c_numbers, c_hyphen_words,
 * c_dotted_mentions).
 * Stage 3e (with stage 2, switchable by the digit_words attribute, on by default): an ASCII
 * chunk that is one run of letters and digits holding a digit, with safe punctuation around
 * it ("rupa2", "2019", "(2019)", "20!", "5G", "s3n4ng", "covid19") is analysed in C: numbers,
 * numbers glued to a word, reduplication written with 2 and digits read as letters, as
 * monitor.text.digits and Normalizer._digits do, then the tail of Normalizer._word (see
 * analyse_digit_chunk); a word that is slang or elongated, as written or once resolved,
 * still goes to Python. stats() counts both (c_digit_words, python_digit_words).
 *
 * The memo: two generations, like monitor.text.stem.BoundedMemo (young and old; a hit in
 * the old one is copied into the young one; when the young one holds memo_size // 2 entries
 * it becomes the old one and the previous old one is dropped), keyed by the chunk's UTF-8
 * bytes. Chunks longer than max_memo_chunk characters are not memoised (as in Python); each
 * distinct one is analysed once per normalize_many call (so is a chunk whose key exceeds
 * MAX_MEMO_KEY bytes or whose fields do not fit an entry; neither happens at the default
 * max_memo_chunk). An entry, one 64-byte cache line, holds the chunk's token text (str), its
 * tokens (tuple, text.split()), its spread codes (str, "." for none), the 19 fields of the
 * packed int (PACKED_FIELDS) unpacked and narrowed (16-bit votes, 8-bit counts) and a key of
 * up to INLINE_KEY bytes (longer keys live in an arena). Lookups on a warm pass are mostly
 * cache misses, so a post's chunks are split and hashed first and their slots,
 * entries and objects prefetched level by level (collect_chunks).
 *
 * Layout: this file holds the shared constants and enums; the code is in monitor/text/cnorm/,
 * one part per section (the memo, the object, each stage, the per-post path, construction),
 * included below in the order they depend on each other, so the extension is still one
 * translation unit and every function stays static.
 *
 * References and reentrancy: an entry's objects are exact str and tuples of str, so the memo
 * cannot be part of a reference cycle and the GC does not need to see it. While a post is
 * assembled, every memo object it uses is held by a strong reference in the per-call scratch
 * (struct Post), so a memo rotation -- or a callback that reenters this object -- never frees
 * something still in use. No pointer into the memo is kept across a call into Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The packed fields, in PACKED_FIELDS order (checked against the names at construction). */
enum {
    F_ID,
    F_MS,
    F_EN,
    F_JV,
    F_SU,
    F_KNOWN,
    F_UNKNOWN,
    F_URL,
    F_MENTION,
    F_HASHTAG,
    F_EMOJI,
    F_NUMBER,
    F_ELONGATION,
    F_LAUGH,
    F_SPREAD,
    F_UPPER,
    F_LETTERS,
    F_EXCLAMATION,
    F_QUESTION,
    NFIELDS
};

static const char *const PACKED_NAMES[NFIELDS] = {
    "id",    "ms",      "en",      "jv",     "su",    "known",      "unknown",
    "url",   "mention", "hashtag", "emoji",  "number", "elongation", "laugh",
    "spread", "upper",  "letters", "exclamation", "question",
};

#define NFEATURES 14
static const char *const FEATURE_NAMES[NFEATURES] = {
    "char_count",    "token_count",   "capital_ratio",   "exclamation_count", "question_count",
    "spread_call_count", "url_count", "mention_count",   "hashtag_count",     "emoji_count",
    "number_count",  "elongation_count", "laugh_count",  "code_mix_ratio",
};

#define NLANGS 5
#define FIELD_BYTES 4
#define PACKED_BYTES (NFIELDS * FIELD_BYTES)
/* Floats 0.0 .. FLOAT_CACHE - 1 are shared (most counts are small). */
#define FLOAT_CACHE 256
/* The NormalizedText fields, in constructor order. */
#define NRESULT 5
static const char *const RESULT_FIELDS[NRESULT] = {
    "text", "tokens", "language", "language_confidence", "features",
};

static unsigned char ascii_space[128];

/* Counters of the chunks missing from the memo (FastNormalizer.stats()). */
enum {
    S_C_WORDS,       /* [a-z]+ chunks analysed in C (stage 2) */
    S_PYTHON,        /* chunks sent to the analyse() callback */
    S_TOO_LONG,      /* [a-z]+ chunks sent to Python: longer than MAX_WORD */
    S_SLANG,         /* ... a slang key (stage 2b off) */
    S_LAUGHTER,      /* ... maybe laughter (conservative pre-check; stage 2b off) */
    S_ELONGATED,     /* ... elongated (stage 2b off) */
    S_CLITIC_SLANG,  /* ... clitic-ending with a slang stem (stage 2b off) */
    S_MARKERS,       /* chunks analysed in C that are marker words */
    S_STABLE_CALLS,  /* calls of call_stable (S_C_STABLE of them answered in C) */
    S_STOPWORD_STEMS, /* stopwords whose votes needed the stem callback */
    S_C_WORD_CHUNKS, /* P*WP* chunks (capitals and/or punctuation) analysed in C (stage 3a) */
    S_PY_WORD_CHUNKS, /* P*WP* chunks sent to Python: lower(W) not plain, or W reserved */
    S_C_URLS,        /* whole-chunk URLs analysed in C (stage 3b) */
    S_C_MENTIONS,    /* @name P* chunks analysed in C (stage 3b) */
    S_C_GENERAL_WORDS, /* elongated, slang, clitic-slang or laughter [a-z]+ words in C (2b) */
    S_C_LAUGHTER,    /* ... of which laughter */
    S_C_HASHTAGS,    /* #X P* chunks analysed in C (stage 3c) */
    S_PY_HASHTAGS,   /* #X P* chunks sent to Python: a digit in X, or a word not plain */
    S_SEGMENT_PROBES, /* lookups in the known-word set while segmenting hashtags */
    S_C_STEMS,       /* stems answered in C (see "Stems and stabilisations in C") */
    S_C_STABLE,      /* stabilisations answered in C (call_stable) */
    S_PYTHON_STEMS,  /* calls of the stem() callback */
    S_C_CLEAN_POSTS, /* non-ASCII posts cleaned in C (stage 4a) */
    S_C_EMOJI_CHUNKS, /* chunks of emoji analysed in C (stage 4b) */
    S_C_NUMBERS,     /* P* number P* chunks analysed in C (stage 3d) */
    S_C_HYPHEN_WORDS, /* P* W(-W)+ P* chunks analysed in C (stage 3d) */
    S_C_DOTTED_MENTIONS, /* @name.digits P* chunks analysed in C (stage 3d) */
    S_C_DIGIT_WORDS, /* P*XP* chunks, X alphanumeric with a digit, analysed in C (stage 3e) */
    S_PY_DIGIT_WORDS, /* P*XP* chunks sent to Python: X or its resolved word slang/elongated */
    NSTATS
};
static const char *const STAT_NAMES[NSTATS] = {
    "c_words",  "python_chunks",  "too_long",     "slang",         "maybe_laughter",
    "elongated", "clitic_slang",  "marker_words", "stable_calls",  "stopword_stems",
    "c_word_chunks", "python_word_chunks", "c_urls", "c_mentions", "c_general_words",
    "c_laughter", "c_hashtags", "python_hashtags", "segment_probes", "c_stems",
    "c_stable", "python_stems", "c_clean_posts",
    "c_emoji_chunks", "c_numbers",
    "c_hyphen_words", "c_dotted_mentions", "c_digit_words",
    "python_digit_words",
};

/* The clitics of pipeline._CLITICS, in order (checked at construction). */
#define NCLITICS 6
static const char *const CLITICS[NCLITICS] = {"nya", "lah", "kah", "pun", "ku", "mu"};

/* The parts, in the order they depend on each other (monitor/text/cnorm/). */
#include "cnorm/01_memo.c"
#include "cnorm/02_object.c"
#include "cnorm/03_plain_words.c"
#include "cnorm/04_stems.c"
#include "cnorm/05_laughter.c"
#include "cnorm/06_general_words.c"
#include "cnorm/07_word_chunks.c"
#include "cnorm/08_link_chunks.c"
#include "cnorm/09_hashtags.c"
#include "cnorm/10_clean.c"
#include "cnorm/11_emoji.c"
#include "cnorm/12_misc_chunks.c"
#include "cnorm/13_digit_words.c"
#include "cnorm/14_post.c"
#include "cnorm/15_construction.c"
