"""The organisations a note ties to its patient or a relative: an employer, a school, a daycare (twentieth session,
the canary's ``workplace`` kind).

HIPAA's Safe Harbor removes "the following identifiers of the individual or of relatives, employers, or household
members of the individual", and the i2b2 de-identification guidelines annotate such names as ORGANIZATION (under
LOCATION). Until now only the transformer read them, and only when it guessed a place: ``Employer: Acme Tool & Die``,
``works at summit print shop as a mechanic``, ``retired from Tollgate Hardware`` stayed in clear. Three readings:

- ``org_label``: the value of a field that names an employer or a school (``Employer:``, ``Place of employment:``,
  ``School:``, ``EMPLOYER |``, a tab after the label, the value on the next line), each comma-separated item of it
  that is not a status (``retired``, ``unemployed``, ``full time``, ``none``, ``n/a``); a ``Work:`` / ``Job:`` /
  ``Occupation:`` field's value only where it reads as an organisation (below), and an occupation's ``... at X``;
- ``org_cue``: an organisation after a verb of work or school and a preposition (``works at``, ``employed by``,
  ``retired from``, ``a forklift operator at``, ``works night shift at the``, ``attends``, ``a sophomore at``, ``daycare
  at``, ``teaches at``, ``a work note for``, ``back to school at``);
- ``org_school``: a capitalised name before a school's word with no cue at all (``Pinecrest Elementary``, ``Marlow
  Ridge High School``, ``St. Brendan's Academy``) in a note of mixed case.

An organisation reads as one of two shapes: one to five capitalised words (``Kessler & Sons``, ``Blue Heron Dental``,
``University of Toledo``) in a line of mixed case, or, in any case, one to three words of its own before an
organisation's word (``summit print shop``, ``BRACKWATER LOGISTICS``, ``gwynorra's construction``: :data:`ORG_TAILS`,
trades, company suffixes and schools). Words that name no one are not enough: ``works at home``, ``works at a local
bakery``, ``works for the county``, ``retired from the Army``, ``worked with PT``, ``his father's farm``.

No Presidio import: :data:`ORGANIZATION_PATTERNS` is a tuple of :class:`~ehrnlp.deid.patterns.PhiPattern` that
:func:`ehrnlp.deid.recognizers.pattern_recognizers` adds to the clinical patterns (label ``LOCATION``).
"""

from __future__ import annotations

import re

from .patterns import PhiPattern

__all__ = ["ORGANIZATION_PATTERNS", "ORG_TAILS"]

#: an organisation's last word(s): company suffixes, trades and shops, institutions, schools (any case)
ORG_TAILS = (
    r"inc\.?|llc|l\.l\.c\.|ltd\.?|corp\.?|corporation|co\.|company|companies|group|holdings|enterprises?|industries|"
    r"partners|services|solutions|systems|technologies|associates|agency|&\s+sons|and\s+sons|brothers|bros\.?|"
    r"logistics|freight|trucking|transport|transportation|shipping|moving|movers|couriers?|airlines?|"
    r"hardware|lumber|roofing|plumbing(?:\s+&\s+heating)?|heating|electric|electrical|construction|contractors?|builders|"
    r"landscaping|lawn\s+care|paving|excavating|masonry|painting|flooring|cabinets|welding|"
    r"packaging|manufacturing|machine\s+works|ironworks|steel|foundry|tool\s+&\s+die|plastics|textiles|mills?|plant|factory|"
    r"print\s+shop|printing|auto\s+body|motors|auto(?:motive)?|garage|tire|towing|car\s+wash|"
    r"foods?|farms?|dairy|orchards?|ranch|vineyards?|winery|brewery|bakery|diner|caf[eé]|restaurant|grill|bistro|pizzeria|"
    r"tavern|pub|deli|catering|market|grocery|supermarket|foods\s+market|"
    r"store|stores|shop|outlet|boutique|salon|spa|barbershop|(?:pet\s+)?grooming|kennels?|"
    r"insurance(?:\s+agency)?|bank|credit\s+union|realty|real\s+estate|law\s+firm|law\s+office|accounting|"
    r"dental(?:\s+group|\s+office|\s+care)?|veterinary(?:\s+clinic|\s+hospital)?|animal\s+hospital|"
    r"marine(?:\s+supply)?|supply|supplies|distribution(?:\s+center)?|warehouse|fulfillment\s+center|depot|"
    r"hotel|inn|motel|resort|casino|lodge|country\s+club|golf\s+club|fitness|gym|studio|theat(?:er|re)|"
    r"elementary(?:\s+school)?|middle\s+school|junior\s+high(?:\s+school)?|high\s+school|day\s+school|prep(?:aratory)?\s+school|"
    r"school\s+district|academy|montessori|preschool|pre-school|daycare|day\s+care|child\s+care|learning\s+center|"
    r"community\s+college|technical\s+college|college|university|seminary"
)
#: capitalised words that open a sentence before a school's name and are no part of it ("Attends Lincoln Elementary")
_NOT_BEFORE_SCHOOL = (r"(?i:attends|attending|attended|enrolled|graduated|completed|finished|left|quit|some|at|to|from|in|the|"
                      r"his|her|their|a|an|and|or|of|home|back|goes|went|started|starts|teaches|taught|per|via|by|with|see)")
