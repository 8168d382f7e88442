"""Per-post TF-IDF, decision value and per-unit attribution in one compiled pass (numba).

The vectorised NumPy/SciPy version of this pass needed a sparse matrix product, an index
sort and a binary search over every (post, n-gram) entry to find how often each n-gram
occurs in its post; that bookkeeping cost more than half of scoring. Done post by post
with a dense scratch row it is a few array reads per entry, so it is written as a loop and
compiled with numba (``cache=True``: compiled once per machine, then loaded from
``__pycache__``).

Arithmetic is TfidfTransformer's: term frequency ``k`` (or ``1 + log k`` when sublinear),
times idf, then the row's L2 norm. A column's contribution ``w_c · x_c`` is shared equally
among its ``k`` occurrences in the post; a unit (word or word n-gram) collects the shares of
the columns it produced, so the units' values of a post sum to its block decision value.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def block_pass(
    indptr: np.ndarray,
    unit_ids: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    columns: np.ndarray,
    counts: np.ndarray,
    idf: np.ndarray,
    coef: np.ndarray,
    sublinear: bool,
    l2_norm: bool,
    attribute: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Score the posts of one feature block.

    Post ``p`` consists of the units ``unit_ids[indptr[p]:indptr[p + 1]]``; unit ``u`` owns
    the hashed columns ``columns[starts[u] : starts[u] + lengths[u]]`` with their counts.
    Columns are numbered ``0 .. len(idf) - 1`` (see :func:`compact_columns`).

    Returns ``(per_post, pair_post, pair_first, pair_value)``: each post's contribution to
    the decision value and, with ``attribute``, one entry per distinct unit of each post
    (post order, then first occurrence): its post, the index in ``unit_ids`` of its first
    occurrence, and its summed share. Without ``attribute`` the pair arrays are empty.
    """
    n_posts = len(indptr) - 1
    per_post = np.zeros(n_posts)
    width = 0
    for p in range(n_posts):
        size = 0
        for i in range(indptr[p], indptr[p + 1]):
            size += lengths[unit_ids[i]]
        width = max(width, size)
    touched = np.empty(width, dtype=np.int64)
    weighted = np.empty(width)
    n_items = len(unit_ids) if attribute else 0
    pair_post = np.empty(n_items, dtype=np.int64)
    pair_first = np.empty(n_items, dtype=np.int64)
    pair_value = np.empty(n_items)
    scratch = np.zeros(len(idf))  # one post's row; every post leaves it zeroed again
    slot = np.full(len(starts) if attribute else 0, -1, dtype=np.int64)
    n_pairs = 0
    for p in range(n_posts):
        lo, hi = indptr[p], indptr[p + 1]
        # Term frequency of every column of the post, in the scratch row.
        n_touched = 0
        for i in range(lo, hi):
            u = unit_ids[i]
            for j in range(starts[u], starts[u] + lengths[u]):
                c = columns[j]
                if scratch[c] == 0.0:
                    touched[n_touched] = c
                    n_touched += 1
                scratch[c] += counts[j]
        squares = 0.0
        for t in range(n_touched):
            c = touched[t]
            k = scratch[c]
            tf = 1.0 + math.log(k) if sublinear else k
            weighted[t] = tf * idf[c]
            squares += weighted[t] * weighted[t]
        norm = math.sqrt(squares) if l2_norm and squares > 0.0 else 1.0
        total = 0.0
        for t in range(n_touched):
            c = touched[t]
            contribution = weighted[t] / norm * coef[c]
            total += contribution
            # From here on the scratch row holds the share of one occurrence.
            scratch[c] = contribution / scratch[c]
        per_post[p] = total
        if attribute:
            first_pair = n_pairs
            for i in range(lo, hi):
                u = unit_ids[i]
                share = 0.0
                for j in range(starts[u], starts[u] + lengths[u]):
                    share += counts[j] * scratch[columns[j]]
                if slot[u] < 0:
                    slot[u] = n_pairs
                    pair_post[n_pairs] = p
                    pair_first[n_pairs] = i
                    pair_value[n_pairs] = share
                    n_pairs += 1
                else:
                    pair_value[slot[u]] += share
            for q in range(first_pair, n_pairs):
                slot[unit_ids[pair_first[q]]] = -1
        for t in range(n_touched):
            scratch[touched[t]] = 0.0
    return per_post, pair_post[:n_pairs], pair_first[:n_pairs], pair_value[:n_pairs]


