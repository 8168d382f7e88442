"""Every UI text exists in Indonesian and English, and every key used is in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.review.bulk import BULK_ACTIONS
from monitor.review.deadlines import BANDS
from monitor.review.queue import ALL_STATUSES, SORTS, STATUS_GROUPS
from monitor.review.workflow import CHANNELS
from monitor.store.review import HOAX_CATEGORIES, LABEL_VERDICTS, TOKEN_SCOPES
from monitor.store.users import ROLES
from monitor.web.catalogue import MESSAGES
from monitor.web.i18n import translate

WEB = Path(__file__).resolve().parents[2] / "monitor" / "web"
_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
_FLASH = re.compile(
    r"""(?:flash\(request,\s*|key=|error":\s*|"error":\s*)["']([a-z_]+\.[a-z_.]+)["']"""
)


def test_every_message_has_both_languages() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"id", "en"}, key
        assert all(t.strip() for t in texts.values()), key


def test_every_key_used_in_templates_and_handlers_exists() -> None:
    used: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py"), *WEB.glob("routes/*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(_KEY.findall(text)) | set(_FLASH.findall(text))
    missing = sorted(k for k in used if k not in MESSAGES and not k.endswith(".html"))
    assert missing == []


def test_every_value_shown_through_a_prefix_is_translated() -> None:
    groups = {
        "status": [*STATUS_GROUPS, *ALL_STATUSES],
        "band": BANDS,
        "sort": SORTS,
        "bulk": BULK_ACTIONS,
        "role": ROLES,
        "verdict": LABEL_VERDICTS,
        "category": HOAX_CATEGORIES,
        "channel": CHANNELS,
        "scope": TOKEN_SCOPES,
    }
    for prefix, values in groups.items():
        for value in values:
            assert f"{prefix}.{value}" in MESSAGES, f"{prefix}.{value}"
    for action in (
        "assign",
        "label",
        "draft",
        "approve",
        "publish",
        "dismiss",
        "reopen",
        "escalate",
    ):
        assert f"case.{action}" in MESSAGES and f"audit.case.{action}" in MESSAGES


def test_placeholders_are_filled_and_the_default_is_indonesian() -> None:
    assert translate("queue.page_of", "id", page=2, pages=5) == "Halaman 2 dari 5"
    assert translate("queue.page_of", "en", page=2, pages=5) == "Page 2 of 5"
    assert translate("queue.page_of", "fr", page=1, pages=1) == "Halaman 1 dari 1"
