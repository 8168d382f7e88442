/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stems and stabilisations answered in C (call_stem, call_stable). */

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
 *      most _cstem.MAX_WORD_LENGTH letters; a word a-b of two [a-z]+ parts goes to
 *      FastStemmer.stem and Sastrawi's plural rule, see plural_stem), then cache.add:
 *      refused (and the memo used
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
 * is neither [a-z]+ nor a-b (plural_stem tells which a-b words it leaves), the memo in use, a full cache, a word the CStemmer refuses, an attribute
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

/* Whether obj's attributes a and b are items of its instance dict: its type has a dict and
 * defines neither name (no descriptor, no class attribute), so getattr and setattr go
 * straight to the instance dict. */
static int
plain_attributes(PyObject *obj, PyObject *a, PyObject *b)
{
    PyTypeObject *type = Py_TYPE(obj);
#ifdef Py_TPFLAGS_MANAGED_DICT
    int has_dict = (type->tp_flags & Py_TPFLAGS_MANAGED_DICT) || type->tp_dictoffset != 0;
#else
    int has_dict = type->tp_dictoffset != 0;
#endif
    return has_dict &&
           type->tp_getattro == PyObject_GenericGetAttr &&
           type->tp_setattro == PyObject_GenericSetAttr && _PyType_Lookup(type, a) == NULL &&
           _PyType_Lookup(type, b) == NULL;
}

/* d[name] when present and of exactly `type`: a new reference; else NULL, with an exception
 * only on error (a missing or other-typed item is not one). */
static PyObject *
item_of_type(PyObject *d, PyObject *name, PyTypeObject *type)
{
    PyObject *value = PyDict_GetItemWithError(d, name);
    return value != NULL && Py_TYPE(value) == type ? Py_NewRef(value) : NULL;
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
    self->st_plain_attrs = plain_attributes(self->st_stemmer, str_memo_used, str_computed) &&
                           plain_attributes(cache, str_entries, str_new_words);
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

/* The position of the one '-' of a word a-b (a and b non-empty [a-z]+), else -1. */
static Py_ssize_t
hyphen_pair_dash(const char *s, size_t n)
{
    Py_ssize_t dash = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (dash >= 0 || i == 0 || i + 1 == n) {
                return -1;
            }
            dash = (Py_ssize_t)i;
        }
        else if (s[i] < 'a' || s[i] > 'z') {
            return -1;
        }
    }
    return dash;
}

/* The CStemmer's stem_word(word): a new reference to a str, NULL without an exception when
 * it answers None (too long: FastStemmer would then stem in Python), NULL with one on error. */
static PyObject *
singular_of(PyObject *stem_word, PyObject *word)
{
    PyObject *stem = PyObject_CallOneArg(stem_word, word);
    if (stem != NULL && !PyUnicode_CheckExact(stem)) {
        Py_CLEAR(stem); /* None */
    }
    return stem;
}

/* singular_of the word s[:n]. */
static PyObject *
singular_stem(PyObject *stem_word, const char *s, size_t n)
{
    PyObject *word = PyUnicode_FromStringAndSize(s, (Py_ssize_t)n);
    if (word == NULL) {
        return NULL;
    }
    PyObject *stem = singular_of(stem_word, word);
    Py_DECREF(word);
    return stem;
}

/* FastStemmer.stem(word) for a word a-b (one '-' at `dash`, [a-z]+ on each side), as
 * Stemmer._compute asks it: the text normalisation leaves such a word as it is, and
 * stem_word takes Sastrawi's plural rule (_stem_plural_word). With a single '-' the rule
 * splits at it; b a particle (-nya, -lah, ...) makes the word no plural (_is_plural), and then
 * it is stemmed in Python, as is a part the CStemmer refuses. The stem of a is kept when the
 * stem of b (or of "me" + b, when b is no dictionary word and its own stem) is the same, else
 * the word itself. A new reference, NULL without an exception when Python must answer, NULL
 * with one on error. */
