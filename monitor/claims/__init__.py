"""Claims: one case per claim however many copies spread, known hoaxes, priority.

* :mod:`monitor.claims.words` — the claim words of a normalized post;
* :mod:`monitor.claims.minhash` — MinHash signatures and LSH band keys (numpy);
* :mod:`monitor.claims.similarity` — the exact score that confirms a candidate;
* :mod:`monitor.claims.cluster` — the incremental, pure clustering of one batch;
* :mod:`monitor.claims.index` — the index in the store, shared by every worker;
* :mod:`monitor.claims.memory` — the same index in memory, for evaluation and benchmarks;
* :mod:`monitor.claims.known` — known hoaxes: import, matches, adding published cases;
* :mod:`monitor.claims.priority` — the priority formula;
* :mod:`monitor.claims.aggregates` — a case's numbers, kept incrementally;
* :mod:`monitor.claims.merge` — reviewers' merges and splits;
* :mod:`monitor.claims.settings` — :class:`ClaimSettings`.

The pipeline enters through :func:`monitor.pipeline.flag.flag_into_cases`.
"""

from monitor.claims.settings import ClaimSettings, claim_settings

__all__ = ["ClaimSettings", "claim_settings"]
