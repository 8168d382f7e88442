"""Every Pantau setting in one place.

Settings come, highest priority first, from: keyword arguments (tests), ``PANTAU_*``
environment variables (nested with ``__``, e.g. ``PANTAU_DATABASE_URL``), the TOML file named
by ``PANTAU_CONFIG`` (default ``pantau.toml`` in the working directory), then the defaults
below. Each field carries its help text; ``docs/configuration.md`` documents every one of
them and a test fails when one is missing there.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from monitor.claims.settings import ClaimSettings
from monitor.web.settings import WebSettings

CONFIG_ENV_VAR = "PANTAU_CONFIG"
DEFAULT_CONFIG_FILE = "pantau.toml"


class SourceConfig(BaseModel):
    """A source declared in ``pantau.toml`` (``[[sources]]``); synced into the store."""

    name: str = Field(description="Unique name of the source.")
    kind: str = Field(description="Connector kind, e.g. 'rss' or 'file'.")
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Connector settings (url, path, keywords, ...)."
    )
    interval_seconds: int | None = Field(
        default=300, ge=1, description="Fetch every N seconds (ignored when cron is set)."
    )
    cron: str | None = Field(
        default=None, description="Crontab expression (5 fields) instead of an interval."
    )
    enabled: bool = Field(default=True, description="Whether the scheduler runs this source.")
    region: str | None = Field(
        default=None, description="Region that cases from this source are routed to."
    )


class WatchlistConfig(BaseModel):
    """A watchlist declared in ``pantau.toml`` (``[[watchlists]]``); synced into the store."""

    name: str = Field(description="Unique name of the watchlist.")
    query: str = Field(description="Boolean keyword query, e.g. 'banjir AND (jakarta OR bekasi)'.")
    topic: str | None = Field(default=None, description="Topic the watchlist belongs to.")
    region: str | None = Field(default=None, description="Region the watchlist is about.")


class Settings(BaseSettings):
    """The effective configuration. Instantiate through :func:`get_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="PANTAU_",
        env_nested_delimiter="__",
        extra="ignore",
        validate_default=True,
    )

    database_url: SecretStr = Field(
        default=SecretStr("sqlite:///var/pantau.db"),
        description=(
            "SQLAlchemy URL of the store. SQLite (default: pantau.db in data_dir) or "
            "postgresql+psycopg://user:pass@host/db for production and scale-out."
        ),
    )
    data_dir: Path = Field(
        default=Path("var"), description="Directory for local state (SQLite file, caches, logs)."
    )
    models_dir: Path = Field(
        default=Path("models"),
        description="Directory of the model registry (one folder per version).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log level of the pantau logger."
    )
    language: Literal["id", "en"] = Field(
        default="id", description="Default language of the web UI and e-mails (id or en)."
    )
    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Secret used to sign session cookies and CSRF tokens. Generated into "
            "var/secret_key on first use when empty."
        ),
    )
    batch_size: int = Field(
        default=200, ge=1, le=10_000, description="Posts per processing (normalize/score) batch."
    )
    max_post_chars: int = Field(
        default=20_000,
        ge=100,
        description="Posts longer than this are truncated on ingest and marked truncated.",
    )
    flag_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=(
            "Hoax probability at or above which a post is flagged. Empty: the active model's "
            "threshold (chosen for the target precision) is used."
        ),
    )
    target_precision: float = Field(
        default=0.8,
        gt=0.0,
        lt=1.0,
        description="Precision the training command aims for when it picks the flag threshold.",
    )
    flag_requires_watchlist: bool = Field(
        default=True,
        description=(
            "Only flag posts that match at least one watchlist (when any watchlist exists)."
        ),
    )
    fetch_timeout_seconds: float = Field(
        default=20.0, gt=0, description="HTTP timeout for source fetches."
    )
    backoff_base_seconds: int = Field(
        default=60, ge=1, description="First retry delay after a source fails; doubles each time."
    )
    backoff_max_seconds: int = Field(
        default=3600, ge=1, description="Longest delay between retries of a failing source."
    )
    process_interval_seconds: float = Field(
        default=2.0, gt=0, description="How often `pantau run` processes fetched posts."
    )
    lease_seconds: int = Field(
        default=300,
        ge=5,
        description=(
            "How long a worker's claim on a source fetch lasts; a claim of a dead worker "
            "expires after this and another worker takes the source."
        ),
    )
    worker_idle_seconds: float = Field(
        default=1.0, gt=0, description="How long `pantau worker` sleeps when there is no work."
    )
    seed_demo: bool = Field(
        default=True,
        description="`pantau init` on an empty store adds the bundled offline demo source.",
    )
    sources: list[SourceConfig] = Field(
        default_factory=list, description="Sources declared in pantau.toml ([[sources]])."
    )
    watchlists: list[WatchlistConfig] = Field(
        default_factory=list, description="Watchlists declared in pantau.toml ([[watchlists]])."
    )
    claims: ClaimSettings = Field(
        default_factory=ClaimSettings,
        description=(
            "Claim clustering, known-hoax matching and priority ([claims] in pantau.toml, "
            "PANTAU_CLAIMS__<NAME>); see the table below."
        ),
    )
    web: WebSettings = Field(
        default_factory=WebSettings,
        description=(
            "Review web app, sessions, deadlines and rate limits ([web] in pantau.toml, "
            "PANTAU_WEB__<NAME>); see the table below."
        ),
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError("database_url must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    @model_validator(mode="after")
    def _store_in_data_dir(self) -> Settings:
        # The default store follows data_dir, so PANTAU_DATA_DIR alone moves all local state.
        if "database_url" not in self.model_fields_set:
            self.database_url = SecretStr(f"sqlite:///{self.data_dir / 'pantau.db'}")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(CONFIG_ENV_VAR, DEFAULT_CONFIG_FILE))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @property
    def database_url_plain(self) -> str:
        """The database URL in clear text, for the engine only (never log it)."""
        return self.database_url.get_secret_value()


_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^:/@]+:)(?P<password>[^@]*)(?P<tail>@)")


def mask_url(url: str) -> str:
    """Return ``url`` with any password in its userinfo replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\g<head>***\g<tail>", url)


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The effective configuration as plain data with every secret masked."""
    data = settings.model_dump(mode="json")
    data["database_url"] = mask_url(settings.database_url_plain)
    for name, field in Settings.model_fields.items():
        if field.annotation is SecretStr and name != "database_url":
            data[name] = "***" if getattr(settings, name).get_secret_value() else ""
    return data


#: Settings that are groups of their own, documented in their own tables.
SETTING_SECTIONS: dict[str, type[BaseModel]] = {"claims": ClaimSettings, "web": WebSettings}


def settings_reference() -> str:
    """Markdown tables of every setting: name, environment variable, default and help."""
    text = _reference_table(Settings, "PANTAU_")
    for section, model in SETTING_SECTIONS.items():
        text += f"\n### `[{section}]`\n\n" + _reference_table(model, f"PANTAU_{section.upper()}__")
    return text


def _reference_table(model: type[BaseModel], env_prefix: str) -> str:
    lines = [
        "| setting | environment variable | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, field in model.model_fields.items():
        if name in SETTING_SECTIONS and model is Settings:
            lines.append(f"| `{name}` | `{env_prefix}{name.upper()}__*` | | {field.description} |")
            continue
        default = field.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            default = (
                "(secret)"
                if default.get_secret_value() and name != "database_url"
                else (default.get_secret_value() or "(empty)")
            )
        shown = "(none)" if default is None else f"`{default}`"
        env = f"`{env_prefix}{name.upper()}`"
        lines.append(f"| `{name}` | {env} | {shown} | {field.description or ''} |")
    return "\n".join(lines) + "\n"


DOCS_START = "<!-- settings:start -->"
DOCS_END = "<!-- settings:end -->"


def render_settings_docs(document: str) -> str:
    """``document`` with the text between the settings markers replaced by the reference."""
    head, _, rest = document.partition(DOCS_START)
    _, _, tail = rest.partition(DOCS_END)
    return f"{head}{DOCS_START}\n{settings_reference()}{DOCS_END}{tail}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. Tests build ``Settings(...)`` directly."""
    return Settings()
