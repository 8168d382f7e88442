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
 * distinct one is analysed once per normalize_many call. An entry holds the chunk's token
 * text (str), its tokens (tuple, text.split()), its spread codes (str, "." for none) and the
 * 19 fields of the packed int (PACKED_FIELDS, FIELD_BITS = 32), unpacked.
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

/* ----------------------------------------------------------------------------------------
 * The memo
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint64_t hash;
    size_t key_off;   /* into the generation's key arena */
    uint32_t key_len; /* bytes */
    uint32_t fields[NFIELDS];
    PyObject *text;   /* exact str, "" when the chunk has no tokens */
    PyObject *tokens; /* tuple of str: text.split() */
    PyObject *spread; /* exact str: the spread codes, "." when none */
} Entry;

typedef struct {
    Entry *entries;
    size_t count, cap;
    uint32_t *slots; /* 0: free, else index + 1 into entries (linear probing) */
    size_t nslots;   /* a power of two, or 0 before the first insert */
    char *keys;
    size_t keys_len, keys_cap;
} Generation;

static uint64_t
hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a, then a final avalanche */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static Entry *
gen_find(const Generation *gen, uint64_t hash, const char *key, size_t len)
{
    if (gen->count == 0) {
        return NULL;
    }
    size_t mask = gen->nslots - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t slot = gen->slots[i];
        if (slot == 0) {
            return NULL;
        }
        Entry *e = &gen->entries[slot - 1];
        if (e->hash == hash && e->key_len == len &&
            memcmp(gen->keys + e->key_off, key, len) == 0) {
            return e;
        }
    }
}

static void
entry_release(Entry *e)
{
    Py_CLEAR(e->text);
    Py_CLEAR(e->tokens);
    Py_CLEAR(e->spread);
}

/* Forget every entry, keeping the allocated space (a generation never exceeds `half`). */
static void
gen_clear(Generation *gen)
{
    /* Detach first: a decref never runs Python code here (str and tuples of str), but the
     * generation is consistent at every step anyway. */
    size_t count = gen->count;
    gen->count = 0;
    gen->keys_len = 0;
    if (gen->slots != NULL) {
        memset(gen->slots, 0, gen->nslots * sizeof(uint32_t));
    }
    for (size_t i = 0; i < count; i++) {
        entry_release(&gen->entries[i]);
    }
}

static void
gen_free(Generation *gen)
{
    gen_clear(gen);
    PyMem_Free(gen->entries);
    PyMem_Free(gen->slots);
    PyMem_Free(gen->keys);
    memset(gen, 0, sizeof(*gen));
}

static int
gen_rehash(Generation *gen, size_t nslots)
{
    uint32_t *slots = PyMem_Calloc(nslots, sizeof(uint32_t));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    size_t mask = nslots - 1;
    for (size_t k = 0; k < gen->count; k++) {
        size_t i = (size_t)gen->entries[k].hash & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = (uint32_t)(k + 1);
    }
    PyMem_Free(gen->slots);
    gen->slots = slots;
    gen->nslots = nslots;
    return 0;
}

/* Room for one more entry with a key of `len` bytes (load factor stays <= 1/2). */
static int
gen_reserve(Generation *gen, size_t len)
{
    if (gen->count + 1 > gen->cap) {
        size_t cap = gen->cap ? gen->cap * 2 : 64;
        Entry *entries = PyMem_Realloc(gen->entries, cap * sizeof(Entry));
        if (entries == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        gen->entries = entries;
        gen->cap = cap;
    }
    if ((gen->count + 1) * 2 > gen->nslots) {
        if (gen_rehash(gen, gen->nslots ? gen->nslots * 2 : 128) < 0) {
            return -1;
        }
    }
    if (gen->keys_len + len > gen->keys_cap) {
        size_t cap = gen->keys_cap ? gen->keys_cap : 1024;
        while (cap < gen->keys_len + len) {
            cap *= 2;
        }
        char *keys = PyMem_Realloc(gen->keys, cap);
        if (keys == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        gen->keys = keys;
        gen->keys_cap = cap;
    }
    return 0;
}

typedef struct {
    Generation young, old;
    size_t half; /* memo_size // 2: the young generation is retired at this size */
} Memo;

/* A fixed set of byte strings (open addressing, built once; stage 3c's known words). */
typedef struct {
    uint64_t hash;
    size_t off;   /* into the arena */
    uint32_t len; /* bytes */
    uint32_t used;
} ByteSlot;

typedef struct {
    ByteSlot *slots; /* NULL: empty set */
    size_t mask;     /* number of slots - 1 (a power of two minus one) */
    char *arena;
    size_t arena_len, arena_cap;
} ByteSet;

/* Store a copy of `value` (its references are new ones) for `key` in the young generation;
 * retire it when full. Returns the stored entry, valid until the memo changes again. */
static Entry *
memo_put(Memo *memo, uint64_t hash, const char *key, size_t len, const Entry *value)
{
    Generation *young = &memo->young;
    Entry *e = gen_find(young, hash, key, len);
    if (e != NULL) { /* only after a reentrant call stored the same chunk */
        Entry previous = *e;
        memcpy(e->fields, value->fields, sizeof(e->fields));
        e->text = Py_NewRef(value->text);
        e->tokens = Py_NewRef(value->tokens);
        e->spread = Py_NewRef(value->spread);
        entry_release(&previous);
        return e;
    }
    if (gen_reserve(young, len) < 0) {
        return NULL;
    }
    size_t index = young->count;
    e = &young->entries[index];
    e->hash = hash;
    e->key_off = young->keys_len;
    e->key_len = (uint32_t)len;
    memcpy(young->keys + young->keys_len, key, len);
    young->keys_len += len;
    memcpy(e->fields, value->fields, sizeof(e->fields));
    e->text = Py_NewRef(value->text);
    e->tokens = Py_NewRef(value->tokens);
    e->spread = Py_NewRef(value->spread);
    size_t mask = young->nslots - 1;
    size_t i = (size_t)hash & mask;
    while (young->slots[i] != 0) {
        i = (i + 1) & mask;
    }
    young->slots[i] = (uint32_t)(index + 1);
    young->count++;
    if (young->count >= memo->half) {
        /* The young generation becomes the old one; the previous old one is dropped. The
         * entry arrays move with their Generation structs, so `e` stays valid. */
        Generation dropped = memo->old;
        memo->old = memo->young;
        memo->young = dropped;
        gen_clear(&memo->young);
    }
    return e;
}

/* The entry for `key`, or NULL (with no exception set) when absent; NULL with an exception
 * when promoting an old entry failed. */
static Entry *
memo_get(Memo *memo, uint64_t hash, const char *key, size_t len, int *failed)
{
    Entry *e = gen_find(&memo->young, hash, key, len);
    if (e != NULL) {
        return e;
    }
    e = gen_find(&memo->old, hash, key, len);
    if (e == NULL) {
        return NULL;
    }
    /* Copy out first: memo_put may grow or drop the old generation. */
    Entry value = *e;
    Py_INCREF(value.text);
    Py_INCREF(value.tokens);
    Py_INCREF(value.spread);
    e = memo_put(memo, hash, key, len, &value);
    entry_release(&value);
    if (e == NULL) {
        *failed = 1;
    }
    return e;
}

/* ----------------------------------------------------------------------------------------
 * The normalizer object
 * ------------------------------------------------------------------------------------- */

/* Stage 4a: a run of code points where clean_text is trivial (CLEAN_KEEP or CLEAN_DROP). */
typedef struct {
    Py_UCS4 first, last;
    int action;
} CleanRun;

/* Stage 4b: an emoji-class character or skin tone and its token (NULL: adds nothing). */
typedef struct {
    Py_UCS4 code;
    PyObject *token;
} EmojiSingle;

#define FIRST_INDICATOR 0x1F1E6 /* REGIONAL INDICATOR SYMBOL LETTER A */
#define NINDICATORS 26

typedef struct {
    PyObject_HEAD
    PyObject *analyse;
    PyObject *fallback;
    PyObject *clean;
    PyObject *spread_calls;
    PyObject *result_type;
    PyObject *languages;        /* tuple of NLANGS str */
    PyObject *feature_keys;     /* tuple of NFEATURES str */
    PyObject *feature_template; /* dict: feature name -> 0.0, in FEATURE_NAMES order */
    PyObject *dot;              /* "." */
    PyObject *empty_text;       /* "" */
    PyObject *empty_tuple;      /* () */
    PyObject *floats[FLOAT_CACHE];
    Py_ssize_t result_offsets[NRESULT]; /* slot offsets in NormalizedText, or -1: call it */
    Py_ssize_t max_text_chars;
    Py_ssize_t max_memo_chunk;
    double vote_scale;
    double min_lexical_votes;
    double unknown_ratio;
    double unknown_penalty;
    double smoothing;
    Memo memo;
    /* Stage 2 (see analyse_plain_word): the lexicons of the Normalizer, NULL when off. */
    PyObject *w_slang_keys;       /* set: Normalizer._slang_keys */
    PyObject *w_stopwords;        /* set: Normalizer.stopwords */
    PyObject *w_spread_codes;     /* dict: pipeline._SPREAD_CODES */
    PyObject *w_shared_or_slang;  /* set: Normalizer._shared_or_slang */
    PyObject *w_other_markers;    /* set: Normalizer._other_markers */
    PyObject *w_shared_vocabulary; /* set: Normalizer.shared_vocabulary */
    PyObject *w_dictionary;       /* set: Normalizer.dictionary */
    PyObject *w_marker_votes;     /* dict: marker word -> (packed votes unshared, shared) */
    PyObject *w_stem;             /* Normalizer.stemmer.stem */
    PyObject *w_stable;           /* Normalizer._stable */
    PyObject *w_slang_map;        /* dict: Normalizer.slang._map (word -> tuple of str) */
    PyObject *w_known;            /* set: Normalizer.known */
    PyObject *w_laugh_token;      /* str: elongation.LAUGH_TOKEN */
    /* Stems in C (see stem_in_c; the ``stems`` argument), NULL when off. */
    PyObject *st_stemmer;         /* the Stemmer of w_stem (an exact Stemmer) */
    PyObject *st_cache_type;      /* StemCache */
    PyObject *st_fast_type;       /* FastStemmer */
    PyObject *st_cstem_type;      /* _cstem.CStemmer */
    PyObject *st_entries;         /* Stemmer._entries, as looked up in this call, or NULL */
    PyObject *st_dictionary;      /* Stemmer.dictionary, idem */
    int st_resolved;              /* st_entries and st_dictionary hold this call's values */
    /* What learn_stem reads besides the counters, looked up once per call with st_entries
     * (NULL when missing or of another type: learn_stem then leaves the word to Python). */
    PyObject *st_cache;           /* Stemmer.cache, an exact StemCache */
    PyObject *st_max_new;         /* StemCache.max_new_words, an int */
    PyObject *st_stem_word;       /* Stemmer.fast._compiled.stem_word, bound */
    PyObject *space;              /* " " */
    uint32_t w_shared[NFIELDS];   /* pack_votes(SHARED_VOCAB_VOTES), unpacked */
    uint32_t w_unknown[NFIELDS];  /* pack_votes(None), unpacked */
    Py_ssize_t w_max_word;
    int word_chunks;              /* stage 3a on (only where stage 2 is on) */
    int link_chunks;              /* stage 3b on (only where stage 2 is on) */
    int general_words;            /* stage 2b on (only where stage 2 is on) */
    /* Stage 3c (see analyse_hashtag_chunk): h_prefixes is NULL when it is off. */
    ByteSet h_known;              /* ASCII words of Normalizer.known (a frozenset) */
    ByteSet h_short;              /* ASCII words of pipeline._SHORT_SEGMENTS */
    PyObject *h_prefixes;         /* tuple of ASCII str: pipeline._SEGMENT_PREFIXES */
    PyObject *h_suffixes;         /* tuple of ASCII str: pipeline._SEGMENT_SUFFIXES */
    Py_ssize_t h_max_run;         /* hashtags.MAX_SEGMENTED_RUN */
    Py_ssize_t h_max_word;        /* hashtags.MAX_WORD */
    int hashtag_chunks;           /* stage 3c on (only where stage 2 is on) */
    CleanRun *clean_runs;         /* stage 4a: charnorm.shortcut_ranges, NULL when off */
    Py_ssize_t n_clean_runs;
    int clean_on;                 /* stage 4a switch */
    EmojiSingle *emoji_singles;   /* stage 4b: by code point, NULL when off */
    Py_ssize_t n_emoji_singles;
    PyObject *emoji_flags[NINDICATORS * NINDICATORS]; /* tokens of indicator pairs or NULL */
    int emoji_chunks;             /* stage 4b switch (only where stage 2 is on) */
    int misc_chunks;              /* stage 3d on (only where stage 2 is on) */
    /* Stage 3e (see analyse_digit_chunk); NULL / 0 when stage 2 is off. */
    PyObject *d_units;            /* set: digits.UNITS */
    char d_leet[10][4];           /* digits.LEET: the letters each digit may stand for */
    int d_nleet[10];              /* how many (0: the digit stands for no letter) */
    Py_ssize_t d_max_leet;        /* digits.MAX_LEET_CANDIDATES */
    int digit_words;              /* stage 3e on (only where stage 2 is on) */
    Py_ssize_t stats[NSTATS];
} FastNormalizer;

/* What one post collects from its chunks; every object is a strong reference. */
typedef struct {
    PyObject *text;   /* NULL when empty */
    PyObject *tokens; /* NULL when empty */
    PyObject *spread; /* NULL when "." */
} Part;

typedef struct {
    Part *parts;
    size_t nparts, cap;
    uint64_t sums[NFIELDS];
    Py_ssize_t ntokens;
    Py_ssize_t ntexts;
    Py_ssize_t text_len; /* of the non-empty texts, without separators */
    Py_UCS4 maxchar;
    char *keybuf;        /* UTF-8 of a non-ASCII chunk, 4 * max_memo_chunk bytes */
    PyObject *long_done; /* dict: chunk too long for the memo -> its Contribution */
} Post;

static void
post_reset(Post *post)
{
    for (size_t i = 0; i < post->nparts; i++) {
        Py_XDECREF(post->parts[i].text);
        Py_XDECREF(post->parts[i].tokens);
        Py_XDECREF(post->parts[i].spread);
    }
    post->nparts = 0;
    memset(post->sums, 0, sizeof(post->sums));
    post->ntokens = 0;
    post->ntexts = 0;
    post->text_len = 0;
    post->maxchar = 0;
}

static void
post_free(Post *post)
{
    post_reset(post);
    PyMem_Free(post->parts);
    PyMem_Free(post->keybuf);
    Py_CLEAR(post->long_done);
}

/* Add one chunk's entry to the post (no call into Python). */
static int
post_add(FastNormalizer *self, Post *post, const Entry *e)
{
    if (post->nparts == post->cap) {
        size_t cap = post->cap ? post->cap * 2 : 64;
        Part *parts = PyMem_Realloc(post->parts, cap * sizeof(Part));
        if (parts == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        post->parts = parts;
        post->cap = cap;
    }
    for (int i = 0; i < NFIELDS; i++) {
        post->sums[i] += e->fields[i];
    }
    Part *part = &post->parts[post->nparts++];
    part->text = NULL;
    part->tokens = NULL;
    part->spread = NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(e->text);
    if (len > 0) {
        part->text = Py_NewRef(e->text);
        post->ntexts++;
        post->text_len += len;
        Py_UCS4 maxchar = PyUnicode_MAX_CHAR_VALUE(e->text);
        if (maxchar > post->maxchar) {
            post->maxchar = maxchar;
        }
    }
    Py_ssize_t ntokens = PyTuple_GET_SIZE(e->tokens);
    if (ntokens > 0) {
        part->tokens = Py_NewRef(e->tokens);
        post->ntokens += ntokens;
    }
    if (e->spread != self->dot) {
        part->spread = Py_NewRef(e->spread);
    }
    return 0;
}

static int
unpack_fields(PyObject *packed, uint32_t *fields)
{
    unsigned char buf[PACKED_BYTES];
    if (!PyLong_Check(packed)) {
        PyErr_Format(PyExc_TypeError, "packed contribution must be an int, not %.100s",
                     Py_TYPE(packed)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX >= 0x030D0000
    Py_ssize_t needed = PyLong_AsNativeBytes(packed, buf, PACKED_BYTES,
                                             Py_ASNATIVEBYTES_LITTLE_ENDIAN |
                                                 Py_ASNATIVEBYTES_UNSIGNED_BUFFER |
                                                 Py_ASNATIVEBYTES_REJECT_NEGATIVE);
    if (needed < 0) {
        return -1;
    }
    if (needed > PACKED_BYTES) {
        PyErr_SetString(PyExc_OverflowError, "packed contribution too large");
        return -1;
    }
#else
    if (_PyLong_AsByteArray((PyLongObject *)packed, buf, PACKED_BYTES, 1, 0) < 0) {
        return -1;
    }
#endif
    for (int i = 0; i < NFIELDS; i++) {
        const unsigned char *b = buf + FIELD_BYTES * i;
        fields[i] = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                    (uint32_t)b[3] << 24;
    }
    return 0;
}

static PyObject *tokens_of_text(FastNormalizer *self, PyObject *text);

/* An Entry (new references, no key) from a Contribution(text, packed, spread). */
static int
entry_from_contribution(FastNormalizer *self, PyObject *contribution, Entry *out)
{
    if (!PyTuple_Check(contribution) || PyTuple_GET_SIZE(contribution) != 3) {
        PyErr_SetString(PyExc_TypeError, "analyse() must return a Contribution");
        return -1;
    }
    PyObject *text = PyTuple_GET_ITEM(contribution, 0);
    PyObject *packed = PyTuple_GET_ITEM(contribution, 1);
    PyObject *spread = PyTuple_GET_ITEM(contribution, 2);
    if (!PyUnicode_CheckExact(text) || !PyUnicode_CheckExact(spread)) {
        PyErr_SetString(PyExc_TypeError, "a Contribution's text and spread must be str");
        return -1;
    }
    if (unpack_fields(packed, out->fields) < 0) {
        return -1;
    }
    PyObject *tokens = tokens_of_text(self, text);
    if (tokens == NULL) {
        return -1;
    }
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = Py_NewRef(text);
    out->tokens = tokens;
    out->spread = Py_NewRef(PyUnicode_GET_LENGTH(spread) == 0 ? self->dot : spread);
    return 0;
}

/* text.split() as a tuple (new reference) of an exact str. */
/* A tuple or frozenset of exact str only can never be part of a reference cycle: the
 * garbage collector untracks such tuples itself, at its next pass, and never untracks sets.
 * Untracking them when they are made saves the collections from walking them again and
 * again (the memo holds one tokens tuple per chunk; the lexicon sets hold ~10^5 words). */
static void
untrack_if_atomic(PyObject *container)
{
    if (!PyObject_GC_IsTracked(container)) {
        return;
    }
    if (PyTuple_CheckExact(container)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(container); i++) {
            if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(container, i))) {
                return;
            }
        }
    }
    else if (PyFrozenSet_CheckExact(container)) { /* immutable: stays atomic */
        Py_ssize_t pos = 0;
        PyObject *item;
        Py_hash_t hash;
        while (_PySet_NextEntry(container, &pos, &item, &hash)) {
            if (!PyUnicode_CheckExact(item)) {
                return;
            }
        }
    }
    else {
        return;
    }
    PyObject_GC_UnTrack(container);
}

static PyObject *
tokens_of_text(FastNormalizer *self, PyObject *text)
{
    PyObject *tokens;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (len == 0) {
        tokens = Py_NewRef(self->empty_tuple);
    }
    else {
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        int plain = 1; /* no whitespace: text.split() == [text], share the object */
        for (Py_ssize_t i = 0; i < len && plain; i++) {
            plain = !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i));
        }
        if (plain) {
            tokens = PyTuple_Pack(1, text);
        }
        else {
            PyObject *list = PyUnicode_Split(text, NULL, -1);
            if (list == NULL) {
                return NULL;
            }
            tokens = PyList_AsTuple(list);
            Py_DECREF(list);
        }
        if (tokens != NULL) {
            untrack_if_atomic(tokens);
        }
    }
    return tokens;
}

/* ----------------------------------------------------------------------------------------
 * Stage 2: plain words analysed in C
 *
 * A chunk of lowercase ASCII letters only ([a-z]+) goes through the first branch of
 * Normalizer._analyse_chunk: the word's part (word memo, else _new_word_part, which gives
 * _plain_word(word) whenever that is not None) plus len(chunk) letters. The part depends on
 * the word and the lexicons alone (the word memo only saves work), so the C side computes
 * _plain_word(word) itself and never reads or writes the Python word memo; any other path
 * that needs the word still computes the same part.
 *
 * analyse_plain_word follows _plain_word step for step. Where _plain_word returns None it
 * gives up (the chunk goes to the analyse() callback, counted in stats()), except that
 * laughter, elongated, slang and clitic-slang words are handed to stage 2b (analyse_laughter
 * and analyse_general_word, below) when it is on. Laughter is tested first (as in
 * Normalizer._word): a cheap necessary condition (maybe_laughter), then, with stage 2b, the
 * exact test; without stage 2b a word that might match elongation._LAUGH_RE goes to
 * Python. Elongation (a letter three times in a row, _ELONGATED_RE on [a-z]) is exact.
 * The stem comes from call_stem (the Stemmer's cache and learning stay those of the Python
 * path, and it is asked for the same words in the same order), and a stem that differs from
 * the word goes through call_stable (Normalizer._stable), as in _plain_word. The language
 * votes of a marker word come from a table built in Python (pack_votes(word_votes(w, s)) for
 * s False and True); every other word votes _PACKED_SHARED or _UNKNOWN.
 * ------------------------------------------------------------------------------------- */

static int
only_letters(const char *s, size_t n, const char *allowed)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr(allowed, s[i]) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* 1 when s is [a-z]+ (for ASCII text: isalpha() and islower() both hold), else 0. */
static int
lower_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z') {
            return 0;
        }
    }
    return n > 0;
}

/* 0 when the [a-z] word cannot match elongation._LAUGH_RE; 1 when it might. Each test is a
 * necessary condition of one alternative of the pattern. */
static int
maybe_laughter(const char *s, size_t n)
{
    return ((s[0] == 'a' || s[0] == 'w') && only_letters(s, n, "aweok")) || /* a?w+[aeo]?k+ */
           (s[0] == 'k' && only_letters(s, n, "kw")) ||                    /* k+w+ */
           (only_letters(s, n, "bmwaheiou") && memchr(s, 'h', n) != NULL) || /* haha */
           (s[0] == 'x' && only_letters(s, n, "xi")) ||                    /* xixi */
           (n >= 2 && s[0] == 'l' && (s[1] == 'o' || s[1] == 'm')) ||      /* lol, lmao */
           (n >= 4 && memcmp(s, "rofl", 4) == 0) || (n >= 6 && memcmp(s, "ngakak", 6) == 0);
}

/* elongation.is_elongated of an [a-z] word: some letter three times in a row. */
static int
elongated(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == s[i + 1] && s[i] == s[i + 2]) {
            return 1;
        }
    }
    return 0;
}

/* word.endswith(_CLITICS) and Normalizer._slang(word) is not None, for an [a-z] word that is
 * no slang key: 1 or 0, -1 on error. */
static int
clitic_slang(FastNormalizer *self, const char *s, size_t n)
{
    for (int c = 0; c < NCLITICS; c++) {
        size_t len = strlen(CLITICS[c]);
        if (n >= len + 2 && memcmp(s + n - len, CLITICS[c], len) == 0) {
            PyObject *base = PyUnicode_FromStringAndSize(s, (Py_ssize_t)(n - len));
            if (base == NULL) {
                return -1;
            }
            int found = PySet_Contains(self->w_slang_keys, base);
            Py_DECREF(base);
            if (found != 0) {
                return found;
            }
        }
    }
    return 0;
}

/* The tests that _plain_word and _is_plain_fixpoint share, for an [a-z]+ word (str `word`,
 * bytes s[n]): *reason = -1 when it is a plain word (at most MAX_WORD letters, not elongated,
 * no laughter by the conservative check, no slang key, no slang word plus clitic), else the
 * stats index of the first test it fails. 0, or -1 on error. */
static int
plain_word_reason(FastNormalizer *self, PyObject *word, const char *s, size_t n, int *reason)
{
    *reason = -1;
    if ((Py_ssize_t)n > self->w_max_word) {
        *reason = S_TOO_LONG;
        return 0;
    }
    if (elongated(s, n)) {
        *reason = S_ELONGATED;
        return 0;
    }
    if (maybe_laughter(s, n)) {
        *reason = S_LAUGHTER;
        return 0;
    }
    int found = PySet_Contains(self->w_slang_keys, word);
    if (found == 0) {
        found = clitic_slang(self, s, n);
        if (found > 0) {
            *reason = S_CLITIC_SLANG;
        }
    }
    else if (found > 0) {
        *reason = S_SLANG;
    }
    return found < 0 ? -1 : 0;
}

