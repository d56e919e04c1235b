"""The most commonly prescribed US drug ingredients and their best-known brands resolve to the
right RxNorm ingredient code.

The list (about 250 ingredients, a superset of the usual "top 200" rankings) and the expected
RXCUIs were written from public knowledge (RxNav records of the ingredients, FDA labels of the
brands). Where that memory disagreed with the RxNorm extract of the shared data (February 2026
prescribable release: lisdexamfetamine 700810, benzonatate 18993, meclizine 6676,
valproate 40254, bimatoprost 283810, travoprost 283809, brimonidine 134615), the current
release was checked and wins; ``test_expected_codes_are_rxnorm_ingredients`` re-checks every
expected code against the extract when the shared data is present.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ehrnlp.normalize import RXNORM, NormalizeStage
from ehrnlp.vocab import load_vocabulary

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "vocab-sources" / "rxnorm"

# (ingredient as written in notes, expected RxNorm ingredient RXCUI, best-known brands)
TOP_DRUGS: list[tuple[str, str, tuple[str, ...]]] = [
    ('atorvastatin', '83367', ('Lipitor',)),
    ('levothyroxine', '10582', ('Synthroid', 'Levoxyl', 'Unithroid')),
    ('lisinopril', '29046', ('Zestril', 'Prinivil')),
    ('metformin', '6809', ('Glucophage',)),
    ('amlodipine', '17767', ('Norvasc',)),
    ('metoprolol', '6918', ('Lopressor', 'Toprol XL')),
    ('albuterol', '435', ('ProAir', 'Ventolin', 'Proventil')),
    ('omeprazole', '7646', ('Prilosec',)),
    ('losartan', '52175', ('Cozaar',)),
    ('gabapentin', '25480', ('Neurontin',)),
    ('hydrochlorothiazide', '5487', ('Microzide',)),
    ('sertraline', '36437', ('Zoloft',)),
    ('simvastatin', '36567', ('Zocor',)),
    ('montelukast', '88249', ('Singulair',)),
    ('escitalopram', '321988', ('Lexapro',)),
    ('rosuvastatin', '301542', ('Crestor',)),
    ('bupropion', '42347', ('Wellbutrin', 'Zyban')),
    ('furosemide', '4603', ('Lasix',)),
    ('pantoprazole', '40790', ('Protonix',)),
    ('trazodone', '10737', ('Desyrel',)),
    ('dextroamphetamine', '3288', ('Dexedrine',)),
    ('fluticasone', '41126', ('Flonase', 'Flovent')),
    ('tamsulosin', '77492', ('Flomax',)),
    ('fluoxetine', '4493', ('Prozac',)),
    ('carvedilol', '20352', ('Coreg',)),
    ('duloxetine', '72625', ('Cymbalta',)),
    ('meloxicam', '41493', ('Mobic',)),
    ('clopidogrel', '32968', ('Plavix',)),
    ('prednisone', '8640', ('Deltasone',)),
    ('citalopram', '2556', ('Celexa',)),
    ('insulin glargine', '274783', ('Lantus', 'Basaglar', 'Toujeo')),
    ('potassium chloride', '8591', ('Klor-Con',)),
    ('pravastatin', '42463', ('Pravachol',)),
    ('tramadol', '10689', ('Ultram',)),
    ('aspirin', '1191', ('Bayer Aspirin', 'Ecotrin')),
    ('alprazolam', '596', ('Xanax',)),
    ('ibuprofen', '5640', ('Advil', 'Motrin')),
    ('cyclobenzaprine', '21949', ('Flexeril',)),
    ('amoxicillin', '723', ('Amoxil',)),
    ('methylphenidate', '6901', ('Ritalin', 'Concerta')),
    ('allopurinol', '519', ('Zyloprim',)),
    ('venlafaxine', '39786', ('Effexor',)),
    ('clonazepam', '2598', ('Klonopin',)),
    ('estradiol', '4083', ('Estrace',)),
    ('zolpidem', '39993', ('Ambien',)),
    ('apixaban', '1364430', ('Eliquis',)),
    ('glipizide', '4821', ('Glucotrol',)),
    ('spironolactone', '9997', ('Aldactone',)),
    ('atenolol', '1202', ('Tenormin',)),
    ('buspirone', '1827', ('Buspar',)),
    ('warfarin', '11289', ('Coumadin', 'Jantoven')),
    ('lamotrigine', '28439', ('Lamictal',)),
    ('hydrocodone', '5489', ('Hysingla',)),
    ('acetaminophen', '161', ('Tylenol',)),
    ('cetirizine', '20610', ('Zyrtec',)),
    ('propranolol', '8787', ('Inderal',)),
    ('topiramate', '38404', ('Topamax',)),
    ('quetiapine', '51272', ('Seroquel',)),
    ('famotidine', '4278', ('Pepcid',)),
    ('sitagliptin', '593411', ('Januvia',)),
    ('empagliflozin', '1545653', ('Jardiance',)),
    ('rivaroxaban', '1114195', ('Xarelto',)),
    ('hydroxyzine', '5553', ('Vistaril', 'Atarax')),
    ('diclofenac', '3355', ('Voltaren',)),
    ('oxycodone', '7804', ('OxyContin', 'Roxicodone')),
    ('loratadine', '28889', ('Claritin',)),
    ('lorazepam', '6470', ('Ativan',)),
    ('glimepiride', '25789', ('Amaryl',)),
    ('latanoprost', '43611', ('Xalatan',)),
    ('ondansetron', '26225', ('Zofran',)),
    ('folic acid', '4511', ()),
    ('paroxetine', '32937', ('Paxil',)),
    ('dulaglutide', '1551291', ('Trulicity',)),
    ('semaglutide', '1991302', ('Ozempic', 'Rybelsus', 'Wegovy')),
    ('tizanidine', '57258', ('Zanaflex',)),
    ('finasteride', '25025', ('Proscar', 'Propecia')),
    ('amitriptyline', '704', ('Elavil',)),
    ('valsartan', '69749', ('Diovan',)),
    ('diltiazem', '3443', ('Cardizem',)),
    ('triamcinolone', '10759', ('Kenalog',)),
    ('pregabalin', '187832', ('Lyrica',)),
    ('celecoxib', '140587', ('Celebrex',)),
    ('aripiprazole', '89013', ('Abilify',)),
    ('lisdexamfetamine', '700810', ('Vyvanse',)),
    ('mirtazapine', '15996', ('Remeron',)),
    ('azithromycin', '18631', ('Zithromax',)),
    ('cephalexin', '2231', ('Keflex',)),
    ('doxycycline', '3640', ('Vibramycin',)),
    ('ciprofloxacin', '2551', ('Cipro',)),
    ('levetiracetam', '114477', ('Keppra',)),
    ('baclofen', '1292', ('Lioresal',)),
    ('methotrexate', '6851', ('Trexall',)),
    ('hydroxychloroquine', '5521', ('Plaquenil',)),
    ('naproxen', '7258', ('Aleve', 'Naprosyn')),
    ('nifedipine', '7417', ('Procardia', 'Adalat')),
    ('clonidine', '2599', ('Catapres',)),
    ('donepezil', '135447', ('Aricept',)),
    ('ezetimibe', '341248', ('Zetia',)),
    ('risperidone', '35636', ('Risperdal',)),
    ('olmesartan', '321064', ('Benicar',)),
    ('benzonatate', '18993', ('Tessalon',)),
    ('sumatriptan', '37418', ('Imitrex',)),
    ('meclizine', '6676', ('Antivert',)),
    ('ferrous sulfate', '24947', ()),
    ('cholecalciferol', '2418', ()),
    ('fenofibrate', '8703', ('Tricor',)),
    ('methylprednisolone', '6902', ('Medrol',)),
    ('prednisolone', '8638', ('Orapred',)),
    ('valacyclovir', '73645', ('Valtrex',)),
    ('nitrofurantoin', '7454', ('Macrobid', 'Macrodantin')),
    ('sulfamethoxazole', '10180', ()),
    ('trimethoprim', '10829', ()),
    ('guanfacine', '40114', ('Intuniv', 'Tenex')),
    ('oxybutynin', '32675', ('Ditropan',)),
    ('testosterone', '10379', ('Androgel',)),
    ('insulin lispro', '86009', ('Humalog',)),
    ('insulin aspart', '51428', ('Novolog',)),
    ('insulin detemir', '139825', ('Levemir',)),
    ('liraglutide', '475968', ('Victoza',)),
    ('dapagliflozin', '1488564', ('Farxiga',)),
    ('pioglitazone', '33738', ('Actos',)),
    ('bisoprolol', '19484', ('Zebeta',)),
    ('nebivolol', '31555', ('Bystolic',)),
    ('hydralazine', '5470', ('Apresoline',)),
    ('isosorbide mononitrate', '6057', ('Imdur',)),
    ('chlorthalidone', '2409', ('Thalitone',)),
    ('triamterene', '10763', ('Dyrenium',)),
    ('torsemide', '38413', ('Demadex',)),
    ('bumetanide', '1808', ('Bumex',)),
    ('budesonide', '19831', ('Pulmicort', 'Entocort')),
    ('formoterol', '25255', ('Foradil',)),
    ('salmeterol', '36117', ('Serevent',)),
    ('tiotropium', '69120', ('Spiriva',)),
    ('ipratropium', '7213', ('Atrovent',)),
    ('mometasone', '108118', ('Nasonex',)),
    ('fexofenadine', '87636', ('Allegra',)),
    ('levocetirizine', '356887', ('Xyzal',)),
    ('diphenhydramine', '3498', ('Benadryl',)),
    ('promethazine', '8745', ('Phenergan',)),
    ('metoclopramide', '6915', ('Reglan',)),
    ('dicyclomine', '3361', ('Bentyl',)),
    ('esomeprazole', '283742', ('Nexium',)),
    ('lansoprazole', '17128', ('Prevacid',)),
    ('sucralfate', '10156', ('Carafate',)),
    ('mesalamine', '52582', ('Lialda', 'Asacol')),
    ('loperamide', '6468', ('Imodium',)),
    ('lactulose', '6218', ('Enulose',)),
    ('tolterodine', '119565', ('Detrol',)),
    ('mirabegron', '1300786', ('Myrbetriq',)),
    ('sildenafil', '136411', ('Viagra', 'Revatio')),
    ('tadalafil', '358263', ('Cialis',)),
    ('alendronate', '46041', ('Fosamax',)),
    ('raloxifene', '72143', ('Evista',)),
    ('norethindrone', '7514', ()),
    ('medroxyprogesterone', '6691', ('Provera', 'Depo-Provera')),
    ('progesterone', '8727', ('Prometrium',)),
    ('lithium carbonate', '42351', ('Lithobid',)),
    ('valproate', '40254', ('Depakote',)),
    ('carbamazepine', '2002', ('Tegretol',)),
    ('oxcarbazepine', '32624', ('Trileptal',)),
    ('phenytoin', '8183', ('Dilantin',)),
    ('haloperidol', '5093', ('Haldol',)),
    ('olanzapine', '61381', ('Zyprexa',)),
    ('ziprasidone', '115698', ('Geodon',)),
    ('lurasidone', '1040028', ('Latuda',)),
    ('buprenorphine', '1819', ('Subutex',)),
    ('naloxone', '7242', ('Narcan',)),
    ('naltrexone', '7243', ('Vivitrol',)),
    ('methadone', '6813', ('Dolophine',)),
    ('morphine', '7052', ('MS Contin',)),
    ('hydromorphone', '3423', ('Dilaudid',)),
    ('fentanyl', '4337', ('Duragesic',)),
    ('nortriptyline', '7531', ('Pamelor',)),
    ('desvenlafaxine', '734064', ('Pristiq',)),
    ('vortioxetine', '1455099', ('Trintellix',)),
    ('temazepam', '10355', ('Restoril',)),
    ('diazepam', '3322', ('Valium',)),
    ('eszopiclone', '461016', ('Lunesta',)),
    ('modafinil', '30125', ('Provigil',)),
    ('atomoxetine', '38400', ('Strattera',)),
    ('amphetamine', '725', ()),
    ('memantine', '6719', ('Namenda',)),
    ('ropinirole', '72302', ('Requip',)),
    ('pramipexole', '746741', ('Mirapex',)),
    ('carbidopa', '2019', ()),
    ('levodopa', '6375', ()),
    ('labetalol', '6185', ('Trandate',)),
    ('verapamil', '11170', ('Calan',)),
    ('digoxin', '3407', ('Lanoxin',)),
    ('amiodarone', '703', ('Pacerone', 'Cordarone')),
    ('dabigatran', '1037042', ('Pradaxa',)),
    ('enoxaparin', '67108', ('Lovenox',)),
    ('heparin', '5224', ()),
    ('ticagrelor', '1116632', ('Brilinta',)),
    ('prasugrel', '613391', ('Effient',)),
    ('cilostazol', '21107', ('Pletal',)),
    ('colchicine', '2683', ('Colcrys',)),
    ('febuxostat', '73689', ('Uloric',)),
    ('dexamethasone', '3264', ('Decadron',)),
    ('hydrocortisone', '5492', ('Cortef',)),
    ('fluconazole', '4450', ('Diflucan',)),
    ('terbinafine', '37801', ('Lamisil',)),
    ('nystatin', '7597', ()),
    ('clotrimazole', '2623', ('Lotrimin',)),
    ('acyclovir', '281', ('Zovirax',)),
    ('oseltamivir', '260101', ('Tamiflu',)),
    ('metronidazole', '6922', ('Flagyl',)),
    ('clindamycin', '2582', ('Cleocin',)),
    ('levofloxacin', '82122', ('Levaquin',)),
    ('cefdinir', '25037', ('Omnicef',)),
    ('penicillin V', '7984', ()),
    ('vancomycin', '11124', ('Vancocin',)),
    ('nitroglycerin', '4917', ('Nitrostat',)),
    ('ranolazine', '35829', ('Ranexa',)),
    ('glyburide', '4815', ('Micronase', 'Diabeta')),
    ('linagliptin', '1100699', ('Tradjenta',)),
    ('canagliflozin', '1373458', ('Invokana',)),
    ('gemfibrozil', '4719', ('Lopid',)),
    ('timolol', '10600', ('Timoptic',)),
    ('bimatoprost', '283810', ('Lumigan',)),
    ('travoprost', '283809', ('Travatan',)),
    ('ketorolac', '35827', ('Toradol',)),
    ('tobramycin', '10627', ('Tobrex',)),
    ('cyclosporine', '3008', ('Restasis', 'Neoral')),
    ('adalimumab', '327361', ('Humira',)),
    ('etanercept', '214555', ('Enbrel',)),
    ('methocarbamol', '6845', ('Robaxin',)),
    ('carisoprodol', '2101', ('Soma',)),
    ('rizatriptan', '88014', ('Maxalt',)),
    ('guaifenesin', '5032', ('Mucinex',)),
    ('dextromethorphan', '3289', ()),
    ('doxazosin', '49276', ('Cardura',)),
    ('terazosin', '37798', ('Hytrin',)),
    ('prazosin', '8629', ('Minipress',)),
    ('doxepin', '3638', ('Silenor',)),
    ('varenicline', '591622', ('Chantix',)),
    ('nicotine', '7407', ('Nicoderm',)),
    ('epinephrine', '3992', ('EpiPen',)),
    ('liothyronine', '10814', ('Cytomel',)),
    ('methimazole', '6835', ('Tapazole',)),
    ('calcitriol', '1894', ('Rocaltrol',)),
    ('calcium carbonate', '1897', ('Tums',)),
    ('magnesium oxide', '6582', ()),
    ('benazepril', '18867', ('Lotensin',)),
    ('enalapril', '3827', ('Vasotec',)),
    ('ramipril', '35296', ('Altace',)),
    ('irbesartan', '83818', ('Avapro',)),
    ('telmisartan', '73494', ('Micardis',)),
    ('candesartan', '214354', ('Atacand',)),
    ('quinapril', '35208', ('Accupril',)),
    ('dorzolamide', '60207', ('Trusopt',)),
    ('brimonidine', '134615', ('Alphagan',)),
]

#: brands whose product contains the ingredient as a precise ingredient that RxNorm codes as
#: its own IN (Lithobid is lithium carbonate, RXCUI 42351)
BRAND_CODE_OVERRIDES = {"Lithobid": "42351"}


@pytest.fixture(scope="module")
def stage() -> NormalizeStage:
    return NormalizeStage(load_vocabulary())


def test_list_size():
    assert len(TOP_DRUGS) >= 200
    assert len({d[0] for d in TOP_DRUGS}) == len(TOP_DRUGS)
    assert sum(len(d[2]) for d in TOP_DRUGS) >= 200


@pytest.mark.parametrize("ingredient,rxcui", [(d[0], d[1]) for d in TOP_DRUGS])
def test_ingredient_resolves(stage, ingredient, rxcui):
    codes = stage.link(ingredient, "MEDICATION")
    assert codes, f"{ingredient} did not resolve"
    assert codes[0].system == RXNORM
    assert codes[0].code == rxcui, f"{ingredient}: got {codes[0].code} ({codes[0].display}), expected {rxcui}"
    assert codes[0].score == 1.0


@pytest.mark.parametrize("brand,rxcui,ingredient", [(b, d[1], d[0]) for d in TOP_DRUGS for b in d[2]])
def test_brand_resolves_to_ingredient(stage, brand, rxcui, ingredient):
    expected = BRAND_CODE_OVERRIDES.get(brand, rxcui)
    codes = stage.link(brand, "MEDICATION")
    got = [c.code for c in codes if c.system == RXNORM]
    assert expected in got, f"brand {brand} -> {got}, expected {ingredient} {expected}"
    assert codes[0].code == expected, f"brand {brand}: ingredient code must come first, got {got}"


@pytest.mark.parametrize("ingredient,rxcui", [(d[0], d[1]) for d in TOP_DRUGS[:40]])
def test_ingredient_case_and_misspelling(stage, ingredient, rxcui):
    assert stage.link(ingredient.upper(), "MEDICATION")[0].code == rxcui
    if len(ingredient) >= 6 and " " not in ingredient:
        typo = ingredient[:4] + ingredient[3] + ingredient[4:]  # a letter typed twice
        codes = stage.link(typo, "MEDICATION")
        assert codes and codes[0].code == rxcui, f"{typo} -> {[c.code for c in codes]}"
        assert 0.85 <= codes[0].score < 1.0


@pytest.mark.shared_data
def test_expected_codes_are_rxnorm_ingredients():
    path = SHARED / "current_concepts.tsv"
    if not path.is_file():
        pytest.skip("../shared/data/vocab-sources/rxnorm is absent (shared development data)")
    concepts = {r["rxcui"]: r for r in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t")}
    for ingredient, rxcui, _ in TOP_DRUGS:
        assert rxcui in concepts, f"{ingredient}: RXCUI {rxcui} not in the RxNorm extract"
        c = concepts[rxcui]
        assert c["tty"] in ("IN", "IN(inferred)"), f"{ingredient}: {rxcui} is {c['tty']}, not an ingredient"
        name = c["name"].lower().replace(", human", "")
        assert ingredient.lower() in name or name in ingredient.lower(), f"{ingredient}: {rxcui} is {c['name']}"
