"""Identifiers as the rest of the world writes them (nineteenth session, found by probing layouts no canary
kind carries): dates with the day first (``14/03/1961``, ``25.12.2019``; a date whose day is 13 or more was
read as no date at all) or the year first with dots or slashes, national health and person numbers after
their labels (NHS, CHI, health card, AHV, NINO, DNI, CPR, SIN), telephone labels of other languages, a
postal code before its town, a Canadian city and province; and, found by the same probing, an age over 89
written with its sex (``93F with CHF``), dates as fields shorten them (``Mar-14-1961``, ``14MAR1961``,
``March the 14th``) and social media handles. Each with neighbours that must stay. Every value here is
invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

_BEFORE = "Patient seen in clinic today.\n"
_AFTER = "\nPlan: continue the current drops.\n"

_MASKED = [
    (_BEFORE + 'DOB: 14.03.1961' + _AFTER, ['14.03.1961']),
    (_BEFORE + 'Admitted 14.03.2019 and discharged 18.03.2019.' + _AFTER, ['14.03.2019', '18.03.2019']),
    (_BEFORE + 'Born 14/03/1961 in a village.' + _AFTER, ['14/03/1961']),
    (_BEFORE + 'Seen on 25/12/19 by the GP.' + _AFTER, ['25/12/19']),
    (_BEFORE + 'DOB: 31/01/61' + _AFTER, ['31/01/61']),
    (_BEFORE + 'Operated on 2019.12.25 abroad.' + _AFTER, ['2019.12.25']),
    (_BEFORE + 'Operated on 2019/12/25 abroad.' + _AFTER, ['2019/12/25']),
    ('SEEN TODAY.\nDOB: 14.03.1961\nOK.\n', ['14.03.1961']),
    (_BEFORE + 'NHS number: 485 777 3456' + _AFTER, ['485 777 3456']),
    (_BEFORE + 'nhs no 4857773456' + _AFTER, ['4857773456']),
    (_BEFORE + 'Health card 1234-567-890-AB' + _AFTER, ['1234-567-890']),
    (_BEFORE + 'AHV 756.1234.5678.97' + _AFTER, ['756.1234.5678.97']),
    (_BEFORE + 'national insurance number AB 12 34 56 C' + _AFTER, ['12 34 56']),
    (_BEFORE + 'CPR: 140361-1234' + _AFTER, ['140361-1234']),
    (_BEFORE + 'DNI 12345678Z' + _AFTER, ['12345678']),
    (_BEFORE + 'SIN 046 454 286' + _AFTER, ['046 454 286']),
    ('SEEN TODAY.\nHEALTH CARD 1234-567-890-AB\nOK.\n', ['1234-567-890']),
    (_BEFORE + 'teléfono 612 34 56 78' + _AFTER, ['612 34 56 78']),
    (_BEFORE + 'Handy: 0171 2345678' + _AFTER, ['0171 2345678']),
    (_BEFORE + 'PLZ 10115 Berlin, Invalidenstrasse 44' + _AFTER, ['10115 Berlin']),
    (_BEFORE + 'CP 28013 Madrid' + _AFTER, ['28013 Madrid']),
    (_BEFORE + 'Postal code K1A 0B1, Ottawa, ON' + _AFTER, ['Ottawa']),
    (_BEFORE + 'Moved here from Halifax, NS.' + _AFTER, ['Halifax']),
    (_BEFORE + '93F with CHF exacerbation.' + _AFTER, ['93']),
    (_BEFORE + 'Pt is a 96M, lives alone.' + _AFTER, ['96']),
    ('101 F WITH SYNCOPE.\nSEEN TODAY.\n', ['101']),
    ('seen today.\n93f with chf.\n', ['93']),
    (_BEFORE + 'Surgery on March the 14th, 2019.' + _AFTER, ['March the 14th']),
    (_BEFORE + 'Pt DOB: Mar-14-1961' + _AFTER, ['Mar-14-1961']),
    (_BEFORE + 'DOB: 14MAR1961' + _AFTER, ['14MAR1961']),
    (_BEFORE + 'dob 14mar61' + _AFTER, ['14mar61']),
    (_BEFORE + 'Instagram @quenn.peregrine' + _AFTER, ['@quenn.peregrine']),
    (_BEFORE + 'twitter: @pquenn61' + _AFTER, ['@pquenn61']),
    (_BEFORE + 'FB handle p.quenn.61' + _AFTER, ['p.quenn.61']),
    # dev seed 1097 (46 kinds): a name in apposition after "the patient,", a label and its value a tab or a bar
    # apart, a birth after a name
    (_BEFORE + 'The patient, SCHÄFER, Dagfinn, né(e) le 14.03.1961, was seen.' + _AFTER, ['SCHÄFER', 'Dagfinn']),
    ('SEEN TODAY.\nTHE PATIENT, WETERING, HANS, DATA DI NASCITA 14.03.1961, WAS SEEN.\nOK.\n', ['WETERING', 'HANS']),
    ('the patient, wetering, hans, né(e) 14.03.1961, was seen.\nok.\n', ['wetering', 'hans']),
    ('PT ID 12345678 (SCANNED)\nNAME\tHANS DUVERNOY\nOK.\n', ['HANS', 'DUVERNOY']),
    (_BEFORE + 'Patient |\tVarelund Tomasz' + _AFTER, ['Varelund']),
    (_BEFORE + 'hans hasselbruch,\tborn 14.03.1961,\tlives here.' + _AFTER, ['hans', 'hasselbruch']),
    (_BEFORE + 'Quennell, geb. 14.03.1961' + _AFTER, ['Quennell']),
]

_KEPT = [
    (_BEFORE + 'IOP 15/14/13 mmHg.' + _AFTER, '15/14/13'),  # three values, no date
    (_BEFORE + 'ROM 15/10/20 degrees.' + _AFTER, '15/10/20'),
    (_BEFORE + 'IOP 15/12/10 today.' + _AFTER, '15/12/10'),
    (_BEFORE + 'Has a CPR certification since 2019.' + _AFTER, 'certification'),
    (_BEFORE + 'Cap 1000 mg daily.' + _AFTER, '1000'),  # a capsule, no postal code
    (_BEFORE + 'Seen on the chi 2 test today.' + _AFTER, 'chi'),
    (_BEFORE + 'Sinus rhythm, sin 12345 units.' + _AFTER, '12345'),  # five digits: no national number
    (_BEFORE + 'health care 2019 visits were few.' + _AFTER, '2019'),
    (_BEFORE + 'Turn ON the pump at night.' + _AFTER, 'Turn'),
    (_BEFORE + 'Tmax 101F with chills.' + _AFTER, '101'),  # temperatures and vitals
    (_BEFORE + 'fever to 102F with rigors.' + _AFTER, '102'),
    (_BEFORE + 'Temp 100F with cough.' + _AFTER, '100'),
    (_BEFORE + 'BP 98M with a pulse of 70.' + _AFTER, '98'),
    (_BEFORE + 'walked 100 m with a walker.' + _AFTER, '100'),  # metres
    (_BEFORE + '64F with CHF exacerbation.' + _AFTER, '64'),  # an age under 90
    (_BEFORE + 'Seen 3Mar and 4Apr for injections.' + _AFTER, '3Mar'),  # no year
    (_BEFORE + 'Gave 5mg IV push.' + _AFTER, '5mg'),
    (_BEFORE + 'Patient uses Instagram daily for support groups.' + _AFTER, 'daily'),
    (_BEFORE + 'Snap test positive.' + _AFTER, 'test'),
    (_BEFORE + 'The patient, however, was fine.' + _AFTER, 'however'),
    (_BEFORE + 'The patient, a 64-year-old man, was seen.' + _AFTER, 'man'),
    (_BEFORE + 'Name\tDose\tRoute\ntimolol\t0.5%\tOU' + _AFTER, 'Dose'),
    (_BEFORE + 'Baby born 3 weeks early.' + _AFTER, 'Baby'),
]


# branch intl20 (the canary's ``intl`` kind): the forms of the same family the rules above still missed, each with
# neighbours it has not seen; every value invented
_MASKED_INTL = [
    # a month written out in another language, a Roman month, a numeric date with blanks
    (_BEFORE + 'Date de naissance : 14 mars 1961' + _AFTER, ['14 mars 1961']),
    (_BEFORE + 'Geburtsdatum: 3. März 1958' + _AFTER, ['3. März 1958']),
    (_BEFORE + 'Fecha de nacimiento: 14 de marzo de 1961' + _AFTER, ['14 de marzo de 1961']),
    (_BEFORE + 'Ricoverato il 25 dicembre 2019.' + _AFTER, ['25 dicembre 2019']),
    (_BEFORE + 'Opgenomen op 2 maart 2020.' + _AFTER, ['2 maart 2020']),
    (_BEFORE + 'Nascido em 9 de outubro de 1975.' + _AFTER, ['9 de outubro de 1975']),
    (_BEFORE + 'seen le 1er août 2018 in lyon' + _AFTER, ['1er août 2018']),
    ('SEEN TODAY.\nNÉ LE 14 JUILLET 1961\nOK.\n', ['14 JUILLET 1961']),
    (_BEFORE + 'DOB 14.III.1961' + _AFTER, ['14.III.1961']),
    (_BEFORE + 'dob 7/xi/48' + _AFTER, ['7/xi/48']),
    (_BEFORE + 'DOB: 14 03 1961' + _AFTER, ['14 03 1961']),
    (_BEFORE + 'Admitted 24 11 2019 via A&E.' + _AFTER, ['24 11 2019']),
    # national numbers after the labels other countries give them
    (_BEFORE + 'NI number QQ 12 34 56 C' + _AFTER, ['12 34 56']),
    (_BEFORE + 'NAS 046 454 286' + _AFTER, ['046 454 286']),
    (_BEFORE + 'Medicare 2123 45670 1' + _AFTER, ['2123 45670 1']),
    (_BEFORE + 'AHV-Nr. 756.9876.5432.10' + _AFTER, ['756.9876.5432.10']),
    (_BEFORE + 'KVNR: B987654321' + _AFTER, ['B987654321']),
    (_BEFORE + 'N° de sécurité sociale 1 61 03 75 123 456 78' + _AFTER, ['1 61 03 75 123 456 78']),
    (_BEFORE + 'insee: 2 65 11 93 421 881 30' + _AFTER, ['2 65 11 93 421 881 30']),
    (_BEFORE + 'NIF 87654321X' + _AFTER, ['87654321X']),
    (_BEFORE + 'CPR-nr. 230457-9876' + _AFTER, ['230457-9876']),
    (_BEFORE + 'pnr 19570423-9876' + _AFTER, ['19570423-9876']),
    (_BEFORE + 'Aadhaar no. 2345 6789 0123' + _AFTER, ['2345 6789 0123']),
    (_BEFORE + 'burgerservicenummer 123456782' + _AFTER, ['123456782']),
    (_BEFORE + 'Codice fiscale RSSMRA61C14H501Z' + _AFTER, ['RSSMRA61C14H501Z']),
    (_BEFORE + 'svnr 1234 140361' + _AFTER, ['1234 140361']),
    # a phone with a slash after its area code
    (_BEFORE + 'Mob 0171/2345678' + _AFTER, ['0171/2345678']),
    (_BEFORE + 'Rückruf unter 030/98765432 erbeten.' + _AFTER, ['030/98765432']),
    # streets, postal codes and towns
    (_BEFORE + 'Anschrift: Quellenhofstraße 14, D-10115 Berlin' + _AFTER, ['Quellenhofstraße 14', '10115']),
    (_BEFORE + 'wohnt birkenweg 5a, 8001 zürich' + _AFTER, ['birkenweg 5a', '8001']),
    (_BEFORE + 'Adresse : 12 rue Penhallow, 75011 Paris' + _AFTER, ['rue Penhallow', '75011 Paris']),
    (_BEFORE + 'Calle Almendro 12, 3º 2ª\n28013 Madrid' + _AFTER, ['Calle Almendro 12', '28013 Madrid']),
    (_BEFORE + 'Vive in Via Roma 3, Torino.' + _AFTER, ['Via Roma 3']),
    (_BEFORE + 'Lives at CH-8871 Weesen now.' + _AFTER, ['8871']),
    (_BEFORE + 'Flat 4, 22 Penhallow Close, SW1A 1AA' + _AFTER, ['SW1A 1AA']),
    (_BEFORE + 'address: 3 penhallow road, netherstowe, ls6 2qd' + _AFTER, ['ls6 2qd']),
]

_KEPT_INTL = [
    (_BEFORE + 'Vitamin D-5000 IU daily.' + _AFTER, '5000'),  # a dose, no postal code
    (_BEFORE + 'Recurring 3 times a week.' + _AFTER, 'Recurring'),
    (_BEFORE + 'Fed via PEG 250 ml at night.' + _AFTER, 'PEG'),
    (_BEFORE + 'Stage III 2019 resected.' + _AFTER, 'III'),  # a stage and a year, no date
    (_BEFORE + 'Mars 2 cups of coffee a day.' + _AFTER, 'Mars'),  # no day, no year: no date
    (_BEFORE + 'cf. 2 prior notes.' + _AFTER, 'prior'),
    (_BEFORE + 'Ratio 1/20000 on ANA.' + _AFTER, '1/20000'),  # no leading zero: no phone
    (_BEFORE + 'Scores 14 12 9 across visits.' + _AFTER, '14 12 9'),  # no year
    (_BEFORE + 'Place 2 drops in each eye.' + _AFTER, 'drops'),
]


_MASKED_INTL_2 = [
    (_BEFORE + 'Last seen 22-jan-77 in clinic.' + _AFTER, ['22-jan-77']),
    ('SEEN TODAY.\nLAST SEEN 9-JUN-21.\nOK.\n', ['9-JUN-21']),
    (_BEFORE + '| Data di nascita | 21/4/87 |' + _AFTER, ['21/4/87']),
    (_BEFORE + 'geb. 23.11.48 in Graz' + _AFTER, ['23.11.48']),
    (_BEFORE + 'F. nac.: 30/1/52' + _AFTER, ['30/1/52']),
    (_BEFORE + 'Patient card RSSMRA61C14H501Z on file.' + _AFTER, ['RSSMRA61C14H501Z']),
    (_BEFORE + 'cf: bnclra75e41f205x' + _AFTER, ['bnclra75e41f205x']),
    (_BEFORE + 'NAS  657 705  602' + _AFTER, ['657 705  602']),
]

_KEPT_INTL_2 = [
    (_BEFORE + 'Lesions 12-15 mm, grade 2-3.' + _AFTER, '12-15'),
    (_BEFORE + 'Nac 21/4 mmol today.' + _AFTER, '21/4'),  # no year: no date
    (_BEFORE + 'Geb. Gewicht 3450 g.' + _AFTER, '3450'),  # a label of a date, no date after it
]


_MASKED_INTL_3 = [
    (_BEFORE + 'Aufnahme: 28. September 1972' + _AFTER, ['28. September 1972']),
    (_BEFORE + 'gezien op 3 november 2001' + _AFTER, ['3 november 2001']),
    (_BEFORE + 'Family can be called on 0044 20 7946 0958.' + _AFTER, ['0044 20 7946 0958']),
    (_BEFORE + 'Rappeler au 06 12 34 56 78 svp.' + _AFTER, ['06 12 34 56 78']),
    (_BEFORE + 'Praxis 044 123 45 67.' + _AFTER, ['044 123 45 67']),
    (_BEFORE + 'domicile: e-28013 madrid' + _AFTER, ['28013']),
    (_BEFORE + 'Calle Almendro 12, 6º 2ª 28013 Madrid.' + _AFTER, ['28013']),
    (_BEFORE + 'Adresse: Almendroweg 12, Whg. 4, 22634\nKleinwaldau' + _AFTER, ['22634']),
]

_KEPT_INTL_3 = [
    (_BEFORE + 'Counts 012 34 on review.' + _AFTER, '012 34'),  # two groups: no phone
    (_BEFORE + 'Dose 0.5 12 34 56 units.' + _AFTER, '12 34 56'),
    (_BEFORE + 'Calle Almendro 12, given 2000 units.' + _AFTER, '2000'),  # a quantity after a street, no postal code
    (_BEFORE + 'Well since February 2012 because of pain.' + _AFTER, 'because'),  # 'rua' inside 'February' is no street
    (_BEFORE + 'Was true 2015 Berlin data?' + _AFTER, '2015'),
]


@pytest.mark.parametrize("text,values", _MASKED + _MASKED_INTL + _MASKED_INTL_2 + _MASKED_INTL_3)
def test_each_form_is_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT + _KEPT_INTL + _KEPT_INTL_2 + _KEPT_INTL_3)
def test_its_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


# twentieth session (issue 16, branch intl21): the ``intl`` leaks of dev seeds 1091 and 1097 by cause, each family with
# neighbours the canary does not write; every value invented. A note in capitals is read in lower case, so each form is
# tried in capitals too (:data:`_CAPS`).
_MASKED_INTL_4 = [
    # UK postcodes in any case where an address puts them, and wrapped; Canadian postal codes the same
    (_BEFORE + 'Home: 3 Penhallow Road, Netherstowe, H1 1DD. Family can be called.' + _AFTER, ['H1 1DD']),
    (_BEFORE + '| address | 3 penhallow road, x2 8nr |' + _AFTER, ['x2 8nr']),
    (_BEFORE + '|\t3 penhallow road,\thf27 5yz |' + _AFTER, ['hf27 5yz']),
    (_BEFORE + 'home: 12 penhallow road, hawleigh, ee6q\n5ng |' + _AFTER, ['ee6q\n5ng']),
    (_BEFORE + 'Contact 06 12 34 56 78, 3 Penhallow Avenue, Ottawa, ON C2E\n0P2. Insurance' + _AFTER, ['C2E\n0P2']),
    (_BEFORE + '| domicile | 3 penhallow road\ns6c 9b8 |' + _AFTER, ['s6c 9b8']),
    # neighbours: an Irish Eircode, an Australian state's postcode, Dutch, Polish and Japanese postcodes
    (_BEFORE + 'Eircode D02 X285' + _AFTER, ['D02 X285']),
    (_BEFORE + '3 main street, dublin 2, d02 x285' + _AFTER, ['d02 x285']),
    (_BEFORE + '12 george st, sydney nsw 2000' + _AFTER, ['sydney nsw 2000']),
    (_BEFORE + 'Keizersgracht 12, 1012 AB Amsterdam' + _AFTER, ['1012 AB Amsterdam']),
    (_BEFORE + 'ul. Kwiatowa 5, 00-950 Warszawa' + _AFTER, ['00-950 Warszawa']),
    (_BEFORE + '〒100-0001 Chiyoda' + _AFTER, ['〒100-0001']),
    # a postal code and its town parted by a hard wrap; a house named before its street
    (_BEFORE + 'Domicile Calle Quellen 12, 4º 4ª, E-10322\nZaragoza' + _AFTER, ['10322\nZaragoza']),
    (_BEFORE + 'Contact 0612345678 E-35832\nVillarrubio. Insurance' + _AFTER, ['35832\nVillarrubio']),
    (_BEFORE + 'Brackenholt House,\t3 Brackenholt Lane' + _AFTER, ['Brackenholt House']),
    # a day-first date after an English label in a cell; a mobile parted by a wrap
    (_BEFORE + 'Seen\t|\t28/5/89' + _AFTER, ['28/5/89']),
    (_BEFORE + 'admitted\t|\t24/4/70' + _AFTER, ['24/4/70']),
    (_BEFORE + 'mob 07700\n900123' + _AFTER, ['07700\n900123']),
    # national numbers: Belgian, Brazilian, Polish, Finnish, Norwegian
    (_BEFORE + 'Rijksregisternummer 85.07.30-033.28' + _AFTER, ['85.07.30-033.28']),
    (_BEFORE + 'CPF 123.456.789-09' + _AFTER, ['123.456.789-09']),
    (_BEFORE + 'PESEL 44051401359' + _AFTER, ['44051401359']),
    (_BEFORE + 'HETU 131052-308T' + _AFTER, ['131052-308T']),
    (_BEFORE + 'fødselsnummer 01017012345' + _AFTER, ['01017012345']),
    # names: a surname in capitals after or before the given name, particles, labels and titles of other languages
    (_BEFORE + 'Patient: Dagfinn HASSELBRUCH (NHS # 485 777 3456), seen.' + _AFTER, ['HASSELBRUCH']),
    (_BEFORE + 'Name: Mairéad DUVERNOY, DOB 14.03.1961' + _AFTER, ['DUVERNOY']),
    (_BEFORE + 'Patient: LINDAHL, Dagfinn, Fecha de nacimiento 14.03.1961, was seen' + _AFTER, ['LINDAHL']),
    (_BEFORE + 'Re: OLAZÁBAL LÓPEZ, Søren, geb. 14.03.1961' + _AFTER, ['OLAZÁBAL LÓPEZ']),
    (_BEFORE + 'Name: Ravnkilde,\tPilar\tDOB 14.03.1961' + _AFTER, ['Pilar']),
    (_BEFORE + 'Patientin: Quiroga, Pilar (AVS 756.1234.5678.97)' + _AFTER, ['Pilar']),
    (_BEFORE + 'referred from abroad: quiroga, pilar (avs 756.1234.5678.97), seen' + _AFTER, ['pilar']),
    (_BEFORE + 'Re: van der Wetering, R., Date 14.03.1961' + _AFTER, ['van der Wetering']),
    (_BEFORE + 're: de velde, é., ok' + _AFTER, ['de velde']),
    (_BEFORE + 'Re: bin Rashid, A., seen' + _AFTER, ['bin Rashid']),
    (_BEFORE + 'Name: Brink, Hans van den' + _AFTER, ['Brink, Hans van den']),
    (_BEFORE + 'paciente pilar van der kamp\ndob 14.03.1961' + _AFTER, ['pilar van der kamp']),
    (_BEFORE + 'nom\t|\thans de wetering' + _AFTER, ['hans de wetering']),
    (_BEFORE + 'NOMBRE: PILAR QUIROGA' + _AFTER, ['PILAR']),
    (_BEFORE + 'Patientin\t|\tDña. Gunnhild Quennell' + _AFTER, ['Gunnhild Quennell']),
    (_BEFORE + 'Sig.ra Élodie Duvernoy was seen.' + _AFTER, ['Élodie Duvernoy']),
    (_BEFORE + 'Mevr. Renske Trautwein was seen.' + _AFTER, ['Renske Trautwein']),
    (_BEFORE + 'Pani Olga Kowalczuk was seen.' + _AFTER, ['Olga Kowalczuk']),
    (_BEFORE + 'Referred: Mariam BEN YOUSSEF (CPR 140361-1234)' + _AFTER, ['YOUSSEF']),
    (_BEFORE + 'Name: Wetering, Hans van' + _AFTER, ['Wetering, Hans van']),
    (_BEFORE + 'naam: kamp, hans de' + _AFTER, ['kamp, hans de']),
    (_BEFORE + 'Nombre IYENGAR, Hans' + _AFTER, ['IYENGAR, Hans']),
    (_BEFORE + 'lives at 3 penhallow road, hawleigh, hx2x 8ul. family ok' + _AFTER, ['hx2x 8ul']),
    (_BEFORE + 'Re: Ten Brink, A., seen' + _AFTER, ['Ten Brink']),
    (_BEFORE + 'Paciente: María de la Fuente' + _AFTER, ['María de la Fuente']),
    (_BEFORE + 'Patiënt: Jan ter Horst' + _AFTER, ['Jan ter Horst']),
    (_BEFORE + 'Nome: Giulia di Stefano' + _AFTER, ['Giulia di Stefano']),
    (_BEFORE + 'Herr Jürgen von Hasselbruch was seen.' + _AFTER, ['Jürgen von Hasselbruch']),
    (_BEFORE + 'Name: al-Rashid, Omar' + _AFTER, ['al-Rashid']),
    (_BEFORE + 'Name: Ní Bhriain, Siobhán' + _AFTER, ['Bhriain']),
    (_BEFORE + 'Referred from abroad: Pilar van der Kamp (AVS 756.1234.5678.97)' + _AFTER, ['Pilar van der Kamp']),
    (_BEFORE + 'Seen with Hans de Wetering today.' + _AFTER, ['Hans de Wetering']),
    (_BEFORE + 'Husband Omar bin Khalid present.' + _AFTER, ['Omar bin Khalid']),
]

_KEPT_INTL_4 = [
    (_BEFORE + 'The patient had de novo AML, a. fib noted.' + _AFTER, 'novo'),
    (_BEFORE + 'Drove his van to clinic, ok.' + _AFTER, 'van'),
    (_BEFORE + 'Refraction -2.00 Di sphere.' + _AFTER, 'Di'),
    (_BEFORE + 'Diagnosed with von Willebrand disease.' + _AFTER, 'Willebrand'),
    (_BEFORE + 'Carcinoma in situ, margins clear.' + _AFTER, 'situ'),
    (_BEFORE + 'Seen by Hans Brink ICU today.' + _AFTER, 'ICU'),
    (_BEFORE + 'Seen by Maria Lopez RN today.' + _AFTER, 'RN'),
    (_BEFORE + 'Spoke with Smith, pharmacy.' + _AFTER, 'pharmacy'),
    (_BEFORE + 'Smith, who was on call, agreed.' + _AFTER, 'who'),
    (_BEFORE + 'Consult: Ortiz, cardiology\tok' + _AFTER, 'cardiology'),
    (_BEFORE + 'Seen by Dr. Hans Quennell, dermatology, today.' + _AFTER, 'dermatology'),
    (_BEFORE + 'Lesion de la face, ok' + _AFTER, 'face'),
    (_BEFORE + 'Pilar cyst excised today.' + _AFTER, 'Pilar'),
    (_BEFORE + 'Dose 1000 IU Daily' + _AFTER, 'Daily'),
    (_BEFORE + 'Ages 18-100 Years' + _AFTER, 'Years'),
    (_BEFORE + 'given 2000 IU, WA 6000?' + _AFTER, 'IU'),
    (_BEFORE + 'Stage T3N0M0 on review' + _AFTER, 'T3N0M0'),
    (_BEFORE + 'reviewed labs, q4 6hr.' + _AFTER, '6hr'),
    (_BEFORE + 'Release 2.1 build 2019' + _AFTER, '2019'),
    (_BEFORE + 'Score 12 34 56 78' + _AFTER, '12'),
    (_BEFORE + 'Nursing home, Main Street' + _AFTER, 'Nursing'),
    (_BEFORE + 'Moved to care house, Station Road' + _AFTER, 'care'),
    (_BEFORE + 'Seen at 10:30, IOP 14/15.' + _AFTER, '14/15'),
    (_BEFORE + 'Patient: John Smith MRN 12345678' + _AFTER, 'MRN'),
    (_BEFORE + 'Patient: John Smith CHF exacerbation' + _AFTER, 'CHF'),
    (_BEFORE + 'Patient: Sarah Jones LEFT eye' + _AFTER, 'LEFT'),
    (_BEFORE + 'Signed: Jane Doe RN BSN' + _AFTER, 'BSN'),
    (_BEFORE + 'Placed 16 Fr. Foley today.' + _AFTER, 'Foley'),
    (_BEFORE + 'Sig. Take one tablet daily.' + _AFTER, 'Take'),
    (_BEFORE + 'ALLERGIES, Penicillin' + _AFTER, 'ALLERGIES'),
    (_BEFORE + 'Patient: Jones, Mary\tSex: F' + _AFTER, 'Sex'),
    (_BEFORE + 'Patient: Smith, John, MD' + _AFTER, 'MD'),
    (_BEFORE + 'Rx: Timolol, de novo start.' + _AFTER, 'novo'),
    (_BEFORE + 'The van was parked outside.' + _AFTER, 'van'),
    # the gold sets' dev records (cost of the first round): an acronym after a name across a column gap, a title's
    # letter after a slash, a label's letters opening a word
    (_BEFORE + 'retinal tears s/p retinopexy os - many years ago' + _AFTER, 'retinopexy'),
    (_BEFORE + 'iop stable, s/p trabs ou - hvf stable today' + _AFTER, 'trabs'),
    (_BEFORE + 'Referred by: Dr. Lacroix  JOAG OD>OS    HPI:' + _AFTER, 'JOAG'),
    (_BEFORE + 'gall bladder removal, herniorrhaphy, spleen abscess' + _AFTER, 'herniorrhaphy'),
    (_BEFORE + 'Seen by Dr. Agnieszka Underwood  PACHY: .568' + _AFTER, 'PACHY'),
    (_BEFORE + 'Torsades de Pointes noted.' + _AFTER, 'Pointes'),
    (_BEFORE + 'Tetralogy of Fallot repaired.' + _AFTER, 'Fallot'),
    (_BEFORE + 'Cardiac de Novo lesion' + _AFTER, 'Novo'),
    (_BEFORE + 'Plan de Soins reviewed' + _AFTER, 'Soins'),
]

#: the forms that must hold in a note written in capitals too (read in lower case)
_CAPS = [(t.upper(), [v.upper() for v in vs]) for t, vs in _MASKED_INTL_4[:18]]


@pytest.mark.parametrize("text,values", _MASKED_INTL_4 + _CAPS)
def test_each_form_of_other_countries_is_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT_INTL_4 + [(t.upper(), w.upper()) for t, w in _KEPT_INTL_4])
def test_their_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


#: (twentieth session, the lead, dev seed 1103) streets as the UK and the Commonwealth name them, after a flat's number
_MASKED_UK_STREETS = [
    (_BEFORE + "domicile:  flat 5, 100 quarrendon close, kestrel" + _AFTER, "100 quarrendon close"),
    (_BEFORE + "Address: Flat 8, 119 Penhallow Close, Truro" + _AFTER, "119 Penhallow Close"),
    (_BEFORE + "FLAT 3, 15 ALDWINCKLE CLOSE, LEEDS" + _AFTER, "15 ALDWINCKLE CLOSE"),
    (_BEFORE + "Lives at 4 Marlpit Gardens with her son." + _AFTER, "4 Marlpit Gardens"),
    (_BEFORE + "12 Cobbler's Mews, Bath" + _AFTER, "12 Cobbler's Mews"),
    (_BEFORE + "7 Ashdown Grove, Hove" + _AFTER, "7 Ashdown Grove"),
]
_KEPT_UK_STREETS = [
    (_BEFORE + "Given 10 mL indocyanine green." + _AFTER, "green"),
    (_BEFORE + "2 close contacts tested negative." + _AFTER, "close"),
    (_BEFORE + "12 brisk walk sessions a week." + _AFTER, "walk"),
]


@pytest.mark.parametrize("text,value", _MASKED_UK_STREETS)
def test_uk_streets_are_masked(rules_stage, text, value):
    assert _masked(rules_stage, text, value), value


@pytest.mark.parametrize("text,word", _KEPT_UK_STREETS)
def test_uk_street_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


# twenty-first session (issue 16, branch intl22): the ``intl`` leaks of dev seeds 1117 and 1123 by cause, each as a family
# of forms the canary does not write, each gap of a value cut by a hard wrap (LF or CRLF) or a run of blanks, and the
# neighbours that must stay; every value invented.
_GAPS = [" ", "\n", "\r\n", "   "]


def _gapped(value: str) -> list[str]:
    """``value`` with each of its blanks in turn a hard wrap or a run of blanks."""
    spots = [i for i, c in enumerate(value) if c == " "]
    return [value] + [value[:i] + g + value[i + 1:] for i in spots for g in _GAPS[1:]]


#: telephones with an area code in brackets, a country code and "(0)", a trunk 0 and groups of three or four
_PHONES_21 = ["(020) 7946 0958", "(0161) 496 0000", "+44 (0)20 7946 0958", "(01) 234 5678", "(0171) 234 5678",
              "+353 (0)1 234 5678", "+33 6 12 34 56 78", "+41 44 123 45 67", "+46 8 123 456 78", "020 7946 0958",
              "0161 496 0000"]
_PHONE_CONTEXTS = ["Contact {p}, flat 9.", "Tel.: {p}\nSeen today.", "| Telefon | {p} |", "reachable on {p}. Seen"]
_MASKED_PHONES_21 = [(_BEFORE + c.format(p=v) + _AFTER, v) for p in _PHONES_21 for v in _gapped(p) for c in _PHONE_CONTEXTS[:2]]
_MASKED_PHONES_21 += [(_BEFORE + c.format(p=p).lower() + _AFTER, p) for p in _PHONES_21 for c in _PHONE_CONTEXTS[2:]]
_KEPT_PHONES_21 = [
    (_BEFORE + "Platelets (010) 150 400 x10^9/L, stable." + _AFTER, "150"),  # six digits after a bracketed value
    (_BEFORE + "Creatinine 1.1 (0.6 1.2) mg/dL today." + _AFTER, "0.6"),
    (_BEFORE + "Intake 1200 ml, checks 0900 1400 2100 hrs." + _AFTER, "1400"),
    (_BEFORE + "Reflexes +2 bilaterally, weight +1.5 kg over\n3 days." + _AFTER, "+1.5"),
    (_BEFORE + "Give 0800 1200\n1600 doses as before." + _AFTER, "1200"),  # clock times: twelve digits
    (_BEFORE + "Temperature 37.2, HR 88 (070) 100 range." + _AFTER, "(070)"),
]


@pytest.mark.parametrize("text,value", _MASKED_PHONES_21)
def test_wrapped_and_bracketed_phones_are_masked(rules_stage, text, value):
    assert _masked(rules_stage, text, value), value


@pytest.mark.parametrize("text,word", _KEPT_PHONES_21)
def test_phone_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


#: a name's labels of other languages, in a table's cell, a field, on the line under the label; the name's forms
_NAME_LABELS_21 = ["Nom, Prénom", "Apellidos, Nombre", "Nome/Cognome", "Name, Vorname", "Achternaam", "Efternavn",
                   "Nazwisko, Imię", "Cognome e nome", "Nom de famille", "Fornavn", "Paciente", "Patiënt"]
_LABEL_LAYOUTS_21 = ["| {l} | {v} |", "{l}\t{v}", "{l}: {v}", "{l}:\n{v}", "{l}\r\n{v}", "{l}\t|\t{v}"]
_NAMES_21 = [("Rosalind", "QUEVEDRA"), ("Pilar", "VESTERHOLM"), ("Iris", "DRAKOWSKA"), ("Hope", "TRAUNSTEIN"),
             ("Faith", "ØSTERGÅRD"), ("Rose", "KÜHNEMANN")]


def _label_cases() -> list[tuple[str, list[str]]]:
    out = []
    for k, label in enumerate(_NAME_LABELS_21):
        g, s = _NAMES_21[k % len(_NAMES_21)]
        for j, layout in enumerate(_LABEL_LAYOUTS_21):
            form = ["{g} {S}", "{S}, {g}", "{g} {s}"][(k + j) % 3]
            text = _BEFORE + layout.format(l=label, v=form.format(g=g, S=s, s=s.title())) + _AFTER
            out += [(text, [g, s.title() if "{s}" in form else s])]
            out += [(text.lower(), [g.lower(), s.lower()]), (text.upper(), [g.upper(), s.upper()])]
    return out


_MASKED_NAMES_21 = _label_cases() + [
    # a given name that is an English or a clinical word before a surname in capitals, in a mixed-case note
    (_BEFORE + "Pilar VESTERHOLM\nC/ Clarimond 41\nE-42857 Madrid" + _AFTER, ["Pilar", "VESTERHOLM"]),
    (_BEFORE + "Re: Iris DRAKOWSKA, née le 23.07.1983" + _AFTER, ["Iris", "DRAKOWSKA"]),
    (_BEFORE + "Seen with Hope TRAUNSTEIN for follow-up." + _AFTER, ["Hope", "TRAUNSTEIN"]),
    (_BEFORE + "| Rose OLAZÁBAL LÓPEZ | 14.03.1961 |" + _AFTER, ["Rose", "OLAZÁBAL LÓPEZ"]),
    (_BEFORE + "Faith VAN DER KAMP, geb. 14.03.1961" + _AFTER, ["Faith", "VAN DER KAMP"]),
    (_BEFORE + "Referred: DRAKOWSKA, Iris (NHS # 485 777 3456)" + _AFTER, ["DRAKOWSKA", "Iris"]),
    # SURNAME, GIVEN after a label no list knows, in any case, when the given name is found
    ("SEEN TODAY.\nREFERRED FROM ABROAD: KOWALSKAJA, LUDOVIC (DNI 79113523Z), SEEN\nOK.\n", ["KOWALSKAJA", "LUDOVIC"]),
    ("seen today.\ntransferred from abroad: kowalskaja, ludovic (dni 79113523z), seen\nok.\n", ["kowalskaja", "ludovic"]),
    ("SEEN TODAY.\nPATIENT FROM OVERSEAS: VESTERHOLM, HANS, DOB 14.03.1961\nOK.\n", ["VESTERHOLM", "HANS"]),
    # ... and when neither is found, in a note of one case: a surname no lexicon knows and a given name
    ("SEEN TODAY.\nREFERRED FROM ABROAD: VESTERHOLM, IRIS (DNI 79113523Z)\nOK.\n", ["VESTERHOLM", "IRIS"]),
    ("seen today.\ntransferred from abroad: drakowska, gunnhild, dob 14.03.1961\nok.\n", ["drakowska", "gunnhild"]),
    # (dev seed 1123) a title before the label's value, a line in lower case in a mixed-case note; a letter's "re:"
    (_BEFORE + "| nom | sra. pilar vesterholm |\n| date de naissance | 1942-07-27 |" + _AFTER, ["pilar", "vesterholm"]),
    (_BEFORE + "Seen with dña. rosalind quevedra today." + _AFTER, ["rosalind quevedra"]),
    (_BEFORE + "re:\tiris drakowska,\tf. nac. 10.5.1945,\tchi number:\t2007456339" + _AFTER, ["iris", "drakowska"]),
]
_KEPT_NAMES_21 = [
    (_BEFORE + "Excised a pilar cyst from the scalp today." + _AFTER, "pilar"),
    (_BEFORE + "PILAR CYST, LEFT SCALP." + _AFTER, "PILAR"),
    (_BEFORE + "Eyes: Iris NORMAL, lens clear." + _AFTER, "Iris"),
    (_BEFORE + "Rose BENGAL staining negative." + _AFTER, "BENGAL"),
    (_BEFORE + "Medications: ASPIRIN, ORAL 81 mg daily." + _AFTER, "ASPIRIN"),
    (_BEFORE + "Position: LEFT, LATERAL decubitus." + _AFTER, "LATERAL"),
    (_BEFORE + "Assessment: HEENT, Normal. NEURO, Intact." + _AFTER, "NEURO"),
    (_BEFORE + "Hope FOR recovery is good. Will CALL tomorrow." + _AFTER, "CALL"),
    (_BEFORE + "Mark CABG done in 2019. Grace NSTEMI ruled out." + _AFTER, "NSTEMI"),
    (_BEFORE + "Patient:\nalert and oriented, in no distress." + _AFTER, "alert"),
    (_BEFORE + "| Patient | Stable |\n| Pain | None |" + _AFTER, "Stable"),
    (_BEFORE + "Name of medication: Aspirin\nDose: 81 mg" + _AFTER, "Aspirin"),
    (_BEFORE + "Seen with Iris and Rose from nursing; faith in treatment." + _AFTER, "nursing"),
    ("SEEN TODAY.\nDIAGNOSIS: HYPERTENSION, ESSENTIAL\nROUTE: ASPIRIN, ORAL\nOK.\n", "ESSENTIAL"),
    ("seen today.\nsite: left, lateral\nimpression: glaucoma, stable\nok.\n", "lateral"),
    (_BEFORE + "Exam: Lens, Iris\nMeds: LISINOPRIL, LASIX" + _AFTER, "Iris"),
    (_BEFORE + "Hair: Amber, Grey" + _AFTER, "Amber"),
    (_BEFORE + "Re: follow-up visit\nre: Pilar cyst excision" + _AFTER, "Pilar"),
    (_BEFORE + "Sig: take one tablet daily; don gloves; pan fried." + _AFTER, "gloves"),
    # the labels themselves are no names
    (_BEFORE + "| Cognome, Nome | Iris DRAKOWSKA |" + _AFTER, "Cognome"),
    (_BEFORE + "Nom, Prénom: DRAKOWSKA, Iris" + _AFTER, "Prénom"),
    (_BEFORE + "Achternaam\tVesterholm\nVoornaam\tPilar" + _AFTER, "Voornaam"),
]


#: (twenty-second session, the lead: held-out seed 1151's one leak, spent) a UK street without a house number: after a
#: named house, and on an address block's line over its post town and postcode, in any case
_MASKED_UK_STREETS_22 = [
    (_BEFORE + "m. ragnhild fenwick-bray\nclarimond house, clarimond lane\nhawleigh\nsu64 4bp" + _AFTER, ["clarimond lane"]),
    (_BEFORE + "Brackenholt Farm, Brackenholt Road\nLittle Hawleigh\nSU64 4BP" + _AFTER, ["Brackenholt Road"]),
    (_BEFORE + "flat 3, quarrendon close\nkestrelford\nsu64 4bp" + _AFTER, ["quarrendon close", "flat 3"]),
    (_BEFORE + "the old rectory, church lane\nhawleigh\nsu64 4bp" + _AFTER, ["church lane", "old rectory"]),
    (_BEFORE + "Penhallow Gardens\nTruro TR1 3AB" + _AFTER, ["Penhallow Gardens"]),
    (_BEFORE + "ROSE COTTAGE, ORCHARD WAY, LITTLE HAWLEIGH, SU64 4BP" + _AFTER, ["ORCHARD WAY"]),
]
_KEPT_UK_STREETS_22 = [
    (_BEFORE + "She walked along the lane\nand felt better. Recheck in 2 weeks." + _AFTER, "lane"),
    (_BEFORE + "Nursing house, station road: no\nLeeds clinic follow-up." + _AFTER, "Nursing"),
]


#: (twenty-second session, the lead, dev seed 1163) a surname in capitals after a given name no list knows, when no
#: lexicon knows it either; drugs, devices and abbreviations in capitals after a capitalised drug or device stay
_MASKED_CAPS_22 = [
    (_BEFORE + "Referred from abroad: Dagfinn FAUCHÈRE (Medicare 1234), was admitted." + _AFTER, ["Dagfinn FAUCHÈRE"]),
    (_BEFORE + "Referred from abroad: Dagfinn ÅSTRÖM, was admitted." + _AFTER, ["Dagfinn ÅSTRÖM"]),
    (_BEFORE + "Contact: Torquil QUENNELL-MARSH, daughter." + _AFTER, ["Torquil QUENNELL-MARSH"]),
]
_KEPT_CAPS_22 = [
    (_BEFORE + "Started Xalatan QHS OU and Rhopressa QHS." + _AFTER, "Rhopressa"),
    (_BEFORE + "Humphrey HVF 24-2 stable. Optos OCT RNFL today." + _AFTER, "Optos"),
    (_BEFORE + "Vyzulta NIGHTLY in both eyes." + _AFTER, "Vyzulta"),
]


@pytest.mark.parametrize("text,values", _MASKED_NAMES_21 + _MASKED_CAPS_22)
def test_names_after_labels_of_any_language_are_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT_NAMES_21 + _KEPT_CAPS_22)
def test_name_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


#: fused street words with the number on the next line, house numbers as other countries write them, a Canadian
#: town with its province and its postal code across a wrap
_ADDRESSES_21 = [
    ("Home: Brackenwoldstr.{g}8, Whg. 3, D-15671 Kleinmachnow", ["Brackenwoldstr.{g}8"]),
    ("Home: Brackenwoldstraße{g}14, 10115 Berlin", ["Brackenwoldstraße{g}14"]),
    ("Adres: Vasterbeeklaan{g}12, 1012 AB Amsterdam", ["Vasterbeeklaan{g}12"]),
    ("Adresse: Vasterbeckgade{g}41, 2100 København", ["Vasterbeckgade{g}41"]),
    ("Adresse: Vasterbeckvej{g}7A, 8000 Aarhus", ["Vasterbeckvej{g}7A"]),
    ("Adress: Vasterbeckgatan{g}3, 114 55 Stockholm", ["Vasterbeckgatan{g}3"]),
    ("Anschrift: Tirrelmoorweg{g}3/5, 4051 Basel", ["Tirrelmoorweg{g}3/5"]),
    ("Address: 117-71{g}Clarimond Street, Saskatoon, NS{g}N3X 2A4", ["117-71", "Saskatoon"]),
    ("Address: 12A{g}Penhallow Road, Hawleigh", ["12A{g}Penhallow Road"]),
    ("Adresse: 3/5{g}rue Clarimond, 75011 Paris", ["3/5{g}rue Clarimond"]),
    ("Adresse: 4 bis,{g}avenue Penhallow, 69003 Lyon", ["4 bis,{g}avenue Penhallow"]),
    ("Address: 221-14 Aldwinckle Avenue, Rimouski,{g}QC G5L 3A1", ["221-14", "Rimouski"]),
]
_MASKED_ADDRESSES_21 = [(_BEFORE + t.replace("{g}", g) + _AFTER, [v.replace("{g}", g) for v in vs])
                        for t, vs in _ADDRESSES_21 for g in _GAPS[:3]]
_MASKED_ADDRESSES_21 += [(t.lower(), [v.lower() for v in vs]) for t, vs in _MASKED_ADDRESSES_21[::3]]
_MASKED_ADDRESSES_21 += [
    # (dev seed 1103) a UK postcode alone on its line under its town, one that ends as an interval does; a Spanish
    # floor and door before the postal code, a wrap among them
    (_BEFORE + "flat 5, 143 aldwinckle close\nhawleigh\na6 6hr\nmóvil 07700 900123" + _AFTER, ["a6 6hr"]),
    (_BEFORE + "Calle Quellen 85, 1º\n1ª 40647 Villarrubio. Insurance" + _AFTER, ["40647 Villarrubio"]),
    (_BEFORE + "Domicilio: Calle Mayor 12, 3º izq., 28013 Zaragoza" + _AFTER, ["28013 Zaragoza"]),
    # (dev seed 1133) a UK town and postcode after the street's word with no comma, any case
    (_BEFORE + "contact 123,\t123 wendelstein road netherstowe yr7x 9dn. insurance: none" + _AFTER, ["netherstowe yr7x 9dn"]),
    (_BEFORE + "Home: 4 Quellen Close Market Harwell OX11 0QX, tel none" + _AFTER, ["Market Harwell OX11 0QX"]),
    (_BEFORE + "14 PENHALLOW RD. NETHERSTOWE LS6 2QD" + _AFTER, ["NETHERSTOWE LS6 2QD"]),
]
_KEPT_ADDRESSES_21 = [
    (_BEFORE + "Take 2, place under the tongue as needed." + _AFTER, "place"),
    (_BEFORE + "Motor 4/5 strength, 3/5 grip; 1-2 times a day." + _AFTER, "strength"),
    (_BEFORE + "Apply 2-3 drops via nasal route." + _AFTER, "nasal"),
    (_BEFORE + "Gait: 10-12 minutes walk on the level." + _AFTER, "walk"),
    (_BEFORE + "Cycle 3B day 8; room 4C lane closed." + _AFTER, "lane"),
    (_BEFORE + "The fire brigade 5 arrived first." + _AFTER, "brigade"),
    (_BEFORE + "Reviewed labs, q4 6hr.\nDose:\nq4 6hr\nok" + _AFTER, "6hr"),
    (_BEFORE + "Grade 1º AV block, 2º prevention 12000 units" + _AFTER, "12000"),
    # (the gold sets' dev records, first round) a visual acuity is no house number, a word ending as a street word does
    (_BEFORE + "VA 20/40, 20/400, not clear view of retina" + _AFTER, "view"),
    (_BEFORE + "Surveillance imaging in 2007 revealed a recurrence." + _AFTER, "revealed"),
    (_BEFORE + "VA 6/12 Snellen, the right way round." + _AFTER, "way"),
    (_BEFORE + "walked down the road to lunch at 3 pm." + _AFTER, "lunch"),
]


@pytest.mark.parametrize("text,values", _MASKED_ADDRESSES_21 + _MASKED_UK_STREETS_22)
def test_fused_streets_and_house_numbers_are_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT_ADDRESSES_21 + _KEPT_UK_STREETS_22)
def test_address_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)