/* ----------------------------------------------------------------------------------------
 * Stems and stabilisations in C: call_stem and call_stable
 *
 * call_stem(word) means Normalizer.stemmer.stem(word) (w_stem: that bound method, taken at
 * construction). Stemmer.stem (monitor/text/stem.py) looks, in order, at
 *   1. the cache's entries dict (Stemmer._entries: cache.entries, set on the first stem);
 *   2. the dictionary rule: a word in Stemmer.dictionary that isalpha, isascii and islower
 *      (together: a non-empty [a-z]+ word) is its own stem;
 *   3. the bounded memo, only once Stemmer._memo_used (set when cache.add refused a word);
 *   4. Stemmer._compute (computed += 1; an [a-z]+ word goes to FastStemmer.stem_word, which
 *      without a '-' is its CStemmer's stem_word when that answers -- for every word of at
 *      most _cstem.MAX_WORD_LENGTH letters), then cache.add: refused (and the memo used
 *      from then on) when cache._new_words >= cache.max_new_words, else entries[word] =
 *      stem and _new_words += 1 (the word is not in entries: step 1 missed).
 * stem_in_c answers steps 1, 2 and 4 itself when the normalizer was given the stemmer (the
 * ``stems`` constructor argument, which pipeline gives only for an exact Stemmer with an
 * exact StemCache and an exact FastStemmer using the C extension, with no instance
 * attribute shadowing a method; a _RecordingStemmer, a subclass or a custom cache keeps
 * every stem in Python). It reads the Stemmer's own state (attributes of plain instances:
 * no Python code runs) and writes it back at once, so after every stem, computed, the
 * entries and _new_words are what Stemmer.stem would have left, and the Python side (a
 * stem() from the analyse() callback, save(), the tests) sees no difference. It gives up
 * (the stem() callback answers, memo and Python stemmer included) on anything else: _entries
 * not set yet (the first stem loads the cache file in Python), a non-str entry, a word that
 * is not [a-z]+, the memo in use, a full cache, a word the CStemmer refuses, an attribute
 * missing or of another type than expected. Every test comes before the first change, so
 * giving up never leaves a stem half done. Nothing in it runs Python code or lets the GIL
 * go, so each stem is atomic for other threads.
 * _entries and dictionary (and the cache, max_new_words and the C stemmer's stem_word that
 * step 4 uses) are looked up once per normalize_many call (st_resolved); the
 * counters (_memo_used, computed, _new_words) and the cache's _entries are looked up at each
 * use, as Python does.
 *
 * call_stable(token) means " ".join(Normalizer._stable(token)). _stable gives (token,),
 * joined: token itself, when _is_plain_fixpoint(token): [a-z]+ (isalpha, isascii, islower),
 * at most MAX_WORD letters, no slang key, no stopword, no laughter, not elongated, no slang
 * word plus clitic, and a stem that is the token, a stopword or empty. plain_fixpoint makes
 * these tests (plain_word_reason, shared with stage 2: its laughter check is conservative,
 * a word that might be laughter goes to Python) with the stem from stem_in_c; when a test
 * fails, or stem_in_c would need Python, the token goes to _stable. _stable's memo only
 * saves work: neither reading nor filling it changes a result. Stem calls: plain_fixpoint
 * asks for the token's stem just where _is_plain_fixpoint would. Where _stable would have
 * found the token in its memo instead, the token's stem was asked before (the cheap tests
 * give the same answer each time), so it is now a cache entry or a dictionary word, whose
 * stem changes no state, or it went to the memo, and then stem_in_c gives up and _stable
 * answers from its memo as before: the Stemmer sees the same stems in the same order.
 * ------------------------------------------------------------------------------------- */

/* Attribute names read by stem_in_c (interned at module init). */
static PyObject *str_entries, *str_dictionary, *str_memo_used, *str_cache, *str_new_words,
    *str_max_new_words, *str_computed, *str_fast, *str_compiled, *str_stem_word;
static PyObject *long_one; /* 1 */

/* getattr(obj, name) when it exists and its type is `type` (exactly): a new reference;
 * NULL without an exception when it is missing or of another type; NULL with one on error. */
static PyObject *
attr_of_type(PyObject *obj, PyObject *name, PyTypeObject *type)
{
    PyObject *value = PyObject_GetAttr(obj, name);
    if (value == NULL) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
        }
        return NULL;
    }
    if (Py_TYPE(value) != type) {
        Py_CLEAR(value);
    }
    return value;
}

/* Looks up what learn_stem needs besides the counters (see FastNormalizer.st_cache). */
static int
resolve_learning(FastNormalizer *self)
{
    Py_CLEAR(self->st_cache);
    Py_CLEAR(self->st_max_new);
    Py_CLEAR(self->st_stem_word);
    PyObject *cache = attr_of_type(self->st_stemmer, str_cache,
                                   (PyTypeObject *)self->st_cache_type);
    PyObject *max_new = cache != NULL ? attr_of_type(cache, str_max_new_words, &PyLong_Type)
                                      : NULL;
    PyObject *fast = attr_of_type(self->st_stemmer, str_fast, (PyTypeObject *)self->st_fast_type);
    PyObject *compiled = fast != NULL ? attr_of_type(fast, str_compiled,
                                                     (PyTypeObject *)self->st_cstem_type)
                                      : NULL;
    PyObject *stem_word = compiled != NULL ? PyObject_GetAttr(compiled, str_stem_word) : NULL;
    Py_XDECREF(fast);
    Py_XDECREF(compiled);
    if (PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            Py_XDECREF(cache);
            Py_XDECREF(max_new);
            Py_XDECREF(stem_word);
            return -1;
        }
        PyErr_Clear();
    }
    if (cache == NULL || max_new == NULL || stem_word == NULL) {
        Py_XDECREF(cache);
        Py_XDECREF(max_new);
        Py_XDECREF(stem_word);
        return 0; /* learn_stem leaves every new word to Python in this call */
    }
    self->st_cache = cache;
    self->st_max_new = max_new;
    self->st_stem_word = stem_word;
    return 0;
}

/* Looks up Stemmer._entries (exact dict, else NULL: not loaded yet) and Stemmer.dictionary
 * (exact set or frozenset, else NULL) for this normalize_many call. -1 on error. */
static int
resolve_stems(FastNormalizer *self)
{
    PyObject *entries = attr_of_type(self->st_stemmer, str_entries, &PyDict_Type);
    if (entries == NULL && PyErr_Occurred()) {
        return -1;
    }
    PyObject *dictionary = PyObject_GetAttr(self->st_stemmer, str_dictionary);
    if (dictionary == NULL && !PyErr_ExceptionMatches(PyExc_AttributeError)) {
        Py_XDECREF(entries);
        return -1;
    }
    PyErr_Clear();
    if (dictionary != NULL && !PyAnySet_CheckExact(dictionary)) {
        Py_CLEAR(dictionary);
    }
    Py_XSETREF(self->st_entries, entries);
    Py_XSETREF(self->st_dictionary, dictionary);
    self->st_resolved = entries != NULL && dictionary != NULL;
    return resolve_learning(self);
}

/* Step 4 of Stemmer.stem for the [a-z]+ word `word` of n letters, missing from `entries`:
 * 1 with *out the stem (new reference) after updating the Stemmer exactly as _compute and
 * cache.add do; 0 when Python must do it (nothing changed); -1 on error. */
static int
learn_stem(FastNormalizer *self, PyObject *word, PyObject *entries, PyObject **out)
{
    PyObject *stemmer = self->st_stemmer;
    if (self->st_cache == NULL) {
        return 0;
    }
    /* Strong references: a reentrant call may resolve them again. */
    PyObject *cache = Py_NewRef(self->st_cache);
    PyObject *max_new = Py_NewRef(self->st_max_new);
    PyObject *stem_word = Py_NewRef(self->st_stem_word);
    PyObject *memo_used = NULL, *cache_entries = NULL, *new_words = NULL;
    PyObject *computed = NULL, *stem = NULL;
    PyObject *computed1 = NULL, *new_words1 = NULL;
    int status = -1;
#define GET(var, obj, name, type)                                                           \
    do {                                                                                    \
        if ((var = attr_of_type((obj), (name), (type))) == NULL) {                          \
            status = PyErr_Occurred() ? -1 : 0;                                             \
            goto done;                                                                      \
        }                                                                                   \
    } while (0)
    GET(memo_used, stemmer, str_memo_used, &PyBool_Type);
    if (memo_used != Py_False) {
        status = 0; /* step 3: the memo may hold the word */
        goto done;
    }
    GET(cache_entries, cache, str_entries, &PyDict_Type);
    GET(new_words, cache, str_new_words, &PyLong_Type);
    GET(computed, stemmer, str_computed, &PyLong_Type);
#undef GET
    int full = PyObject_RichCompareBool(new_words, max_new, Py_GE);
    if (full != 0 || cache_entries != entries) {
        status = full < 0 ? -1 : 0; /* cache.add would refuse, or add elsewhere */
        goto done;
    }
    stem = PyObject_CallOneArg(stem_word, word);
    if (stem == NULL || !PyUnicode_CheckExact(stem)) {
        status = stem == NULL ? -1 : 0; /* None: a word too long for the CStemmer */
        goto done;
    }
    computed1 = PyNumber_Add(computed, long_one);
    new_words1 = PyNumber_Add(new_words, long_one);
    if (computed1 == NULL || new_words1 == NULL ||
        PyObject_SetAttr(stemmer, str_computed, computed1) < 0 ||
        PyDict_SetItem(entries, word, stem) < 0 ||
        PyObject_SetAttr(cache, str_new_words, new_words1) < 0) {
        goto done;
    }
    *out = Py_NewRef(stem);
    status = 1;
done:
    Py_XDECREF(memo_used);
    Py_DECREF(cache);
    Py_XDECREF(cache_entries);
    Py_XDECREF(new_words);
    Py_DECREF(max_new);
    Py_XDECREF(computed);
    Py_DECREF(stem_word);
    Py_XDECREF(stem);
    Py_XDECREF(computed1);
    Py_XDECREF(new_words1);
    return status;
}

/* Stemmer.stem(word) answered in C: 1 with *out the stem (a new reference to a str), 0 when
 * the stem() callback must answer (nothing changed), -1 on error. */
