/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 2b, elongation.is_laughter on [a-z]+ words. */

/* ----------------------------------------------------------------------------------------
 * Stage 2b, laughter: elongation.is_laughter on [a-z]+ words, exactly
 *
 * is_laughter(word) is len(word) >= 3 and _LAUGH_RE.fullmatch(word). re.fullmatch of an
 * alternation backtracks through every alternative and every repetition count, so it
 * matches exactly when the word is in the regular language of one alternative; each
 * alternative is written below as a small automaton without empty moves, simulated on
 * the set of its states (a bit mask), and the word matches when a state of the set after
 * its last letter accepts. Per alternative (c: how many repeated groups are complete,
 * counted up to 2, since {2,} only asks for two):
 *   A  (?:a?w+[aeo]?k+){2,}w*   S0 start; Ac after "a" (a?); Wc in w+; Vc after [aeo];
 *      Kc in k+, which ends group c and is also where the next group (or, once c = 2, w*:
 *      T) starts. Accepting: K2, T.
 *   B  (?:k+w+){2,}k*  and  D  (?:x+i+){2,}x*  (the same shape, letters p and q): S start,
 *      Pc in p+ (c groups before), Qc in q+ ending group c, where the next group or (c = 2)
 *      the tail T starts. Accepting: Q2, T.
 *   C  [bmw]{0,2}a?(?:h+[aeiou]+){2,}h*  P0, P1, P2: after 0, 1, 2 of [bmw]; PA after a;
 *      Hc in h+; Vc in [aeiou]+ ending group c, where the next group or (c = 2) h*: T
 *      starts. Accepting: V2, T.
 *   E  lol+ | lmf?ao+ | rofl | ngakak+   plain string tests (laugh_literal).
 * The automata are transcribed edge by edge from the patterns; the differential tests run
 * them against the Python regex on generated words of these letters.
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint8_t from;
    const char *letters;
    uint8_t to;
} LaughEdge;

typedef struct {
    const LaughEdge *edges;
    size_t nedges;
    uint32_t accept; /* bit mask of accepting states; state 0 is the start */
} LaughAutomaton;

#define BIT(state) (1u << (state))

enum { A_S0, A_A0, A_A1, A_A2, A_W0, A_W1, A_W2, A_V0, A_V1, A_V2, A_K1, A_K2, A_T };
static const LaughEdge LAUGH_A_EDGES[] = {
    {A_S0, "a", A_A0},   {A_S0, "w", A_W0},   {A_A0, "w", A_W0},   {A_A1, "w", A_W1},
    {A_A2, "w", A_W2},   {A_W0, "w", A_W0},   {A_W1, "w", A_W1},   {A_W2, "w", A_W2},
    {A_W0, "aeo", A_V0}, {A_W1, "aeo", A_V1}, {A_W2, "aeo", A_V2}, {A_W0, "k", A_K1},
    {A_W1, "k", A_K2},   {A_W2, "k", A_K2},   {A_V0, "k", A_K1},   {A_V1, "k", A_K2},
    {A_V2, "k", A_K2},   {A_K1, "k", A_K1},   {A_K2, "k", A_K2},   {A_K1, "a", A_A1},
    {A_K2, "a", A_A2},   {A_K1, "w", A_W1},   {A_K2, "w", A_W2},   {A_K2, "w", A_T},
    {A_T, "w", A_T},
};

enum { R_S, R_P0, R_P1, R_P2, R_Q1, R_Q2, R_T };
#define REPEAT_EDGES(p, q)                                                                  \
    {                                                                                       \
        {R_S, p, R_P0}, {R_P0, p, R_P0}, {R_P1, p, R_P1}, {R_P2, p, R_P2}, {R_P0, q, R_Q1}, \
            {R_P1, q, R_Q2}, {R_P2, q, R_Q2}, {R_Q1, q, R_Q1}, {R_Q2, q, R_Q2},             \
            {R_Q1, p, R_P1}, {R_Q2, p, R_P2}, {R_Q2, p, R_T}, {R_T, p, R_T},                \
    }
static const LaughEdge LAUGH_B_EDGES[] = REPEAT_EDGES("k", "w");
static const LaughEdge LAUGH_D_EDGES[] = REPEAT_EDGES("x", "i");

