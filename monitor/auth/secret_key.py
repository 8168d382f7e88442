"""The secret that signs session cookies and CSRF tokens."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from monitor.config import Settings

SECRET_FILE = "secret_key"  # noqa: S105  # a file name, not a secret


def resolve_secret_key(settings: Settings) -> str:
    """``settings.secret_key``, else the key in ``data_dir/secret_key``, created on first use.

    The generated file is readable by its owner only. Several processes sharing one
    data_dir share the key; creation is atomic, so two first starts agree on one key.
    """
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured
    path = Path(settings.data_dir) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Write a private temporary file, then hard-link it into place: the link fails when
    # another process won the race, and nobody ever reads a half-written key.
    temporary = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
    finally:
        temporary.unlink(missing_ok=True)
    return key
