/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 3a, a word with capitals and/or safe punctuation. */

/* ----------------------------------------------------------------------------------------
 * Stage 3a: one ASCII word with capitals and/or safe punctuation around it
 *
 * A chunk P* W P*, W one run of ASCII letters [A-Za-z]+ and each P one character of
 * SAFE_PUNCT, that is not [a-z]+ (stage 2). What Normalizer._analyse_chunk gives for it:
 *   - no P (W has capitals): the isalpha() branch, _word_part(W) + surface_counts(W) (the
 *     isupper() shortcut, len * (letters + upper), is the same number for ASCII);
 *   - with P: one piece (only chunks of at most WORD_CHUNK_MAX <= pipeline.MAX_PIECE
 *     characters are taken), whose only tokenizer match is W (below), so an _Acc holding
 *     _word_part(W) alone: text = part.text, packed = part.packed, spread code = part.spread
 *     unless it is empty or only dots (_Acc.result) -- then "" (stored as ".");
 *     plus surface_counts(chunk).
 * _word_part(W) is the word memo entry of lower(W), which is always _plain_word(lower(W))
 * when that is not None (_new_word_part), i.e. exactly what analyse_plain_word computes;
 * when it gives up the whole chunk goes to analyse(). surface_counts of an ASCII chunk:
 * its A-Z count (upper), its A-Za-z count (letters: those of W, already counted by
 * analyse_plain_word), and its '!' and '?' counts.
 *
 * Why the only match of token_matches(piece) is W (pipeline._token_re; '@' and '/' are not
 * in SAFE_PUNCT, so the e-mail and path alternatives are not even compiled). Every
 * alternative starts with a character that no P is: url [Hh]/[Ww], special u/e/l, mention
 * '@', hashtag '#', number [Rr] or a digit, word [^\W_] (alphanumeric), flag and emoji
 * (EMOJI_CLASS and REGIONAL_INDICATORS hold no ASCII character). So no match starts in the
 * leading P*, and finditer first tries W's first letter, where (alternatives in order):
 *   url: "http"/"https" needs "://" ('/' unsafe); "www." needs W == "www" (any case)
 *        followed by '.', and then any of our P continues it ("www.," is a URL) -> W "www"
 *        with trailing P goes to Python;
 *   special: "url:" + [\w.-]+ needs W == "url" followed by ':' and then '.' ("url:." is a
 *        special token!); "emoji:" + [a-z0-9_]+ and "laugh:haha" need a letter or digit
 *        after the ':', which no P is -> W "url", "emoji", "laugh" (lowercased, to be safe)
 *        with trailing P go to Python;
 *   mention, hashtag, number: need '@', '#' or a digit;
 *   word: [^\W_]+ takes all of W and stops at the first P (not alphanumeric); it could only
 *        go on over ['.\-] followed by an alphanumeric, and every character after W is a P.
 * The next search starts right after W, at a P or the end; as above nothing starts there.
 * Excluded from SAFE_PUNCT: '@' '/' (e-mail, mention, path, URL), '#' (hashtag), '\'' and
 * '-' (inner word characters; also in e-mail/special/URL classes), '_' and digits (word
 * characters), and the rest of ASCII punctuation simply because it is rare.
 * ------------------------------------------------------------------------------------- */

#define SAFE_PUNCT ".,!?;:\"()"

/* ASCII character classes and chunk helpers shared by the stages from here on. */
static int
ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
ascii_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int
ascii_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int
ascii_letter(char c)
{
    return ascii_lower(c) || ascii_upper(c);
}

static int
safe_punct(char c)
{
    return c != '\0' && strchr(SAFE_PUNCT, c) != NULL;
}

/* Whether s[from:n] is all SAFE_PUNCT. */
static int
only_safe_punct(const char *s, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        if (!safe_punct(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* s[0:n] lowercased (ASCII) into dst. */
static void
ascii_lowercase(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = (char)(ascii_upper(s[i]) ? s[i] + ('a' - 'A') : s[i]);
    }
}

/* The capitals, '!' and '?' of surface_counts(s[0:n]), added to fields (for a chunk whose
 * letters were counted with its word). */
static void
add_surface_marks(const char *s, size_t n, uint32_t *fields)
{
    for (size_t i = 0; i < n; i++) {
        fields[F_UPPER] += ascii_upper(s[i]);
        fields[F_EXCLAMATION] += s[i] == '!';
        fields[F_QUESTION] += s[i] == '?';
    }
}

/* surface_counts of the ASCII chunk s[0:n], added to fields. */
static void
add_surface_counts(const char *s, size_t n, uint32_t *fields)
{
    add_surface_marks(s, n, fields);
    for (size_t i = 0; i < n; i++) {
        fields[F_LETTERS] += ascii_letter(s[i]);
    }
}
/* Longest chunk taken (pipeline.MAX_PIECE is 256: such a chunk is one piece). */
#define WORD_CHUNK_MAX 48

/* 1 with *out filled when chunk `s` (n ASCII bytes) is P*WP*, not [a-z]+, and W is handled by
 * analyse_plain_word; 0 when the chunk must go to analyse(); -1 on error. */
static int
analyse_word_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    size_t a = 0, b, upper = 0, bang = 0, question = 0;
    char lower[WORD_CHUNK_MAX + 1];
    if (n > WORD_CHUNK_MAX) {
        return 0;
    }
    while (a < n && safe_punct(s[a])) {
        a++;
    }
    b = a;
    while (b < n && ascii_letter(s[b])) {
        b++;
    }
    if (b == a) {
        return 0; /* no letters */
    }
    if (!only_safe_punct(s, b, n)) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        upper += ascii_upper(s[i]);
        bang += s[i] == '!';
        question += s[i] == '?';
    }
    size_t wn = b - a;
    int punct = wn != n;
    if (!punct && upper == 0) {
        return 0; /* [a-z]+: stage 2 */
    }
    ascii_lowercase(lower, s + a, wn);
    lower[wn] = '\0';
    if (punct && (strcmp(lower, "www") == 0 || strcmp(lower, "url") == 0 ||
                  strcmp(lower, "emoji") == 0 || strcmp(lower, "laugh") == 0)) {
        self->stats[S_PY_WORD_CHUNKS]++;
        return 0;
    }
    PyObject *word = PyUnicode_FromStringAndSize(lower, (Py_ssize_t)wn);
    if (word == NULL) {
        return -1;
    }
    int handled = analyse_plain_word(self, word, lower, wn, out);
    Py_DECREF(word);
    if (handled <= 0) {
        if (handled == 0) {
            self->stats[S_PY_WORD_CHUNKS]++;
        }
        return handled;
    }
    /* analyse_plain_word counted the letters of W, all the chunk's letters. */
    out->fields[F_UPPER] += (uint32_t)upper;
    out->fields[F_EXCLAMATION] += (uint32_t)bang;
    out->fields[F_QUESTION] += (uint32_t)question;
    if (punct && out->spread != self->dot) { /* _Acc.result: only dots -> "" */
        Py_ssize_t len = PyUnicode_GET_LENGTH(out->spread);
        int dots = 1;
        for (Py_ssize_t i = 0; i < len && dots; i++) {
            dots = PyUnicode_READ_CHAR(out->spread, i) == '.';
        }
        if (dots) {
            Py_SETREF(out->spread, Py_NewRef(self->dot));
        }
    }
    self->stats[S_C_WORD_CHUNKS]++;
    return 1;
}
