/*
 * monitor.text._cstem: a compiled port of monitor.text.fast_stemmer (Sastrawi 1.2's stemmer).
 *
 * Contract: for every str ``word`` of lowercase ASCII letters ([a-z], at most MAX_WORD_LENGTH
 * of them, the empty word included), CStemmer(dictionary).stem_word(word) equals
 * FastStemmer(dictionary).stem_word(word), which equals Sastrawi's stem of ``word``. For any
 * other str (digits, "-", upper case, non-ASCII, too long) it returns None: the caller then
 * uses the Python path, which also handles reduplicated words ("anak-anak"), the only ones
 * for which Sastrawi's stem_word does more than Context.execute(). A non-str raises TypeError.
 *
 * fast_stemmer.py is the reference: the control flow below follows stem_singular,
 * _remove_suffixes, _remove_prefixes and _precedence_adjustment step for step, and every
 * prefix rule hand-codes the regular expression of the Sastrawi DisambiguatorPrefixRule it
 * names. Because the input is [a-z] only, "." and "[a-z]" in those patterns match any byte
 * of the word and "$" is simply the end of the word.
 *
 * Memory: words live in fixed buffers of MAX_WORD_LENGTH bytes. No rule, suffix removal or
 * ECS step makes a word longer than the one it starts from (the CAT macro checks this at
 * compile time for the rules), so no buffer can overflow. The dictionary is copied into one
 * byte arena plus an open-addressing table; the object holds no Python references.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

/* Longer words go to the Python path: real Indonesian words, affixes included, are far
 * shorter, and a bound keeps every buffer on the stack. */
#define MAX_WORD 64

typedef struct {
    size_t n;
    char s[MAX_WORD];
} Word;

/* ----------------------------------------------------------------------------------------
 * The dictionary: a set of [a-z] byte strings (linear probing, load factor <= 1/2).
 * ------------------------------------------------------------------------------------- */

#define EMPTY_SLOT UINT32_MAX

typedef struct {
    uint64_t hash;
    uint32_t offset; /* into the arena */
    uint32_t length; /* EMPTY_SLOT: free slot */
} Slot;

typedef struct {
    char *arena;
    Slot *slots;
    size_t mask; /* slot count - 1 (a power of two) */
    size_t size;
} WordSet;

static uint64_t
hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29); /* FNV's low bits are weak; the table indexes with them */
}

static int
set_contains(const WordSet *set, const char *s, size_t n)
{
    uint64_t h = hash_bytes(s, n);
    for (size_t i = (size_t)h & set->mask;; i = (i + 1) & set->mask) {
        const Slot *slot = &set->slots[i];
        if (slot->length == EMPTY_SLOT) {
            return 0;
        }
        if (slot->hash == h && slot->length == n && memcmp(set->arena + slot->offset, s, n) == 0) {
            return 1;
        }
    }
}

static inline int
in_dict(const WordSet *set, const Word *w)
{
    return set_contains(set, w->s, w->n);
}

/* Only str of at most MAX_WORD letters a-z can ever equal a word the stemmer looks up (every
 * candidate is built from such a word), so the set keeps only those. Returns 1 and points
 * ``data`` and ``length`` at its bytes if ``obj`` is one, 0 if not, -1 with an exception set. */
static int
as_letters(PyObject *obj, const char **data, Py_ssize_t *length)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(obj) < 0) {
        return -1;
    }
#endif
    if (!PyUnicode_IS_ASCII(obj)) {
        return 0;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(obj);
    if (n > MAX_WORD) {
        return 0;
    }
    const char *s = (const char *)PyUnicode_1BYTE_DATA(obj);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z') {
            return 0;
        }
    }
    *data = s;
    *length = n;
    return 1;
}

/* Fill ``set`` from an iterable of str. Returns 0, or -1 with an exception set (the caller
 * frees what was allocated). */
