/* Part of monitor/text/_cnorm.c, which includes its parts in order as one translation
 * unit (every function stays static); not compiled on its own. This part: stage 4a, cleaning non-ASCII posts without calling clean_text. */

/* ----------------------------------------------------------------------------------------
 * Stage 4a: cleaning a non-ASCII post without calling clean_text
 *
 * charnorm.clean_text is fold_accents(strip_invisible(nfkc(text))), with a second pass when
 * the first changed something. charnorm.shortcut_ranges (built in Python from unicodedata
 * and clean_text's own tables, character by character) gives runs of characters where
 * clean_text is trivial: KEEP characters are left as they are by every step, DROP ones
 * (zero-width, bidi, variation selectors: what strip_invisible deletes) are deleted and
 * touch nothing else. Its docstring argues why this holds in any context, mixed with any
 * ASCII: each of these characters has NFKC_Quick_Check=Yes and combining class 0 (no
 * reordering, no composition with the character before), so by the quick check of UAX #15
 * the text is in NFKC, before and after the deletions; fold_accents maps none of them;
 * the second pass is then the identity. So for a text whose non-ASCII characters all lie
 * in the runs, clean_text(text) == text minus its DROP characters, which clean_shortcut
 * computes (the same object when nothing is dropped, as clean_text returns it). Any other
 * text, or a table not given (Normalizer passes it only while pipeline.clean_text is the
 * shipped function), goes to the clean() callback. stats(): c_clean_posts.
 * ------------------------------------------------------------------------------------- */

#define CLEAN_KEEP 0
#define CLEAN_DROP 1

/* CLEAN_KEEP or CLEAN_DROP of non-ASCII c from the runs; -1 when c is in none. */
static int
clean_action(const FastNormalizer *self, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = self->n_clean_runs;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        const CleanRun *run = &self->clean_runs[mid];
        if (c < run->first) {
            hi = mid;
        }
        else if (c > run->last) {
            lo = mid + 1;
        }
        else {
            return run->action;
        }
    }
    return -1;
}

/* clean_text(text) of a non-ASCII exact str by the shortcut: 1 with *out a new reference,
 * 0 when the shortcut does not apply (call clean()), -1 on error. */
static int
clean_shortcut(FastNormalizer *self, PyObject *text, PyObject **out)
{
    if (self->clean_runs == NULL || !self->clean_on) {
        return 0;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), drops = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x80) {
            int action = clean_action(self, c);
            if (action < 0) {
                return 0;
            }
            drops += action == CLEAN_DROP;
        }
    }
    self->stats[S_C_CLEAN_POSTS]++;
    if (drops == 0) {
        *out = Py_NewRef(text);
        return 1;
    }
    Py_UCS4 *buf = PyMem_Malloc((size_t)(len - drops + 1) * sizeof(Py_UCS4));
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80 || clean_action(self, c) == CLEAN_KEEP) {
            buf[n++] = c;
        }
    }
    *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return *out == NULL ? -1 : 1;
}

/* clean_text(text) of a non-ASCII exact str: the shortcut, else the clean() callback. */
static PyObject *
clean_non_ascii(FastNormalizer *self, PyObject *text)
{
    PyObject *cleaned = NULL;
    int done = clean_shortcut(self, text, &cleaned);
    if (done != 0) {
        return done < 0 ? NULL : cleaned;
    }
    cleaned = PyObject_CallOneArg(self->clean, text);
    if (cleaned != NULL && !PyUnicode_CheckExact(cleaned)) {
        Py_DECREF(cleaned);
        PyErr_SetString(PyExc_TypeError, "clean() must return a str");
        return NULL;
    }
    return cleaned;
}
