"""Loading the optional C extensions of :mod:`monitor.text` (built by ``setup.py``).

Each extension has a pure-Python twin that stays the reference; the extension is used when
it was built and ``PANTAU_PURE_PYTHON`` does not ask for Python (any value but "" or "0",
read when the module using the extension is imported).
"""

from __future__ import annotations

import importlib
import logging
import os
from types import ModuleType

LOG = logging.getLogger(__name__)

PURE_PYTHON_ENV = "PANTAU_PURE_PYTHON"


def pure_python_requested() -> bool:
    """Whether ``PANTAU_PURE_PYTHON`` asks for the pure-Python paths."""
    return os.environ.get(PURE_PYTHON_ENV, "").strip() not in ("", "0")


def load_extension(name: str) -> ModuleType | None:
    """The extension module ``monitor.text.<name>``, or ``None`` if disabled or not built."""
    if pure_python_requested():
        return None
    try:
        return importlib.import_module(f"monitor.text.{name}")
    except ImportError as error:  # optional: no compiler at install time, or a stale build
        LOG.debug("C extension %s unavailable, using Python: %s", name, error)
        return None
