"""Allergy rules that read more than one mention: prose intolerances tied to a reaction,
allergy-list entries the tagger missed, ``A/B`` allergens, reactions written in pieces, and
where an allergies section stops being about allergies.

The relations stage (:mod:`ehrnlp.relations`) calls these; they never add an ALLERGEN outside
an allergy context (an allergies section or table, a header such as ``Allergies:`` or
``Glaucoma medications to avoid:``, ``allergic to`` ...) except a prose intolerance, whose
own words (``stopped X - itching``, ``since starting X has noticed redness``) are the context.

* :func:`prose_intolerance_cue` -- "X leads to <finding>", "started X - had <symptom>",
  "stopped / d/c'd / discontinued X - <symptom>", "since starting (on) X (has) noticed
  <symptom>", "switched from X to Y due to itching"; the reaction must be a mention that is
  not negated or hypothetical (or, after a halting verb, a reaction word).
* :func:`allergy_topic_end` -- a flattened Epic ``Allergies:`` field is followed by the
  social-history sentences ("She reports that she drinks alcohol.") with no header between:
  the allergy context ends at the first sentence about the patient that names no allergy.
* :func:`entry_allergens` -- the backstop: inside an allergy context, the head of a list
  entry (table row, ``;``/``,`` item, ``A - reaction``) that is a drug of the vocabulary, a
  drug class, a contrast agent, a vaccine or a preservative becomes an ALLERGEN.
* :func:`split_slash_allergens` -- ``Timolol/Cosopt`` in an allergy context is two allergens
  (each side a drug on its own, the whole not one product).
* :func:`merge_reaction_pieces` -- ``Nausea`` + ``Vomiting`` of Epic's ``Nausea and
  Vomiting``, ``blurs`` + ``vision``, ``unsteady`` + ``on feet``: one reaction.
* :func:`name_bracket_groups` -- the bracketed names after an allergen (nested, chained,
  after a masked word): every mention inside them is the same substance.
* :func:`split_row_allergens` -- an Epic table row's substance and reaction read as one
  ALLERGEN ("Phenobarbital Delirium"): the finding becomes the row's reaction.
* :func:`dash_entry_reactions` -- the reactions after ``<allergen> -`` in an allergy field
  that the tagger left untagged ("Timolol -breathing issues").
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Sequence

from .assertion import normal_finding
from .model import Entity
from .textnorm import HSPACE, is_caseless, layout_view

__all__ = [
    "REACTION_WORD",
    "DRUG_CLASS",
    "prose_intolerance_cue",
    "prose_intolerance",
    "allergy_topic_end",
    "entry_allergens",
    "allergy_risk_after",
    "split_slash_allergens",
    "merge_reaction_pieces",
    "untagged_effect_drugs",
    "table_row_findings",
    "name_bracket_groups",
    "untagged_reaction_to_drugs",
    "split_row_allergens",
    "dash_entry_reactions",
    "negated_only_by_its_halt",
    "halt_after",
    "untagged_cue_drugs",
    "FOOD_WORDS",
    "ENVIRONMENT_WORDS",
]

_REACTION_SOURCES = ("SYMPTOM", "PROBLEM", "REACTION")

#: words that name an adverse reaction on their own ("stopped timolol - fatigue")
REACTION_WORD = re.compile(
    r"(?<!\w)(?:itch\w*|pruritu?s|burn\w*|sting\w*|redness|red\s+eyes?|hyperemi\w*|irritat\w*|rash\w*|hives|urticaria|"
    r"swell\w*|edema|oedema|cough\w*|nause\w*|vomit\w*|diarrh\w*|allerg\w*|reactions?|side[\s-]+effects?|intoleran\w*|"
    r"bradycardi\w*|tachycardi\w*|palpitations?|hypotension|fatigue\w*|tired\w*|letharg\w*|depress\w*|dizz\w*|"
    r"lightheaded\w*|light-headed\w*|vertigo|headaches?|pain|aches?|aching|blur\w*|crust\w*|tearing|watering|"
    r"dry\s+(?:eyes?|mouth)|dryness|follicul\w*|conjunctivitis|dermatitis|short(?:ness)?\s+of\s+breath|sob|dyspnea|"
    r"wheez\w*|breathing\s+(?:issues?|problems?|difficult\w*)|insomnia|confusion|hallucinat\w*|anxiety|agitation|"
    r"nightmares?|impotence|cramps?|myalgias?|weakness|brady|tachy)(?!\w)",
    re.IGNORECASE,
)

#: drug classes, contrast agents, vaccines and preservatives written as allergy entries
DRUG_CLASS = re.compile(
    r"(?:(?:hmg-?coa\s+reductase\s+inhibitors?|statins?)|beta[\s-]*(?:adrenergic\s+)?blockers?|bbs?|"
    r"ace[\s-]*inhibitors?|arbs?|nsaids?|opiates?|opioids?|narcotics?|sulfas?|sulfonamides?(?:\s+antibiotics?)?|"
    r"sulpha|penicillins?|pcn|cephalosporins?|macrolides?|quinolones?|fluoroquinolones?|tetracyclines?|"
    r"aminoglycosides?|antibiotics?|(?:topical\s+|oral\s+|systemic\s+)?cais?|carbonic\s+anhydrase\s+inhibitors?|"
    r"prostaglandins?(?:\s+analog(?:ue)?s?)?|pgas?|alpha[\s-]*(?:2\s+)?agonists?|miotics?|steroids?|corticosteroids?|"
    r"(?:iodinated\s+|iv\s+|ct\s+|radiographic\s+|radiocontrast\s+)?contrast(?:\s+(?:dye|media|medium|agents?))?|"
    r"iodine|iodinated\s+dyes?|(?:ivp\s+|contrast\s+)?dye|gadolinium|shellfish|"
    r"(?:[\w-]+\s+){0,2}vaccines?|vaccinations?|preservatives?|benzalkonium(?:\s+chloride)?|bak|"
    r"anesthesia|anesthetics?|latex|adhesives?|tape)",
    re.IGNORECASE,
)

#: foods written as allergy entries: the major food allergens and the fruits, vegetables,
#: seeds and spices allergy lists name (a regex alternation, matched case-insensitively)
FOOD_WORDS = (
    r"(?:peanuts?|tree\s+nuts?|nuts?|almonds?|walnuts?|cashews?|pecans?(?:\s+nuts?)?|pistachios?|hazelnuts?|"
    r"brazil\s+nuts?|macadamia(?:\s+nuts?)?|pine\s+nuts?|coconuts?|shellfish|shrimps?|prawns?|crabs?|lobsters?|"
    r"crawfish|scallops?|clams?|mussels?|oysters?|squid|fish|salmon|tuna|cod|eggs?|egg\s+whites?|milk|dairy|"
    r"lactose|casein|whey|cheese|soy(?:beans?)?|wheat|gluten|barley|rye|oats?|corn|sesame(?:\s+seeds?)?|"
    r"mustard|celery|lupin|legumes?|peas?|lentils?|chickpeas?|beans?|strawberr(?:y|ies)|blackberr(?:y|ies)|"
    r"blueberr(?:y|ies)|raspberr(?:y|ies)|cranberr(?:y|ies)|berr(?:y|ies)|mangos?|mangoes|kiwis?|bananas?|"
    r"avocados?|peach(?:es)?|apples?|pears?|plums?|cherr(?:y|ies)|grapes?|melons?|watermelons?|pineapples?|"
    r"papayas?|citrus|oranges?|lemons?|limes?|grapefruits?|tomato(?:es)?|potato(?:es)?|carrots?|garlic|onions?|"
    r"peppers?|cinnamon|chocolate|cocoa|coffee|msg|monosodium\s+glutamate|food\s+dyes?|red\s+dye|food)"
)
#: environmental substances written as allergy entries
ENVIRONMENT_WORDS = (
    r"(?:pollens?|dust|mites?|cats?|dogs?|dander|molds?|grass|ragweed|trees?|latex|bees?|wasps?|venom|stings?|"
    r"hornets?|yellow\s+jackets?|fire\s+ants?|nickel|adhesives?|(?:adhesive\s+|surgical\s+|medical\s+)?tape|"
    r"bandages?|band-?aids?|perfumes?|fragrances?|cosmetics?|detergents?|wool)"
)
_SUBSTANCE = re.compile(r"(?:(?:fresh|raw|cooked|green|red|yellow|black|white)\s+)?(?:" + FOOD_WORDS + "|"
                        + ENVIRONMENT_WORDS + r")(?:\s+(?:(?:containing\s+)?products?|venom|stings?|seeds?|oil|flour|extract))?",
                        re.IGNORECASE)

# -- prose intolerances -------------------------------------------------------------------

#: the reaction words a drug may be said to *be* ("combigan is irritating", "X was burning")
_REACTION_ADJ = (r"(?:irritat\w*|burn\w*|sting\w*|itch\w*|uncomfortable|painful|toxic|intolerable|"
                 r"blurr\w*|red\b|making\s+(?:her|him|me|them)\s+\w+)")

# a verb after the drug that says what it did: "X leads to corneal decomposition"
_EFFECT_VERB = re.compile(
    r"^(?:\s*(?:/|,|and|or|&)\s*[\w\-]+){0,3}[\s,]*(?:\([^)]{0,40}\)\s*)?"
    # how long it was used or has been off: "off cosopt x 2 weeks, too irritating"
    r"(?:(?:x|for)\s*\d+\s*(?:days?|weeks?|months?|years?|wks?|mos?|yrs?)(?!\w)[\s,;]*)?(?:has\s+|had\s+|have\s+)?"
    r"(?:(?:(?:leads?|led|leading)\s+to|(?:results?|resulted|resulting)\s+in|triggered|triggers|induced|induces|provoked|"
    r"provokes|brought\s+on|brings\s+on|made|makes|caused|causes|causing|gave|gives|giving)(?!\w)"
    # the drug as the subject of a reaction word: "combigan is irritating", "Xalatan was burning"
    r"|(?:is|was|are|were|seems|seemed)\s+(?:(?:very|too|so|really|quite|a\s+bit|somewhat|more)\s+)?(?=" + _REACTION_ADJ + r")"
    # the copula dropped: "latanoprost too irritating", "off X x 2 weeks - too stinging"
    r"|(?:[-\u2013\u2014:]\s*)?(?:(?:much|far|way)\s+)?too\s+(?=" + _REACTION_ADJ + r")"
    # a dash entry whose reaction comes with "with": "dorzolamide - with obvious drop toxicity"
    r"|[-\u2013\u2014:]\s*with(?:\s+(?:obvious|significant|some|severe|marked|mild|clear|bad|much))?(?=\s))",
    re.IGNORECASE,
)
# the onset before the drug: "since starting (on) X", "after beginning X", "started X"
_ONSET_BEFORE = re.compile(
    r"(?<!\w)(?:(?:since|after|when|upon|following|with)\s+(?:starting|beginning|initiating|using|taking|being\s+(?:put|started)\s+on|"
    r"switching\s+to|changing\s+to|the\s+start\s+of)(?:\s+on)?|(?:started|starts|began|begun|initiated|tried|trialed|"
    r"put)(?:\s+on)?|restarted(?:\s+on)?"
    # the patient's own use: "irritation when he uses travatan", "redness whenever she puts in X"
    r"|(?:when|whenever|every\s+time|each\s+time|after)\s+(?:(?:he|she|they|pt|patient|i|we)\s+)?"
    r"(?:uses?|used|using|takes?|took|puts?\s+in|instills?|instilled|tries|tried)"
    # a bare "after" / "from" right after a reaction: "Hypotension after apraclonidine??"
    r"|(?:after|from)(?:\s+(?:using|taking|the\s+use\s+of|use\s+of))?)\s+(?:the\s+)?"
    # drugs before this one in the same list: "when he uses travatan & rhopressa"
    r"(?:[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?\s*(?:,|&|/|\band\b|\bor\b)\s*){0,3}$",
    re.IGNORECASE,
)
# what the patient then had: "- had palpitations", "has noticed lid crusting", "developed redness"
_ONSET_REPORT = re.compile(
    r"^[^\w]*(?:(?:[\w*/.-]*\d[\w*/.-]*|[*/]+)[^\w]*){0,4}(?:,?\s*(?:and|but|pt|patient|she|he|they)\s+)?"
    r"(?:has\s+|have\s+|had\s+)?(?:since\s+)?(?:had|has|have|developed|develops|noticed|notices|noticing|"
    r"experienced|experiences|experiencing|reports?|reported|complains?\s+of|complained\s+of|c/o|got|gets|with|"
    r"(?:and\s+)?(?:now\s+)?(?:has|have)\s+(?:been\s+)?having)(?!\w)",
    re.IGNORECASE,
)
# halting the drug: "stopped X", "d/c'd X", "discontinued X", "switched from X (to Y)"
_HALT_BEFORE = re.compile(
    r"(?<!\w)(?:(?:switched|changed|taken|came|went)\s+(?:off|from)(?:\s+of)?|stopped|stops|stopping|discontinued|"
    r"discontinue[sd]?|d/c'?d|d/c|dc'd|quit|held|stopped\s+using|stopped\s+taking)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# then the reason: "- itching and irritation", "because it caused redness", "as it gave her headaches"
_HALT_REASON = re.compile(
    r"^(?:\s*(?:/|,|and|or)\s*[\w\-]+){0,3}(?:\s+to\s+[\w\-]+(?:\s+[\w\-]+)?)?\s*(?:drops?|gtts?)?"
    # when: "stopped taking Dorzolamide about 3-4 months ago, intense burning"
    r"(?:\s+(?:(?:about|around|approximately|approx\.?|roughly|~)\s*)?(?:\d+(?:\s*-\s*\d+)?|a|an|one|two|three|a\s+few|few|several)"
    r"\s+(?:days?|weeks?|months?|years?|wks?|mos?|yrs?)\s+ago|\s+(?:last|this)\s+(?:week|month|year|visit)|\s+recently"
    r"|\s+(?:in\s+)?(?:(?:19|20)\d\d|[\d*]+(?:/[\d*]+)+))?[^\w]*?"
    r"(?:[-–—:;,]|\((?=\s*\w)|due\s+to|because(?:\s+of)?|secondary\s+to|2/2|s/t|from|for|as|since|after)\s*"
    r"(?:(?:it|they|this|that|which|the\s+drops?)\s+)?(?:(?:had\s+|has\s+)?(?:caused|causes|gave|gives|made|makes|led\s+to)\s+)?"
    r"(?:(?:her|him|them|me|the\s+patient|pt)\s+)?(?:had\s+|having\s+|developed\s+|with\s+)?",
    re.IGNORECASE,
)
# the passive halt after the drug: "timolol was stopped due to fatigue"
# (charting drops the auxiliary: "timolol d/c due to fatigue", "Xalatan discontinued 2/2 itching")
# a medication list's sig between a drug and its halt: "Brimonidine daily OU - 03/2019 stopped
# due to blepharitis", "Timolol BID OS, stopped 2019 due to bradycardia"
_SIG_RUN = (r"(?:[ \t\u00a0]+(?:daily|bid|tid|qid|qd|qod|qhs|hs|qam|qpm|q\d+h|nightly|prn|ou|od|os|both\s+eyes|"
            r"at\s+bedtime|in\s+the\s+(?:morning|evening)|\d+(?:\.\d+)?\s*%|\d+\s*(?:gtts?|drops?)|\*+)(?!\w))*")
# a date or a masked date after the separator: "- 03/2019 stopped", "- **/**/** discontinued"
_DATE_RUN = r"(?:(?:\*+|[\d*]+(?:[/.\-][\d*]+)+|(?:in\s+)?(?:19|20)\d\d)\s+)*"
_PASSIVE_HALT = re.compile(
    r"^" + _SIG_RUN + r"(?:\s+(?:(?:was|were|is|has\s+been|had\s+been|got)\s+(?:stopped|discontinued|d/c'?d|dc'd|held|switched|changed)"
    r"|(?:stopped|discontinued|d/c'?d|d/c|dc'd|dc)(?=\s+(?:due\s+to|because|secondary\s+to|2/2|s/t|from|for|after|as)\b))(?!\w)"
    # after a separator the halt needs no reason word of its own; _HALT_REASON reads it:
    # "Combigan/not using - eye irritation", "dorzolamide - discontinued 3 weeks ago for drop toxicity"
    r"|\s*[-\u2013\u2014/:,(]\s*" + _DATE_RUN + r"(?:(?:was|were|is|has\s+been|had\s+been)\s+)?(?:stopped|discontinued|d/c'?d|d/c|dc'd|held|quit"
    r"|(?:(?:is|was|are|were)\s+)?(?:not|no\s+longer)\s+(?:using|taking|on\s+it|tolerating)|off)(?!\w))",
    re.IGNORECASE,
)
# the drug as the agent of a finding written before it: "blepharitis, sometimes exacerbated by
# Lumigan", "hyperemia caused by the latanoprost", "dry mouth induced by brimonidine"
_BY_AGENT = re.compile(
    r"(?<!\w)(?:(?:is|was|are|were|been|being|likely|probably|clearly|sometimes|often|always|partly|partially|also)\s+)*"
    r"(?:exacerbated|worsened|aggravated|caused|induced|triggered|provoked|brought\s+on|made\s+worse)\s+by\s+"
    r"(?:the\s+|her\s+|his\s+)?$",
    re.IGNORECASE,
)
# how far back the finding may be, and what may lie between it and the cue: words, commas,
# "with ..." (no sentence end, no second drug)
_AGENT_REACH = 80
# the patient's own report after the drug: "with prior Lisinopril felt sleepy", "on timolol she
# felt tired"; the drug was taken before ("with prior", "while on", "when on")
_TAKING_BEFORE = re.compile(
    r"(?<!\w)(?:(?:with|on)\s+(?:the\s+)?(?:prior|previous|past|former)|while\s+(?:on|taking|using)|"
    r"when\s+(?:on|taking|using))\s+$",
    re.IGNORECASE,
)
_FELT = re.compile(
    r"^[\s,]*(?:(?:pt|patient|she|he|they|i)\s+)?(?:felt|feels|feeling|became|got|was|were)\s+(?:very\s+|so\s+|more\s+|really\s+)?",
    re.IGNORECASE,
)
# the onset phrases that may follow a reaction ("palpitations after starting X")
_BARE_ONSET = re.compile(r"(?i)(?:after|from)\b(?!\s+(?:starting|beginning|initiating|switching|changing))")
_AFTER_REACTION = re.compile(r"(?i)(?:since|after|when|whenever|every\s+time|each\s+time|upon|following|from)\b")
_REACTION_TO_ONSET = re.compile(r"[\s,]*(?:(?:ever|right|shortly|soon|just)\s+)?", re.IGNORECASE)
# an intolerance that is only being considered: "if X causes redness", "may cause", "watch for"
_HYPOTHETICAL = re.compile(
    r"(?<!\w)(?:if|whether|in\s+case|should|unless|may|might|can|could|would|will|risk\s+of|watch\s+for|"
    r"monitor\s+for|warned|counsel(?:l?ed)?|discussed|possible|potential)(?!\w)",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"(?<!\w)(?:no|not|without|never|denies|denied|n't|none)(?!\w)", re.IGNORECASE)
# the use that brought a reaction on, after it: "Azopt blurred vision, burned when instilled",
# "redness on instillation", "stinging with each use", "blurred vision after each drop"
_USE_AFTER = re.compile(
    r"[\s,]*(?:(?:when|whenever|once|every\s+time|each\s+time)\s+(?:(?:it\s+(?:is|was)|they\s+(?:are|were)|"
    r"(?:she|he|pt|patient|they|i)\s+)\s*)?(?:instilled|instills?|instilling|used|uses?|using|applied|applies|applying|"
    r"puts?\s+(?:it|them)\s+in|put\s+in)|(?:on|upon|with|after|following)\s+(?:(?:each|every|the|its|first|initial)\s+)?"
    r"(?:instillation|use|application|dose|dosing|drops?|administration))(?!\w)",
    re.IGNORECASE,
)
# a sentence end or field break inside a run of reactions (a single line break is a wrap)
_RUN_STOP = re.compile(r"[.!?;](?=\s|$)|\n[ \t]*\n|[ \t\u00a0]{2,}|\n[ \t]*(?:[-\u2022]|\*(?!\*))")
# what may stand between the reactions of one use: "blurred vision, burned and ****** when"
_REACTION_RUN_GAP = re.compile(r"[\s,;/&]*(?:(?:and|or)\s+)?(?:\*+[\s,]*)?", re.IGNORECASE)
# a halt said after the drug that follows its reaction: "hair loss with latanoprost so stopped"
_SO_HALTED = re.compile(
    r"[\s,;]*(?:so|and|therefore|thus|hence|-+>)\s+(?:(?:she|he|pt|patient|they|we|i)\s+)?(?:was\s+)?"
    r"(?:stopped|discontinued|d/c'?d|dc'd|d/c|quit|switched|changed|held)(?!\w)",
    re.IGNORECASE,
)
# between the reaction and the drug of that halt: "fatigue with timolol", "redness on Lumigan"
_WITH_DRUG = re.compile(r"[\s,]*(?:with|on|from|using|taking|while\s+on)\s+(?:the\s+)?", re.IGNORECASE)
# a reaction "to" the drug: "contact dermatitis to latanoprost", "hives to amoxicillin"
_TO_DRUG = re.compile(r"\s+to\s+(?:the\s+)?", re.IGNORECASE)
# a finding "to" a drug that says how it answered the drug, not what the drug did:
# "unresponsive to digoxin", "refractory to steroids", "resistant to", "secondary to"
_ANSWER_TO = re.compile(r"(?i)(?:\b(?:un)?responsive|refractor\w*|resistan\w*|response|respond\w*|susceptib\w*|"
                        r"sensitiv\w*|exposure|exposed|secondary|related|attribut\w*|due|progress\w*|adheren\w*|"
                        r"complian\w*|return\w*|switch\w*|improv\w*|better|worse)$")
# a switch or a reason before such a reaction makes the "to" the switch's: "switched due to
# redness to travatan"
_SWITCH_BEFORE = re.compile(r"(?i)\b(?:switch\w*|chang\w*|convert\w*|transition\w*|due|because|secondary|from|for|2/2|s/t)\b")


#: a procedure or a test the tagger read as a finding is never what a drug did to the patient
#: ("stopped latanoprost two weeks ago for cataract surgery")
_PROCEDURE = re.compile(r"(?i)\b(?:surgery|surgeries|procedure|operation|\w+(?:ectomy|otomy|ostomy|plasty|pexy|scopy)|"
                        r"laser|trabeculoplasty|injections?|scan|mri|ct|x-?ray|biopsy|exam(?:ination)?|test(?:ing)?|"
                        r"visit|appointment)\b")


#: a condition that makes a drug unsafe (a contraindication), not what the drug did to the
#: patient: "stopped ibuprofen because of chronic kidney disease"
_CONTRAINDICATION = re.compile(r"(?i)\b(?:disease|failure|insufficiency|impairment|ckd|esrd|cirrhosis|pregnan\w*|"
                               r"breast-?feeding|lactation|asthma|copd|ulcers?|bleeding\s+risk|risk)\b")


def _adverse(e: Entity) -> bool:
    """Whether a finding given as the reason a drug was stopped (or the finding it came
    "after" / "from") reads as what the drug did: a symptom or reaction, or a disorder named
    by a reaction word ("follicular conjunctivitis"), never a contraindication."""
    if _CONTRAINDICATION.search(e.text):
        return False
    return e.label in ("SYMPTOM", "REACTION") or REACTION_WORD.search(e.text) is not None


def _clean_reaction(e: Entity) -> bool:
    """A finding that can be a drug's reaction: affirmed, the patient's own, no procedure, and
    no normal state ("Metoprolol was stopped, and she remained asymptomatic")."""
    return e.label in _REACTION_SOURCES and not (
        e.assertion.negated or e.assertion.hypothetical or e.assertion.family) and not _PROCEDURE.search(e.text) \
        and not normal_finding(e.text)


def _reaction_after(text: str, ents: Sequence[Entity], i: int, pos: int, s1: int, max_gap: int = 60) -> Entity | None:
    """The first clean reaction mention starting within ``max_gap`` characters after ``pos``
    in the sentence, with no other drug before it."""
    for e in ents[i + 1:]:
        if e.start < pos:
            continue
        if e.start >= s1 or e.start - pos > max_gap:
            return None
        if e.label in ("MEDICATION", "ALLERGEN"):
            return None
        if e.label in _REACTION_SOURCES:
            return e if _clean_reaction(e) else None
    return None


def _row_reaction(text: str, ents: Sequence[Entity], r: Entity) -> bool:
    """Whether ``r`` is the reaction column of a row: right after a drug on its line, only
    spaces between ("• CHLORHEXIDINE RASH")."""
    return any(x.label in ("ALLERGEN", "MEDICATION") and x.end <= r.start and not text[x.end:r.start].strip(" \t\u00a0")
               for x in ents if r.start - 40 <= x.end <= r.start)


def prose_intolerance_cue(text: str, ents: Sequence[Entity], i: int, s0: int, s1: int) -> str | None:
    """The words that make ``ents[i]`` (a drug in sentence ``[s0, s1)``) a prose intolerance,
    or None. The result always matches the ``allergy_type`` intolerance pattern."""
    found = prose_intolerance(text, ents, i, s0, s1)
    return found[0] if found else None


def halt_after(text: str, pos: int) -> int:
    """The length of a halt written right after a drug ending at ``pos`` ("/not using",
    " - discontinued", " was stopped"), 0 when there is none."""
    m = _PASSIVE_HALT.match(text[pos: pos + 80])  # anchored with ^: match the slice
    return m.end() if m else 0


def negated_only_by_its_halt(text: str, e: Entity) -> bool:
    """Whether every negation cue of ``e`` lies in the halt written right after it ("X/not
    using - redness", "X - no longer taking"): the drug is not taken any more, which an
    intolerance says too; it is no negated allergy."""
    if not e.assertion.negated:
        return False
    n = halt_after(text, e.end)
    if not n:
        return False
    cues = [c for c in e.assertion.cues if c.flag == "negated"]
    return bool(cues) and all(e.end <= c.start and c.end <= e.end + n for c in cues)


def _word_reaction(text: str, pos: int) -> Entity | None:
    """A SYMPTOM over the reaction word at ``pos`` (after spaces) that no mention covers, as
    the rules read it ("off X x 2 weeks too irritating" with "irritating" untagged)."""
    a = pos + _ws(text, pos)
    m = REACTION_WORD.match(text, a)
    if m is None:
        return None
    return Entity("SYMPTOM", a, m.end(), m.group(0), 0.5, source="allergy-prose")


def prose_intolerance(text: str, ents: Sequence[Entity], i: int, s0: int, s1: int) -> tuple[str, Entity | None] | None:
    """:func:`prose_intolerance_cue` and the reaction mention it read. When a reaction word
    that is no mention made it ("stopped timolol - fatigue" with "fatigue" untagged), the
    reaction is a new SYMPTOM over that word (``source="allergy-prose"``), not one of
    ``ents``: the relation stage adds it; None when there is no reaction word at all."""
    e = ents[i]
    if (e.assertion.negated and not negated_only_by_its_halt(text, e)) or e.assertion.hypothetical:
        return None
    before = text[max(s0, e.start - 60): e.start]
    after = text[e.end: s1]
    # "Topical CAI leads to corneal decomposition", "X made her dizzy"
    m = _EFFECT_VERB.match(after)
    if m and not _HYPOTHETICAL.search(before[-25:]) and not _NEGATION.search(text[max(s0, e.start - 12): e.start]):
        r = _reaction_after(text, ents, i, e.end + m.end(), s1, 40)
        if r is not None or REACTION_WORD.match(text, e.end + m.end() + _ws(text, e.end + m.end())):
            return "caused: " + m.group(0).strip(), r if r is not None else _word_reaction(text, e.end + m.end())
    # "Since starting on brimonidine has noticed lid crusting", "Started X - had palpitations"
    if _ONSET_BEFORE.search(before) and not _HYPOTHETICAL.search(before):
        m = _ONSET_REPORT.match(after)
        if m:
            r = _reaction_after(text, ents, i, e.end + m.end(), s1, 40)
            if r is not None:
                return "started: " + m.group(0).strip(), r
    # the reaction first: "had palpitations after starting latanoprost", "redness since starting X"
    onset = _ONSET_BEFORE.search(before)
    if onset is not None and _AFTER_REACTION.match(onset.group(0)) and not _HYPOTHETICAL.search(before):
        at = e.start - len(before) + onset.start()
        r = next((x for x in reversed(ents[:i]) if x.end <= at), None)
        # the reaction may stand across a run of spaces that text without case reads as a
        # field break ("HYPOTENSION     AFTER APRACLONIDINE"): only spaces between, no line end;
        # with case the break is the note's own ("• X Rash     After hibiclens shower")
        if (r is not None and (r.start >= s0 or (r.end <= s0 and is_caseless(text)
                                                 and not text[r.end:at].strip(" \t\u00a0")
                                                 and not _row_reaction(text, ents, r)))
                and r.label in _REACTION_SOURCES and _clean_reaction(r)
                and _REACTION_TO_ONSET.fullmatch(text, r.end, at)
                # "had side effects from timolol": the words of a cue name no reaction
                and not _NOT_A_REACTION.search(r.text)
                # a bare "after" / "from" asks for what a drug does to a patient
                and (not _BARE_ONSET.match(onset.group(0)) or _adverse(r))):
            return "started: " + onset.group(0).strip(), r
    # the finding first, the drug its agent: "blepharitis, sometimes exacerbated by Lumigan"
    agent = _BY_AGENT.search(before)
    if agent is not None and not _HYPOTHETICAL.search(before[: agent.start()][-25:] + " " + agent.group(0)):
        at = e.start - len(before) + agent.start()
        r = next((x for x in reversed(ents[:i]) if x.end <= at), None)
        if (r is not None and r.start >= max(s0, at - _AGENT_REACH) and r.label in _REACTION_SOURCES
                and _clean_reaction(r) and not _NEGATION.search(text, r.end, at)
                and not re.search(r"[.;:!?]", text[r.end:at])
                and not any(x.label in ("MEDICATION", "ALLERGEN") for x in ents[:i] if r.end <= x.start and x.end <= at)):
            return "caused: " + agent.group(0).strip(), r
    # the reaction right after the drug, the use after it: "Azopt blurred vision, burned when
    # instilled", "Lumigan redness on instillation"
    r = _reaction_after(text, ents, i, e.end, s1, 4)
    if (r is not None and re.fullmatch(r"[\s:,\-\u2013>]*", text[e.end:r.start]) and _adverse(r)
            and not _HYPOTHETICAL.search(before[-25:])):
        # the reactions of that use, tagged or not, up to the use: "blurred vision, burned and
        # ****** when instilled"
        # only the mentions near the drug: a whole-note index per drug would grow with the square
        by_start: dict[int, Entity] = {}
        for x in ents[i + 1:]:
            if x.start > r.end + 400:
                break
            if x.start >= r.end:
                by_start.setdefault(x.start, x)
        pos = r.end
        for _ in range(8):
            run_gap = _REACTION_RUN_GAP.match(text, pos)
            p2 = run_gap.end() if run_gap else pos
            m = _USE_AFTER.match(text, p2)
            if m:
                # a line wrapped inside the run is no sentence end ("burned and\n**** when instilled")
                stop = _RUN_STOP.search(text, r.end, m.end())
                if m.end() <= s1 or stop is None:
                    return "caused: " + m.group(0).strip(), r
                break
            near = by_start.get(p2)
            word = REACTION_WORD.match(text, p2)
            if near is not None and near.label in _REACTION_SOURCES and _clean_reaction(near):
                pos = near.end
            elif near is None and word is not None:
                pos = word.end()
            else:
                break
    # a bracket that holds the drug and what it did: "(brimonidine with itchiness and redness)"
    if re.search(r"[(\[]\s*$", before):
        m = re.match(r"(?i)\s+with\s+(?:(?:obvious|significant|some|severe|marked|mild|bad|much)\s+)?", after)
        close = text.find(")" if before.rstrip().endswith("(") else "]", e.end, s1 if s1 > e.end else len(text))
        if m and close != -1:
            r = _reaction_after(text, ents, i, e.end + m.end(), close, 4)
            if r is not None and r.end <= close and _adverse(r):
                return "caused: with", r
    prev = ents[i - 1] if i > 0 else None
    if (prev is not None and prev.start >= s0 and prev.label in _REACTION_SOURCES and _clean_reaction(prev)
            and _adverse(prev) and not _NOT_A_REACTION.search(prev.text)
            and not _HYPOTHETICAL.search(text[max(s0, prev.start - 25): prev.start])):
        # the finding "to" the drug: "contact dermatitis to latanoprost", "hives to amoxicillin"
        if (_TO_DRUG.fullmatch(text, prev.end, e.start) and not _ANSWER_TO.search(prev.text)
                and not _SWITCH_BEFORE.search(text, max(s0, prev.start - 40), prev.start)):
            return "caused: to", prev
        # the reaction with the drug, then the halt: "fatigue with timolol, so d/c'd"
        halted = _SO_HALTED.match(after)
        if _WITH_DRUG.fullmatch(text, prev.end, e.start) and halted is not None:
            return "stopped: " + halted.group(0).strip(), prev
    # "with prior Lisinopril felt sleepy", "while on timolol she felt tired"
    if _TAKING_BEFORE.search(before) and not _HYPOTHETICAL.search(before[-25:]):
        m = _FELT.match(after)
        if m:
            r = _reaction_after(text, ents, i, e.end + m.end(), s1, 12)
            if r is not None:
                return "caused: felt", r
    # "Stopped latanoprost - itching and irritation", "d/c'd timolol because it caused fatigue",
    # "timolol was stopped due to fatigue"
    passive = _PASSIVE_HALT.match(after)
    if passive is not None:
        before, after = before + " stopped ", after[passive.end():]
        shift = passive.end()
    else:
        shift = 0
    if _HALT_BEFORE.search(before):
        m = _HALT_REASON.match(after)
        if m:
            pos = e.end + shift + m.end()
            r = _reaction_after(text, ents, i, pos, s1, 25)
            # the halt itself may be a negation ("X/not using - redness"): only what follows it counts
            gap = text[e.end + shift: r.start] if r is not None else ""
            if r is not None and not _NEGATION.search(gap) and _adverse(r):
                return "stopped: " + m.group(0).strip(), r
            if r is None and REACTION_WORD.match(text, pos) and not _NEGATION.search(text[e.end + shift: pos]):
                return "stopped: " + m.group(0).strip(), _word_reaction(text, pos)
    return None


def _ws(text: str, pos: int) -> int:
    n = 0
    while pos + n < len(text) and text[pos + n].isspace():
        n += 1
    return n


# -- where an allergies field stops -------------------------------------------------------

# a sentence of the social history (Epic writes it right after the "Allergies:" field, with no
# header between): "She reports that she drinks alcohol.", "Pt  reports that he has never smoked."
_SENTENCE_START = re.compile(r"(?:(?<=[.!?;]\s)|(?<=\s\s)|(?<=\n)|(?<=\u2022\s))(?=[A-Za-z])")
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|\n|\s{2,}")
_SOCIAL_HISTORY = re.compile(
    r"(?<!\w)(?:smok\w*|tobacco|cigar\w*|vap(?:e|es|ing)|drinks?|drank|drinking|alcohol\s+(?:use|intake)|etoh|"
    r"(?:use[sd]?|using)\s+(?:drugs|marijuana|cannabis)|illicit|recreational\s+drugs?|packs?\s+(?:per|a)\s+day|"
    r"pack[\s-]+years?|married|lives\s+(?:with|alone|in|at)|retired|employed|occupation)(?!\w)",
    re.IGNORECASE,
)
# an Epic questionnaire item: "Steroid use? Yes", "Asthma/COPD? No", "Family history of glaucoma? No"
# also written as a field, "History of Flomax use: yes", "Tobacco: never"
# (not an allergy entry's own fields: "Severity: unknown", "Type: none", "Comment: none")
_QUESTIONNAIRE = re.compile(r"(?!(?:severity|criticality|type|onset|status|verified|verification|comments?|notes?|source|"
                            r"certainty|category|substance|allergen|agent)\s*:)[A-Za-z][\w/ '\-]{0,40}(?:\?|[ \t]*:)\s*(?:yes|no|never|none|unknown|n/a)(?!\w)"
                            # an answer ends its item: "Brimonidine - ?no effect" goes on in lower case
                            r"(?! (?-i:[a-z]))", re.IGNORECASE)
_ANSWER = re.compile(r"(?:\?|:)\s*(?:yes|no|never|none|unknown|n/a)(?!\w)(?! (?-i:[a-z]))", re.IGNORECASE)
# the examination after a flattened allergies field: "Ophthalmic Examination  VAsc ...",
# "Motility:  Ortho in primary gaze", "IOP: OD 12"
_EXAM = re.compile(
    r"(?<!\w)(?:(?:ophthalmic|eye|physical|slit[\s-]+lamp|external|fundus|dilated|neuro(?:logical)?)\s+exam(?:ination)?|"
    r"examination|visual\s+acuity|va\s*(?:sc|cc)|motility\s*:|pupils?\s*:|iop\s*:|cct\s*:|tonometry|"
    r"vital\s+signs|bp\s*:)(?!\w)",
    re.IGNORECASE,
)
_ALLERGY_TOPIC = re.compile(r"allerg|intoleran|sensitiv|reaction|anaphyla|tolerat", re.IGNORECASE)


def allergy_topic_end(text: str, start: int, end: int) -> int:
    """Where the allergy context ``[start, end)`` stops: at the first sentence of social
    history in it ("He reports that he drinks alcohol.", "Never smoker"), questionnaire
    item ("Steroid use? Yes") or examination ("Ophthalmic Examination  VAsc ...",
    "Motility: Ortho") that names no allergy or reaction, else ``end``."""
    if (not _SOCIAL_HISTORY.search(text, start, end) and not _ANSWER.search(text, start, end)
            and not _EXAM.search(text, start, end)):
        return end
    for m in _SENTENCE_START.finditer(text, start + 1, end):
        stop = _SENTENCE_STOP.search(text, m.start(), end)
        sentence_end = stop.start() if stop else end
        if not (_SOCIAL_HISTORY.search(text, m.start(), sentence_end)
                or _QUESTIONNAIRE.match(text, m.start(), min(end, m.start() + 60))
                or _EXAM.search(text, m.start(), sentence_end)):
            continue
        if _ALLERGY_TOPIC.search(text, m.start(), sentence_end) or REACTION_WORD.search(text, m.start(), sentence_end):
            continue
        return m.start()
    return end


# -- list entries the tagger missed -----------------------------------------------------

# entry separators inside an allergy field or table
_ENTRY_SPLIT = re.compile(r"\u2022|;|,|\n|\t|\s{2,}|(?<=\s)and\s+(?=[A-Za-z])|:\s+|\.\s+")
# words before the first substance of an entry: "is allergic to verapamil", "has sensitivity to X"
_ENTRY_PREFIX = re.compile(r"(?i)(?:(?:is|are|was|has|have)\s+)?(?:an?\s+)?(?:allergic|intolerant|sensitive|allerg(?:y|ies)|"
                           r"intoleran(?:ce|ces)|sensitivit(?:y|ies))\s+(?:to|of)\s+")
_HEAD_TOKEN = re.compile(r"[A-Za-z][\w\-']*")
_NKA_WORDS = re.compile(r"(?i)^(?:no|none|nka|nkda|not|patient|pt|unknown|other|clarification|comment|reviewed|allerg\w*|"
                        r"reactions?|allergen|noted|intolerances?|ineffective|medications?|glaucoma|avoid|severity|"
                        r"type|as|of|the|has|is|per|see|and|or|with)$")


def _is_drug(text: str, lookup: Callable[[str], bool] | None) -> bool:
    if DRUG_CLASS.fullmatch(text.strip()):
        return True
    return lookup is not None and lookup(text)


def _is_substance(text: str, lookup: Callable[[str], bool] | None) -> bool:
    """What an allergy entry's head may name: a drug (vocabulary or class) or a food or an
    environmental substance ("• Mango Unknown" in an allergy table; in prose "lactose
    intolerance" is a condition, so prose cues read drugs only)."""
    return _is_drug(text, lookup) or _SUBSTANCE.fullmatch(text.strip()) is not None


def entry_allergens(text: str, ents: Sequence[Entity], contexts: Sequence[tuple[int, int]],
                    lookup: Callable[[str], bool] | None) -> list[Entity]:
    """ALLERGEN mentions for allergy-list entries with no mention at their head.

    An entry is a piece of an allergy context between separators (bullets, ``;``, ``,``,
    line ends, runs of spaces, ``and``); its head is the longest run of its first 1-4 words
    that ``lookup`` (the drug vocabulary) knows or that names a drug class, contrast agent,
    vaccine or preservative (:data:`DRUG_CLASS`). ``A/B`` heads give two allergens. The
    entry must not already hold a drug mention at its head.
    """
    # a reaction mention at an entry's head does not block it: "• Contrast [Contrast Medium] Hives"
    # with "Contrast" read as a reaction; the caller drops the mentions the new ones cover
    taken = sorted((e.start, e.end) for e in ents if e.label not in _REACTION_SOURCES)
    found: list[Entity] = []

    def overlaps(s: int, t: int) -> bool:
        return any(a < t and s < b for a, b in taken) or any(x.start < t and s < x.end for x in found)

    # entries are cut in the layout view (runs of spaces, tabs and wrapped lines read as
    # the note's own layout: "prednisolone -\nsteroid responder" is one entry), their
    # heads read in the note
    view = layout_view(text)
    vt = view.text
    for lo, hi in contexts:
        vlo, vhi = (lo, hi) if view.identity else view.span_to_view(lo, hi)
        cuts = [vlo] + [p for m in _ENTRY_SPLIT.finditer(vt, vlo, vhi) for p in (m.start(), m.end())] + [vhi]
        for k in range(0, len(cuts) - 1, 2):
            a, b = cuts[k], cuts[k + 1]
            while a < b and not vt[a].isalnum():
                a += 1
            m = _ENTRY_PREFIX.match(vt, a, b)
            if m:
                a = m.end()
            if a >= b:
                continue
            if not view.identity:
                a, b = view.span_to_orig(a, b)
            for s, t in _entry_heads(text, a, b, lookup):
                if not overlaps(s, t):
                    found.append(Entity("ALLERGEN", s, t, text[s:t], 0.5, source="allergy-entry"))
    return found


_QUESTION = re.compile(r"(?:\s+[A-Za-z][\w\-]*){0,2}\s*\?")


# "Timolol/Cosopt": a second drug after a slash; both names of a slash pair
_SLASH_NEXT = re.compile(r"/\s*([A-Za-z][\w\-]*)")
_SLASH_PAIR = re.compile(r"([A-Za-z][\w\-]*)\s*/\s*([A-Za-z][\w\-]*)")


def _word_run(text: str, a: int, limit: int) -> list[tuple[int, int]]:
    """Up to 4 words starting exactly at ``a`` (before ``limit``) that follow one another with
    spaces only, not across a dash or bracket; empty when no word starts at ``a``."""
    toks = [(m.start(), m.end()) for m in _HEAD_TOKEN.finditer(text, a, limit)][:4]
    if not toks or toks[0][0] != a:
        return []
    run = [toks[0]]
    for s, t in toks[1:]:
        if text[run[-1][1]:s].strip():
            break
        run.append((s, t))
    return run


def _entry_heads(text: str, a: int, b: int, lookup: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    run = _word_run(text, a, min(b, a + 80))
    if not run or _NKA_WORDS.match(text[run[0][0]:run[0][1]]):
        return []
    for n in range(len(run), 0, -1):
        s, t = run[0][0], run[n - 1][1]
        piece = text[s:t]
        if "/" in piece:
            continue
        if len(piece) >= 3 and _is_substance(piece, lookup):
            if _QUESTION.match(text, t, b):  # a questionnaire item: "Steroid use? Yes"
                return []
            heads = [(s, t)]
            # "Timolol/Cosopt": the second drug after a slash
            m = _SLASH_NEXT.match(text, t)
            if m and _is_drug(m.group(1), lookup):
                heads.append((m.start(1), m.end(1)))
            return heads
    # "Timolol/Cosopt" written as one token run
    m = _SLASH_PAIR.match(text, a)
    if m and _is_drug(m.group(1), lookup) and _is_drug(m.group(2), lookup):
        return [(m.start(1), m.end(1)), (m.start(2), m.end(2))]
    return []


# -- A/B -------------------------------------------------------------------------------

_SLASH = re.compile(r"^([A-Za-z][\w\-]*)\s*/\s*([A-Za-z][\w\-]*)$")


def split_slash_allergens(text: str, ents: list[Entity], inside: Callable[[int, int], bool],
                          lookup: Callable[[str], bool] | None) -> list[Entity]:
    """``Timolol/Cosopt`` (one ALLERGEN or MEDICATION mention in an allergy context) as two
    mentions of the same label, when each side is a drug on its own and the whole is not."""
    out: list[Entity] = []
    for e in ents:
        m = _SLASH.match(e.text) if e.label in ("ALLERGEN", "MEDICATION") and "/" in e.text else None
        if (m and inside(e.start, e.end) and _is_drug(m.group(1), lookup) and _is_drug(m.group(2), lookup)
                and not (lookup is not None and lookup(e.text))):
            for g in (1, 2):
                s, t = e.start + m.start(g), e.start + m.end(g)
                out.append(dataclasses.replace(e, start=s, end=t, text=text[s:t], attributes=()))
        else:
            out.append(e)
    return out


# -- reactions written in pieces ----------------------------------------------------------

# what may join two pieces of one reaction: "blurs vision", "unsteady on feet", "tingling in face"
_PIECE_GAP = re.compile(r"^ (?:(?:on|in|of|around)\s)?$", re.IGNORECASE)
# Epic's joined term: one SNOMED concept (16932000 Nausea and vomiting)
_NAUSEA_VOMITING = re.compile(r"(?i)^nausea\s*(?:(?<=\s)(?:and|&)\s+|[/&]\s*)vomiting$")


def merge_reaction_pieces(text: str, ents: list[Entity], inside: Callable[[int, int], bool]) -> list[Entity]:
    """Adjacent reaction mentions of one reaction, inside an allergy context, as one:
    Epic's ``Nausea and Vomiting`` (also written ``Nausea/Vomiting``), and pieces joined by one space or a preposition
    (``blurs vision``, ``unsteady on feet``). A comma, slash, dash or ``and`` elsewhere
    keeps two reactions."""
    out: list[Entity] = []
    for e in ents:
        p = out[-1] if out else None
        if (p is not None and p.label in _REACTION_SOURCES and e.label in _REACTION_SOURCES and e.start < p.end
                and inside(p.start, max(p.end, e.end))):
            # one reaction read twice ("Nausea" inside "Nausea and Vomiting"): the longer one
            if e.end - e.start > p.end - p.start:
                out[-1] = e
            continue
        if (p is not None and p.label in _REACTION_SOURCES and e.label in _REACTION_SOURCES and p.end <= e.start
                and p.assertion.negated == e.assertion.negated and inside(p.start, e.end)):
            gap = text[p.end:e.start]
            joined = text[p.start:e.end]
            if _PIECE_GAP.match(gap) or _NAUSEA_VOMITING.match(joined):
                label = "REACTION" if "REACTION" in (p.label, e.label) else p.label
                out[-1] = dataclasses.replace(p, label=label, end=e.end, text=joined, codes=(), attributes=(),
                                              source=(p.source + "+joined").lstrip("+"))
                continue
        out.append(e)
    return out


# -- untagged drugs of a prose intolerance ---------------------------------------------------

_EFFECT_AT = re.compile(
    r"(?<=[A-Za-z])\s+(?=(?:has\s+|had\s+)?(?:(?:leads?|led|leading)\s+to|(?:results?|resulted)\s+in|triggered|triggers|"
    r"induced|induces|provoked|caused|causes"
    # "travatan Z intolerance due to hyperemia", "timolol allergy"
    r"|intoleran(?:t|ce)|allerg(?:y|ies|ic\s+reaction)"
    # the passive halt with its reason: "Timolol was stopped due to fatigue", "timolol d/c 2/2 fatigue"
    r"|(?:(?:was|were|has\s+been|had\s+been|got)\s+)?(?:stopped|discontinued|d/c'?d|d/c|dc'd)\s+"
    r"(?:due\s+to|because|secondary\s+to|2/2|s/t))(?!\w)"
    # the drug as the subject of a reaction word: "combigan is irritating"
    r"|(?:is|was|are|were)\s+(?:(?:very|too|so|really|quite|a\s+bit|somewhat|more)\s+)?(?=" + _REACTION_ADJ + r"))"
    # the postfix halt after a slash or dash: "Combigan/not using - eye irritation"
    r"|(?<=[A-Za-z])\s*(?=[-\u2013\u2014/]\s*(?:(?:is|was)\s+)?(?:not|no\s+longer)\s+(?:using|taking)(?!\w))",
    re.IGNORECASE,
)


_ALLERGY_NOUN = re.compile(r"(?i)intoleran|allerg")
_RISK_AFTER = re.compile(r"(?i)\w*\s+(?:risk|precautions?|testing|test|work-?up|screen\w*)\b")


def allergy_risk_after(text: str, pos: int) -> bool:
    """Whether an allergy noun ending at ``pos`` is a risk or a test, not an allergy the
    patient has ("latanoprost allergy risk", "penicillin allergy testing")."""
    return _RISK_AFTER.match(text, pos) is not None


def _unasserted(text: str, start: int, cue: int) -> bool:
    """A drug's allergy or intolerance noun that asserts nothing: negated or hypothetical in
    the words before the drug on its line ("No timolol allergy", "if latanoprost
    intolerance"), or a risk or test after it ("latanoprost allergy risk")."""
    lo = max(0, start - 30, text.rfind("\n", 0, start) + 1)
    before = re.split(r"[.;:!?]", text[lo:start])[-1]
    return bool(_NEGATION.search(before) or _HYPOTHETICAL.search(before) or allergy_risk_after(text, cue))


_FORMULATION = re.compile(r"Z|PF|XR|ER|SR|XL|LA|CR|DS|ODT|SA|HS|EC")


def untagged_effect_drugs(text: str, ents: Sequence[Entity], lookup: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    """Spans of drug names (vocabulary or :data:`DRUG_CLASS`) right before an effect verb
    ("Topical CAI leads to corneal decomposition") that no mention covers; the caller keeps
    those :func:`prose_intolerance_cue` confirms."""
    out: list[tuple[int, int]] = []
    for m in _EFFECT_AT.finditer(text):
        end = m.start()
        if any(e.start < end and end <= e.end for e in ents):
            continue
        toks = [t for t in _HEAD_TOKEN.finditer(text, max(0, end - 40), end)]
        toks = [t for t in toks if t.end() <= end]
        for n in range(min(3, len(toks)), 0, -1):
            run = toks[-n:]
            if any(text[a.end():b.start()].strip() for a, b in zip(run, run[1:])) or run[-1].end() != end:
                continue
            s0 = run[0].start()
            if s0 > 0 and (text[s0 - 1].isalnum() or text[s0 - 1] in "-'"):
                continue
            piece = text[s0:end]
            # a brand's formulation letters after its name: "Travatan Z", "Combigan PF", "Toprol XL"
            name = piece[: run[-1].start() - s0].rstrip() if n > 1 and _FORMULATION.fullmatch(run[-1].group()) else piece
            if len(name) >= 3 and _is_drug(name, lookup) and not any(e.start < end and s0 < e.end for e in ents):
                if _ALLERGY_NOUN.match(text, m.end()) and _unasserted(text, s0, m.end()):
                    break  # "No timolol allergy", "discussed latanoprost allergy risk"
                out.append((s0, end))
                break
    return out


def untagged_reaction_to_drugs(text: str, ents: Sequence[Entity],
                               lookup: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    """Spans of drug names (vocabulary or :data:`DRUG_CLASS`) that no mention covers right
    after a reaction and ``to`` ("contact dermatitis to latanoprost"); the caller keeps those
    :func:`prose_intolerance_cue` confirms."""
    out: list[tuple[int, int]] = []
    starts = [e.start for e in ents]
    for r in ents:
        if r.label not in _REACTION_SOURCES:
            continue
        m = _TO_DRUG.match(text, r.end)
        if m is None or _ANSWER_TO.search(r.text):
            continue
        a = m.end()
        k = bisect.bisect_right(starts, a) - 1
        if (k >= 0 and ents[k].start <= a < ents[k].end) or (k + 1 < len(ents) and ents[k + 1].start == a):
            continue
        run = _word_run(text, a, min(len(text), a + 60))
        for n in range(len(run), 0, -1):
            t0 = run[n - 1][1]
            if t0 - a >= 3 and _is_drug(text[a:t0], lookup) and not any(e.start < t0 and a < e.end for e in ents):
                out.append((a, t0))
                break
    return out


_ITEM_LEAD = re.compile(r"[ \t\u00a0]*(?:(?:the|her|his|their|any|both|all)[ \t\u00a0]+)?")
_ITEM_SEP = re.compile(r"[ \t\u00a0]*(?:,|;|/|&|(?<!\w)(?:and|or)(?!\w))[ \t\u00a0]*(?:(?:and|or)[ \t\u00a0]+)?",
                       re.IGNORECASE)


def untagged_cue_drugs(text: str, ents: Sequence[Entity], lookup: Callable[[str], bool] | None,
                       cue: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of drug names (vocabulary or :data:`DRUG_CLASS`) that no mention covers in the
    list right after a prose allergy cue ("had problems in past with Alphagan, Trusopt and
    Betagan", "poorly tolerates prostaglandins"), walking over the list's tagged and untagged
    items; none after a negated or hypothetical cue ("denies allergies to X", "if allergic to
    X"). The caller keeps those the cue confirms."""
    out: list[tuple[int, int]] = []
    starts = sorted((e.start, e.end) for e in ents)
    for m in cue.finditer(text):
        line = max(0, m.start() - 40, text.rfind("\n", 0, m.start()) + 1)
        before = re.split(r"[.;:!?]", text[line:m.start()])[-1]
        if _NEGATION.search(before) or _HYPOTHETICAL.search(before):
            continue
        pos = m.end()
        for _ in range(8):
            lead = _ITEM_LEAD.match(text, pos)
            a = lead.end() if lead else pos
            k = bisect.bisect_right(starts, (a, len(text) + 1)) - 1
            end: int | None = None
            if k >= 0 and starts[k][0] <= a < starts[k][1] or (k + 1 < len(starts) and starts[k + 1][0] == a):
                end = starts[k][1] if k >= 0 and starts[k][0] <= a < starts[k][1] else starts[k + 1][1]
            else:
                run = _word_run(text, a, min(len(text), a + 60))
                mask = re.match(r"\*{2,}", text[a: a + 40])
                if not run and mask is not None:
                    # a masked brand with its generic in brackets: "and ******** [demecarium bromide]"
                    groups = name_bracket_groups(text, a + mask.end())
                    inner = re.split(r"[(\[]", text[groups[0][0] + 1: groups[0][1] - 1])[0].strip() if groups else ""
                    if inner and _is_drug(inner, lookup):
                        end = groups[-1][1]
                        out.append((a, end))
                        sep = _ITEM_SEP.match(text, end)
                        if sep is None or sep.end() == end:
                            break
                        pos = sep.end()
                        continue
                if not run:
                    break
                for n in range(len(run), 0, -1):
                    s0, t0 = run[0][0], run[n - 1][1]
                    if t0 - s0 >= 3 and _is_drug(text[s0:t0], lookup):
                        end = t0
                        break
                if end is None:
                    break
                out.append((a, end))
            sep = _ITEM_SEP.match(text, end)
            if sep is None or sep.end() == end:
                break
            pos = sep.end()
    return out


def table_row_findings(text: str, ents: list[Entity], rows: Callable[[int], tuple[int, int] | None],
                       lookup: Callable[[str], bool]) -> list[Entity]:
    """In an Epic allergy table a row names one substance, then its reactions: a later
    ALLERGEN of the row that the vocabulary does not know as a drug ("• Nitrous Oxide Angina",
    "• Hydrochlorothiazide Unknown  Low sodium") is a finding (SYMPTOM), so it links as the
    row's reaction. ``rows(pos)``: the table row holding ``pos``, or None outside a table."""
    out = list(ents)
    first: dict[tuple[int, int], int] = {}
    for i, e in enumerate(out):
        if e.label != "ALLERGEN":
            continue
        row = rows(e.start)
        if row is None:
            continue
        if row not in first:
            first[row] = i
            continue
        head = out[first[row]]
        gap = text[head.end:e.start]
        if re.search(r"[\[(/,]", gap) or lookup(e.text) or not any(c.isalpha() for c in e.text):
            continue  # a bracketed synonym, "A/B", "A, B" or a drug: not a reaction
        out[i] = dataclasses.replace(e, label="SYMPTOM")
    return out


# -- bracketed names after an allergen -----------------------------------------------------

# up to two words or masked tokens between a name and its brackets: "Lactose intolerance
# [lactase]", "cats **** [cat's **** (uncaria tomentosa)]", "Contrast *** [Contrast Medium]"
_NAME_LEAD = re.compile(r"(?:" + HSPACE + r"+(?:[A-Za-z][\w'\-]*|\*+)){0,2}" + HSPACE + r"*(?=[\[(])")
_CLOSE = {"[": "]", "(": ")"}
# a bracket that lists things is no second name: "(also sulfa and codeine)"
_LIST_IN_BRACKET = re.compile(r"[,;]|(?<!\w)(?:and|or|also|plus|with)(?!\w)", re.IGNORECASE)


def _bracket_end(text: str, pos: int, limit: int = 80) -> int | None:
    """The end (after the closing bracket) of the balanced bracket group opening at ``pos``,
    or None when it does not close on the same line within ``limit`` characters."""
    stack: list[str] = []
    for k in range(pos, min(len(text), pos + limit)):
        c = text[k]
        if c in "\n\u2022":
            return None
        if c in _CLOSE:
            stack.append(_CLOSE[c])
        elif c in ")]":
            if not stack or stack.pop() != c:
                return None
            if not stack:
                return k + 1
    return None


def name_bracket_groups(text: str, name_end: int) -> list[tuple[int, int]]:
    """The bracket groups that follow a name ending at ``name_end`` and read as more names
    of the same substance: Epic's ``Travatan [travoprost (benzalkonium)]``, ``Auralgan (W/
    Acetic Acid) [Acetic Ac-...]``, ``cats **** [cat's **** (uncaria tomentosa)]`` (balanced,
    nested, one after the other, up to two words or masks before the first). A group that
    lists things (commas, "and", "also") ends the run."""
    m = _NAME_LEAD.match(text, name_end)
    if m is None:
        return []
    groups: list[tuple[int, int]] = []
    pos = m.end()
    while pos < len(text) and text[pos] in _CLOSE:
        end = _bracket_end(text, pos)
        if end is None or _LIST_IN_BRACKET.search(text, pos, end):
            break
        groups.append((pos, end))
        pos = end
        while pos < len(text) and text[pos].isspace() and text[pos] not in "\r\n":
            pos += 1
    return groups


# -- a table row's substance with its reaction tagged into it --------------------------------

_NOT_A_REACTION = re.compile(r"(?i)allerg|intoleran|reaction|\brxns?\b|\badrs?\b|adverse|sensitiv|side[\s-]+effect|unknown")


def split_row_allergens(text: str, ents: list[Entity], rows: Callable[[int], tuple[int, int] | None],
                        lookup: Callable[[str], bool], finding: Callable[[str], bool]) -> list[Entity]:
    """In an Epic allergy table the reaction column follows the substance after one space, and
    a tagger may read both as one ALLERGEN ("• Phenobarbital Delirium"): when the span's first
    words are a drug of the vocabulary and the rest a finding (``finding``: a SYMPTOM /
    PROBLEM term, never a drug), the rest becomes a SYMPTOM so it links as the row's
    reaction. Names with a salt or a letter ("Codeine Sulfate", "Penicillin G") and
    bracketed names are left alone."""
    out: list[Entity] = []
    for e in ents:
        if e.label != "ALLERGEN" or rows(e.start) is None or any(c in e.text for c in "[]()/") or lookup(e.text):
            out.append(e)
            continue
        words = list(re.finditer(r"\S+", e.text))
        split = None
        for k in range(len(words) - 1, 0, -1):
            head = e.text[: words[k - 1].end()]
            tail = e.text[words[k].start():]
            if _NOT_A_REACTION.search(tail) or lookup(tail):
                continue
            if (lookup(head) or _SUBSTANCE.fullmatch(head)) and finding(tail):
                split = (words[k - 1].end(), words[k].start())
                break
        if split is None:
            out.append(e)
            continue
        h_end, t_start = e.start + split[0], e.start + split[1]
        out.append(dataclasses.replace(e, end=h_end, text=text[e.start:h_end], codes=()))
        out.append(dataclasses.replace(e, label="SYMPTOM", start=t_start, text=text[t_start:e.end], codes=(),
                                       source="allergy-row"))
    return sorted(out, key=lambda x: (x.start, x.end))


# -- reactions after a dash in an allergy field ------------------------------------------------

# "X - r", "X -r", "X -> r", "X (*****) -> r", "X: r"
_ENTRY_DASH = re.compile(r"[ \t]*(?:\([^()\n]{0,20}\)[ \t]*)?(?:-+>?|\u2013|\u2014|:)[ \t]*")
# the gap before the row's reaction column: one space as Epic prints it (a run when the
# spacing changed; the comment column's words are read only when they start with a reaction)
_ROW_COLUMN = re.compile(r"[ \t]+(?=[A-Za-z])")
_PIECE_SEP = re.compile(r"[ \t]*(?:[,;/&]|(?<!\w)(?:and|or)(?!\w)|[ \t]{2,}|\n)[ \t]*", re.IGNORECASE)
_DEGREE = re.compile(r"(?:(?:mild|moderate|severe|very|extreme|some|slight)(?:ly)?\s+)+", re.IGNORECASE)
# an allergy word is no manifestation: "Alphagan - Intolerant", "Many drug sensitivities"
_ALLERGY_ONLY = re.compile(r"(?:many\s+)?(?:drug\s+)?(?:allerg\w*|intoleran\w*|sensitivit\w*|reactions?|side[\s-]+effects?)",
                           re.IGNORECASE)


def dash_entry_reactions(text: str, ents: list[Entity], fields: Sequence[tuple[int, int]],
                         lookup: Callable[[str], bool] | None, reaction: Callable[[str], bool] | None = None,
                         rows: Callable[[int], tuple[int, int] | None] | None = None) -> list[Entity]:
    """In an allergy field (``fields``: allergies sections), the words after ``<allergen> -``
    up to the next allergen are its reactions (``Timolol/Cosopt - fatigue, depression``,
    ``Timolol -breathing issues``, ``Cosopt (*****) -> blisters on the eye``), and in an
    Epic table row (``rows(pos)``: the row holding ``pos``, None elsewhere) the words after
    the substance and one space (``• Latex Airway Constriction``): each piece
    (split on ``,`` ``/`` ``&`` ``and`` and field breaks) that no mention covers and whose
    first words are a reaction (:data:`REACTION_WORD`, or ``reaction``: a SYMPTOM / REACTION
    term of the vocabulary; a degree word before it is skipped) becomes a SYMPTOM. A word the
    tagger called ALLERGEN right before a reaction mention there, that is no drug, joins it
    (``retinal`` + ``light flashes``). "no effect", "ineffective", allergy words and
    conditions (a contraindication such as ``ESRD``) add nothing. Read in the text's
    :func:`~ehrnlp.textnorm.layout_view`, so runs of spaces and tabs change nothing."""
    out = sorted(ents, key=lambda e: (e.start, e.end))
    view = layout_view(text)
    vt = view.text
    vs = [view.span_to_view(e.start, e.end) for e in out]
    vfields = [view.span_to_view(a, b) for a, b in fields]
    added: list[Entity] = []
    drop: set[int] = set()
    for i, a in enumerate(out):
        a0, a1 = vs[i]
        field = next(((s, t) for s, t in vfields if s <= a0 and a1 <= t), None)
        if a.label != "ALLERGEN" or field is None:
            continue
        m = _ENTRY_DASH.match(vt, a1)
        if m is None and rows is not None and rows(a.start) is not None:
            # an Epic table row: the reaction column follows the substance after one space
            m = _ROW_COLUMN.match(vt, a1)
        if m is None or (m.end() < len(vt) and vt[m.end()].isdigit()):
            continue
        nxt = next((j for j in range(i + 1, len(out)) if vs[j][0] >= m.end() and out[j].label == "ALLERGEN"
                    and (lookup is None or lookup(out[j].text) or DRUG_CLASS.fullmatch(out[j].text))), None)
        limit = min(field[1], a1 + 120, vs[nxt][0] if nxt is not None else len(vt))
        nl = vt.find("\n", m.end(), limit)
        limit = nl if nl != -1 else limit
        pos = m.end()
        for sep in [*_PIECE_SEP.finditer(vt, pos, limit), None]:
            p0, p1 = pos, (sep.start() if sep is not None else limit)
            pos = sep.end() if sep is not None else limit
            if p1 <= p0 or not any(c.isalpha() for c in vt[p0:p1]) or "*" in vt[p0:p1]:
                continue
            covering = sorted((j for j in range(len(out)) if vs[j][0] < p1 and p0 < vs[j][1] and j != i),
                              key=lambda j: vs[j][0])
            if covering:
                # "retinal light flashes": a non-drug ALLERGEN right before the piece's reaction
                if (len(covering) == 2 and out[covering[0]].label == "ALLERGEN"
                        and out[covering[1]].label in _REACTION_SOURCES and vs[covering[0]][0] == p0
                        and vt[vs[covering[0]][1]:vs[covering[1]][0]] == " "
                        and not (lookup is not None and lookup(out[covering[0]].text))
                        and not DRUG_CLASS.fullmatch(out[covering[0]].text)):
                    x, y = out[covering[0]], out[covering[1]]
                    drop.update(covering)
                    added.append(dataclasses.replace(y, start=x.start, text=text[x.start:y.end], codes=()))
                continue
            d = _DEGREE.match(vt, p0, p1)
            q0 = d.end() if d else p0
            words = list(re.finditer(r"[A-Za-z][\w'\-]*", vt[q0:p1]))
            for n in range(min(4, len(words)), 0, -1):
                s0, t0 = q0 + words[0].start(), q0 + words[n - 1].end()
                piece = vt[s0:t0]
                if _ALLERGY_ONLY.fullmatch(piece):
                    break
                if REACTION_WORD.fullmatch(piece) or (reaction is not None and reaction(piece)):
                    os_, ot = view.span_to_orig(s0, t0)
                    added.append(Entity("SYMPTOM", os_, ot, text[os_:ot], 0.5, section=a.section, source="allergy-entry"))
                    break
    if not added:
        return out
    keep = [e for j, e in enumerate(out) if j not in drop]
    return sorted([*keep, *added], key=lambda e: (e.start, e.end))