static int
set_build(WordSet *set, PyObject *iterable)
{
    PyObject *items = PySequence_Fast(iterable, "dictionary must be an iterable of str");
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(items);
    PyObject **item = PySequence_Fast_ITEMS(items);
    size_t kept = 0, bytes = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        const char *s;
        Py_ssize_t n;
        if (!PyUnicode_Check(item[i])) {
            PyErr_Format(PyExc_TypeError, "dictionary words must be str, not %.100s",
                         Py_TYPE(item[i])->tp_name);
            goto error;
        }
        int ok = as_letters(item[i], &s, &n);
        if (ok < 0) {
            goto error;
        }
        if (ok) {
            kept++;
            bytes += (size_t)n;
        }
    }
    if (bytes >= EMPTY_SLOT || kept >= (SIZE_MAX / sizeof(Slot)) / 4) {
        PyErr_SetString(PyExc_OverflowError, "dictionary too large");
        goto error;
    }
    size_t capacity = 8;
    while (capacity < 2 * kept) {
        capacity *= 2;
    }
    set->arena = PyMem_Malloc(bytes ? bytes : 1);
    set->slots = PyMem_Malloc(capacity * sizeof(Slot));
    if (set->arena == NULL || set->slots == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (size_t i = 0; i < capacity; i++) {
        set->slots[i].length = EMPTY_SLOT;
    }
    set->mask = capacity - 1;
    size_t used = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        const char *s;
        Py_ssize_t n;
        /* Cannot fail now: every item was checked (and made ready) in the first pass. */
        if (as_letters(item[i], &s, &n) != 1 || set_contains(set, s, (size_t)n)) {
            continue; /* not letters, or a duplicate (the iterable need not be a set) */
        }
        uint64_t h = hash_bytes(s, (size_t)n);
        size_t j = (size_t)h & set->mask;
        while (set->slots[j].length != EMPTY_SLOT) {
            j = (j + 1) & set->mask;
        }
        memcpy(set->arena + used, s, (size_t)n);
        set->slots[j].hash = h;
        set->slots[j].offset = (uint32_t)used;
        set->slots[j].length = (uint32_t)n;
        used += (size_t)n;
        set->size++;
    }
    Py_DECREF(items);
    return 0;
error:
    Py_DECREF(items);
    return -1;
}

static void
set_free(WordSet *set)
{
    PyMem_Free(set->arena);
    PyMem_Free(set->slots);
    set->arena = NULL;
    set->slots = NULL;
}

/* ----------------------------------------------------------------------------------------
 * Byte tests standing in for the regular expressions.
 * ------------------------------------------------------------------------------------- */

static inline int
is_vowel(char c) /* [aiueo] */
{
    return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o';
}

static inline int
is_consonant(char c) /* [bcdfghjklmnpqrstvwxyz] */
{
    return c >= 'a' && c <= 'z' && !is_vowel(c);
}

