"""A small time-limited cache of query results, kept per database engine.

For values that are costly to compute on every page and may be a little stale (the
regions and topics in use, dashboard-style lists). Keyed by the engine the session is
bound to, weakly, so two stores in one process never share entries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session

T = TypeVar("T")

_LOCK = threading.Lock()
_ENTRIES: WeakKeyDictionary[Any, dict[Hashable, tuple[float, Any]]] = WeakKeyDictionary()


def cached(session: Session, key: Hashable, seconds: float, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key`` in this session's store, reused for ``seconds``."""
    engine = session.get_bind()
    now = time.monotonic()
    with _LOCK:
        entry = _ENTRIES.get(engine, {}).get(key)
    if entry is not None and now - entry[0] < seconds:
        value: T = entry[1]
        return value
    value = compute()
    with _LOCK:
        _ENTRIES.setdefault(engine, {})[key] = (now, value)
    return value


def forget(session: Session) -> None:
    """Drop every cached value of this session's store."""
    with _LOCK:
        _ENTRIES.pop(session.get_bind(), None)
