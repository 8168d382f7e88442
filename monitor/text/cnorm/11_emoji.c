/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 4b, chunks of emoji. */

/* ----------------------------------------------------------------------------------------
 * Stage 4b: chunks of emoji (with safe punctuation)
 *
 * A non-ASCII chunk of at most EMOJI_CHUNK_MAX (<= pipeline.MAX_PIECE: one piece)
 * characters, each of which is one of
 *   E  a character of emoji.EMOJI_CLASS that is no word character (\w),
 *   S  a skin-tone modifier (U+1F3FB..U+1F3FF: in neither class, no \w),
 *   R  a regional indicator (U+1F1E6..U+1F1FF),
 *   P  a character of SAFE_PUNCT,
 * the table pipeline.emoji_chunk_tables gives each E its emoji_token (None: adds nothing)
 * and each S None, and gives every pair of R its emoji_token. What
 * Normalizer._analyse_chunk does with it: chunk.isalpha() is false (no character is a
 * letter), so one piece goes through _piece, and surface_counts(chunk) is added.
 *
 * The tokenizer's matches (pipeline._token_re; '@' and '/' are not in the alphabet, so no
 * e-mail or path alternative). Which alternative can start at each character:
 * url ([Hh][Tt].. / [Ww]..), special ([uel]..), mention ('@'), hashtag ('#'), number
 * ([Rr] or \d), word ([^\W_]) need an ASCII letter, '@', '#' or a \w character: none
 * here (P: see stage 3a; E, S, R: not \w, hence not \d). flag needs two R in a row; emoji
 * needs one E (EMOJI_CLASS holds no R and no S). So finditer, going left to right: at an E
 * the emoji alternative matches that one character; at an R followed by an R the flag
 * alternative matches the pair (it comes first; emoji cannot match an R anyway), and the
 * search goes on after the pair; at an R not followed by an R, at an S or at a P nothing
 * matches, and the search moves one character on. No match can span more than these
 * characters, since none starts where a longer alternative could. analyse_emoji_chunk
 * scans the same way: each E gives its token, each pair of R (paired from the left of a
 * run, like the regex) gives its flag token, the rest gives nothing. _piece appends each
 * token that is not None and adds one emoji per token; no spread code is appended, so the
 * _Acc result is (" ".join(tokens), tokens * emoji, ""). surface_counts: no ASCII letter,
 * the '!' and '?' of the chunk. Tokens are "emoji:" + [a-z0-9_]+ (checked at
 * construction: non-empty, no whitespace), so text.split() gives them back.
 * Everything else goes on to the other stages and the analyse() callback: emoji next to a
 * letter or digit ("halo👋", keycaps "1⃣"), marks, characters of other blocks, longer
 * chunks. Variation selectors and zero-width joiners never reach a chunk (cleaning deletes
 * them), so a ZWJ family arrives as a run of E. stats(): c_emoji_chunks.
 * ------------------------------------------------------------------------------------- */

#ifndef EMOJI_CHUNKS_DEFAULT
#define EMOJI_CHUNKS_DEFAULT 1
#endif
/* Longest chunk taken (pipeline.MAX_PIECE is 256: such a chunk is one piece). */
#define EMOJI_CHUNK_MAX 48

/* The EmojiSingle of c, or NULL when c is no E or S character. */
static const EmojiSingle *
emoji_single(const FastNormalizer *self, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = self->n_emoji_singles;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_UCS4 code = self->emoji_singles[mid].code;
        if (c < code) {
            hi = mid;
        }
        else if (c > code) {
            lo = mid + 1;
        }
        else {
            return &self->emoji_singles[mid];
        }
    }
    return NULL;
}

static int
is_indicator(Py_UCS4 c)
{
    return c >= FIRST_INDICATOR && c < FIRST_INDICATOR + NINDICATORS;
}

/* 1 with *out filled when the non-ASCII exact str `chunk` is a chunk of emoji (see above);
 * 0 when it must go elsewhere; -1 on error. Calls nothing in Python. */
static int
analyse_emoji_chunk(FastNormalizer *self, PyObject *chunk, Entry *out)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(chunk), ntokens = 0;
    if (self->emoji_singles == NULL || n > EMOJI_CHUNK_MAX) {
        return 0;
    }
    int kind = PyUnicode_KIND(chunk);
    const void *data = PyUnicode_DATA(chunk);
    PyObject *found[EMOJI_CHUNK_MAX]; /* borrowed from the tables */
    uint32_t bang = 0, question = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyObject *token = NULL;
        if (c < 0x80) {
            if (c == 0 || strchr(SAFE_PUNCT, (int)c) == NULL) {
                return 0;
            }
            bang += c == '!';
            question += c == '?';
        }
        else if (is_indicator(c)) {
            if (i + 1 < n && is_indicator(PyUnicode_READ(kind, data, i + 1))) {
                Py_UCS4 d = PyUnicode_READ(kind, data, i + 1);
                token = self->emoji_flags[(c - FIRST_INDICATOR) * NINDICATORS +
                                          (d - FIRST_INDICATOR)];
                i++;
            }
        }
        else {
            const EmojiSingle *single = emoji_single(self, c);
            if (single == NULL) {
                return 0;
            }
            token = single->token;
        }
        if (token != NULL) {
            found[ntokens++] = token;
        }
    }
    PyObject *tokens = PyTuple_New(ntokens);
    if (tokens == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < ntokens; i++) {
        PyTuple_SET_ITEM(tokens, i, Py_NewRef(found[i]));
    }
    PyObject *text = PyUnicode_Join(self->space, tokens);
    if (text == NULL) {
        Py_DECREF(tokens);
        return -1;
    }
    memset(out->fields, 0, sizeof(out->fields));
    out->fields[F_EMOJI] = (uint32_t)ntokens;
    out->fields[F_EXCLAMATION] = bang;
    out->fields[F_QUESTION] = question;
    out->text = text;
    out->tokens = tokens;
    out->spread = Py_NewRef(self->dot);
    self->stats[S_C_EMOJI_CHUNKS]++;
    return 1;
}
