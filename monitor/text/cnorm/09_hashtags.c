/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 3c, hashtags. */

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
    if (ascii_upper(x[i])) {
        while (j < m && ascii_upper(x[j])) {
            j++;
        }
        if (j < m && ascii_lower(x[j])) { /* (?![a-z]) fails: back off one capital */
            if (j - i >= 2) {
                return j - 1;
            }
            *whole = 1; /* [A-Z]?[a-z]+ */
        }
        else {
            return j;
        }
    }
    while (j < m && ascii_lower(x[j])) {
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
        low[i] = (char)(ascii_upper(x[i]) ? x[i] + ('a' - 'A') : x[i]);
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
    PyObject *tokens;
    if (entry_tokens(self, text, &tokens) < 0) {
        Py_DECREF(text);
        Py_DECREF(spread);
        return -1;
    }
    memcpy(out->fields, acc->fields, sizeof(out->fields));
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
    while (m < n && (ascii_lower(s[m]) || ascii_upper(s[m]) ||
                     (s[m] >= '0' && s[m] <= '9') || s[m] == '_')) {
        digits += s[m] >= '0' && s[m] <= '9';
        m++;
    }
    if (m == 1) {
        return 0;
    }
    if (!only_safe_punct(s, m, n)) {
        return 0;
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
    add_surface_counts(s, n, acc.fields);
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