static int
stem_in_c(FastNormalizer *self, PyObject *word, PyObject **out)
{
    if (self->st_stemmer == NULL || !PyUnicode_CheckExact(word)) {
        return 0;
    }
    if (!self->st_resolved && resolve_stems(self) < 0) {
        return -1;
    }
    if (!self->st_resolved) {
        return 0;
    }
    /* Strong references: st_entries may be replaced by a reentrant call in learn_stem. */
    PyObject *entries = Py_NewRef(self->st_entries);
    PyObject *dictionary = Py_NewRef(self->st_dictionary);
    int status = -1;
    PyObject *stem = PyDict_GetItemWithError(entries, word); /* step 1 */
    if (stem != NULL) {
        status = PyUnicode_CheckExact(stem);
        if (status) {
            *out = Py_NewRef(stem);
        }
        goto done;
    }
    if (PyErr_Occurred()) {
        goto done;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_IS_ASCII(word) ? PyUnicode_AsUTF8AndSize(word, &n) : NULL;
    if (s == NULL || !lower_letters(s, (size_t)n)) {
        status = 0; /* the dictionary rule does not apply; the memo or _compute decides */
        goto done;
    }
    status = PySet_Contains(dictionary, word); /* step 2 */
    if (status > 0) {
        *out = Py_NewRef(word);
    }
    else if (status == 0) {
        status = learn_stem(self, word, entries, out);
    }
done:
    Py_DECREF(entries);
    Py_DECREF(dictionary);
    if (status > 0) {
        self->stats[S_C_STEMS]++;
    }
    return status;
}

/* Normalizer.stemmer.stem(word): a new reference to a str, NULL with an exception. Every
 * stem the C side needs goes through here. */
static PyObject *
call_stem(FastNormalizer *self, PyObject *word)
{
    PyObject *stem = NULL;
    int done = stem_in_c(self, word, &stem);
    if (done != 0) {
        return done > 0 ? stem : NULL;
    }
    self->stats[S_PYTHON_STEMS]++;
    stem = PyObject_CallOneArg(self->w_stem, word);
    if (stem != NULL && !PyUnicode_Check(stem)) {
        PyErr_SetString(PyExc_TypeError, "stem() must return a str");
        Py_CLEAR(stem);
    }
    return stem;
}

/* Normalizer._is_plain_fixpoint(token) answered in C: 1 when it holds, 0 when it does not or
 * Python must tell (_stable decides), -1 on error. */
static int
plain_fixpoint(FastNormalizer *self, PyObject *token)
{
    if (self->w_slang_keys == NULL || !PyUnicode_CheckExact(token) ||
        !PyUnicode_IS_ASCII(token)) {
        return 0;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(token, &n);
    if (s == NULL) {
        return -1;
    }
    int reason;
    if (!lower_letters(s, (size_t)n) ||
        plain_word_reason(self, token, s, (size_t)n, &reason) < 0) {
        return PyErr_Occurred() ? -1 : 0;
    }
    if (reason >= 0) {
        return 0;
    }
    int stopword = PySet_Contains(self->w_stopwords, token);
    if (stopword != 0) {
        return stopword < 0 ? -1 : 0;
    }
    PyObject *stem = NULL;
    int fixed = stem_in_c(self, token, &stem);
    if (fixed <= 0) {
        return fixed;
    }
    if (PyUnicode_GET_LENGTH(stem) == 0) {
        fixed = 1;
    }
    else {
        fixed = PyUnicode_Compare(stem, token) == 0;
        if (!fixed) {
            fixed = PyErr_Occurred() ? -1 : PySet_Contains(self->w_stopwords, stem);
        }
    }
    Py_DECREF(stem);
    return fixed;
}

/* " ".join(Normalizer._stable(token)): a new reference to an exact str, NULL with an
 * exception. Every stabilisation the C side needs goes through here. */
static PyObject *
call_stable(FastNormalizer *self, PyObject *token)
{
    self->stats[S_STABLE_CALLS]++;
    int fixed = plain_fixpoint(self, token);
    if (fixed != 0) {
        if (fixed < 0) {
            return NULL;
        }
        self->stats[S_C_STABLE]++;
        return Py_NewRef(token); /* " ".join((token,)) is token */
    }
    PyObject *stable = PyObject_CallOneArg(self->w_stable, token);
    if (stable == NULL) {
        return NULL;
    }
    PyObject *text = PyUnicode_Join(self->space, stable);
    Py_DECREF(stable);
    if (text != NULL && !PyUnicode_CheckExact(text)) {
        PyErr_SetString(PyExc_TypeError, "_stable() must give str tokens");
        Py_CLEAR(text);
    }
    return text;
}

/* Normalizer._votes_with_stem (stem != NULL) or pack_votes(Normalizer._word_votes(word))
 * of an [a-z]+ word of n letters (stem == NULL: the stem is asked only if needed, counted in
 * stats[stem_stat] unless stem_stat is -1), added to fields. */
static int
add_votes(FastNormalizer *self, PyObject *word, size_t n, PyObject *stem, PyObject *marker,
          uint32_t *fields, int stem_stat)
{
    int shared = PySet_Contains(self->w_shared_or_slang, word);
    if (shared > 0) {
        int other = PySet_Contains(self->w_other_markers, word);
        shared = other < 0 ? -1 : !other;
    }
    if (shared == 0) {
        shared = PySet_Contains(self->w_shared_vocabulary, word);
    }
    if (shared == 0 && n > 3) {
        if (stem == NULL) {
            if (stem_stat >= 0) {
                self->stats[stem_stat]++;
            }
            PyObject *own = call_stem(self, word);
            if (own == NULL) {
                return -1;
            }
            shared = PySet_Contains(self->w_dictionary, own);
            Py_DECREF(own);
        }
        else {
            shared = PySet_Contains(self->w_dictionary, stem);
        }
    }
    if (shared < 0) {
        return -1;
    }
    uint32_t marker_fields[NFIELDS];
    const uint32_t *votes = shared ? self->w_shared : self->w_unknown;
    if (marker != NULL) {
        self->stats[S_MARKERS]++;
        if (!PyTuple_Check(marker) || PyTuple_GET_SIZE(marker) != 2) {
            PyErr_SetString(PyExc_TypeError, "marker votes must be 2-tuples");
            return -1;
        }
        if (unpack_fields(PyTuple_GET_ITEM(marker, shared), marker_fields) < 0) {
            return -1;
        }
        votes = marker_fields;
    }
    for (int i = 0; i < NFIELDS; i++) {
        fields[i] += votes[i];
    }
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * Stage 2b, laughter: elongation.is_laughter on [a-z]+ words, exactly
 *
 * is_laughter(word) is len(word) >= 3 and _LAUGH_RE.fullmatch(word). re.fullmatch of an
 * alternation backtracks through every alternative and every repetition count, so it
 * matches exactly when the word is in the regular language of one alternative; each
 * alternative is written below as a small automaton without empty moves, simulated on
 * the set of its states (a bit mask), and the word matches when a state of the set after
 * its last letter accepts. Per alternative (c: how many repeated groups are complete,
 * counted up to 2, since {2,} only asks for two):
 *   A  (?:a?w+[aeo]?k+){2,}w*   S0 start; Ac after "a" (a?); Wc in w+; Vc after [aeo];
 *      Kc in k+, which ends group c and is also where the next group (or, once c = 2, w*:
 *      T) starts. Accepting: K2, T.
 *   B  (?:k+w+){2,}k*  and  D  (?:x+i+){2,}x*  (the same shape, letters p and q): S start,
 *      Pc in p+ (c groups before), Qc in q+ ending group c, where the next group or (c = 2)
 *      the tail T starts. Accepting: Q2, T.
 *   C  [bmw]{0,2}a?(?:h+[aeiou]+){2,}h*  P0, P1, P2: after 0, 1, 2 of [bmw]; PA after a;
 *      Hc in h+; Vc in [aeiou]+ ending group c, where the next group or (c = 2) h*: T
 *      starts. Accepting: V2, T.
 *   E  lol+ | lmf?ao+ | rofl | ngakak+   plain string tests (laugh_literal).
 * The automata are transcribed edge by edge from the patterns; the differential tests run
 * them against the Python regex on generated words of these letters.
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint8_t from;
    const char *letters;
    uint8_t to;
} LaughEdge;

typedef struct {
    const LaughEdge *edges;
    size_t nedges;
    uint32_t accept; /* bit mask of accepting states; state 0 is the start */
} LaughAutomaton;

#define BIT(state) (1u << (state))

enum { A_S0, A_A0, A_A1, A_A2, A_W0, A_W1, A_W2, A_V0, A_V1, A_V2, A_K1, A_K2, A_T };
static const LaughEdge LAUGH_A_EDGES[] = {
    {A_S0, "a", A_A0},   {A_S0, "w", A_W0},   {A_A0, "w", A_W0},   {A_A1, "w", A_W1},
    {A_A2, "w", A_W2},   {A_W0, "w", A_W0},   {A_W1, "w", A_W1},   {A_W2, "w", A_W2},
    {A_W0, "aeo", A_V0}, {A_W1, "aeo", A_V1}, {A_W2, "aeo", A_V2}, {A_W0, "k", A_K1},
    {A_W1, "k", A_K2},   {A_W2, "k", A_K2},   {A_V0, "k", A_K1},   {A_V1, "k", A_K2},
    {A_V2, "k", A_K2},   {A_K1, "k", A_K1},   {A_K2, "k", A_K2},   {A_K1, "a", A_A1},
    {A_K2, "a", A_A2},   {A_K1, "w", A_W1},   {A_K2, "w", A_W2},   {A_K2, "w", A_T},
    {A_T, "w", A_T},
};

enum { R_S, R_P0, R_P1, R_P2, R_Q1, R_Q2, R_T };
#define REPEAT_EDGES(p, q)                                                                  \
    {                                                                                       \
        {R_S, p, R_P0}, {R_P0, p, R_P0}, {R_P1, p, R_P1}, {R_P2, p, R_P2}, {R_P0, q, R_Q1}, \
            {R_P1, q, R_Q2}, {R_P2, q, R_Q2}, {R_Q1, q, R_Q1}, {R_Q2, q, R_Q2},             \
            {R_Q1, p, R_P1}, {R_Q2, p, R_P2}, {R_Q2, p, R_T}, {R_T, p, R_T},                \
    }
static const LaughEdge LAUGH_B_EDGES[] = REPEAT_EDGES("k", "w");
static const LaughEdge LAUGH_D_EDGES[] = REPEAT_EDGES("x", "i");

enum { C_P0, C_P1, C_P2, C_PA, C_H0, C_H1, C_H2, C_V1, C_V2, C_T };
static const LaughEdge LAUGH_C_EDGES[] = {
    {C_P0, "bmw", C_P1},   {C_P1, "bmw", C_P2},   {C_P0, "a", C_PA},     {C_P1, "a", C_PA},
    {C_P2, "a", C_PA},     {C_P0, "h", C_H0},     {C_P1, "h", C_H0},     {C_P2, "h", C_H0},
    {C_PA, "h", C_H0},     {C_H0, "h", C_H0},     {C_H1, "h", C_H1},     {C_H2, "h", C_H2},
    {C_H0, "aeiou", C_V1}, {C_H1, "aeiou", C_V2}, {C_H2, "aeiou", C_V2}, {C_V1, "aeiou", C_V1},
    {C_V2, "aeiou", C_V2}, {C_V1, "h", C_H1},     {C_V2, "h", C_H2},     {C_V2, "h", C_T},
    {C_T, "h", C_T},
};

#define LAUGH_AUTOMATON(edges, accept) {edges, sizeof(edges) / sizeof(edges[0]), accept}
static const LaughAutomaton LAUGH_AUTOMATA[] = {
    LAUGH_AUTOMATON(LAUGH_A_EDGES, BIT(A_K2) | BIT(A_T)),
    LAUGH_AUTOMATON(LAUGH_B_EDGES, BIT(R_Q2) | BIT(R_T)),
    LAUGH_AUTOMATON(LAUGH_C_EDGES, BIT(C_V2) | BIT(C_T)),
    LAUGH_AUTOMATON(LAUGH_D_EDGES, BIT(R_Q2) | BIT(R_T)),
};

/* Whether automaton `a` accepts the [a-z]+ word s[0:n]. */
static int
laugh_automaton_accepts(const LaughAutomaton *a, const char *s, size_t n)
{
    uint32_t states = BIT(0);
    for (size_t i = 0; i < n && states != 0; i++) {
        uint32_t next = 0;
        for (size_t e = 0; e < a->nedges; e++) {
            const LaughEdge *edge = &a->edges[e];
            if ((states & BIT(edge->from)) && strchr(edge->letters, s[i]) != NULL) {
                next |= BIT(edge->to);
            }
        }
        states = next;
    }
    return (states & a->accept) != 0;
}

/* n letters s[0:n] are `prefix` followed by one or more `repeated`. */
static int
prefix_then_repeats(const char *s, size_t n, const char *prefix, char repeated)
{
    size_t p = strlen(prefix);
    if (n <= p || memcmp(s, prefix, p) != 0) {
        return 0;
    }
    for (size_t i = p; i < n; i++) {
        if (s[i] != repeated) {
            return 0;
        }
    }
    return 1;
}

/* Alternative E: lol+ | lmf?ao+ | rofl | ngakak+ */
static int
laugh_literal(const char *s, size_t n)
{
    return prefix_then_repeats(s, n, "lo", 'l') || prefix_then_repeats(s, n, "lma", 'o') ||
           prefix_then_repeats(s, n, "lmfa", 'o') || (n == 4 && memcmp(s, "rofl", 4) == 0) ||
           prefix_then_repeats(s, n, "ngaka", 'k');
}

/* elongation.is_laughter of the [a-z]+ word s[0:n]. */
static int
is_laughter_ascii(const char *s, size_t n)
{
    enum { MIN_LAUGH_LEN = 3 };
    if (n < MIN_LAUGH_LEN) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(LAUGH_AUTOMATA) / sizeof(LAUGH_AUTOMATA[0]); i++) {
        if (laugh_automaton_accepts(&LAUGH_AUTOMATA[i], s, n)) {
            return 1;
        }
    }
    return laugh_literal(s, n);
}

static int analyse_general_word(FastNormalizer *self, PyObject *word, const char *s, size_t n,
                                Entry *out);
static int analyse_laughter(FastNormalizer *self, size_t n, Entry *out);

/* The Entry of chunk `word` (exact str, UTF-8 `s` of `n` bytes) when it is [a-z]+ and
 * Normalizer._plain_word handles it, or (stage 2b) _new_word_part's general path does: 1
 * with *out filled (new references), 0 when the chunk must go to the analyse() callback,
 * -1 on error. */
static int
analyse_plain_word(FastNormalizer *self, PyObject *word, const char *s, size_t n, Entry *out)
{
    if (!lower_letters(s, n)) {
        return 0;
    }
    if ((Py_ssize_t)n > self->w_max_word) {
        self->stats[S_TOO_LONG]++;
        return 0;
    }
    /* Laughter first, as in Normalizer._word, whatever else the word is. Stage 2b tests it
     * exactly and analyses laughter itself; without it a word that might be laughter goes
     * to Python (maybe_laughter is a necessary condition of is_laughter). */
    if (maybe_laughter(s, n)) {
        if (!self->general_words) {
            self->stats[S_LAUGHTER]++;
            return 0;
        }
        if (is_laughter_ascii(s, n)) {
            return analyse_laughter(self, n, out);
        }
    }
    /* Where _plain_word returns None, the general path (stage 2b) takes over; the reason is
     * counted when that path is off or gives up. */
    int reason = -1;
    if (elongated(s, n)) {
        reason = S_ELONGATED;
    }
    else {
        int found = PySet_Contains(self->w_slang_keys, word);
        if (found == 0) {
            found = clitic_slang(self, s, n);
            if (found > 0) {
                reason = S_CLITIC_SLANG;
            }
        }
        else if (found > 0) {
            reason = S_SLANG;
        }
        if (found < 0) {
            return -1;
        }
    }
    if (reason >= 0) {
        int handled = self->general_words ? analyse_general_word(self, word, s, n, out) : 0;
        if (handled == 0) {
            self->stats[reason]++;
        }
        else if (handled > 0) {
            self->stats[S_C_GENERAL_WORDS]++;
        }
        return handled;
    }
    /* The word is handled here from now on. Every object below is a strong reference. */
    PyObject *code = NULL, *marker = NULL, *stem = NULL, *text = NULL;
    int status = -1;
    memset(out->fields, 0, sizeof(out->fields));
    code = PyDict_GetItemWithError(self->w_spread_codes, word);
    if (code == NULL && PyErr_Occurred()) {
        goto done;
    }
    Py_XINCREF(code);
    if (code != NULL && (!PyUnicode_CheckExact(code))) {
        PyErr_SetString(PyExc_TypeError, "spread codes must be str");
        goto done;
    }
    marker = PyDict_GetItemWithError(self->w_marker_votes, word);
    if (marker == NULL && PyErr_Occurred()) {
        goto done;
    }
    Py_XINCREF(marker);
    int stopword = PySet_Contains(self->w_stopwords, word);
    if (stopword < 0) {
        goto done;
    }
    if (stopword) {
        if (add_votes(self, word, n, NULL, marker, out->fields, S_STOPWORD_STEMS) < 0) {
            goto done;
        }
        text = Py_NewRef(self->empty_text);
    }
    else {
        stem = call_stem(self, word);
        if (stem == NULL) {
            goto done;
        }
        if (add_votes(self, word, n, stem, marker, out->fields, S_STOPWORD_STEMS) < 0) {
            goto done;
        }
        int drop = PySet_Contains(self->w_stopwords, stem);
        if (drop < 0) {
            goto done;
        }
        int same = 0;
        if (!drop && PyUnicode_GET_LENGTH(stem) > 0) {
            same = PyUnicode_Compare(stem, word) == 0;
            if (!same && PyErr_Occurred()) {
                goto done;
            }
        }
        if (drop || PyUnicode_GET_LENGTH(stem) == 0) {
            text = Py_NewRef(word); /* see Normalizer._emit */
        }
        else if (same) {
            text = Py_NewRef(word);
        }
        else { /* a dictionary root; it may still be slang */
            text = call_stable(self, stem);
            if (text == NULL) {
                goto done;
            }
        }
    }
    int spread = code != NULL && PyUnicode_GET_LENGTH(code) > 0;
    if (spread) {
        out->fields[F_SPREAD] += 1;
    }
    out->fields[F_LETTERS] += (uint32_t)n;
    PyObject *tokens = tokens_of_text(self, text);
    if (tokens == NULL) {
        goto done;
    }
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = Py_NewRef(text);
    out->tokens = tokens;
    out->spread = Py_NewRef(spread ? code : self->dot);
    status = 1;
done:
    Py_XDECREF(code);
    Py_XDECREF(marker);
    Py_XDECREF(stem);
    Py_XDECREF(text);
    return status;
}

/* ----------------------------------------------------------------------------------------
 * Stage 2b: elongated, slang and clitic-slang words (the general path of Normalizer._word)
 *
 * An [a-z]+ word of at most MAX_WORD letters that is laughter, elongated, a slang key, or a
 * clitic-ending word whose base is a slang key, is one that Normalizer._plain_word
 * declines. _analyse_chunk then takes _new_word_part(word): _word(word, acc) into an empty
 * _Acc, acc.result(), and every token of the result's text replaced by _stable(token);
 * plus len(word) letters. _word's "'", non-ASCII, "." and digit branches cannot apply to
 * [a-z]+. Its laughter branch comes first: for a laughter word (is_laughter_ascii, the
 * exact port above) the result is the laugh token, one laugh and no spread code (acc.spread
 * stays empty: ""), stabilised like any text (analyse_laughter). Otherwise, in order:
 *   standard = _slang(word): the slang map's value for word, else for the first clitic of
 *       _CLITICS that word ends with, leaving at least two letters, whose base is a key;
 *   if standard is None and word is elongated: one elongation is counted, word becomes
 *       collapse_elongation(word, _is_known) (collapse_elongation below) and standard =
 *       _slang(word); the collapsed word is never longer, so the MAX_WORD check passes;
 *   the votes pack_votes(_word_votes(word)) of that word (add_votes with the stem asked
 *       only when needed: the word is ASCII letters, so _word_votes' isascii/isalpha hold);
 *   the standard words: standard (joined by join_reduplication when there are several),
 *       or (word,) when standard is None or empty; for each, in order, its spread code
 *       (_SPREAD_CODES.get(std, "."); one spread word when it is not ".") and _emit(std):
 *       nothing for a stopword, std itself when not ASCII, else its stem unless the stem
 *       is a stopword or empty (then std).
 * acc.result(): the tokens joined by " ", the packed fields, and the codes joined, kept
 * only when something but "." remains after strip(".") (else "", stored here as ".").
 * Then " ".join(t for token in text.split() for t in _stable(token)): call_stable gives
 * " ".join(_stable(token)), and joining the non-empty ones with " " is the same string
 * since _stable never yields an empty token (its tokens come from str.split() or are
 * whole plain words).
 * The Python callbacks (stem, _stable) are called for the same words in the same order as
 * in _word and _new_word_part. The standard words may be any str (a custom SlangLexicon):
 * only str operations are used on them (dict and set lookups, str.isascii, startswith, the
 * "-" test), never byte-level assumptions.
 * Stage 3d passes hyphenated words here too (see there).
 * What still goes to Python: words longer than MAX_WORD (laughter or a collapsed form
 * short enough is possible there: not ported), and everything when the general_words
 * switch is off (then also every word that maybe_laughter cannot rule out).
 * ------------------------------------------------------------------------------------- */

/* elongation.MAX_VARIABLE_RUNS (checked at construction). */
#define MAX_VARIABLE_RUNS 6
/* Longest word taken by stage 2b; pipeline.MAX_WORD (40) is below it. */
#define GENERAL_WORD_MAX 64

/* Normalizer._is_known(candidate) for an [a-z]+ or hyphenated [a-z]+(-[a-z]+)+ candidate
 * c[0:m]: 1 or 0, -1 on error. In the known set; else, when it is [a-z]+ (isascii() and
 * isalpha(); a hyphenated one is not) of at least 4 letters, its stem differs from it and is
 * in the dictionary. */
static int
is_known_word(FastNormalizer *self, const char *c, size_t m)
{
    enum { MIN_STEMMED_LEN = 4 };
    PyObject *word = PyUnicode_FromStringAndSize(c, (Py_ssize_t)m);
    if (word == NULL) {
        return -1;
    }
    int known = PySet_Contains(self->w_known, word);
    /* A hyphenated candidate (stage 3d) is not isalpha(): only the known set counts. */
    if (known == 0 && m >= MIN_STEMMED_LEN && memchr(c, '-', m) == NULL) {
        PyObject *stem = call_stem(self, word);
        if (stem == NULL) {
            known = -1;
        }
        else {
            int same = PyUnicode_Compare(stem, word) == 0;
            if (!same && PyErr_Occurred()) {
                known = -1;
            }
            else {
                known = same ? 0 : PySet_Contains(self->w_dictionary, stem);
            }
            Py_DECREF(stem);
        }
    }
    Py_DECREF(word);
    return known;
}

static int
bit_count(unsigned k)
{
    int bits = 0;
    for (; k != 0; k >>= 1) {
        bits += (int)(k & 1u);
    }
    return bits;
}

/* elongation.collapse_elongation(word, self._is_known) of an elongated [a-z]+ word s[0:n]
 * (n <= GENERAL_WORD_MAX), written to buf (n bytes suffice), its length in *m. 0, or -1 on
 * error.
 *
 * The port: runs are itertools.groupby's; every run is alphabetic, so the variable runs are
 * those of two letters or more, and the default collapse writes runs of three or more once.
 * With more than MAX_VARIABLE_RUNS variable runs the default is the result. Otherwise the
 * candidates are itertools.product of the options per variable run ((1, 2) for runs of
 * three or more, (2, 1) for doubled ones): combo number k (0 <= k < 2**V) takes the second
 * option of variable run j when bit V-1-j of k is set (the last run varies fastest), and
 * its deviations (chosen length != the preferred one) are exactly its set bits. The stable
 * sort by deviations is then: d = 0, 1, ..., V, and for each d the k with popcount(k) == d
 * in increasing order. The first candidate that is known wins; else the default. */
static int
collapse_elongation(FastNormalizer *self, const char *s, size_t n, char *buf, size_t *m)
{
    char run_char[GENERAL_WORD_MAX];
    size_t run_len[GENERAL_WORD_MAX], nruns = 0;
    int variable[GENERAL_WORD_MAX]; /* per run: its index among the variable runs, or -1 */
    int nvariable = 0;
    for (size_t i = 0; i < n; nruns++) {
        size_t j = i;
        while (j < n && s[j] == s[i]) {
            j++;
        }
        run_char[nruns] = s[i];
        run_len[nruns] = j - i;
        variable[nruns] = j - i >= 2 ? nvariable++ : -1;
        i = j;
    }
    size_t len = 0;
    for (size_t r = 0; r < nruns; r++) { /* the default collapse */
        size_t k = run_len[r] >= 3 ? 1 : run_len[r];
        memset(buf + len, run_char[r], k);
        len += k;
    }
    *m = len;
    if (nvariable > MAX_VARIABLE_RUNS) {
        return 0;
    }
    /* OPTIONS[elongated run][option index]: (2, 1) for a doubled run, (1, 2) for 3+. */
    static const size_t OPTIONS[2][2] = {{2, 1}, {1, 2}};
    char candidate[GENERAL_WORD_MAX];
    unsigned combos = 1u << nvariable;
    for (int d = 0; d <= nvariable; d++) {
        for (unsigned k = 0; k < combos; k++) {
            if (bit_count(k) != d) {
                continue;
            }
            size_t c = 0;
            for (size_t r = 0; r < nruns; r++) {
                size_t length = run_len[r];
                if (variable[r] >= 0) {
                    unsigned second = (k >> (nvariable - 1 - variable[r])) & 1u;
                    length = OPTIONS[run_len[r] >= 3][second];
                }
                memset(candidate + c, run_char[r], length);
                c += length;
            }
            int known = is_known_word(self, candidate, c);
            if (known != 0) {
                if (known > 0) {
                    memcpy(buf, candidate, c);
                    *m = c;
                }
                return known < 0 ? -1 : 0;
            }
        }
    }
    return 0;
}

/* Normalizer._slang(word) for the [a-z]+ word s[0:n] (`word` its str): a new reference to
 * the slang map's value, or NULL (check PyErr_Occurred()). */
static PyObject *
slang_lookup(FastNormalizer *self, PyObject *word, const char *s, size_t n)
{
    PyObject *standard = PyDict_GetItemWithError(self->w_slang_map, word);
    if (standard != NULL || PyErr_Occurred()) {
        return Py_XNewRef(standard);
    }
    for (int c = 0; c < NCLITICS; c++) {
        size_t len = strlen(CLITICS[c]);
        if (n >= len + 2 && memcmp(s + n - len, CLITICS[c], len) == 0) {
            PyObject *base = PyUnicode_FromStringAndSize(s, (Py_ssize_t)(n - len));
            if (base == NULL) {
                return NULL;
            }
            standard = PyDict_GetItemWithError(self->w_slang_map, base);
            Py_XINCREF(standard);
            Py_DECREF(base);
            if (standard != NULL || PyErr_Occurred()) {
                return standard;
            }
        }
    }
    return NULL;
}

/* pipeline.join_reduplication(words) of a tuple of str: a new list. */
static PyObject *
join_reduplication(PyObject *words)
{
    enum { MIN_BASE_LEN = 2 };
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(words); i++) {
        PyObject *word = PyTuple_GET_ITEM(words, i);
        Py_ssize_t nout = PyList_GET_SIZE(out);
        int join = 0;
        if (nout > 0) {
            PyObject *last = PyList_GET_ITEM(out, nout - 1);
            Py_ssize_t last_len = PyUnicode_GET_LENGTH(last);
            Py_ssize_t dash = PyUnicode_FindChar(last, '-', 0, last_len, 1);
            if (dash == -2) {
                goto error;
            }
            if (dash == -1 && last_len >= MIN_BASE_LEN) {
                join = (int)PyUnicode_Tailmatch(word, last, 0, PY_SSIZE_T_MAX, -1);
                if (join < 0) {
                    goto error;
                }
            }
            if (join) {
                PyObject *joined = PyUnicode_FromFormat("%U-%U", last, word);
                if (joined == NULL || PyList_SetItem(out, nout - 1, joined) < 0) {
                    goto error;
                }
            }
        }
        if (!join && PyList_Append(out, word) < 0) {
            goto error;
        }
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* The spread code of one standard word and Normalizer._emit(std): the code appended to
 * codes (one spread word counted in fields when it is not "."), the token (if any) to
 * tokens. 0, or -1 on error. */
static int
emit_standard(FastNormalizer *self, PyObject *std, PyObject *codes, PyObject *tokens,
              uint32_t *fields)
{
    PyObject *code = PyDict_GetItemWithError(self->w_spread_codes, std);
    if (code == NULL && PyErr_Occurred()) {
        return -1;
    }
    if (code == NULL) {
        code = self->dot;
    }
    else if (!PyUnicode_CheckExact(code)) {
        PyErr_SetString(PyExc_TypeError, "spread codes must be str");
        return -1;
    }
    if (PyUnicode_CompareWithASCIIString(code, ".") != 0) {
        fields[F_SPREAD] += 1;
    }
    if (PyList_Append(codes, code) < 0) {
        return -1;
    }
    int stopword = PySet_Contains(self->w_stopwords, std);
    if (stopword != 0) {
        return stopword < 0 ? -1 : 0;
    }
    if (!PyUnicode_IS_ASCII(std)) {
        return PyList_Append(tokens, std);
    }
    PyObject *stem = call_stem(self, std);
    if (stem == NULL) {
        return -1;
    }
    int drop = PySet_Contains(self->w_stopwords, stem);
    int status = -1;
    if (drop >= 0) {
        /* "peringatan" -> "ingat", a stopword: the word is kept (see _emit). */
        status = PyList_Append(tokens, drop || PyUnicode_GET_LENGTH(stem) == 0 ? std : stem);
    }
    Py_DECREF(stem);
    return status;
}

/* _Acc.result()'s spread code from the list of codes: the joined codes, or "." (the memo's
 * "") when only dots remain after strip("."). A new reference, NULL on error. */
static PyObject *
result_code(FastNormalizer *self, PyObject *codes)
{
    PyObject *code = PyUnicode_Join(self->empty_text, codes);
    if (code == NULL) {
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(code);
    for (Py_ssize_t i = 0; i < len; i++) {
        if (PyUnicode_READ_CHAR(code, i) != '.') {
            return code;
        }
    }
    Py_DECREF(code);
    return Py_NewRef(self->dot);
}

/* The text of _new_word_part: " ".join(tokens), each of its whitespace-separated tokens
 * replaced by _stable(token) (see the section comment). A new reference, NULL on error. */
static PyObject *
stable_text(FastNormalizer *self, PyObject *tokens)
{
    PyObject *text = PyUnicode_Join(self->space, tokens);
    if (text == NULL || PyUnicode_GET_LENGTH(text) == 0) {
        return text;
    }
    PyObject *split = PyUnicode_Split(text, NULL, -1);
    Py_DECREF(text);
    if (split == NULL) {
        return NULL;
    }
    PyObject *stable = PyList_New(0);
    for (Py_ssize_t i = 0; stable != NULL && i < PyList_GET_SIZE(split); i++) {
        PyObject *part = call_stable(self, PyList_GET_ITEM(split, i));
        if (part == NULL ||
            (PyUnicode_GET_LENGTH(part) > 0 && PyList_Append(stable, part) < 0)) {
            Py_CLEAR(stable);
        }
        Py_XDECREF(part);
    }
    Py_DECREF(split);
    if (stable == NULL) {
        return NULL;
    }
    text = PyUnicode_Join(self->space, stable);
    Py_DECREF(stable);
    return text;
}

/* The Entry of a laughter word of n letters (see the section comment): _word's laughter
 * branch gives the laugh token and one laugh, no spread code; _new_word_part stabilises
 * the token. 1 with *out filled (new references), -1 on error. */
static int
analyse_laughter(FastNormalizer *self, size_t n, Entry *out)
{
    PyObject *tokens = PyList_New(0), *text = NULL;
    if (tokens == NULL || PyList_Append(tokens, self->w_laugh_token) < 0 ||
        (text = stable_text(self, tokens)) == NULL) {
        Py_XDECREF(tokens);
        return -1;
    }
    Py_DECREF(tokens);
    PyObject *split = tokens_of_text(self, text);
    if (split == NULL) {
        Py_DECREF(text);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[F_LAUGH] = 1;
    out->fields[F_LETTERS] = (uint32_t)n;
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = split;
    out->spread = Py_NewRef(self->dot);
    self->stats[S_C_GENERAL_WORDS]++;
    self->stats[S_C_LAUGHTER]++;
    return 1;
}

/* The Entry of the [a-z]+ chunk `word` (UTF-8 `s` of `n` bytes, n <= MAX_WORD, not
 * laughter) by the general path (see the section comment): 1 with *out filled (new
 * references), 0 when it must go to the analyse() callback, -1 on error. Stage 3d also
 * gives it a hyphenated lowercase word [a-z]+(-[a-z]+)+ (n <= MAX_WORD; never laughter),
 * where the letters counted are the [a-z] ones and the votes ask no stem (not isalpha()). */
static int
analyse_general_word(FastNormalizer *self, PyObject *word, const char *s, size_t n, Entry *out)
{
    if (n > GENERAL_WORD_MAX) {
        return 0;
    }
    /* Every object below is a strong reference. */
    PyObject *current = Py_NewRef(word), *standard = NULL, *marker = NULL, *words = NULL;
    PyObject *codes = NULL, *tokens = NULL, *text = NULL, *code = NULL;
    int status = -1;
    memset(out->fields, 0, sizeof(out->fields));
    size_t m = n;
    const char *current_s = s;
    char collapsed[GENERAL_WORD_MAX];
    standard = slang_lookup(self, word, s, n);
    if (standard == NULL && PyErr_Occurred()) {
        goto done;
    }
    if (standard == NULL && elongated(s, n)) {
        out->fields[F_ELONGATION] += 1;
        if (collapse_elongation(self, s, n, collapsed, &m) < 0) {
            goto done;
        }
        current_s = collapsed;
        Py_SETREF(current, PyUnicode_FromStringAndSize(collapsed, (Py_ssize_t)m));
        if (current == NULL) {
            goto done;
        }
        standard = slang_lookup(self, current, collapsed, m);
        if (standard == NULL && PyErr_Occurred()) {
            goto done;
        }
    }
    if (standard != NULL && !PyTuple_CheckExact(standard)) {
        PyErr_SetString(PyExc_TypeError, "slang values must be tuples");
        goto done;
    }
    marker = PyDict_GetItemWithError(self->w_marker_votes, current);
    if (marker == NULL && PyErr_Occurred()) {
        goto done;
    }
    Py_XINCREF(marker);
    /* _word_votes stems only an isalpha() word longer than 3: add_votes asks the stem only
     * when its length argument is above 3, so a hyphenated word passes 0. */
    /* _word_votes asks a stem only of an isalpha() word: not of a hyphenated one (stage 3d)
     * nor of one with digits (stage 3e). */
    size_t vote_len = lower_letters(current_s, m) ? m : 0;
    if (add_votes(self, current, vote_len, NULL, marker, out->fields, -1) < 0) {
        goto done;
    }
    Py_ssize_t nstandard = standard != NULL ? PyTuple_GET_SIZE(standard) : 0;
    for (Py_ssize_t i = 0; i < nstandard; i++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(standard, i))) {
            PyErr_SetString(PyExc_TypeError, "slang values must hold str");
            goto done;
        }
    }
    if (nstandard > 1) {
        words = join_reduplication(standard);
    }
    else {
        words = PyList_New(0);
        if (words != NULL && PyList_Append(words, nstandard ? PyTuple_GET_ITEM(standard, 0)
                                                           : current) < 0) {
            Py_CLEAR(words);
        }
    }
    if (words == NULL || (codes = PyList_New(0)) == NULL || (tokens = PyList_New(0)) == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(words); i++) {
        if (emit_standard(self, PyList_GET_ITEM(words, i), codes, tokens, out->fields) < 0) {
            goto done;
        }
    }
    if ((code = result_code(self, codes)) == NULL || (text = stable_text(self, tokens)) == NULL) {
        goto done;
    }
    if (!PyUnicode_CheckExact(text)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be str");
        goto done;
    }
    for (size_t i = 0; i < n; i++) { /* surface_counts: the [a-z] letters of the word */
        out->fields[F_LETTERS] += s[i] >= 'a' && s[i] <= 'z';
    }
    PyObject *split = tokens_of_text(self, text);
    if (split == NULL) {
        goto done;
    }
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = Py_NewRef(text);
    out->tokens = split;
    out->spread = Py_NewRef(code);
    status = 1;
done:
    Py_XDECREF(current);
    Py_XDECREF(standard);
    Py_XDECREF(marker);
    Py_XDECREF(words);
    Py_XDECREF(codes);
    Py_XDECREF(tokens);
    Py_XDECREF(text);
    Py_XDECREF(code);
    return status;
}

/* ----------------------------------------------------------------------------------------
 * Stage 3a: one ASCII word with capitals and/or safe punctuation around it
 *
 * A chunk P* W P*, W one run of ASCII letters [A-Za-z]+ and each P one character of
 * SAFE_PUNCT, that is not [a-z]+ (stage 2). What Normalizer._analyse_chunk gives for it:
 *   - no P (W has capitals): the isalpha() branch, _word_part(W) + surface_counts(W) (the
 *     isupper() shortcut, len * (letters + upper), is the same number for ASCII);
 *   - with P: one piece (only chunks of at most WORD_CHUNK_MAX <= pipeline.MAX_PIECE
 *     characters are taken), whose only tokenizer match is W (below), so an _Acc holding
 *     _word_part(W) alone: text = part.text, packed = part.packed, spread code = part.spread
 *     unless it is empty or only dots (_Acc.result) -- then "" (stored as ".");
 *     plus surface_counts(chunk).
 * _word_part(W) is the word memo entry of lower(W), which is always _plain_word(lower(W))
 * when that is not None (_new_word_part), i.e. exactly what analyse_plain_word computes;
 * when it gives up the whole chunk goes to analyse(). surface_counts of an ASCII chunk:
 * its A-Z count (upper), its A-Za-z count (letters: those of W, already counted by
 * analyse_plain_word), and its '!' and '?' counts.
 *
 * Why the only match of token_matches(piece) is W (pipeline._token_re; '@' and '/' are not
 * in SAFE_PUNCT, so the e-mail and path alternatives are not even compiled). Every
 * alternative starts with a character that no P is: url [Hh]/[Ww], special u/e/l, mention
 * '@', hashtag '#', number [Rr] or a digit, word [^\W_] (alphanumeric), flag and emoji
 * (EMOJI_CLASS and REGIONAL_INDICATORS hold no ASCII character). So no match starts in the
 * leading P*, and finditer first tries W's first letter, where (alternatives in order):
 *   url: "http"/"https" needs "://" ('/' unsafe); "www." needs W == "www" (any case)
 *        followed by '.', and then any of our P continues it ("www.," is a URL) -> W "www"
 *        with trailing P goes to Python;
 *   special: "url:" + [\w.-]+ needs W == "url" followed by ':' and then '.' ("url:." is a
 *        special token!); "emoji:" + [a-z0-9_]+ and "laugh:haha" need a letter or digit
 *        after the ':', which no P is -> W "url", "emoji", "laugh" (lowercased, to be safe)
 *        with trailing P go to Python;
 *   mention, hashtag, number: need '@', '#' or a digit;
 *   word: [^\W_]+ takes all of W and stops at the first P (not alphanumeric); it could only
 *        go on over ['.\-] followed by an alphanumeric, and every character after W is a P.
 * The next search starts right after W, at a P or the end; as above nothing starts there.
 * Excluded from SAFE_PUNCT: '@' '/' (e-mail, mention, path, URL), '#' (hashtag), '\'' and
 * '-' (inner word characters; also in e-mail/special/URL classes), '_' and digits (word
 * characters), and the rest of ASCII punctuation simply because it is rare.
 * ------------------------------------------------------------------------------------- */

#define SAFE_PUNCT ".,!?;:\"()"
/* Longest chunk taken (pipeline.MAX_PIECE is 256: such a chunk is one piece). */
#define WORD_CHUNK_MAX 48

/* 1 with *out filled when chunk `s` (n ASCII bytes) is P*WP*, not [a-z]+, and W is handled by
 * analyse_plain_word; 0 when the chunk must go to analyse(); -1 on error. */
static int
analyse_word_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    size_t a = 0, b, upper = 0, bang = 0, question = 0;
    char lower[WORD_CHUNK_MAX + 1];
    if (n > WORD_CHUNK_MAX) {
        return 0;
    }
    while (a < n && s[a] != '\0' && strchr(SAFE_PUNCT, s[a]) != NULL) {
        a++;
    }
    b = a;
    while (b < n && ((s[b] >= 'a' && s[b] <= 'z') || (s[b] >= 'A' && s[b] <= 'Z'))) {
        b++;
    }
    if (b == a) {
        return 0; /* no letters */
    }
    for (size_t i = b; i < n; i++) {
        if (s[i] == '\0' || strchr(SAFE_PUNCT, s[i]) == NULL) {
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        upper += s[i] >= 'A' && s[i] <= 'Z';
        bang += s[i] == '!';
        question += s[i] == '?';
    }
    size_t wn = b - a;
    int punct = wn != n;
    if (!punct && upper == 0) {
        return 0; /* [a-z]+: stage 2 */
    }
    for (size_t i = 0; i < wn; i++) {
        char c = s[a + i];
        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    lower[wn] = '\0';
    if (punct && (strcmp(lower, "www") == 0 || strcmp(lower, "url") == 0 ||
                  strcmp(lower, "emoji") == 0 || strcmp(lower, "laugh") == 0)) {
        self->stats[S_PY_WORD_CHUNKS]++;
        return 0;
    }
    PyObject *word = PyUnicode_FromStringAndSize(lower, (Py_ssize_t)wn);
    if (word == NULL) {
        return -1;
    }
    int handled = analyse_plain_word(self, word, lower, wn, out);
    Py_DECREF(word);
    if (handled <= 0) {
        if (handled == 0) {
            self->stats[S_PY_WORD_CHUNKS]++;
        }
        return handled;
    }
    /* analyse_plain_word counted the letters of W, all the chunk's letters. */
    out->fields[F_UPPER] += (uint32_t)upper;
    out->fields[F_EXCLAMATION] += (uint32_t)bang;
    out->fields[F_QUESTION] += (uint32_t)question;
    if (punct && out->spread != self->dot) { /* _Acc.result: only dots -> "" */
        Py_ssize_t len = PyUnicode_GET_LENGTH(out->spread);
        int dots = 1;
        for (Py_ssize_t i = 0; i < len && dots; i++) {
            dots = PyUnicode_READ_CHAR(out->spread, i) == '.';
        }
        if (dots) {
            Py_SETREF(out->spread, Py_NewRef(self->dot));
        }
    }
    self->stats[S_C_WORD_CHUNKS]++;
    return 1;
}

/* ----------------------------------------------------------------------------------------
 * Stage 3b: a chunk that is one URL, or one mention with safe punctuation after it
 *
 * URL chunk: ASCII, at most LINK_CHUNK_MAX (<= pipeline.MAX_PIECE: one piece) characters,
 * starting with [Hh][Tt][Tt][Pp][Ss]?:// or [Ww][Ww][Ww]\. and at least one more character,
 * every character printable (0x21..0x7e) and none of <>"'()[]{} (the characters, besides
 * whitespace, that end the url alternative's [^\s<>"'()\[\]{}]+). The url alternative is
 * the first one of pipeline._token_re and is tried at position 0 first, so it matches, and
 * its greedy class runs to the end of the chunk: the only match is the whole chunk as a URL.
 * ("https://" alone is not one: the class needs a character.) _piece then appends
 * url_token(chunk) and adds one url to an empty _Acc, whose result is (token, url, "") (no
 * spread code was appended); _analyse_chunk (not isalpha(): the chunk holds ':' or '.')
 * adds surface_counts(chunk). url_domain is ported by link_domain below (ASCII only, where
 * lower() and \w are the ASCII ones and strip() removes nothing: no whitespace).
 *
 * Mention chunk: ASCII, '@', one or more [A-Za-z0-9_] (\w on ASCII), then zero or more
 * characters of SAFE_PUNCT (no letter, digit, '_', '@', '#', '/', '\'' or '-'). The e-mail
 * alternative (compiled: '@' is in the piece) cannot match at 0 ('@' is not in [\w.+-]) nor
 * later (it needs a second '@'), url and special need a letter first, so the mention
 * alternative matches @\w+, greedily, up to the first P. No alternative starts at a P (see
 * stage 3a), so nothing else matches: the contribution is (@mention, mention, "") plus
 * surface_counts(chunk). Both claims are also checked with the regex in the tests.
 * ------------------------------------------------------------------------------------- */

#ifndef LINK_CHUNKS_DEFAULT
#define LINK_CHUNKS_DEFAULT 1
#endif
#define LINK_CHUNK_MAX 48

/* Case-insensitive: does s (n bytes) start with the lowercase ASCII `prefix`? */
static int
starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k) {
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + ('a' - 'A'));
        }
        if (c != prefix[i]) {
            return 0;
        }
    }
    return 1;
}