static inline int
is_any_of(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static inline int
starts_with(const Word *w, const char *p, size_t n)
{
    return w->n >= n && memcmp(w->s, p, n) == 0;
}

static inline int
ends_with(const Word *w, const char *p, size_t n)
{
    return w->n >= n && memcmp(w->s + w->n - n, p, n) == 0;
}

#define STARTS(w, lit) starts_with((w), (lit), sizeof(lit) - 1)
#define ENDS(w, lit) ends_with((w), (lit), sizeof(lit) - 1)

static inline void
cat_tail(Word *out, const char *lit, size_t lit_n, const Word *w, size_t from)
{
    size_t rest = w->n - from;
    memcpy(out->s, lit, lit_n);
    memcpy(out->s + lit_n, w->s + from, rest);
    out->n = lit_n + rest;
}

/* out = lit + w[from:], for a rule that has checked w has more than ``from`` letters. The
 * literal replaces at least as many letters as it has, so out fits wherever w does. */
#define CAT(out, lit, w, from)                                                            \
    do {                                                                                  \
        _Static_assert(sizeof(lit) - 1 <= (from), "a rule must not lengthen the word"); \
        cat_tail((out), (lit), sizeof(lit) - 1, (w), (from));                             \
    } while (0)

/* The group (.*) that follows "er" at ``at`` starts with "er": Sastrawi's
 * ``matches.group(n)[0:2] == 'er'`` guard. */
static inline int
er_at(const Word *w, size_t at)
{
    return w->n >= at + 2 && w->s[at] == 'e' && w->s[at + 1] == 'r';
}

/* ----------------------------------------------------------------------------------------
 * Prefix disambiguation rules (Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRuleN).
 * Each returns 1 and sets *out to the rule's result, or 0 when the rule gives None.
 * ------------------------------------------------------------------------------------- */

typedef int (*Rule)(const Word *w, Word *out);

/* Rule 1a: ^ber([aiueo].*)$ -> V... */
static int
rule1a(const Word *w, Word *out)
{
    if (!(STARTS(w, "ber") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 1b: ^ber([aiueo].*)$ -> rV... */
static int
rule1b(const Word *w, Word *out)
{
    if (!(STARTS(w, "ber") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "r", w, 3);
    return 1;
}

/* Rule 2: ^ber(C)([a-z])(.*) -> CA..., unless the (.*) starts with "er" */
static int
rule2(const Word *w, Word *out)
{
    if (!(STARTS(w, "ber") && w->n > 4 && is_consonant(w->s[3]))) return 0;
    if (er_at(w, 5)) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 3: ber(C)([a-z])er([aiueo])(.*) -> CAerV..., where C != 'r' */
static int
rule3(const Word *w, Word *out)
{
    if (!(STARTS(w, "ber") && w->n > 7 && is_consonant(w->s[3]) && er_at(w, 5)
          && is_vowel(w->s[7])))
        return 0;
    if (w->s[3] == 'r') return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 4: belajar -> ajar */
static int
rule4(const Word *w, Word *out)
{
    if (!(w->n == 7 && STARTS(w, "belajar"))) return 0;
    CAT(out, "ajar", w, 7);
    return 1;
}

/* Rule 5: be([bcdfghjklmnpqstvwxyz])(er[bcdfghjklmnpqrstvwxyz])(.*)$ -> CerC... */
static int
rule5(const Word *w, Word *out)
{
    if (!(STARTS(w, "be") && w->n > 5 && is_consonant(w->s[2]) && w->s[2] != 'r' && er_at(w, 3)
          && is_consonant(w->s[5])))
        return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 6a: ^ter([aiueo].*)$ -> V... */
static int
rule6a(const Word *w, Word *out)
{
    if (!(STARTS(w, "ter") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 6b: ^ter([aiueo].*)$ -> rV... */
static int
rule6b(const Word *w, Word *out)
{
    if (!(STARTS(w, "ter") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "r", w, 3);
    return 1;
}

/* Rule 7: ^ter(C)er([aiueo].*)$ -> CerV..., where C != 'r' */
static int
rule7(const Word *w, Word *out)
{
    if (!(STARTS(w, "ter") && w->n > 6 && is_consonant(w->s[3]) && er_at(w, 4)
          && is_vowel(w->s[6])))
        return 0;
    if (w->s[3] == 'r') return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 8: ^ter(C)(.*)$ -> C..., where C != 'r' and (.*) does not start with "er" */
static int
rule8(const Word *w, Word *out)
{
    if (!(STARTS(w, "ter") && w->n > 3 && is_consonant(w->s[3]))) return 0;
    if (w->s[3] == 'r' || er_at(w, 4)) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 9: ^te(C)er(C)(.*)$ -> CerC..., where the first C != 'r' */
static int
rule9(const Word *w, Word *out)
{
    if (!(STARTS(w, "te") && w->n > 5 && is_consonant(w->s[2]) && er_at(w, 3)
          && is_consonant(w->s[5])))
        return 0;
    if (w->s[2] == 'r') return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 10: ^me([lrwy])([aiueo])(.*)$ -> {l,r,w,y}V... */
static int
rule10(const Word *w, Word *out)
{
    if (!(STARTS(w, "me") && w->n > 3 && is_any_of(w->s[2], "lrwy") && is_vowel(w->s[3])))
        return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 11: ^mem([bfv])(.*)$ -> {b,f,v}... */
static int
rule11(const Word *w, Word *out)
{
    if (!(STARTS(w, "mem") && w->n > 3 && is_any_of(w->s[3], "bfv"))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 12: ^mempe(.*)$ -> pe... */
static int
rule12(const Word *w, Word *out)
{
    if (!STARTS(w, "mempe")) return 0;
    CAT(out, "pe", w, 5);
    return 1;
}

/* Rule 13a: ^mem([aiueo])(.*)$ -> mV... */
static int
rule13a(const Word *w, Word *out)
{
    if (!(STARTS(w, "mem") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "m", w, 3);
    return 1;
}

/* Rule 13b: ^mem([aiueo])(.*)$ -> pV... */
static int
rule13b(const Word *w, Word *out)
{
    if (!(STARTS(w, "mem") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "p", w, 3);
    return 1;
}

/* Rule 14: ^men([cdjstz])(.*)$ -> {c,d,j,s,t,z}... */
static int
rule14(const Word *w, Word *out)
{
    if (!(STARTS(w, "men") && w->n > 3 && is_any_of(w->s[3], "cdjstz"))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 15a: ^men([aiueo])(.*)$ -> nV... */
static int
rule15a(const Word *w, Word *out)
{
    if (!(STARTS(w, "men") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "n", w, 3);
    return 1;
}

/* Rule 15b: ^men([aiueo])(.*)$ -> tV... */
static int
rule15b(const Word *w, Word *out)
{
    if (!(STARTS(w, "men") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "t", w, 3);
    return 1;
}

/* Rule 16: ^meng([ghqk])(.*)$ -> {g,h,q,k}... */
static int
rule16(const Word *w, Word *out)
{
    if (!(STARTS(w, "meng") && w->n > 4 && is_any_of(w->s[4], "ghqk"))) return 0;
    CAT(out, "", w, 4);
    return 1;
}

/* Rule 17a: ^meng([aiueo])(.*)$ -> V... */
static int
rule17a(const Word *w, Word *out)
{
    if (!(STARTS(w, "meng") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "", w, 4);
    return 1;
}

/* Rule 17b: ^meng([aiueo])(.*)$ -> kV... */
static int
rule17b(const Word *w, Word *out)
{
    if (!(STARTS(w, "meng") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "k", w, 4);
    return 1;
}

/* Rule 17c: ^menge(.*)$ -> ... */
static int
rule17c(const Word *w, Word *out)
{
    if (!STARTS(w, "menge")) return 0;
    CAT(out, "", w, 5);
    return 1;
}

/* Rule 17d: ^meng([aiueo])(.*)$ -> ngV... */
static int
rule17d(const Word *w, Word *out)
{
    if (!(STARTS(w, "meng") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "ng", w, 4);
    return 1;
}

/* Rule 18a: ^meny([aiueo])(.*)$ -> nyV... */
static int
rule18a(const Word *w, Word *out)
{
    if (!(STARTS(w, "meny") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "ny", w, 4);
    return 1;
}

/* Rule 18b: ^meny([aiueo])(.*)$ -> sV... */
static int
rule18b(const Word *w, Word *out)
{
    if (!(STARTS(w, "meny") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "s", w, 4);
    return 1;
}

/* Rule 19: ^memp([abcdfghijklmopqrstuvwxyz])(.*)$ -> pA..., A any letter but 'e' and 'n' */
static int
rule19(const Word *w, Word *out)
{
    if (!(STARTS(w, "memp") && w->n > 4 && w->s[4] != 'e' && w->s[4] != 'n')) return 0;
    CAT(out, "p", w, 4);
    return 1;
}

/* Rule 20: ^pe([wy])([aiueo])(.*)$ -> {w,y}V... */
static int
rule20(const Word *w, Word *out)
{
    if (!(STARTS(w, "pe") && w->n > 3 && is_any_of(w->s[2], "wy") && is_vowel(w->s[3])))
        return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 21a: ^per([aiueo])(.*)$ -> V... */
static int
rule21a(const Word *w, Word *out)
{
    if (!(STARTS(w, "per") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 21b: ^pe(r[aiueo])(.*)$ -> rV... */
static int
rule21b(const Word *w, Word *out)
{
    if (!(STARTS(w, "per") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 23: ^per(C)([a-z])(.*)$ -> CA..., unless the (.*) starts with "er" */
static int
rule23(const Word *w, Word *out)
{
    if (!(STARTS(w, "per") && w->n > 4 && is_consonant(w->s[3]))) return 0;
    if (er_at(w, 5)) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 24: ^per(C)([a-z])er([aiueo])(.*)$ -> CAerV..., where C != 'r' */
static int
rule24(const Word *w, Word *out)
{
    if (!(STARTS(w, "per") && w->n > 7 && is_consonant(w->s[3]) && er_at(w, 5)
          && is_vowel(w->s[7])))
        return 0;
    if (w->s[3] == 'r') return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 25: ^pem([bfv])(.*)$ -> {b,f,v}... */
static int
rule25(const Word *w, Word *out)
{
    if (!(STARTS(w, "pem") && w->n > 3 && is_any_of(w->s[3], "bfv"))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 26a: ^pem([aiueo])(.*)$ -> mV... */
static int
rule26a(const Word *w, Word *out)
{
    if (!(STARTS(w, "pem") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "m", w, 3);
    return 1;
}

/* Rule 26b: ^pem([aiueo])(.*)$ -> pV... */
static int
rule26b(const Word *w, Word *out)
{
    if (!(STARTS(w, "pem") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "p", w, 3);
    return 1;
}

/* Rule 27: ^pen([cdjstz])(.*)$ -> {c,d,j,s,t,z}... */
static int
rule27(const Word *w, Word *out)
{
    if (!(STARTS(w, "pen") && w->n > 3 && is_any_of(w->s[3], "cdjstz"))) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 28a: ^pen([aiueo])(.*)$ -> nV... */
static int
rule28a(const Word *w, Word *out)
{
    if (!(STARTS(w, "pen") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "n", w, 3);
    return 1;
}

/* Rule 28b: ^pen([aiueo])(.*)$ -> tV... */
static int
rule28b(const Word *w, Word *out)
{
    if (!(STARTS(w, "pen") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "t", w, 3);
    return 1;
}

/* Rule 29: ^peng(C)(.*)$ -> C... */
static int
rule29(const Word *w, Word *out)
{
    if (!(STARTS(w, "peng") && w->n > 4 && is_consonant(w->s[4]))) return 0;
    CAT(out, "", w, 4);
    return 1;
}

/* Rule 30a: ^peng([aiueo])(.*)$ -> V... */
static int
rule30a(const Word *w, Word *out)
{
    if (!(STARTS(w, "peng") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "", w, 4);
    return 1;
}

/* Rule 30b: ^peng([aiueo])(.*)$ -> kV... */
static int
rule30b(const Word *w, Word *out)
{
    if (!(STARTS(w, "peng") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "k", w, 4);
    return 1;
}

/* Rule 30c: ^penge(.*)$ -> ... */
static int
rule30c(const Word *w, Word *out)
{
    if (!STARTS(w, "penge")) return 0;
    CAT(out, "", w, 5);
    return 1;
}

/* Rule 31a: ^peny([aiueo])(.*)$ -> nyV... */
static int
rule31a(const Word *w, Word *out)
{
    if (!(STARTS(w, "peny") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "ny", w, 4);
    return 1;
}

/* Rule 31b: ^peny([aiueo])(.*)$ -> sV... */
static int
rule31b(const Word *w, Word *out)
{
    if (!(STARTS(w, "peny") && w->n > 4 && is_vowel(w->s[4]))) return 0;
    CAT(out, "s", w, 4);
    return 1;
}

/* Rule 32: pelajar -> ajar; ^pe(l[aiueo])(.*)$ -> lV... */
static int
rule32(const Word *w, Word *out)
{
    if (w->n == 7 && STARTS(w, "pelajar")) {
        CAT(out, "ajar", w, 7);
        return 1;
    }
    if (!(STARTS(w, "pel") && w->n > 3 && is_vowel(w->s[3]))) return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 34: ^pe(C)(.*)$ -> C..., unless the (.*) starts with "er" */
static int
rule34(const Word *w, Word *out)
{
    if (!(STARTS(w, "pe") && w->n > 2 && is_consonant(w->s[2]))) return 0;
    if (er_at(w, 3)) return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rules 35 and 36 take a consonant other than l, m, n, r, w, y before "erC". */
static inline int
is_rule35_consonant(char c) /* [bcdfghjkpqstvxz] */
{
    return is_any_of(c, "bcdfghjkpqstvxz");
}

/* Rule 35: ^ter([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$ -> CerC... */
static int
rule35(const Word *w, Word *out)
{
    if (!(STARTS(w, "ter") && w->n > 6 && is_rule35_consonant(w->s[3]) && er_at(w, 4)
          && is_consonant(w->s[6])))
        return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* Rule 36: ^pe([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$ -> CerC... */
static int
rule36(const Word *w, Word *out)
{
    if (!(STARTS(w, "pe") && w->n > 5 && is_rule35_consonant(w->s[2]) && er_at(w, 3)
          && is_consonant(w->s[5])))
        return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rules 37-40 (CS infixes -er-, -el-, -em-, -in-): ^(C)(XY[aiueo])(.*)$. The a-rule gives the
 * word back unchanged (C + XYV + ...); the b-rule drops the infix (C + V + ...). */
static inline int
infix_matches(const Word *w, char x, char y)
{
    return w->n > 3 && is_consonant(w->s[0]) && w->s[1] == x && w->s[2] == y
           && is_vowel(w->s[3]);
}

static inline void
infix_keep(const Word *w, Word *out)
{
    *out = *w;
}

static inline void
infix_drop(const Word *w, Word *out)
{
    out->s[0] = w->s[0];
    memcpy(out->s + 1, w->s + 3, w->n - 3);
    out->n = w->n - 2;
}

/* One a/b pair of rules 37-40 per infix (x, y). */
#define INFIX_RULES(number, x, y)                                                         \
    static int rule##number##a(const Word *w, Word *out)                                  \
    {                                                                                     \
        if (!infix_matches(w, x, y)) return 0;                                            \
        infix_keep(w, out);                                                               \
        return 1;                                                                         \
    }                                                                                     \
    static int rule##number##b(const Word *w, Word *out)                                  \
    {                                                                                     \
        if (!infix_matches(w, x, y)) return 0;                                            \
        infix_drop(w, out);                                                               \
        return 1;                                                                         \
    }

INFIX_RULES(37, 'e', 'r') /* -er- */
INFIX_RULES(38, 'e', 'l') /* -el- */
INFIX_RULES(39, 'e', 'm') /* -em- */
INFIX_RULES(40, 'i', 'n') /* -in- */

/* Rule 41: ^ku(.*)$ -> ... */
static int
rule41(const Word *w, Word *out)
{
    if (!STARTS(w, "ku")) return 0;
    CAT(out, "", w, 2);
    return 1;
}

/* Rule 42: ^kau(.*)$ -> ... */
static int
rule42(const Word *w, Word *out)
{
    if (!STARTS(w, "kau")) return 0;
    CAT(out, "", w, 3);
    return 1;
}

/* One PrefixDisambiguator visitor: its rules, in order. */
typedef struct {
    Rule rules[4];
    int count;
} Group;

/* Sastrawi.Stemmer.Context.Visitor.VisitorProvider's prefix visitors after RemovePlainPrefix,
 * in its order (there are no rules 22 and 33). */
static const Group GROUPS[] = {
    {{rule1a, rule1b}, 2},
    {{rule2}, 1},
    {{rule3}, 1},
    {{rule4}, 1},
    {{rule5}, 1},
    {{rule6a, rule6b}, 2},
    {{rule7}, 1},
    {{rule8}, 1},
    {{rule9}, 1},
    {{rule10}, 1},
    {{rule11}, 1},
    {{rule12}, 1},
    {{rule13a, rule13b}, 2},
    {{rule14}, 1},
    {{rule15a, rule15b}, 2},
    {{rule16}, 1},
    {{rule17a, rule17b, rule17c, rule17d}, 4},
    {{rule18a, rule18b}, 2},
    {{rule19}, 1},
    {{rule20}, 1},
    {{rule21a, rule21b}, 2},
    {{rule23}, 1},
    {{rule24}, 1},
    {{rule25}, 1},
    {{rule26a, rule26b}, 2},
    {{rule27}, 1},
    {{rule28a, rule28b}, 2},
    {{rule29}, 1},
    {{rule30a, rule30b, rule30c}, 3},
    {{rule31a, rule31b}, 2},
    {{rule32}, 1},
    {{rule34}, 1},
    {{rule35}, 1},
    {{rule36}, 1},
    {{rule37a, rule37b}, 2},
    {{rule38a, rule38b}, 2},
    {{rule39a, rule39b}, 2},
    {{rule40a, rule40b}, 2},
    {{rule41}, 1},
    {{rule42}, 1},
};

#define GROUP_COUNT (sizeof(GROUPS) / sizeof(GROUPS[0]))

/* The prefix visitors of one pass, up to the first that removes something. A visitor keeps
 * the first of its rules' results that is a dictionary word, else the LAST rule's result,
 * even if that is None while an earlier rule gave a word (AbstractDisambiguatePrefixRule).
 * Returns 1 with *out set if some visitor fired. */
static int
disambiguate_prefix(const WordSet *set, const Word *w, Word *out)
{
    Word candidate;
    for (size_t g = 0; g < GROUP_COUNT; g++) {
        int have = 0;
        for (int r = 0; r < GROUPS[g].count; r++) {
            have = GROUPS[g].rules[r](w, &candidate);
            if (have && in_dict(set, &candidate)) {
                break;
            }
        }
        if (have) {
            *out = candidate;
            return 1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * Context (fast_stemmer.stem_singular and its helpers).
 * ------------------------------------------------------------------------------------- */

/* _remove_prefixes: three passes of accept_prefix_visitors, each removing at most one prefix;
 * a pass that removes nothing ends the loop (the next ones would do the same). */
static void
remove_prefixes(const WordSet *set, Word *w, int stopped)
{
    for (int pass = 0; pass < 3; pass++) {
        if (STARTS(w, "di") || STARTS(w, "ke") || STARTS(w, "se")) {
            /* RemovePlainPrefix comes first and runs even on a stopped (short) word. */
            memmove(w->s, w->s + 2, w->n - 2);
            w->n -= 2;
        }
        else if (in_dict(set, w) || stopped) {
            return;
        }
        else {
            Word result;
            if (!disambiguate_prefix(set, w, &result)) {
                return;
            }
            *w = result;
        }
        if (in_dict(set, w)) {
            return;
        }
    }
}

/* A suffix removal, as the ECS loop reads it back. */
typedef struct {
    Word result;
    Word subject; /* the word before the removal */
    int removed_kan;
} Removal;

/* RemoveInflectionalParticle: -*(lah|kah|tah|pun)$ (no "-" in our words). */
static size_t
particle_length(const Word *w)
{
    return ENDS(w, "lah") || ENDS(w, "kah") || ENDS(w, "tah") || ENDS(w, "pun") ? 3 : 0;
}

/* RemoveInflectionalPossessivePronoun: -*(ku|mu|nya)$. */
static size_t
possessive_length(const Word *w)
{
    if (ENDS(w, "nya")) return 3;
    return ENDS(w, "ku") || ENDS(w, "mu") ? 2 : 0;
}

/* RemoveDerivationalSuffix: (is|isme|isasi|i|kan|an)$. re.sub takes the leftmost match, so
 * the longest alternative the word ends with ("isasi" before "i", "kan" before "an"). */
static size_t
derivational_length(const Word *w)
{
    if (ENDS(w, "isasi")) return 5;
    if (ENDS(w, "isme")) return 4;
    if (ENDS(w, "kan")) return 3;
    if (ENDS(w, "an") || ENDS(w, "is")) return 2;
    return ENDS(w, "i") ? 1 : 0;
}

typedef size_t (*SuffixStep)(const Word *w);

static const SuffixStep SUFFIX_STEPS[3] = {particle_length, possessive_length, derivational_length};

/* _remove_suffixes: particle, possessive, derivational; stops after a step when the word is
 * short (DontStemShortWord) or a dictionary word. Returns how many removals it stored. */
static int
remove_suffixes(const WordSet *set, Word *w, int stopped, Removal removals[3])
{
    int count = 0;
    for (int step = 0; step < 3; step++) {
        size_t cut = SUFFIX_STEPS[step](w);
        if (cut) {
            Removal *removal = &removals[count++];
            removal->subject = *w;
            w->n -= cut;
            removal->result = *w;
            /* "kan" is the derivational step's only 3-letter suffix. */
            removal->removed_kan = step == 2 && cut == 3;
        }
        if (stopped || in_dict(set, w)) {
            break;
        }
    }
    return count;
}

/* _precedence_adjustment: be...lah, be...an, me...i, di...i, pe...i, ter...i */
static int
precedence_adjustment(const Word *w)
{
    if (STARTS(w, "be")) {
        if (ENDS(w, "lah") && w->n >= 5) return 1;
        if (ENDS(w, "an") && w->n >= 4) return 1;
    }
    if (ENDS(w, "i")) {
        if (w->n >= 3 && (STARTS(w, "me") || STARTS(w, "di") || STARTS(w, "pe"))) return 1;
        if (w->n >= 4 && STARTS(w, "ter")) return 1;
    }
    return 0;
}

/* stem_singular: Context(word).execute(). Sets *out to a dictionary root or to word. */
static void
stem_singular(const WordSet *set, const Word *word, Word *out)
{
    Removal removals[3];
    Word current = *word;
    if (in_dict(set, word)) {
        *out = *word;
        return;
    }
    int stopped = word->n <= 3; /* DontStemShortWord */
    if (precedence_adjustment(word)) {
        remove_prefixes(set, &current, stopped);
        if (in_dict(set, &current)) goto found;
        remove_suffixes(set, &current, stopped, removals);
        if (in_dict(set, &current)) goto found;
        current = *word; /* failed: Sastrawi restores the word and forgets the removals */
    }
    int count = remove_suffixes(set, &current, stopped, removals);
    if (in_dict(set, &current)) goto found;
    remove_prefixes(set, &current, stopped);
    if (in_dict(set, &current)) goto found;
    /* ECS "loop pengembalian akhiran": put the suffixes back, last removed first, and strip
     * prefixes again. */
    for (int i = count - 1; i >= 0; i--) {
        const Removal *removal = &removals[i];
        if (removal->removed_kan) {
            current = removal->result;
            current.s[current.n++] = 'k'; /* fits: "kan" was cut from this buffer */
            remove_prefixes(set, &current, stopped);
            if (in_dict(set, &current)) goto found;
            current = removal->subject; /* result + "kan" */
        }
        else {
            current = removal->subject;
        }
        remove_prefixes(set, &current, stopped);
        if (in_dict(set, &current)) goto found;
    }
    *out = *word;
    return;
found:
    *out = current;
}

/* ----------------------------------------------------------------------------------------
 * The Python type.
 * ------------------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    WordSet set;
} CStemmerObject;

static PyObject *
CStemmer_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"dictionary", NULL};
    PyObject *dictionary;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:CStemmer", kwlist, &dictionary)) {
        return NULL;
    }
    CStemmerObject *self = (CStemmerObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    /* tp_alloc zeroes the object, so a half-built set is safe to free. */
    if (set_build(&self->set, dictionary) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
CStemmer_dealloc(CStemmerObject *self)
{
    set_free(&self->set);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
CStemmer_stem_word(CStemmerObject *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "stem_word() argument must be str, not %.100s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    const char *data;
    Py_ssize_t length;
    int ok = as_letters(arg, &data, &length);
    if (ok < 0) {
        return NULL;
    }
    if (!ok) {
        Py_RETURN_NONE; /* not [a-z]{0,MAX_WORD}: the caller uses the Python path */
    }
    Word word, stem;
    word.n = (size_t)length;
    memcpy(word.s, data, word.n);
    stem_singular(&self->set, &word, &stem);
    if (PyUnicode_CheckExact(arg) && stem.n == word.n && memcmp(stem.s, word.s, word.n) == 0) {
        return Py_NewRef(arg); /* most unknown words are their own stem: no new str */
    }
    return PyUnicode_DecodeASCII(stem.s, (Py_ssize_t)stem.n, NULL);
}

static PyObject *
CStemmer_dictionary_size(CStemmerObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSize_t(self->set.size);
}

static PyMethodDef CStemmer_methods[] = {
    {"stem_word", (PyCFunction)CStemmer_stem_word, METH_O,
     "stem_word(word, /)\n--\n\n"
     "Sastrawi's stem of ``word`` if it is lowercase ASCII letters only (at most\n"
     "MAX_WORD_LENGTH of them), else None (use the Python stemmer)."},
    {"dictionary_size", (PyCFunction)CStemmer_dictionary_size, METH_NOARGS,
     "dictionary_size()\n--\n\nHow many dictionary words the stemmer holds (the [a-z] ones)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CStemmerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "monitor.text._cstem.CStemmer",
    .tp_doc = PyDoc_STR("CStemmer(dictionary)\n--\n\n"
                        "Sastrawi's stemmer in C over a copy of ``dictionary`` (str words; only\n"
                        "those of letters a-z are kept, the others can never be a stem)."),
    .tp_basicsize = sizeof(CStemmerObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = CStemmer_new,
    .tp_dealloc = (destructor)CStemmer_dealloc,
    .tp_methods = CStemmer_methods,
};

static struct PyModuleDef cstem_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "monitor.text._cstem",
    .m_doc = "Compiled, output-identical port of monitor.text.fast_stemmer.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__cstem(void)
{
    if (PyType_Ready(&CStemmerType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&cstem_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "CStemmer", (PyObject *)&CStemmerType) < 0
        || PyModule_AddIntConstant(module, "MAX_WORD_LENGTH", MAX_WORD) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
