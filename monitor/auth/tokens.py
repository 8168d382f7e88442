"""API tokens: shown once, stored as sha256, checked in constant time.

A token looks like ``pnt_<prefix>_<secret>``. The prefix (8 hex characters) finds the row;
the sha256 of the whole token is compared with :func:`hmac.compare_digest`. A token acts
with its owner's role and region, limited to its scopes (``read``, ``write``, ``push``).
Tokens with the ``push`` scope get their own receive-only source (kind ``push``), under
which the posts they push are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.review import TOKEN_SCOPES, ApiTokenRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow

TOKEN_PREFIX = "pnt_"  # noqa: S105  # the public marker of a token
PUSH_SOURCE_KIND = "push"
_FORMAT = re.compile(r"^pnt_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")
# Writing last_used_at on every call would turn each read into a write.
_TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token operation was refused; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class TokenIdentity:
    """Who an accepted token acts for."""

    token_id: int
    user: UserRow
    scopes: frozenset[str]
    source_id: int | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    *,
    user: UserRow,
    name: str,
    scopes: Sequence[str],
    actor: str,
    actor_id: int | None = None,
) -> tuple[ApiTokenRow, str]:
    """Create a token for ``user`` and return the row and the token text (shown only once).

    Raises TokenError for an empty name or an unknown scope.
    """
    name = name.strip()
    if not name:
        raise TokenError("a token needs a name")
    unknown = sorted(set(scopes) - set(TOKEN_SCOPES))
    if unknown or not scopes:
        raise TokenError(f"scopes must be among {', '.join(TOKEN_SCOPES)}")
    while True:
        prefix = secrets.token_hex(4)
        if session.scalar(select(ApiTokenRow.id).where(ApiTokenRow.prefix == prefix)) is None:
            break
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    source_id = None
    if "push" in scopes:
        source = SourceRow(
            name=f"push:{name[:150]}:{prefix}",
            kind=PUSH_SOURCE_KIND,
            settings={},
            # Receive-only: nothing to fetch, so the scheduler must never pick it up.
            enabled=False,
            interval_seconds=None,
            region=user.region,
            consecutive_failures=0,
        )
        session.add(source)
        session.flush()
        source_id = source.id
    row = ApiTokenRow(
        name=name[:200],
        prefix=prefix,
        token_hash=_digest(token),
        user_id=user.id,
        scopes=sorted(set(scopes)),
        source_id=source_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="token.create",
        entity_type="api_token",
        entity_id=row.id,
        details={"name": row.name, "user": user.email, "scopes": row.scopes, "prefix": prefix},
    )
    return row, token


def verify_token(session: Session, token: str) -> TokenIdentity | None:
    """The identity of a valid token, else None (malformed, unknown, revoked, owner disabled).

    Runs in the caller's transaction and may update the token's last-used time.
    """
    match = _FORMAT.match(token.strip())
    if match is None:
        return None
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.prefix == match.group(1)))
    # Hash even when no row matches so both paths cost the same.
    presented = _digest(token.strip())
    stored = row.token_hash if row is not None else "0" * 64
    if not hmac.compare_digest(presented, stored) or row is None or row.revoked_at is not None:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        row.last_used_at = now
    return TokenIdentity(
        token_id=row.id, user=user, scopes=frozenset(row.scopes), source_id=row.source_id
    )


def revoke_token(
    session: Session, token_id: int, *, actor: str, actor_id: int | None = None
) -> ApiTokenRow:
    """Revoke a token (idempotent). Raises TokenError when there is no such token."""
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise TokenError(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(
            session,
            actor=actor,
            actor_id=actor_id,
            action="token.revoke",
            entity_type="api_token",
            entity_id=row.id,
            details={"name": row.name, "prefix": row.prefix},
        )
    return row


def list_tokens(session: Session) -> list[tuple[ApiTokenRow, str]]:
    """Every token with its owner's e-mail, newest first (hashes are never shown)."""
    rows = session.execute(
        select(ApiTokenRow, UserRow.email)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .order_by(ApiTokenRow.id.desc())
    ).all()
    return [(row, email) for row, email in rows]