/* urls.url_domain of an ASCII URL chunk (n <= LINK_CHUNK_MAX), written to dom; its length. */
static size_t
link_domain(const char *s, size_t n, char *dom)
{
    static const char *const noise[] = {"www.", "m.", "mobile.", "amp.", "web."};
    char low[LINK_CHUNK_MAX];
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    const char *r = low;
    size_t rn = n;
    for (size_t i = 0; i + 3 <= rn; i++) { /* rest[rest.find("://") + 3:] */
        if (r[i] == ':' && r[i + 1] == '/' && r[i + 2] == '/') {
            r += i + 3;
            rn -= i + 3;
            break;
        }
    }
    for (size_t i = 0; i < rn; i++) { /* cut at each of "/?#\\" in turn: at the first one */
        if (r[i] == '/' || r[i] == '?' || r[i] == '#' || r[i] == '\\') {
            rn = i;
            break;
        }
    }
    for (size_t i = rn; i > 0; i--) { /* rpartition("@")[2] */
        if (r[i - 1] == '@') {
            r += i;
            rn -= i;
            break;
        }
    }
    for (size_t i = 0; i < rn; i++) { /* partition(":")[0] */
        if (r[i] == ':') {
            rn = i;
            break;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < rn; i++) { /* drop [^\w.-] */
        char c = r[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.' || c == '-') {
            dom[m++] = c;
        }
    }
    size_t a = 0;
    while (a < m && (dom[a] == '.' || dom[a] == '-')) { /* strip(".-") */
        a++;
    }
    while (m > a && (dom[m - 1] == '.' || dom[m - 1] == '-')) {
        m--;
    }
    size_t dots = 0;
    for (size_t i = a; i < m; i++) {
        dots += dom[i] == '.';
    }
    for (size_t k = 0; k < sizeof(noise) / sizeof(noise[0]); k++) {
        size_t pn = strlen(noise[k]);
        if (m - a >= pn && memcmp(dom + a, noise[k], pn) == 0 && dots >= 2) {
            a += pn;
            break;
        }
    }
    if (a == m) {
        memcpy(dom, "unknown", 7);
        return 7;
    }
    memmove(dom, dom + a, m - a);
    return m - a;
}

/* 1 with *out filled when the ASCII chunk `s` (n bytes) is one URL or a mention with safe
 * punctuation after it (see above); 0 when it must go elsewhere; -1 on error. */
static int
analyse_link_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    if (n == 0 || n > LINK_CHUNK_MAX) {
        return 0;
    }
    int field;
    PyObject *text;
    if (s[0] == '@') {
        size_t i = 1;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                         (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
            i++;
        }
        if (i == 1) {
            return 0;
        }
        for (; i < n; i++) {
            if (s[i] == '\0' || strchr(SAFE_PUNCT, s[i]) == NULL) {
                return 0;
            }
        }
        field = F_MENTION;
        text = PyUnicode_FromStringAndSize("@mention", 8);
    }
    else {
        size_t plen;
        if (starts_with_ci(s, n, "https://")) {
            plen = 8;
        }
        else if (starts_with_ci(s, n, "http://")) {
            plen = 7;
        }
        else if (starts_with_ci(s, n, "www.")) {
            plen = 4;
        }
        else {
            return 0;
        }
        if (n <= plen) {
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x21 || c > 0x7e || strchr("<>\"'()[]{}", c) != NULL) {
                return 0;
            }
        }
        char token[4 + LINK_CHUNK_MAX];
        memcpy(token, "url:", 4);
        size_t dn = link_domain(s, n, token + 4);
        field = F_URL;
        text = PyUnicode_FromStringAndSize(token, (Py_ssize_t)(4 + dn));
    }
    if (text == NULL) {
        return -1;
    }
    PyObject *tokens = PyTuple_Pack(1, text);
    if (tokens == NULL) {
        Py_DECREF(text);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[field] = 1;
    for (size_t i = 0; i < n; i++) { /* surface_counts(chunk) */
        char c = s[i];
        out->fields[F_UPPER] += c >= 'A' && c <= 'Z';
        out->fields[F_LETTERS] += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        out->fields[F_EXCLAMATION] += c == '!';
        out->fields[F_QUESTION] += c == '?';
    }
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(self->dot);
    self->stats[field == F_URL ? S_C_URLS : S_C_MENTIONS]++;
    return 1;
}

/* ----------------------------------------------------------------------------------------
 * Stage 3c: a chunk that is one hashtag, with safe punctuation after it
 *
 * The chunk: ASCII, at most HASHTAG_CHUNK_MAX (<= pipeline.MAX_PIECE: one piece) characters,
 * '#', then X = [A-Za-z0-9][A-Za-z0-9_]*, then zero or more characters of SAFE_PUNCT.
 *
 * Why the only tokenizer match is "#X" (pipeline._token_re; no '@' or '/' in the chunk, so
 * the e-mail and path alternatives are not compiled): at position 0, url needs [Hh]/[Ww],
 * special u/e/l, mention '@', so the hashtag alternative \#[^\W_]\w* is the first that can
 * match: X[0] is a letter or digit ([^\W_]) and \w* (on ASCII [A-Za-z0-9_]) greedily takes
 * the rest of X and stops at the first P, which is no word character. The next search starts
 * at that P, and, as argued for stage 3a, no alternative starts at a P. ('_' is a word
 * character: it belongs to X, never to the trailing P.) The tests check every claimed chunk
 * against the regex.
 *
 * What Python does with it: _analyse_chunk (not isalpha: '#') -> one piece -> _piece ->
 * acc.add(_hashtag_part("#X")), then adds surface_counts(chunk). _hashtag_part is (memo
 * aside: it stores what it computes) an _Acc holding one hashtag plus _word_part(w) for each
 * w of split_hashtag("#X", _is_segment); its result is (the non-empty word texts joined by
 * spaces, hashtag + the words' packed, the words' spread codes joined -- "." for none --
 * or "" when only dots). The outer _Acc holds that one part, so its result is the same
 * (its spread rule is idempotent). So the chunk's contribution is:
 *   text   = " ".join(non-empty _word_part(w).text),
 *   packed = 1 hashtag + sum(_word_part(w).packed) + surface_counts(chunk),
 *   spread = "".join(_word_part(w).spread or ".") unless only dots (then "", stored ".").
 * _word_part(w) (w is lowercase) is _plain_word(w) when that is not None (_new_word_part;
 * the word memo only saves work). analyse_plain_word gives, for a word it handles,
 * _plain_word(w) plus len(w) letters (its chunk is the word, see stage 2), so each word's
 * fields are its entry's minus len(w) letters: the chunk's letters are those of
 * surface_counts(chunk) alone. When analyse_plain_word gives up on any word (slang,
 * elongated, maybe laughter, too long), the whole chunk goes to analyse(). A digit in X makes
 * a [0-9]+ camel part, a word that _plain_word never takes (not alphabetic), so such chunks
 * go to analyse() at once.
 *
 * split_hashtag on X (ASCII letters and '_' by now):
 *   camel_parts, findall of [A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\W\d_]+ (camel_part
 *   below): at a capital, [A-Z]+ takes the run of k capitals; if a lowercase letter
 *   follows, the lookahead fails and the regex backtracks to k - 1 capitals (followed by a
 *   capital: it holds) when k >= 2 ("BPJSGratis" -> BPJS, Gratis), else the second
 *   alternative takes the capital and the lowercase run ("Gratis"). At a lowercase letter
 *   only the second alternative matches: the lowercase run. [^\W\d_]+ is [A-Za-z]+ on ASCII,
 *   always preceded by an earlier alternative; '_' matches nothing and is skipped.
 *   Then a part that is all lowercase or all capitals is segmented (lowercased); a
 *   capitalised part ("Gratis": neither islower nor isupper) is one word, lowercased.
 * segment (segment_run below) is the same dynamic programme over the same loops in the same
 * order (j from min(n, i + MAX_WORD) down to i + 2, a split taken only when strictly
 * fewer words), so it picks the same segmentation among ties. is_segment follows
 * Normalizer._is_segment test for test; the known words and short segments are copied at
 * construction into byte sets (Normalizer.known is a frozenset: it cannot change; words that
 * are not ASCII cannot equal an ASCII probe and are left out). Every probe is counted
 * (segment_probes). A run is at most HASHTAG_CHUNK_MAX long, so the work is bounded.
 * ------------------------------------------------------------------------------------- */

#ifndef HASHTAG_CHUNKS_DEFAULT
#define HASHTAG_CHUNKS_DEFAULT 1
#endif
#define HASHTAG_CHUNK_MAX 64
/* Most prefixes (suffixes) accepted from the Normalizer. */
#define SEGMENT_AFFIX_MAX 32

static int
is_ascii_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int
is_ascii_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static void
byteset_free(ByteSet *set)
{
    PyMem_Free(set->slots);
    PyMem_Free(set->arena);
    memset(set, 0, sizeof(*set));
}

static int
byteset_has(const ByteSet *set, const char *s, size_t n)
{
    if (set->slots == NULL) {
        return 0;
    }
    uint64_t hash = hash_bytes(s, n);
    for (size_t i = (size_t)hash & set->mask;; i = (i + 1) & set->mask) {
        const ByteSlot *slot = &set->slots[i];
        if (!slot->used) {
            return 0;
        }
        if (slot->hash == hash && slot->len == n && memcmp(set->arena + slot->off, s, n) == 0) {
            return 1;
        }
    }
}

/* Add s (n bytes; not yet in the set); the slot table has room (built by byteset_build). */
static int
byteset_add(ByteSet *set, const char *s, size_t n)
{
    if (set->arena_len + n > set->arena_cap) {
        size_t cap = set->arena_cap ? set->arena_cap : 4096;
        while (cap < set->arena_len + n) {
            cap *= 2;
        }
        char *arena = PyMem_Realloc(set->arena, cap);
        if (arena == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        set->arena = arena;
        set->arena_cap = cap;
    }
    memcpy(set->arena + set->arena_len, s, n);
    uint64_t hash = hash_bytes(s, n);
    size_t i = (size_t)hash & set->mask;
    while (set->slots[i].used) {
        i = (i + 1) & set->mask;
    }
    set->slots[i] = (ByteSlot){hash, set->arena_len, (uint32_t)n, 1};
    set->arena_len += n;
    return 0;
}

/* The ASCII items of the frozenset `words` into *set: 1 when built, 0 when an item is not
 * an exact str (then the set may hold objects equal to a str probe: stage 3c stays off),
 * -1 on error. */
static int
byteset_build(ByteSet *set, PyObject *words)
{
    Py_ssize_t size = PySet_GET_SIZE(words);
    size_t nslots = 8;
    while (nslots < 2 * (size_t)size) {
        nslots *= 2;
    }
    set->slots = PyMem_Calloc(nslots, sizeof(ByteSlot));
    if (set->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    set->mask = nslots - 1;
    PyObject *it = PyObject_GetIter(words);
    if (it == NULL) {
        return -1;
    }
    PyObject *item;
    int status = 1;
    while (status == 1 && (item = PyIter_Next(it)) != NULL) {
        if (!PyUnicode_CheckExact(item)) {
            status = 0;
        }
        else if (PyUnicode_IS_ASCII(item)) {
            Py_ssize_t len = PyUnicode_GET_LENGTH(item);
            if (len > UINT32_MAX || byteset_add(set, (const char *)PyUnicode_DATA(item),
                                                (size_t)len) < 0) {
                status = -1;
            }
        }
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (status == 1 && PyErr_Occurred()) {
        status = -1;
    }
    return status;
}

/* Normalizer._is_segment(run[0:n]) for lowercase ASCII letters. */
static int
is_segment(FastNormalizer *self, const char *s, size_t n)
{
    Py_ssize_t np = PyTuple_GET_SIZE(self->h_prefixes);
    Py_ssize_t ns = PyTuple_GET_SIZE(self->h_suffixes);
    if (n < 3) {
        return byteset_has(&self->h_short, s, n);
    }
    self->stats[S_SEGMENT_PROBES]++;
    if (byteset_has(&self->h_known, s, n)) {
        return 1;
    }
    for (Py_ssize_t k = 0; k < np; k++) { /* prefix + known word */
        PyObject *p = PyTuple_GET_ITEM(self->h_prefixes, k);
        size_t pn = (size_t)PyUnicode_GET_LENGTH(p);
        if (n >= pn && memcmp(s, PyUnicode_DATA(p), pn) == 0) {
            self->stats[S_SEGMENT_PROBES]++;
            if (byteset_has(&self->h_known, s + pn, n - pn)) {
                return 1;
            }
        }
    }
    for (Py_ssize_t k = 0; k < ns; k++) { /* [prefix +] known root + suffix */
        PyObject *x = PyTuple_GET_ITEM(self->h_suffixes, k);
        size_t xn = (size_t)PyUnicode_GET_LENGTH(x);
        if (n < xn || n - xn < 3 || memcmp(s + n - xn, PyUnicode_DATA(x), xn) != 0) {
            continue;
        }
        size_t rn = n - xn;
        self->stats[S_SEGMENT_PROBES]++;
        if (byteset_has(&self->h_known, s, rn)) {
            return 1;
        }
        for (Py_ssize_t j = 0; j < np; j++) {
            PyObject *p = PyTuple_GET_ITEM(self->h_prefixes, j);
            size_t pn = (size_t)PyUnicode_GET_LENGTH(p);
            if (rn >= pn && memcmp(s, PyUnicode_DATA(p), pn) == 0) {
                self->stats[S_SEGMENT_PROBES]++;
                if (byteset_has(&self->h_known, s + pn, rn - pn)) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* hashtags.segment(run[0:n], _is_segment) as word ends: ends[0..count-1] (the last is n);
 * returns count (1 with ends[0] = n when the run is kept whole). n <= HASHTAG_CHUNK_MAX. */
static size_t
segment_run(FastNormalizer *self, const char *run, size_t n, size_t *ends)
{
    /* words[i], next[i]: fewest words of run[i:] and the end of its first word; words[i] ==
     * 0 for i < n: no segmentation (best[i] is None). */
    size_t words[HASHTAG_CHUNK_MAX + 1], next[HASHTAG_CHUNK_MAX + 1];
    if ((Py_ssize_t)n > self->h_max_run || is_segment(self, run, n)) {
        ends[0] = n;
        return 1;
    }
    words[n] = 0;
    next[n] = n;
    for (size_t i = n; i-- > 0;) {
        words[i] = 0;
        size_t top = (Py_ssize_t)(n - i) < self->h_max_word ? n : i + (size_t)self->h_max_word;
        for (size_t j = top; j > i + 1; j--) { /* range(min(n, i + MAX_WORD), i + 1, -1) */
            if ((j < n && words[j] == 0) || !is_segment(self, run + i, j - i)) {
                continue;
            }
            if (words[i] == 0 || words[j] + 1 < words[i]) {
                words[i] = words[j] + 1;
                next[i] = j;
            }
        }
    }
    if (words[0] == 0) {
        ends[0] = n;
        return 1;
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i = next[i]) {
        ends[count++] = next[i];
    }
    return count;
}

/* The camel part of x (m bytes of [A-Za-z_]) starting at x[i], a letter: its end, and in
 * *whole whether it is kept as one word (a capital then lowercase letters). */
static size_t
camel_part(const char *x, size_t m, size_t i, int *whole)
{
    size_t j = i;
    *whole = 0;
    if (is_ascii_upper(x[i])) {
        while (j < m && is_ascii_upper(x[j])) {
            j++;
        }
        if (j < m && is_ascii_lower(x[j])) { /* (?![a-z]) fails: back off one capital */
            if (j - i >= 2) {
                return j - 1;
            }
            *whole = 1; /* [A-Z]?[a-z]+ */
        }
        else {
            return j;
        }
    }
    while (j < m && is_ascii_lower(x[j])) {
        j++;
    }
    return j;
}

/* Entry state while a hashtag's words are added (strong references). */
typedef struct {
    uint32_t fields[NFIELDS];
    PyObject *texts;   /* list of the non-empty word texts */
    PyObject *spreads; /* list of the words' spread codes ("." for none) */
} HashtagAcc;

/* Add the stage-2 part of the lowercase word w (n bytes): 1, 0 when analyse_plain_word gives
 * up on it, -1 on error. */
static int
hashtag_add_word(FastNormalizer *self, HashtagAcc *acc, const char *w, size_t n)
{
    PyObject *word = PyUnicode_FromStringAndSize(w, (Py_ssize_t)n);
    if (word == NULL) {
        return -1;
    }
    Entry part;
    int handled = analyse_plain_word(self, word, w, n, &part);
    Py_DECREF(word);
    if (handled <= 0) {
        return handled;
    }
    part.fields[F_LETTERS] -= (uint32_t)n; /* the chunk's letters come from surface_counts */
    for (int f = 0; f < NFIELDS; f++) {
        acc->fields[f] += part.fields[f];
    }
    int status = 1;
    if (PyUnicode_GET_LENGTH(part.text) > 0 && PyList_Append(acc->texts, part.text) < 0) {
        status = -1;
    }
    if (status > 0 && PyList_Append(acc->spreads, part.spread) < 0) {
        status = -1;
    }
    entry_release(&part);
    return status;
}

/* Add the words of split_hashtag over X (x, m bytes of [A-Za-z_]): 1, 0 (give up), -1. */
static int
hashtag_add_words(FastNormalizer *self, HashtagAcc *acc, const char *x, size_t m)
{
    char low[HASHTAG_CHUNK_MAX];
    size_t ends[HASHTAG_CHUNK_MAX];
    for (size_t i = 0; i < m; i++) {
        low[i] = (char)(is_ascii_upper(x[i]) ? x[i] + ('a' - 'A') : x[i]);
    }
    size_t i = 0;
    while (i < m) {
        if (x[i] == '_') {
            i++;
            continue;
        }
        int whole;
        size_t end = camel_part(x, m, i, &whole);
        size_t count = 1;
        ends[0] = end - i;
        if (!whole) {
            count = segment_run(self, low + i, end - i, ends);
        }
        for (size_t k = 0, start = 0; k < count; start = ends[k], k++) {
            int status = hashtag_add_word(self, acc, low + i + start, ends[k] - start);
            if (status <= 0) {
                return status;
            }
        }
        i = end;
    }
    return 1;
}

/* The Entry (new references) from the words added: texts joined, spreads joined unless
 * only dots (then "."). */
static int
hashtag_entry(FastNormalizer *self, HashtagAcc *acc, Entry *out)
{
    PyObject *text = PyUnicode_Join(self->space, acc->texts);
    if (text == NULL) {
        return -1;
    }
    PyObject *spread = PyUnicode_Join(self->empty_text, acc->spreads);
    if (spread == NULL) {
        Py_DECREF(text);
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(spread);
    int dots = 1;
    for (Py_ssize_t i = 0; i < len && dots; i++) {
        dots = PyUnicode_READ_CHAR(spread, i) == '.';
    }
    if (dots) {
        Py_SETREF(spread, Py_NewRef(self->dot));
    }
    PyObject *tokens = tokens_of_text(self, text);
    if (tokens == NULL) {
        Py_DECREF(text);
        Py_DECREF(spread);
        return -1;
    }
    memcpy(out->fields, acc->fields, sizeof(out->fields));
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = tokens;
    out->spread = spread;
    return 0;
}

/* 1 with *out filled when the ASCII chunk `s` (n bytes) is #X P* (see above) and every word
 * of X is handled by analyse_plain_word; 0 when it must go elsewhere; -1 on error. */
static int
analyse_hashtag_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    if (n < 2 || n > HASHTAG_CHUNK_MAX || s[0] != '#' || s[1] == '_') {
        return 0;
    }
    size_t m = 1, digits = 0;
    while (m < n && (is_ascii_lower(s[m]) || is_ascii_upper(s[m]) ||
                     (s[m] >= '0' && s[m] <= '9') || s[m] == '_')) {
        digits += s[m] >= '0' && s[m] <= '9';
        m++;
    }
    if (m == 1) {
        return 0;
    }
    for (size_t i = m; i < n; i++) {
        if (s[i] == '\0' || strchr(SAFE_PUNCT, s[i]) == NULL) {
            return 0;
        }
    }
    if (digits > 0) {
        self->stats[S_PY_HASHTAGS]++;
        return 0;
    }
    HashtagAcc acc = {{0}, PyList_New(0), PyList_New(0)};
    int status = -1;
    if (acc.texts == NULL || acc.spreads == NULL) {
        goto done;
    }
    status = hashtag_add_words(self, &acc, s + 1, m - 1);
    if (status <= 0) {
        if (status == 0) {
            self->stats[S_PY_HASHTAGS]++;
        }
        goto done;
    }
    acc.fields[F_HASHTAG] += 1;
    for (size_t i = 0; i < n; i++) { /* surface_counts(chunk) */
        acc.fields[F_UPPER] += is_ascii_upper(s[i]);
        acc.fields[F_LETTERS] += is_ascii_upper(s[i]) || is_ascii_lower(s[i]);
        acc.fields[F_EXCLAMATION] += s[i] == '!';
        acc.fields[F_QUESTION] += s[i] == '?';
    }
    if (hashtag_entry(self, &acc, out) < 0) {
        status = -1;
        goto done;
    }
    self->stats[S_C_HASHTAGS]++;
done:
    Py_XDECREF(acc.texts);
    Py_XDECREF(acc.spreads);
    return status;
}

/* ----------------------------------------------------------------------------------------
 * Stage 4a: cleaning a non-ASCII post without calling clean_text
 *
 * charnorm.clean_text is fold_accents(strip_invisible(nfkc(text))), with a second pass when
 * the first changed something. charnorm.shortcut_ranges (built in Python from unicodedata
 * and clean_text's own tables, character by character) gives runs of characters where
 * clean_text is trivial: KEEP characters are left as they are by every step, DROP ones
 * (zero-width, bidi, variation selectors: what strip_invisible deletes) are deleted and
 * touch nothing else. Its docstring argues why this holds in any context, mixed with any
 * ASCII: each of these characters has NFKC_Quick_Check=Yes and combining class 0 (no
 * reordering, no composition with the character before), so by the quick check of UAX #15
 * the text is in NFKC, before and after the deletions; fold_accents maps none of them;
 * the second pass is then the identity. So for a text whose non-ASCII characters all lie
 * in the runs, clean_text(text) == text minus its DROP characters, which clean_shortcut
 * computes (the same object when nothing is dropped, as clean_text returns it). Any other
 * text, or a table not given (Normalizer passes it only while pipeline.clean_text is the
 * shipped function), goes to the clean() callback. stats(): c_clean_posts.
 * ------------------------------------------------------------------------------------- */

#define CLEAN_KEEP 0
#define CLEAN_DROP 1

/* CLEAN_KEEP or CLEAN_DROP of non-ASCII c from the runs; -1 when c is in none. */
static int
clean_action(const FastNormalizer *self, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = self->n_clean_runs;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        const CleanRun *run = &self->clean_runs[mid];
        if (c < run->first) {
            hi = mid;
        }
        else if (c > run->last) {
            lo = mid + 1;
        }
        else {
            return run->action;
        }
    }
    return -1;
}

/* clean_text(text) of a non-ASCII exact str by the shortcut: 1 with *out a new reference,
 * 0 when the shortcut does not apply (call clean()), -1 on error. */
static int
clean_shortcut(FastNormalizer *self, PyObject *text, PyObject **out)
{
    if (self->clean_runs == NULL || !self->clean_on) {
        return 0;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), drops = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x80) {
            int action = clean_action(self, c);
            if (action < 0) {
                return 0;
            }
            drops += action == CLEAN_DROP;
        }
    }
    self->stats[S_C_CLEAN_POSTS]++;
    if (drops == 0) {
        *out = Py_NewRef(text);
        return 1;
    }
    Py_UCS4 *buf = PyMem_Malloc((size_t)(len - drops + 1) * sizeof(Py_UCS4));
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80 || clean_action(self, c) == CLEAN_KEEP) {
            buf[n++] = c;
        }
    }
    *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return *out == NULL ? -1 : 1;
}

/* clean_text(text) of a non-ASCII exact str: the shortcut, else the clean() callback. */
static PyObject *
clean_non_ascii(FastNormalizer *self, PyObject *text)
{
    PyObject *cleaned = NULL;
    int done = clean_shortcut(self, text, &cleaned);
    if (done != 0) {
        return done < 0 ? NULL : cleaned;
    }
    cleaned = PyObject_CallOneArg(self->clean, text);
    if (cleaned != NULL && !PyUnicode_CheckExact(cleaned)) {
        Py_DECREF(cleaned);
        PyErr_SetString(PyExc_TypeError, "clean() must return a str");
        return NULL;
    }
    return cleaned;
}

/* ----------------------------------------------------------------------------------------
 * Stage 4b: chunks of emoji (with safe punctuation)
 *
 * A non-ASCII chunk of at most EMOJI_CHUNK_MAX (<= pipeline.MAX_PIECE: one piece)
 * characters, each of which is one of
 *   E  a character of emoji.EMOJI_CLASS that is no word character (\w),
 *   S  a skin-tone modifier (U+1F3FB..U+1F3FF: in neither class, no \w),
 *   R  a regional indicator (U+1F1E6..U+1F1FF),
 *   P  a character of SAFE_PUNCT,
 * the table pipeline.emoji_chunk_tables gives each E its emoji_token (None: adds nothing)
 * and each S None, and gives every pair of R its emoji_token. What
 * Normalizer._analyse_chunk does with it: chunk.isalpha() is false (no character is a
 * letter), so one piece goes through _piece, and surface_counts(chunk) is added.
 *
 * The tokenizer's matches (pipeline._token_re; '@' and '/' are not in the alphabet, so no
 * e-mail or path alternative). Which alternative can start at each character:
 * url ([Hh][Tt].. / [Ww]..), special ([uel]..), mention ('@'), hashtag ('#'), number
 * ([Rr] or \d), word ([^\W_]) need an ASCII letter, '@', '#' or a \w character: none
 * here (P: see stage 3a; E, S, R: not \w, hence not \d). flag needs two R in a row; emoji
 * needs one E (EMOJI_CLASS holds no R and no S). So finditer, going left to right: at an E
 * the emoji alternative matches that one character; at an R followed by an R the flag
 * alternative matches the pair (it comes first; emoji cannot match an R anyway), and the
 * search goes on after the pair; at an R not followed by an R, at an S or at a P nothing
 * matches, and the search moves one character on. No match can span more than these
 * characters, since none starts where a longer alternative could. analyse_emoji_chunk
 * scans the same way: each E gives its token, each pair of R (paired from the left of a
 * run, like the regex) gives its flag token, the rest gives nothing. _piece appends each
 * token that is not None and adds one emoji per token; no spread code is appended, so the
 * _Acc result is (" ".join(tokens), tokens * emoji, ""). surface_counts: no ASCII letter,
 * the '!' and '?' of the chunk. Tokens are "emoji:" + [a-z0-9_]+ (checked at
 * construction: non-empty, no whitespace), so text.split() gives them back.
 * Everything else goes on to the other stages and the analyse() callback: emoji next to a
 * letter or digit ("halo👋", keycaps "1⃣"), marks, characters of other blocks, longer
 * chunks. Variation selectors and zero-width joiners never reach a chunk (cleaning deletes
 * them), so a ZWJ family arrives as a run of E. stats(): c_emoji_chunks.
 * ------------------------------------------------------------------------------------- */

#ifndef EMOJI_CHUNKS_DEFAULT
#define EMOJI_CHUNKS_DEFAULT 1
#endif
/* Longest chunk taken (pipeline.MAX_PIECE is 256: such a chunk is one piece). */
#define EMOJI_CHUNK_MAX 48

/* The EmojiSingle of c, or NULL when c is no E or S character. */
static const EmojiSingle *
emoji_single(const FastNormalizer *self, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = self->n_emoji_singles;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_UCS4 code = self->emoji_singles[mid].code;
        if (c < code) {
            hi = mid;
        }
        else if (c > code) {
            lo = mid + 1;
        }
        else {
            return &self->emoji_singles[mid];
        }
    }
    return NULL;
}

static int
is_indicator(Py_UCS4 c)
{
    return c >= FIRST_INDICATOR && c < FIRST_INDICATOR + NINDICATORS;
}

/* 1 with *out filled when the non-ASCII exact str `chunk` is a chunk of emoji (see above);
 * 0 when it must go elsewhere; -1 on error. Calls nothing in Python. */
static int
analyse_emoji_chunk(FastNormalizer *self, PyObject *chunk, Entry *out)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(chunk), ntokens = 0;
    if (self->emoji_singles == NULL || n > EMOJI_CHUNK_MAX) {
        return 0;
    }
    int kind = PyUnicode_KIND(chunk);
    const void *data = PyUnicode_DATA(chunk);
    PyObject *found[EMOJI_CHUNK_MAX]; /* borrowed from the tables */
    uint32_t bang = 0, question = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyObject *token = NULL;
        if (c < 0x80) {
            if (c == 0 || strchr(SAFE_PUNCT, (int)c) == NULL) {
                return 0;
            }
            bang += c == '!';
            question += c == '?';
        }
        else if (is_indicator(c)) {
            if (i + 1 < n && is_indicator(PyUnicode_READ(kind, data, i + 1))) {
                Py_UCS4 d = PyUnicode_READ(kind, data, i + 1);
                token = self->emoji_flags[(c - FIRST_INDICATOR) * NINDICATORS +
                                          (d - FIRST_INDICATOR)];
                i++;
            }
        }
        else {
            const EmojiSingle *single = emoji_single(self, c);
            if (single == NULL) {
                return 0;
            }
            token = single->token;
        }
        if (token != NULL) {
            found[ntokens++] = token;
        }
    }
    PyObject *tokens = PyTuple_New(ntokens);
    if (tokens == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < ntokens; i++) {
        PyTuple_SET_ITEM(tokens, i, Py_NewRef(found[i]));
    }
    PyObject *text = PyUnicode_Join(self->space, tokens);
    if (text == NULL) {
        Py_DECREF(tokens);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[F_EMOJI] = (uint32_t)ntokens;
    out->fields[F_EXCLAMATION] = bang;
    out->fields[F_QUESTION] = question;
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(self->dot);
    self->stats[S_C_EMOJI_CHUNKS]++;
    return 1;
}

