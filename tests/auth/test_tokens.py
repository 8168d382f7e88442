"""API tokens: shown once, stored hashed, refused when revoked or when the owner is disabled."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from monitor.auth.tokens import TokenError, create_token, revoke_token, verify_token
from monitor.auth.users import create_user, set_active
from monitor.store.db import Database
from monitor.store.review import ApiTokenRow
from monitor.store.sources import SourceRow


def _token(db: Database, scopes: list[str], role: str = "regional_officer") -> tuple[int, str]:
    with db.transaction() as session:
        user, _ = create_user(
            session, email="mitra@kab.test", name="Mitra", role=role, region="Kabupaten Sleman"
        )
        row, token = create_token(
            session, user=user, name="Diskominfo Sleman", scopes=scopes, actor="cli"
        )
        return row.id, token


def test_only_the_sha256_of_a_token_is_stored(db: Database) -> None:
    token_id, token = _token(db, ["read"])
    assert token.startswith("pnt_")
    with db.session() as session:
        row = session.get(ApiTokenRow, token_id)
        assert row is not None
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.prefix, row.name)
        identity = verify_token(session, token)
        assert identity is not None and identity.scopes == {"read"}
        assert identity.user.email == "mitra@kab.test"


def test_wrong_or_malformed_tokens_are_refused(db: Database) -> None:
    _, token = _token(db, ["read"])
    with db.session() as session:
        assert verify_token(session, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert verify_token(session, "pnt_00000000_" + "x" * 43) is None
        assert verify_token(session, "Bearer " + token) is None
        assert verify_token(session, "") is None


def test_a_push_token_gets_a_receive_only_source_in_the_owners_region(db: Database) -> None:
    token_id, _ = _token(db, ["push", "read"])
    with db.session() as session:
        row = session.get(ApiTokenRow, token_id)
        assert row is not None and row.source_id is not None
        source = session.get(SourceRow, row.source_id)
        assert source is not None
        assert (source.kind, source.enabled, source.region) == ("push", False, "Kabupaten Sleman")


def test_revoking_or_disabling_the_owner_ends_a_token(db: Database) -> None:
    token_id, token = _token(db, ["read"])
    with db.transaction() as session:
        set_active(session, "mitra@kab.test", False)
    with db.session() as session:
        assert verify_token(session, token) is None
    with db.transaction() as session:
        set_active(session, "mitra@kab.test", True)
        assert verify_token(session, token) is not None
        revoke_token(session, token_id, actor="cli")
    with db.session() as session:
        assert verify_token(session, token) is None
        assert session.scalar(select(ApiTokenRow.revoked_at)) is not None


def test_tokens_need_a_name_and_known_scopes(db: Database) -> None:
    with pytest.raises(TokenError):
        _token(db, ["admin"])
    with db.transaction() as session, pytest.raises(TokenError):
        revoke_token(session, 999, actor="cli")
