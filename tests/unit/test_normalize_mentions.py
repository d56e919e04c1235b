"""Table-driven: real-world mentions as written in notes map to the right code.

Brands, misspellings, abbreviations, drug classes, foods, environmental allergens,
symptoms, problems, reactions, routes and severities. Each row: mention, entity label,
expected code system, expected code (the first code returned), and how it should match
(``exact``, ``abbreviation`` or ``fuzzy``; ``None`` = any).
"""

from __future__ import annotations

import pytest

from ehrnlp.config import NormalizeConfig
from ehrnlp.model import Code, Document, Entity
from ehrnlp.normalize import ICD10CM, RXNORM, SNOMED, NormalizeStage
from ehrnlp.vocab import load_vocabulary

RX, SCT = RXNORM, SNOMED
V3 = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"

MENTIONS: list[tuple[str, str, str, str, str | None]] = [
    # --- drugs: ingredients, brands, salts, combinations ---
    ("Lipitor", "MEDICATION", RX, "83367", "exact"),
    ("lipitor 40mg", "MEDICATION", RX, "83367", "abbreviation"),
    ("Norvasc", "MEDICATION", RX, "17767", "exact"),
    ("Eliquis", "MEDICATION", RX, "1364430", "exact"),
    ("ProAir HFA", "MEDICATION", RX, "435", "exact"),
    ("ProAir", "MEDICATION", RX, "435", "exact"),
    ("Tylenol", "MEDICATION", RX, "161", "exact"),
    ("Zithromax", "MEDICATION", RX, "18631", "exact"),
    ("Z-Pak", "MEDICATION", RX, "18631", "exact"),
    ("Xanax", "MEDICATION", RX, "596", "exact"),
    ("Synthroid", "MEDICATION", RX, "10582", "exact"),
    ("Glucophage", "MEDICATION", RX, "6809", "exact"),
    ("Coumadin", "MEDICATION", RX, "11289", "exact"),
    ("Lasix", "MEDICATION", RX, "4603", "exact"),
    ("Zoloft", "MEDICATION", RX, "36437", "exact"),
    ("Xalatan", "MEDICATION", RX, "43611", "exact"),
    ("Timoptic", "MEDICATION", RX, "10600", "exact"),
    ("Humira", "MEDICATION", RX, "327361", "exact"),
    ("Augmentin", "MEDICATION", RX, "19711", "exact"),  # the MIN amoxicillin / clavulanate
    ("Percocet", "MEDICATION", RX, "214183", "exact"),
    ("Norco", "MEDICATION", RX, "214182", "exact"),
    ("metoprolol tartrate", "MEDICATION", RX, "6918", "exact"),
    ("metoprolol succinate ER", "MEDICATION", RX, "6918", "abbreviation"),
    ("Toprol XL", "MEDICATION", RX, "6918", "abbreviation"),
    ("atorvastatin", "MEDICATION", RX, "83367", "exact"),
    ("ATORVASTATIN", "MEDICATION", RX, "83367", "exact"),
    ("lisinopril", "MEDICATION", RX, "29046", "exact"),
    ("insulin glargine", "MEDICATION", RX, "274783", "exact"),
    ("insulin aspart", "MEDICATION", RX, "51428", "exact"),
    ("potassium chloride", "MEDICATION", RX, "8591", "exact"),
    ("KCl", "MEDICATION", RX, "8591", "exact"),
    ("paracetamol", "MEDICATION", RX, "161", "exact"),
    ("salbutamol", "MEDICATION", RX, "435", "exact"),
    ("acetylsalicylic acid", "MEDICATION", RX, "1191", "exact"),
    ("baby aspirin", "MEDICATION", RX, "1191", "exact"),
    ("amoxicillin-clavulanate", "MEDICATION", RX, "19711", "exact"),
    ("TMP-SMX", "MEDICATION", RX, "10831", "exact"),
    ("Bactrim", "MEDICATION", RX, "10831", "exact"),  # brand -> the MIN, then both INs
    ("Bactrim DS", "MEDICATION", RX, "10831", None),
    ("vitamin D3", "MEDICATION", RX, "2418", "exact"),
    ("vitamin B12", "MEDICATION", RX, "11248", "exact"),
    ("fish oil", "MEDICATION", RX, None, "exact"),
    ("dabigatran", "MEDICATION", RX, "1037042", "exact"),
    # --- misspellings ---
    ("amoxicilin", "MEDICATION", RX, "723", "fuzzy"),
    ("amoxacillin", "MEDICATION", RX, "723", "fuzzy"),
    ("ibuprophen", "MEDICATION", RX, "5640", "fuzzy"),
    ("hydrochlorthiazide", "MEDICATION", RX, "5487", "fuzzy"),
    ("lisinipril", "MEDICATION", RX, "29046", "fuzzy"),
    ("metforman", "MEDICATION", RX, "6809", "fuzzy"),
    ("atorvastatine", "MEDICATION", RX, "83367", "fuzzy"),
    ("levothyroxin", "MEDICATION", RX, "10582", "fuzzy"),
    ("gabapentine", "MEDICATION", RX, "25480", "fuzzy"),
    ("prednisolon", "MEDICATION", RX, "8638", "fuzzy"),
    ("omeprazol", "MEDICATION", RX, "7646", "fuzzy"),
    ("acetaminophin", "MEDICATION", RX, "161", "fuzzy"),
    ("cephalexen", "MEDICATION", RX, "2231", "fuzzy"),
    ("clopidogrel bisulphate", "MEDICATION", RX, "32968", None),
    ("warfarine", "MEDICATION", RX, "11289", "fuzzy"),
    ("penicilin", "ALLERGEN", SCT, "373270004", "fuzzy"),
    ("sulpha", "ALLERGEN", SCT, "372788003", "fuzzy"),
    ("diarrhoea", "SYMPTOM", SCT, "62315008", "exact"),
    ("diarhea", "SYMPTOM", SCT, "62315008", "fuzzy"),
    ("vomitting", "SYMPTOM", SCT, "422400008", "fuzzy"),
    ("diarrea", "SYMPTOM", SCT, "62315008", "fuzzy"),
    ("anaphalaxis", "REACTION", SCT, "39579001", "fuzzy"),
    ("hypertention", "PROBLEM", SCT, "38341003", "fuzzy"),
    ("pnuemonia", "PROBLEM", SCT, "233604007", "fuzzy"),
    ("glaucomma", "PROBLEM", SCT, "23986001", "fuzzy"),
    # --- drug abbreviations ---
    ("APAP", "MEDICATION", RX, "161", "exact"),
    ("ASA", "MEDICATION", RX, "1191", "exact"),
    ("HCTZ", "MEDICATION", RX, "5487", "exact"),
    ("MTX", "MEDICATION", RX, "6851", "exact"),
    ("PCN", "MEDICATION", SCT, "373270004", "exact"),
    ("PCN", "ALLERGEN", SCT, "373270004", "exact"),
    ("HCQ", "MEDICATION", RX, "5521", "exact"),
    ("vanco", "MEDICATION", RX, "11124", "exact"),
    # --- drug classes in allergy lists ---
    ("penicillin", "ALLERGEN", SCT, "373270004", "exact"),
    ("Penicillins", "ALLERGEN", SCT, "373270004", "exact"),
    ("sulfa drugs", "ALLERGEN", SCT, "372788003", "exact"),
    ("Sulfa", "ALLERGEN", SCT, "372788003", "exact"),
    ("sulfonamide antibiotics", "ALLERGEN", SCT, "372788003", "exact"),
    ("NSAIDs", "ALLERGEN", SCT, "372665008", "exact"),
    ("cephalosporins", "ALLERGEN", SCT, "764147003", "exact"),
    ("ACE inhibitors", "ALLERGEN", SCT, "372733002", "exact"),
    ("iodinated contrast", "ALLERGEN", SCT, "426722004", "exact"),
    ("IV contrast", "ALLERGEN", SCT, "426722004", "exact"),
    ("contrast dye", "ALLERGEN", SCT, "426722004", "exact"),
    ("fluoroquinolones", "ALLERGEN", SCT, "372722000", "exact"),
    ("macrolides", "ALLERGEN", SCT, "372480009", "exact"),
    ("codeine", "ALLERGEN", RX, "2670", "exact"),
    ("morphine", "ALLERGEN", RX, "7052", "exact"),
    ("Keflex", "ALLERGEN", RX, "2231", "exact"),
    ("amoxicillin", "ALLERGEN", RX, "723", "exact"),
    ("aspirin", "ALLERGEN", RX, "1191", "exact"),
    ("allergy to penicillin", "ALLERGEN", SCT, "373270004", "abbreviation"),
    ("opioids", "ALLERGEN", None, None, "exact"),
    ("statins", "ALLERGEN", None, None, "exact"),
    # --- foods and environmental allergens ---
    ("peanuts", "ALLERGEN", SCT, "762952008", "exact"),
    ("Peanut", "ALLERGEN", SCT, "762952008", "exact"),
    ("tree nuts", "ALLERGEN", SCT, "13577000", "exact"),
    ("walnuts", "ALLERGEN", SCT, "256352005", "exact"),
    ("shellfish", "ALLERGEN", SCT, "735029006", "exact"),
    ("shrimp", "ALLERGEN", SCT, "278840001", "exact"),
    ("fish", "ALLERGEN", SCT, "735971005", "exact"),
    ("eggs", "ALLERGEN", SCT, "102263004", "exact"),
    ("milk", "ALLERGEN", SCT, "264295007", "exact"),
    ("dairy", "ALLERGEN", SCT, "264295007", "exact"),
    ("soy", "ALLERGEN", SCT, "256355007", "exact"),
    ("wheat", "ALLERGEN", SCT, "412071004", "exact"),
    ("gluten", "ALLERGEN", SCT, "89811004", "exact"),
    ("sesame", "ALLERGEN", SCT, "260167008", "exact"),
    ("latex", "ALLERGEN", SCT, "111088007", "exact"),
    ("bee stings", "ALLERGEN", SCT, "288328004", "exact"),
    ("bee venom", "ALLERGEN", SCT, "288328004", "exact"),
    ("pollen", "ALLERGEN", SCT, "256259004", "exact"),
    ("seasonal allergies", "ALLERGEN", SCT, "256259004", "exact"),
    ("dust mites", "ALLERGEN", SCT, "232350006", "exact"),
    ("cats", "ALLERGEN", SCT, "260152009", "exact"),
    ("cat dander", "ALLERGEN", SCT, "260152009", "exact"),
    ("dogs", "ALLERGEN", SCT, "260154005", "exact"),
    ("mold", "ALLERGEN", SCT, "116637007", "exact"),
    ("strawberries", "ALLERGEN", SCT, "102261002", "exact"),
    ("adhesive tape", "ALLERGEN", SCT, "418920007", "exact"),
    ("nickel", "ALLERGEN", SCT, "33396006", "exact"),
    # --- symptoms ---
    ("SOB", "SYMPTOM", SCT, "267036007", "exact"),
    ("shortness of breath", "SYMPTOM", SCT, "267036007", "exact"),
    ("c/o SOB", "SYMPTOM", SCT, "267036007", "abbreviation"),
    ("DOE", "SYMPTOM", SCT, "60845006", "exact"),
    ("N/V", "SYMPTOM", SCT, "16932000", "exact"),
    ("nausea", "SYMPTOM", SCT, "422587007", "exact"),
    ("vomiting", "SYMPTOM", SCT, "422400008", "exact"),
    ("CP", "SYMPTOM", SCT, "29857009", "exact"),
    ("chest pain", "SYMPTOM", SCT, "29857009", "exact"),
    ("HA", "SYMPTOM", SCT, "25064002", "exact"),
    ("headaches", "SYMPTOM", SCT, "25064002", "exact"),
    ("fever", "SYMPTOM", SCT, "386661006", "exact"),
    ("fevers", "SYMPTOM", SCT, "386661006", "exact"),
    ("cough", "SYMPTOM", SCT, "49727002", "exact"),
    ("fatigue", "SYMPTOM", SCT, "84229001", "exact"),
    ("dizziness", "SYMPTOM", SCT, "404640003", "exact"),
    ("abd pain", "SYMPTOM", SCT, "21522001", "exact"),
    ("abdominal pain", "SYMPTOM", SCT, "21522001", "exact"),
    ("palpitations", "SYMPTOM", SCT, "80313002", "exact"),
    ("wheezing", "SYMPTOM", SCT, "56018004", "exact"),
    ("itching", "SYMPTOM", SCT, "418290006", "exact"),
    ("blurry vision", "SYMPTOM", SCT, None, "exact"),
    ("eye pain", "SYMPTOM", SCT, "41652007", "exact"),
    ("L knee pain", "SYMPTOM", SCT, "1003722009", "abbreviation"),
    ("severe headache", "SYMPTOM", SCT, "25064002", "abbreviation"),
    ("mild nausea", "SYMPTOM", SCT, "422587007", "abbreviation"),
    ("LBP", "SYMPTOM", SCT, None, "exact"),
    ("dysuria", "SYMPTOM", SCT, "49650001", "exact"),
    ("diaphoresis", "SYMPTOM", SCT, "415690000", "exact"),
    ("syncope", "SYMPTOM", SCT, "271594007", "exact"),
    ("leg swelling", "SYMPTOM", SCT, "449614009", "exact"),
    # --- problems ---
    ("HTN", "PROBLEM", SCT, "38341003", "exact"),
    ("h/o HTN", "PROBLEM", SCT, "38341003", "abbreviation"),
    ("hypertension", "PROBLEM", SCT, "38341003", "exact"),
    ("high blood pressure", "PROBLEM", SCT, "38341003", "exact"),
    ("DM2", "PROBLEM", SCT, "44054006", "exact"),
    ("T2DM", "PROBLEM", SCT, "44054006", "exact"),
    ("type 2 diabetes", "PROBLEM", SCT, "44054006", "exact"),
    ("diabetes type II", "PROBLEM", SCT, "44054006", None),
    ("HLD", "PROBLEM", SCT, "55822004", "exact"),
    ("COPD", "PROBLEM", SCT, "13645005", "exact"),
    ("CHF", "PROBLEM", SCT, "42343007", "exact"),
    ("CAD", "PROBLEM", SCT, "53741008", "exact"),
    ("afib", "PROBLEM", SCT, "49436004", "exact"),
    ("GERD", "PROBLEM", SCT, "235595009", "exact"),
    ("CKD", "PROBLEM", SCT, "709044004", "exact"),
    ("hypothyroidism", "PROBLEM", SCT, "40930008", "exact"),
    ("asthma", "PROBLEM", SCT, "195967001", "exact"),
    ("OSA", "PROBLEM", SCT, "78275009", "exact"),
    ("POAG", "PROBLEM", SCT, "77075001", "exact"),
    ("primary open angle glaucoma", "PROBLEM", SCT, "77075001", "exact"),
    ("cataract", "PROBLEM", SCT, "193570009", "exact"),
    ("UTI", "PROBLEM", SCT, "68566005", "exact"),
    ("PNA", "PROBLEM", SCT, "233604007", "exact"),
    ("CVA", "PROBLEM", SCT, "230690007", "exact"),
    ("DVT", "PROBLEM", SCT, "128053003", "exact"),
    ("BPH", "PROBLEM", SCT, "266569009", "exact"),
    ("depression", "PROBLEM", SCT, "35489007", "exact"),
    ("osteoarthritis", "PROBLEM", SCT, "396275006", "exact"),
    ("migraines", "PROBLEM", SCT, "37796009", "exact"),
    ("hypertension", "SYMPTOM", SCT, "38341003", "exact"),  # a label mix-up still links
    # --- allergy reactions ---
    ("hives", "REACTION", SCT, "126485001", "exact"),
    ("urticaria", "REACTION", SCT, "126485001", "exact"),
    ("rash", "REACTION", SCT, "271807003", "exact"),
    ("anaphylaxis", "REACTION", SCT, "39579001", "exact"),
    ("angioedema", "REACTION", SCT, "41291007", "exact"),
    ("throat swelling", "REACTION", SCT, "51599000", "exact"),
    ("itching", "REACTION", SCT, "418363000", "exact"),
    ("SOB", "REACTION", SCT, "267036007", "exact"),
    ("GI upset", "REACTION", SCT, "422587007", "exact"),
    ("Stevens-Johnson syndrome", "REACTION", SCT, "73442001", "exact"),
    ("SJS", "REACTION", SCT, "73442001", "exact"),
    ("wheezing", "REACTION", SCT, "4386001", "exact"),
    ("swelling", "REACTION", SCT, "65124004", "exact"),
    ("nausea", "REACTION", SCT, "422587007", "exact"),
    # --- routes and sites ---
    ("PO", "ROUTE", SCT, "26643006", "exact"),
    ("by mouth", "ROUTE", SCT, "26643006", "exact"),
    ("IV", "ROUTE", SCT, "47625008", "exact"),
    ("IM", "ROUTE", SCT, "78421000", "exact"),
    ("subq", "ROUTE", SCT, "34206005", "exact"),
    ("SL", "ROUTE", V3, "SL", "exact"),
    ("topical", "ROUTE", SCT, "6064005", "exact"),
    ("inhaled", "ROUTE", V3, "RESPINHL", "exact"),
    ("OU", "ROUTE", SCT, "362508001", "exact"),
    ("OD", "ROUTE", SCT, "362502000", "exact"),
    ("OS", "ROUTE", SCT, "362503005", "exact"),
    ("left eye", "ROUTE", SCT, "362503005", "exact"),
    # --- severities ---
    ("mild", "SEVERITY", SCT, "255604002", "exact"),
    ("moderate", "SEVERITY", SCT, "6736007", "exact"),
    ("severe", "SEVERITY", SCT, "24484000", "exact"),
    ("life-threatening", "SEVERITY", SCT, "24484000", "exact"),
]


