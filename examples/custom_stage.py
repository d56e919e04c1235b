"""A custom pipeline stage: flag notes that mention a finding the patient denies.

Run: python examples/custom_stage.py

A stage is any callable ``Document -> Document`` with a ``name``; ``requires`` and
``assigns`` tell the pipeline where it may go. Register a factory to build it by name (from
code, from ``[pipeline] stages`` in a config, or, in a package, through the entry-point
group ``ehrnlp.stages``), or hand an object to ``nlp.add_stage``.
"""

from __future__ import annotations

import ehrnlp
from ehrnlp import Document


class DeniedFindings:
    """Puts the denied findings of a note into ``doc.metadata["denied"]``."""

    name = "denied_findings"
    requires = ("doc.entities", "entity.assertion")  # runs after ner and assertion
    assigns = ("doc.metadata",)

    def __init__(self, labels: tuple[str, ...] = ("SYMPTOM", "PROBLEM")):
        self.labels = labels

    def __call__(self, doc: Document) -> Document:
        denied = [e.text for e in doc.entities if e.label in self.labels and e.assertion.negated]
        return doc.replace(metadata={**doc.metadata, "denied": denied})


@ehrnlp.register_stage("denied_findings")
def make_denied_findings(ctx, labels: tuple[str, ...] = ("SYMPTOM", "PROBLEM")) -> DeniedFindings:
    """The factory: ``ctx`` is the pipeline's BuildContext, keyword settings come from
    ``[pipeline.settings.denied_findings]``."""
    return DeniedFindings(tuple(labels))


def main() -> None:
    note = "Pt c/o productive cough for 3 days. Denies fever or chest pain. Amoxicillin 500 mg PO TID."

    # 1. add a built object to a loaded pipeline
    nlp = ehrnlp.load(deidentify=False)
    nlp.add_stage(DeniedFindings(), after="assertion")
    print(nlp.stage_names)
    denied = nlp(note).metadata["denied"]
    print("denied:", denied)
    assert "fever" in denied and "productive cough" not in denied

    # 2. or name it in the config, with settings (this is how batch workers and Spark build it)
    nlp = ehrnlp.load(deidentify=False, config={
        "pipeline": {"stages": ["sections", "ner", "assertion", "denied_findings", "relations", "normalize"],
                     "settings": {"denied_findings": {"labels": ["SYMPTOM"]}}},
    })
    print("denied symptoms:", nlp(note).metadata["denied"])

    # 3. a stage placed where its requirements are not met is refused, naming the problem
    nlp.remove_stage("denied_findings")
    try:
        nlp.add_stage(DeniedFindings(), before="ner")
    except ehrnlp.PipelineError as exc:
        print("refused:", exc)
    else:
        raise AssertionError("a stage before its requirements must be refused")


if __name__ == "__main__":
    main()