@njit(cache=True, nogil=True)
def gather_units(
    starts: np.ndarray, lengths: np.ndarray, columns: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Copy the column slices of the given units into compact arrays.

    Returns ``(new_starts, new_columns, new_counts)`` where unit ``i`` owns
    ``new_columns[new_starts[i] : new_starts[i] + lengths[i]]``. The scoring pass reads each
    unit's slice twice per occurrence; reading it from a batch-sized copy instead of the
    whole unit store keeps those reads in cache.
    """
    new_starts = np.empty(len(starts), dtype=np.int64)
    total = 0
    for i in range(len(starts)):
        new_starts[i] = total
        total += lengths[i]
    new_columns = np.empty(total, dtype=columns.dtype)
    new_counts = np.empty(total, dtype=counts.dtype)
    for i in range(len(starts)):
        source, target = starts[i], new_starts[i]
        for j in range(lengths[i]):
            new_columns[target + j] = columns[source + j]
            new_counts[target + j] = counts[source + j]
    return new_starts, new_columns, new_counts


@njit(cache=True, nogil=True)
def select_top(
    post: np.ndarray, value: np.ndarray, n_posts: int, top_k: int, eps: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick each post's strongest items on both sides.

    Item ``i`` belongs to post ``post[i]`` and weighs ``value[i]``. Returns ``(chosen,
    n_up, n_down)``: ``chosen`` lists item indices post by post, first the post's ``n_up[p]``
    items with ``value > eps`` from the largest down, then its ``n_down[p]`` items with
    ``value < -eps`` from the most negative up, at most ``top_k`` of each. Equal values keep
    the order of the items (upward items in reverse), as a stable sort would.
    """
    per_post = np.zeros(n_posts + 1, dtype=np.int64)
    for i in range(len(post)):
        per_post[post[i] + 1] += 1
    for p in range(n_posts):
        per_post[p + 1] += per_post[p]
    grouped = np.empty(len(post), dtype=np.int64)
    filled = per_post[:-1].copy()
    for i in range(len(post)):
        grouped[filled[post[i]]] = i
        filled[post[i]] += 1
    chosen = np.empty(min(len(post), 2 * top_k * n_posts), dtype=np.int64)
    n_up = np.zeros(n_posts, dtype=np.int64)
    n_down = np.zeros(n_posts, dtype=np.int64)
    n_chosen = 0
    for p in range(n_posts):
        items = grouped[per_post[p] : per_post[p + 1]]
        order = np.argsort(value[items], kind="mergesort")
        for r in range(len(order) - 1, max(len(order) - 1 - top_k, -1), -1):
            item = items[order[r]]
            if value[item] <= eps:
                break
            chosen[n_chosen] = item
            n_chosen += 1
            n_up[p] += 1
        for r in range(min(top_k, len(order))):
            item = items[order[r]]
            if value[item] >= -eps:
                break
            chosen[n_chosen] = item
            n_chosen += 1
            n_down[p] += 1
    return chosen[:n_chosen], n_up, n_down


@njit(cache=True, nogil=True)
def compact_columns(columns: np.ndarray, slot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber hashed columns ``0..m-1`` in order of first appearance.

    Returns ``(local, seen)``: ``local[j]`` is the new number of ``columns[j]`` and
    ``seen[i]`` the hashed column numbered ``i``. ``slot`` is an int64 array of the block's
    width filled with -1, and is left so. A batch touches a few ten thousand of the half
    million hashed columns; the scoring pass then works on rows of that size, which stay in
    the CPU cache.
    """
    local = np.empty(len(columns), dtype=np.int64)
    seen = np.empty(len(columns), dtype=np.int64)
    n_seen = 0
    for j in range(len(columns)):
        c = columns[j]
        if slot[c] < 0:
            slot[c] = n_seen
            seen[n_seen] = c
            n_seen += 1
        local[j] = slot[c]
    for i in range(n_seen):
        slot[seen[i]] = -1
    return local, seen[:n_seen]
