"""Synthetic clinical note generator for what no shared corpus annotates.

Generates fully annotated notes (every clinical label, and the model's PHI types NAME and
LOCATION) with allergy tables and sentences, NKDA, medication lists with sigs, review of
systems with negations, family history, problem lists and plans. All people, places and
numbers are invented (:mod:`ehrnlp.training.synth_phi`). Half of the notes carry identifiers in
clinical layout (header names, ``Dr. X``, ``X, MD`` signatures, ``seen by``, addresses,
facilities), the other half only de-identification placeholders (``[NAME]``, ``[DATE]``) or
``*`` masks, as the tagger sees them after the ``deid`` stage.

Held-out evaluation: :func:`generate` with ``heldout=True`` draws a quarter of the
allergen and reaction terms that the training generator (``heldout=False``) never uses,
so the synthetic test set measures generalisation to unseen terms, not memorisation
(a held-out reaction word can still occur in training notes as a SYMPTOM outside any
allergy entry, "rash" in a review of systems: its use as a reaction is what is held out).
Allergy-like words also appear outside allergy entries (atopic problems, episodes,
return precautions) so that a reaction is learnt from its context, not its words. It is
still synthetic: scores on it say the model learnt these layouts, nothing about real notes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..ner.labels import MODEL_LABELS
from .corpus import CorpusDoc, GoldSpan
from .synth_phi import PhiFaker

__all__ = ["generate", "NoteBuilder"]

ALLERGENS = [
    "Penicillin", "Penicillins", "penicillin G", "Amoxicillin", "amoxicillin-clavulanate", "Ampicillin",
    "Cephalexin", "Keflex", "Ceftriaxone", "Sulfa", "Sulfa Antibiotics", "sulfamethoxazole-trimethoprim",
    "Bactrim", "Codeine", "Morphine", "Hydrocodone", "Oxycodone", "Tramadol", "Aspirin", "Ibuprofen",
    "NSAIDs", "Naproxen", "Latex", "Shellfish", "Peanuts", "Tree nuts", "Eggs", "Milk", "Iodinated contrast",
    "Contrast dye", "IV contrast", "Lisinopril", "ACE inhibitors", "Erythromycin", "Azithromycin",
    "Clarithromycin", "Ciprofloxacin", "Levofloxacin", "Doxycycline", "Tetracycline", "Vancomycin",
    "Clindamycin", "Metronidazole", "Nitrofurantoin", "Phenytoin", "Carbamazepine", "Lamotrigine",
    "Gabapentin", "Statins", "Atorvastatin", "Simvastatin", "Metformin", "Heparin", "Warfarin",
    "Adhesive tape", "Bee stings", "Wasp venom", "Pollen", "Cats", "Dust mites", "Strawberries",
    "Soy", "Wheat", "Gluten", "Neomycin", "Bacitracin", "Timolol", "Brimonidine", "Dorzolamide",
    "Acetazolamide", "Latanoprost", "Prednisone", "Hydrochlorothiazide", "Furosemide", "Allopurinol",
    "Fentanyl", "Meperidine", "Dilaudid", "Percocet", "Vicodin", "Tylenol #3", "Augmentin",
    "Zithromax", "Levaquin", "Cipro", "Sulfonamides", "Fish", "Sesame", "Nickel", "Chlorhexidine",
]
REACTIONS = [
    "Hives", "hives", "Rash", "rash", "Itching", "itching", "Anaphylaxis", "anaphylaxis", "Swelling",
    "swelling", "Angioedema", "angioedema", "Shortness of breath", "shortness of breath", "Wheezing",
    "Nausea", "nausea", "Vomiting", "vomiting", "Diarrhea", "GI upset", "Upset stomach", "Stomach upset",
    "Dizziness", "Headache", "Throat swelling", "throat tightness", "Lip swelling", "Facial swelling",
    "Hypotension", "Palpitations", "Tachycardia", "Confusion", "Hallucinations", "Stevens-Johnson syndrome",
    "Blisters", "Muscle pain", "Myalgias", "Cough", "Dry cough", "Redness", "eye redness", "Burning",
    "Eye irritation", "Blurred vision", "Urticaria", "urticaria", "Pruritus", "Difficulty breathing",
    "Syncope", "Lightheadedness", "Abdominal pain", "Fatigue", "Insomnia", "Tremor", "Bradycardia",
    "Flushing", "Sneezing", "Runny nose", "Watery eyes", "Contact dermatitis", "Mouth sores",
]
SEVERITIES = ["mild", "Mild", "moderate", "Moderate", "severe", "Severe", "life-threatening", "High", "Low",
              "serious", "Medium"]
CRITICALITY_PHRASES = {"High": "High", "Low": "Low", "Medium": "Medium"}

DRUGS = [
    ("metoprolol succinate", ["25 mg", "50 mg", "100 mg"]), ("metoprolol tartrate", ["25 mg", "12.5 mg"]),
    ("lisinopril", ["10 mg", "20 mg", "40 mg"]), ("amlodipine", ["5 mg", "10 mg"]),
    ("atorvastatin", ["20 mg", "40 mg", "80 mg"]), ("simvastatin", ["20 mg", "40 mg"]),
    ("metformin", ["500 mg", "1000 mg", "850 mg"]), ("levothyroxine", ["50 mcg", "75 mcg", "112 mcg"]),
    ("omeprazole", ["20 mg", "40 mg"]), ("pantoprazole", ["40 mg"]), ("gabapentin", ["300 mg", "600 mg"]),
    ("sertraline", ["50 mg", "100 mg"]), ("escitalopram", ["10 mg"]), ("amitriptyline", ["25 mg", "10 mg"]),
    ("hydrochlorothiazide", ["12.5 mg", "25 mg"]), ("furosemide", ["20 mg", "40 mg"]),
    ("warfarin", ["5 mg", "2.5 mg"]), ("apixaban", ["5 mg", "2.5 mg"]), ("clopidogrel", ["75 mg"]),
    ("aspirin", ["81 mg", "325 mg"]), ("acetaminophen", ["500 mg", "650 mg", "1 g"]),
    ("ibuprofen", ["400 mg", "600 mg", "800 mg"]), ("prednisone", ["10 mg", "20 mg", "40 mg"]),
    ("insulin glargine", ["10 units", "20 units", "32 units"]), ("insulin lispro", ["4 units", "6 units"]),
    ("albuterol", ["2 puffs", "90 mcg"]), ("fluticasone", ["2 sprays", "50 mcg"]),
    ("tamsulosin", ["0.4 mg"]), ("finasteride", ["5 mg"]), ("losartan", ["25 mg", "50 mg", "100 mg"]),
    ("carvedilol", ["6.25 mg", "12.5 mg", "25 mg"]), ("spironolactone", ["25 mg"]),
    ("montelukast", ["10 mg"]), ("cetirizine", ["10 mg"]), ("loratadine", ["10 mg"]),
    ("tramadol", ["50 mg"]), ("oxycodone", ["5 mg", "10 mg"]), ("trazodone", ["50 mg", "100 mg"]),
    ("donepezil", ["5 mg", "10 mg"]), ("memantine", ["10 mg"]), ("allopurinol", ["100 mg", "300 mg"]),
    ("latanoprost", ["1 drop"]), ("timolol", ["1 drop"]), ("brimonidine", ["1 drop"]),
    ("dorzolamide-timolol", ["1 drop"]), ("Cosopt", ["1 drop"]), ("Combigan", ["1 drop"]),
    ("prednisolone acetate", ["1 drop"]), ("Lumigan", ["1 drop"]), ("Rhopressa", ["1 drop"]),
    ("artificial tears", ["1 drop", "1-2 drops"]), ("Lipitor", ["20 mg"]), ("Synthroid", ["100 mcg"]),
    ("Eliquis", ["5 mg"]), ("Xarelto", ["20 mg"]), ("Januvia", ["100 mg"]), ("Lasix", ["40 mg"]),
    ("Zoloft", ["50 mg"]), ("Norvasc", ["5 mg"]), ("Plavix", ["75 mg"]), ("Tylenol", ["500 mg"]),
    ("vitamin D3", ["1000 units", "2000 units"]), ("ferrous sulfate", ["325 mg"]),
    ("cyanocobalamin", ["1000 mcg"]), ("magnesium oxide", ["400 mg"]), ("potassium chloride", ["20 mEq"]),
    ("ondansetron", ["4 mg"]), ("cephalexin", ["500 mg"]), ("amoxicillin", ["500 mg", "875 mg"]),
    ("azithromycin", ["250 mg", "500 mg"]), ("doxycycline", ["100 mg"]), ("nitrofurantoin", ["100 mg"]),
    # allergy clinic drugs
    ("epinephrine auto-injector", ["0.3 mg", "0.15 mg"]), ("EpiPen", ["0.3 mg"]), ("epinephrine", ["0.3 mg"]),
    ("diphenhydramine", ["25 mg", "50 mg"]), ("Benadryl", ["25 mg"]), ("hydroxyzine", ["25 mg", "10 mg"]),
    ("fexofenadine", ["180 mg"]), ("famotidine", ["20 mg"]), ("mometasone", ["2 sprays"]),
]
#: routes that fit a drug better than the generic lists
DRUG_ROUTES = {
    "epinephrine auto-injector": ["IM", "intramuscularly", "into the thigh"], "EpiPen": ["IM", "into the thigh"],
    "epinephrine": ["IM", "intramuscularly", "IV"], "fluticasone": ["each nostril", "in each nostril", "nasally"],
    "mometasone": ["each nostril", "in each nostril", "nasally"], "albuterol": ["inhaled", "by inhalation"],
}
ROUTES_PO = ["by mouth", "PO", "orally", "po"]
ROUTES_EYE = ["into both eyes", "in the right eye", "in the left eye", "OU", "OD", "OS", "both eyes",
              "left eye", "right eye"]
ROUTES_OTHER = ["subcutaneously", "SubQ", "inhaled", "by inhalation", "IV", "intravenously", "topically",
                "nasally", "in each nostril", "IM", "sublingually"]
FREQS = ["once daily", "daily", "two times daily", "twice a day", "BID", "bid", "TID", "three times daily",
         "QID", "four times daily", "nightly", "at bedtime", "QHS", "qhs", "every morning", "qAM", "q12h",
         "every 6 hours as needed", "every 4 hours as needed for pain", "PRN", "as needed", "weekly",
         "every 8 hours", "q6h prn", "2x/day", "3x/day", "once a day", "every other day", "qPM", "QD"]
DURATIONS = ["for 7 days", "for 10 days", "x 5 days", "for 2 weeks", "x2 weeks", "for 1 month",
             "for 3 months", "for 14 days", "x 3 days", "for 5 days"]
SYMPTOMS = [
    "fever", "chills", "night sweats", "weight loss", "fatigue", "headache", "dizziness", "blurred vision",
    "eye pain", "double vision", "floaters", "flashes", "photophobia", "chest pain", "palpitations",
    "shortness of breath", "dyspnea", "cough", "wheezing", "nausea", "vomiting", "diarrhea", "constipation",
    "abdominal pain", "heartburn", "dysuria", "hematuria", "joint pain", "back pain", "myalgias", "rash",
    "itching", "numbness", "tingling", "weakness", "syncope", "anxiety", "depression", "insomnia",
    "leg swelling", "edema", "sore throat", "runny nose", "ear pain", "eye redness", "tearing",
    "decreased appetite", "lightheadedness", "orthopnea", "hemoptysis", "melena", "polyuria", "polydipsia",
]
#: words that are REACTIONs inside an allergy entry and SYMPTOMs everywhere else
ALLERGIC_SYMPTOMS = [
    "itching", "rash", "wheezing", "shortness of breath", "runny nose", "eye redness", "sneezing",
    "nasal congestion", "itchy eyes", "hives", "urticaria", "lip swelling", "trouble breathing",
    "throat tightness", "facial swelling", "difficulty breathing", "swelling", "anaphylaxis",
]
SYMPTOMS += [x for x in ALLERGIC_SYMPTOMS if x not in SYMPTOMS]
#: warning signs in return precautions ("Return if she develops ...")
WARNING_SYMPTOMS = [
    "hives", "lip swelling", "trouble breathing", "difficulty breathing", "throat tightness", "wheezing",
    "facial swelling", "chest pain", "fever", "worsening rash", "vomiting", "shortness of breath",
    "eye pain", "vision loss", "tongue swelling", "fainting",
]
PROBLEMS = [
    "hypertension", "HTN", "type 2 diabetes mellitus", "diabetes", "DM2", "hyperlipidemia", "CAD",
    "coronary artery disease", "atrial fibrillation", "CHF", "heart failure", "COPD", "asthma",
    "chronic kidney disease", "CKD stage 3", "hypothyroidism", "GERD", "osteoarthritis", "depression",
    "anxiety disorder", "primary open angle glaucoma", "POAG", "glaucoma suspect", "cataract",
    "macular degeneration", "diabetic retinopathy", "dry eye syndrome", "obstructive sleep apnea",
    "stroke", "myocardial infarction", "breast cancer", "prostate cancer", "colon cancer", "dementia",
    "Alzheimer disease", "migraine", "epilepsy", "anemia", "osteoporosis", "obesity", "gout",
    "rheumatoid arthritis", "pneumonia", "urinary tract infection", "cellulitis", "DVT",
    "pulmonary embolism", "hepatitis C", "cirrhosis", "BPH",
    "lactic acidosis",
]
#: allergic and atopic conditions: problems, not allergy entries
ATOPIC_PROBLEMS = ["allergic rhinitis", "seasonal allergic rhinitis", "oral allergy syndrome",
                   "allergic conjunctivitis", "atopic dermatitis", "eczema", "chronic urticaria", "food allergy"]
PROBLEMS += ATOPIC_PROBLEMS
#: problem-list titles as an EHR writes them (ICD-10-CM style): each one PROBLEM, qualifiers
#: ("without complication", "without macular edema") included, never a REACTION
PROBLEM_TITLES = [
    "Type 2 diabetes mellitus without complication",
    "Type 2 diabetes mellitus without complication, without long-term current use of insulin",
    "Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema, bilateral",
    "Type 2 diabetes mellitus with hyperglycemia", "Essential hypertension", "Mixed hyperlipidemia",
    "Pure hypercholesterolemia", "Hypothyroidism, unspecified type", "Acquired hypothyroidism",
    "Primary open angle glaucoma of both eyes, moderate stage", "Moderate persistent asthma without complication",
    "Mild intermittent asthma without complication", "Gastroesophageal reflux disease without esophagitis",
    "Major depressive disorder, recurrent, mild", "Generalized anxiety disorder", "Chronic kidney disease, stage 3a",
    "Obstructive sleep apnea syndrome", "Age-related nuclear cataract of both eyes", "Pseudophakia of both eyes",
    "Primary osteoarthritis of right knee", "Community-acquired pneumonia", "Paroxysmal atrial fibrillation",
    "Chronic systolic heart failure", "Benign prostatic hyperplasia without lower urinary tract symptoms",
    "Vitamin D deficiency", "Iron deficiency anemia", "Migraine without aura", "Prediabetes",
    "Chronic obstructive pulmonary disease, unspecified", "Acute kidney injury", "Non-ST elevation myocardial infarction",
    "Colon polyps", "Seasonal allergic rhinitis due to pollen",
]
#: short problem-list entries ("PMH: HTN, HLD, T2DM, h/o MI")
PROBLEM_SHORT = [
    "HTN", "HLD", "T2DM", "DM2", "CAD", "MI", "CVA", "TIA", "OSA", "AFib", "CKD", "COPD", "GERD", "BPH", "PVD",
    "CHF", "hypothyroidism", "hyperlipidemia", "hypertension", "asthma", "gout", "anemia", "obesity", "depression",
    "DVT", "PE", "stroke", "osteoporosis", "hypercholesterolemia", "prediabetes",
]
#: laboratory tests: not drugs, not findings by themselves
LAB_TESTS = ["Troponin", "troponin", "BNP", "WBC", "Hgb", "Cr", "creatinine", "Na", "K", "A1c", "HbA1c", "TSH",
             "LDL", "ALT", "AST", "lipase", "INR", "D-dimer", "lactate", "procalcitonin", "CRP", "ESR"]
#: social history about substances: no ALLERGEN, no MEDICATION
SUBSTANCE_USE = [
    "Denies tobacco, alcohol or illicit drug use. ", "Denies IV drug use. ", "Former cocaine use, quit 2015. ",
    "Remote cocaine and marijuana use. ", "Uses marijuana occasionally. ", "Denies cocaine, heroin or meth use. ",
    "Drinks 2 beers per week. ", "Smokes 1 ppd x 20 years. ", "Vapes nicotine daily. ", "Quit alcohol 5 years ago. ",
]
#: social determinants of health written in social histories, labelled PROBLEM (ehrnlp emits them
#: as Conditions with the US Core sdoh category). Phrased here, never copied from a chart export.
#: Each entry: (before, the span, after).
SDOH_SENTENCES = [
    ("Currently ", "unemployed", ", lost his job in the spring. "),
    ("She is ", "unemployed", " and looking for work. "),
    ("Works ", "full time", " as a cashier. "),
    ("Employment: ", "full-time employment", " at a warehouse. "),
    ("Employment: ", "part-time employment", ". "),
    ("Works ", "part time", " at a grocery store. "),
    ("Has been ", "homeless", " for 3 months, staying in shelters. "),
    ("Reports ", "housing insecurity", " since the eviction. "),
    ("Housing: ", "unstable housing", ", moves between friends. "),
    ("", "Lives alone", ", no family nearby. "),
    ("Pt is ", "socially isolated", " since her husband passed. "),
    ("Screening positive for ", "social isolation", ". "),
    ("Reports ", "lack of transportation", " to appointments. "),
    ("No car; ", "transportation insecurity", " noted by social work. "),
    ("Discloses ", "intimate partner violence", "; safety plan reviewed. "),
    ("History of ", "domestic violence", ", now safe at home. "),
    ("Has a ", "criminal record", ", recently released. "),
    ("Reports high ", "stress", " at work. "),
    ("Significant ", "stress", " related to finances. "),
    ("History of ", "alcohol abuse", ", sober for 2 years. "),
    ("Ongoing ", "alcohol misuse", ", drinks a pint of vodka daily. "),
    ("History of ", "drug abuse", ", in recovery. "),
    ("Active ", "substance abuse", ", uses methamphetamine. "),
    ("", "Illicit drug use", ": heroin, last use 1 week ago. "),
    ("Education: ", "college degree", ". "),
    ("Highest education: ", "high school graduate", ". "),
]
RESCUE_DRUGS = ["epinephrine", "diphenhydramine", "Benadryl", "EpiPen", "prednisone", "famotidine",
                "albuterol", "cetirizine"]
RELATIVES = ["Mother", "Father", "Sister", "Brother", "Maternal grandmother", "Paternal grandfather",
             "Maternal aunt", "Son", "Daughter"]
POSITIVE_ROS = ["Reports", "Positive for", "Endorses", "Complains of", "c/o", "Admits to"]
NEGATIVE_ROS = ["Denies", "Negative for", "No", "Pt denies", "Patient denies"]
PLACEHOLDERS = ["[NAME]", "[DATE]", "[ID]", "[LOCATION]", "*****", "**/**/****", "[PHONE]"]


@dataclass
class NoteBuilder:
    """Append text pieces; labelled pieces become gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[GoldSpan] = []
        self.pos = 0

    def add(self, text: str, label: str | None = None, negated: bool | None = None) -> NoteBuilder:
        if label:
            self.spans.append(GoldSpan(self.pos, self.pos + len(text), label, negated))
        self.parts.append(text)
        self.pos += len(text)
        return self

    def text(self) -> str:
        return "".join(self.parts)


