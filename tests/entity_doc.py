"""Test helper: entities from ``(label, phrase)`` pairs of a synthetic text."""

from __future__ import annotations

from ehrnlp.model import Entity


def entities_from(text: str, spans: list[tuple[str, str]]) -> tuple[Entity, ...]:
    """One entity per pair, in the given order; a repeated phrase takes its next occurrence."""
    ents = []
    nxt: dict[str, int] = {}
    for label, phrase in spans:
        i = text.index(phrase, nxt.get(phrase, 0))
        nxt[phrase] = i + 1
        ents.append(Entity(label, i, i + len(phrase), phrase))
    return tuple(ents)