/* ----------------------------------------------------------------------------------------
 * Stage 3d: number chunks, hyphenated words and @name.digits mentions
 *
 * Three more ASCII chunk shapes (at most MISC_CHUNK_MAX <= pipeline.MAX_PIECE characters:
 * one piece), P one character of SAFE_PUNCT (see stage 3a: no tokenizer alternative starts
 * at a P, and neither the e-mail nor, without '/', the path alternative is compiled unless
 * the piece holds '@' or '/'). None of them is isalpha(), so _analyse_chunk gives the
 * _Acc of _piece(chunk) plus surface_counts(chunk).
 *
 * Number chunk  P* N P*, N one whole match of the number alternative
 *   (?:[Rr][Pp]\.?)?\d+(?:[.,:/]\d+)+%?|\d+%   (ASCII digits).
 *   Before N only P's: no match starts there. At N's first character ([Rr] or a digit) the
 *   alternatives before number fail: url needs [Hh]/[Ww], special u/e/l, mention '@',
 *   hashtag '#', e-mail is not compiled (no '@' in the chunk). So number is tried, and what
 *   it matches is found by number_match: the greedy path of the backtracking matcher is its
 *   first success, since once a [.,:/]\d+ group has matched nothing after it can fail (%?);
 *   giving back digits of \d+ only puts a digit where a separator is needed, and \.? left
 *   empty puts '.' where a digit is needed, so when the greedy path finds no group the first
 *   alternative fails, and \d+% (no Rp prefix) needs '%' right after the digits. The
 *   match ends at N's end: what follows is a P or nothing, and a P is neither a digit (for
 *   another group) nor '%'. The path alternative (compiled when N holds '/') comes after
 *   number, and the next search starts at a P. So the only match is N: _piece appends
 *   N.lower() and one number, no spread code: (N.lower(), number, "").
 *   Shapes left to other stages: a number part without separator, '%' or Rp prefix (a
 *   plain digit word is the word alternative, analysed by _word).
 *
 * Hyphenated word  P* W(-W)+ P*, W = [A-Za-z]+, whose lowercase form has at most MAX_WORD
 *   characters. At the first letter: url needs "www." or "http(s)://" (the first W is
 *   followed by '-', and there is no '/'), special needs "url:", "emoji:" or "laugh:"
 *   (again '-' follows the first W), number needs a digit (none, and [Rr][Pp] needs one
 *   after it), so the word alternative [^\W_]+(?:['.\-][^\W_]+)* matches, greedily all of
 *   W(-W)+: after it only P's, and a P ('.' included) is followed by a P or nothing, never
 *   by the letter or digit another ['.\-] group needs. _piece adds _word_part(lower): the
 *   word memo entry, that is _new_word_part(lower), where _plain_word declines (not
 *   isalpha) and _word runs on a word with '-': no "'", ASCII, no '.'; never laughter
 *   (_LAUGH_RE has no '-'); _slang on the whole word (clitics included); no digits; is
 *   _ELONGATED_RE, a letter three times, which elongated() finds (two '-' are never
 *   adjacent), collapse_elongation's port holds ('-' runs have length 1: never variable,
 *   kept by the default collapse; is_known_word asks no stem of a hyphenated candidate, as
 *   _is_known); _word_votes asks no stem (not isalpha); then the standard words, _emit and
 *   _stable exactly as for stage 2b: analyse_general_word does all of it. The chunk's _Acc
 *   holds that one part: text and spread code unchanged (the code is already "" when only
 *   dots), plus the chunk's surface counts (its letters are the word's [a-z] letters).
 *   Over MAX_WORD characters (_word drops the word) goes to Python.
 *
 * Dotted mention  @ [A-Za-z0-9_]+ . [0-9]+ P*  (no P before the '@': a '.' there would
 *   start an e-mail). The chunk holds one '@', at 0, where the e-mail alternative (compiled)
 *   fails ('@' is not in [\w.+-]) and so do url and special; mention @\w+ takes the name up
 *   to the '.'. At the '.', e-mail would need a later '@', nothing else starts there. At the
 *   first digit D: url, special, mention, hashtag fail; e-mail needs a later '@'; number
 *   needs a [.,:/] followed by a digit after D (only P's follow) or '%' (not a P); path is
 *   not compiled (no '/'); the word alternative takes D (the P after it is not followed by a
 *   letter or digit). Then only P's. So _piece adds @mention and one mention, then
 *   _word_part(D): _new_word_part(D): _plain_word declines (not isalpha); _word(D): no
 *   "'", ASCII, no '.', not laughter (D[0] is a digit); when _slang(D) is None (else the
 *   chunk goes to Python), D has digits and is not isalpha, so _digits(D): is_number(D)
 *   holds for [0-9]+ (_NUMBER_RE matches, _UNIT_SPLIT_RE needs letters), giving the token
 *   D and one number, no votes, no spread code; then _stable on the token. The chunk's
 *   text is "@mention" and that stabilised text (when not empty), counts mention + number
 *   + surface_counts(chunk), no spread code.
 * Each claimed chunk is also checked against the real regex in the tests.
 * ------------------------------------------------------------------------------------- */

/* Longest chunk taken (pipeline.MAX_PIECE is 256: such a chunk is one piece). */
#define MISC_CHUNK_MAX 48

static int
ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
safe_punct(char c)
{
    return c != '\0' && strchr(SAFE_PUNCT, c) != NULL;
}

/* Whether s[from:n] is all SAFE_PUNCT. */
static int
only_safe_punct(const char *s, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        if (!safe_punct(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* surface_counts of the ASCII chunk s[0:n], added to fields. */
static void
add_surface_counts(const char *s, size_t n, uint32_t *fields)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        fields[F_UPPER] += c >= 'A' && c <= 'Z';
        fields[F_LETTERS] += ascii_letter(c);
        fields[F_EXCLAMATION] += c == '!';
        fields[F_QUESTION] += c == '?';
    }
}

/* The length of the number alternative's match at s[0:n] (see the section comment), 0 when
 * it does not match there. */
static size_t
number_match(const char *s, size_t n)
{
    size_t i = 0;
    int prefix = n >= 2 && (s[0] == 'R' || s[0] == 'r') && (s[1] == 'P' || s[1] == 'p');
    if (prefix) {
        i = 2;
        if (i < n && s[i] == '.') { /* \.? greedy; left empty, a digit would be needed at '.' */
            i++;
        }
    }
    size_t digits = i;
    while (i < n && ascii_digit(s[i])) {
        i++;
    }
    if (i == digits) {
        return 0;
    }
    int groups = 0;
    while (i + 1 < n && s[i] != '\0' && strchr(".,:/", s[i]) != NULL && ascii_digit(s[i + 1])) {
        i++;
        while (i < n && ascii_digit(s[i])) {
            i++;
        }
        groups++;
    }
    if (groups > 0) {
        return i < n && s[i] == '%' ? i + 1 : i;
    }
    return !prefix && i < n && s[i] == '%' ? i + 1 : 0;
}

/* Fill *out (new references) with `text` (stolen), its tokens, the fields and no spread
 * code. 1, or -1 on error. */
static int
fill_misc_entry(FastNormalizer *self, PyObject *text, const uint32_t *fields, Entry *out)
{
    if (text == NULL) {
        return -1;
    }
    PyObject *tokens = tokens_of_text(self, text);
    if (tokens == NULL) {
        Py_DECREF(text);
        return -1;
    }
    memcpy(out->fields, fields, sizeof(out->fields));
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(self->dot);
    return 1;
}

/* A number chunk P* N P* (s of n ASCII bytes, n <= MISC_CHUNK_MAX): 1 with *out filled, 0
 * when the chunk is not one, -1 on error. */
static int
analyse_number_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    size_t a = 0;
    while (a < n && safe_punct(s[a])) {
        a++;
    }
    size_t len = number_match(s + a, n - a);
    if (len == 0 || !only_safe_punct(s, a + len, n)) {
        return 0;
    }
    char lower[MISC_CHUNK_MAX];
    for (size_t i = 0; i < len; i++) {
        char c = s[a + i];
        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    uint32_t fields[NFIELDS] = {0};
    fields[F_NUMBER] = 1;
    add_surface_counts(s, n, fields);
    int status =
        fill_misc_entry(self, PyUnicode_FromStringAndSize(lower, (Py_ssize_t)len), fields, out);
    if (status > 0) {
        self->stats[S_C_NUMBERS]++;
    }
    return status;
}

/* A hyphenated word chunk P* W(-W)+ P* (s of n ASCII bytes, n <= MISC_CHUNK_MAX): 1 with
 * *out filled, 0 when the chunk is not one or goes to Python, -1 on error. */
static int
analyse_hyphen_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    size_t a = 0, b;
    while (a < n && safe_punct(s[a])) {
        a++;
    }
    int hyphens = 0;
    b = a;
    for (;;) {
        size_t start = b;
        while (b < n && ascii_letter(s[b])) {
            b++;
        }
        if (b == start) {
            return 0; /* no letters at the start or after a '-' */
        }
        if (b + 1 < n && s[b] == '-' && ascii_letter(s[b + 1])) {
            b++;
            hyphens++;
            continue;
        }
        break;
    }
    if (hyphens == 0 || !only_safe_punct(s, b, n)) {
        return 0;
    }
    size_t wn = b - a;
    if ((Py_ssize_t)wn > self->w_max_word) {
        return 0;
    }
    char lower[MISC_CHUNK_MAX];
    for (size_t i = 0; i < wn; i++) {
        char c = s[a + i];
        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    PyObject *word = PyUnicode_FromStringAndSize(lower, (Py_ssize_t)wn);
    if (word == NULL) {
        return -1;
    }
    int handled = analyse_general_word(self, word, lower, wn, out);
    Py_DECREF(word);
    if (handled <= 0) {
        return handled;
    }
    /* analyse_general_word counted the letters, all the chunk's letters. */
    for (size_t i = 0; i < n; i++) {
        out->fields[F_UPPER] += s[i] >= 'A' && s[i] <= 'Z';
        out->fields[F_EXCLAMATION] += s[i] == '!';
        out->fields[F_QUESTION] += s[i] == '?';
    }
    self->stats[S_C_HYPHEN_WORDS]++;
    return 1;
}

/* A dotted mention chunk @name.D P* (s of n ASCII bytes, n <= MISC_CHUNK_MAX): 1 with *out
 * filled, 0 when the chunk is not one or goes to Python, -1 on error. */
static int
analyse_dotted_mention(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    if (n == 0 || s[0] != '@') {
        return 0;
    }
    size_t i = 1;
    while (i < n && (ascii_letter(s[i]) || ascii_digit(s[i]) || s[i] == '_')) {
        i++;
    }
    if (i == 1 || i + 1 >= n || s[i] != '.' || !ascii_digit(s[i + 1])) {
        return 0;
    }
    size_t d = i + 1, e = d;
    while (e < n && ascii_digit(s[e])) {
        e++;
    }
    if (!only_safe_punct(s, e, n)) {
        return 0;
    }
    PyObject *digits = PyUnicode_FromStringAndSize(s + d, (Py_ssize_t)(e - d));
    if (digits == NULL) {
        return -1;
    }
    PyObject *standard = slang_lookup(self, digits, s + d, e - d);
    if (standard != NULL || PyErr_Occurred()) {
        Py_DECREF(digits);
        Py_XDECREF(standard);
        return standard != NULL ? 0 : -1;
    }
    PyObject *tokens = PyList_New(0), *stable = NULL, *text = NULL;
    if (tokens != NULL && PyList_Append(tokens, digits) == 0) {
        stable = stable_text(self, tokens);
    }
    Py_DECREF(digits);
    Py_XDECREF(tokens);
    if (stable == NULL) {
        return -1;
    }
    if (!PyUnicode_CheckExact(stable)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be str");
        Py_DECREF(stable);
        return -1;
    }
    text = PyUnicode_GET_LENGTH(stable) > 0 ? PyUnicode_FromFormat("@mention %U", stable)
                                            : PyUnicode_FromString("@mention");
    Py_DECREF(stable);
    uint32_t fields[NFIELDS] = {0};
    fields[F_MENTION] = 1;
    fields[F_NUMBER] = 1;
    add_surface_counts(s, n, fields);
    int status = fill_misc_entry(self, text, fields, out);
    if (status > 0) {
        self->stats[S_C_DOTTED_MENTIONS]++;
    }
    return status;
}

/* Stage 3d on the ASCII chunk s[0:n]: 1 with *out filled, 0 when it must go elsewhere, -1
 * on error. */
static int
analyse_misc_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    if (n == 0 || n > MISC_CHUNK_MAX) {
        return 0;
    }
    int handled = analyse_number_chunk(self, s, n, out);
    if (handled == 0) {
        handled = analyse_hyphen_chunk(self, s, n, out);
    }
    if (handled == 0) {
        handled = analyse_dotted_mention(self, s, n, out);
    }
    return handled;
}

/* ----------------------------------------------------------------------------------------
 * Stage 3e: one ASCII alphanumeric run holding a digit, with safe punctuation around it
 *
 * A chunk P* X P*, X one run of [A-Za-z0-9] holding at least one digit ("rupa2", "Masing2,",
 * "2019", "20!", "(2019)", "5G", "s3n4ng", "covid19") and each P one character of SAFE_PUNCT
 * (stage 3a), of at most DIGIT_CHUNK_MAX characters (one piece).
 *
 * The tokenizer gives one match, X, of kind "word". As in stage 3a no alternative can start
 * at a P ('@' and '/' are not in the chunk, so the e-mail and path alternatives, the only
 * ones that may start with '.', are not compiled; every other one starts with a letter,
 * digit, '@', '#' or a non-ASCII character). At X's first character, in order:
 *   url: "http(s)://" needs '/'; "www." needs X == "www" (no digit) -- any longer X has an
 *        alphanumeric, not '.', after "www";
 *   special: "url:", "emoji:", "laugh:haha" need X to be exactly "url", "emoji" or "laugh"
 *        followed by ':' (none of them holds a digit);
 *   e-mail, mention, hashtag: need '@' or '#';
 *   number: "\d+%" needs '%' (not in SAFE_PUNCT); "(?:[Rr][Pp]\.?)?\d+(?:[.,:/]\d+)+%?"
 *        needs, after its first run of digits, one of [.,:/] and then a digit. Inside X
 *        the run of digits is followed by a letter or by X's end; after X come only P's, so
 *        a '.', ',' or ':' there is followed by another P or the end, never a digit. (A '.'
 *        between digits, "1.5" or "50.000", makes two alphanumeric runs: not this shape.)
 *   word: [^\W_]+ takes all of X and stops at the first P; (?:['.\-][^\W_]+)* needs an
 *        alphanumeric after a '.', and only P's follow X.
 * So the match is X as a "word" (the tests check every claimed chunk with the real regex),
 * the next search starts at a P or the end, and _analyse_chunk (not isalpha(): X holds a
 * digit) gives _Acc.add(_word_part(X)).result() plus surface_counts(chunk). _word_part(X) is
 * the word memo entry of w = lower(X), i.e. _new_word_part(w) (_plain_word(w) is None: w
 * is not alphabetic), which is what digit_word computes, followed by _stable of each token.
 *
 * _word(w): no "'" or '.', ASCII; no laughter (every alternative of elongation._LAUGH_RE is
 * made of letters, and w holds a digit); then _slang(w) -- slang goes to Python -- then
 * _digits(w), ported step by step (is_number, split_number_word, expand_reduplication,
 * deleet with _is_known, on the lowercase alphanumeric w where the patterns of
 * monitor.text.digits reduce to the forms written above each function below). A word that
 * _digits resolves goes through digit_word_tail, the tail of _word for a word that is not
 * slang and not elongated (slang and elongated ones go to Python). Stems come from the
 * Python stemmer, asked for the same words in the same order as the Python path.
 * ------------------------------------------------------------------------------------- */

#define DIGIT_CHUNK_MAX 48
/* Most letters a digit may stand for (digits.LEET; checked at construction). */
#define LEET_MAX_OPTIONS 4
/* Most tokens _digits and the tail give one word before stabilisation: a number, a word. */
#define DIGIT_MAX_TOKENS 2
/* The optional suffixes of digits._REDUP_RE, "" for none. */
#define NREDUP_SUFFIXES 9
static const char *const REDUP_SUFFIXES[NREDUP_SUFFIXES] = {
    "", "nya", "an", "kan", "i", "lah", "ku", "mu", "pun",
};


static int
ascii_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* What Normalizer._word puts in its _Acc for one word: the tokens before stabilisation
 * (new references), the packed fields and the spread code appended (NULL: none). */
typedef struct {
    PyObject *tokens[DIGIT_MAX_TOKENS];
    int ntokens;
    uint32_t fields[NFIELDS];
    PyObject *code;
} WordAcc;

static void
word_acc_release(WordAcc *acc)
{
    for (int i = 0; i < acc->ntokens; i++) {
        Py_CLEAR(acc->tokens[i]);
    }
    acc->ntokens = 0;
    Py_CLEAR(acc->code);
}

/* Append a token (a new reference, stolen; NULL: an error already set). */
static int
word_acc_push(WordAcc *acc, PyObject *token)
{
    if (token == NULL) {
        return -1;
    }
    if (acc->ntokens == DIGIT_MAX_TOKENS) { /* cannot happen: see DIGIT_MAX_TOKENS */
        Py_DECREF(token);
        PyErr_SetString(PyExc_SystemError, "_cnorm: too many tokens for one word");
        return -1;
    }
    acc->tokens[acc->ntokens++] = token;
    return 0;
}

/* Whether Normalizer._slang(word) is not None (clitic rule included), for `word`, an exact
 * str of the n ASCII bytes s: 1 or 0, -1 on error. */
static int
is_slang(FastNormalizer *self, PyObject *word, const char *s, size_t n)
{
    int found = PySet_Contains(self->w_slang_keys, word);
    for (int c = 0; found == 0 && c < NCLITICS; c++) {
        size_t len = strlen(CLITICS[c]);
        if (n >= len + 2 && memcmp(s + n - len, CLITICS[c], len) == 0) {
            PyObject *base = PyUnicode_FromStringAndSize(s, (Py_ssize_t)(n - len));
            if (base == NULL) {
                return -1;
            }
            found = PySet_Contains(self->w_slang_keys, base);
            Py_DECREF(base);
        }
    }
    return found;
}

/* digits.deleet(s, Normalizer._is_known) for s, n <= DIGIT_CHUNK_MAX lowercase ASCII
 * alphanumerics: 1 with the known word in out (n bytes), 0 for None, -1 on error. The
 * candidates come in itertools.product order (the last digit changes fastest), at most
 * MAX_LEET_CANDIDATES of them. */
static int
leet_word(FastNormalizer *self, const char *s, size_t n, char *out)
{
    size_t pos[DIGIT_CHUNK_MAX], npos = 0, letters = 0;
    int choice[DIGIT_CHUNK_MAX];
    for (size_t i = 0; i < n; i++) {
        out[i] = s[i];
        if (ascii_digit(s[i])) {
            pos[npos] = i;
            choice[npos++] = 0;
        }
        else {
            letters++;
        }
    }
    if (npos == 0 || letters == 0) { /* word.isdigit(), no digit, no letter */
        return 0;
    }
    for (size_t k = 0; k < npos; k++) {
        int d = s[pos[k]] - '0';
        if (self->d_nleet[d] == 0) { /* LEET.get(char) is None */
            return 0;
        }
        out[pos[k]] = self->d_leet[d][0];
    }
    for (Py_ssize_t count = 0; count < self->d_max_leet; count++) {
        int known = is_known_word(self, out, n);
        if (known != 0) {
            return known;
        }
        int advanced = 0;
        for (size_t k = npos; k-- > 0 && !advanced;) {
            int d = s[pos[k]] - '0';
            if (++choice[k] < self->d_nleet[d]) {
                advanced = 1;
            }
            else {
                choice[k] = 0;
            }
            out[pos[k]] = self->d_leet[d][choice[k]];
        }
        if (!advanced) { /* every combination tried */
            return 0;
        }
    }
    return 0;
}

