"""Jinja2 rendering: autoescaped templates with the translator, CSRF token and formatters."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from monitor.web.i18n import Translator
from monitor.web.security import csrf_token
from monitor.web.settings import WebSettings

TEMPLATES_DIR = Path(__file__).with_name("templates")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # Every template is HTML: escape everything unless explicitly Markup built by our
        # code (e.g. highlighted post text, which escapes each piece first).
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["query"] = lambda params: urlencode(
        {k: v for k, v in params.items() if v not in (None, "")}
    )
    env.filters["combine_page"] = lambda params, page: {**params, "page": str(page)}
    return env


TEMPLATES = Jinja2Templates(env=_environment())


class Formatters:
    """Number and time formatting in the user's language and the display time zone."""

    def __init__(self, settings: WebSettings, lang: str) -> None:
        self.zone = settings.zone
        self.lang = lang

    def dt(self, value: datetime | None) -> str:
        """A time as ``2026-11-26 09:15 WIB`` (the zone's abbreviation)."""
        if value is None:
            return "–"
        local = value.astimezone(self.zone)
        return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")

    def iso(self, value: datetime | None) -> str:
        """A machine-readable time for ``<time datetime=…>``."""
        return value.isoformat() if value else ""

    def local_input(self, value: datetime | None) -> str:
        """A value for ``<input type=datetime-local>`` in the display zone."""
        return value.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M") if value else ""

    def num(self, value: float | int | None, digits: int = 0) -> str:
        """A number with the language's thousands and decimal separators."""
        if value is None:
            return "–"
        text = f"{value:,.{digits}f}"
        if self.lang == "id":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def pct(self, value: float | None) -> str:
        """A probability as a percentage."""
        return "–" if value is None else self.num(value * 100, 0) + "%"


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render template ``name`` with the request's user, language and helpers."""
    settings: WebSettings = request.app.state.web
    lang = getattr(request.state, "lang", None) or request.app.state.default_language
    t = Translator(lang)
    flashes = request.session.pop("flash", []) if "session" in request.scope else []
    base = {
        "user": getattr(request.state, "user", None),
        "lang": t.lang,
        "t": t,
        "f": Formatters(settings, t.lang),
        "csrf_token": csrf_token(request.session),
        "flashes": flashes,
        "path": request.url.path,
        "web": settings,
    }
    base.update(context or {})
    return TEMPLATES.TemplateResponse(request, name, base, status_code=status_code)


def flash(request: Request, key: str, level: str = "info", **params: Any) -> None:
    """Queue a message for the next rendered page (kept in the signed session cookie)."""
    messages = list(request.session.get("flash", []))
    messages.append({"level": level, "key": key, "params": {k: str(v) for k, v in params.items()}})
    request.session["flash"] = messages[-5:]