enum { C_P0, C_P1, C_P2, C_PA, C_H0, C_H1, C_H2, C_V1, C_V2, C_T };
static const LaughEdge LAUGH_C_EDGES[] = {
    {C_P0, "bmw", C_P1},   {C_P1, "bmw", C_P2},   {C_P0, "a", C_PA},     {C_P1, "a", C_PA},
    {C_P2, "a", C_PA},     {C_P0, "h", C_H0},     {C_P1, "h", C_H0},     {C_P2, "h", C_H0},
    {C_PA, "h", C_H0},     {C_H0, "h", C_H0},     {C_H1, "h", C_H1},     {C_H2, "h", C_H2},
    {C_H0, "aeiou", C_V1}, {C_H1, "aeiou", C_V2}, {C_H2, "aeiou", C_V2}, {C_V1, "aeiou", C_V1},
    {C_V2, "aeiou", C_V2}, {C_V1, "h", C_H1},     {C_V2, "h", C_H2},     {C_V2, "h", C_T},
    {C_T, "h", C_T},
};

#define LAUGH_AUTOMATON(edges, accept) {edges, sizeof(edges) / sizeof(edges[0]), accept}
static const LaughAutomaton LAUGH_AUTOMATA[] = {
    LAUGH_AUTOMATON(LAUGH_A_EDGES, BIT(A_K2) | BIT(A_T)),
    LAUGH_AUTOMATON(LAUGH_B_EDGES, BIT(R_Q2) | BIT(R_T)),
    LAUGH_AUTOMATON(LAUGH_C_EDGES, BIT(C_V2) | BIT(C_T)),
    LAUGH_AUTOMATON(LAUGH_D_EDGES, BIT(R_Q2) | BIT(R_T)),
};

/* Whether automaton `a` accepts the [a-z]+ word s[0:n]. */
static int
laugh_automaton_accepts(const LaughAutomaton *a, const char *s, size_t n)
{
    uint32_t states = BIT(0);
    for (size_t i = 0; i < n && states != 0; i++) {
        uint32_t next = 0;
        for (size_t e = 0; e < a->nedges; e++) {
            const LaughEdge *edge = &a->edges[e];
            if ((states & BIT(edge->from)) && strchr(edge->letters, s[i]) != NULL) {
                next |= BIT(edge->to);
            }
        }
        states = next;
    }
    return (states & a->accept) != 0;
}

/* n letters s[0:n] are `prefix` followed by one or more `repeated`. */
static int
prefix_then_repeats(const char *s, size_t n, const char *prefix, char repeated)
{
    size_t p = strlen(prefix);
    if (n <= p || memcmp(s, prefix, p) != 0) {
        return 0;
    }
    for (size_t i = p; i < n; i++) {
        if (s[i] != repeated) {
            return 0;
        }
    }
    return 1;
}

/* Alternative E: lol+ | lmf?ao+ | rofl | ngakak+ */
static int
laugh_literal(const char *s, size_t n)
{
    return prefix_then_repeats(s, n, "lo", 'l') || prefix_then_repeats(s, n, "lma", 'o') ||
           prefix_then_repeats(s, n, "lmfa", 'o') || (n == 4 && memcmp(s, "rofl", 4) == 0) ||
           prefix_then_repeats(s, n, "ngaka", 'k');
}

/* elongation.is_laughter of the [a-z]+ word s[0:n]. */
static int
is_laughter_ascii(const char *s, size_t n)
{
    enum { MIN_LAUGH_LEN = 3 };
    if (n < MIN_LAUGH_LEN) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(LAUGH_AUTOMATA) / sizeof(LAUGH_AUTOMATA[0]); i++) {
        if (laugh_automaton_accepts(&LAUGH_AUTOMATA[i], s, n)) {
            return 1;
        }
    }
    return laugh_literal(s, n);
}

static int analyse_general_word(FastNormalizer *self, PyObject *word, const char *s, size_t n,
                                Entry *out);
static int analyse_laughter(FastNormalizer *self, size_t n, Entry *out);


static int byteset_has(const ByteSet *set, const char *s, size_t n);

/* 1 when the [a-z]+ word s[0:n] is in none of the word lexicons (slang keys, stopwords,
 * marker words, shared_or_slang, shared_vocabulary): it is outside Normalizer.known, which
 * holds them all (see w_known_covers); then their lookups are skipped. 0 when unsure. */
static int
outside_known(const FastNormalizer *self, const char *s, size_t n)
{
    return self->w_known_covers && !byteset_has(&self->h_known, s, n);
}

/* The Entry of chunk `word` (exact str, UTF-8 `s` of `n` bytes) when it is [a-z]+ and
 * Normalizer._plain_word handles it, or (stage 2b) _new_word_part's general path does: 1
 * with *out filled (new references), 0 when the chunk must go to the analyse() callback,
 * -1 on error. */
