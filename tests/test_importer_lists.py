"""The répertoire's lists (summary table, "non renseignés", Annexe 1) and the départements CSV,
checked against values read in the real source file."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from partnerships.importers.lists import (
    load_departments,
    match_department,
    match_region_2008,
    parse_annex,
    parse_summary_table,
    parse_unlisted,
)
from partnerships.importers.text import read_lines

SOURCE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "sources"
    / "cuf-repertoire-franco-malien-2008.txt"
)


@pytest.fixture(scope="module")
def lines():
    return read_lines(SOURCE)


@pytest.fixture(scope="module")
def summary(lines):
    return parse_summary_table(lines)


@pytest.fixture(scope="module")
def unlisted(lines):
    return parse_unlisted(lines)


@pytest.fixture(scope="module")
def annex(lines):
    return parse_annex(lines)


def _clean(value: str) -> bool:
    return (
        "\n" not in value
        and "Cités Unies France" not in value
        and "/180" not in value
        and value == value.strip()
        and "  " not in value
    )


# --- départements --------------------------------------------------------------------------


def test_departments_csv_is_complete():
    rows = load_departments()
    assert len(rows) == 101
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == 101
    assert "2A" in codes and "2B" in codes and "20" not in codes
    assert [c for c in codes if len(c) == 3] == ["971", "972", "973", "974", "976"]
    with open(settings.SOURCES_DIR / "french_departments.csv", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["code", "name", "region", "region_2008"]
    assert len({row["region"] for row in rows}) == 18
    assert len({row["region_2008"] for row in rows if row["region_2008"]}) == 26
    per_2008 = Counter(row["region_2008"] for row in rows)
    assert per_2008["Rhône-Alpes"] == 8 and per_2008["Midi-Pyrénées"] == 8
    assert per_2008["Basse-Normandie"] == 3 and per_2008["Nord-Pas-de-Calais"] == 2


@pytest.mark.parametrize(
    "code, name, region, region_2008",
    [
        ("21", "Côte-d'Or", "Bourgogne-Franche-Comté", "Bourgogne"),
        ("35", "Ille-et-Vilaine", "Bretagne", "Bretagne"),
        ("13", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
        ("93", "Seine-Saint-Denis", "Île-de-France", "Île-de-France"),
        ("61", "Orne", "Normandie", "Basse-Normandie"),
        ("76", "Seine-Maritime", "Normandie", "Haute-Normandie"),
        ("03", "Allier", "Auvergne-Rhône-Alpes", "Auvergne"),
        ("52", "Haute-Marne", "Grand Est", "Champagne-Ardenne"),
        ("87", "Haute-Vienne", "Nouvelle-Aquitaine", "Limousin"),
        ("90", "Territoire de Belfort", "Bourgogne-Franche-Comté", "Franche-Comté"),
        ("976", "Mayotte", "Mayotte", ""),
    ],
)
def test_department_rows(code, name, region, region_2008):
    row = next(r for r in load_departments() if r["code"] == code)
    assert row == {"code": code, "name": name, "region": region, "region_2008": region_2008}


@pytest.mark.parametrize(
    "text, code",
    [
        ("Maine et Loire", "49"),
        ("Bouches-du-Rhônes", "13"),
        ("CHARENTE", "16"),
        ("Charente Maritime", "17"),
        ("Cote d'Or", "21"),
        ("Cote d’Or", "21"),
        ("Hautes Alpes", "05"),
        ("Val d'Oise", "95"),
        ("Haute-Marne", "52"),
        ("CG de la Haute Marne", "52"),
        ("Marne", "51"),
        ("Hauts-de-Seine", "92"),
        ("Conseil général du Morbihan", "56"),
        ("CG des Hautes Pyrénées", "65"),
        ("Eure et Loire", "28"),
        ("Loire Atlantique", "44"),
        ("Loire", "42"),
        ("Département : Seine-Saint-Denis (93)", "93"),
        ("Saint-Sebastien-sur-Loire / Loire Atlantique", "44"),
        # a département printed by its number only (l. 4370, 1572, 7230, 10955)
        ("78", "78"),
        ("94-Ile de France", "94"),
        ("Rhône-Alpes (42)", "42"),
        ("93/Ile-de-France", "93"),
    ],
)
def test_match_department(text, code):
    assert match_department(text)["code"] == code


@pytest.mark.parametrize(
    "text",
    [
        "Région Rhône-Alpes",
        "Ile-de-France",
        "Vitry-sur-Seine",
        "Bamako",
        "Saint-Denis",
        "",
        "CG",
        "13616",  # a postcode is not a département number
        "1,5 million",
        "Région : Mopti",
    ],
)
def test_match_department_none(text):
    assert match_department(text) is None


@pytest.mark.parametrize(
    "text, region",
    [
        ("Basse-Normandie", "Basse-Normandie"),
        ("Région Rhône-Alpes", "Rhône-Alpes"),
        ("Conseil régional Rhônes Alpes", "Rhône-Alpes"),
        ("CR Nord pas de calais", "Nord-Pas-de-Calais"),
        ("Ile de France", "Île-de-France"),
        ("Région Centre", "Centre"),
        ("Conseil régional du Centre", "Centre"),  # l. 4726
        ("Midi Pyrénées", "Midi-Pyrénées"),
    ],
)
def test_match_region_2008(text, region):
    assert match_region_2008(text) == region


def test_match_region_2008_none():
    assert match_region_2008("CA Evry Centre Essonne") is None
    assert match_region_2008("Essonne") is None


# --- 1. summary table ----------------------------------------------------------------------


def test_summary_domains_and_subthemes(summary):
    domains, report = summary
    assert report == []
    assert [(d.name_as_printed, len(d.subthemes)) for d in domains] == [
        ("APPUI INSTITUTIONNEL", 3),
        ("TOURISME SOLIDAIRE / PATRIMOINE", 0),
        ("ÉDUCATION AU DEVELOPPEMENT", 4),
        ("APPUI A LA SOCIETE CIVILE", 2),
        ("ÉDUCATION", 3),
        ("DEVELOPPEMENT RURAL", 3),
        ("SANTE", 3),
        ("EAU ET ASSAINISSEMENT", 3),
        ("DEVELOPPEMENT ECONOMIQUE", 3),
    ]
    assert [d.line for d in domains] == [78, 92, 94, 106, 114, 130, 143, 158, 171]
    assert domains[0].subthemes == [
        "Appui à la maîtrise d'ouvrage",
        "Accompagnement, renforcement des capacités",
        "Construction et équipement d'infrastructures communales (de cercle ou régionales)",
    ]
    assert domains[5].subthemes[0] == "Agriculture, élevage, développement, ouverture économique"
    assert domains[6].subthemes[0] == (
        "Construction, équipements d'infrastructures (CSCOM) et matériel"
    )
    assert [len(d.collectivities_as_printed) for d in domains] == [
        31,
        4,
        16,
        12,
        39,
        28,
        36,
        29,
        22,
    ]


def test_summary_collectivities_name_by_name(summary):
    domains = {d.name_as_printed: d.collectivities_as_printed for d in summary[0]}
    assert domains["APPUI INSTITUTIONNEL"] == [
        "Aix-en-Provence", "Alençon", "Allonnes", "Cachan", "CA Evry Centre Essonne",
        "Chilly-Mazarin", "CC Sainte-Maure-de-Touraine", "CG Allier", "CG Hautes Pyrénées",
        "CG Ille et Vilaine", "CG Morbihan", "CR Ile-de-France", "CR Nord-pas-de-Calais",
        "CU Bordeaux", "Draveil", "Ivry-sur-Seine", "La Flèche", "La Talaudière", "La Verrière",
        "Le Grand Lyon", "Marseille", "Maurepas", "Montady", "Montreuil", "Mulhouse", "Pontivy",
        "Rennes", "Roncq", "Saumur", "Thionville", "AIMF",
    ]  # fmt: skip
    assert domains["TOURISME SOLIDAIRE / PATRIMOINE"] == [
        "Angoulême",
        "CG Allier",
        "CG Ille et Vilaine",
        "CR Auvergne",
    ]
    assert domains["DEVELOPPEMENT RURAL"] == [
        "Bures-sur-Yvette", "Cachan", "CG Allier", "CG Ille et Vilaine", "CG Yvelines",
        "CR Ile-de-France", "CR Nord-Pas-de-Calais", "Draveil", "Hennebont", "La Bresse",
        "La Flèche", "La Fouillouse", "La Tallaudière", "La Verrière", "Maubeuge", "Montady",
        "Montreuil", "Mulhouse", "Pontivy", "Quimperlé", "Rennes", "Roncq", "Saint-Denis",
        "Thionville", "Viroflay", "Bron", "CG Ain", "Les Amis du Jumelage-Marolles",
    ]  # fmt: skip
    assert domains["APPUI A LA SOCIETE CIVILE"][-2:] == ["Viroflay", "AIMF"]
    assert domains["DEVELOPPEMENT ECONOMIQUE"][-6:] == [
        "Roncq",
        "CG Ain",
        "AIMF",
        "Les Amis du Jumelage-Marolles",
        "Saint Jean de la Ruelle",
        "Saumur",
    ]
    assert "CR Ile-de-France" in domains["ÉDUCATION"]
    assert "CR Ile de France" in domains["EAU ET ASSAINISSEMENT"]  # printed without hyphens


def test_summary_values_are_clean(summary):
    for domain in summary[0]:
        values = [domain.name_as_printed, *domain.subthemes, *domain.collectivities_as_printed]
        for value in values:
            assert value and _clean(value), value
            assert not value.startswith("-")
            assert "/" not in value or value == "TOURISME SOLIDAIRE / PATRIMOINE"
            assert "," not in value or value in domain.subthemes
            assert "Date de mise" not in value and "Nota Bene" not in value


# --- 2. "non renseignés" ---------------------------------------------------------------------


def test_unlisted_count_and_report(unlisted):
    pairs, report = unlisted
    assert len(pairs) == 70
    assert [(r.line, r.kind, r.value) for r in report] == [
        (12618, "missing-partner", "CG des Hautes Pyrénées")
    ]
    assert pairs[0].french_as_printed == "Achères" and pairs[0].malian_as_printed == "Bamako"
    assert (pairs[-1].line, pairs[-1].french_as_printed, pairs[-1].malian_as_printed) == (
        12646,
        "Yerres",
        "Simbi",
    )


def _pair(pairs, french):
    found = [p for p in pairs if p.french_as_printed == french]
    assert len(found) == 1, french
    return found[0]


@pytest.mark.parametrize(
    "french, malian, line",
    [
        ("Boussy Saint Antoine", "Dieoura", 12608),
        ("CA du Bassin d’Aurillac", "Bougouni", 12612),
        ("Communauté de communes Astérienne Isle et Vern", "Djelebou, Karakoro et Sahel", 12614),
        ("Limours", "Fegui et Nioro du Sahel", 12628),
        ("Faches Thumesnil", "Tinkaré", 12622),
        ("CG des Hautes Pyrénées", "", 12618),
        ("CG des Hauts de Seine", "Région de Kayes", 12618),
        ("CR Rhône-Alpes", "Région de Tombouctou", 12622),
        ("Vezeronce-Curtin", "Logo", 12644),
        ("Syndicat d’Agglomération Nouvelle de Saint Quentin en Yvelines", "Mopti", 12636),
        ("Saint Barthelemy d’Anjou", "N’Gabakoro", 12638),
        ("Vitry sur Seine", "Tombola", 12644),
    ],
)
def test_unlisted_pairs(unlisted, french, malian, line):
    pair = _pair(unlisted[0], french)
    assert (pair.malian_as_printed, pair.line) == (malian, line)
    assert pair.department_as_printed is None and pair.region_heading is None


def test_unlisted_values_are_clean(unlisted):
    for pair in unlisted[0]:
        assert _clean(pair.french_as_printed)
        assert "/" not in pair.french_as_printed and "/" not in pair.malian_as_printed
        assert not pair.malian_as_printed.endswith(".")
        assert pair.malian_as_printed == "" or _clean(pair.malian_as_printed)
        assert "Autres types" not in pair.malian_as_printed
    assert not any(p.french_as_printed == "Karakoro et Sahel" for p in unlisted[0])


# --- 3. Annexe 1 ---------------------------------------------------------------------------


def test_annex_counts(annex):
    pairs, _ = annex
    assert len(pairs) == 105
    per_table = Counter(p.region_heading for p in pairs)
    assert list(per_table.items()) == [
        ("District de Bamako", 6),
        ("Région de Gao", 8),
        ("Région de Kayes", 36),
        ("Région de Kidal", 2),
        ("Région de Koulikoro", 16),
        ("Région de Mopti", 13),
        ("Région de Ségou", 9),
        ("Région de Sikasso", 8),
        ("Région de Tombouctou", 7),
    ]
    assert not any(p.french_as_printed.startswith("France") for p in pairs)


def test_annex_report(annex):
    _, report = annex
    kinds = Counter(r.kind for r in report)
    # every row printed without " / " is split where a known name ends or begins: certain
    assert kinds == {"region-as-department": 1}
    assert [r.line for r in report if r.kind == "region-as-department"] == [13935]


@pytest.mark.parametrize(
    "line, french, department, malian, heading",
    [
        (13887, "Aix-en-Provence", "Bouches-du-Rhône", "Bamako Commune V", "District de Bamako"),
        (13888, "Angers", "Maine et Loire", "Bamako", "District de Bamako"),
        (13891, "Grand Lyon", "Rhône", "District de Bamako", "District de Bamako"),
        (13897, "C.U Grand Nancy", "Meurthe et Moselle", "Anderamboukane (Conseil Communal)",
         "Région de Gao"),
        (13923, "Ivry-sur-Seine", "Val de Marne", "Commune rurale de Dianguirdé",
         "Région de Kayes"),
        (13930, "Marolles en Hurepoix", "Essonne", "Lakamane", "Région de Kayes"),
        (13935, "Paris", "Ile-de-France", "Cercle de Yelimané", "Région de Kayes"),
        (13938, "Saint-Denis", "Seine-Saint-Denis", "Arrondissement d'Aourou",
         "Région de Kayes"),
        (13939, "Saint-Leu-la-Forêt", "Val d’Oise", "Sanartara", "Région de Kayes"),
        (13941, "Essonne Sahel", "Essonne", "Diema/Nioro", "Région de Kayes"),
        (13942, "Conseil général Hauts de Seine", None, "Région de Kayes", "Région de Kayes"),
        (13951, "Conseil général du Morbihan", None, "Kidal (Région)", "Région de Kidal"),
        (13952, "Fédération France Cercle de Ménaka", None, "Ménaka (Cercle)",
         "Région de Kidal"),
        (13962, "Quetigny", "Cote d’Or", "Koulikoro", "Région de Koulikoro"),
        (13968, "Saint-Sebastien-sur-Loire", "Loire Atlantique", "Kati", "Région de Koulikoro"),
        (13976, "Allonnes", "Eure et Loire", "Sangha", "Région de Mopti"),
        (13979, "La Fouillouse", "Hautes Alpes", "Sio", "Région de Mopti"),
        (13988, "Conseil général Ille et Vilaine", None, "Région de Mopti", "Région de Mopti"),
        (14001, "Conseil général Haute-Marne", None, "San", "Région de Ségou"),
        (14013, "Conseil général des Yvelines", None, "Kadiolo", "Région de Sikasso"),
        (14019, "Saintes", None, "Tombouctou", "Région de Tombouctou"),
        (14021, "Saint Sebastien-sur-Loire", "Loire Atlantique", "Arabebe",
         "Région de Tombouctou"),
        (14023, "Conseil régional Rhônes Alpes", None, "Région de Tombouctou",
         "Région de Tombouctou"),
    ],
)  # fmt: skip
def test_annex_rows(annex, line, french, department, malian, heading):
    pair = next(p for p in annex[0] if p.line == line)
    assert (
        pair.french_as_printed,
        pair.department_as_printed,
        pair.malian_as_printed,
        pair.region_heading,
    ) == (french, department, malian, heading)


def test_annex_departments_all_recognised(annex):
    for pair in annex[0]:
        if pair.department_as_printed and pair.line != 13935:
            assert match_department(pair.department_as_printed) is not None, pair


def test_annex_values_are_clean(annex):
    for pair in annex[0]:
        values = [pair.french_as_printed, pair.malian_as_printed, pair.department_as_printed]
        for value in filter(None, values):
            assert _clean(value), value
            assert " / " not in value and not value.startswith("/")
        assert pair.french_as_printed and pair.malian_as_printed
        assert 13882 < pair.line < 14030
