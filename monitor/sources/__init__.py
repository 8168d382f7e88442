"""Source connectors: fetch public posts from feeds, files and platforms.

Importing this package registers the built-in connectors (``rss``, ``file``) through the
same :func:`register_source` an outside connector would use.
"""

# ``files`` and ``rss`` are imported for their side effect: registering the built-ins.
from monitor.sources import files, rss
from monitor.sources.base import (
    FetchedPost,
    FetchResult,
    NotConfigured,
    Source,
    SourceError,
    redact_url,
)
from monitor.sources.registry import (
    available_kinds,
    build_source,
    register_source,
    source_class,
)

__all__ = [
    "FetchResult",
    "FetchedPost",
    "NotConfigured",
    "Source",
    "SourceError",
    "available_kinds",
    "build_source",
    "files",
    "redact_url",
    "register_source",
    "rss",
    "source_class",
]
