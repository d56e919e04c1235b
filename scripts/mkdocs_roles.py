"""A griffe extension for the docs site (mkdocs.yml): docstrings use Sphinx roles
(:func:`load`, :class:`~ehrnlp.model.Document`); mkdocstrings renders Markdown, so each role
becomes a code span (the last component for ``~`` targets, as Sphinx shows them)."""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|obj|exc|const):`(~?)([^`]+)`")


def _code(m: re.Match[str]) -> str:
    target = m.group(2)
    return f"`{target.rsplit('.', 1)[-1] if m.group(1) else target}`"


class SphinxRoles(Extension):
    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        doc = getattr(obj, "docstring", None)
        if doc is not None and ":" in doc.value:
            doc.value = _ROLE.sub(_code, doc.value)
