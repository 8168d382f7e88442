"""The registry of source connectors, keyed by their ``kind``.

Built-in connectors register through :func:`register_source` exactly as an outside connector
would; importing :mod:`monitor.sources` registers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from monitor.sources.base import NotConfigured, Source

S = TypeVar("S", bound=Source)

_REGISTRY: dict[str, type[Source]] = {}


def register_source(cls: type[S]) -> type[S]:
    """Class decorator: make ``cls`` buildable under ``cls.kind``. Returns ``cls`` unchanged.

    Raises ValueError when ``cls`` has no non-empty string ``kind`` or when another class
    already holds that kind (registering the same class twice is allowed).
    """
    kind = getattr(cls, "kind", None)
    if not isinstance(kind, str) or not kind.strip():
        raise ValueError(f"{cls.__qualname__} needs a non-empty string class attribute 'kind'")
    holder = _REGISTRY.get(kind)
    if holder is not None and holder is not cls:
        raise ValueError(
            f"source kind {kind!r} is already registered by "
            f"{holder.__module__}.{holder.__qualname__}"
        )
    _REGISTRY[kind] = cls
    return cls


def source_class(kind: str) -> type[Source]:
    """The connector class registered under ``kind``; raises NotConfigured when there is none."""
    try:
        return _REGISTRY[kind]
    except KeyError:
        known = ", ".join(available_kinds()) or "none"
        raise NotConfigured(f"unknown source kind {kind!r} (available: {known})") from None


def available_kinds() -> list[str]:
    """The registered kinds, sorted."""
    return sorted(_REGISTRY)


def build_source(
    kind: str, settings: Mapping[str, Any], *, http: httpx.Client | None = None
) -> Source:
    """Build a connector of ``kind`` from ``settings``.

    ``http`` is a shared client for connectors that use HTTP (they create and close their own
    when it is None). Raises NotConfigured for an unknown kind or missing/invalid settings.
    """
    return source_class(kind).from_settings(settings, http=http)


def unregister_source(kind: str) -> None:
    """Remove ``kind`` from the registry (for tests of outside connectors). No-op if absent."""
    _REGISTRY.pop(kind, None)
