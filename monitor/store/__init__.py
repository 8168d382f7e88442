"""Pantau's store: SQLAlchemy 2.0 typed tables split by aggregate, sessions, migrations."""

from monitor.store.audit import AuditEventRow
from monitor.store.base import Base, utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.models_registry import ModelActivationRow
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow, WatchlistMatchRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow

__all__ = [
    "AuditEventRow",
    "Base",
    "CasePostRow",
    "CaseRow",
    "Database",
    "ModelActivationRow",
    "NormalizedPostRow",
    "PostRow",
    "ScoreRow",
    "SourceRow",
    "UserRow",
    "WatchlistMatchRow",
    "WatchlistRow",
    "utcnow",
]
