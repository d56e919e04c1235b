"""The names of the de-identification stage's own detectors, in one place.

A hit's ``source`` is ``"<recognizer>:<pattern>"`` joined with ``+`` after merging; the
stage's rules ask typed questions of it (:meth:`ehrnlp.deid.postprocess._Hit.from_recognizer`,
:meth:`~ehrnlp.deid.postprocess._Hit.has_pattern`) instead of searching substrings, so a
user recognizer whose name happens to contain "spacy" or "name_title" changes nothing.
"""

from __future__ import annotations

SPACY_NER = "ehrnlp_spacy_ner"
TRANSFORMER_PHI = "ehrnlp_transformer_phi"
NAME_SEQUENCE = "ehrnlp_name_sequence"
ADDRESS_BLOCKS = "ehrnlp_address_blocks"
#: what document conversion leaves of a patient (file paths, banners, form columns read across: deid/extracted.py)
CONVERTED_DOCUMENT = "ehrnlp_converted_document"
#: what a dictation hands over in words (numbers read out, dates said, names spelled: deid/spoken.py)
SPOKEN = "ehrnlp_spoken"
NAME_LIST = "ehrnlp_name_list"
NAME_PROPAGATION = "ehrnlp_name_propagation"
NAME_SLOTS = "ehrnlp_name_slots"
PLACE_NEIGHBOURS = "ehrnlp_place_neighbours"
LAYOUT = "ehrnlp_layout_phi"
PRESIDIO_PHONE = "PhoneRecognizer"


def pattern_recognizer(label: str) -> str:
    """The name of the clinical pattern recognizer for a PHI label (``ehrnlp_name_patterns``)."""
    return f"ehrnlp_{label.lower()}_patterns"


NAME_PATTERNS = pattern_recognizer("NAME")
LOCATION_PATTERNS = pattern_recognizer("LOCATION")

#: the note's own patient's known PHI (:mod:`ehrnlp.deid.known`): removed whatever the filters think
KNOWN_PHI = "ehrnlp_known_phi"