def _split_terms(terms: list[str], heldout: bool) -> list[str]:
    """Deterministic 3:1 split of a term list; the quarter is reserved for held-out notes."""
    rng = random.Random(1234)
    idx = list(range(len(terms)))
    rng.shuffle(idx)
    cut = len(terms) // 4
    keep = set(idx[:cut]) if heldout else set(idx[cut:])
    return [t for i, t in enumerate(terms) if i in keep]


def _vocab_terms(label: str, *, tty: tuple[str, ...] = (), exclude: list[str], limit: int, seed: int) -> list[str]:
    """Extra terms of one label from the bundled vocabulary (training notes only).

    Any term equal to, containing or contained in an ``exclude`` term (the held-out
    allergens and reactions) is dropped, so held-out notes stay unseen.
    """
    try:
        from ..vocab import bundled_entries
    except ImportError:  # pragma: no cover
        return []
    try:
        entries = bundled_entries()
    except Exception:  # noqa: BLE001 - vocabulary missing: generate from the built-in lists only
        return []
    ex = [x.lower() for x in exclude]
    out = sorted({e.term for e in entries if e.label == label and (not tty or e.tty in tty)
                  and 3 <= len(e.term) <= 40 and not any(x in e.term.lower() or e.term.lower() in x for x in ex)})
    random.Random(seed).shuffle(out)
    return out[:limit]