#: the school words that name an organisation with no cue before them (``Pinecrest Elementary``)
_SCHOOL_TAILS = (r"Elementary(?:\s+School)?|Middle\s+School|Junior\s+High(?:\s+School)?|High\s+School|Day\s+School|"
                 r"Prep(?:aratory)?\s+School|Academy|Montessori|Preschool|Learning\s+Center|Community\s+College")
#: words that name no one where an organisation's own words stand: determiners, pronouns, relatives, generic
#: descriptions, the military and public employers, times and places of work
_NOT_OWN = frozenset("""
a an the his her their its my our your this that these those same other another each every any some several
local nearby large family own home house night nights day days weekends weekend present moment
time times part full home-based online remote county city state federal town village government public private
district local area regional national international community main central general
army navy military marines marine air force corps guard national-guard coast service services reserves va
father father's mother mother's dad dad's mom mom's husband husband's wife wife's son son's daughter daughter's
brother brother's sister sister's uncle uncle's aunt aunt's parents parents' parent's friend friend's cousin cousin's
grandfather grandmother family's boss boss's neighbor neighbor's neighbour neighbour's employer employer's
a.m p.m am pm noon christmas easter thanksgiving monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
medical health hospital clinic care nursing surgical dental office desk front lab laboratory pharmacy unit floor
american national royal european british canadian world global united
primary secondary tertiary supplemental supplementary commercial private medical dental vision health group employer
life auto home liability disability accident travel pet long-term short-term
attends attending attended completed graduated finished enrolled some no per via by with from see
physician physicians surgeon provider staff resident fellow attending signature note notes report service team
icu ed er or pt ot st pcp ob gi ent snf ltac rehab dr dr. mr mr. mrs mrs. ms ms. doctor nurse
school work job shift class classes grade college university
""".split())
#: statuses a field's value may hold instead of an organisation
_STATUS_RX = (
    r"(?:n/?a|none|nil|unknown|unk|denies|no|yes|-+|retired|unemployed|disabled|(?:on[ ])?disability|self[- ]?employed|self|"
    r"not[ ](?:employed|working|applicable|in[ ]school)|homemaker|housewife|stay[- ]at[- ]home(?:[ ](?:mom|dad|parent))?|"
    r"student|home[- ]?school(?:ed)?|(?:employed[ ])?(?:full|part)[- ]time|employed|working|currently[ ]\w+|"
    r"\d+(?:st|nd|rd|th)[ ]grade|kindergarten|pre-?k|grade[ ]\d+|on[ ]leave|leave[ ]of[ ]absence|seasonal|"
    r"fmla|light[ ]duty|(?:off|out)[ ](?:of[ ])?work)"
)
_STATUS = re.compile(rf"(?i){_STATUS_RX}")
_TAIL_END = re.compile(rf"(?i)(?:^|\s)(?:{ORG_TAILS})$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|&")
#: a capitalised word of an organisation's name (a word, an initial, an acronym, a number word such as ``3M``)
_CAPW = r"(?:[A-Z][a-z]{0,2}\.(?=[ ][A-Z])|[A-Z][\w'’-]*(?<![-'’])|[0-9][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)"
_CAPRUN = rf"{_CAPW}(?:(?:[ ]+|[ ]+(?:&|and|of|the|on|de|la|du|for)[ ]+){_CAPW}){{0,5}}"
#: a gap between two words of a sentence: a run of blanks or a hard wrap
_G = r"(?:[ ]+|[ \t]*\r?\n[ \t]*)"
#: an organisation in any case: 1-3 words of its own, then an organisation's word
_OWNW = r"[^\W\d_][\w'’-]*(?<![-'’])"
_TAILRUN = rf"(?:{_OWNW}(?:{_G}|{_G}&{_G})){{1,3}}(?i:{ORG_TAILS})(?:{_G}(?i:{ORG_TAILS}))?(?![\w-])"
_ORG = rf"(?P<o>{_TAILRUN}|{_CAPRUN})"
#: verbs and nouns of work or school before a preposition and the organisation (a few words may come between:
#: "works night shift at", "employed full time by", "is a forklift operator at")
_WORK_CUE = (r"works?|working|worked|employed|employment|employee|retired|retiring|teaches|teaching|taught|volunteers?|"
             r"volunteering|volunteered|interns?|interning|hired|laid[ ]off|fired")
