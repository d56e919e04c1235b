"""Keep every third-party library off the network.

ehrnlp never downloads anything: models ship in packages, rules and vocabularies in the
wheel. Some dependencies try by default (Hugging Face hub look-ups, tldextract's public
suffix list inside Presidio's e-mail recognizer, spaCy model downloads in Presidio's
default engine). :func:`ensure_offline_env` switches those off; :func:`ehrnlp.load`
calls it before loading anything.
"""

from __future__ import annotations

import os
import sys

_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "TOKENIZERS_PARALLELISM": "false",
}


def ensure_offline_env() -> None:
    """Set the offline switches (without overriding a user's explicit choice of 0/1)."""
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)
    # tldextract reads its URL list when its module-level extractor is built: if it was
    # imported before us, make the existing extractor use its bundled snapshot only.
    mod = sys.modules.get("tldextract.tldextract")
    if mod is not None:
        extractor = getattr(mod, "TLD_EXTRACTOR", None)
        if extractor is not None and getattr(extractor, "suffix_list_urls", None):
            extractor.suffix_list_urls = ()
