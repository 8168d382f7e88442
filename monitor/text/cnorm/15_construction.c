/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: construction from the Python lexicons, GC support, methods, the type and the module. */

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
    self->h_known_is_w_known = known == self->w_known;
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
    PyObject *known_covers = pop_keyword(kw, "known_covers_lexicons", &failed);
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
    /* The caller vouches that Normalizer.known is a superset of slang keys, stopwords,
     * marker words, shared_or_slang and shared_vocabulary (Normalizer.__init__ builds it
     * from them), all frozensets; the byte set of known (stage 3c's) is that set. A word
     * outside it then needs none of their lookups (outside_known). */
    self->w_known_covers = !failed && known_covers == Py_True && self->h_prefixes != NULL &&
                           self->h_known_is_w_known &&
                           PyFrozenSet_CheckExact(self->w_slang_keys) &&
                           PyFrozenSet_CheckExact(self->w_stopwords) &&
                           PyFrozenSet_CheckExact(self->w_shared_or_slang) &&
                           PyFrozenSet_CheckExact(self->w_shared_vocabulary);
    Py_XDECREF(known_covers);
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