_SCHOOL_CUE = (r"attends|attended|enrolled[ ]at|student[ ]at|freshman[ ]at|sophomore[ ]at|junior[ ]at|"
               r"senior[ ]at|grade[ ]at|grader[ ]at|kindergarten[ ]at|daycare[ ]at|day[ ]care[ ]at|preschool[ ]at|"
               r"back[ ]to[ ]school[ ]at|teacher[ ]at|coach[ ]at|principal[ ]at")
#: cues that name a place of work or school only with an organisation's word after them
_WEAK_CUE = (r"goes[ ]to|going[ ]to|went[ ]to|home[ ]from|absent[ ]from|off[ ]from|back[ ]to(?:[ ]work)?(?:[ ]at)?|"
             r"(?:work|school|doctor'?s|excuse)[ ](?:note|letter|excuse|form)[ ]for|letter[ ]for|note[ ]for|"
             r"since|owns|owned|co-owns|runs|ran|manages|managed|started|founded|quit|left|joined")
#: a word of an organisation read in any case, and the words that end one ("works at costco as a cashier")
_ANYW = r"[^\W\d_][\w'’&-]*(?<![-'’])"
_ORG_STOP = (r"(?i:as|for|since|and|with|in|on|until|from|where|who|which|when|but|or|to|x|times|because|"
             r"part|full|nights?|days?|weekends?|years?|months?|weeks?|now|currently|then|before|after|while|"
             r"is|was|has|had|does|did|he|she|they|his|her|their|no|not)")
_SEP_FIELD = r"[ \t]*(?:[:|=\t]|-[ ])[ \t|]*(?:\r?\n[ \t|]*)?"


#: the small words inside an organisation's name ("Kessler & Sons", "University of Toledo")
_CONNECTORS = frozenset({"&", "and", "of", "the", "on", "de", "la", "du", "for"})


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _strip_front(s: str) -> str:
    """The organisation without the determiners and pronouns in front of it ("the Brackwater ..." -> "Brackwater ...")."""
    words = s.split(" ")
    while words and words[0].lower() in ("the", "a", "an", "his", "her", "their", "my", "our"):
        words.pop(0)
    return " ".join(words)


def _own_words(org: str) -> list[str]:
    """The words of an organisation before its organisation word(s), or all of them when it has none."""
    tail = _TAIL_END.search(org)
    head = org[: tail.start()] if tail else org
    while True:  # "Plumbing & Heating", "Distribution Center": a tail may have tails before it
        t = _TAIL_END.search(head.rstrip(" &"))
        if not t or t.start() == 0 and not head[: t.start()].strip():
            break
        head = head[: t.start()]
    return [w for w in _words(head) if w not in ("&",)]


