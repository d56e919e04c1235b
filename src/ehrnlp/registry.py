"""Stage factories: how a pipeline is built from stage names (after spaCy's factories).

A *factory* is a callable ``factory(ctx, **settings) -> Stage``: ``ctx`` is the
:class:`BuildContext` of the pipeline being built (its :class:`~ehrnlp.config.Config` and
the resources stages share: the vocabulary, the NER model), ``settings`` come from
``[pipeline.settings.<name>]`` in the config. The built-in stages are registered here;
third-party packages register theirs

* in code: ``@ehrnlp.register_stage("my_stage")`` on the factory, or
* by entry point, so that ``ehrnlp.load()`` finds them once the package is installed::

      [project.entry-points."ehrnlp.stages"]
      my_stage = "my_package.stages:make_my_stage"

then name them in ``[pipeline] stages = [...]`` or add them with
:meth:`ehrnlp.Pipeline.add_stage`. See docs/architecture.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .errors import ConfigError, PipelineError

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .pipeline import Stage
    from .vocab import Vocabulary

__all__ = ["BuildContext", "StageFactory", "register_stage", "get_factory", "available_stages", "ENTRY_POINT_GROUP"]

#: the entry-point group third-party stage factories are published under
ENTRY_POINT_GROUP = "ehrnlp.stages"

StageFactory = Callable[..., "Stage"]

_FACTORIES: dict[str, StageFactory] = {}

_F = TypeVar("_F", bound=StageFactory)


@overload
def register_stage(name: str) -> Callable[[_F], _F]: ...
@overload
def register_stage(name: str, factory: _F) -> _F: ...
def register_stage(name: str, factory: StageFactory | None = None) -> Any:
    """Register ``factory`` under ``name`` (as a decorator when ``factory`` is omitted).
    Registering a name twice replaces the factory (last one wins, as in spaCy)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise PipelineError(f"stage name {name!r} must be a Python identifier")

    def deco(f: StageFactory) -> StageFactory:
        if not callable(f):
            raise PipelineError(f"the factory of stage '{name}' is not callable")
        _FACTORIES[name] = f
        return f

    return deco(factory) if factory is not None else deco


def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def available_stages() -> list[str]:
    """Names a pipeline can be built from: registered here or published by entry point."""
    return sorted(set(_FACTORIES) | set(_entry_points()))


def get_factory(name: str) -> StageFactory:
    """The factory registered as ``name``, loading an entry point on first use."""
    if name in _FACTORIES:
        return _FACTORIES[name]
    ep = _entry_points().get(name)
    if ep is None:
        raise ConfigError(
            f"unknown pipeline stage '{name}'; available: {available_stages()} (a third-party stage is "
            f"found once its package is installed and publishes it in the '{ENTRY_POINT_GROUP}' entry-point group)"
        )
    try:
        factory: StageFactory = ep.load()
    except Exception as exc:  # noqa: BLE001 - a broken plugin is a configuration problem
        raise ConfigError(f"the entry point of stage '{name}' ({ep.value}) could not be loaded ({type(exc).__name__})") from None
    if not callable(factory):
        raise ConfigError(f"the entry point of stage '{name}' ({ep.value}) is not a factory")
    _FACTORIES[name] = factory
    return factory


class BuildContext:
    """What a factory gets: the config and the resources stages share, loaded once."""

    def __init__(self, config: Config, *, stage_names: Iterable[str] = (), recognizers: Iterable[Any] = ()):
        self.config = config
        #: the names of every stage of the pipeline being built, in order
        self.stage_names: tuple[str, ...] = tuple(stage_names)
        #: extra Presidio recognizer objects passed to ``ehrnlp.load(recognizers=...)``
        self.recognizers: list[Any] = list(recognizers)
        self._vocabulary: Vocabulary | None = None
        self._ner: Stage | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        """The bundled vocabularies plus ``config.vocab`` files (loaded on first use)."""
        if self._vocabulary is None:
            from .vocab import load_vocabulary

            self._vocabulary = load_vocabulary(self.config.vocab)
        return self._vocabulary

    def ner_stage(self) -> Stage:
        """The ``ner`` stage, built once (the ``deid`` factory reuses its model)."""
        if self._ner is None:
            from .ner import build_ner_stage

            self._ner = build_ner_stage(self.config.ner, self.vocabulary)
        return self._ner

    def settings(self, name: str) -> Mapping[str, Any]:
        return dict(self.config.pipeline.settings.get(name, {}))

    def build(self, name: str, **settings: Any) -> Stage:
        """Build stage ``name`` with its ``[pipeline.settings.<name>]`` updated by ``settings``."""
        factory = get_factory(name)
        kwargs = {**self.settings(name), **settings}
        try:  # settings are checked against the factory's signature, not by catching its errors
            inspect.signature(factory).bind(self, **kwargs)
        except TypeError as exc:
            raise ConfigError(f"stage '{name}' could not be built from its settings ({exc})") from None
        except ValueError:  # no introspectable signature (a builtin or C callable): let the call decide
            pass
        stage = factory(self, **kwargs)
        if getattr(stage, "name", None) != name:
            raise PipelineError(f"the factory of stage '{name}' built a stage named {getattr(stage, 'name', None)!r}")
        return stage


# -- the built-in stages ---------------------------------------------------------------------
@register_stage("deid")
def _deid(ctx: BuildContext) -> Stage:
    from .deid import DeidStage

    # the NER model (if the pipeline has the ner stage) is handed over so it loads once; deid
    # runs it on the original text and leaves the clinical spans in doc.spans for ner
    model = getattr(ctx.ner_stage(), "model", None) if "ner" in ctx.stage_names else None
    return DeidStage(ctx.config.deid, phi_model=model, extra_recognizers=ctx.recognizers)


@register_stage("sections")
def _sections(ctx: BuildContext) -> Stage:
    from .sections import SectionStage

    return SectionStage(extra_rules=ctx.config.rules.sections)


@register_stage("ner")
def _ner(ctx: BuildContext) -> Stage:
    return ctx.ner_stage()


@register_stage("assertion")
def _assertion(ctx: BuildContext) -> Stage:
    from .assertion import AssertionStage

    rules = ctx.config.rules
    return AssertionStage(rules_path=rules.context, extra_rules_paths=rules.extra_context)


@register_stage("relations")
def _relations(ctx: BuildContext) -> Stage:
    from .relations import RelationStage

    # loaded here, not on the first note with an allergy entry: a note reads no file after load()
    return RelationStage(vocabulary=ctx.vocabulary)


@register_stage("normalize")
def _normalize(ctx: BuildContext) -> Stage:
    from .normalize import NormalizeStage

    return NormalizeStage(ctx.vocabulary, ctx.config.normalization)
