/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 3b, one URL or one mention. */

/* ----------------------------------------------------------------------------------------
 * Stage 3b: a chunk that is one URL, or one mention with safe punctuation after it
 *
 * URL chunk: ASCII, at most LINK_CHUNK_MAX (<= pipeline.MAX_PIECE: one piece) characters,
 * starting with [Hh][Tt][Tt][Pp][Ss]?:// or [Ww][Ww][Ww]\. and at least one more character,
 * every character printable (0x21..0x7e) and none of <>"'()[]{} (the characters, besides
 * whitespace, that end the url alternative's [^\s<>"'()\[\]{}]+). The url alternative is
 * the first one of pipeline._token_re and is tried at position 0 first, so it matches, and
 * its greedy class runs to the end of the chunk: the only match is the whole chunk as a URL.
 * ("https://" alone is not one: the class needs a character.) _piece then appends
 * url_token(chunk) and adds one url to an empty _Acc, whose result is (token, url, "") (no
 * spread code was appended); _analyse_chunk (not isalpha(): the chunk holds ':' or '.')
 * adds surface_counts(chunk). url_domain is ported by link_domain below (ASCII only, where
 * lower() and \w are the ASCII ones and strip() removes nothing: no whitespace).
 *
 * Mention chunk: ASCII, '@', one or more [A-Za-z0-9_] (\w on ASCII), then zero or more
 * characters of SAFE_PUNCT (no letter, digit, '_', '@', '#', '/', '\'' or '-'). The e-mail
 * alternative (compiled: '@' is in the piece) cannot match at 0 ('@' is not in [\w.+-]) nor
 * later (it needs a second '@'), url and special need a letter first, so the mention
 * alternative matches @\w+, greedily, up to the first P. No alternative starts at a P (see
 * stage 3a), so nothing else matches: the contribution is (@mention, mention, "") plus
 * surface_counts(chunk). Both claims are also checked with the regex in the tests.
 * ------------------------------------------------------------------------------------- */

#ifndef LINK_CHUNKS_DEFAULT
#define LINK_CHUNKS_DEFAULT 1
#endif
#define LINK_CHUNK_MAX 48

/* Case-insensitive: does s (n bytes) start with the lowercase ASCII `prefix`? */
static int
starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k) {
        return 0;
    }
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + ('a' - 'A'));
        }
        if (c != prefix[i]) {
            return 0;
        }
    }
    return 1;
}

/* urls.url_domain of an ASCII URL chunk (n <= LINK_CHUNK_MAX), written to dom; its length. */
static size_t
link_domain(const char *s, size_t n, char *dom)
{
    static const char *const noise[] = {"www.", "m.", "mobile.", "amp.", "web."};
    char low[LINK_CHUNK_MAX];
    ascii_lowercase(low, s, n);
    const char *r = low;
    size_t rn = n;
    for (size_t i = 0; i + 3 <= rn; i++) { /* rest[rest.find("://") + 3:] */
        if (r[i] == ':' && r[i + 1] == '/' && r[i + 2] == '/') {
            r += i + 3;
            rn -= i + 3;
            break;
        }
    }
    for (size_t i = 0; i < rn; i++) { /* cut at each of "/?#\\" in turn: at the first one */
        if (r[i] == '/' || r[i] == '?' || r[i] == '#' || r[i] == '\\') {
            rn = i;
            break;
        }
    }
    for (size_t i = rn; i > 0; i--) { /* rpartition("@")[2] */
        if (r[i - 1] == '@') {
            r += i;
            rn -= i;
            break;
        }
    }
    for (size_t i = 0; i < rn; i++) { /* partition(":")[0] */
        if (r[i] == ':') {
            rn = i;
            break;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < rn; i++) { /* drop [^\w.-] */
        char c = r[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.' || c == '-') {
            dom[m++] = c;
        }
    }
    size_t a = 0;
    while (a < m && (dom[a] == '.' || dom[a] == '-')) { /* strip(".-") */
        a++;
    }
    while (m > a && (dom[m - 1] == '.' || dom[m - 1] == '-')) {
        m--;
    }
    size_t dots = 0;
    for (size_t i = a; i < m; i++) {
        dots += dom[i] == '.';
    }
    for (size_t k = 0; k < sizeof(noise) / sizeof(noise[0]); k++) {
        size_t pn = strlen(noise[k]);
        if (m - a >= pn && memcmp(dom + a, noise[k], pn) == 0 && dots >= 2) {
            a += pn;
            break;
        }
    }
    if (a == m) {
        memcpy(dom, "unknown", 7);
        return 7;
    }
    memmove(dom, dom + a, m - a);
    return m - a;
}

/* 1 with *out filled when the ASCII chunk `s` (n bytes) is one URL or a mention with safe
 * punctuation after it (see above); 0 when it must go elsewhere; -1 on error. */
static int
analyse_link_chunk(FastNormalizer *self, const char *s, size_t n, Entry *out)
{
    if (n == 0 || n > LINK_CHUNK_MAX) {
        return 0;
    }
    int field;
    PyObject *text;
    if (s[0] == '@') {
        size_t i = 1;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                         (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
            i++;
        }
        if (i == 1) {
            return 0;
        }
        if (!only_safe_punct(s, i, n)) {
            return 0;
        }
        field = F_MENTION;
        text = PyUnicode_FromStringAndSize("@mention", 8);
    }
    else {
        size_t plen;
        if (starts_with_ci(s, n, "https://")) {
            plen = 8;
        }
        else if (starts_with_ci(s, n, "http://")) {
            plen = 7;
        }
        else if (starts_with_ci(s, n, "www.")) {
            plen = 4;
        }
        else {
            return 0;
        }
        if (n <= plen) {
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x21 || c > 0x7e || strchr("<>\"'()[]{}", c) != NULL) {
                return 0;
            }
        }
        char token[4 + LINK_CHUNK_MAX];
        memcpy(token, "url:", 4);
        size_t dn = link_domain(s, n, token + 4);
        field = F_URL;
        text = PyUnicode_FromStringAndSize(token, (Py_ssize_t)(4 + dn));
    }
    if (text == NULL) {
        return -1;
    }
    PyObject *tokens = PyTuple_Pack(1, text);
    if (tokens == NULL) {
        Py_DECREF(text);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[field] = 1;
    add_surface_counts(s, n, out->fields);
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(self->dot);
    self->stats[field == F_URL ? S_C_URLS : S_C_MENTIONS]++;
    return 1;
}