static PyObject *
plural_stem(FastNormalizer *self, PyObject *stem_word, PyObject *word, const char *s,
            size_t n, size_t dash)
{
    static const char *const particles[] = {"ku", "mu", "nya", "lah", "kah", "tah", "pun"};
    const char *b = s + dash + 1;
    size_t nb = n - dash - 1;
    for (size_t i = 0; i < sizeof(particles) / sizeof(particles[0]); i++) {
        if (strlen(particles[i]) == nb && memcmp(particles[i], b, nb) == 0) {
            return NULL;
        }
    }
    PyObject *root1 = singular_stem(stem_word, s, dash);
    if (root1 == NULL) {
        return NULL;
    }
    PyObject *root2 = singular_stem(stem_word, b, nb);
    if (root2 == NULL) {
        Py_DECREF(root1);
        return NULL;
    }
    Py_ssize_t n2;
    const char *r2 = PyUnicode_AsUTF8AndSize(root2, &n2);
    if (r2 == NULL) {
        goto error;
    }
    if ((size_t)n2 == nb && memcmp(r2, b, nb) == 0) { /* b is its own stem */
        PyObject *bword = PyUnicode_FromStringAndSize(b, (Py_ssize_t)nb);
        int known = bword == NULL ? -1 : PySet_Contains(self->st_dictionary, bword);
        PyObject *me = NULL;
        if (known == 0) {
            /* Sastrawi stems b again with the prefix "me" (its "menanti-nanti" case). */
            PyObject *prefix = PyUnicode_FromStringAndSize("me", 2);
            me = prefix == NULL ? NULL : PyUnicode_Concat(prefix, bword);
            Py_XDECREF(prefix);
            known = me == NULL ? -1 : 0;
        }
        Py_XDECREF(bword);
        if (known < 0) {
            goto error;
        }
        if (me != NULL) {
            PyObject *stem = singular_of(stem_word, me);
            Py_DECREF(me);
            Py_SETREF(root2, stem);
            if (root2 == NULL) {
                Py_DECREF(root1);
                return NULL;
            }
        }
    }
    int same = PyUnicode_Compare(root1, root2);
    if (same == -1 && PyErr_Occurred()) {
        goto error;
    }
    Py_DECREF(root2);
    if (same == 0) {
        return root1;
    }
    Py_DECREF(root1);
    return Py_NewRef(word);
error:
    Py_DECREF(root1);
    Py_DECREF(root2);
    return NULL;
}

/* Step 4 of Stemmer.stem for the [a-z]+ word `word` of n letters, missing from `entries`:
 * 1 with *out the stem (new reference) after updating the Stemmer exactly as _compute and
 * cache.add do; 0 when Python must do it (nothing changed); -1 on error. */
static int
learn_stem(FastNormalizer *self, PyObject *word, Py_ssize_t dash, PyObject *entries,
           PyObject **out)
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
    /* With plain attributes (resolve_learning) the counters are read and written in the
     * instance dicts directly, which is what getattr and setattr do for them, less the
     * type lookups: most of a learnt stem's bookkeeping otherwise. */
    PyObject *stemmer_dict = NULL, *cache_dict = NULL;
    int status = -1;
    if (self->st_plain_attrs) {
        stemmer_dict = PyObject_GenericGetDict(stemmer, NULL);
        cache_dict = stemmer_dict != NULL ? PyObject_GenericGetDict(cache, NULL) : NULL;
        if (cache_dict == NULL) {
            goto done;
        }
    }
#define GET(var, obj, dict, name, type)                                                     \
    do {                                                                                    \
        var = dict != NULL ? item_of_type((dict), (name), (type))                           \
                           : attr_of_type((obj), (name), (type));                           \
        if (var == NULL) {                                                                  \
            status = PyErr_Occurred() ? -1 : 0;                                             \
            goto done;                                                                      \
        }                                                                                   \
    } while (0)
    GET(memo_used, stemmer, stemmer_dict, str_memo_used, &PyBool_Type);
    if (memo_used != Py_False) {
        status = 0; /* step 3: the memo may hold the word */
        goto done;
    }
    GET(cache_entries, cache, cache_dict, str_entries, &PyDict_Type);
    GET(new_words, cache, cache_dict, str_new_words, &PyLong_Type);
    GET(computed, stemmer, stemmer_dict, str_computed, &PyLong_Type);
