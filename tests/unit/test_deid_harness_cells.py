"""The last character-precision cells of the PHI layout harness on presidio-synth dev (issue 18,
seventeenth session): what the model reads differently with other text around a record (an embed
header, a bullet, a sentence alone), by family.

* a NAME span the model reads over a list of names written with commas is its names, without the
  commas (a "Last, First" field alone stays one span);
* a compass adjective the model reads as a place of its own right before a country is no place;
* a vehicle named with ``the`` that arrives, departs, docks or sails is no place;
* the word for the people of a place (``-er``) before the kind of venue or dish is no place.

Every person, place, ship and number is invented."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def rules():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone


def _model_hit(text: str, span: str, label: str = "LOCATION", source: str = "ehrnlp_transformer_phi:LOCATION"):
    from ehrnlp.deid.engine import _Hit

    a = text.index(span)
    return _Hit(label, a, a + len(span), 0.9, source)


# ------------------------------------------------------------------ a list of names with commas
@pytest.mark.parametrize(("text", "span", "items"), [
    ("They had 6: Ysolde, Bramwell, Corentin, Maelis and Tove.", "Ysolde, Bramwell, Corentin",
     ["Ysolde", "Bramwell", "Corentin"]),
    ("they had 4: ysolde, bramwell, corentin and tove.", "ysolde, bramwell, corentin", ["ysolde", "bramwell", "corentin"]),
    ("THEY HAD 3: YSOLDE, BRAMWELL, TOVE.", "YSOLDE, BRAMWELL, TOVE", ["YSOLDE", "BRAMWELL", "TOVE"]),
    # two names inside a longer list: the list goes on after the span, or a name and a comma came before it
    ("They had 4: Ysolde, Bramwell, Corentin and Tove.", "Ysolde, Bramwell", ["Ysolde", "Bramwell"]),
    ("our founders: Quellmark, Osei and Lindqvist", "Quellmark, Osei", ["Quellmark", "Osei"]),
    ("our founders: Quellmark, Osei, and Lindqvist", "Quellmark, Osei", ["Quellmark", "Osei"]),
    ("our founders: Quellmark, Osei, Lindqvist and Varga", "Osei, Lindqvist", ["Osei", "Lindqvist"]),
    ("founders: quellmark, osei and lindqvist", "quellmark, osei and lindqvist", ["quellmark", "osei", "lindqvist"]),
    # a "Last, First" field alone stays one span
    ("Seen with Okafor, Adaeze today.", "Okafor, Adaeze", ["Okafor, Adaeze"]),
    ("Attending: Quellmark, Ysolde R\nPlan: continue drops", "Quellmark, Ysolde R", ["Quellmark, Ysolde R"]),
    ("PCP Lindqvist, Tove. Next visit in 3 months.", "Lindqvist, Tove", ["Lindqvist, Tove"]),
])
def test_a_list_of_names_with_commas_is_its_names(text: str, span: str, items: list[str]) -> None:
    from ehrnlp.deid.recognizers import _span_items

    a = text.index(span)
    assert [text[s:e] for s, e in _span_items(text, a, a + len(span), "NAME")] == items


def test_a_place_with_commas_stays_whole() -> None:
    from ehrnlp.deid.recognizers import _span_items

    text = "She lives at Harbour Lane 7, Westmere, Norrland 6011 now."
    span = "Harbour Lane 7, Westmere, Norrland 6011"
    a = text.index(span)
    assert [text[s:e] for s, e in _span_items(text, a, a + len(span), "LOCATION")] == [span]


# ------------------------------------------------------------------ a compass adjective read apart
@pytest.mark.parametrize(("text", "spans", "kept"), [
    ("an orchestra serving Southern Italy", ["Southern", "Italy"], ["Italy"]),
    ("\u2022 tours of NORTHERN NORWAY in June", ["NORTHERN", "NORWAY"], ["NORWAY"]),
    ("- moved to eastern   canada last year", ["eastern", "canada"], ["canada"]),
    ("visits Central Portugal each spring", ["Central", "Portugal"], ["Portugal"]),
    ("born in Northern Ireland", ["Northern", "Ireland"], ["Northern", "Ireland"]),  # a country's whole name
    ("moved to Southern Pines, NC", ["Southern", "Pines"], ["Southern", "Pines"]),  # a town: no country after it
    ("lives in Western Massachusetts", ["Western", "Massachusetts"], ["Western", "Massachusetts"]),
    ("the Southern clinic in Italy", ["Southern", "Italy"], ["Southern", "Italy"]),  # not right before the country
])
def test_a_compass_adjective_read_apart_before_a_country_is_no_place(text: str, spans: list[str], kept: list[str]) -> None:
    from ehrnlp.deid.engine import _country_regions

    hits = [_model_hit(text, s) for s in spans]
    assert [text[h.start:h.end] for h in _country_regions(text, hits)] == kept


# ------------------------------------------------------------------ a vehicle that arrives or sails
@pytest.mark.parametrize(("text", "span", "dropped"), [
    ("The Princess Marlowe arrived at Kelmarsh this morning from Norway.", "Princess Marlowe", True),
    ("The Coral Queen docked at Westhaven at noon.", "Coral Queen", True),
    ("the silver meteor departed from the station late.", "silver meteor", True),
    ("THE NORTHERN STAR SAILED FOR PORTUGAL.", "NORTHERN STAR", True),
    ("The Grey Heron has just arrived in port.", "Grey Heron", True),
    ("The Amber Wren was delayed by the storm.", "Amber Wren", True),
    ("The Hague hosted the meeting.", "Hague", False),  # a place: it does what places do
    ("Jordan arrived at the clinic this morning.", "Jordan", False),  # a person read as a place: no "the"
    ("We stayed in Brookhaven arrived late.", "Brookhaven", False),
])
def test_a_vehicle_that_arrives_or_sails_is_no_place(rules, text: str, span: str, dropped: bool) -> None:
    kept = rules._filter(text, [_model_hit(text, span)], [])
    assert (not kept) is dropped


def test_a_vehicle_found_by_a_rule_stays(rules) -> None:
    text = "The Princess Marlowe arrived at Kelmarsh this morning."
    hit = _model_hit(text, "Princess Marlowe", source="ehrnlp_location_patterns:place_cue+ehrnlp_transformer_phi:LOCATION")
    assert rules._filter(text, [hit], [])
    name = _model_hit(text, "Princess Marlowe", label="NAME", source="ehrnlp_transformer_phi:NAME")
    assert rules._filter(text, [name], [])  # only places


# ------------------------------------------------------------------ the people of a place before a dish or venue
@pytest.mark.parametrize(("text", "span", "dropped"), [
    ("It serves great Greenlander food.", "great Greenlander", True),
    ("It serves great Greenlander food.", "Greenlander", True),
    ("a small Londoner cafe near the square", "Londoner", True),
    ("they cook proper Icelander dishes", "proper Icelander", True),
    ("a New Zealander restaurant opened", "New Zealander", True),
    ("IT SERVES GREAT GREENLANDER FOOD.", "GREAT GREENLANDER", True),
    ("It serves great Greenland food.", "Greenland", False),  # the place itself
    ("We met Greenlander yesterday.", "Greenlander", False),  # no dish or venue after it
    ("a Brookhaven restaurant opened", "Brookhaven", False),  # a town's name
    ("a Harwicker place on the corner", "Harwicker", False),  # no place known under the word
])
def test_the_people_of_a_place_before_a_dish_or_venue_is_no_place(rules, text: str, span: str, dropped: bool) -> None:
    kept = rules._filter(text, [_model_hit(text, span)], [])
    assert (not kept) is dropped


# ------------------------------------------------------------------ the model's span across a column gap; a bare word left by the trim
@pytest.mark.parametrize(("text", "span", "pieces"), [
    ("Yes, day and night  Flomax use?", "night  Flomax", ["night", "Flomax"]),
    ("Yes - Raynauds   Steroid use?", "Raynauds   Steroid", ["Raynauds", "Steroid"]),
    ("Referred by:\tQuellmark\tYsolde", "Quellmark\tYsolde", ["Quellmark", "Ysolde"]),
    ("Seen by Ysolde Quellmark today.", "Ysolde Quellmark", ["Ysolde Quellmark"]),  # no gap: one piece
])
def test_a_model_name_across_a_column_gap_is_read_piece_by_piece(text: str, span: str, pieces: list[str]) -> None:
    from ehrnlp.deid.recognizers import _gap_pieces

    a = text.index(span)
    assert [text[s:e] for s, e in _gap_pieces(text, a, a + len(span))] == pieces


@pytest.mark.parametrize(("text", "span", "kept"), [
    ("Consider YAG cap OD next visit.", "YAG cap", None),  # "YAG" allowed: "cap" left, an English word
    ("Yes, day and night  Flomax use?", "night  Flomax", None),
    ("Consider YAG Quellmark OD next visit.", "YAG Quellmark", "Quellmark"),  # a capitalised word is the model's
    ("Consider YAG zorvath OD next visit.", "YAG zorvath", "zorvath"),  # no English word
    ("consider yag clark od next visit.", "yag clark", "clark"),  # a one-case note: a listed name is the model's
])
def test_a_bare_english_word_left_by_the_trim_is_no_name(rules, text: str, span: str, kept: str | None) -> None:
    out = rules._filter(text, [_model_hit(text, span, label="NAME", source="ehrnlp_transformer_phi:NAME")], [])
    assert [text[h.start:h.end] for h in out] == ([] if kept is None else [kept])
    # a span a rule found too is left to the rules
    ruled = _model_hit(text, span, label="NAME", source="ehrnlp_name_slots:field+ehrnlp_transformer_phi:NAME")
    assert rules._filter(text, [ruled], [])


# ------------------------------------------------------------------ a word opening a line, an item or a field
@pytest.mark.parametrize(("text", "span", "dropped"), [
    ("Seborrheic blepharitis- quiescent at present    3.", "Seborrheic", True),
    ("3. Aphakic OU - wearing scleral lenses.", "Aphakic", True),
    ("No     Occupation:  Machinist (retired)    Review of systems", "Machinist", True),
    ("Yes - Raynauds   Steroid use?", "Steroid", True),
    ("\u2022 Meibomian gland dysfunction, both eyes", "Meibomian", True),
    ("Indications: ANGINA   POLYETHYLENE GLYCOL 3350", "ANGINA", True),
    ("Rose called the clinic today.", "Rose", False),  # a listed given name
    ("- Baker, 3 pm: call back", "Baker", False),  # a listed surname
    ("Referred by:  Zorvath", "Zorvath", False),  # no English word
    ("The drops were given by Machinist today.", "Machinist", False),  # not opening its line
    ("GA: Surgery will need it.", "GA", False),  # two letters
    ("Patient:  Steroid", "Steroid", False),  # after a name's label the model's span stays
    ("Signed: Machinist", "Machinist", False),
])
def test_a_word_opening_a_line_item_or_field_is_no_name(rules, text: str, span: str, dropped: bool) -> None:
    kept = rules._filter(text, [_model_hit(text, span, label="NAME", source="ehrnlp_transformer_phi:NAME")], [])
    assert (not kept) is dropped
    if dropped:  # a rule's or a cue's span stays; so does the model's in a note written all in lower case
        ruled = _model_hit(text, span, label="NAME", source="ehrnlp_name_slots:opening+ehrnlp_transformer_phi:NAME")
        assert rules._filter(text, [ruled], [])
        low = text.lower()
        assert rules._filter(low, [_model_hit(low, span.lower(), label="NAME", source="ehrnlp_transformer_phi:NAME")], [])
