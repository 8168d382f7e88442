/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: the chunk memo: two generations of open-addressing tables keyed by UTF-8 bytes. */

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