@pytest.fixture(scope="module")
def stage() -> NormalizeStage:
    return NormalizeStage(load_vocabulary(), NormalizeConfig())


def test_table_size():
    assert len(MENTIONS) >= 150
    kinds = {"misspelled": sum(1 for m in MENTIONS if m[4] == "fuzzy"),
             "abbreviated": sum(1 for m in MENTIONS if m[0].isupper() and len(m[0]) <= 5)}
    assert kinds["misspelled"] >= 20 and kinds["abbreviated"] >= 25


@pytest.mark.parametrize("text,label,system,code,method", MENTIONS, ids=[f"{m[0]}|{m[1]}" for m in MENTIONS])
def test_mention_maps_to_code(stage, text, label, system, code, method):
    m = stage.match(text, label)
    assert m is not None, f"{text!r} ({label}) did not match"
    if method is not None:
        assert m.method == method, f"{text!r}: matched by {m.method} to {m.term!r}"
    if system is None:  # a known term with no open code: text-only
        assert m.codes == ()
        return
    assert m.codes, f"{text!r} matched {m.term!r} without codes"
    first = m.codes[0]
    assert first.system == system, f"{text!r}: {first}"
    if code is not None:
        assert first.code == code, f"{text!r}: got {first.code} {first.display!r}, expected {code}"
    assert 0.0 < first.score <= 1.0
    if method == "exact":
        assert first.score == 1.0
    elif method == "fuzzy":
        assert first.score < 1.0


