"""Quick start: one note in, entities with their assertion and codes out, then FHIR.

Run: python examples/quickstart.py

``ehrnlp.load()`` loads everything once (offline: the bundled model, rules and
vocabularies); calling the pipeline runs one note. Offsets index ``doc.text``, which is the
de-identified text when de-identification ran.
"""

from __future__ import annotations

import ehrnlp

NOTE = """Chief complaint: cough.
HPI: 58 y.o. woman with productive cough for 3 days. Denies fever or chest pain.
PMH: hypertension, type 2 diabetes.
Meds: lisinopril 10 mg PO daily, metformin 500 mg PO BID.
Allergies: penicillin (hives)."""


def main() -> None:
    # --8<-- [start:main]
    nlp = ehrnlp.load()
    doc = nlp(ehrnlp.Note(text=NOTE, id="quickstart-1", patient="Patient/123"))

    print(f"{'label':<11}{'text':<22}{'flags':<12}{'code':<28}attributes")
    for e in doc.entities:
        flags = ",".join(f for f in e.assertion.FLAGS if getattr(e.assertion, f)) or "-"
        code = f"{e.codes[0].system.rsplit('/', 1)[-1]}|{e.codes[0].code}" if e.codes else "-"
        attrs = ", ".join(f"{a.label}={a.text}" for a in e.attributes)
        print(f"{e.label:<11}{e.text:<22}{flags:<12}{code:<28}{attrs}")

    # why a flag is set: the cue the assertion stage read
    fever = next(e for e in doc.entities if e.text == "fever")
    cue = fever.assertion.cue("negated")
    assert fever.assertion.negated and cue is not None
    print(f"'fever' is negated by {cue.text!r} at {cue.start}-{cue.end}")

    bundle = ehrnlp.to_fhir(doc)
    kinds = sorted({entry.resource.__resource_type__ for entry in bundle.entry})
    print(f"FHIR Bundle with {len(bundle.entry)} entries: {', '.join(kinds)}")
    assert "MedicationStatement" in kinds and "AllergyIntolerance" in kinds
    # --8<-- [end:main]


if __name__ == "__main__":
    main()
