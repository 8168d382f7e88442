"""Settings of the review web app and API (``[web]`` in pantau.toml, ``PANTAU_WEB__*``).

The lead adds ``web: WebSettings`` to :class:`monitor.config.Settings`; until then the app
falls back to ``WebSettings()`` defaults (see :func:`web_settings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, model_validator

if TYPE_CHECKING:  # config.py embeds WebSettings; a runtime import would be circular
    from monitor.config import Settings


class WebSettings(BaseModel):
    """Everything `pantau serve` and the review workflow can be tuned with."""

    host: str = Field(default="127.0.0.1", description="Address `pantau serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `pantau serve` listens on.")
    priority_high: float = Field(
        default=3.0,
        ge=0,
        description="Cases with a priority at or above this are in the high band.",
    )
    priority_medium: float = Field(
        default=1.5,
        ge=0,
        description="Cases with a priority at or above this (and below high) are medium.",
    )
    deadline_hours_high: float = Field(
        default=4.0, gt=0, description="Hours to act on a high-priority case after it opened."
    )
    deadline_hours_medium: float = Field(
        default=24.0, gt=0, description="Hours to act on a medium-priority case after it opened."
    )
    deadline_hours_low: float = Field(
        default=72.0, gt=0, description="Hours to act on a low-priority case after it opened."
    )
    session_hours: float = Field(
        default=12.0, gt=0, description="A login lasts this long without activity limits."
    )
    cookie_secure: Literal["auto", "always", "never"] = Field(
        default="auto",
        description=(
            "Mark cookies Secure: 'auto' when the request came over https, 'always' or 'never'."
        ),
    )
    login_window_minutes: float = Field(
        default=15.0, gt=0, description="Window in which failed logins are counted."
    )
    login_max_failures_per_email: int = Field(
        default=5,
        ge=1,
        description="Failed logins for one e-mail within the window before a pause.",
    )
    login_max_failures_per_address: int = Field(
        default=20,
        ge=1,
        description="Failed logins from one client address within the window before a pause.",
    )
    report_window_minutes: float = Field(
        default=60.0, gt=0, description="Window of the public report form's rate limit."
    )
    report_max_per_window: int = Field(
        default=5, ge=1, description="Public reports accepted per client address within the window."
    )
    report_source_name: str = Field(
        default="public-report", description="Source that public hoax reports are stored under."
    )
    page_size: int = Field(default=50, ge=5, le=500, description="Cases per queue page.")
    api_max_posts_per_request: int = Field(
        default=500, ge=1, le=500, description="Most posts one `POST /api/v1/posts` may carry."
    )
    timezone: str = Field(
        default="Asia/Jakarta",
        description="Time zone in which the web UI shows times and counts days (IANA name).",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Addresses of reverse proxies whose X-Forwarded-For/-Proto headers are believed "
            "(for rate limits and Secure cookies). Empty: use the socket peer."
        ),
    )

    @model_validator(mode="after")
    def _valid(self) -> WebSettings:
        if self.priority_medium > self.priority_high:
            raise ValueError("priority_medium must not exceed priority_high")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The display time zone."""
        return ZoneInfo(self.timezone)


def web_settings(settings: Settings) -> WebSettings:
    """The web settings inside ``settings`` (``settings.web``), else the defaults."""
    value = getattr(settings, "web", None)
    return value if isinstance(value, WebSettings) else WebSettings()
