/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: the FastNormalizer object, the per-post scratch (Post), entries from Python contributions. */

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
    int st_plain_attrs;           /* learn_stem's counters are plain instance-dict items */
    PyObject *space;              /* " " */
    uint32_t w_shared[NFIELDS];   /* pack_votes(SHARED_VOCAB_VOTES), unpacked */
    uint32_t w_unknown[NFIELDS];  /* pack_votes(None), unpacked */
    Py_ssize_t w_max_word;
    int word_chunks;              /* stage 3a on (only where stage 2 is on) */
    int link_chunks;              /* stage 3b on (only where stage 2 is on) */
    int general_words;            /* stage 2b on (only where stage 2 is on) */
    int w_known_covers;           /* known (h_known) holds every word of the word lexicons */
    /* Stage 3c (see analyse_hashtag_chunk): h_prefixes is NULL when it is off. */
    ByteSet h_known;              /* ASCII words of Normalizer.known (a frozenset) */
    int h_known_is_w_known;       /* built from the words tuple's known itself */
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
    PyObject *tokens; /* NULL when empty, or when the one token is the text */
    PyObject *spread; /* NULL when "." */
} Part;

/* One chunk of a post: cleaned[start:end], and when it is memoised its key (UTF-8, at
 * key_off in the post's ASCII text or key arena) and the key's hash. */
typedef struct {
    Py_ssize_t start, end;
    uint64_t hash;
    size_t key_off, key_len;
    int memoised;
} ChunkSpan;

typedef struct {
    Part *parts;
    size_t nparts, cap;
    uint64_t sums[NFIELDS];
    Py_ssize_t ntokens;
    Py_ssize_t ntexts;
    Py_ssize_t text_len; /* of the non-empty texts, without separators */
    Py_UCS4 maxchar;
    char *keys;          /* the UTF-8 keys of a non-ASCII post's chunks (collect_chunks) */
    size_t keys_cap;
    ChunkSpan *spans;    /* the post's chunks (collect_chunks) */
    size_t spans_cap;
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
    PyMem_Free(post->keys);
    PyMem_Free(post->spans);
    Py_CLEAR(post->long_done);
}

/* Add one chunk's objects to the post (no call into Python); its fields are added by the
 * caller. `tokens` NULL: the one token is `text` (a memo entry's form). */
static int
post_add_objects(FastNormalizer *self, Post *post, PyObject *text, PyObject *tokens,
                 PyObject *spread)
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
    Part *part = &post->parts[post->nparts++];
    part->text = NULL;
    part->tokens = NULL;
    part->spread = NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (len > 0) {
        part->text = Py_NewRef(text);
        post->ntexts++;
        post->text_len += len;
        Py_UCS4 maxchar = PyUnicode_MAX_CHAR_VALUE(text);
        if (maxchar > post->maxchar) {
            post->maxchar = maxchar;
        }
    }
    if (tokens == NULL) {
        post->ntokens += len > 0; /* part->tokens stays NULL: join_tokens takes the text */
    }
    else if (PyTuple_GET_SIZE(tokens) > 0) {
        part->tokens = Py_NewRef(tokens);
        post->ntokens += PyTuple_GET_SIZE(tokens);
    }
    if (spread != self->dot) {
        part->spread = Py_NewRef(spread);
    }
    return 0;
}

/* Add an analysed chunk to the post. */
static int
post_add(FastNormalizer *self, Post *post, const Entry *e)
{
    for (int i = 0; i < NFIELDS; i++) {
        post->sums[i] += e->fields[i];
    }
    return post_add_objects(self, post, e->text, e->tokens, e->spread);
}

/* Add a memoised chunk to the post. */
static int
post_add_memo(FastNormalizer *self, Post *post, const MemoEntry *e)
{
    for (int i = 0; i < NLANGS; i++) {
        post->sums[i] += e->votes[i];
    }
    for (int i = 0; i < NCOUNTS; i++) {
        post->sums[NLANGS + i] += e->counts[i];
    }
    return post_add_objects(self, post, e->text, e->tokens, e->spread);
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

static int entry_tokens(FastNormalizer *self, PyObject *text, PyObject **out);

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
    PyObject *tokens;
    if (entry_tokens(self, text, &tokens) < 0) {
        return -1;
    }
    out->text = Py_NewRef(text);
    out->tokens = tokens;
    out->spread = Py_NewRef(PyUnicode_GET_LENGTH(spread) == 0 ? self->dot : spread);
    return 0;
}

/* A tuple or frozenset of exact str only can never be part of a reference cycle: the
 * garbage collector untracks such tuples itself, at its next pass, and never untracks sets.
 * Untracking them when they are made saves the collections from walking them again and
 * again (a result holds a tokens tuple per post; the lexicon sets hold ~10^5 words). */
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

/* An Entry's tokens for `text`, text.split(): *out NULL when that is (text,), a non-empty
 * text without whitespace (most chunks are one word: no tuple is made for them), else a new
 * tuple of str, untracked (the empty one shared). 0, or -1 with an exception set. */
static int
entry_tokens(FastNormalizer *self, PyObject *text, PyObject **out)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (len == 0) {
        *out = Py_NewRef(self->empty_tuple);
        return 0;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int single = 1;
    for (Py_ssize_t i = 0; i < len && single; i++) {
        single = !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i));
    }
    if (single) {
        *out = NULL;
        return 0;
    }
    PyObject *list = PyUnicode_Split(text, NULL, -1);
    *out = list != NULL ? PyList_AsTuple(list) : NULL;
    Py_XDECREF(list);
    if (*out == NULL) {
        return -1;
    }
    untrack_if_atomic(*out);
    return 0;
}
