"""Pantau's store: SQLAlchemy 2.0 typed tables split by aggregate, sessions, migrations."""

from monitor.store.audit import AuditEventRow
from monitor.store.base import Base, utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import (
    ClaimActivityRow,
    ClaimBandRow,
    ClaimFingerprintRow,
    ClaimOverrideRow,
    ClaimReachRow,
    KnownHoaxMatchRow,
    KnownHoaxRow,
)
from monitor.store.db import Database
from monitor.store.models_registry import ModelActivationRow
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow, WatchlistMatchRow
from monitor.store.review import (
    ApiTokenRow,
    ClarificationRow,
    LabelRow,
    LoginAttemptRow,
    ReportSubmissionRow,
)
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow

__all__ = [
    "ApiTokenRow",
    "AuditEventRow",
    "Base",
    "CasePostRow",
    "CaseRow",
    "ClaimActivityRow",
    "ClaimBandRow",
    "ClaimFingerprintRow",
    "ClaimOverrideRow",
    "ClaimReachRow",
    "ClarificationRow",
    "Database",
    "KnownHoaxMatchRow",
    "KnownHoaxRow",
    "LabelRow",
    "LoginAttemptRow",
    "ModelActivationRow",
    "NormalizedPostRow",
    "PostRow",
    "ReportSubmissionRow",
    "ScoreRow",
    "SourceRow",
    "UserRow",
    "WatchlistMatchRow",
    "WatchlistRow",
    "utcnow",
]
