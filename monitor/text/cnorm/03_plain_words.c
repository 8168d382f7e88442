/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 2, plain [a-z]+ words. */

/* ----------------------------------------------------------------------------------------
 * Stage 2: plain words analysed in C
 *
 * A chunk of lowercase ASCII letters only ([a-z]+) goes through the first branch of
 * Normalizer._analyse_chunk: the word's part (word memo, else _new_word_part, which gives
 * _plain_word(word) whenever that is not None) plus len(chunk) letters. The part depends on
 * the word and the lexicons alone (the word memo only saves work), so the C side computes
 * _plain_word(word) itself and never reads or writes the Python word memo; any other path
 * that needs the word still computes the same part.
 *
 * analyse_plain_word follows _plain_word step for step. Where _plain_word returns None it
 * gives up (the chunk goes to the analyse() callback, counted in stats()), except that
 * laughter, elongated, slang and clitic-slang words are handed to stage 2b (analyse_laughter
 * and analyse_general_word, below) when it is on. Laughter is tested first (as in
 * Normalizer._word): a cheap necessary condition (maybe_laughter), then, with stage 2b, the
 * exact test; without stage 2b a word that might match elongation._LAUGH_RE goes to
 * Python. Elongation (a letter three times in a row, _ELONGATED_RE on [a-z]) is exact.
 * The stem comes from call_stem (the Stemmer's cache and learning stay those of the Python
 * path, and it is asked for the same words in the same order), and a stem that differs from
 * the word goes through call_stable (Normalizer._stable), as in _plain_word. The language
 * votes of a marker word come from a table built in Python (pack_votes(word_votes(w, s)) for
 * s False and True); every other word votes _PACKED_SHARED or _UNKNOWN.
 * ------------------------------------------------------------------------------------- */

static int
only_letters(const char *s, size_t n, const char *allowed)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr(allowed, s[i]) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* 1 when s is [a-z]+ (for ASCII text: isalpha() and islower() both hold), else 0. */
static int
lower_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z') {
            return 0;
        }
    }
    return n > 0;
}

/* 0 when the [a-z] word cannot match elongation._LAUGH_RE; 1 when it might. Each test is a
 * necessary condition of one alternative of the pattern. */
static int
maybe_laughter(const char *s, size_t n)
{
    return ((s[0] == 'a' || s[0] == 'w') && only_letters(s, n, "aweok")) || /* a?w+[aeo]?k+ */
           (s[0] == 'k' && only_letters(s, n, "kw")) ||                    /* k+w+ */
           (only_letters(s, n, "bmwaheiou") && memchr(s, 'h', n) != NULL) || /* haha */
           (s[0] == 'x' && only_letters(s, n, "xi")) ||                    /* xixi */
           (n >= 2 && s[0] == 'l' && (s[1] == 'o' || s[1] == 'm')) ||      /* lol, lmao */
           (n >= 4 && memcmp(s, "rofl", 4) == 0) || (n >= 6 && memcmp(s, "ngakak", 6) == 0);
}

/* elongation.is_elongated of an [a-z] word: some letter three times in a row. */
static int
elongated(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == s[i + 1] && s[i] == s[i + 2]) {
            return 1;
        }
    }
    return 0;
}

/* word.endswith(_CLITICS) and Normalizer._slang(word) is not None, for an [a-z] word that is
 * no slang key: 1 or 0, -1 on error. */
static int
clitic_slang(FastNormalizer *self, const char *s, size_t n)
{
    for (int c = 0; c < NCLITICS; c++) {
        size_t len = strlen(CLITICS[c]);
        if (n >= len + 2 && memcmp(s + n - len, CLITICS[c], len) == 0) {
            PyObject *base = PyUnicode_FromStringAndSize(s, (Py_ssize_t)(n - len));
            if (base == NULL) {
                return -1;
            }
            int found = PySet_Contains(self->w_slang_keys, base);
            Py_DECREF(base);
            if (found != 0) {
                return found;
            }
        }
    }
    return 0;
}

/* The tests that _plain_word and _is_plain_fixpoint share, for an [a-z]+ word (str `word`,
 * bytes s[n]): *reason = -1 when it is a plain word (at most MAX_WORD letters, not elongated,
 * no laughter by the conservative check, no slang key, no slang word plus clitic), else the
 * stats index of the first test it fails. 0, or -1 on error. */
static int
plain_word_reason(FastNormalizer *self, PyObject *word, const char *s, size_t n, int *reason)
{
    *reason = -1;
    if ((Py_ssize_t)n > self->w_max_word) {
        *reason = S_TOO_LONG;
        return 0;
    }
    if (elongated(s, n)) {
        *reason = S_ELONGATED;
        return 0;
    }
    if (maybe_laughter(s, n)) {
        *reason = S_LAUGHTER;
        return 0;
    }
    int found = PySet_Contains(self->w_slang_keys, word);
    if (found == 0) {
        found = clitic_slang(self, s, n);
        if (found > 0) {
            *reason = S_CLITIC_SLANG;
        }
    }
    else if (found > 0) {
        *reason = S_SLANG;
    }
    return found < 0 ? -1 : 0;
}
