"""The dependency layer: the store session, who is asking, and what they may do.

Every route gets its user from here and every role check happens here (capabilities) or
in :mod:`monitor.review.permissions` (per case, via the review services). Routes never
compare roles themselves.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from monitor.auth.tokens import TokenIdentity, verify_token
from monitor.auth.users import session_fingerprint
from monitor.review.permissions import has_capability
from monitor.store.db import Database
from monitor.store.users import UserRow
from monitor.web.i18n import LANGUAGES


class LoginRequired(Exception):  # noqa: N818  # control flow, handled by the app
    """No valid login: pages redirect to /login, the API answers 401."""


class Forbidden(Exception):  # noqa: N818
    """Logged in, but the role or token scope does not allow this (403)."""


def database(request: Request) -> Database:
    """The app's store."""
    db: Database = request.app.state.db
    return db


def _session(request: Request) -> Iterator[Session]:
    """One store session per request, committed when the handler returns normally."""
    session = database(request).session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


#: Ends (commits) before the response is sent, so a redirect never outruns its write.
DbSession = Annotated[Session, Depends(_session, scope="function")]


@dataclass(frozen=True, slots=True)
class UserInfo:
    """What pages show about the logged-in user; a plain copy that outlives the session."""

    id: int
    email: str
    name: str
    role: str
    region: str | None
    language: str

    @classmethod
    def of(cls, user: UserRow) -> UserInfo:
        """A snapshot of ``user``."""
        return cls(user.id, user.email, user.name, user.role, user.region, user.language)


def _remember(request: Request, user: UserRow | None) -> None:
    request.state.user = UserInfo.of(user) if user is not None else None
    request.state.lang = _language(request, user)


def _language(request: Request, user: UserRow | None) -> str:
    if user is not None and user.language in LANGUAGES:
        return user.language
    chosen = request.session.get("lang")
    return chosen if chosen in LANGUAGES else str(request.app.state.default_language)


def optional_user(request: Request, session: DbSession) -> UserRow | None:
    """The logged-in user of the session cookie, or None.

    A session is valid only while the account is active and its password unchanged.
    Also sets ``request.state.user`` (a :class:`UserInfo`) and ``request.state.lang``.
    """
    user = None
    uid = request.session.get("uid")
    fingerprint = request.session.get("fp")
    if isinstance(uid, int) and isinstance(fingerprint, str):
        candidate = session.get(UserRow, uid)
        if (
            candidate is not None
            and candidate.active
            and hmac.compare_digest(session_fingerprint(candidate), fingerprint)
        ):
            user = candidate
        else:
            request.session.pop("uid", None)
            request.session.pop("fp", None)
    _remember(request, user)
    return user


async def page_user(user: Annotated[UserRow | None, Depends(optional_user)]) -> UserRow:
    """The logged-in user; anyone else is sent to the login page."""
    if user is None:
        raise LoginRequired()
    return user


CurrentUser = Annotated[UserRow, Depends(page_user)]


def require(capability: str) -> Callable[[UserRow], Awaitable[UserRow]]:
    """A dependency: the logged-in user, who must have ``capability`` (else 403)."""

    async def dependency(user: CurrentUser) -> UserRow:
        if not has_capability(user, capability):
            raise Forbidden(capability)
        return user

    return dependency


@dataclass(frozen=True, slots=True)
class Principal:
    """Who calls the API: a user, through a session cookie or one of their tokens."""

    user: UserRow
    scopes: frozenset[str]
    token: TokenIdentity | None = None


_bearer = HTTPBearer(auto_error=False, description="An API token: `pnt_xxxxxxxx_…`.")


def api_principal(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The API caller: a bearer token wins; otherwise the session cookie. Else 401."""
    if credentials is not None:
        identity = verify_token(session, credentials.credentials)
        if identity is None:
            raise LoginRequired()
        _remember(request, identity.user)
        return Principal(user=identity.user, scopes=identity.scopes, token=identity)
    user = optional_user(request, session)
    if user is None:
        raise LoginRequired()
    return Principal(user=user, scopes=frozenset({"read", "write"}))


def scope(name: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the API caller, whose token must carry scope ``name`` (else 403)."""

    async def dependency(principal: Annotated[Principal, Depends(api_principal)]) -> Principal:
        if name not in principal.scopes:
            raise Forbidden(name)
        return principal

    return dependency


Reader = Annotated[Principal, Depends(scope("read"))]
Writer = Annotated[Principal, Depends(scope("write"))]
Pusher = Annotated[Principal, Depends(scope("push"))]


def client_address(request: Request) -> str:
    """The client's address (uvicorn has already applied trusted proxy headers)."""
    return request.client.host if request.client else "unknown"
