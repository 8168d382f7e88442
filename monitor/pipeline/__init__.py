"""The pipeline stages, each a plain function over a batch.

fetch → ingest → normalize → match watchlists → score → flag into cases. The scheduler,
the worker and the CLI are thin shells around these functions.
"""