def _names_someone(org: str, *, any_case: bool) -> bool:
    """Whether ``org`` is an organisation's name: one of its own words names no one generic (``home``, ``the county``,
    ``his father's``), and, read in any case, it ends with an organisation's word."""
    org = _strip_front(org)
    if not org:
        return False
    if any_case and not _TAIL_END.search(org):
        return False
    own = [w for w in _own_words(org) if w.lower() not in _CONNECTORS]
    own = [w for w in own if w.lower().rstrip(".") not in _NOT_OWN and w.lower() not in _NOT_OWN]
    return bool(own)


def _mixed_case_line(m: re.Match[str]) -> bool:
    text = m.string
    a = text.rfind("\n", 0, m.start()) + 1
    b = text.find("\n", m.end())
    line = text[a: len(text) if b < 0 else b]
    return any(c.islower() for c in line) and any(c.isupper() for c in line)


def _valid_org(m: re.Match[str]) -> bool:
    org = " ".join(m.group("o").split())
    tail = bool(_TAIL_END.search(org))
    if not tail:  # a capitalised run alone: only in a line of mixed case (in capitals "WORKS AT HOME" is no name)
        if not _mixed_case_line(m) or not org[:1].isupper():
            return False
        if re.fullmatch(r"[A-Z]{1,3}\.?", org):  # "worked with PT", "works at ED": a department's abbreviation
            return False
    caps = [w for w in _words(_strip_front(org)) if w.lower() not in _CONNECTORS]
    if len(caps) >= 2 and all(w[:1].isupper() for w in caps) and _mixed_case_line(m) and any(
            w.lower() not in _NOT_OWN for w in caps):
        return True  # a name of two capitalised words or more in a line of mixed case: "Old Mill Trucking"
    return _names_someone(org, any_case=tail)


#: a field that names an employer or a school: its value (to the end of the line, a column gap or a bar)
_LABEL = (r"(?:current[ \t]+|previous[ \t]+|former[ \t]+|patient'?s[ \t]+|spouse'?s[ \t]+|parent'?s[ \t]+)?"
          r"(?:employer(?:[ \t]+name)?|employer/school|school/employer|place[ \t]+of[ \t]+employment|place[ \t]+of[ \t]+work|workplace|"
          r"work[ \t]+place|company(?:[ \t]+name)?|business(?:[ \t]+name)?|employment(?:[ \t]+status)?)")


def _field_items(m: re.Match[str]) -> bool:
    v = " ".join(m.group("o").split())
    return any(_field_item(x) for x in re.split(r"[,;()]", v))


def _field_item(item: str) -> bool:
    x = _strip_front(item.strip(" \t.-"))
    if not x or _STATUS.fullmatch(x) or not re.search(r"[^\W\d_]", x):
        return False
    return bool([w for w in _words(x) if w.lower().rstrip(".") not in _NOT_OWN and w != "&" and not _STATUS.fullmatch(w)])


#: a value's leading statuses ("employed full time, summit credit union"; a hard wrap may follow the comma)
_LEAD_STATUS = rf"(?:(?i:{_STATUS_RX})[ \t]*[,;][ \t]*(?:\r?\n[ \t]*)?)*"
#: a field that names a school, a daycare or where the patient lives (a group home, a shelter, a facility): its value
#: must read as an organisation (a tail word, or capitalised words only: "School: doing well" stays, "School: Lincoln"
#: and "Group home: Harmony House" go)
_SCHOOL_LABEL = (r"(?:school(?:[ \t]+name)?|daycare|day[ \t]+care|child[ \t]+care|college|university|preschool|"
                 r"group[ \t]+home|residence|residential[ \t]+facility|facility(?:[ \t]+name)?|placement|assisted[ \t]+living|nursing[ \t]+home|snf|"
                 r"shelter|church|place[ \t]+of[ \t]+worship|lives[ \t]+at|living[ \t]+at)")


def _school_item(m: re.Match[str]) -> bool:
    v = " ".join(m.group("o").split())
    if not _field_item(v):
        return False
    if _TAIL_END.search(v):
        return _names_someone(v, any_case=True)
    words = _words(v)
    return _mixed_case_line(m) and all(w[:1].isupper() or w.lower() in ("of", "and", "the", "&") for w in words)