/* digits._NUMBER_RE on s, n lowercase ASCII alphanumerics: it matches exactly when s is
 * (rp)?[0-9]+[a-z]*; then the length of (rp)?[0-9]+ (group 1 of _UNIT_SPLIT_RE when letters
 * follow, group 2 being the letters), else 0. */
static size_t
number_part(const char *s, size_t n)
{
    size_t i = n >= 3 && s[0] == 'r' && s[1] == 'p' && ascii_digit(s[2]) ? 2 : 0;
    size_t start = i;
    while (i < n && ascii_digit(s[i])) {
        i++;
    }
    if (i == start) {
        return 0;
    }
    for (size_t j = i; j < n; j++) {
        if (!ascii_lower(s[j])) {
            return 0;
        }
    }
    return i;
}

/* digits._REDUP_RE.fullmatch on s, n lowercase ASCII alphanumerics: the length k of group 1
 * (s[k] == '2', s[k + 1:] one of the suffixes or "") of the match found, the shortest base
 * since the base is lazy; 0 when there is none. */
static size_t
redup_base(const char *s, size_t n)
{
    if (n == 0 || !ascii_lower(s[0])) { /* [^\W\d_]: a letter first */
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if (s[k] != '2') {
            continue;
        }
        size_t rest = n - k - 1;
        for (int i = 0; i < NREDUP_SUFFIXES; i++) {
            if (strlen(REDUP_SUFFIXES[i]) == rest && memcmp(s + k + 1, REDUP_SUFFIXES[i], rest) == 0) {
                return k;
            }
        }
    }
    return 0;
}

/* pack_votes(Normalizer._word_votes(word)) added to fields, for `word` of n characters
 * (alpha: all letters). The stem is asked, as there, only for an alphabetic word of more
 * than 3 characters that is not shared vocabulary by the set tests; add_votes is then given
 * that stem, else n = 0 so that it never asks for one. */
static int
digit_word_votes(FastNormalizer *self, PyObject *word, size_t n, int alpha, uint32_t *fields)
{
    PyObject *stem = NULL;
    if (alpha && n > 3) {
        int shared = PySet_Contains(self->w_shared_or_slang, word);
        if (shared > 0) {
            int other = PySet_Contains(self->w_other_markers, word);
            shared = other < 0 ? -1 : !other;
        }
        if (shared == 0) {
            shared = PySet_Contains(self->w_shared_vocabulary, word);
        }
        if (shared < 0) {
            return -1;
        }
        if (shared == 0 && (stem = call_stem(self, word)) == NULL) {
            return -1;
        }
    }
    PyObject *marker = PyDict_GetItemWithError(self->w_marker_votes, word);
    if (marker == NULL && PyErr_Occurred()) {
        Py_XDECREF(stem);
        return -1;
    }
    Py_XINCREF(marker);
    int status = add_votes(self, word, stem != NULL ? n : 0, stem, marker, fields, -1);
    Py_XDECREF(marker);
    Py_XDECREF(stem);
    return status;
}

/* The tail of Normalizer._word once _digits has resolved the word: `word`, an exact str of
 * the n ASCII bytes s (lowercase letters, and '-' for a reduplication; alpha: no '-').
 * 0 when it is slang (_slang(word) is not None) or elongated: the general path, left to
 * Python. Else 1, after adding to acc what _word adds: nothing when it is longer than
 * MAX_WORD, else pack_votes(_word_votes(word)), its spread code (and the spread count when
 * the code is not ".") and the token of _emit(word). -1 on error. */
static int
digit_word_tail(FastNormalizer *self, PyObject *word, const char *s, size_t n, int alpha,
                WordAcc *acc)
{
    int slang = is_slang(self, word, s, n);
    if (slang != 0) {
        return slang < 0 ? -1 : 0;
    }
    for (size_t i = 0; i + 2 < n; i++) { /* elongation._ELONGATED_RE: a letter thrice */
        if (ascii_lower(s[i]) && s[i] == s[i + 1] && s[i] == s[i + 2]) {
            return 0;
        }
    }
    if ((Py_ssize_t)n > self->w_max_word) {
        return 1;
    }
    if (digit_word_votes(self, word, n, alpha, acc->fields) < 0) {
        return -1;
    }
    PyObject *code = PyDict_GetItemWithError(self->w_spread_codes, word);
    if (code == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        code = self->dot;
    }
    if (!PyUnicode_CheckExact(code)) {
        PyErr_SetString(PyExc_TypeError, "spread codes must be str");
        return -1;
    }
    if (PyUnicode_CompareWithASCIIString(code, ".") != 0) {
        acc->fields[F_SPREAD] += 1;
    }
    Py_XSETREF(acc->code, Py_NewRef(code));
    /* _emit(word) */
    int stopword = PySet_Contains(self->w_stopwords, word);
    if (stopword != 0) {
        return stopword < 0 ? -1 : 1;
    }
    PyObject *stem = call_stem(self, word);
    if (stem == NULL) {
        return -1;
    }
    int drop = PyUnicode_GET_LENGTH(stem) == 0 ? 1 : PySet_Contains(self->w_stopwords, stem);
    if (drop < 0) {
        Py_DECREF(stem);
        return -1;
    }
    if (drop) {
        Py_SETREF(stem, Py_NewRef(word));
    }
    return word_acc_push(acc, stem) < 0 ? -1 : 1;
}

/* The tail for the resolved word s[0:n] (see digit_word_tail). */
static int
digit_word_tail_of(FastNormalizer *self, const char *s, size_t n, int alpha, WordAcc *acc)
{
    PyObject *word = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    if (word == NULL) {
        return -1;
    }
    int status = digit_word_tail(self, word, s, n, alpha, acc);
    Py_DECREF(word);
    return status;
}

/* Normalizer._word(w) into acc for `word` == w, an exact str of the n <= DIGIT_CHUNK_MAX
 * lowercase ASCII alphanumerics s holding a digit: 1 when done, 0 when w or the word _digits
 * resolves it to is slang or elongated (Python's), -1 on error. */
static int
digit_word(FastNormalizer *self, PyObject *word, const char *s, size_t n, WordAcc *acc)
{
    int slang = is_slang(self, word, s, n);
    if (slang != 0) {
        return slang < 0 ? -1 : 0;
    }
    /* is_number(w), else split_number_word(w) */
    size_t p = number_part(s, n);
    if (p > 0) {
        int unit = 1; /* no letters after the number */
        if (p < n) {
            PyObject *letters = PyUnicode_FromStringAndSize(s + p, (Py_ssize_t)(n - p));
            if (letters == NULL) {
                return -1;
            }
            unit = PySet_Contains(self->d_units, letters);
            Py_DECREF(letters);
            if (unit < 0) {
                return -1;
            }
        }
        acc->fields[F_NUMBER] += 1;
        if (unit) {
            return word_acc_push(acc, Py_NewRef(word)) < 0 ? -1 : 1;
        }
        if (word_acc_push(acc, PyUnicode_FromStringAndSize(s, (Py_ssize_t)p)) < 0) {
            return -1;
        }
        return digit_word_tail_of(self, s + p, n - p, 1, acc);
    }
    /* expand_reduplication(w): base-base+suffix, the base read through deleet if it holds
     * a digit (kept as written when deleet finds nothing) */
    size_t k = redup_base(s, n);
    if (k >= 3 && memchr(s, '2', k) == NULL) {
        char redup[2 * DIGIT_CHUNK_MAX + 1];
        memcpy(redup, s, k);
        int leet = 0;
        for (size_t i = 0; i < k; i++) {
            leet |= ascii_digit(s[i]);
        }
        if (leet) {
            int found = leet_word(self, s, k, redup);
            if (found <= 0) {
                return found < 0 ? -1 : word_acc_push(acc, Py_NewRef(word)) < 0 ? -1 : 1;
            }
        }
        size_t suffix = n - k - 1;
        redup[k] = '-';
        memcpy(redup + k + 1, redup, k);
        memcpy(redup + 2 * k + 1, s + k + 1, suffix);
        return digit_word_tail_of(self, redup, 2 * k + 1 + suffix, 0, acc);
    }
    /* deleet(w); a code such as covid19, g20 or h5n1 is kept as written */
    char plain[DIGIT_CHUNK_MAX];
    int found = leet_word(self, s, n, plain);
    if (found <= 0) {
        return found < 0 ? -1 : word_acc_push(acc, Py_NewRef(word)) < 0 ? -1 : 1;
    }
    return digit_word_tail_of(self, plain, n, 1, acc);
}

/* " ".join of Normalizer._stable(t) for every t in " ".join(acc's tokens).split()
 * (_new_word_part): a new reference to an exact str. */
static PyObject *
stable_word_text(FastNormalizer *self, const WordAcc *acc)
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        return NULL;
    }
    for (int i = 0; i < acc->ntokens; i++) {
        PyObject *split = PyUnicode_Split(acc->tokens[i], NULL, -1);
        if (split == NULL) {
            goto error;
        }
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(split); j++) {
            PyObject *stable = call_stable(self, PyList_GET_ITEM(split, j));
            int failed = stable == NULL ||
                         (PyUnicode_GET_LENGTH(stable) > 0 && PyList_Append(parts, stable) < 0);
            Py_XDECREF(stable);
            if (failed) {
                Py_DECREF(split);
                goto error;
            }
        }
        Py_DECREF(split);
    }
    PyObject *text = PyUnicode_Join(self->space, parts);
    Py_DECREF(parts);
    return text;
error:
    Py_DECREF(parts);
    return NULL;
}

/* A word with digits that is slang as written (masing2, s3n4ng, with a clitic too): _word
 * looks slang up before _digits, so what follows is stage 2b's general path, where the
 * standard words are found first (no elongation, no digits), the votes ask no stem (the
 * word is not isalpha()) and the letters counted are its [a-z] ones -- all of the chunk's
 * letters. Not laughter: the laughter pattern has no digits. 1 with *out filled, 0 when the
 * word is no slang (digit_word decides), -1 on error. */
static int
analyse_slang_digit_word(FastNormalizer *self, PyObject *word, const char *s, size_t n,
                         Entry *out)
{
    int slang = is_slang(self, word, s, n);
    if (slang <= 0) {
        return slang;
    }
    return analyse_general_word(self, word, s, n, out);
}

/* 1 with *out filled when the ASCII chunk s (n bytes) is P* X P* (see above) and
 * digit_word handles lower(X); 0 when it must go elsewhere; -1 on error. */
static int
analyse_digit_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    size_t a = 0, b, digits = 0;
    char lower[DIGIT_CHUNK_MAX + 1];
    if (n > DIGIT_CHUNK_MAX) {
        return 0;
    }
    while (a < n && s[a] != '\0' && strchr(SAFE_PUNCT, s[a]) != NULL) {
        a++;
    }
    for (b = a; b < n; b++) {
        char c = s[b];
        if (ascii_digit(c)) {
            digits++;
        }
        else if (!ascii_lower(c) && !(c >= 'A' && c <= 'Z')) {
            break;
        }
    }
    if (digits == 0) {
        return 0;
    }
    for (size_t i = b; i < n; i++) {
        if (s[i] == '\0' || strchr(SAFE_PUNCT, s[i]) == NULL) {
            return 0;
        }
    }
    size_t wn = b - a;
    for (size_t i = 0; i < wn; i++) {
        char c = s[a + i];
        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    PyObject *word = PyUnicode_FromStringAndSize(lower, (Py_ssize_t)wn);
    if (word == NULL) {
        return -1;
    }
    if (self->general_words && (Py_ssize_t)wn <= self->w_max_word) {
        int handled = analyse_slang_digit_word(self, word, lower, wn, out);
        if (handled != 0) {
            Py_DECREF(word);
            if (handled > 0) {
                for (size_t i = 0; i < n; i++) { /* the letters are counted already */
                    out->fields[F_UPPER] += s[i] >= 'A' && s[i] <= 'Z';
                    out->fields[F_EXCLAMATION] += s[i] == '!';
                    out->fields[F_QUESTION] += s[i] == '?';
                }
                self->stats[S_C_DIGIT_WORDS]++;
            }
            return handled;
        }
    }
    WordAcc acc = {{NULL}, 0, {0}, NULL};
    int status = digit_word(self, word, lower, wn, &acc);
    Py_DECREF(word);
    PyObject *text = NULL, *tokens = NULL;
    if (status > 0) {
        text = stable_word_text(self, &acc);
        tokens = text != NULL ? tokens_of_text(self, text) : NULL;
        status = tokens != NULL ? 1 : -1;
    }
    if (status <= 0) {
        if (status == 0) {
            self->stats[S_PY_DIGIT_WORDS]++;
        }
        Py_XDECREF(text);
        word_acc_release(&acc);
        return status;
    }
    memcpy(out->fields, acc.fields, sizeof(out->fields));
    for (size_t i = 0; i < n; i++) { /* surface_counts(chunk) */
        char c = s[i];
        out->fields[F_UPPER] += c >= 'A' && c <= 'Z';
        out->fields[F_LETTERS] += (c >= 'A' && c <= 'Z') || ascii_lower(c);
        out->fields[F_EXCLAMATION] += c == '!';
        out->fields[F_QUESTION] += c == '?';
    }
    /* _Acc.result, twice (word, chunk): a code of dots only, or none, is "" (stored ".") */
    int dots = 1;
    if (acc.code != NULL) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(acc.code);
        for (Py_ssize_t i = 0; i < len && dots; i++) {
            dots = PyUnicode_READ_CHAR(acc.code, i) == '.';
        }
    }
    out->hash = 0;
    out->key_off = 0;
    out->key_len = 0;
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(dots ? self->dot : acc.code);
    word_acc_release(&acc);
    self->stats[S_C_DIGIT_WORDS]++;
    return 1;
}

/* Add chunk cleaned[start:end] to the post: from the memo, else from analyse(chunk).
 * `key` is its UTF-8 form when it may be memoised, else NULL. */
static int
resolve_chunk(FastNormalizer *self, Post *post, PyObject *cleaned, Py_ssize_t start,
              Py_ssize_t end, const char *key, size_t key_len)
{
    uint64_t hash = 0;
    if (key != NULL) {
        hash = hash_bytes(key, key_len);
        int failed = 0;
        Entry *e = memo_get(&self->memo, hash, key, key_len, &failed);
        if (e != NULL) {
            return post_add(self, post, e);
        }
        if (failed) {
            return -1;
        }
    }
    PyObject *chunk = PyUnicode_Substring(cleaned, start, end);
    if (chunk == NULL) {
        return -1;
    }
    /* Stage 2: plain words are analysed here (their key is their UTF-8, hence ASCII);
     * stage 3b: one URL or mention (analyse_link_chunk); stage 3a: a word with capitals
     * and/or safe punctuation (analyse_word_chunk); stage 3c: a hashtag
     * (analyse_hashtag_chunk); stage 3d: a number, a hyphenated word or a dotted mention
     * (analyse_misc_chunk); stage 3e: an alphanumeric run with a digit (analyse_digit_chunk);
     * stage 4b: a chunk of emoji (analyse_emoji_chunk). The shapes are disjoint. */
    if (key != NULL && self->w_slang_keys != NULL) {
        Entry value;
        int handled = 0;
        if (!PyUnicode_IS_ASCII(chunk)) {
            if (self->emoji_chunks) {
                handled = analyse_emoji_chunk(self, chunk, &value);
            }
        }
        else if ((handled = analyse_plain_word(self, chunk, key, key_len, &value)) > 0) {
            self->stats[S_C_WORDS]++;
        }
        if (handled == 0 && self->link_chunks) {
            handled = analyse_link_chunk(self, key, key_len, &value);
        }
        if (handled == 0 && self->hashtag_chunks && self->h_prefixes != NULL) {
            handled = analyse_hashtag_chunk(self, key, key_len, &value);
        }
        if (handled == 0 && self->word_chunks) {
            handled = analyse_word_chunk(self, key, key_len, &value);
        }
        if (handled == 0 && self->misc_chunks) {
            handled = analyse_misc_chunk(self, key, key_len, &value);
        }
        if (handled == 0 && self->digit_words) {
            handled = analyse_digit_chunk(self, key, key_len, &value);
        }
        if (handled != 0) {
            Py_DECREF(chunk);
            if (handled < 0) {
                return -1;
            }
            /* From here to post_add nothing calls into Python. */
            Entry *e = memo_put(&self->memo, hash, key, key_len, &value);
            int status = e == NULL ? -1 : post_add(self, post, e);
            entry_release(&value);
            return status;
        }
    }
    self->stats[S_PYTHON]++;
    PyObject *contribution = NULL;
    if (key == NULL) { /* not memoised: analysed once per call */
        if (post->long_done == NULL && (post->long_done = PyDict_New()) == NULL) {
            Py_DECREF(chunk);
            return -1;
        }
        contribution = PyDict_GetItemWithError(post->long_done, chunk);
        if (contribution != NULL) {
            Py_INCREF(contribution);
        }
        else if (!PyErr_Occurred()) {
            contribution = PyObject_CallOneArg(self->analyse, chunk);
            if (contribution != NULL &&
                PyDict_SetItem(post->long_done, chunk, contribution) < 0) {
                Py_CLEAR(contribution);
            }
        }
    }
    else {
        contribution = PyObject_CallOneArg(self->analyse, chunk);
    }
    Py_DECREF(chunk);
    if (contribution == NULL) {
        return -1;
    }
    Entry value;
    int status = entry_from_contribution(self, contribution, &value);
    Py_DECREF(contribution);
    if (status < 0) {
        return -1;
    }
    /* From here to post_add nothing calls into Python. */
    if (key != NULL) {
        Entry *e = memo_put(&self->memo, hash, key, key_len, &value);
        status = e == NULL ? -1 : post_add(self, post, e);
    }
    else {
        status = post_add(self, post, &value);
    }
    entry_release(&value);
    return status;
}