@pytest.mark.parametrize("text,label", [
    ("hypertension", "PROBLEM"), ("HTN", "PROBLEM"), ("type 2 diabetes", "PROBLEM"), ("SOB", "SYMPTOM"),
    ("hives", "SYMPTOM"), ("POAG", "PROBLEM"), ("asthma", "PROBLEM"),
])
def test_problems_also_carry_icd10cm(stage, text, label):
    codes = stage.link(text, label)
    systems = [c.system for c in codes]
    assert systems[0] == SNOMED and ICD10CM in systems


def test_reactions_do_not_carry_icd10cm(stage):
    assert all(c.system == SNOMED for c in stage.link("hives", "REACTION"))


@pytest.mark.parametrize("text,label", [
    ("xyzzy", "MEDICATION"), ("the", "SYMPTOM"), ("", "PROBLEM"), ("patient", "PROBLEM"),
    ("qwertyuiop", "ALLERGEN"), ("500 mg", "DOSE"), ("BID", "FREQUENCY"), ("Zorvex", "MEDICATION"),
])
def test_unmatched_mentions_have_no_codes(stage, text, label):
    assert stage.link(text, label) == ()


def test_brand_gives_ingredient_then_brand_code(stage):
    codes = stage.link("Lipitor", "MEDICATION")
    assert [c.code for c in codes] == ["83367", "153165"]
    assert codes[0].display == "atorvastatin"


