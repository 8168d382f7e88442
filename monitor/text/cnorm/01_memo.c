/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: the chunk memo: two generations of open-addressing tables keyed by UTF-8 bytes. */

/* ----------------------------------------------------------------------------------------
 * The memo
 * ------------------------------------------------------------------------------------- */

/* One chunk's contribution, as the analysers produce it (new references when owned). */
typedef struct {
    uint32_t fields[NFIELDS];
    PyObject *text;   /* exact str, "" when the chunk has no tokens */
    PyObject *tokens; /* tuple of str: text.split(); NULL when that is (text,) */
    PyObject *spread; /* exact str: the spread codes, "." when none */
} Entry;

/* Keys of up to INLINE_KEY bytes live in the memo entry itself, longer ones in the
 * generation's key arena: 94% of the chunks of the benchmark's stream are that short, and
 * such a hit reads one cache line. */
#define INLINE_KEY 13
/* A memoised field is narrow: a language vote sum (at most 2 * VOTE_SCALE per word) fits 16
 * bits and every other count of a chunk of at most max_memo_chunk characters fits 8; a chunk
 * with a larger field is simply not memoised. */
#define MEMO_VOTE_MAX UINT16_MAX
#define MEMO_COUNT_MAX UINT8_MAX
#define NCOUNTS (NFIELDS - NLANGS) /* the fields after the NLANGS votes */
_Static_assert(F_ID == 0 && F_SU == NLANGS - 1, "the votes are the first NLANGS fields");

/* A memoised chunk: exactly one 64-byte cache line on 64-bit builds (the hot path of a
 * warm pass is one slot read, one entry read and the entry's objects). */
typedef struct {
    PyObject *text;
    PyObject *tokens; /* NULL when the tokens are (text,): most chunks are one word */
    PyObject *spread;
    uint16_t votes[NLANGS];  /* fields F_ID .. F_SU */
    uint16_t hash_tag;       /* bits 32..47 of the hash: most mismatches stop here */
    uint8_t counts[NCOUNTS]; /* the other fields, in order */
    uint8_t key_len;         /* bytes */
    char key[INLINE_KEY];    /* the key, or (key_len > INLINE_KEY) its uint32 arena offset */
} MemoEntry;

_Static_assert(sizeof(void *) != 8 || sizeof(MemoEntry) == 64, "a memo entry is one cache line");

/* Longest key a MemoEntry records (its key_len is one byte). */
#define MAX_MEMO_KEY 255

typedef struct {
    MemoEntry *entries;
    size_t count, cap;
    uint32_t *slots; /* 0: free, else index + 1 into entries (linear probing) */
    size_t nslots;   /* a power of two, or 0 before the first insert */
    char *keys;      /* arena of the keys longer than INLINE_KEY */
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

static inline const char *
memo_key(const Generation *gen, const MemoEntry *e)
{
    if (e->key_len <= INLINE_KEY) {
        return e->key;
    }
    uint32_t offset;
    memcpy(&offset, e->key, sizeof(offset));
    return gen->keys + offset;
}

static inline uint16_t
hash_tag(uint64_t hash)
{
    return (uint16_t)(hash >> 32);
}

static MemoEntry *
gen_find(const Generation *gen, uint64_t hash, const char *key, size_t len)
{
    if (gen->count == 0) {
        return NULL;
    }
    size_t mask = gen->nslots - 1;
    uint16_t tag = hash_tag(hash);
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        uint32_t slot = gen->slots[i];
        if (slot == 0) {
            return NULL;
        }
        MemoEntry *e = &gen->entries[slot - 1];
        if (e->hash_tag == tag && e->key_len == len && memcmp(memo_key(gen, e), key, len) == 0) {
            return e;
        }
    }
}

