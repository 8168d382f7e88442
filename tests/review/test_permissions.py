"""The permission rules, including delegation to the gazetteer's region rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.review import permissions, regions
from monitor.store.base import utcnow
from monitor.store.cases import CaseRow
from monitor.store.users import UserRow


def _user(role: str, region: str | None = None, active: bool = True) -> UserRow:
    return UserRow(id=1, email="a@b.test", name="A", role=role, region=region, active=active)


def _case(region: str | None, escalated: bool = False) -> CaseRow:
    return CaseRow(id=1, region=region, status="new", escalated_at=utcnow() if escalated else None)


@pytest.fixture
def gazetteer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A tiny stand-in for monitor.routing: a province covers its regencies."""
    provinces = {"Kabupaten Bogor": "Jawa Barat", "Kota Bandung": "Jawa Barat"}

    def covers(officer: str, case: str | None) -> bool:
        return case is not None and (officer == case or provinces.get(case) == officer)

    functions: dict[str, Callable[..., Any]] = {
        "region_covers": covers,
        "all_regions": lambda: ["Jawa Barat", "Kabupaten Bogor", "Kota Bandung", "Papua"],
    }
    regions.clear_caches()
    monkeypatch.setattr(regions, "_routing_function", functions.get)
    yield
    regions.clear_caches()


def test_a_province_officer_covers_its_regencies_through_the_gazetteer(gazetteer: None) -> None:
    officer = _user("regional_officer", "Jawa Barat")
    assert permissions.can_view(officer, _case("Kabupaten Bogor"))
    assert not permissions.can_view(officer, _case("Papua"))
    assert regions.covered_regions("Jawa Barat") == [
        "Jawa Barat",
        "Kabupaten Bogor",
        "Kota Bandung",
    ]
    regency = _user("regional_officer", "Kabupaten Bogor")
    assert not permissions.can_view(regency, _case("Jawa Barat"))


def test_without_the_gazetteer_an_officer_covers_exactly_their_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    regions.clear_caches()
    monkeypatch.setattr(regions, "_routing_function", lambda name: None)
    officer = _user("regional_officer", "Jawa Barat")
    assert permissions.can_view(officer, _case("Jawa Barat"))
    assert not permissions.can_view(officer, _case("Kabupaten Bogor"))
    assert not permissions.can_view(officer, _case(None))
    assert regions.covered_regions("Jawa Barat", ["Kabupaten Bogor"]) == ["Jawa Barat"]
    regions.clear_caches()


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("admin", {"assign", "label", "draft", "approve", "publish", "dismiss", "reopen", "merge"}),
        (
            "central_reviewer",
            {"assign", "label", "draft", "approve", "publish", "dismiss", "reopen", "merge"},
        ),
        ("analyst", {"label"}),
    ],
)
def test_central_roles_see_every_case_and_act_by_role(role: str, actions: set[str]) -> None:
    user = _user(role)
    for region in (None, "Papua", "Jawa Barat"):
        case = _case(region)
        assert permissions.can_view(user, case)
        assert {a for a in permissions.ACTIONS if permissions.can_act(user, case, a)} == actions


def test_an_officer_works_their_cases_until_escalation() -> None:
    officer = _user("regional_officer", "Papua")
    open_case, escalated = _case("Papua"), _case("Papua", escalated=True)
    assert permissions.can_act(officer, open_case, "escalate")
    assert permissions.can_act(officer, open_case, "approve")
    assert permissions.can_view(officer, escalated)
    assert not any(permissions.can_act(officer, escalated, a) for a in permissions.ACTIONS)


def test_disabled_or_unknown_users_see_nothing() -> None:
    for user in (_user("admin", active=False), _user("intern")):
        assert not permissions.can_view(user, _case(None))
        assert not permissions.has_capability(user, permissions.DASHBOARD)


def test_only_admins_hold_the_audit_and_admin_capabilities() -> None:
    for role in ("central_reviewer", "analyst", "regional_officer"):
        assert not permissions.has_capability(_user(role, "Papua"), permissions.AUDIT)
        assert permissions.has_capability(_user(role, "Papua"), permissions.EXPORT)
    assert permissions.has_capability(_user("admin"), permissions.ADMIN)
