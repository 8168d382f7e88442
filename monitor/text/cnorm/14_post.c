/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: one post (its chunks, their memo entries, the assembled result) and normalize_many. */

/* Add chunk cleaned[start:end] to the post: from the memo, else from analyse(chunk).
 * `key` is its UTF-8 form when it may be memoised (at most MAX_MEMO_KEY bytes), with `hash`
 * its hash_bytes, else NULL. */
static int
resolve_hashed_chunk(FastNormalizer *self, Post *post, PyObject *cleaned, Py_ssize_t start,
                     Py_ssize_t end, const char *key, size_t key_len, uint64_t hash)
{
    if (key != NULL) {
        int failed = 0;
        const MemoEntry *e = memo_get(&self->memo, hash, key, key_len, &failed);
        if (e != NULL) {
            return post_add_memo(self, post, e);
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
            int status = post_add(self, post, &value);
            if (status == 0) {
                status = memo_put(&self->memo, hash, key, key_len, &value);
            }
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
    status = post_add(self, post, &value);
    if (status == 0 && key != NULL) {
        status = memo_put(&self->memo, hash, key, key_len, &value);
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

/* Room for one more span in post->spans. 0, or -1 with an exception set. */
static int
reserve_span(Post *post, size_t n)
{
    if (n < post->spans_cap) {
        return 0;
    }
    size_t cap = post->spans_cap ? post->spans_cap * 2 : 64;
    ChunkSpan *spans = PyMem_Realloc(post->spans, cap * sizeof(ChunkSpan));
    if (spans == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    post->spans = spans;
    post->spans_cap = cap;
    return 0;
}

/* Split `cleaned` like str.split() (Py_UNICODE_ISSPACE, the table str.split uses) into
 * post->spans, with the UTF-8 key of each chunk that may be memoised (at most
 * max_memo_chunk characters and MAX_MEMO_KEY bytes; an ASCII post is its own key arena, a
 * non-ASCII one's keys go to post->keys) and its hash. The number of chunks, or -1 with an
 * exception set. */
static Py_ssize_t
split_chunks(FastNormalizer *self, Post *post, PyObject *cleaned, const char **arena)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(cleaned);
    Py_ssize_t max_chunk = self->max_memo_chunk;
    int ascii = PyUnicode_IS_ASCII(cleaned);
    int kind = PyUnicode_KIND(cleaned);
    const void *data = PyUnicode_DATA(cleaned);
    if (ascii) {
        *arena = (const char *)data;
    }
    else {
        size_t need = (size_t)len * 4 + 1;
        if (need > post->keys_cap) {
            char *keys = PyMem_Realloc(post->keys, need);
            if (keys == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            post->keys = keys;
            post->keys_cap = need;
        }
        *arena = post->keys;
    }
    const Generation *young = &self->memo.young;
    size_t n = 0, used = 0;
    Py_ssize_t i = 0;
    while (i < len) {
        if (ascii) {
            const char *text = (const char *)data;
            while (i < len && ascii_space[(unsigned char)text[i]]) {
                i++;
            }
        }
        else {
            while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
                i++;
            }
        }
        if (i == len) {
            break;
        }
        Py_ssize_t start = i;
        if (ascii) {
            const char *text = (const char *)data;
            while (i < len && !ascii_space[(unsigned char)text[i]]) {
                i++;
            }
        }
        else {
            while (i < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
                i++;
            }
        }
        if (reserve_span(post, n) < 0) {
            return -1;
        }
        ChunkSpan *span = &post->spans[n++];
        span->start = start;
        span->end = i;
        span->memoised = i - start <= max_chunk;
        span->key_off = span->key_len = 0;
        if (ascii) {
            span->key_off = (size_t)start;
            span->key_len = (size_t)(i - start);
        }
        else if (span->memoised) {
            span->key_off = used;
            span->key_len = utf8_key(kind, data, start, i, post->keys + used);
            used += span->key_len;
        }
        /* A key with a surrogate (never after cleaning) or too long for an entry: analysed
         * once per call instead. */
        span->memoised = span->memoised && span->key_len > 0 && span->key_len <= MAX_MEMO_KEY;
        if (span->memoised) {
            span->hash = hash_bytes(*arena + span->key_off, span->key_len);
            if (young->count > 0) { /* the slot loads while the next chunks are split */
                __builtin_prefetch(&young->slots[span->hash & (young->nslots - 1)]);
            }
        }
        else {
            span->hash = 0;
        }
    }
    return (Py_ssize_t)n;
}

/* Split `cleaned` like str.split() and add every chunk to the post. The memo lookups of a
 * warm pass are mostly cache misses (the slot, the entry, the entry's objects), and each
 * chunk's chain of three depends on itself only; so the post's chunks are first split and
 * hashed, then each level is prefetched for all of them before the next, and the misses
 * overlap instead of following one another. Prefetching only reads the memo's current
 * arrays; the lookups themselves are the usual ones (the memo may change between chunks when
 * one is missing). */
static int
collect_chunks(FastNormalizer *self, Post *post, PyObject *cleaned)
{
    const char *arena = NULL;
    Py_ssize_t found = split_chunks(self, post, cleaned, &arena);
    if (found < 0) {
        return -1;
    }
    size_t n = (size_t)found;
    const Generation *young = &self->memo.young;
    if (young->count > 0) { /* the slots were prefetched by split_chunks */
        size_t mask = young->nslots - 1;
        for (size_t k = 0; k < n; k++) {
            if (post->spans[k].memoised) {
                uint32_t slot = young->slots[post->spans[k].hash & mask];
                if (slot != 0) {
                    __builtin_prefetch(&young->entries[slot - 1]);
                }
            }
        }
        for (size_t k = 0; k < n; k++) {
            if (post->spans[k].memoised) {
                uint32_t slot = young->slots[post->spans[k].hash & mask];
                if (slot != 0) {
                    const MemoEntry *e = &young->entries[slot - 1];
                    if (e->hash_tag == hash_tag(post->spans[k].hash)) {
                        __builtin_prefetch(e->text);
                        if (e->tokens != NULL) {
                            __builtin_prefetch(e->tokens);
                        }
                    }
                }
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        const ChunkSpan *span = &post->spans[k];
        if (resolve_hashed_chunk(self, post, cleaned, span->start, span->end,
                                 span->memoised ? arena + span->key_off : NULL, span->key_len,
                                 span->hash) < 0) {
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
            if (post->parts[i].text != NULL) { /* one token, the text (post_add_objects) */
                PyTuple_SET_ITEM(tokens, pos++, Py_NewRef(post->parts[i].text));
            }
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
    if (out == NULL || (n > 1 && done == NULL)) {
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