static void
memo_entry_release(MemoEntry *e)
{
    Py_CLEAR(e->text);
    Py_CLEAR(e->tokens);
    Py_CLEAR(e->spread);
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
        memo_entry_release(&gen->entries[i]);
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

/* Rebuild the slots; every entry's hash is recomputed from its key (an entry keeps only a
 * 16-bit tag of it, and a rehash happens a few times per generation at most). */
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
        const MemoEntry *e = &gen->entries[k];
        size_t i = (size_t)hash_bytes(memo_key(gen, e), e->key_len) & mask;
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
        MemoEntry *entries = PyMem_Realloc(gen->entries, cap * sizeof(MemoEntry));
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
    if (len > INLINE_KEY && gen->keys_len + len > gen->keys_cap) {
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

/* The fields of `value` in an entry's narrow form (`votes`, `counts`); 0 when one does not
 * fit (then the chunk is not memoised). */
static int
narrow_fields(const Entry *value, uint16_t *votes, uint8_t *counts)
{
    for (int i = 0; i < NLANGS; i++) {
        if (value->fields[i] > MEMO_VOTE_MAX) {
            return 0;
        }
        votes[i] = (uint16_t)value->fields[i];
    }
    for (int i = 0; i < NCOUNTS; i++) {
        if (value->fields[NLANGS + i] > MEMO_COUNT_MAX) {
            return 0;
        }
        counts[i] = (uint8_t)value->fields[NLANGS + i];
    }
    return 1;
}

/* Whether `tokens` (a tuple, or NULL: already known to be so) is (text,): the entry then
 * keeps no tuple, saving an object per chunk and a cache miss per hit. */
static inline int
single_token(PyObject *text, PyObject *tokens)
{
    return tokens == NULL || (PyTuple_GET_SIZE(tokens) == 1 && PyTuple_GET_ITEM(tokens, 0) == text);
}

/* Store `fields` and new references to the objects for `key` (len <= MAX_MEMO_KEY) in the
 * young generation, replacing an entry for the same key; retire the generation when full.
 * Returns the stored entry, valid until the memo changes again (a retired generation keeps
 * its entry array), or NULL with an exception set (out of memory). */
static MemoEntry *
memo_store(Memo *memo, uint64_t hash, const char *key, size_t len, const uint16_t *votes,
           const uint8_t *counts, PyObject *text, PyObject *tokens, PyObject *spread)
{
    Generation *young = &memo->young;
    MemoEntry *e = gen_find(young, hash, key, len);
    if (e != NULL) { /* only after a reentrant call stored the same chunk */
        MemoEntry previous = *e;
        memcpy(e->votes, votes, sizeof(e->votes));
        memcpy(e->counts, counts, sizeof(e->counts));
        e->text = Py_NewRef(text);
        e->tokens = single_token(text, tokens) ? NULL : Py_NewRef(tokens);
        e->spread = Py_NewRef(spread);
        memo_entry_release(&previous);
        return e;
    }
    if (gen_reserve(young, len) < 0) {
        return NULL;
    }
    size_t index = young->count;
    e = &young->entries[index];
    e->hash_tag = hash_tag(hash);
    e->key_len = (uint8_t)len;
    if (len <= INLINE_KEY) {
        memcpy(e->key, key, len);
    }
    else {
        uint32_t offset = (uint32_t)young->keys_len;
        memcpy(e->key, &offset, sizeof(offset));
        memcpy(young->keys + young->keys_len, key, len);
        young->keys_len += len;
    }
    memcpy(e->votes, votes, sizeof(e->votes));
    memcpy(e->counts, counts, sizeof(e->counts));
    e->text = Py_NewRef(text);
    e->tokens = single_token(text, tokens) ? NULL : Py_NewRef(tokens);
    e->spread = Py_NewRef(spread);
    size_t mask = young->nslots - 1;
    size_t i = (size_t)hash & mask;
    while (young->slots[i] != 0) {
        i = (i + 1) & mask;
    }
    young->slots[i] = (uint32_t)(index + 1);
    young->count++;
    if (young->count >= memo->half) {
        /* The young generation becomes the old one; the previous old one is dropped. */
        Generation dropped = memo->old;
        memo->old = memo->young;
        memo->young = dropped;
        gen_clear(&memo->young);
    }
    return e;
}

/* Memoise an analysed chunk's `value` (references are the memo's own), unless a field is too
 * large for an entry. Returns 0, or -1 with an exception set. */
static int
memo_put(Memo *memo, uint64_t hash, const char *key, size_t len, const Entry *value)
{
    uint16_t votes[NLANGS];
    uint8_t counts[NCOUNTS];
    if (!narrow_fields(value, votes, counts)) {
        return 0;
    }
    MemoEntry *e = memo_store(memo, hash, key, len, votes, counts, value->text, value->tokens,
                              value->spread);
    return e == NULL ? -1 : 0;
}

/* The entry for `key`, or NULL (with no exception set) when absent; NULL with an exception
 * when promoting an old entry failed. The entry stays valid until the memo changes. */
static const MemoEntry *
memo_get(Memo *memo, uint64_t hash, const char *key, size_t len, int *failed)
{
    const MemoEntry *e = gen_find(&memo->young, hash, key, len);
    if (e != NULL) {
        return e;
    }
    e = gen_find(&memo->old, hash, key, len);
    if (e == NULL) {
        return NULL;
    }
    /* Copy out first: memo_store may grow or drop the old generation. */
    MemoEntry value = *e;
    Py_INCREF(value.text);
    Py_XINCREF(value.tokens);
    Py_INCREF(value.spread);
    e = memo_store(memo, hash, key, len, value.votes, value.counts, value.text, value.tokens,
                   value.spread);
    memo_entry_release(&value);
    if (e == NULL) {
        *failed = 1;
    }
    return e;
}
