"""Where the shared development corpora are read from (never from the package).

One rule for every training and evaluation entry point (``ehrnlp train``, ``ehrnlp
evaluate --corpus``, ``scripts/export_ner.py``, ``scripts/build_phi_gold.py``):

1. an explicit option (``--data-root PATH``) wins;
2. else the environment variable ``EHRNLP_SHARED_DATA``;
3. else ``../shared/data`` beside the current directory (``Path.cwd().parent / "shared" / "data"``),
   the layout of a checkout next to the shared data folder.

The folder is only located here; callers check that it exists and say how to fix it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_ENV", "DATA_ROOT_HELP", "shared_data_root"]

#: the environment variable naming the shared data folder
DATA_ENV = "EHRNLP_SHARED_DATA"

#: help text for a ``--data-root`` option
DATA_ROOT_HELP = (f"shared data folder (default: ${DATA_ENV} when set, else ../shared/data beside the "
                  "current directory)")


def shared_data_root(option: str | os.PathLike[str] | None = None) -> Path:
    """The shared data folder: ``option``, else ``$EHRNLP_SHARED_DATA``, else ``../shared/data``."""
    if option:
        return Path(option)
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    return Path.cwd().parent / "shared" / "data"
