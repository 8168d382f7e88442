"""Errors of the review services. Each carries a message key for the i18n catalogue."""

from __future__ import annotations

from typing import Any


class ReviewError(Exception):
    """A review operation was refused. ``key`` names the message; ``params`` fill it in."""

    key = "error.review"

    def __init__(self, message: str, *, key: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if key is not None:
            self.key = key
        self.params = params


class CaseNotFound(ReviewError):  # noqa: N818  # reads better at the call sites
    """No such case, or the user may not see it (the two are indistinguishable on purpose)."""

    key = "error.not_found"


class NotAllowed(ReviewError):  # noqa: N818
    """The user may see the case but not perform this action on it."""

    key = "error.not_allowed"


class InvalidTransition(ReviewError):  # noqa: N818
    """The action does not apply to the case in its current state."""

    key = "error.transition"


class InvalidInput(ReviewError):  # noqa: N818
    """A field of the request is missing or malformed."""

    key = "error.input"
