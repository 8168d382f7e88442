/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 3e, words with digits. */

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
    int status = add_votes(self, word, stem != NULL ? n : 0, stem, marker, fields, -1, 0);
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

/* _stable(token) == (token,) for a token of n lowercase ASCII letters and digits holding a
 * digit ("2026", "covid19", "m30ndok"), answered in C (see plain_fixpoint): 1 when it holds,
 * 0 when Python must tell, -1 on error. _raw_tokens reads such a token as one tokenizer word
 * match (the number group needs a separator or a '%'; no laughter holds a digit) given to
 * _word, whose tokens digit_word gives before stabilisation; the token is a fixed point when
 * they are the token alone. The stems digit_word asks are the ones _word asks. */
static int
digit_fixpoint(FastNormalizer *self, PyObject *token, const char *s, size_t n)
{
    if (n == 0 || n > DIGIT_CHUNK_MAX) {
        return 0;
    }
    int digit = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ascii_digit(s[i]) && !ascii_lower(s[i])) {
            return 0;
        }
        digit |= ascii_digit(s[i]);
    }
    if (!digit) {
        return 0;
    }
    WordAcc acc = {{NULL}, 0, {0}, NULL};
    int status = digit_word(self, token, s, n, &acc);
    if (status > 0) {
        status = acc.ntokens == 1 ? PyUnicode_Compare(acc.tokens[0], token) : 1;
        status = status == 0 ? 1 : PyErr_Occurred() ? -1 : 0;
    }
    word_acc_release(&acc);
    return status;
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
    while (a < n && safe_punct(s[a])) {
        a++;
    }
    for (b = a; b < n; b++) {
        char c = s[b];
        if (ascii_digit(c)) {
            digits++;
        }
        else if (!ascii_letter(c)) {
            break;
        }
    }
    if (digits == 0) {
        return 0;
    }
    if (!only_safe_punct(s, b, n)) {
        return 0;
    }
    size_t wn = b - a;
    ascii_lowercase(lower, s + a, wn);
    PyObject *word = PyUnicode_FromStringAndSize(lower, (Py_ssize_t)wn);
    if (word == NULL) {
        return -1;
    }
    if (self->general_words && (Py_ssize_t)wn <= self->w_max_word) {
        int handled = analyse_slang_digit_word(self, word, lower, wn, out);
        if (handled != 0) {
            Py_DECREF(word);
            if (handled > 0) {
                add_surface_marks(s, n, out->fields); /* letters counted already */
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
        status = text != NULL && entry_tokens(self, text, &tokens) == 0 ? 1 : -1;
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
    add_surface_counts(s, n, out->fields);
    /* _Acc.result, twice (word, chunk): a code of dots only, or none, is "" (stored ".") */
    int dots = 1;
    if (acc.code != NULL) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(acc.code);
        for (Py_ssize_t i = 0; i < len && dots; i++) {
            dots = PyUnicode_READ_CHAR(acc.code, i) == '.';
        }
    }
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(dots ? self->dot : acc.code);
    word_acc_release(&acc);
    self->stats[S_C_DIGIT_WORDS]++;
    return 1;
}