/* UTF-8 of cleaned[start:end] into buf; 0 when it holds a surrogate (never after cleaning). */
static size_t
utf8_key(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, char *buf)
{
    size_t n = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            buf[n++] = (char)c;
        }
        else if (c < 0x800) {
            buf[n++] = (char)(0xC0 | (c >> 6));
            buf[n++] = (char)(0x80 | (c & 0x3F));
        }
        else if (c < 0x10000) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                return 0;
            }
            buf[n++] = (char)(0xE0 | (c >> 12));
            buf[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[n++] = (char)(0x80 | (c & 0x3F));
        }
        else {
            buf[n++] = (char)(0xF0 | (c >> 18));
            buf[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            buf[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return n;
}

/* Split `cleaned` like str.split() and add every chunk to the post. */
static int
collect_chunks(FastNormalizer *self, Post *post, PyObject *cleaned)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(cleaned);
    Py_ssize_t max_chunk = self->max_memo_chunk;
    if (PyUnicode_IS_ASCII(cleaned)) {
        const char *data = (const char *)PyUnicode_1BYTE_DATA(cleaned);
        Py_ssize_t i = 0;
        while (i < len) {
            while (i < len && ascii_space[(unsigned char)data[i]]) {
                i++;
            }
            if (i == len) {
                break;
            }
            Py_ssize_t start = i;
            while (i < len && !ascii_space[(unsigned char)data[i]]) {
                i++;
            }
            Py_ssize_t n = i - start;
            if (resolve_chunk(self, post, cleaned, start, i, n <= max_chunk ? data + start : NULL,
                              (size_t)n) < 0) {
                return -1;
            }
        }
        return 0;
    }
    int kind = PyUnicode_KIND(cleaned);
    const void *data = PyUnicode_DATA(cleaned);
    Py_ssize_t i = 0;
    while (i < len) {
        while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        if (i == len) {
            break;
        }
        Py_ssize_t start = i;
        while (i < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        const char *key = NULL;
        size_t key_len = 0;
        if (i - start <= max_chunk) {
            key_len = utf8_key(kind, data, start, i, post->keybuf);
            key = key_len > 0 ? post->keybuf : NULL;
        }
        if (resolve_chunk(self, post, cleaned, start, i, key, key_len) < 0) {
            return -1;
        }
    }
    return 0;
}

/* " ".join of the post's non-empty texts. */
static PyObject *
join_texts(FastNormalizer *self, Post *post)
{
    if (post->ntexts == 0) {
        return Py_NewRef(self->empty_text);
    }
    if (post->ntexts == 1) {
        for (size_t i = 0; i < post->nparts; i++) {
            if (post->parts[i].text != NULL) {
                return Py_NewRef(post->parts[i].text);
            }
        }
    }
    Py_ssize_t total = post->text_len + post->ntexts - 1;
    PyObject *out = PyUnicode_New(total, post->maxchar);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    if (post->maxchar < 128) {
        char *dst = (char *)PyUnicode_1BYTE_DATA(out);
        for (size_t i = 0; i < post->nparts; i++) {
            PyObject *text = post->parts[i].text;
            if (text == NULL) {
                continue;
            }
            if (pos > 0) {
                dst[pos++] = ' ';
            }
            Py_ssize_t n = PyUnicode_GET_LENGTH(text);
            memcpy(dst + pos, PyUnicode_1BYTE_DATA(text), (size_t)n);
            pos += n;
        }
        return out;
    }
    int kind = PyUnicode_KIND(out);
    void *dst = PyUnicode_DATA(out);
    for (size_t i = 0; i < post->nparts; i++) {
        PyObject *text = post->parts[i].text;
        if (text == NULL) {
            continue;
        }
        if (pos > 0) {
            PyUnicode_WRITE(kind, dst, pos, ' ');
            pos++;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        if (PyUnicode_CopyCharacters(out, pos, text, 0, n) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        pos += n;
    }
    return out;
}

static PyObject *
join_tokens(Post *post)
{
    PyObject *tokens = PyTuple_New(post->ntokens);
    if (tokens == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    for (size_t i = 0; i < post->nparts; i++) {
        PyObject *part = post->parts[i].tokens;
        if (part == NULL) {
            continue;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(part);
        for (Py_ssize_t k = 0; k < n; k++) {
            PyTuple_SET_ITEM(tokens, pos++, Py_NewRef(PyTuple_GET_ITEM(part, k)));
        }
    }
    untrack_if_atomic(tokens);
    return tokens;
}

static PyObject *
count_float(FastNormalizer *self, uint64_t value)
{
    if (value < FLOAT_CACHE) {
        return Py_NewRef(self->floats[value]);
    }
    return PyFloat_FromDouble((double)value);
}

/* builtins.sum over a tuple of floats (the first item, then the others added to it). */
static double
python_float_sum(const double *x, int n)
{
    double result = x[0];
#if PY_VERSION_HEX >= 0x030C0000
    /* Python 3.12+: Neumaier's compensated summation, as in builtin_sum_impl. */
    double c = 0.0;
    for (int i = 1; i < n; i++) {
        double t = result + x[i];
        if (fabs(result) >= fabs(x[i])) {
            c += (result - t) + x[i];
        }
        else {
            c += (x[i] - t) + result;
        }
        result = t;
    }
    if (c && isfinite(c)) {
        result += c;
    }
#else
    for (int i = 1; i < n; i++) {
        result += x[i];
    }
#endif
    return result;
}

/* The post's language: (language, confidence, code-mix ratio), new references. */
static int
decide_language(FastNormalizer *self, Post *post, PyObject *cleaned, PyObject **language,
                PyObject **confidence, PyObject **mix)
{
    double votes[NLANGS];
    for (int i = 0; i < NLANGS; i++) {
        votes[i] = (double)post->sums[F_ID + i] / self->vote_scale;
    }
    uint64_t known = post->sums[F_KNOWN], unknown = post->sums[F_UNKNOWN];
    /* needs_fallback(votes, known, unknown) */
    if (python_float_sum(votes, NLANGS) < self->min_lexical_votes ||
        (double)unknown > self->unknown_ratio * (double)known + 1.0) {
        PyObject *vote_tuple = PyTuple_New(NLANGS);
        if (vote_tuple == NULL) {
            return -1;
        }
        for (int i = 0; i < NLANGS; i++) {
            PyObject *v = PyFloat_FromDouble(votes[i]);
            if (v == NULL) {
                Py_DECREF(vote_tuple);
                return -1;
            }
            PyTuple_SET_ITEM(vote_tuple, i, v);
        }
        PyObject *result = PyObject_CallFunction(self->fallback, "NKKO", vote_tuple,
                                                 (unsigned long long)known,
                                                 (unsigned long long)unknown, cleaned);
        if (result == NULL) {
            return -1;
        }
        if (!PyTuple_Check(result) || PyTuple_GET_SIZE(result) != 3) {
            Py_DECREF(result);
            PyErr_SetString(PyExc_TypeError, "fallback() must return a 3-tuple");
            return -1;
        }
        *language = Py_NewRef(PyTuple_GET_ITEM(result, 0));
        *confidence = Py_NewRef(PyTuple_GET_ITEM(result, 1));
        *mix = Py_NewRef(PyTuple_GET_ITEM(result, 2));
        Py_DECREF(result);
        return 0;
    }
    /* lexical_decision(votes, total, unknown) */
    double total = votes[0] + votes[1] + votes[2] + votes[3] + votes[4];
    int best = 0;
    double top = votes[0];
    for (int i = 1; i < NLANGS; i++) { /* strict ">" keeps the first on ties */
        if (votes[i] > top) {
            best = i;
            top = votes[i];
        }
    }
    double conf = top / (total + self->unknown_penalty * (double)unknown + self->smoothing);
    double ratio = 1.0 - top / total;
    *language = Py_NewRef(PyTuple_GET_ITEM(self->languages, best));
    *confidence = PyFloat_FromDouble(conf < 1.0 ? conf : 1.0);
    *mix = PyFloat_FromDouble(ratio > 0.0 ? ratio : 0.0);
    if (*confidence == NULL || *mix == NULL) {
        Py_CLEAR(*language);
        Py_CLEAR(*confidence);
        Py_CLEAR(*mix);
        return -1;
    }
    return 0;
}

/* End of a match of (?:D|dh) at codes[i], or -1. */
static Py_ssize_t
deleted_after(const char *codes, Py_ssize_t n, Py_ssize_t i)
{
    if (i < n && codes[i] == 'D') {
        return i + 1;
    }
    if (i + 1 < n && codes[i] == 'd' && codes[i + 1] == 'h') {
        return i + 2;
    }
    return -1;
}

/* Matches of features._CALL_RE, S(?:[^S]{0,3}?B(?:D|dh))?|B(?:D|dh), in `codes` (n bytes),
 * counted like len(findall(...)): scanning left to right, the first alternative that
 * matches at a position wins and the scan goes on after the match (matches are never empty).
 * The optional group of the first alternative is tried before skipping it, with its lazy
 * [^S]{0,3}? taking as few characters as it can: the first k in 0..3 that lets B(D|dh)
 * follow decides the match's end (the end does not change the count, but it decides where
 * the scan resumes). */
static Py_ssize_t
count_call_matches(const char *codes, Py_ssize_t n)
{
    Py_ssize_t count = 0, i = 0;
    while (i < n) {
        Py_ssize_t end = -1;
        if (codes[i] == 'S') {
            end = i + 1; /* the group skipped */
            for (Py_ssize_t k = 0; k <= 3; k++) {
                Py_ssize_t b = i + 1 + k; /* where B must be */
                if (b > n || (k > 0 && codes[b - 1] == 'S')) {
                    break; /* [^S]{k} needs k characters, none of them S */
                }
                if (b < n && codes[b] == 'B') {
                    Py_ssize_t after = deleted_after(codes, n, b + 1);
                    if (after > 0) {
                        end = after;
                        break;
                    }
                }
            }
        }
        else if (codes[i] == 'B') {
            end = deleted_after(codes, n, i + 1);
        }
        if (end > 0) {
            count++;
            i = end;
        }
        else {
            i++;
        }
    }
    return count;
}

/* features.count_spread_calls of the post's spread codes ("." for a chunk with none). The
 * codes are ASCII letters from features.spread_codes(); anything else goes to the Python
 * function. */
static Py_ssize_t
spread_call_count(FastNormalizer *self, Post *post)
{
    char local[256];
    Py_ssize_t total = 0;
    int ascii = 1;
    for (size_t i = 0; i < post->nparts && ascii; i++) {
        PyObject *code = post->parts[i].spread;
        ascii = code == NULL || PyUnicode_IS_ASCII(code);
        total += code != NULL ? PyUnicode_GET_LENGTH(code) : 1;
    }
    if (ascii) {
        char *codes = total <= (Py_ssize_t)sizeof(local) ? local : PyMem_Malloc((size_t)total);
        if (codes == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        Py_ssize_t pos = 0;
        for (size_t i = 0; i < post->nparts; i++) {
            PyObject *code = post->parts[i].spread;
            if (code == NULL) {
                codes[pos++] = '.';
            }
            else {
                Py_ssize_t len = PyUnicode_GET_LENGTH(code);
                memcpy(codes + pos, PyUnicode_1BYTE_DATA(code), (size_t)len);
                pos += len;
            }
        }
        Py_ssize_t count = count_call_matches(codes, pos);
        if (codes != local) {
            PyMem_Free(codes);
        }
        return count;
    }
    PyObject *codes = PyList_New((Py_ssize_t)post->nparts);
    if (codes == NULL) {
        return -1;
    }
    for (size_t i = 0; i < post->nparts; i++) {
        PyObject *code = post->parts[i].spread;
        PyList_SET_ITEM(codes, (Py_ssize_t)i, Py_NewRef(code != NULL ? code : self->dot));
    }
    PyObject *count = PyObject_CallOneArg(self->spread_calls, codes);
    Py_DECREF(codes);
    if (count == NULL) {
        return -1;
    }
    Py_ssize_t n = PyLong_AsSsize_t(count);
    Py_DECREF(count);
    return n;
}

static PyObject *
make_result(FastNormalizer *self, PyObject **values)
{
    if (self->result_offsets[0] < 0) {
        return PyObject_Vectorcall(self->result_type, values, NRESULT, NULL);
    }
    /* A frozen slots dataclass with no __post_init__: what its __init__ does, without the
     * object.__setattr__ calls. */
    PyTypeObject *type = (PyTypeObject *)self->result_type;
    PyObject *obj = type->tp_alloc(type, 0);
    if (obj == NULL) {
        return NULL;
    }
    for (int i = 0; i < NRESULT; i++) {
        *(PyObject **)((char *)obj + self->result_offsets[i]) = Py_NewRef(values[i]);
    }
    return obj;
}

/* Assemble the post from its chunks (Normalizer._assemble). */
static PyObject *
assemble(FastNormalizer *self, Post *post, PyObject *raw, PyObject *cleaned)
{
    PyObject *result = NULL, *text = NULL, *tokens = NULL, *language = NULL;
    PyObject *confidence = NULL, *mix = NULL, *features = NULL, *proxy = NULL;
    for (int i = 0; i < NFIELDS; i++) {
        if (post->sums[i] > UINT32_MAX) { /* MAX_TEXT_CHARS rules this out */
            PyErr_SetString(PyExc_OverflowError, "packed field overflow");
            return NULL;
        }
    }
    Py_ssize_t spread_calls = 0;
    if (post->sums[F_SPREAD]) {
        spread_calls = spread_call_count(self, post);
        if (spread_calls < 0) {
            return NULL;
        }
    }
    if (decide_language(self, post, cleaned, &language, &confidence, &mix) < 0) {
        return NULL;
    }
    text = join_texts(self, post);
    if (text == NULL) {
        goto done;
    }
    tokens = join_tokens(post);
    if (tokens == NULL) {
        goto done;
    }
    uint64_t letters = post->sums[F_LETTERS];
    PyObject *values[NFEATURES] = {NULL};
    values[0] = PyFloat_FromDouble((double)PyUnicode_GET_LENGTH(raw));
    values[1] = count_float(self, (uint64_t)PyTuple_GET_SIZE(tokens));
    values[2] = letters ? PyFloat_FromDouble((double)post->sums[F_UPPER] / (double)letters)
                        : Py_NewRef(self->floats[0]);
    values[3] = count_float(self, post->sums[F_EXCLAMATION]);
    values[4] = count_float(self, post->sums[F_QUESTION]);
    values[5] = count_float(self, (uint64_t)spread_calls);
    values[6] = count_float(self, post->sums[F_URL]);
    values[7] = count_float(self, post->sums[F_MENTION]);
    values[8] = count_float(self, post->sums[F_HASHTAG]);
    values[9] = count_float(self, post->sums[F_EMOJI]);
    values[10] = count_float(self, post->sums[F_NUMBER]);
    values[11] = count_float(self, post->sums[F_ELONGATION]);
    values[12] = count_float(self, post->sums[F_LAUGH]);
    values[13] = Py_NewRef(mix);
    int ok = 1;
    for (int i = 0; i < NFEATURES; i++) {
        ok = ok && values[i] != NULL;
    }
    if (ok) {
        /* The template holds the shared 0.0 for every feature, in order; most counts of a
         * post are 0 and count_float gives that same object for them, so only the others
         * are set. */
        features = PyDict_Copy(self->feature_template);
        for (int i = 0; features != NULL && i < NFEATURES; i++) {
            if (values[i] != self->floats[0] &&
                PyDict_SetItem(features, PyTuple_GET_ITEM(self->feature_keys, i), values[i]) <
                    0) {
                Py_CLEAR(features);
            }
        }
    }
    for (int i = 0; i < NFEATURES; i++) {
        Py_XDECREF(values[i]);
    }
    if (features == NULL) {
        goto done;
    }
    proxy = PyDictProxy_New(features);
    if (proxy == NULL) {
        goto done;
    }
    PyObject *fields[NRESULT] = {text, tokens, language, confidence, proxy};
    result = make_result(self, fields);
done:
    Py_XDECREF(text);
    Py_XDECREF(tokens);
    Py_XDECREF(language);
    Py_XDECREF(confidence);
    Py_XDECREF(mix);
    Py_XDECREF(features);
    Py_XDECREF(proxy);
    return result;
}

static PyObject *
normalize_post(FastNormalizer *self, Post *post, PyObject *raw)
{
    PyObject *text;
    if (PyUnicode_GET_LENGTH(raw) > self->max_text_chars) {
        text = PyUnicode_Substring(raw, 0, self->max_text_chars);
        if (text == NULL) {
            return NULL;
        }
    }
    else {
        text = Py_NewRef(raw);
    }
    PyObject *cleaned;
    if (PyUnicode_IS_ASCII(text)) { /* clean_text returns ASCII text as it is */
        cleaned = text;
    }
    else {
        cleaned = clean_non_ascii(self, text);
        Py_DECREF(text);
        if (cleaned == NULL) {
            return NULL;
        }
    }
    PyObject *result = NULL;
    if (collect_chunks(self, post, cleaned) == 0) {
        result = assemble(self, post, raw, cleaned);
    }
    post_reset(post);
    Py_DECREF(cleaned);
    return result;
}

PyDoc_STRVAR(normalize_many_doc,
             "normalize_many(texts, /)\n--\n\n"
             "Normalize a list or tuple of str like Normalizer.normalize_many; None when "
             "``texts`` is another type or holds a str subclass (use the Python path).");

static PyObject *
FastNormalizer_normalize_many(FastNormalizer *self, PyObject *texts)
{
    if (!PyList_CheckExact(texts) && !PyTuple_CheckExact(texts)) {
        Py_RETURN_NONE;
    }
    /* A tuple cannot change; hold a copy of a list so callbacks cannot change it under us. */
    PyObject *items = PyList_CheckExact(texts) ? PyList_AsTuple(texts) : Py_NewRef(texts);
    if (items == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    int subclass = 0;
    self->st_resolved = 0; /* stem_in_c looks the Stemmer's entries up again */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(items, i);
        if (!PyUnicode_Check(item)) {
            PyObject *name = PyType_GetName(Py_TYPE(item));
            if (name != NULL) {
                PyErr_Format(PyExc_TypeError, "normalize_many() expects str items, got %U",
                             name);
                Py_DECREF(name);
            }
            Py_DECREF(items);
            return NULL;
        }
        subclass |= !PyUnicode_CheckExact(item);
    }
    if (subclass) {
        Py_DECREF(items);
        Py_RETURN_NONE;
    }
    PyObject *out = PyList_New(n);
    PyObject *done = n > 1 ? PyDict_New() : NULL;
    Post post = {0};
    post.keybuf = PyMem_Malloc((size_t)self->max_memo_chunk * 4 + 4);
    if (out == NULL || (n > 1 && done == NULL) || post.keybuf == NULL) {
        if (post.keybuf == NULL) {
            PyErr_NoMemory();
        }
        goto error;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *raw = PyTuple_GET_ITEM(items, i);
        PyObject *result = NULL;
        if (done != NULL) { /* identical posts are normalized once */
            result = PyDict_GetItemWithError(done, raw);
            if (result != NULL) {
                PyList_SET_ITEM(out, i, Py_NewRef(result));
                continue;
            }
            if (PyErr_Occurred()) {
                goto error;
            }
        }
        result = normalize_post(self, &post, raw);
        if (result == NULL) {
            goto error;
        }
        PyList_SET_ITEM(out, i, result);
        if (done != NULL && PyDict_SetItem(done, raw, result) < 0) {
            goto error;
        }
    }
    post_free(&post);
    Py_XDECREF(done);
    Py_DECREF(items);
    return out;
error:
    post_free(&post);
    Py_XDECREF(done);
    Py_XDECREF(out);
    Py_DECREF(items);
    return NULL;
}

PyDoc_STRVAR(memo_len_doc, "memo_len()\n--\n\nChunks held by the memo (both generations).");

static PyObject *
FastNormalizer_memo_len(FastNormalizer *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSize_t(self->memo.young.count + self->memo.old.count);
}

PyDoc_STRVAR(clear_memo_doc, "clear_memo()\n--\n\nForget every memoised chunk.");

static PyObject *
FastNormalizer_clear_memo(FastNormalizer *self, PyObject *Py_UNUSED(ignored))
{
    gen_clear(&self->memo.young);
    gen_clear(&self->memo.old);
    Py_RETURN_NONE;
}

static int
check_names(PyObject *names, const char *const *expected, Py_ssize_t n, const char *what)
{
    if (!PyTuple_Check(names) || PyTuple_GET_SIZE(names) != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected a tuple of %zd names", what, n);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_Check(name) || PyUnicode_CompareWithASCIIString(name, expected[i]) != 0) {
            PyErr_Format(PyExc_ValueError, "%s: item %zd should be %s (rebuild _cnorm)", what,
                         i, expected[i]);
            return -1;
        }
    }
    return 0;
}

/* Slot offsets of the result type when it can be filled directly, else -1s. */
static int
find_result_offsets(FastNormalizer *self)
{
    for (int i = 0; i < NRESULT; i++) {
        self->result_offsets[i] = -1;
    }
    PyObject *type = self->result_type;
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_dictoffset != 0 ||
        ((PyTypeObject *)type)->tp_new != PyBaseObject_Type.tp_new) {
        return 0;
    }
    int has_post_init = PyObject_HasAttrString(type, "__post_init__");
    if (has_post_init) {
        return 0;
    }
    PyObject *fields = PyObject_GetAttrString(type, "__dataclass_fields__");
    if (fields == NULL) {
        PyErr_Clear();
        return 0;
    }
    int ok = PyDict_Check(fields) && PyDict_GET_SIZE(fields) == NRESULT;
    if (ok) {
        Py_ssize_t pos = 0, i = 0;
        PyObject *key, *value;
        while (ok && PyDict_Next(fields, &pos, &key, &value)) {
            ok = PyUnicode_Check(key) && PyUnicode_CompareWithASCIIString(key, RESULT_FIELDS[i++]) == 0;
        }
    }
    Py_DECREF(fields);
    Py_ssize_t offsets[NRESULT];
    for (int i = 0; ok && i < NRESULT; i++) {
        PyObject *descr =
            PyDict_GetItemString(((PyTypeObject *)type)->tp_dict, RESULT_FIELDS[i]);
        ok = descr != NULL && Py_IS_TYPE(descr, &PyMemberDescr_Type);
        if (ok) {
            PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
            ok = member->type == T_OBJECT_EX && !(member->flags & READONLY);
            offsets[i] = member->offset;
        }
    }
    if (ok) {
        memcpy(self->result_offsets, offsets, sizeof(offsets));
    }
    return 0;
}

/* Stage 3e's tables from (UNITS, LEET, MAX_LEET_CANDIDATES) of monitor.text.digits. */
static int
init_digits(FastNormalizer *self, PyObject *digits)
{
    PyObject *units, *leet;
    Py_ssize_t max_leet;
    if (!PyTuple_Check(digits) ||
        !PyArg_ParseTuple(digits, "OOn;digits: expected (units, leet, max candidates)", &units,
                          &leet, &max_leet)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "digits: expected (units, leet, max candidates)");
        }
        return -1;
    }
    if (!PyAnySet_CheckExact(units) || !PyDict_CheckExact(leet) || max_leet < 0) {
        PyErr_SetString(PyExc_TypeError, "digits: bad units, leet table or candidate count");
        return -1;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(leet, &pos, &key, &value)) {
        /* A digit -> a tuple of 1 to LEET_MAX_OPTIONS lowercase ASCII letters. */
        int ok = PyUnicode_Check(key) && PyUnicode_GET_LENGTH(key) == 1 &&
                 PyTuple_Check(value) && PyTuple_GET_SIZE(value) >= 1 &&
                 PyTuple_GET_SIZE(value) <= LEET_MAX_OPTIONS;
        Py_UCS4 d = ok ? PyUnicode_READ_CHAR(key, 0) : 0;
        ok = ok && d >= '0' && d <= '9';
        for (Py_ssize_t i = 0; ok && i < PyTuple_GET_SIZE(value); i++) {
            PyObject *letter = PyTuple_GET_ITEM(value, i);
            Py_UCS4 c = PyUnicode_Check(letter) && PyUnicode_GET_LENGTH(letter) == 1
                            ? PyUnicode_READ_CHAR(letter, 0)
                            : 0;
            ok = c >= 'a' && c <= 'z';
            if (ok) {
                self->d_leet[d - '0'][i] = (char)c;
            }
        }
        if (!ok) {
            PyErr_SetString(PyExc_ValueError, "digits: the leet table must map digits to "
                                              "tuples of 1 to 4 lowercase ASCII letters");
            return -1;
        }
        self->d_nleet[d - '0'] = (int)PyTuple_GET_SIZE(value);
    }
    self->d_units = Py_NewRef(units);
    self->d_max_leet = max_leet;
    return 0;
}

/* Stage 2's lexicons from the ``words`` tuple (None: stage 2 off). Layout:
 * (slang_keys, stopwords, spread_codes, shared_or_slang, other_markers, shared_vocabulary,
 *  dictionary, marker_votes, packed_shared, packed_unknown, max_word, clitics, stem, stable,
 *  slang_map, known, max_variable_runs, laugh_token, digits); slang_map to laugh_token are
 *  stage 2b's, digits (UNITS, LEET, MAX_LEET_CANDIDATES) is stage 3e's. */
static int
init_words(FastNormalizer *self, PyObject *words)
{
    if (words == Py_None) {
        return 0;
    }
    PyObject *sets[7], *marker_votes, *packed_shared, *packed_unknown, *clitics, *stem, *stable;
    PyObject *slang_map, *known, *laugh_token, *digits;
    Py_ssize_t max_word, max_variable_runs;
    if (!PyTuple_Check(words) ||
        !PyArg_ParseTuple(words, "OOOOOOOOOOnOOOOOnOO;words: expected a 19-tuple", &sets[0],
                          &sets[1], &sets[2], &sets[3], &sets[4], &sets[5], &sets[6],
                          &marker_votes, &packed_shared, &packed_unknown, &max_word, &clitics,
                          &stem, &stable, &slang_map, &known, &max_variable_runs,
                          &laugh_token, &digits)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "words: expected a 19-tuple");
        }
        return -1;
    }
    if (!PyDict_CheckExact(slang_map) || !PyAnySet_CheckExact(known) ||
        !PyUnicode_CheckExact(laugh_token)) {
        PyErr_SetString(PyExc_TypeError,
                        "words: the slang map must be a dict, known a set, the laugh token a str");
        return -1;
    }
    if (init_digits(self, digits) < 0) {
        return -1;
    }
    if (max_variable_runs != MAX_VARIABLE_RUNS) {
        PyErr_SetString(PyExc_ValueError,
                        "words: MAX_VARIABLE_RUNS does not match (rebuild _cnorm)");
        return -1;
    }
    for (int i = 0; i < 7; i++) {
        if (i == 2 ? !PyDict_CheckExact(sets[i]) : !PyAnySet_CheckExact(sets[i])) {
            PyErr_Format(PyExc_TypeError, "words: item %d must be an exact %s", i,
                         i == 2 ? "dict" : "set or frozenset");
            return -1;
        }
    }
    if (!PyDict_CheckExact(marker_votes) || !PyCallable_Check(stem) ||
        !PyCallable_Check(stable) || max_word < 0) {
        PyErr_SetString(PyExc_TypeError, "words: bad marker votes, max_word or callbacks");
        return -1;
    }
    if (!PyTuple_Check(clitics) || PyTuple_GET_SIZE(clitics) != NCLITICS) {
        PyErr_SetString(PyExc_ValueError, "words: clitics do not match (rebuild _cnorm)");
        return -1;
    }
    for (int i = 0; i < NCLITICS; i++) {
        PyObject *c = PyTuple_GET_ITEM(clitics, i);
        if (!PyUnicode_Check(c) || PyUnicode_CompareWithASCIIString(c, CLITICS[i]) != 0) {
            PyErr_SetString(PyExc_ValueError, "words: clitics do not match (rebuild _cnorm)");
            return -1;
        }
    }
    if (unpack_fields(packed_shared, self->w_shared) < 0 ||
        unpack_fields(packed_unknown, self->w_unknown) < 0) {
        return -1;
    }
    if ((self->space = PyUnicode_FromString(" ")) == NULL) {
        return -1;
    }
    self->w_max_word = max_word;
    self->w_slang_keys = Py_NewRef(sets[0]);
    self->w_stopwords = Py_NewRef(sets[1]);
    self->w_spread_codes = Py_NewRef(sets[2]);
    self->w_shared_or_slang = Py_NewRef(sets[3]);
    self->w_other_markers = Py_NewRef(sets[4]);
    self->w_shared_vocabulary = Py_NewRef(sets[5]);
    self->w_dictionary = Py_NewRef(sets[6]);
    self->w_marker_votes = Py_NewRef(marker_votes);
    self->w_stem = Py_NewRef(stem);
    self->w_stable = Py_NewRef(stable);
    self->w_slang_map = Py_NewRef(slang_map);
    self->w_known = Py_NewRef(known);
    for (int i = 0; i < 7; i++) {
        untrack_if_atomic(sets[i]);
    }
    untrack_if_atomic(known);
    self->w_laugh_token = Py_NewRef(laugh_token);
    self->general_words = 1;
    self->word_chunks = 1;
    self->link_chunks = LINK_CHUNKS_DEFAULT;
    self->misc_chunks = 1;
    self->digit_words = 1;
    return 0;
}

/* A tuple of ASCII str for is_segment (at most SEGMENT_AFFIX_MAX items); -1 if not. */
static int
check_affixes(PyObject *affixes)
{
    if (!PyTuple_Check(affixes) || PyTuple_GET_SIZE(affixes) > SEGMENT_AFFIX_MAX) {
        PyErr_SetString(PyExc_TypeError, "hashtags: affixes must be a short tuple of str");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(affixes); i++) {
        PyObject *a = PyTuple_GET_ITEM(affixes, i);
        if (!PyUnicode_CheckExact(a) || !PyUnicode_IS_ASCII(a)) {
            PyErr_SetString(PyExc_TypeError, "hashtags: affixes must be ASCII str");
            return -1;
        }
    }
    return 0;
}

/* Stage 3c's lexicons from the ``hashtags`` tuple (None: stage 3c off; it also needs stage
 * 2). Layout: (known, short_segments, prefixes, suffixes, max_segmented_run, max_word) with
 * known and short_segments frozensets (immutable, so the byte sets stay equal to them). */
static int
init_hashtags(FastNormalizer *self, PyObject *hashtags)
{
    if (hashtags == Py_None || self->w_slang_keys == NULL) {
        return 0;
    }
    PyObject *known, *short_segments, *prefixes, *suffixes;
    Py_ssize_t max_run, max_word;
    if (!PyTuple_Check(hashtags) ||
        !PyArg_ParseTuple(hashtags, "O!O!OOnn;hashtags: expected a 6-tuple", &PyFrozenSet_Type,
                          &known, &PyFrozenSet_Type, &short_segments, &prefixes, &suffixes,
                          &max_run, &max_word)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "hashtags: expected a 6-tuple");
        }
        return -1;
    }
    if (!PyFrozenSet_CheckExact(known) || !PyFrozenSet_CheckExact(short_segments) ||
        check_affixes(prefixes) < 0 || check_affixes(suffixes) < 0) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "hashtags: the word sets must be frozensets");
        }
        return -1;
    }
    if (max_run < 0 || max_word < 0) {
        PyErr_SetString(PyExc_ValueError, "hashtags: negative limit");
        return -1;
    }
    int built = byteset_build(&self->h_known, known);
    if (built > 0) {
        built = byteset_build(&self->h_short, short_segments);
    }
    if (built <= 0) { /* an item that is not an exact str: stage 3c stays off */
        byteset_free(&self->h_known);
        byteset_free(&self->h_short);
        return built;
    }
    self->h_max_run = max_run;
    self->h_max_word = max_word;
    self->h_prefixes = Py_NewRef(prefixes);
    self->h_suffixes = Py_NewRef(suffixes);
    self->hashtag_chunks = HASHTAG_CHUNKS_DEFAULT;
    return 0;
}

/* The ``stems`` argument, (stemmer, StemCache, FastStemmer, CStemmer) or None (stems in C
 * off): what stem_in_c needs. The caller (pipeline) gives it only for a plain Stemmer whose
 * bound stem method is the ``stem`` of ``words``; stage 2 must be on. */
static int
init_stems(FastNormalizer *self, PyObject *stems)
{
    if (stems == Py_None) {
        return 0;
    }
    PyObject *stemmer, *types[3];
    if (!PyTuple_Check(stems) ||
        !PyArg_ParseTuple(stems, "OO!O!O!;stems: expected (stemmer, StemCache, FastStemmer, "
                                 "CStemmer)",
                          &stemmer, &PyType_Type, &types[0], &PyType_Type, &types[1],
                          &PyType_Type, &types[2])) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "stems: expected a 4-tuple");
        }
        return -1;
    }
    if (self->w_stem == NULL || !PyMethod_Check(self->w_stem) ||
        PyMethod_GET_SELF(self->w_stem) != stemmer) {
        PyErr_SetString(PyExc_ValueError, "stems: the stemmer must own the words' stem method");
        return -1;
    }
    self->st_stemmer = Py_NewRef(stemmer);
    self->st_cache_type = Py_NewRef(types[0]);
    self->st_fast_type = Py_NewRef(types[1]);
    self->st_cstem_type = Py_NewRef(types[2]);
    return 0;
}

/* Takes the optional keyword `name` out of *kw (a copy of the keywords): a new reference to
 * its value, NULL when absent (-1 in *failed on error). */
static PyObject *
pop_keyword(PyObject *kw, const char *name, int *failed)
{
    PyObject *value = kw != NULL ? PyDict_GetItemString(kw, name) : NULL;
    if (value != NULL) {
        Py_INCREF(value);
        if (PyDict_DelItemString(kw, name) < 0) {
            Py_CLEAR(value);
            *failed = -1;
        }
    }
    return value;
}

/* Stage 4a's runs from ``clean_shortcut`` (None: off): a tuple of (first, last, action)
 * with action CLEAN_KEEP or CLEAN_DROP, sorted, disjoint, non-ASCII, no surrogate. */
