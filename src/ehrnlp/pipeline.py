"""The pipeline: plain stages ``Document -> Document`` in a checked order.

Modelled on spaCy's ``Language.__call__``: every stage must return a ``Document``, the
order is validated when the pipeline is built, and a failure names the stage.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

from . import __version__
from .config import Config, build_config
from .errors import ConfigError, DeidError, EhrnlpError, PipelineError, StageError
from .model import Document, Note, as_note

__all__ = ["Stage", "Pipeline", "load", "STAGE_ORDER"]

log = logging.getLogger("ehrnlp")

#: The canonical order of stage names. A pipeline may omit stages but not reorder them.
STAGE_ORDER: tuple[str, ...] = ("deid", "sections", "ner", "assertion", "relations", "normalize")


@runtime_checkable
class Stage(Protocol):
    """A pipeline stage.

    ``name`` is one of :data:`STAGE_ORDER` (or a custom name placed with ``after``);
    ``requires`` names stages that must run before it. ``pipe`` is optional: stages
    that batch (the transformer) implement it; others are mapped one by one.
    """

    name: str
    requires: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


def _debug() -> bool:
    return os.environ.get("EHRNLP_DEBUG") == "1"


class Pipeline:
    """Runs notes through stages. Build it with :func:`ehrnlp.load`."""

    def __init__(self, stages: Sequence[Stage], config: Config | None = None):
        self.config = config or Config()
        self.stages: tuple[Stage, ...] = tuple(stages)
        self._check_order()

    # -- assembly --------------------------------------------------------------------
    def _check_order(self) -> None:
        seen: list[str] = []
        last_rank = -1
        for stage in self.stages:
            name = getattr(stage, "name", None)
            if not isinstance(name, str) or not callable(stage):
                raise PipelineError(f"stage {stage!r} is not a Stage: it needs a 'name' and must be callable")
            if name in seen:
                raise PipelineError(f"stage '{name}' appears twice in the pipeline")
            for req in getattr(stage, "requires", ()):
                if req not in seen:
                    raise PipelineError(
                        f"stage '{name}' requires stage '{req}' to run before it; "
                        f"pipeline order is {[s.name for s in self.stages]}"
                    )
            if name in STAGE_ORDER:
                rank = STAGE_ORDER.index(name)
                if rank < last_rank:
                    raise PipelineError(
                        f"stage '{name}' is out of order: stages run in the order {list(STAGE_ORDER)}"
                    )
                last_rank = rank
            seen.append(name)

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def get_stage(self, name: str) -> Stage:
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(f"no stage named '{name}' (stages: {list(self.stage_names)})")

    def __repr__(self) -> str:
        return f"Pipeline(stages={list(self.stage_names)})"

    # -- running ---------------------------------------------------------------------
    def _run_stage(self, stage: Stage, doc: Document) -> Document:
        try:
            out = stage(doc)
        except DeidError:
            raise
        except EhrnlpError as exc:
            if isinstance(exc, StageError) and exc.stage:
                raise
            raise StageError(f"stage '{stage.name}' failed: {exc}", stage=stage.name, note_id=doc.id) from exc
        except Exception as exc:  # third-party errors may quote note text: never repeat their message
            err_cls = DeidError if stage.name == "deid" else StageError
            err = err_cls(
                f"stage '{stage.name}' failed with {type(exc).__name__}"
                + (f" on note '{doc.id}'" if doc.id else "")
                + " (set EHRNLP_DEBUG=1 to chain the original exception)",
                stage=stage.name,
                note_id=doc.id,
            )
            if _debug():
                raise err from exc
            raise err from None
        if not isinstance(out, Document):
            raise StageError(
                f"stage '{stage.name}' returned {type(out).__name__}, expected a Document",
                stage=stage.name,
                note_id=doc.id,
            )
        return out

    def _finish(self, doc: Document) -> Document:
        try:
            doc.check()
        except ValueError as exc:
            raise StageError(f"offset invariant broken after the pipeline: {exc}", stage="pipeline", note_id=doc.id) from None
        prov = {"ehrnlp": __version__}
        for s in self.stages:
            prov[s.name] = str(getattr(s, "version", __version__))
        return doc.replace(provenance=prov)

    def __call__(self, note: Note | str | Mapping[str, Any]) -> Document:
        doc = Document.from_note(as_note(note))
        for stage in self.stages:
            doc = self._run_stage(stage, doc)
        return self._finish(doc)

    def pipe(self, notes: Iterable[Note | str | Mapping[str, Any]], batch_size: int = 32) -> Iterator[Document]:
        """Process many notes lazily; results equal calling the pipeline on each note.

        Stages with a ``pipe(docs)`` method (the transformer tagger) get whole batches.
        An error in one note propagates, as with ``__call__``; batch tools that must go on
        catch it per note (see :mod:`ehrnlp.batch`).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        batch: list[Document] = []
        for item in notes:
            batch.append(Document.from_note(as_note(item)))
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, docs: list[Document]) -> list[Document]:
        for stage in self.stages:
            batched = getattr(stage, "pipe", None)
            if batched is not None:
                try:
                    out = list(batched(docs))
                except EhrnlpError:
                    raise
                except Exception:
                    # fall back to per-note calls so the error names the note
                    out = [self._run_stage(stage, d) for d in docs]
                if len(out) != len(docs) or not all(isinstance(d, Document) for d in out):
                    raise StageError(f"stage '{stage.name}'.pipe returned a wrong result", stage=stage.name)
                docs = out
            else:
                docs = [self._run_stage(stage, d) for d in docs]
        return [self._finish(d) for d in docs]


