"""User recognizers named in configuration: ``"package.module:name"`` or a Presidio YAML file.

Configuration holds strings, not objects, so that a config can be shipped to batch worker
processes and Spark executors and build the very same recognizers there.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["resolve_recognizers"]


def _is_recognizer(obj: Any) -> bool:
    return callable(getattr(obj, "analyze", None)) and hasattr(obj, "supported_entities")


def _from_yaml(path: Path) -> list[Any]:
    from presidio_analyzer import RecognizerRegistry

    if not path.is_file():
        raise ConfigError(f"deid.extra_recognizers: recognizer file not found: {path}")
    registry = RecognizerRegistry(supported_languages=["en"])
    try:
        registry.add_recognizers_from_yaml(str(path))
    except Exception as exc:  # noqa: BLE001 - a config error, named without the file's content
        raise ConfigError(
            f"deid.extra_recognizers: {path} is not a valid Presidio recognizer file ({type(exc).__name__})"
        ) from None
    return list(registry.recognizers)


def _from_import(spec: str) -> list[Any]:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError(
            f"deid.extra_recognizers: '{spec}' is neither 'package.module:name' nor a .yaml/.yml file"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"deid.extra_recognizers: cannot import '{module_name}' ({type(exc).__name__})") from None
    try:
        obj = getattr(module, attr)
    except AttributeError:
        raise ConfigError(f"deid.extra_recognizers: '{module_name}' has no attribute '{attr}'") from None
    if not _is_recognizer(obj):
        if not callable(obj):
            raise ConfigError(f"deid.extra_recognizers: '{spec}' is not a recognizer, class or factory")
        obj = obj()
    items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    for item in items:
        if not _is_recognizer(item):
            raise ConfigError(
                f"deid.extra_recognizers: '{spec}' gave a {type(item).__name__}, not a Presidio recognizer "
                "(an object with analyze() and supported_entities)"
            )
    return items


def resolve_recognizers(specs: Iterable[str]) -> list[Any]:
    """Build the recognizers named by ``specs`` (see :class:`ehrnlp.config.DeidConfig`)."""
    out: list[Any] = []
    for spec in specs:
        spec = spec.strip()
        if spec.lower().endswith((".yaml", ".yml")):
            out.extend(_from_yaml(Path(spec)))
        else:
            out.extend(_from_import(spec))
    return out
