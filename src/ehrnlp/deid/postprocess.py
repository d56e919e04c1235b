"""What the de-identification stage does with the analyzer's hits before replacing them:
lexicons, filters (allowed words, plausible phones, eponyms), span trimming and merging,
and moving the model's clinical spans onto the de-identified text. Pure functions over
text and hits: no Presidio, no model.
"""

from __future__ import annotations

import logging
import re as _re
from dataclasses import dataclass
from typing import Any

from ..model import PhiSpan, Span
from .extracted import _SPACED_WORD
from .layout import NAME_PARTICLES

log = logging.getLogger("ehrnlp.deid")

@dataclass
class _Hit:
    label: str
    start: int
    end: int
    score: float
    source: str

    def _parts(self) -> list[tuple[str, str]]:
        return [(r, pat) for r, _, pat in (src.partition(":") for src in self.source.split("+") if src)]

    def from_recognizer(self, *names: str) -> bool:
        """Whether one of the recognizers named (see :mod:`ehrnlp.deid.ids`) found it."""
        return any(r in names for r, _ in self._parts())

    def has_pattern(self, recognizer: str, *patterns: str) -> bool:
        """Whether ``recognizer`` found it with one of ``patterns``."""
        return any(r == recognizer and pat in patterns for r, pat in self._parts())


#: pattern names whose context makes a NAME certain enough to override the allow-list
_STRONG_NAME_SOURCES = ("name_title", "name_credentials", "name_label", "name_verb", "name_is_age", "name_attestation")


def _map_clinical(spans: list[Any], old: str, new: str, phi: list[PhiSpan],
                  labels: frozenset[str] | None = None) -> list[Any]:
    """Clinical spans (or spans of ``labels``) predicted on the original text, moved onto the
    de-identified text.

    A span overlapping a PHI span is dropped (its words were replaced); the others shift by
    the length change of the replacements before them and must read the same afterwards.
    """
    from ..model import CLINICAL_LABELS

    keep = CLINICAL_LABELS if labels is None else labels
    out = []
    spans = sorted((s for s in spans if s.label in keep), key=lambda s: s.start)
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
    # function words ("What", "This", "Everyone") are not in WordNet: a capitalised one opening
    # a sentence ("What is ...") is no name
    words.update(w for w in getattr(getattr(nlp, "Defaults", None), "stop_words", ()) if w.isalpha())
    return frozenset(words)


def _common_words(nlp: Any, parts: tuple[str, ...] = ("adj", "adv", "verb")) -> frozenset[str]:
    """English adjectives, adverbs and verbs of the lemmatizer tables: the nouns are left
    out because WordNet's nouns include surnames and towns ("Sorensen", "Detroit").
    ``parts`` picks the parts of speech (``("adv",)``: the adverbs alone)."""
    words: set[str] = set()
    try:
        from spacy.strings import hash_string  # type: ignore[attr-defined]  # a Cython function mypy cannot see

        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        for pos in parts:
            key = hash_string(pos)
            if key in table:
                words.update(w for w in table[key] if w.isalpha())
    except (KeyError, ValueError, AttributeError, ImportError):
        return frozenset()
    return frozenset(words)


_CLINICAL_TTYS = frozenset({"IN", "PIN", "MIN", "PIN>IN", "synonym", "class", "substance", "disorder", "finding", "abbr", "problem", "situation", "event", "map"})


def _clinical_terms() -> frozenset[str]:
    """Lower-cased one-word clinical terms of the bundled vocabularies (empty if unavailable)."""
    try:
        from ..vocab import bundled_entries

        entries = bundled_entries()
    except Exception:  # noqa: BLE001 - the vocabulary only sharpens a filter; never fail over it
        log.warning("bundled vocabulary unavailable: the de-identifier's clinical-term filter is off")
        return frozenset()
    return frozenset(e.norm for e in entries if e.tty in _CLINICAL_TTYS and " " not in e.norm and e.norm.isalpha())


def _vocab_words(labels: tuple[str, ...] | None = None, min_len: int = 2) -> frozenset[str]:
    """Every lower-cased word (of ``min_len`` letters or more) of the bundled vocabularies'
    terms, brand names included, of the ``labels`` given or of all (empty if unavailable):
    a word a drug or disorder name uses is no name in a list."""
    try:
        from ..vocab import bundled_entries

        entries = bundled_entries()
    except Exception:  # noqa: BLE001 - only sharpens a filter
        return frozenset()
    word = _re.compile(rf"[^\W\d_]{{{min_len},}}")
    return frozenset(w for e in entries if labels is None or e.label in labels for w in word.findall(e.norm.lower()))


def _drug_words() -> frozenset[str]:
    """Lower-cased words of 3 or more letters of the bundled vocabularies' drug and allergen
    terms, brand names included ("janumet", "rezlidhia", "flulaval")."""
    return _vocab_words(("MEDICATION", "ALLERGEN"), min_len=3)


def _drug_terms() -> frozenset[str]:
    """The normalized drug and allergen terms of the bundled vocabularies, whole, abbreviations
    included but for the ambiguous ones ("at's" and "ats" for artificial tears, not "at")."""
    try:
        from ..vocab import bundled_entries
    except Exception:  # noqa: BLE001 - only sharpens a filter
        return frozenset()
    return frozenset(e.norm for e in bundled_entries()
                     if e.label in ("MEDICATION", "ALLERGEN") and e.tty != "abbr-ambiguous" and e.norm)


