"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from monitor import __version__
from monitor.auth.secret_key import resolve_secret_key
from monitor.config import Settings
from monitor.review.errors import (
    CaseNotFound,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ReviewError,
)
from monitor.store.db import Database
from monitor.web.deps import CurrentUser, Forbidden, LoginRequired, Principal, api_principal
from monitor.web.i18n import Translator
from monitor.web.routes import account, admin, api_v1, auth, cases, dashboard, queue, report
from monitor.web.security import CsrfError, SecurityHeadersMiddleware, check_csrf
from monitor.web.sessions import SessionMiddleware
from monitor.web.settings import web_settings
from monitor.web.templating import flash, render

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")

_REVIEW_STATUS = {CaseNotFound: 404, NotAllowed: 403, InvalidTransition: 409, InvalidInput: 422}


def _is_api(request: Request) -> bool:
    path = request.url.path
    return (path.startswith("/api/") and path != "/api/v1/docs") or path == "/openapi.json"


def _error(request: Request, status: int, key: str, detail: str | None = None) -> Response:
    """The error as JSON for the API, as a page for people."""
    lang = getattr(request.state, "lang", None) or request.app.state.default_language
    message = Translator(lang)(key)
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"detail": detail or message, "code": key}, status_code=status, headers=headers
        )
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return _error(request, 401, "error.login_required")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, "error.forbidden")

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: CsrfError) -> Response:
        log.warning("refused %s %s: CSRF token missing or wrong", request.method, request.url.path)
        return _error(request, 403, "error.csrf")

    @app.exception_handler(ReviewError)
    async def review_refused(request: Request, exc: ReviewError) -> Response:
        status = next((s for cls, s in _REVIEW_STATUS.items() if isinstance(exc, cls)), 400)
        back = getattr(request.state, "return_to", None)
        if _is_api(request) or status == 404 or back is None:
            return _error(request, status, exc.key, str(exc) if _is_api(request) else None)
        # A refused form action: back to the page with the reason on top.
        flash(request, exc.key, "error", **exc.params)
        return RedirectResponse(back, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        key = {404: "error.not_found", 405: "error.method", 403: "error.forbidden"}.get(
            exc.status_code, "error.generic"
        )
        response = _error(request, exc.status_code, key, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            fields = ", ".join(
                ".".join(str(p) for p in error.get("loc", ())) for error in exc.errors()[:5]
            )
            return JSONResponse(
                {"detail": f"invalid request: {fields}", "code": "error.input"}, status_code=422
            )
        return _error(request, 422, "error.input")


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """The review web app and API over ``settings``' store (or ``db`` when given).

    Returns a FastAPI application. The secret key comes from the settings or is generated
    into ``data_dir/secret_key``. A store created here is disposed of on shutdown.
    """
    web = web_settings(settings)
    owned = db is None
    database = db or Database(settings.database_url_plain)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            database.dispose()

    app = FastAPI(
        title="Pantau API",
        version=__version__,
        summary="Cases, posts, scores and labels of the Pantau hoax monitor.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        # One CSRF check for every state-changing request (bearer-token API calls excepted).
        dependencies=[Depends(check_csrf)],
    )
    secret = resolve_secret_key(settings)
    app.state.db = database
    app.state.settings = settings
    app.state.web = web
    app.state.secret = secret
    app.state.default_language = settings.language
    app.state.dashboard_cache = {}
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        max_age_seconds=int(web.session_hours * 3600),
        secure=web.cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, account, queue, cases, dashboard, admin, report, api_v1):
        app.include_router(module.router)
    _install_handlers(app)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(principal: Annotated[Principal, Depends(api_principal)]) -> JSONResponse:
        """The OpenAPI schema (for logged-in users and token holders)."""
        return JSONResponse(app.openapi())

    @app.get("/api/v1/docs", include_in_schema=False)
    def api_docs(request: Request, user: CurrentUser) -> Response:
        """The API reference, rendered from the OpenAPI schema on the server."""
        return render(request, "api_docs.html", {"schema": app.openapi()})

    return app
