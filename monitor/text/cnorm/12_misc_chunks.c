/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 3d, numbers, hyphenated words and dotted mentions. */

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
    PyObject *tokens;
    if (entry_tokens(self, text, &tokens) < 0) {
        Py_DECREF(text);
        return -1;
    }
    memcpy(out->fields, fields, sizeof(out->fields));
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
    ascii_lowercase(lower, s + a, len);
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
    char lower[MISC_CHUNK_MAX] = {0}; /* filled below; gcc cannot tell wn > 0 */
    ascii_lowercase(lower, s + a, wn);
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
    add_surface_marks(s, n, out->fields);
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