def test_multi_ingredient_brand_gives_every_ingredient(stage):
    codes = [c.code for c in stage.link("Augmentin", "MEDICATION")]
    # the multiple-ingredient concept, its ingredients, then the brand
    assert codes == ["19711", "723", "48203", "151392"]
    codes = {c.code for c in stage.link("Augmentin", "MEDICATION")}
    codes = {c.code for c in stage.link("Hyzaar", "MEDICATION")}
    assert {"52175", "5487"} <= codes  # losartan, hydrochlorothiazide
    assert "29046" not in codes  # the extract's over-linked MIN brand links are not used


def test_fuzzy_cutoff_is_respected():
    vocab = load_vocabulary()
    loose = NormalizeStage(vocab, NormalizeConfig(fuzzy_cutoff=80))
    strict = NormalizeStage(vocab, NormalizeConfig(fuzzy_cutoff=99))
    assert loose.link("amoxicilin", "MEDICATION")
    assert strict.link("amoxicilin", "MEDICATION") == ()
    assert strict.link("amoxicillin", "MEDICATION")  # exact matches ignore the cutoff


def test_no_label_searches_everything(stage):
    assert stage.link("Lipitor")[0].code == "83367"
    assert stage.link("peanuts")[0].code == "762952008"


def test_stage_fills_entities_and_attributes_consistently(stage):
    text = "Allergies: PCN (hives). Meds: Lipitor 40 mg PO daily. c/o SOB."
    hives = Entity("REACTION", 16, 21, "hives")
    pcn = Entity("ALLERGEN", 11, 14, "PCN", attributes=(hives,))
    dose = Entity("DOSE", 38, 43, "40 mg")
    route = Entity("ROUTE", 44, 46, "PO")
    lipitor = Entity("MEDICATION", 30, 37, "Lipitor", attributes=(dose, route))
    sob = Entity("SYMPTOM", 58, 61, "SOB")
    doc = Document(text=text, entities=(pcn, hives, lipitor, dose, route, sob))
    doc.check()
    out = stage(doc)
    out.check()
    by = {(e.label, e.text): e for e in out.entities}
    assert by[("ALLERGEN", "PCN")].codes[0].code == "373270004"
    # strength and route pin the clinical drug (the only oral atorvastatin 40 MG product), first;
    # the ingredient follows (ehrnlp.rxdrug)
    lipitor_codes = [c.code for c in by[("MEDICATION", "Lipitor")].codes]
    assert lipitor_codes[0] == "617311" and "83367" in lipitor_codes
    assert by[("SYMPTOM", "SOB")].codes[0].code == "267036007"
    assert by[("DOSE", "40 mg")].codes == ()
    assert by[("ROUTE", "PO")].codes[0].code == "26643006"
    # attribute entities carry the same codes as the top-level entities they duplicate
    assert by[("ALLERGEN", "PCN")].attributes[0].codes == by[("REACTION", "hives")].codes
    assert by[("MEDICATION", "Lipitor")].attributes[1].codes == by[("ROUTE", "PO")].codes
    assert stage.name == "normalize" and stage.requires == ("doc.entities",)