def _work_field_org(m: re.Match[str]) -> bool:
    """A work field's organisation: after a preposition or a comma any organisation; right after the label only one
    that ends with an organisation's word, since a capitalised run there is the job ("Occupation: Hotel Manager",
    "Occupation:  Retired       Current Outpatient Medications" once a re-wrap joins the blank run; the Glaucoma
    PHI harness under rewrap60 and tabs, twenty-first session)."""
    org = " ".join(m.group("o").split())
    if not _valid_org(m) or re.search(r"(?i)\bof[ ](?:systems|services)$", org):
        return False  # ("Occupation: Admin Assistant Review of systems": the next heading after a re-wrap)
    return m.group("pre") is not None or bool(_TAIL_END.search(org))


def _weak_cue_org(m: re.Match[str]) -> bool:
    return bool(_TAIL_END.search(" ".join(m.group("o").split()))) and _valid_org(m)


ORGANIZATION_PATTERNS: tuple[PhiPattern, ...] = (
    # "Employer: Acme Tool & Die, Toledo OH", "EMPLOYER | Northgate Foods", "Place of employment:\tSunflower Insurance Agency",
    # "Employment status: employed full time, summit credit union" (the value after its leading statuses)
    PhiPattern(
        "org_label", "LOCATION",
        re.compile(rf"(?im)^[ \t>*•-]*(?:{_LABEL}){_SEP_FIELD}{_LEAD_STATUS}(?P<o>[^\t\r\n|(]*?[^\W_][^\t\r\n|(]*?)[ \t.]*"
                   r"(?=\t|[ ]{2,}(?=[^\W\d_][^\t\r\n:|]{0,30}:)|[ \t]*[|(]|\.[ ]+[A-Z]|\r?$)"),
        0.7, group="o", validate=_field_items,
    ),
    # the same value cut by a hard wrap, where the words joined end with an organisation's word ("Employment status:
    # employed full time, old\nmill pet grooming"; spent held-out seed 1117): the line's end alone gave "old"
    PhiPattern(
        "org_label", "LOCATION",
        re.compile(rf"(?im)^[ \t>*•-]*(?:{_LABEL}|{_SCHOOL_LABEL}){_SEP_FIELD}{_LEAD_STATUS}"
                   rf"(?P<o>(?=[^\r\n]*?[^\W\d_][^\r\n]*\r?\n)(?:(?i:the|a|an)[ ]+)?{_TAILRUN})(?=[ \t]*(?:[,.;|(\t]|\r?$))"),
        0.65, group="o", validate=lambda m: "\n" in m.group("o") and _valid_org(m),
    ),
    # "School: Pinecrest Elementary (5th grade)", "Daycare - Little Sprouts Learning Center", "School: Lincoln"
    PhiPattern(
        "org_school_label", "LOCATION",
        re.compile(rf"(?im)^[ \t>*•-]*(?:{_SCHOOL_LABEL}){_SEP_FIELD}(?P<o>[^\t\r\n|(,;]*?[^\W_][^\t\r\n|(,;]*?)[ \t.]*"
                   r"(?=\t|[ ]{2,}(?=[^\W\d_][^\t\r\n:|]{0,30}:)|[ \t]*[|(,;]|\.[ ]+[A-Z]|\r?$)"),
        0.65, group="o", validate=_school_item,
    ),
    # "Occupation: welder at Vrinista Distribution Center", "Work: Bexamor Insurance Agency (welder)", "Job - cashier, Northgate
    # Foods": a work field's organisation, not its job title
    PhiPattern(
        "org_work_field", "LOCATION",
        re.compile(rf"(?im)^[ \t>*•-]*(?:occupation|work|job|works|employment|employed)(?:[ \t]+history)?{_SEP_FIELD}"
                   rf"(?P<pre>[^\t\r\n|]*?(?:[ ]+(?i:at|for|with|by)[ ]+|,[ ]+))?(?:(?i:the)[ ]+)?{_ORG}"),
        0.65, group="o", validate=_work_field_org,
    ),
    # "works at Tollgate Hardware", "employed by summit credit union for 12 years", "retired from Kessler & Sons", "works
    # night shift at the Brackwater Logistics warehouse", "Husband works for gwynorra's construction" ("worked up for" stays)
    PhiPattern(
        "org_cue", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:{_WORK_CUE})(?!{_G}(?i:up)\b)(?:{_G}(?!(?i:at|for|by|from){_G})[\w'’-]+){{0,4}}?{_G}(?i:at|for|by|from){_G}"
                   rf"(?:(?i:the|a|an){_G})?{_ORG}"),
        0.65, group="o", validate=_valid_org,
    ),
    # "is a forklift operator at Summit Packaging", "as a cashier at the Northgate Diner" (at only: "is a candidate for CABG")
    PhiPattern(
        "org_job_at", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:is|was|as|works[ ]as|worked[ ]as){_G}(?i:a|an)(?:{_G}(?!(?i:at){_G})[\w'’-]+){{1,3}}?{_G}(?i:at){_G}"
                   rf"(?:(?i:the|a|an){_G})?{_ORG}"),
        0.6, group="o", validate=_valid_org,
    ),
    # "attends Pinecrest Elementary", "a sophomore at marlow ridge high school", "daycare at Tall Pines Day School"
    PhiPattern(
        "org_school_cue", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:{_SCHOOL_CUE}){_G}(?:(?i:the|a|an){_G})?{_ORG}"),
        0.65, group="o", validate=_valid_org,
    ),
    # "a work note for Nakashima Landscaping", "stay home from St. Brendan's Academy", "goes to Copperline Day School": a
    # weaker cue, so the organisation's word is required ("ran out of Lasix", "goes to AA")
    PhiPattern(
        "org_weak_cue", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:{_WEAK_CUE}){_G}(?:(?i:the|a|an){_G})?{_ORG}"),
        0.6, group="o", validate=_weak_cue_org,
    ),
    # any case, no organisation's word: "works at costco", "EMPLOYED BY BOEING", "a junior at westbrook": one to three words
    # after a strong cue up to a stop; the stage keeps them only where a word is no ordinary English word
    # (:meth:`ehrnlp.deid.engine.DeidStage` ``_org_any_case``: "works at home", "retired from teaching" stay)
    PhiPattern(
        "org_cue_any", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:{_WORK_CUE})(?!{_G}(?i:up)\b)(?:{_G}(?!(?i:at|for|by|from){_G})[\w'’-]+){{0,2}}?{_G}(?i:at|for|by|from){_G}"
                   rf"(?:(?i:the|a|an){_G})?(?P<o>{_ANYW}(?:[ ]+(?!{_ORG_STOP}(?![\w'’-])){_ANYW}){{0,2}})"
                   rf"(?=[ \t]*(?:[.,;:!?()\r\n]|$)|[ ]+{_ORG_STOP}(?![\w'’-]))"),
        0.5, group="o",
    ),
    PhiPattern(
        "org_cue_any", "LOCATION",
        re.compile(rf"(?<![\w-])(?i:{_SCHOOL_CUE.replace('[ ]', _G)}){_G}(?:(?i:the|a|an){_G})?(?P<o>{_ANYW}(?:[ ]+(?!{_ORG_STOP}(?![\w'’-])){_ANYW}){{0,2}})"
                   rf"(?=[ \t]*(?:[.,;:!?()\r\n]|$)|[ ]+{_ORG_STOP}(?![\w'’-]))"),
        0.5, group="o",
    ),
    # "Pinecrest Elementary", "Marlow Ridge High School", "St. Brendan's Academy" with no cue, in a note of mixed case
    PhiPattern(
        "org_school", "LOCATION",
        re.compile(rf"(?<![\w'’-])(?P<o>(?:(?:St\.|Saint|Mount|Mt\.)[ ])?(?:(?!{_NOT_BEFORE_SCHOOL}[ ])[A-Z][\w'’-]*[ ]){{1,3}}"
                   rf"(?:{_SCHOOL_TAILS}))(?![\w-])"),
        0.6, group="o", validate=lambda m: _mixed_case_line(m) and _names_someone(m.group("o"), any_case=True),
    ),
)
