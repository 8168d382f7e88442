"""End-to-end in Debian's chromium through Playwright, against the app served by uvicorn.

Skipped (with the reason) when /usr/bin/chromium is missing; CI installs it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from monitor.config import Settings
from monitor.store.db import Database
from monitor.web.server import bound_port, serve_in_thread
from tests.web.conftest import StoredWorld
from tests.web.world import PASSWORD, World

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

sync_api = pytest.importorskip("playwright.sync_api")


class PageFactory(Protocol):
    """The ``new_page`` fixture: ``new_page(**context_options)`` opens a fresh page."""

    def __call__(self, **options: Any) -> Page: ...


@dataclass
class Site:
    """The running app: its base URL and the world inside."""

    url: str
    world: World
    db: Database


@pytest.fixture(scope="module")
def site(stored_world: StoredWorld) -> Iterator[Site]:
    """The app on 127.0.0.1 (a free port) over a SQLite store holding the world."""
    folder, url, db = stored_world.folder, stored_world.url, stored_world.db
    settings = Settings(database_url=url, data_dir=folder / "var", seed_demo=False)
    thread, stop = serve_in_thread(settings, "127.0.0.1", 0, db)
    try:
        yield Site(f"http://127.0.0.1:{bound_port(thread)}", stored_world.world, db)
    finally:
        stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium."""
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[PageFactory]:
    """``new_page(viewport=None)``: a page in a fresh context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, site: Site, who: str) -> None:
    """Log in through the form and land on the queue."""
    page.goto(f"{site.url}/login")
    page.fill("input[name=email]", site.world.emails[who])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/queue$"))


def test_a_reviewer_logs_in_and_sees_the_queue(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    page.goto(f"{site.url}/queue")
    assert "/login" in page.url
    log_in(page, site, "reviewer")
    assert page.locator("h1").first.inner_text().startswith("Antrean kasus")
    assert page.locator("tr[data-row]").count() == 5


def test_a_case_goes_from_the_queue_to_a_published_clarification(
    new_page: PageFactory, site: Site
) -> None:
    case_id = site.world.cases["jabar"]
    reviewer = new_page()
    log_in(reviewer, site, "reviewer")
    reviewer.click(f'a[href="/cases/{case_id}"]')
    reviewer.wait_for_url(f"**/cases/{case_id}")
    reviewer.select_option("form[data-form=assign] select[name=assignee]", "me")
    reviewer.click("form[data-form=assign] button")
    assert reviewer.locator("[data-testid=assignee]").inner_text() == "Budi Peninjau"
    reviewer.check("form[data-form=label] input[value=hoax]")
    reviewer.select_option("form[data-form=label] select[name=category]", "fabricated")
    reviewer.fill("form[data-form=label] textarea[name=note]", "Sudah dicek ke Dinkes.")
    reviewer.click("form[data-form=label] button")
    reviewer.fill(
        "form[data-form=draft] textarea[name=facts]", "Tidak ada vaksin palsu di Bandung."
    )
    reviewer.fill("form[data-form=draft] textarea[name=sources]", "https://dinkes.jabarprov.test")
    reviewer.fill("form[data-form=draft] textarea[name=contact]", "Hotline 119")
    reviewer.click("form[data-form=draft] button")
    assert reviewer.locator(".status").first.inner_text() == "Draf klarifikasi"
    assert reviewer.locator(f'form[action="/cases/{case_id}/approve"]').count() == 0
    assert "disetujui oleh orang lain" in reviewer.content()

    approver = new_page()
    log_in(approver, site, "approver")
    approver.goto(f"{site.url}/cases/{case_id}")
    approver.click(f'form[action="/cases/{case_id}/approve"] button')
    assert approver.locator(".status").first.inner_text() == "Disetujui"

    reviewer.goto(f"{site.url}/cases/{case_id}")
    reviewer.select_option("form[data-form=publish] select[name=channel]", "website")
    reviewer.fill("form[data-form=publish] input[name=url]", "https://ppid.jabarprov.test/k/7")
    reviewer.click("form[data-form=publish] button")
    assert reviewer.locator(".status").first.inner_text() == "Terbit"
    assert "Disetujui oleh Citra Penyetuju" in reviewer.content()
    history = reviewer.locator(".timeline").inner_text()
    for step in ("menugaskan", "memberi label", "menulis draf", "menyetujui", "mencatat publikasi"):
        assert step in history


def test_a_regional_officer_sees_only_their_region(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    log_in(page, site, "papua")
    page.goto(f"{site.url}/queue?status=all")
    regions = page.locator("tr[data-row] td:nth-child(9)").all_inner_texts()
    assert regions == ["Papua"]
    response = page.goto(f"{site.url}/cases/{site.world.cases['xss']}")
    assert response is not None
    assert response.status == 404
    assert "Tidak ditemukan" in page.content()


def test_a_post_with_script_and_onerror_renders_inert(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    log_in(page, site, "jabar")
    page.goto(f"{site.url}/cases/{site.world.cases['xss']}")
    text = page.locator(".post-text").first
    assert "<script>alert('xss')</script>" in text.inner_text()
    assert 'onerror="alert(1)"' in text.inner_text()
    assert text.locator("script, img").count() == 0
    # Nowhere on the page (normalized text, highlights, title, related posts) and not in the
    # queue either may the post's markup become elements; a CSP alone must not hide a leak.
    injected = (
        "document.querySelectorAll('[onerror]').length + Array.from("
        "document.scripts).filter(function (s) { return s.text.indexOf('xss') >= 0; }).length"
    )
    assert page.evaluate(injected) == 0
    page.goto(f"{site.url}/queue?status=all")
    assert page.locator(f'a[href="/cases/{site.world.cases["xss"]}"]').count() >= 1
    assert page.evaluate(injected) == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_form_posted_without_its_csrf_token_is_refused(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    log_in(page, site, "reviewer")
    case_id = site.world.cases["central"]
    page.goto(f"{site.url}/cases/{case_id}")
    page.evaluate(
        "document.querySelectorAll('form[data-form=assign] input[name=csrf_token]')"
        ".forEach(function (input) { input.remove(); })"
    )
    with page.expect_navigation():
        page.click("form[data-form=assign] button")
    assert "Formulir kedaluwarsa" in page.content()
    page.goto(f"{site.url}/cases/{case_id}")
    assert page.locator("[data-testid=assignee]").inner_text() == "–"


def test_the_queue_works_on_a_phone(new_page: PageFactory, site: Site) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, site, "reviewer")
    assert not page.locator("table.queue thead").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(f'a[href="/cases/{site.world.cases["central"]}"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("form[data-form=label]").is_visible()
    assert not page.locator(".keys-hint").is_visible()  # no keyboard on a phone


def test_a_logged_in_user_switches_between_bahasa_and_english(
    new_page: PageFactory, site: Site
) -> None:
    page = new_page()
    log_in(page, site, "admin")
    assert page.locator("h1").first.inner_text().startswith("Antrean kasus")
    with page.expect_navigation():
        page.click("form[data-form=language] button[value=en]")
    assert page.url.endswith("/queue")
    assert page.locator("h1").first.inner_text().startswith("Case queue")
    assert page.evaluate("document.documentElement.lang") == "en"
    again = new_page()
    again.goto(f"{site.url}/login")
    again.fill("input[name=email]", site.world.emails["admin"])
    again.fill("input[name=password]", PASSWORD)
    again.click("button[type=submit].primary")
    again.wait_for_url(re.compile(r".*/queue$"))
    assert again.locator("h1").first.inner_text().startswith("Case queue")  # kept per user
    with again.expect_navigation():
        again.click("form[data-form=language] button[value=id]")
    assert again.locator("h1").first.inner_text().startswith("Antrean kasus")


def test_keyboard_shortcuts_move_and_open(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    log_in(page, site, "analyst")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    second = page.url.rsplit("/", 1)[1]
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r".*/queue$"))
    rows = page.locator("tr[data-row]")
    assert rows.nth(1).get_attribute("data-href") == f"/cases/{second}"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    assert page.evaluate("document.getElementById('shortcuts').open") is False
    page.keyboard.press("?")
    assert page.evaluate("document.getElementById('shortcuts').open") is True


def test_the_assign_shortcut_on_a_case_page(new_page: PageFactory, site: Site) -> None:
    page = new_page()
    log_in(page, site, "reviewer")
    page.goto(f"{site.url}/cases/{site.world.cases['low']}")
    assert page.locator("[data-testid=assignee]").inner_text() == "–"
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.locator("[data-testid=assignee]").inner_text() == "Budi Peninjau"


def test_a_flagged_demo_post_becomes_a_published_approved_clarification(
    new_page: PageFactory, tmp_path: Path, sqlite_template: Path
) -> None:
    """The issue's "done when": demo stream → pipeline → queue → clarification, in chromium."""
    from monitor.auth.users import create_user
    from monitor.bootstrap import DEMO_STREAM, initialise
    from monitor.model.registry import newest_model
    from monitor.pipeline.importer import import_file
    from monitor.runtime import Runtime

    models = Path(__file__).resolve().parents[2] / "models"
    if newest_model(models) is None:
        pytest.skip("no trained model under models/")
    shutil.copy(sqlite_template, tmp_path / "pantau.db")
    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    settings = Settings(
        database_url=url, data_dir=tmp_path / "var", models_dir=models, seed_demo=False
    )
    db = Database(url)
    initialise(db, settings)
    import_file(db, DEMO_STREAM, "demo", max_chars=settings.max_post_chars)
    runtime = Runtime(settings, db)
    try:
        assert runtime.process().flagged > 0
    finally:
        runtime.close()
    with db.transaction() as session:
        for email, name in (("rina@kominfo.test", "Rina"), ("yusuf@kominfo.test", "Yusuf")):
            create_user(session, email=email, name=name, role="central_reviewer", password=PASSWORD)
    thread, stop = serve_in_thread(settings, "127.0.0.1", 0, db)
    base = f"http://127.0.0.1:{bound_port(thread)}"
    try:
        pages = {}
        for email in ("rina@kominfo.test", "yusuf@kominfo.test"):
            page = new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit].primary")
            page.wait_for_url(re.compile(r".*/queue$"))
            pages[email] = page
        rina, yusuf = pages["rina@kominfo.test"], pages["yusuf@kominfo.test"]
        rina.click("tr[data-row] a[data-open] >> nth=0")
        rina.wait_for_url(re.compile(r".*/cases/\d+$"))
        case_url = rina.url
        assert rina.locator(".post-text").count() >= 1
        rina.click("form[data-form=assign] button")
        rina.check("form[data-form=label] input[value=hoax]")
        rina.select_option("form[data-form=label] select[name=category]", "fabricated")
        rina.click("form[data-form=label] button")
        rina.fill("form[data-form=draft] textarea[name=facts]", "Informasi ini tidak benar.")
        rina.fill("form[data-form=draft] textarea[name=contact]", "Layanan informasi 159")
        rina.click("form[data-form=draft] button")
        yusuf.goto(case_url)
        yusuf.click("form[action$='/approve'] button")
        assert yusuf.locator(".status").first.inner_text() == "Disetujui"
        rina.goto(case_url)
        rina.fill("form[data-form=publish] input[name=url]", "https://ppid.example.go.id/k/1")
        rina.click("form[data-form=publish] button")
        assert rina.locator(".status").first.inner_text() == "Terbit"
        assert "Disetujui oleh Yusuf" in rina.content()
    finally:
        stop()
        db.dispose()