def test_stage_keeps_existing_codes_when_nothing_matches(stage):
    mine = Code("http://example.org/formulary", "F-1", "house drug", 1.0)
    doc = Document(text="Zorvex", entities=(Entity("MEDICATION", 0, 6, "Zorvex", codes=(mine,)),))
    assert stage(doc).entities[0].codes == (mine,)
    doc = Document(text="Zorvex", entities=(Entity("MEDICATION", 0, 6, "Zorvex"),))
    assert stage(doc).entities[0].codes == ()


@pytest.mark.parametrize("text,first", [
    ("timolol/dorzolamide", "662263"),  # written in the other order than RxNorm's "dorzolamide / timolol"
    ("dorzolamide-timolol", "662263"),
    ("losartan/HCTZ", "214619"),  # an abbreviation inside a combination
    ("APAP/codeine", "817579"),
    ("acetaminophen and codeine", "817579"),
    ("PF Cosopt", "662263"),  # preservative-free prefix
    ("Advair Diskus", "284635"),  # device suffix
    ("Lantus Solostar", "274783"),
    ("Tylenol #3", "817579"),
    ("Tenoretic", "151195"),  # brand link recovered from the extract's branded-drug names
    ("Twynsta", "901212"),
])
def test_combinations_and_packaging(stage, text, first):
    codes = stage.link(text, "MEDICATION")
    assert codes and codes[0].code == first, f"{text}: {[(c.code, c.display) for c in codes]}"


