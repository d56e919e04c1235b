"""Reading data files shipped inside the package (importlib.resources, never __file__ paths)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .errors import ModelLoadError


def bundled_json(*parts: str, what: str) -> Any:
    """Parse ``ehrnlp/<parts...>`` from the installed package; a clear error if it is unusable."""
    path = "/".join(parts)
    try:
        node = resources.files("ehrnlp")
        for p in parts:
            node = node / p
        return json.loads(node.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # packaging error
        raise ModelLoadError(f"cannot read the bundled {what} ehrnlp/{path} ({type(exc).__name__}); reinstall ehrnlp") from None