#undef GET
    int full = PyObject_RichCompareBool(new_words, max_new, Py_GE);
    if (full != 0 || cache_entries != entries) {
        status = full < 0 ? -1 : 0; /* cache.add would refuse, or add elsewhere */
        goto done;
    }
    if (dash < 0) {
        stem = singular_of(stem_word, word);
    }
    else {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(word, &n);
        stem = s == NULL ? NULL : plural_stem(self, stem_word, word, s, (size_t)n, (size_t)dash);
    }
    if (stem == NULL) {
        status = PyErr_Occurred() ? -1 : 0;
        goto done;
    }
    computed1 = PyNumber_Add(computed, long_one);
    new_words1 = PyNumber_Add(new_words, long_one);
    if (computed1 == NULL || new_words1 == NULL ||
        (stemmer_dict != NULL ? PyDict_SetItem(stemmer_dict, str_computed, computed1)
                              : PyObject_SetAttr(stemmer, str_computed, computed1)) < 0 ||
        PyDict_SetItem(entries, word, stem) < 0 ||
        (cache_dict != NULL ? PyDict_SetItem(cache_dict, str_new_words, new_words1)
                            : PyObject_SetAttr(cache, str_new_words, new_words1)) < 0) {
        goto done;
    }
    *out = Py_NewRef(stem);
    status = 1;
done:
    Py_XDECREF(stemmer_dict);
    Py_XDECREF(cache_dict);
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
    Py_ssize_t dash = -1;
    if (s != NULL && !lower_letters(s, (size_t)n)) {
        dash = hyphen_pair_dash(s, (size_t)n);
    }
    if (s == NULL || (dash < 0 && !lower_letters(s, (size_t)n))) {
        status = 0; /* the dictionary rule does not apply; the memo or _compute decides */
        goto done;
    }
    /* step 2: a word with a '-' is not isalpha */
    status = dash >= 0 ? 0 : PySet_Contains(dictionary, word);
    if (status > 0) {
        *out = Py_NewRef(word);
    }
    else if (status == 0) {
        status = learn_stem(self, word, dash, entries, out);
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

/* [a-z]+(-[a-z]+)+: a hyphenated word of lowercase ASCII letters. */
static int
lower_hyphen_word(const char *s, size_t n)
{
    int hyphens = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-') {
            if (i == 0 || i + 1 == n || s[i - 1] == '-') {
                return 0;
            }
            hyphens++;
        }
        else if (s[i] < 'a' || s[i] > 'z') {
            return 0;
        }
    }
    return hyphens > 0;
}

static int digit_fixpoint(FastNormalizer *self, PyObject *token, const char *s, size_t n);

/* _stable(token) == (token,) answered in C: 1 when it holds, 0 when it does not or Python
 * must tell (_stable decides), -1 on error. For an [a-z]+ token this is
 * Normalizer._is_plain_fixpoint. A hyphenated token a-b(-c...) fails that test (isalpha), and
 * _stable then asks _stabilise, whose _raw_tokens reads it as one tokenizer word match (no
 * '@', '/', '.', digit or ':'; at most MAX_WORD < MAX_PIECE characters), given to _word: no
 * laughter (no alternative of _LAUGH_RE holds a '-'; maybe_laughter is checked anyway), no
 * slang key and no slang word plus clitic, not elongated, so _emit(token) alone gives the
 * tokens: none for a stopword, else its stem, or the token itself when the stem is a stopword
 * or empty. That is the plain test with the token's own stem (stem_in_c answers a-b; other
 * hyphenated words go to Python there). A token with digits: see digit_fixpoint. */
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
    if (!lower_letters(s, (size_t)n) && !lower_hyphen_word(s, (size_t)n)) {
        return digit_fixpoint(self, token, s, (size_t)n);
    }
    int reason;
    if (plain_word_reason(self, token, s, (size_t)n, &reason) < 0) {
        return -1;
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
 * stats[stem_stat] unless stem_stat is -1), added to fields. outside: the word is outside
 * Normalizer.known (outside_known), so in neither shared set. */
static int
add_votes(FastNormalizer *self, PyObject *word, size_t n, PyObject *stem, PyObject *marker,
          uint32_t *fields, int stem_stat, int outside)
{
    int shared = outside ? 0 : PySet_Contains(self->w_shared_or_slang, word);
    if (shared > 0) {
        int other = PySet_Contains(self->w_other_markers, word);
        shared = other < 0 ? -1 : !other;
    }
    if (shared == 0 && !outside) {
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