def test_roman_numerals_are_not_squashed(stage):
    from ehrnlp.normalize import _squash

    assert _squash("factor viii") != _squash("factor vi")
    assert _squash("type iii") == "tipe iii"
    assert _squash("amoxicillin") == _squash("amoxicilin")


def test_link_only_findings_link_but_are_marked(stage):
    """GPS findings outside the IPS problem set are link-only for the rule matcher."""
    vocab = load_vocabulary()
    rows = [e for e in vocab.entries if e.source == "SNOMED CT GPS (link-only finding)"]
    assert len(rows) > 1000 and all(e.tty == "abbr-ambiguous" for e in rows)
    e = rows[0]
    assert stage.link(e.term, "SYMPTOM")[0].code == e.code


def test_stage_pickles_for_worker_processes(stage):
    import pickle

    stage.link("amoxicilin", "MEDICATION")
    clone = pickle.loads(pickle.dumps(stage))
    assert clone._cache == {} and clone._ranked == {}
    assert clone.link("amoxicilin", "MEDICATION") == stage.link("amoxicilin", "MEDICATION")
    assert clone.link("Augmentin", "MEDICATION") == stage.link("Augmentin", "MEDICATION")


@pytest.mark.parametrize("text,codes", [
    ("sodium hyaluronate", ["62372", "42892"]),  # a salt links to its base, never to "sodium"
    ("Healon5", ["62372", "352683"]),
    ("levothyroxine sodium", ["10582", "40144"]),
    ("naproxen sodium", ["7258", "142442"]),
    ("metoprolol tartrate", ["6918", "203191"]),
])
def test_precise_ingredients_link_to_their_ingredient_first(stage, text, codes):
    assert [c.code for c in stage.link(text, "MEDICATION")] == codes


