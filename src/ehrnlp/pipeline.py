"""The pipeline: plain stages ``Document -> Document`` in a checked order.

Modelled on spaCy's ``Language.__call__``: every stage must return a ``Document``, the
order is validated when the pipeline is built, and a failure names the stage.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from . import __version__
from .config import Config, build_config
from .errors import ConfigError, DeidError, EhrnlpError, InputError, PipelineError, StageError
from .model import Document, Note, as_note

__all__ = ["Stage", "Pipeline", "load", "STAGE_ORDER", "check_stages", "default_stage_names"]

log = logging.getLogger("ehrnlp")

#: The canonical order of stage names. A pipeline may omit stages but not reorder them.
STAGE_ORDER: tuple[str, ...] = ("deid", "sections", "ner", "assertion", "relations", "normalize")


@runtime_checkable
class Stage(Protocol):
    """A pipeline stage: a callable ``Document -> Document`` with a ``name``.

    ``requires`` lists what must exist before it runs: a stage name (``"ner"``) or a
    Document attribute that an earlier stage ``assigns`` (``"doc.entities"``,
    ``"doc.sections"``, ``"entity.codes"`` ...). ``assigns`` (optional) lists the attributes
    it sets. ``pipe(docs)`` (optional) processes a batch; other stages are mapped one by
    one. Build stages from names with :func:`ehrnlp.registry.register_stage` factories.
    """

    name: str
    requires: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


#: attributes every Document has before any stage runs
BASE_ATTRIBUTES: frozenset[str] = frozenset({"doc.text", "doc.id", "doc.patient", "doc.date", "doc.metadata"})


def _debug() -> bool:
    return os.environ.get("EHRNLP_DEBUG") == "1"


def check_stages(stages: Sequence[Stage]) -> None:
    """Raise :class:`PipelineError` unless ``stages`` form a valid pipeline: unique names;
    the built-in stages in :data:`STAGE_ORDER`; ``deid`` first (no stage may see the note
    before it is de-identified); every ``requires`` met by an earlier stage."""
    seen: list[str] = []
    assigned: set[str] = set(BASE_ATTRIBUTES)
    last_rank = -1
    names = [getattr(s, "name", None) for s in stages]
    if "deid" in names and names.index("deid") != 0:
        raise PipelineError(
            f"stage 'deid' must run first: {names[:names.index('deid')]} would see the note before it is de-identified"
        )
    for stage in stages:
        name = getattr(stage, "name", None)
        if not isinstance(name, str) or not callable(stage):
            raise PipelineError(f"stage {stage!r} is not a Stage: it needs a 'name' and must be callable")
        if name in seen:
            raise PipelineError(f"stage '{name}' appears twice in the pipeline")
        for req in getattr(stage, "requires", ()):
            if "." in req:
                if req not in assigned:
                    raise PipelineError(
                        f"stage '{name}' requires '{req}', which no stage before it assigns; "
                        f"pipeline order is {names}"
                    )
            elif req not in seen:
                raise PipelineError(f"stage '{name}' requires stage '{req}' to run before it; pipeline order is {names}")
        if name in STAGE_ORDER:
            rank = STAGE_ORDER.index(name)
            if rank < last_rank:
                raise PipelineError(f"stage '{name}' is out of order: stages run in the order {list(STAGE_ORDER)}")
            last_rank = rank
        seen.append(name)
        assigned.update(getattr(stage, "assigns", ()))


class Pipeline:
    """Runs notes through stages. Build it with :func:`ehrnlp.load`."""

    def __init__(self, stages: Sequence[Stage], config: Config | None = None):
        self.config = config or Config()
        self.stages: tuple[Stage, ...] = tuple(stages)
        check_stages(self.stages)
        #: the BuildContext that built the stages (set by load()), reused by add_stage(name)
        self._context: Any = None

    # -- assembly --------------------------------------------------------------------
    def add_stage(
        self,
        stage: Stage | str,
        *,
        before: str | None = None,
        after: str | None = None,
        first: bool = False,
        last: bool = False,
        **settings: Any,
    ) -> Stage:
        """Insert a stage (an object, or the name of a registered factory, built with this
        pipeline's config and ``settings``) and return it. Placement: ``before``/``after``
        a stage name, ``first``, or ``last`` (the default). The new order is checked like
        the pipeline's own (:func:`check_stages`); on an error the pipeline is unchanged."""
        if sum(x is not None for x in (before, after, first or None, last or None)) > 1:
            raise PipelineError("give at most one of before=, after=, first=, last=")
        if isinstance(stage, str):
            # the context load() built the pipeline with: its vocabulary and model are reused
            from .registry import BuildContext

            ctx = self._context or BuildContext(self.config)
            self._context = ctx
            ctx.stage_names = (*self.stage_names, stage)
            stage = ctx.build(stage, **settings)
        elif settings:
            raise PipelineError("settings are for a stage given by name; this one is already built")
        names = list(self.stage_names)
        if before is not None or after is not None:
            anchor = before if before is not None else after
            if anchor not in names:
                raise PipelineError(f"no stage named '{anchor}' to place a stage next to (stages: {names})")
            pos = names.index(anchor) + (0 if before is not None else 1)
        else:
            pos = 0 if first else len(names)
        new = list(self.stages)
        new.insert(pos, stage)
        check_stages(new)
        self.stages = tuple(new)
        return stage

    def remove_stage(self, name: str) -> Stage:
        """Remove the stage called ``name`` and return it (the rest must stay valid)."""
        stage = self.get_stage(name)
        rest = [s for s in self.stages if s is not stage]
        check_stages(rest)
        self.stages = tuple(rest)
        return stage

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
            # the deid stage's note ids leave as pseudonyms, its failures too
            note_id = stage.pseudonym(doc.id) if hasattr(stage, "pseudonym") else doc.id
            err = err_cls(
                f"stage '{stage.name}' failed with {type(exc).__name__}"
                + (f" on note '{note_id}'" if note_id else "")
                + " (set EHRNLP_DEBUG=1 to chain the original exception)",
                stage=stage.name,
                note_id=note_id,
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
        # known PHI is for the deid stage only; a pipeline without deid drops it here too
        return doc.replace(provenance=prov, known_phi=None)

    def _start(self, note: Note | str | Mapping[str, Any]) -> Document:
        """The Document a note starts as, once its text is checked (size, valid Unicode)."""
        note = as_note(note)
        check_text(note.text, self.config.max_note_chars, note.id)
        return Document.from_note(note)

    def __call__(self, note: Note | str | Mapping[str, Any]) -> Document:
        doc = self._start(note)
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
            batch.append(self._start(item))
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
                except Exception:  # noqa: BLE001 - fall back to per-note calls so the error names the note
                    out = [self._run_stage(stage, d) for d in docs]
                if len(out) != len(docs) or not all(isinstance(d, Document) for d in out):
                    raise StageError(f"stage '{stage.name}'.pipe returned a wrong result", stage=stage.name)
                docs = out
            else:
                docs = [self._run_stage(stage, d) for d in docs]
        return [self._finish(d) for d in docs]


def check_text(text: str, max_chars: int, note_id: str | None = None) -> None:
    """Raise :class:`InputError` when a note's text is over ``max_chars`` or is not valid
    Unicode (unpaired surrogates, as from ``errors="surrogateescape"``); never quotes it."""
    name = f"note '{note_id}'" if note_id else "the note"
    if len(text) > max_chars:
        raise InputError(
            f"{name} has {len(text):,} characters, over the limit of {max_chars:,} (setting max_note_chars; "
            "--max-note-chars for ehrnlp convert); split the note or raise the limit"
        )
    m = _SURROGATE.search(text)
    if m is not None:
        raise InputError(
            f"{name} has an unpaired surrogate code point at offset {m.start()}: not valid Unicode text "
            "(decode the bytes with errors='replace', not 'surrogateescape')"
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def default_stage_names(cfg: Config) -> tuple[str, ...]:
    """The stages ``load()`` builds: ``[pipeline] stages``, or the built-in stages that the
    switches (``deidentify``, ``sections``, ...) leave on."""
    switches = {"deid": cfg.deidentify, "sections": cfg.sections, "ner": True, "assertion": cfg.assertion,
                "relations": cfg.relations, "normalize": cfg.normalize}
    if cfg.pipeline.stages is None:
        return tuple(n for n in STAGE_ORDER if switches[n])
    names = tuple(n for n in cfg.pipeline.stages if switches.get(n, True))
    if cfg.deidentify and "deid" not in names:
        raise ConfigError(
            "pipeline.stages leaves out 'deid' while deidentify is on; add 'deid' first, or set "
            "deidentify = false to run without de-identification"
        )
    return names


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
    and Spark), use ``deid.extra_recognizers``. The stages are built by name from the
    registry (:mod:`ehrnlp.registry`): ``[pipeline] stages`` in the config, or the default.
    """
    cfg = build_config(config, deidentify=deidentify, vocab=vocab, **overrides)
    recognizers = list(recognizers)
    if recognizers and not cfg.deidentify:
        raise ConfigError("recognizers were given but de-identification is off (deidentify=False)")
    from .offline import ensure_offline_env

    ensure_offline_env()
    from .registry import BuildContext

    names = default_stage_names(cfg)
    ctx = BuildContext(cfg, stage_names=names, recognizers=recognizers)
    nlp = Pipeline([ctx.build(n) for n in names], cfg)
    nlp._context = ctx
    return nlp
