"""A custom vocabulary: your formulary's local drug names with their RxNorm codes.

Run: python examples/custom_vocabulary.py

A vocabulary file is a TSV with the columns ``term label system code display`` (only term and
label are required; see docs/vocab.md). User rows add to the bundled vocabularies. Pass files
to ``ehrnlp.load(vocab=[...])``, or list them in the config (``[pipeline] vocab``) or on the
command line (``ehrnlp extract --vocab my.tsv``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ehrnlp

ROWS = """term\tlabel\tsystem\tcode\tdisplay
Zorvex\tMEDICATION\trxnorm\t999001\tzorvexamab 10 MG Injection
house cough syrup\tMEDICATION\t\t\t
"""
NOTE = "Started Zorvex 10 mg SC weekly. Denies injection site reaction."


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "formulary.tsv"
        tsv.write_text(ROWS, encoding="utf-8")

        before = ehrnlp.load(deidentify=False)(NOTE)
        nlp = ehrnlp.load(deidentify=False, vocab=[str(tsv)])
        doc = nlp(NOTE)

    plain = next(e for e in before.entities if e.text == "Zorvex")
    print(f"bundled vocabulary only: {plain.label} {plain.text!r}, codes: {[c.code for c in plain.codes]}")
    drug = next(e for e in doc.entities if e.label == "MEDICATION" and e.text == "Zorvex")
    code = drug.codes[0]
    print(f"with formulary.tsv: {drug.text!r} -> {code.system} {code.code} {code.display!r} "
          f"(matched {code.term!r}, {code.method}, score {code.score})")
    assert code.code == "999001"
    assert [a.label for a in drug.attributes][:1] == ["DOSE"]


if __name__ == "__main__":
    main()
