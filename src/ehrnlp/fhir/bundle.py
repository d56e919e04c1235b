"""Bundles (collection, transaction) and FHIR Bulk Data NDJSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from ..config import FhirConfig
from ..errors import FhirError
from ..model import Document
from .mapping import IDENTIFIER_SYSTEM, note_key, resource_id, resources_for

__all__ = ["to_fhir", "bundle_dict", "validate_resource", "write_ndjson"]


def validate_resource(resource: dict[str, Any]) -> Any:
    """Parse a resource dict with ``fhir.resources.R4B``; raise FhirError naming the element."""
    from fhir.resources.R4B import get_fhir_model_class

    rtype = resource.get("resourceType")
    try:
        cls = get_fhir_model_class(rtype)
        return cls.model_validate(resource)
    except ValidationError as exc:
        where = "; ".join(".".join(str(x) for x in e["loc"]) + f": {e['type']}" for e in exc.errors()[:5])
        raise FhirError(f"ehrnlp built an invalid {rtype} resource ({where}); please report this bug") from None
    except ValueError as exc:
        raise FhirError(f"unknown FHIR resource type {rtype!r}") from exc


def bundle_dict(
    doc: Document,
    *,
    patient: str | None = None,
    bundle_type: Literal["collection", "transaction"] | None = None,
    config: FhirConfig | None = None,
    recorded: datetime | str | None = None,
) -> dict[str, Any]:
    """The Bundle for one document as a JSON-ready dict.

    Inside a Bundle every reference between the note's resources is its ``urn:uuid:``
    fullUrl, so the Bundle is self-contained; a transaction uses conditional create on the
    deterministic identifier, so posting the same note twice does not duplicate it.
    """
    cfg = config or FhirConfig()
    btype = bundle_type or cfg.bundle_type
    if btype not in ("collection", "transaction"):
        raise FhirError(f"bundle_type must be 'collection' or 'transaction', not {btype!r}")
    resources = resources_for(
        doc, patient=patient, config=cfg, reference=lambda t, i: f"urn:uuid:{i}", recorded=recorded
    )
    entries = []
    for res in resources:
        entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{res['id']}", "resource": res}
        if btype == "transaction":
            if res.get("identifier"):
                # conditional create on the deterministic identifier: re-posting creates nothing
                entry["request"] = {
                    "method": "POST",
                    "url": res["resourceType"],
                    "ifNoneExist": f"identifier={IDENTIFIER_SYSTEM}|{res['id']}",
                }
            else:
                # resources without an identifier element (Provenance): update-as-create by id
                entry["request"] = {"method": "PUT", "url": f"{res['resourceType']}/{res['id']}"}
        entries.append(entry)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": btype, "entry": entries}
    if btype == "collection":
        bundle["id"] = resource_id(note_key(doc), "Bundle")
    return bundle


def to_fhir(
    doc: Document,
    patient: str | None = None,
    *,
    bundle_type: Literal["collection", "transaction"] | None = None,
    config: FhirConfig | None = None,
    recorded: datetime | str | None = None,
) -> Any:
    """A ``fhir.resources.R4B`` Bundle for ``doc``; ``bundle.model_dump_json()`` is R4 JSON.

    ``patient`` ("Patient/123" or "123") overrides ``doc.patient``. ``recorded`` fixes the
    Provenance time (default: now), for byte-identical re-runs.
    """
    if not isinstance(doc, Document):
        raise FhirError(f"to_fhir expects an ehrnlp Document, got {type(doc).__name__}")
    data = bundle_dict(doc, patient=patient, bundle_type=bundle_type, config=config, recorded=recorded)
    return validate_resource(data)


def write_ndjson(
    docs: Iterable[Document],
    out_dir: str | Path,
    *,
    patient: str | None = None,
    config: FhirConfig | None = None,
    recorded: datetime | str | None = None,
    append: bool = False,
    validate: bool | None = None,
) -> dict[str, int]:
    """Write FHIR Bulk Data NDJSON: one ``<ResourceType>.ndjson`` file per type in ``out_dir``.

    References are relative (``DocumentReference/<id>``), as in a Bulk export. Devices
    shared by many notes are written once. Returns counts per resource type. ``validate``
    parses every resource with fhir.resources first (default: ``config.validate_resources``, off).
    """
    if validate is None:
        validate = (config or FhirConfig()).validate_resources
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    handles: dict[str, Any] = {}
    counts: dict[str, int] = {}
    seen_devices: set[str] = set()
    if append:
        dev_file = out / "Device.ndjson"
        if dev_file.exists():
            for line in dev_file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    seen_devices.add(json.loads(line)["id"])
    try:
        for doc in docs:
            for res in resources_for(doc, patient=patient, config=config, recorded=recorded):
                rtype = res["resourceType"]
                if rtype == "Device":
                    if res["id"] in seen_devices:
                        continue
                    seen_devices.add(res["id"])
                if validate:
                    validate_resource(res)
                fh = handles.get(rtype)
                if fh is None:
                    fh = handles[rtype] = (out / f"{rtype}.ndjson").open("a" if append else "w", encoding="utf-8")
                fh.write(json.dumps(res, ensure_ascii=False, separators=(",", ":")) + "\n")
                counts[rtype] = counts.get(rtype, 0) + 1
    finally:
        for fh in handles.values():
            fh.close()
    return counts