def lower_case_note(text: str) -> bool:
    """Whether ``text`` is written (almost) all in lower case, counting only letters that have
    a case: a name in Hebrew, Arabic or Chinese script does not make a lower-case note mixed."""
    from .layout import letter_cases

    lower, upper = letter_cases(text)
    return lower + upper > 0 and lower >= 0.98 * (lower + upper)


#: nouns for people that follow "and" / "or" after a name ("Mr. Okafor and wife"): no surname
PERSON_NOUNS = frozenset({
    "wife", "husband", "son", "daughter", "mother", "father", "mom", "dad", "brother", "sister", "parent", "parents",
    "partner", "spouse", "family", "friend", "friends", "children", "child", "kids", "grandson", "granddaughter",
    "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew", "cousin", "caregiver", "guardian", "staff",
    "team", "nurse", "nurses", "resident", "residents", "fellow", "attending", "student", "students", "colleagues",
    "colleague", "myself", "others", "patient", "patients", "self", "neighbor", "neighbour", "roommate", "boyfriend",
    "girlfriend", "fiance", "fiancee", "stepson", "stepdaughter", "stepmother", "stepfather", "interpreter", "chaplain",
    # a patient's age and sex nouns ("This 95 year old gentleman presents", "the elderly gentleman states"; twenty-second
    # session: "gentleman" is a listed surname and a noun, so it was read as a name before a person's verb)
    "gentleman", "gentlemen", "lady", "ladies", "man", "men", "woman", "women", "male", "males", "female", "females",
    "boy", "boys", "girl", "girls", "baby", "infant", "toddler", "adult", "adults", "teen", "teenager", "adolescent",
    "individual", "person", "people",
})


#: clinical credentials after a name ("Achebe, PA-C"): never a name word themselves
CREDENTIALS = frozenset({"md", "do", "rn", "np", "np-c", "pa", "pa-c", "pharmd", "phd", "bsn", "msn", "dnp", "lcsw", "msw", "crnp",
                         "aprn", "fnp", "fnp-c", "lpn", "cnm", "crna", "dds", "dmd", "od", "dpm", "mph", "facp", "facs"})


#: an adjective's ending: "-ly" after it builds an adverb no lexicon need hold ("subconjunctivally", "transdermally")
_ADJECTIVE_STEM = _re.compile(r"(?:al|ous|ive|ic|ent|ant|ful|less|ar|ary|ory|ible|able|ed|ing|ate|ile|id|ose|ish|ern|ine|ite)\Z")


def _is_word(word: str, lexicon: frozenset[str]) -> bool:
    w = word.lower()
    if w in lexicon:
        return True
    for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if w.endswith(suf) and w[: -len(suf)] + rep in lexicon:
            return True
    # "-ly" only after an adjective's ending: the lexicon holds the common adverbs and adjectives in "-ly" whole
    # ("quickly", "nightly", "fatherly"); a verb or a noun with "-ly" is a name's build ("Gatherly"; nineteenth session)
    return w.endswith("ly") and w[:-2] in lexicon and _ADJECTIVE_STEM.search(w[:-2]) is not None


def _plausible_phone(span: str, text: str, start: int) -> bool:
    """Presidio's phonenumbers-based recognizer also fires on acuities (20/25-2) and HLA alleles."""
    digits = sum(c.isdigit() for c in span)
    if "/" in span or digits < 9 or (start > 0 and text[start - 1] in "*/"):
        return False
    from .patterns import _time_schedule

    if _time_schedule(span):
        return False  # "doses at 0800 1200 1600": a schedule's times of day (twenty-first session)
    return any(c in span for c in "-. ()+")


def _all_allowed(words: str, allow: frozenset[str]) -> bool:
    toks = [t.strip(".,;:()").lower() for t in words.split()]
    return all(t in allow for t in toks if t)


_PARTICLES = NAME_PARTICLES


#: a letter-spaced word (three or more single letters, one blank between each: :data:`ehrnlp.deid.extracted._SPACED_WORD`)
_LETTER_SPACED = _re.compile(rf"(?<![^\W_]){_SPACED_WORD}")


def _trim_allowed(text: str, h: _Hit, allow: frozenset[str]) -> _Hit | None:
    """Drop allow-listed words at either end of a NAME span ("Glaucoma Service John Smith")."""
    toks = [(m.start() + h.start, m.end() + h.start) for m in _TOKEN.finditer(text[h.start:h.end])]
    for a, b in [m.span() for m in _LETTER_SPACED.finditer(text, h.start, h.end)]:
        # a letter-spaced word of a PDF's text layer is one word ("Pelarth T a t t e r s a l l": its small letters
        # are no lower-case word that ends a capitalised name; held-out seed 1249)
        toks = [t for t in toks if not a <= t[0] < b] + [(a, b)]
        toks.sort()

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
        if k and base.lower() in _PARTICLES and k + 1 < len(toks) and text[toks[k + 1][0]:toks[k + 1][1]][:1].isupper():
            continue  # "Jean-Luc Van der Berg": a surname particle inside the name
        if k and w == "," and k + 1 < len(toks):
            continue  # a "LAST , FIRST" comma written with a blank before it (dev seed 1163)
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


#: one letter (a middle initial, with its period or not) between two names of one person
_INITIAL_GAP = _re.compile(r"[ \t]{1,2}[^\W\d_]\.?[ \t]{1,2}")


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
            initial = same and h.label == "NAME" and _INITIAL_GAP.fullmatch(gap) is not None  # "[thuy] j [van houten]": a middle initial
            if h.start < g_end or initial or (same and h.start >= g_end and gap.strip(" \t") == "" and "\n" not in gap and len(gap) <= 2 and h.label in ("NAME", "LOCATION")):
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