def test_stage_refines_the_allergy_category_and_codes_a_route_the_sig_table_lacks(stage):
    """The qualifiers that depend on codes: an allergen coded in RxNorm is a medication
    allergy; a route only the vocabulary codes ("IN") reaches the dosage."""
    import dataclasses

    from ehrnlp.model import Document, Entity
    from ehrnlp.sig import dosage_of

    text = "Allergies: codeine, peanuts. Medications: fluticasone 2 sprays IN daily"

    def ent(label, phrase, **kw):
        i = text.index(phrase)
        return Entity(label, i, i + len(phrase), phrase, **kw)

    attrs = (ent("DOSE", "2 sprays"), ent("ROUTE", "IN"), ent("FREQUENCY", "daily"))
    med = ent("MEDICATION", "fluticasone", attributes=attrs)
    med = dataclasses.replace(med, dosage=dosage_of(text, med, []))
    assert med.dosage.route_text == "IN" and med.dosage.route_codes == ()
    doc = Document(text=text, entities=(ent("ALLERGEN", "codeine", allergy_category=None),
                                        ent("ALLERGEN", "peanuts", allergy_category="food"), med) + attrs)
    out = {e.text: e for e in stage(doc).entities}
    assert out["codeine"].codes[0].system == RXNORM and out["codeine"].allergy_category == "medication"
    assert out["peanuts"].allergy_category == "food"  # SNOMED CT substance: the words decide
    route = out["IN"]
    assert route.codes and out["fluticasone"].dosage.route_codes == route.codes
    assert out["fluticasone"].attributes[1] is route
