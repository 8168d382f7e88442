"""The public "report a hoax" form: no login, CSRF-protected, rate-limited per address."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from monitor.review.intake import (
    MAX_REPORT_CHARS,
    MIN_REPORT_CHARS,
    RateLimited,
    ReportLimit,
    address_hash,
    submit_report,
)
from monitor.web.deps import DbSession, client_address, optional_user
from monitor.web.templating import render

router = APIRouter(include_in_schema=False)


def _form(request: Request, error: str | None, values: dict[str, str], status: int) -> Response:
    return render(
        request,
        "report.html",
        {
            "error": error,
            "values": values,
            "min_chars": MIN_REPORT_CHARS,
            "max_chars": MAX_REPORT_CHARS,
        },
        status_code=status,
    )


@router.get("/report")
def report_form(request: Request, session: DbSession) -> Response:
    """The form."""
    optional_user(request, session)
    return _form(request, None, {"text": "", "url": "", "region": ""}, 200)


@router.post("/report")
def report_submit(
    request: Request,
    session: DbSession,
    text: Annotated[str, Form(max_length=MAX_REPORT_CHARS)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    region: Annotated[str, Form(max_length=200)] = "",
    website: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Store the report as a post for the next processing run."""
    optional_user(request, session)
    values = {"text": text, "url": url, "region": region}
    if website:
        # The hidden honeypot field: only bots fill it. Answer as if it worked.
        return render(request, "report_thanks.html")
    url = url.strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        return _form(request, "report.bad_url", values, 422)
    if len(text.strip()) < MIN_REPORT_CHARS:
        return _form(request, "report.too_short", values, 422)
    settings = request.app.state.web
    try:
        submit_report(
            session,
            text=text,
            url=url or None,
            region_hint=region.strip() or None,
            address_key=address_hash(request.app.state.secret, client_address(request)),
            limit=ReportLimit(
                window=timedelta(minutes=settings.report_window_minutes),
                max_reports=settings.report_max_per_window,
            ),
            source_name=settings.report_source_name,
            max_chars=request.app.state.settings.max_post_chars,
        )
    except RateLimited:
        return _form(request, "report.rate_limited", values, 429)
    return render(request, "report_thanks.html")
