"""Running code in a fresh interpreter with the C extensions switched off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from monitor.text.extensions import PURE_PYTHON_ENV


def run_pure_python(code: str, payload: object) -> dict[str, Any]:
    """Run ``code`` with ``PANTAU_PURE_PYTHON=1``, ``payload`` as JSON on its stdin.

    Returns the JSON object the code prints last.
    """
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**os.environ, PURE_PYTHON_ENV: "1"},
        check=True,
    )
    output: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return output