static int
analyse_plain_word(FastNormalizer *self, PyObject *word, const char *s, size_t n, Entry *out)
{
    if (!lower_letters(s, n)) {
        return 0;
    }
    if ((Py_ssize_t)n > self->w_max_word) {
        self->stats[S_TOO_LONG]++;
        return 0;
    }
    /* Laughter first, as in Normalizer._word, whatever else the word is. Stage 2b tests it
     * exactly and analyses laughter itself; without it a word that might be laughter goes
     * to Python (maybe_laughter is a necessary condition of is_laughter). */
    if (maybe_laughter(s, n)) {
        if (!self->general_words) {
            self->stats[S_LAUGHTER]++;
            return 0;
        }
        if (is_laughter_ascii(s, n)) {
            return analyse_laughter(self, n, out);
        }
    }
    /* Where _plain_word returns None, the general path (stage 2b) takes over; the reason is
     * counted when that path is off or gives up. */
    int reason = -1;
    int outside = outside_known(self, s, n);
    if (elongated(s, n)) {
        reason = S_ELONGATED;
    }
    else {
        int found = outside ? 0 : PySet_Contains(self->w_slang_keys, word);
        if (found == 0) {
            found = clitic_slang(self, s, n);
            if (found > 0) {
                reason = S_CLITIC_SLANG;
            }
        }
        else if (found > 0) {
            reason = S_SLANG;
        }
        if (found < 0) {
            return -1;
        }
    }
    if (reason >= 0) {
        int handled = self->general_words ? analyse_general_word(self, word, s, n, out) : 0;
        if (handled == 0) {
            self->stats[reason]++;
        }
        else if (handled > 0) {
            self->stats[S_C_GENERAL_WORDS]++;
        }
        return handled;
    }
    /* The word is handled here from now on. Every object below is a strong reference. */
    PyObject *code = NULL, *marker = NULL, *stem = NULL, *text = NULL;
    int status = -1;
    memset(out->fields, 0, sizeof(out->fields));
    code = PyDict_GetItemWithError(self->w_spread_codes, word);
    if (code == NULL && PyErr_Occurred()) {
        goto done;
    }
    Py_XINCREF(code);
    if (code != NULL && (!PyUnicode_CheckExact(code))) {
        PyErr_SetString(PyExc_TypeError, "spread codes must be str");
        goto done;
    }
    marker = outside ? NULL : PyDict_GetItemWithError(self->w_marker_votes, word);
    if (marker == NULL && PyErr_Occurred()) {
        goto done;
    }
    Py_XINCREF(marker);
    int stopword = outside ? 0 : PySet_Contains(self->w_stopwords, word);
    if (stopword < 0) {
        goto done;
    }
    if (stopword) {
        if (add_votes(self, word, n, NULL, marker, out->fields, S_STOPWORD_STEMS, outside) < 0) {
            goto done;
        }
        text = Py_NewRef(self->empty_text);
    }
    else {
        stem = call_stem(self, word);
        if (stem == NULL) {
            goto done;
        }
        if (add_votes(self, word, n, stem, marker, out->fields, S_STOPWORD_STEMS, outside) < 0) {
            goto done;
        }
        int drop = PySet_Contains(self->w_stopwords, stem);
        if (drop < 0) {
            goto done;
        }
        int same = 0;
        if (!drop && PyUnicode_GET_LENGTH(stem) > 0) {
            same = PyUnicode_Compare(stem, word) == 0;
            if (!same && PyErr_Occurred()) {
                goto done;
            }
        }
        if (drop || PyUnicode_GET_LENGTH(stem) == 0) {
            text = Py_NewRef(word); /* see Normalizer._emit */
        }
        else if (same) {
            text = Py_NewRef(word);
        }
        else { /* a dictionary root; it may still be slang */
            text = call_stable(self, stem);
            if (text == NULL) {
                goto done;
            }
        }
    }
    int spread = code != NULL && PyUnicode_GET_LENGTH(code) > 0;
    if (spread) {
        out->fields[F_SPREAD] += 1;
    }
    out->fields[F_LETTERS] += (uint32_t)n;
    PyObject *tokens;
    if (entry_tokens(self, text, &tokens) < 0) {
        goto done;
    }
    out->text = Py_NewRef(text);
    out->tokens = tokens;
    out->spread = Py_NewRef(spread ? code : self->dot);
    status = 1;
done:
    Py_XDECREF(code);
    Py_XDECREF(marker);
    Py_XDECREF(stem);
    Py_XDECREF(text);
    return status;
}