def load(
    config: Config | Mapping[str, Any] | str | Path | None = None,
    *,
    deidentify: bool | None = None,
    vocab: Iterable[str | Path] | str | Path | None = None,
    recognizers: Iterable[Any] = (),
    **overrides: Any,
) -> Pipeline:
    """Build the default pipeline, loading every model once, offline.

    ``config`` is a :class:`~ehrnlp.config.Config`, a mapping or a TOML file path;
    ``deidentify`` and ``vocab`` override it; other keyword arguments are config keys.
    ``recognizers``: extra Presidio recognizer objects for the de-identification stage (they
    run inside its fail-closed guard); to name them in a config instead (for batch workers
    and Spark), use ``deid.extra_recognizers``.
    """
    cfg = build_config(config, deidentify=deidentify, vocab=vocab, **overrides)
    recognizers = list(recognizers)
    if recognizers and not cfg.deidentify:
        raise ConfigError("recognizers were given but de-identification is off (deidentify=False)")
    from .offline import ensure_offline_env

    ensure_offline_env()
    stages: list[Stage] = []
    from .vocab import load_vocabulary

    vocabulary = load_vocabulary(cfg.vocab)
    from .ner import build_ner_stage

    ner = build_ner_stage(cfg.ner, vocabulary)
    if cfg.deidentify:
        from .deid import DeidStage

        # the NER model (if any) is handed over so deid does not load it again; when deid uses
        # it for NAME/LOCATION it runs once per note, on the original text, and leaves the
        # clinical spans of that pass in doc.spans for the ner stage
        deid = DeidStage(cfg.deid, phi_model=getattr(ner, "model", None), extra_recognizers=recognizers)
        stages.append(deid)
    if cfg.sections:
        from .sections import SectionStage

        stages.append(SectionStage())
    stages.append(ner)
    if cfg.assertion:
        from .assertion import AssertionStage

        stages.append(AssertionStage())
    if cfg.relations:
        from .relations import RelationStage

        stages.append(RelationStage())
    if cfg.normalize:
        from .normalize import NormalizeStage

        stages.append(NormalizeStage(vocabulary, cfg.normalization))
    return Pipeline(stages, cfg)