static int
init_clean_shortcut(FastNormalizer *self, PyObject *runs)
{
    if (runs == Py_None) {
        return 0;
    }
    if (!PyTuple_Check(runs) || PyTuple_GET_SIZE(runs) == 0) {
        PyErr_SetString(PyExc_TypeError, "clean_shortcut: expected a non-empty tuple");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(runs);
    CleanRun *table = PyMem_Calloc((size_t)n, sizeof(CleanRun));
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned int first, last;
        int action;
        PyObject *run = PyTuple_GET_ITEM(runs, i);
        if (!PyTuple_Check(run) ||
            !PyArg_ParseTuple(run, "IIi;clean_shortcut: expected (first, last, action)",
                              &first, &last, &action)) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "clean_shortcut: expected (first, last, action)");
            }
            PyMem_Free(table);
            return -1;
        }
        if (first < 0x80 || first > last || last > 0x10FFFF ||
            (first <= 0xDFFF && last >= 0xD800) ||
            (action != CLEAN_KEEP && action != CLEAN_DROP) ||
            (i > 0 && first <= table[i - 1].last)) {
            PyErr_SetString(PyExc_ValueError, "clean_shortcut: bad or unsorted run");
            PyMem_Free(table);
            return -1;
        }
        table[i].first = first;
        table[i].last = last;
        table[i].action = action;
    }
    self->clean_runs = table;
    self->n_clean_runs = n;
    self->clean_on = 1;
    return 0;
}

/* An emoji token from the tables: a new reference, or NULL (None) with no exception; sets
 * an exception (and returns NULL) unless it is None or a non-empty exact str without
 * whitespace. */
static PyObject *
emoji_token_of(PyObject *token, int *failed)
{
    *failed = 0;
    if (token == Py_None) {
        return NULL;
    }
    int ok = PyUnicode_CheckExact(token) && PyUnicode_GET_LENGTH(token) > 0;
    for (Py_ssize_t i = 0; ok && i < PyUnicode_GET_LENGTH(token); i++) {
        ok = !Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(token, i));
    }
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "emoji: tokens must be None or str without spaces");
        *failed = 1;
        return NULL;
    }
    return Py_NewRef(token);
}

static void
free_emoji_tables(FastNormalizer *self)
{
    for (Py_ssize_t i = 0; self->emoji_singles != NULL && i < self->n_emoji_singles; i++) {
        Py_CLEAR(self->emoji_singles[i].token);
    }
    PyMem_Free(self->emoji_singles);
    self->emoji_singles = NULL;
    self->n_emoji_singles = 0;
    for (int i = 0; i < NINDICATORS * NINDICATORS; i++) {
        Py_CLEAR(self->emoji_flags[i]);
    }
}

/* Stage 4b's tables from ``emoji`` (None: off), pipeline.emoji_chunk_tables():
 * (singles, flags), singles a tuple of (code point, token or None) by increasing code point
 * (no ASCII, no regional indicator), flags a tuple of 26 * 26 tokens or None. */
static int
init_emoji(FastNormalizer *self, PyObject *tables)
{
    if (tables == Py_None) {
        return 0;
    }
    PyObject *singles, *flags;
    if (!PyTuple_Check(tables) ||
        !PyArg_ParseTuple(tables, "O!O!;emoji: expected (singles, flags)", &PyTuple_Type,
                          &singles, &PyTuple_Type, &flags)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "emoji: expected (singles, flags)");
        }
        return -1;
    }
    if (PyTuple_GET_SIZE(flags) != NINDICATORS * NINDICATORS) {
        PyErr_SetString(PyExc_ValueError, "emoji: expected 26 * 26 flag tokens");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(singles);
    self->emoji_singles = PyMem_Calloc((size_t)n + 1, sizeof(EmojiSingle));
    if (self->emoji_singles == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int failed = 0;
    for (Py_ssize_t i = 0; i < n && !failed; i++) {
        unsigned int code;
        PyObject *token;
        PyObject *item = PyTuple_GET_ITEM(singles, i);
        if (!PyTuple_Check(item) ||
            !PyArg_ParseTuple(item, "IO;emoji: expected (code point, token)", &code, &token)) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "emoji: expected (code point, token)");
            }
            failed = 1;
        }
        else if (code < 0x80 || code > 0x10FFFF || is_indicator(code) ||
                 (i > 0 && code <= self->emoji_singles[i - 1].code)) {
            PyErr_SetString(PyExc_ValueError, "emoji: bad or unsorted code point");
            failed = 1;
        }
        else {
            self->emoji_singles[i].code = code;
            self->emoji_singles[i].token = emoji_token_of(token, &failed);
            self->n_emoji_singles = i + 1;
        }
    }
    for (int i = 0; i < NINDICATORS * NINDICATORS && !failed; i++) {
        self->emoji_flags[i] = emoji_token_of(PyTuple_GET_ITEM(flags, i), &failed);
    }
    if (failed) {
        free_emoji_tables(self);
        return -1;
    }
    self->emoji_chunks = EMOJI_CHUNKS_DEFAULT;
    return 0;
}

static int
FastNormalizer_init(FastNormalizer *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"analyse",
                             "fallback",
                             "clean",
                             "spread_calls",
                             "result_type",
                             "languages",
                             "feature_names",
                             "packed_fields",
                             "memo_size",
                             "max_memo_chunk",
                             "max_text_chars",
                             "vote_scale",
                             "min_lexical_votes",
                             "unknown_ratio",
                             "unknown_penalty",
                             "smoothing",
                             NULL};
    PyObject *analyse, *fallback, *clean, *spread_calls, *result_type, *languages;
    PyObject *feature_names, *packed_fields;
    Py_ssize_t memo_size, max_memo_chunk, max_text_chars;
    double vote_scale, min_lexical_votes, unknown_ratio, unknown_penalty, smoothing;
    if (self->analyse != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "FastNormalizer is already initialised");
        return -1;
    }
    /* The optional keywords "words" (stage 2), "hashtags" (stage 3c), "stems" (stems in C),
     * "emoji" (stage 4b; these three need words) and "clean_shortcut" (stage 4a) are taken
     * out before parsing the others. */
    int failed = 0;
    PyObject *kw = kwds != NULL ? PyDict_Copy(kwds) : NULL;
    if (kwds != NULL && kw == NULL) {
        return -1;
    }
    PyObject *words = pop_keyword(kw, "words", &failed);
    PyObject *hashtags = pop_keyword(kw, "hashtags", &failed);
    PyObject *stems = pop_keyword(kw, "stems", &failed);
    PyObject *emoji = pop_keyword(kw, "emoji", &failed);
    PyObject *clean_shortcut = pop_keyword(kw, "clean_shortcut", &failed);
    int parsed = !failed && PyArg_ParseTupleAndKeywords(
        args, kw, "$OOOOOOOOnnnddddd", kwlist, &analyse, &fallback, &clean, &spread_calls,
        &result_type, &languages, &feature_names, &packed_fields, &memo_size, &max_memo_chunk,
        &max_text_chars, &vote_scale, &min_lexical_votes, &unknown_ratio, &unknown_penalty,
        &smoothing);
    Py_XDECREF(kw);
    if (parsed && stems != NULL && stems != Py_None && (words == NULL || words == Py_None)) {
        PyErr_SetString(PyExc_ValueError, "stems: needs words (stage 2)");
        parsed = 0;
    }
    failed = !parsed || (words != NULL && init_words(self, words) < 0) ||
             (hashtags != NULL && init_hashtags(self, hashtags) < 0) ||
             (stems != NULL && init_stems(self, stems) < 0) ||
             (emoji != NULL && init_emoji(self, emoji) < 0) ||
             (clean_shortcut != NULL && init_clean_shortcut(self, clean_shortcut) < 0);
    Py_XDECREF(words);
    Py_XDECREF(hashtags);
    Py_XDECREF(stems);
    Py_XDECREF(emoji);
    Py_XDECREF(clean_shortcut);
    if (failed) {
        return -1;
    }
    if (!PyCallable_Check(analyse) || !PyCallable_Check(fallback) || !PyCallable_Check(clean) ||
        !PyCallable_Check(spread_calls) || !PyCallable_Check(result_type)) {
        PyErr_SetString(PyExc_TypeError, "the callbacks and result_type must be callable");
        return -1;
    }
    if (memo_size < 2) {
        PyErr_SetString(PyExc_ValueError, "maxsize must be at least 2");
        return -1;
    }
    if (max_memo_chunk < 0 || max_memo_chunk > 4096 || max_text_chars < 0 ||
        max_text_chars > UINT32_MAX / 256 || !(vote_scale > 0)) {
        PyErr_SetString(PyExc_ValueError, "constant out of range");
        return -1;
    }
    if (check_names(packed_fields, PACKED_NAMES, NFIELDS, "packed_fields") < 0 ||
        check_names(feature_names, FEATURE_NAMES, NFEATURES, "feature_names") < 0) {
        return -1;
    }
    if (!PyTuple_Check(languages) || PyTuple_GET_SIZE(languages) != NLANGS) {
        PyErr_SetString(PyExc_ValueError, "languages: expected a tuple of 5 str");
        return -1;
    }
    for (Py_ssize_t i = 0; i < NLANGS; i++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(languages, i))) {
            PyErr_SetString(PyExc_ValueError, "languages: expected a tuple of 5 str");
            return -1;
        }
    }
    self->analyse = Py_NewRef(analyse);
    self->fallback = Py_NewRef(fallback);
    self->clean = Py_NewRef(clean);
    self->spread_calls = Py_NewRef(spread_calls);
    self->result_type = Py_NewRef(result_type);
    self->languages = Py_NewRef(languages);
    self->feature_keys = Py_NewRef(feature_names);
    self->max_text_chars = max_text_chars;
    self->max_memo_chunk = max_memo_chunk;
    self->vote_scale = vote_scale;
    self->min_lexical_votes = min_lexical_votes;
    self->unknown_ratio = unknown_ratio;
    self->unknown_penalty = unknown_penalty;
    self->smoothing = smoothing;
    self->memo.half = (size_t)(memo_size / 2);
    if ((self->dot = PyUnicode_FromString(".")) == NULL ||
        (self->empty_text = PyUnicode_New(0, 0)) == NULL ||
        (self->empty_tuple = PyTuple_New(0)) == NULL) {
        return -1;
    }
    for (int i = 0; i < FLOAT_CACHE; i++) {
        if ((self->floats[i] = PyFloat_FromDouble((double)i)) == NULL) {
            return -1;
        }
    }
    if ((self->feature_template = PyDict_New()) == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < NFEATURES; i++) {
        if (PyDict_SetItem(self->feature_template, PyTuple_GET_ITEM(feature_names, i),
                           self->floats[0]) < 0) {
            return -1;
        }
    }
    return find_result_offsets(self);
}

static int
FastNormalizer_traverse(FastNormalizer *self, visitproc visit, void *arg)
{
    /* The memo holds only str and tuples of str: no cycle can run through it. */
    Py_VISIT(self->analyse);
    Py_VISIT(self->fallback);
    Py_VISIT(self->clean);
    Py_VISIT(self->spread_calls);
    Py_VISIT(self->result_type);
    Py_VISIT(self->languages);
    Py_VISIT(self->feature_keys);
    Py_VISIT(self->feature_template);
    Py_VISIT(self->w_slang_keys);
    Py_VISIT(self->w_stopwords);
    Py_VISIT(self->w_spread_codes);
    Py_VISIT(self->w_shared_or_slang);
    Py_VISIT(self->w_other_markers);
    Py_VISIT(self->w_shared_vocabulary);
    Py_VISIT(self->w_dictionary);
    Py_VISIT(self->w_marker_votes);
    Py_VISIT(self->w_stem);
    Py_VISIT(self->w_stable);
    Py_VISIT(self->w_slang_map);
    Py_VISIT(self->w_known);
    Py_VISIT(self->d_units);
    Py_VISIT(self->w_laugh_token);
    Py_VISIT(self->h_prefixes);
    Py_VISIT(self->h_suffixes);
    Py_VISIT(self->st_stemmer);
    Py_VISIT(self->st_cache_type);
    Py_VISIT(self->st_fast_type);
    Py_VISIT(self->st_cstem_type);
    Py_VISIT(self->st_entries);
    Py_VISIT(self->st_dictionary);
    Py_VISIT(self->st_cache);
    Py_VISIT(self->st_max_new);
    Py_VISIT(self->st_stem_word);
    return 0;
}

static int
FastNormalizer_clear(FastNormalizer *self)
{
    Py_CLEAR(self->analyse);
    Py_CLEAR(self->fallback);
    Py_CLEAR(self->clean);
    Py_CLEAR(self->spread_calls);
    Py_CLEAR(self->result_type);
    Py_CLEAR(self->languages);
    Py_CLEAR(self->feature_keys);
    Py_CLEAR(self->feature_template);
    /* h_prefixes and w_slang_keys first: stages 3c and 2 are off as soon as they are NULL. */
    Py_CLEAR(self->h_prefixes);
    Py_CLEAR(self->h_suffixes);
    Py_CLEAR(self->w_slang_keys);
    Py_CLEAR(self->w_stopwords);
    Py_CLEAR(self->w_spread_codes);
    Py_CLEAR(self->w_shared_or_slang);
    Py_CLEAR(self->w_other_markers);
    Py_CLEAR(self->w_shared_vocabulary);
    Py_CLEAR(self->w_dictionary);
    Py_CLEAR(self->w_marker_votes);
    Py_CLEAR(self->w_stem);
    Py_CLEAR(self->w_stable);
    Py_CLEAR(self->w_slang_map);
    Py_CLEAR(self->w_known);
    Py_CLEAR(self->d_units);
    Py_CLEAR(self->w_laugh_token);
    /* st_stemmer first: stems in C are off as soon as it is NULL. */
    Py_CLEAR(self->st_stemmer);
    Py_CLEAR(self->st_cache_type);
    Py_CLEAR(self->st_fast_type);
    Py_CLEAR(self->st_cstem_type);
    Py_CLEAR(self->st_entries);
    Py_CLEAR(self->st_dictionary);
    Py_CLEAR(self->st_cache);
    Py_CLEAR(self->st_max_new);
    Py_CLEAR(self->st_stem_word);
    self->st_resolved = 0;
    return 0;
}

static void
FastNormalizer_dealloc(FastNormalizer *self)
{
    PyObject_GC_UnTrack(self);
    FastNormalizer_clear(self);
    gen_free(&self->memo.young);
    gen_free(&self->memo.old);
    byteset_free(&self->h_known);
    byteset_free(&self->h_short);
    free_emoji_tables(self);
    PyMem_Free(self->clean_runs);
    Py_CLEAR(self->dot);
    Py_CLEAR(self->empty_text);
    Py_CLEAR(self->empty_tuple);
    Py_CLEAR(self->space);
    for (int i = 0; i < FLOAT_CACHE; i++) {
        Py_CLEAR(self->floats[i]);
    }
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
FastNormalizer_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    FastNormalizer *self = (FastNormalizer *)type->tp_alloc(type, 0);
    return (PyObject *)self; /* tp_alloc zeroes every field */
}

/* Every method needs an initialised object. */
#define REQUIRE_INIT(self)                                                                  \
    do {                                                                                    \
        if ((self)->analyse == NULL) {                                                      \
            PyErr_SetString(PyExc_RuntimeError, "FastNormalizer is not initialised");       \
            return NULL;                                                                    \
        }                                                                                   \
    } while (0)

static PyObject *
FastNormalizer_normalize_many_checked(FastNormalizer *self, PyObject *texts)
{
    REQUIRE_INIT(self);
    return FastNormalizer_normalize_many(self, texts);
}

PyDoc_STRVAR(stem_doc, "stem(word, /)\n--\n\n"
                       "call_stem(word): Normalizer.stemmer.stem(word), answered in C where it "
                       "can be (for the tests; needs stage 2).");

static PyObject *
FastNormalizer_stem(FastNormalizer *self, PyObject *word)
{
    REQUIRE_INIT(self);
    if (self->w_slang_keys == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "stem() needs stage 2 (words)");
        return NULL;
    }
    self->st_resolved = 0; /* an entry point, like normalize_many */
    return call_stem(self, word);
}

PyDoc_STRVAR(stable_doc, "stable(token, /)\n--\n\n"
                         "call_stable(token): ' '.join(Normalizer._stable(token)), answered in C "
                         "where it can be (for the tests; needs stage 2).");

static PyObject *
FastNormalizer_stable(FastNormalizer *self, PyObject *token)
{
    REQUIRE_INIT(self);
    if (self->w_slang_keys == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "stable() needs stage 2 (words)");
        return NULL;
    }
    self->st_resolved = 0;
    return call_stable(self, token);
}

static PyObject *
FastNormalizer_get_direct_results(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->result_offsets[0] >= 0);
}

static PyObject *
FastNormalizer_get_plain_words(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->w_slang_keys != NULL);
}

static PyObject *
FastNormalizer_get_stems(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->st_stemmer != NULL);
}

PyDoc_STRVAR(stats_doc, "stats()\n--\n\n"
                        "Counters of the chunks analysed since construction (see _cnorm.c).");

static PyObject *
FastNormalizer_stats(FastNormalizer *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *out = PyDict_New();
    for (int i = 0; out != NULL && i < NSTATS; i++) {
        PyObject *value = PyLong_FromSsize_t(self->stats[i]);
        if (value == NULL || PyDict_SetItemString(out, STAT_NAMES[i], value) < 0) {
            Py_CLEAR(out);
        }
        Py_XDECREF(value);
    }
    return out;
}

/* The stage switches (word_chunks, link_chunks): the getset closure is the flag's offset in
 * the object. A switch reads as on only where stage 2 is on, since the stages build on it. */
static PyObject *
FastNormalizer_get_stage(FastNormalizer *self, void *closure)
{
    const int *flag = (const int *)((const char *)self + (size_t)closure);
    return PyBool_FromLong(self->w_slang_keys != NULL && *flag);
}

static int
FastNormalizer_set_stage(FastNormalizer *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete a stage switch");
        return -1;
    }
    int on = PyObject_IsTrue(value);
    if (on < 0) {
        return -1;
    }
    *(int *)((char *)self + (size_t)closure) = on;
    return 0;
}

static PyObject *
FastNormalizer_get_hashtag_chunks(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->w_slang_keys != NULL && self->h_prefixes != NULL &&
                           self->hashtag_chunks);
}

static PyObject *
FastNormalizer_get_emoji_chunks(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->w_slang_keys != NULL && self->emoji_singles != NULL &&
                           self->emoji_chunks);
}

static PyObject *
FastNormalizer_get_clean_shortcut(FastNormalizer *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->clean_runs != NULL && self->clean_on);
}

static PyGetSetDef FastNormalizer_getset[] = {
    {"general_words", (getter)FastNormalizer_get_stage, (setter)FastNormalizer_set_stage,
     "Whether elongated, slang and clitic-slang [a-z]+ words are analysed in C (stage 2b; "
     "only where stage 2 is on).",
     (void *)offsetof(FastNormalizer, general_words)},
    {"hashtag_chunks", (getter)FastNormalizer_get_hashtag_chunks,
     (setter)FastNormalizer_set_stage,
     "Whether chunks that are one hashtag are analysed in C (stage 3c; only where stage 2 "
     "is on and the hashtag lexicons were given).",
     (void *)offsetof(FastNormalizer, hashtag_chunks)},
    {"clean_shortcut", (getter)FastNormalizer_get_clean_shortcut,
     (setter)FastNormalizer_set_stage,
     "Whether non-ASCII posts are cleaned in C where clean_text is trivial (stage 4a; only "
     "where the table was given).",
     (void *)offsetof(FastNormalizer, clean_on)},
    {"emoji_chunks", (getter)FastNormalizer_get_emoji_chunks, (setter)FastNormalizer_set_stage,
     "Whether chunks of emoji are analysed in C (stage 4b; only where stage 2 is on and the "
     "tables were given).",
     (void *)offsetof(FastNormalizer, emoji_chunks)},
    {"link_chunks", (getter)FastNormalizer_get_stage, (setter)FastNormalizer_set_stage,
     "Whether chunks that are one URL or one mention are analysed in C (stage 3b; only "
     "where stage 2 is on).",
     (void *)offsetof(FastNormalizer, link_chunks)},
    {"digit_words", (getter)FastNormalizer_get_stage, (setter)FastNormalizer_set_stage,
     "Whether alphanumeric words with a digit and safe punctuation around them are analysed "
     "in C (stage 3e; only where stage 2 is on).",
     (void *)offsetof(FastNormalizer, digit_words)},
    {"misc_chunks", (getter)FastNormalizer_get_stage, (setter)FastNormalizer_set_stage,
     "Whether number chunks, hyphenated words and @name.digits mentions are analysed in C "
     "(stage 3d; only where stage 2 is on).",
     (void *)offsetof(FastNormalizer, misc_chunks)},
    {"plain_words", (getter)FastNormalizer_get_plain_words, NULL,
     "Whether plain [a-z]+ words are analysed in C (stage 2).", NULL},
    {"stems", (getter)FastNormalizer_get_stems, NULL,
     "Whether stems (and plain fixed points) can be answered in C, without calling the "
     "stemmer (the ``stems`` argument).",
     NULL},
    {"word_chunks", (getter)FastNormalizer_get_stage, (setter)FastNormalizer_set_stage,
     "Whether words with capitals and/or safe punctuation are analysed in C (stage 3a; "
     "only where stage 2 is on).",
     (void *)offsetof(FastNormalizer, word_chunks)},
    {"direct_results", (getter)FastNormalizer_get_direct_results, NULL,
     "Whether results are filled in directly (else built by calling result_type).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyDoc_STRVAR(clean_doc, "clean(text, /)\n--\n\n"
                        "clean_text(text) as the C path computes it for an exact str: ASCII as "
                        "it is, else the stage 4a shortcut or the clean() callback.");

static PyObject *
FastNormalizer_clean(FastNormalizer *self, PyObject *text)
{
    REQUIRE_INIT(self);
    if (!PyUnicode_CheckExact(text)) {
        PyErr_SetString(PyExc_TypeError, "clean() expects an exact str");
        return NULL;
    }
    return PyUnicode_IS_ASCII(text) ? Py_NewRef(text) : clean_non_ascii(self, text);
}

static PyMethodDef FastNormalizer_methods[] = {
    {"clean", (PyCFunction)FastNormalizer_clean, METH_O, clean_doc},
    {"normalize_many", (PyCFunction)FastNormalizer_normalize_many_checked, METH_O,
     normalize_many_doc},
    {"memo_len", (PyCFunction)FastNormalizer_memo_len, METH_NOARGS, memo_len_doc},
    {"clear_memo", (PyCFunction)FastNormalizer_clear_memo, METH_NOARGS, clear_memo_doc},
    {"stats", (PyCFunction)FastNormalizer_stats, METH_NOARGS, stats_doc},
    {"stem", (PyCFunction)FastNormalizer_stem, METH_O, stem_doc},
    {"stable", (PyCFunction)FastNormalizer_stable, METH_O, stable_doc},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(FastNormalizer_doc,
             "FastNormalizer(*, analyse, fallback, clean, spread_calls, result_type, languages, "
             "feature_names, packed_fields, memo_size, max_memo_chunk, max_text_chars, "
             "vote_scale, min_lexical_votes, unknown_ratio, unknown_penalty, smoothing, "
             "words=None, hashtags=None, stems=None, emoji=None, clean_shortcut=None)\n--\n\n"
             "The per-post path of monitor.text.pipeline.Normalizer, with its own chunk memo.");

static PyTypeObject FastNormalizerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "monitor.text._cnorm.FastNormalizer",
    .tp_basicsize = sizeof(FastNormalizer),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = FastNormalizer_doc,
    .tp_new = FastNormalizer_new,
    .tp_init = (initproc)FastNormalizer_init,
    .tp_dealloc = (destructor)FastNormalizer_dealloc,
    .tp_traverse = (traverseproc)FastNormalizer_traverse,
    .tp_clear = (inquiry)FastNormalizer_clear,
    .tp_methods = FastNormalizer_methods,
    .tp_getset = FastNormalizer_getset,
};

PyDoc_STRVAR(count_spread_calls_doc,
             "count_spread_calls(codes, /)\n--\n\n"
             "features.count_spread_calls of one ASCII code string, as the C path counts it "
             "(for the tests).");

static PyObject *
module_count_spread_calls(PyObject *Py_UNUSED(module), PyObject *codes)
{
    if (!PyUnicode_Check(codes) || !PyUnicode_IS_ASCII(codes)) {
        PyErr_SetString(PyExc_TypeError, "codes must be an ASCII str");
        return NULL;
    }
    return PyLong_FromSsize_t(
        count_call_matches((const char *)PyUnicode_1BYTE_DATA(codes), PyUnicode_GET_LENGTH(codes)));
}

static PyMethodDef cnorm_functions[] = {
    {"count_spread_calls", module_count_spread_calls, METH_O, count_spread_calls_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef cnorm_module = {
    PyModuleDef_HEAD_INIT,
    .m_methods = cnorm_functions,
    .m_name = "monitor.text._cnorm",
    .m_doc = "The per-post path of monitor.text.pipeline.Normalizer in C (see _cnorm.c).",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__cnorm(void)
{
    for (int c = 0; c < 128; c++) {
        ascii_space[c] = Py_UNICODE_ISSPACE(c) ? 1 : 0;
    }
    struct {
        PyObject **name;
        const char *text;
    } names[] = {
        {&str_entries, "_entries"},   {&str_dictionary, "dictionary"},
        {&str_memo_used, "_memo_used"}, {&str_cache, "cache"},
        {&str_new_words, "_new_words"}, {&str_max_new_words, "max_new_words"},
        {&str_computed, "computed"},  {&str_fast, "fast"},
        {&str_compiled, "_compiled"}, {&str_stem_word, "stem_word"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (*names[i].name == NULL &&
            (*names[i].name = PyUnicode_InternFromString(names[i].text)) == NULL) {
            return NULL;
        }
    }
    if (long_one == NULL && (long_one = PyLong_FromLong(1)) == NULL) {
        return NULL;
    }
    if (PyType_Ready(&FastNormalizerType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&cnorm_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "FastNormalizer", (PyObject *)&FastNormalizerType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
