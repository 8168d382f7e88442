/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 2b, the general path of Normalizer._word. */

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
    PyObject *split;
    if (entry_tokens(self, text, &split) < 0) {
        Py_DECREF(text);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[F_LAUGH] = 1;
    out->fields[F_LETTERS] = (uint32_t)n;
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
    if (add_votes(self, current, vote_len, NULL, marker, out->fields, -1, 0) < 0) {
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
    PyObject *split;
    if (entry_tokens(self, text, &split) < 0) {
        goto done;
    }
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