class _Gen:
    def __init__(self, rng: random.Random, heldout: bool):
        self.r = rng
        self.allergens = _split_terms(ALLERGENS, heldout)
        self.reactions = _split_terms(REACTIONS, heldout)
        if not heldout:
            # widen the training vocabulary (drug ingredients, SNOMED allergens and reactions),
            # never with a held-out term: the built-in lists stay most of the mass
            held_a, held_r = _split_terms(ALLERGENS, True), _split_terms(REACTIONS, True)
            self.allergens += _vocab_terms("ALLERGEN", exclude=held_a, limit=150, seed=1)
            self.allergens += _vocab_terms("MEDICATION", tty=("IN", "BN"), exclude=held_a, limit=150, seed=2)
            self.reactions += _vocab_terms("REACTION", exclude=held_r, limit=60, seed=3)
        self.fake = PhiFaker(rng)
        self.real_phi = False  # set per note
        # SDOH sentences only in training notes, from their own generator (the held-out draw
        # and the draws of everything else stay as they were)
        self.sdoh = None if heldout else random.Random(hash(rng.getstate()))

    # ------------------------------------------------------------------ identifiers
    def name(self, b: NoteBuilder, *, last_only: bool = False) -> None:
        if self.real_phi:
            b.add(self.fake.last() if last_only else self.fake.person(), "NAME")
        else:
            b.add(self.choice(["[NAME]", "*****", "***** *****", "[NAME]"]))

    def place(self, b: NoteBuilder, kind: str = "city") -> None:
        if self.real_phi:
            f = self.fake
            value = {"city": f.city, "address": f.address, "facility": f.facility, "csz": f.city_state_zip}[kind]()
            b.add(value, "LOCATION")
        else:
            b.add(self.choice(["[LOCATION]", "*****", "[LOCATION]"]))

    def date(self) -> str:
        r = self.r
        if not self.real_phi:
            return self.choice(["[DATE]", "**/**/****", "[DATE]"])
        m, d, y = r.randint(1, 12), r.randint(1, 28), r.randint(2005, 2025)
        return self.choice([f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{y}-{m:02d}-{d:02d}"])

    def header(self, b: NoteBuilder) -> None:
        r = self.r
        style = r.random()
        if style < 0.3:
            self.place(b, "facility")
            b.add(" Progress Note " + self.date() + "\n")
        elif style < 0.6:
            b.add(self.choice(["Patient: ", "PATIENT: ", "Name: ", "Pt Name: "]))
            self.name(b)
            b.add(self.choice(["   DOB: ", "  DOB ", "\tDOB: "]) + self.date())
            if r.random() < 0.6:
                b.add(self.choice(["   MRN: ", "  MRN ", "  Acct #: "]) + str(r.randint(100000, 99999999)))
            b.add("\n")
        elif style < 0.8:
            self.name(b)
            b.add(" Progress Note " + self.date() + "\n")
        else:
            b.add("Clinic note " + self.date() + " ")
            self.place(b, "facility")
            b.add("\n")
        if r.random() < 0.3:
            b.add(self.choice(["Referred by: ", "Referring Provider: ", "PCP: ", "Primary care: "]))
            if r.random() < 0.5:
                b.add("Dr. ")
                self.name(b, last_only=r.random() < 0.5)
            else:
                self.name(b)
                b.add(self.choice([", MD", ", DO", " MD", ", NP", ", PA-C"]))
            b.add("\n")

    def social(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["Social History: ", "SOCIAL HISTORY\n", "Social: "]))
        style = r.random()
        if style < 0.3:
            b.add(self.choice(["Lives in ", "Lives alone in ", "Resides in ", "Moved here from "]))
            self.place(b, "city")
            b.add(self.choice([" with her husband ", " with his wife ", " with daughter ", ". Partner "]))
            if self.real_phi:
                b.add(self.fake.first(), "NAME")
            else:
                b.add("[NAME]")
            b.add(". ")
        elif style < 0.5:
            b.add(self.choice(["Address: ", "Lives at ", "Home address: "]))
            self.place(b, "address")
            b.add(". ")
        elif style < 0.7:
            b.add(self.choice(["Retired teacher, originally from ", "Works as a nurse at ", "Grew up in "]))
            self.place(b, self.choice(["city", "facility", "csz"]))
            b.add(". ")
        b.add(self.choice(["Never smoker. ", "Former smoker, quit 2010. ", "Drinks socially. ", "No alcohol. "]))
        if r.random() < 0.4:
            b.add(self.choice(SUBSTANCE_USE))
        if self.sdoh is not None and self.sdoh.random() < 0.5:
            for before, span, after in self.sdoh.sample(SDOH_SENTENCES, self.sdoh.randint(1, 2)):
                b.add(before).add(span, "PROBLEM", False).add(after)
        if r.random() < 0.3:
            b.add("Emergency contact: ")
            self.name(b)
            b.add(self.choice([" (daughter) ", " (son) ", " (spouse) ", " "]))
            b.add(f"{r.randint(200, 989)}-{r.randint(200, 999)}-{r.randint(0, 9999):04d}")
        b.add("\n")

    def signature(self, b: NoteBuilder) -> None:
        r = self.r
        style = r.random()
        if style < 0.3:
            b.add(self.choice(["Electronically signed by ", "Signed by: ", "Seen by "]))
            self.name(b)
            b.add(self.choice([", MD", ", M.D.", ", DO", ", COT", ", NP", ""]) + " on " + self.date() + "\n")
        elif style < 0.55:
            self.name(b)
            b.add(self.choice([", MD\n", ", MD, PhD\n", ", COA\n", " M.D.\n", ", OD\n"]))
        elif style < 0.75:
            b.add("I, ")
            self.name(b)
            b.add(self.choice([", MD, personally performed the services described.\n",
                               ", am scribing for Dr. "]))
            if b.parts[-1].endswith("Dr. "):
                self.name(b, last_only=True)
                b.add(".\n")
        else:
            b.add(self.choice(["Patient seen with Dr. ", "Discussed with Dr. ", "Case reviewed with Dr. "]))
            self.name(b, last_only=r.random() < 0.6)
            b.add(".\n")

    def choice(self, xs):
        return self.r.choice(xs)

    def allergy_history(self, b: NoteBuilder) -> None:
        """Sometimes an allergy entry ends with its history: when, and what treated it."""
        r = self.r
        x = r.random()
        if x < 0.08:
            b.add(self.choice([", required ", ", treated with ", " - needed ", ", gave "]))
            b.add(self.choice(RESCUE_DRUGS), "MEDICATION")
        elif x < 0.14:
            b.add(self.choice([" as a child", " years ago", " in childhood", ", remote", " as a teenager"]))

    @staticmethod
    def route(b: NoteBuilder, route: str) -> None:
        """A route as the corpora annotate it: "into both eyes" -> "into " + ROUTE "both eyes"
        (Glaucoma tags "both eyes", "left eye"); "by mouth" (both corpora) and "into the thigh" stay whole."""
        m = re.match(r"(?:into(?: the)?|in(?: the)?) (?=.*(?:eyes?|nostril)$)", route)
        if m:
            b.add(m.group())
            route = route[m.end():]
        b.add(route, "ROUTE")

    # ------------------------------------------------------------------ sections
    def allergies(self, b: NoteBuilder) -> None:
        r = self.r
        style = r.random()
        if style < 0.15:
            b.add(self.choice(["Allergies: ", "ALLERGIES: ", "Allergies\n", "Allergy: "]))
            b.add(self.choice(["NKDA", "No Known Allergies", "No known drug allergies", "NKA",
                               "Patient has no known allergies.", "No Known Drug Allergies"]))
            b.add("\n")
            return
        n = r.randint(1, 4)
        items = r.sample(self.allergens, n)
        if style < 0.45:  # Epic table
            b.add(self.choice(["Allergies\n", "Allergies   ", "ALLERGIES\n", "Allergies as of [DATE]\n"]))
            b.add(self.choice(["Allergen Reactions\n", "Allergen\tReactions\n", "Allergen  Reactions   ", ""]))
            for a in items:
                b.add(self.choice(["• ", "  ", "- ", ""]))
                b.add(a, "ALLERGEN")
                b.add(self.choice(["  ", "\t", "   ", " - ", ": "]))
                rs = r.sample(self.reactions, r.randint(0, 2))
                for j, x in enumerate(rs):
                    if j:
                        b.add(self.choice([", ", " and ", "; "]))
                    b.add(x, "REACTION")
                if r.random() < 0.35:
                    b.add(self.choice(["  ", " (", " - "]))
                    sev = self.choice(SEVERITIES)
                    b.add(sev, "SEVERITY")
                    b.add(self.choice(["", " reaction", ""]))
                    if b.parts[-2] == " (" or (len(b.parts) > 2 and b.parts[-3] == " ("):
                        b.add(")")
                self.allergy_history(b)
                if r.random() < 0.2:
                    b.add(self.choice(["  Not Reported", "  Unknown", "  Intolerance", "  Allergy"]))
                b.add("\n")
        elif style < 0.75:  # inline list
            b.add(self.choice(["Allergies: ", "ALLERGIES: ", "Allergy list: ", "Drug allergies: "]))
            for j, a in enumerate(items):
                if j:
                    b.add(self.choice([", ", "; ", ", "]))
                b.add(a, "ALLERGEN")
                rs = r.sample(self.reactions, r.randint(0, 2))
                if rs:
                    b.add(self.choice([" (", " - ", ": ", " causes "]))
                    opened = b.parts[-1] == " ("
                    for k, x in enumerate(rs):
                        if k:
                            b.add(self.choice([", ", " and ", "/"]))
                        b.add(x, "REACTION")
                    if r.random() < 0.3:
                        b.add(", ")
                        b.add(self.choice(SEVERITIES), "SEVERITY")
                    if opened:
                        b.add(")")
                    self.allergy_history(b)
            b.add(".\n" if r.random() < 0.5 else "\n")
        else:  # sentences
            for a in items:
                b.add(self.choice(["Patient is allergic to ", "Allergic to ", "Pt reports allergy to ",
                                   "She has an allergy to ", "He is allergic to ", "Intolerant of ",
                                   "History of allergic reaction to "]))
                b.add(a, "ALLERGEN")
                rs = r.sample(self.reactions, r.randint(0, 2))
                if rs:
                    b.add(self.choice([" which causes ", " with ", ", reaction: ", " resulting in ", " - "]))
                    if r.random() < 0.35:
                        b.add(self.choice(SEVERITIES[:6]), "SEVERITY")
                        b.add(" ")
                    for k, x in enumerate(rs):
                        if k:
                            b.add(self.choice([" and ", ", "]))
                        b.add(x, "REACTION")
                    self.allergy_history(b)
                b.add(". ")
            b.add("\n")

    def medications(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["Current Outpatient Medications\n", "Medications:\n", "MEDICATIONS\n",
                           "Current Outpatient Medications (Ophthalmic Medications)\nMedication Sig\n",
                           "Home medications:\n", "Meds: ", "Current Meds:\n"]))
        for _ in range(r.randint(1, 6)):
            name, doses = self.choice(DRUGS)
            eye = doses[0].endswith("drop") or doses[0].endswith("drops")
            own = DRUG_ROUTES.get(name)
            b.add(self.choice(["• ", "- ", "", "  "]))
            b.add(name, "MEDICATION")
            style = r.random()
            if style < 0.4:  # Epic sig
                b.add(" ")
                b.add(self.choice(["Take ", "TAKE ", "Instill ", "Place ", "Inject ", "Use "]))
                b.add(self.choice(doses), "DOSE")
                b.add(" ")
                self.route(b, self.choice(own or (ROUTES_EYE if eye else ROUTES_PO + ROUTES_OTHER[:3])))
                b.add(" ")
                b.add(self.choice(FREQS), "FREQUENCY")
                if r.random() < 0.15:
                    b.add(" ")
                    b.add(self.choice(DURATIONS), "DURATION")
                b.add(".")
            elif style < 0.8:  # terse
                b.add(" ")
                if r.random() < 0.8:
                    b.add(self.choice(doses), "DOSE")
                    b.add(" ")
                self.route(b, self.choice(own or (ROUTES_EYE if eye else ROUTES_PO + ROUTES_OTHER)))
                b.add(" ")
                b.add(self.choice(FREQS), "FREQUENCY")
                if r.random() < 0.15:
                    b.add(" ")
                    b.add(self.choice(DURATIONS), "DURATION")
            else:
                b.add(" ")
                b.add(self.choice(doses), "DOSE")
                if r.random() < 0.5:
                    b.add(" ")
                    b.add(self.choice(FREQS), "FREQUENCY")
            if r.random() < 0.1:
                b.add(" (Patient not taking: Reported on [DATE])")
            b.add("\n")

    def ros(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["ROS: ", "Review of Systems: ", "REVIEW OF SYSTEMS\n", "ROS:\n"]))
        for _ in range(r.randint(1, 3)):
            neg = r.random() < 0.6
            b.add(self.choice(NEGATIVE_ROS if neg else POSITIVE_ROS) + " ")
            syms = r.sample(SYMPTOMS, r.randint(1, 4))
            for j, s in enumerate(syms):
                if j:
                    b.add(", " if j < len(syms) - 1 else self.choice([", ", " or ", " and "]))
                b.add(s, "SYMPTOM", negated=neg)
            b.add(". ")
        b.add("\n")

    def hpi(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["HPI: ", "History of Present Illness: ", "Subjective: "]))
        if r.random() < 0.5:
            self.name(b)
            b.add(" is a ")
        else:
            b.add(self.choice(["Pt is a ", "Patient is a ", "The patient is a "]))
        b.add(f"{r.randint(20, 88)} y.o. {self.choice(['male', 'female', 'man', 'woman'])} with ")
        probs = r.sample(PROBLEMS, r.randint(1, 3))
        for j, p in enumerate(probs):
            if j:
                b.add(", " if j < len(probs) - 1 else " and ")
            b.add(p, "PROBLEM")
        b.add(self.choice([" who presents with ", " here for follow up. Reports ", " c/o "]))
        s = self.choice(SYMPTOMS)
        b.add(s, "SYMPTOM", negated=False)
        if r.random() < 0.5:
            b.add(self.choice([" for ", " x "]) + self.choice(["3 days", "2 weeks", "1 month", "several days"]))
        b.add(". ")
        if r.random() < 0.3:
            self.episode(b)
        if r.random() < 0.5:
            b.add(self.choice(["Denies ", "No "]))
            b.add(self.choice(SYMPTOMS), "SYMPTOM", negated=True)
            b.add(". ")
        if r.random() < 0.4:
            name, doses = self.choice(DRUGS)
            b.add(self.choice(["Started ", "Was given ", "Has been taking ", "Stopped "]))
            b.add(name, "MEDICATION")
            if r.random() < 0.6:
                b.add(" ")
                b.add(self.choice(doses), "DOSE")
            if r.random() < 0.5:
                b.add(" ")
                b.add(self.choice(FREQS), "FREQUENCY")
            if r.random() < 0.3:
                b.add(" ")
                b.add(self.choice(DURATIONS), "DURATION")
            b.add(self.choice([" [DATE]. ", " last week. ", ". "]))
        b.add("\n")

    def episode(self, b: NoteBuilder) -> None:
        """Narrative with allergy-like words that are not an allergy entry: symptoms, atopic problems."""
        r = self.r
        if r.random() < 0.5:
            b.add(self.choice(["She reports ", "He reports ", "Reports ", "History of ", "Has "]))
            b.add(self.choice(ATOPIC_PROBLEMS), "PROBLEM")
            b.add(self.choice([" with ", " manifesting as ", ", mainly "]))
        else:
            b.add(self.choice(["She had an episode of ", "He had an episode of ", "Developed ", "Had "]))
        syms = r.sample(ALLERGIC_SYMPTOMS, r.randint(1, 2))
        for j, x in enumerate(syms):
            if j:
                b.add(self.choice([" and ", ", "]))
            b.add(x, "SYMPTOM", negated=False)
        b.add(self.choice([" each spring", " last month", " two weeks ago", " after exercise", " at a restaurant",
                           " while outdoors", ""]))
        if r.random() < 0.5:
            b.add(self.choice([", treated with ", ", relieved by ", "; took ", ", given "]))
            b.add(self.choice(RESCUE_DRUGS), "MEDICATION")
        b.add(". ")

    def precautions(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["Return if she develops ", "Return if he develops ", "Call for ", "ER precautions for ",
                           "Seek care for any ", "Return precautions: "]))
        syms = r.sample(WARNING_SYMPTOMS, r.randint(1, 3))
        for j, x in enumerate(syms):
            if j:
                b.add(", " if j < len(syms) - 1 else self.choice([" or ", ", or ", " and "]))
            b.add(x, "SYMPTOM")
        b.add(".\n")

    def pmh(self, b: NoteBuilder) -> None:
        """Past medical history / problem list: EHR titles, short comma lists, denied history."""
        r = self.r
        style = r.random()
        if style < 0.45:
            b.add(self.choice(["Past Medical History:\n", "PAST MEDICAL HISTORY\n", "Problem List\n",
                               "Patient Active Problem List\n", "Active Problems:\n"]))
            if r.random() < 0.3:
                b.add(self.choice(["Diagnosis\tDate Noted\n", "Diagnosis  Date\n", "Diagnosis\n"]))
            for p in r.sample(PROBLEM_TITLES + PROBLEMS, r.randint(1, 6)):
                b.add(self.choice(["• ", "- ", "", "  "]))
                b.add(p, "PROBLEM")
                if r.random() < 0.4:
                    b.add(self.choice(["\t", "  ", "   "]) + self.date())
                b.add("\n")
        else:
            b.add(self.choice(["PMH: ", "PMHx: ", "Past medical history: ", "Hx of ", "Medical history significant for "]))
            items = r.sample(PROBLEM_SHORT + PROBLEMS, r.randint(2, 6))
            for j, p in enumerate(items):
                if j:
                    b.add(", " if j < len(items) - 1 or r.random() < 0.5 else " and ")
                if r.random() < 0.15:
                    b.add(self.choice(["h/o ", "hx of ", "remote "]))
                b.add(p, "PROBLEM")
            b.add(". ")
            if r.random() < 0.5:
                b.add(self.choice(["No h/o ", "No history of ", "Denies history of ", "No prior ", "Never had "]))
                neg = r.sample(PROBLEM_SHORT + PROBLEMS, r.randint(1, 3))
                for j, p in enumerate(neg):
                    if j:
                        b.add(", " if j < len(neg) - 1 else self.choice([" or ", ", or "]))
                    b.add(p, "PROBLEM", negated=True)
                b.add(". ")
            b.add("\n")

    def labs(self, b: NoteBuilder) -> None:
        """Lab results: test names and values are neither drugs nor doses."""
        r = self.r
        b.add(self.choice(["Labs: ", "LABS:\n", "Pertinent labs: ", "Results: "]))
        tests = r.sample(LAB_TESTS, r.randint(2, 6))
        for j, t in enumerate(tests):
            if j:
                b.add(self.choice([", ", "; ", ", "]))
            b.add(t + " " + self.choice([f"{r.randint(1, 200)}", f"{r.randint(1, 20)}.{r.randint(0, 9)}",
                                          "<0.01", "normal", "negative", "pending", f"{r.randint(1, 9)}.{r.randint(0, 9)} mg/dL",
                                          "negative x2", "elevated", "wnl"]))
        b.add(self.choice([".\n", "\n"]))

    def family(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["Family History: ", "FH: ", "FAMILY HISTORY\n", "Family history:\n"]))
        if r.random() < 0.15:
            b.add(self.choice(["Noncontributory.", "family history is negative for Blindness.",
                               "No family history on file."]))
            b.add("\n")
            return
        for _ in range(r.randint(1, 3)):
            b.add(self.choice(RELATIVES) + self.choice([": ", " - ", " with ", " had "]))
            p = self.choice(PROBLEMS)
            b.add(p, "PROBLEM")
            b.add(self.choice(["\n", "; ", ". "]))
        b.add("\n")

    def assessment(self, b: NoteBuilder) -> None:
        r = self.r
        b.add(self.choice(["Assessment/Plan:\n", "IMPRESSION:\n", "A/P:\n", "Assessment and Plan\n"]))
        for i in range(r.randint(1, 3)):
            b.add(self.choice([f"{i + 1}. ", "- ", "# "]))
            b.add(self.choice(PROBLEMS), "PROBLEM")
            if r.random() < 0.6:
                name, doses = self.choice(DRUGS)
                b.add(self.choice([" - continue ", " - start ", ": increase ", " - stop ", " - refill "]))
                b.add(name, "MEDICATION")
                if r.random() < 0.6:
                    b.add(" ")
                    b.add(self.choice(doses), "DOSE")
                if r.random() < 0.6:
                    b.add(" ")
                    b.add(self.choice(FREQS), "FREQUENCY")
            b.add("\n")
        if r.random() < 0.3:
            self.precautions(b)
        style = r.random()
        if style < 0.35:
            b.add(self.choice(["Return in 6 weeks with Dr. ", "Follow up with Dr. ", "RTC 3 months with "]))
            self.name(b, last_only=r.random() < 0.5)
            b.add(".")
        elif style < 0.5:
            b.add("Refer to ")
            self.place(b, "facility")
            b.add(self.choice([" for evaluation.", ".", " retina service."]))
        else:
            b.add(self.choice(["Follow up in 3 months.", "RTC " + self.date() + ".", ""]))
        b.add("\n")

    def note(self) -> NoteBuilder:
        b = NoteBuilder()
        r = self.r
        self.real_phi = r.random() < 0.5
        if r.random() < 0.6:
            self.header(b)
        sections = [self.hpi, self.pmh, self.allergies, self.medications, self.ros, self.labs, self.family,
                    self.social, self.assessment]
        # the allergy section appears in every note; others vary (bound methods compare with ==, not `is`)
        odds = {self.social: 0.4, self.pmh: 0.5, self.labs: 0.3}
        chosen = [s for s in sections if s == self.allergies or r.random() < odds.get(s, 0.65)]
        if r.random() < 0.3:
            r.shuffle(chosen)
        for s in chosen:
            s(b)
            if r.random() < 0.5:
                b.add("\n")
        if r.random() < 0.5:
            self.signature(b)
        return b


def generate(n: int, *, seed: int = 0, heldout: bool = False, prefix: str | None = None) -> list[CorpusDoc]:
    """``n`` synthetic annotated notes (deterministic for a seed)."""
    rng = random.Random(seed)
    g = _Gen(rng, heldout)
    prefix = prefix or ("synth-heldout" if heldout else "synth")
    docs = []
    for i in range(n):
        b = g.note()
        docs.append(CorpusDoc(f"{prefix}-{seed}-{i:05d}", "synthetic", b.text(), sorted(b.spans, key=lambda s: s.start),
                              [], frozenset(MODEL_LABELS)))
    return docs
