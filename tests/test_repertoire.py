"""The assembled répertoire: counts, identities, and what must never leak into a field."""

import csv
import json
import re
from collections import Counter

import pytest
from django.conf import settings

from partnerships.importers import lists
from partnerships.importers.repertoire import (
    REPERTOIRE_FILE,
    build,
    core_key,
    first_year,
    formalisation_kind,
    formalisation_year,
    names_collectivity,
    parse_population,
)
from partnerships.importers.text import fold, read_lines


@pytest.fixture(scope="module")
def dataset():
    return build(settings.SOURCES_DIR)


def objects(dataset, model):
    return [
        o["fields"]
        for f in dataset.fixtures.values()
        for o in f
        if o["model"] == f"partnerships.{model}"
    ]


def test_counts(dataset):
    statuses = Counter(p["status"] for p in objects(dataset, "partnership"))
    assert statuses["documented"] == 59
    assert statuses["other"] == 11
    assert len(objects(dataset, "malianregion")) == 9
    assert len(objects(dataset, "domain")) == 9


def partner_sets(dataset):
    collectivities = {c["slug"]: c for c in objects(dataset, "collectivity")}
    sets = {}
    for member in objects(dataset, "partnershipmember"):
        sets.setdefault(member["partnership"][0], set()).add(member["collectivity"][0])
    return collectivities, sets


def test_no_listed_pair_twice(dataset):
    """A listed pair is never a second record of a pair that has a fiche or is listed already.

    Two fiches may document the same pair (Montreuil / Cercle de Yélimané has two programmes).
    """
    _, sets = partner_sets(dataset)
    statuses = {p["slug"]: p["status"] for p in objects(dataset, "partnership")}
    seen = Counter(frozenset(members) for members in sets.values())
    twice = [
        slug
        for slug, members in sets.items()
        if statuses[slug] == "listed" and seen[frozenset(members)] > 1
    ]
    assert twice == []


def test_every_pair_of_the_lists_is_one_partnership(dataset):
    """Each row of Annexe 1 and each pair of the "non renseignés" list lands on one partnership."""
    lines = read_lines(settings.SOURCES_DIR / REPERTOIRE_FILE)
    annex, unlisted = lists.parse_annex(lines)[0], lists.parse_unlisted(lines)[0]
    expected = Counter(("annex", p.line, p.french_as_printed) for p in annex) + Counter(
        ("unlisted", p.line, p.french_as_printed) for p in unlisted
    )
    assert sum(expected.values()) == 105 + 70
    found = Counter(
        (m["list"], m["line"], m["french"])
        for p in objects(dataset, "partnership")
        for m in p["mentions"]
    )
    assert found == expected


@pytest.mark.parametrize(
    "french, partnership",
    [
        # a listed pair that has a fiche is that fiche, whatever the spelling
        ("Quimperlè", "quimperle-commune-de-nara"),
        ("Chaumont", "chaumont-association-de-jumelage-cooperation-san"),
        ("La Rochette Pontcharra", "pontcharra-dembella-benkadi-jlendio-fella"),
        ("La Rochette", "pontcharra-dembella-benkadi-jlendio-fella"),
        ("CG des Hautes Pyrénées", "conseil-general-des-hautes-pyrenees-cercle-de-niafunke"),
        ("Conseil général Allier", "conseil-general-de-l-allier-cercle-de-niafunke"),
        ("Marly-le-Roi", "marly-le-roy-kita"),
        ("SAN d'Evry", "communaute-d-agglomeration-d-evry-centre-essonne-commune-de-kayes"),
        # pairs without a fiche are listed once, from both lists
        ("Achères", "acheres-district-de-bamako"),
        ("Saint Sebastien-sur-Loire", "saint-sebastien-sur-loire-arabebe"),
    ],
)
def test_listed_pairs_land_on_the_right_partnership(dataset, french, partnership):
    slugs = {
        p["slug"]
        for p in objects(dataset, "partnership")
        for m in p["mentions"]
        if m["french"] == french
    }
    assert slugs == {partnership}


def test_every_malian_partner_of_a_fiche_has_its_region(dataset):
    collectivities, sets = partner_sets(dataset)
    documented = {p["slug"] for p in objects(dataset, "partnership") if p["status"] == "documented"}
    without = sorted(
        collectivities[m]["name"]
        for slug in documented
        for m in sets.get(slug, ())
        if collectivities[m]["country"] == "ML" and not collectivities[m]["malian_region"]
    )
    assert without == []


def test_every_action_label_maps_or_is_reported(dataset):
    reported = {
        (i.line, i.value) for i in dataset.report if i.kind in {"unmapped-domain", "missing-domain"}
    }
    # a table read by hand has one item naming all its rows without a domain
    reported |= {
        (int(n), "")
        for i in dataset.report
        if i.kind == "missing-domain" and i.value.startswith("lignes ")
        for n in i.value.removeprefix("lignes ").split(", ")
    }
    with open(settings.SOURCES_DIR / "domain_labels.csv", encoding="utf-8") as handle:
        no_domain = {fold(row["label"]) for row in csv.DictReader(handle) if not row["domain"]}
    for action in objects(dataset, "action"):
        if action["domain"] is None and fold(action["domain_as_printed"]) not in no_domain:
            assert (action["source_line"], action["domain_as_printed"]) in reported or any(
                line == action["source_line"] for line, _ in reported
            )


FORBIDDEN = re.compile(
    r"Cités Unies France - Répertoire|Date de mise à jour|Date de début des contacts"
    r"|Partenaires techniques|Perspectives du partenariat|Documents de capitalisation"
    r"|Pour la partie (française|malienne)"
)
# Form labels of the contact blocks; the partners' answers print their own contact details
# (Grand Lyon, Hennebont), so those two fields may hold them.
FORM_LABELS = re.compile(r"\bNom :|\bTél :|\bFax :|@ :|site web :")
MAY_PRINT_CONTACT_DETAILS = {"technical_partners", "financial_partners"}


def test_no_footer_or_label_leaks_into_a_field(dataset):
    leaks = []
    for name, items in dataset.fixtures.items():
        if name == "review.json":
            continue  # the report quotes the lines it could not place, on purpose
        for item in items:
            for key, value in item["fields"].items():
                if key == "actions_as_printed":
                    continue  # verbatim table: footers are dropped but headers kept
                if not isinstance(value, str):
                    continue
                if FORBIDDEN.search(value) or (
                    key not in MAY_PRINT_CONTACT_DETAILS and FORM_LABELS.search(value)
                ):
                    leaks.append((item["model"], key, value[:80]))
    assert leaks == []


def test_fixtures_are_deterministic(dataset):
    again = build(settings.SOURCES_DIR)
    assert json.dumps(again.fixtures, ensure_ascii=False) == json.dumps(
        dataset.fixtures, ensure_ascii=False
    )


@pytest.mark.parametrize(
    "printed, population",
    [
        ("139 800", 139800),
        ("environ 40 000", 40000),
        ("110 000 (hinterland)", 110000),
        ("1,5 million d'habitants", 1500000),
        ("556 964 habitants", 556964),
        ("", None),
        ("inconnu", None),
        ("156 villes membres", None),  # the AIMF counts member cities
        ("36 000 (30 villages°)", 36000),  # Markala: its inhabitants, then its villages
    ],
)
def test_parse_population(printed, population):
    assert parse_population(printed) == population


@pytest.mark.parametrize(
    "printed, kind, year",
    [
        ("Convention signé en 2003", "convention", 2003),
        (
            "Signature du protocole d’amitié en 1970 à Alençon et en 1972 à Koutiala.",
            "protocole",
            1970,
        ),
        ("1974 signature d’une charte de jumelage avec le District de Bamako", "charte", 1974),
        ("Délibération du conseil municipal", "deliberation", None),
        ("En cours", "", None),
    ],
)
def test_formalisation_kind_and_year(printed, kind, year):
    assert formalisation_kind(printed) == kind
    assert first_year(printed) == year


@pytest.mark.parametrize(
    "printed, kind, year",
    [
        # Maubeuge (l. 8356-8357): the first line dates a contact, the second the protocol
        (
            "Premier contact en 2002 ; une action en 2002, 2004 et 2005\n"
            "Protocole de coopération le 30 juin 2006",
            "protocole",
            2006,
        ),
        # Saint-Sébastien-sur-Loire (l. 11455): a pact is a document, of no kind listed
        ("Signature du pacte d’amitié et de coopération en novembre 1997", "other", 1997),
        ("Déclaration d’intention de coopération du 13 mars 2003", "other", 2003),  # Châtillon
        # the document's clause names no year: the first year printed (Île-de-France)
        (
            "Comités mixtes en mai 2001 et en février 2006 ; accord de partenariat et relevés de "
            "décisions du Comité mixte",
            "accord",
            2001,
        ),
        # the year of the first document, not of its renewal (Essonne)
        (
            "La première convention entre le Conseil de Cercle de Douentza et le Conseil général "
            "de l'Essonne a été signée en 1996. En 2003 la coopération a été renouvelée",
            "convention",
            1996,
        ),
        ("Il n’y a pas de convention ; mais il y a eu création d’associations", "", None),
    ],
)
def test_the_formalisation_year_is_that_of_the_document(printed, kind, year):
    assert formalisation_kind(printed) == kind
    assert formalisation_year(printed) == year


def test_maubeuge_and_saint_sebastien_formalisation(dataset):
    fiches = {p["slug"]: p for p in objects(dataset, "partnership")}
    maubeuge = fiches["maubeuge-liberte-dembaya"]
    assert (maubeuge["formalisation_year"], maubeuge["formalisation_kind"]) == (2006, "protocole")
    assert maubeuge["contacts_start_year"] == 2001
    sebastien = fiches["saint-sebastien-sur-loire-kati"]
    assert (sebastien["formalisation_year"], sebastien["formalisation_kind"]) == (1997, "other")


@pytest.mark.parametrize(
    "printed, year, date, precision",
    [
        # Viroflay (l. 12485): the day printed before the month
        (
            "17 mars 2003 : accord de coopération tripartite « Viroflay (France) –",
            2003,
            "2003-03-17",
            "day",
        ),
        ("Convention signée le 1er décembre 2003", 2003, "2003-12-01", "day"),  # Montady
        # Thionville / Gao (l. 11893): contacts over two days began on the first
        ("11 et 12 avril 1986 par le Docteur André SALMON", 1986, "1986-04-11", "day"),
        ("du 21 au 31 janvier 1993", 1993, "1993-01-21", "day"),  # Thionville / Kéniéba
        # Thionville / Kéniéba (l. 12188-12189): signed in figures, approved two days later
        (
            "Protocole signé avec l’ASsociation de DEveloppement de Kéniéba-Konko (AS.DE.K.) le "
            "31/01/1993\nApprouvé par le Comité Directeur le 2 février 1993.",
            1993,
            "1993-01-31",
            "day",
        ),
        ("Signature du protocole de jumelage en octobre 1988", 1988, "1988-10-01", "month"),
        ("Signature de la toute première convention en 1987.", 1987, "1987-01-01", "year"),
    ],
)
def test_an_event_is_dated_to_the_day_printed(printed, year, date, precision):
    from partnerships.importers.timeline import dated

    day, printed_precision = dated(printed, year)
    assert (day.isoformat(), printed_precision) == (date, precision)


def test_thionville_gao_text_fields_as_printed(dataset):
    """Thionville / Gao (l. 11895-11896, 12091-12110): the formalisation prints two cells side
    by side on two lines, the perspectives a list of partners set in from the margin and three
    numbered requests, the third after a sentence without its full stop."""
    fiche = next(p for p in objects(dataset, "partnership") if p["slug"] == "thionville-gao")
    assert fiche["formalisation"].split("\n") == [
        "Cérémonie de jumelage à Gao le 2 novembre 1986 Charte du Jumelage de Cités Unies France",
        "Cérémonie de jumelage à Thionville le 19 juin 1987 Deux Protocoles d’Amitié signés, "
        "ci-joints.",
    ]
    perspectives = fiche["perspectives"].split("\n")
    assert perspectives[:4] == [
        "Il y a une convention triennale sur le Projet d’Assainissement (Budget IV ) par la "
        "collecte des déchets avec le Ministère des Affaires Etrangères et de la Coopération",
        "le Conseil Régional de Lorraine",
        "la Mairie de Gao",
        "la Mairie de Thionville au travers du Comité de Jumelage de Thionville...",
    ]
    assert perspectives[-3:] == [
        "Un premier dossier été refoulé par le SCAC en novembre 2006, pour complément "
        "d’information. Les compléments demandés par le Comité de Gao seront à l’Ambassade "
        "pour début juillet 2007",
        "3° L’installation de bornes-fontaines en dehors du réseau d’eau existant.",
        "Sur ces trois projets, nous n’avons pas encore reçu de dossiers chiffrés.",
    ]
    motivations = fiche["motivations_french"]
    assert "\nEchanges Culturels. Cassettes vidéo. Envoi de délégations.\n" in motivations
    from partnerships.importers.timeline import events_of

    events = {
        e["fields"]["kind"]: (e["fields"]["date"], e["fields"]["precision"])
        for e in events_of({"fields": fiche})
    }
    assert events["first_contact"] == ("1986-04-11", "day")
    assert events["signed"] == ("1986-11-02", "day")


def test_a_listed_name_designates_a_printed_one_by_its_leading_words():
    assert names_collectivity("chaumont", "chaumont association de jumelage cooperation")
    assert not names_collectivity("chaumont", "chaumontel")
    assert not names_collectivity("", "chaumont")
    assert core_key("cercle de yelimane") == core_key("yelimane")
    assert core_key("region de mopti") != core_key("cercle de bandiagara")


def test_build_reads_only_the_files_of_the_directory_it_is_given(tmp_path, monkeypatch):
    """Every reference table comes from the sources_dir the caller names: a copy of the
    sources is read, the project's own directory never, and a change in the copy shows."""
    import builtins
    import io
    import shutil

    from partnerships.importers import references

    sources = tmp_path / "sources"
    shutil.copytree(settings.SOURCES_DIR, sources)
    with (sources / "malian_regions.csv").open() as f:
        text = f.read()
    (sources / "malian_regions.csv").write_text(text.replace("Kayes,", "Kayes-Test,", 1))
    opened = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    with references.use(tmp_path / "nowhere"):  # a caller's tables are not this build's
        dataset = build(sources)
    monkeypatch.undo()
    read = {path for path in opened if path.endswith((".csv", ".txt"))}
    assert read and all(path.startswith(str(sources)) for path in read), read
    regions = [o["fields"] for o in dataset.fixtures["regions.json"]]
    assert any(r["name"].startswith("Kayes-Test") or r["capital"] == "Kayes-Test" for r in regions)


# ------------------------------------------------------------------ issue 12: faithful records


def test_one_record_per_pair_aourou_is_the_saint_denis_fiche(dataset):
    """Annexe 1 prints "Saint-Denis / Arrondissement d'Aourou" (l. 13938) in the Kayes table for
    the fiche Saint-Denis / Djélébou, Karakoro et Sahel: one record, the row as provenance."""
    partnerships = {p["slug"]: p for p in objects(dataset, "partnership")}
    assert "saint-denis-arrondissement-d-aourou" not in partnerships
    fiche = partnerships["saint-denis-djeloubou-karokoro-et-sahel"]
    assert fiche["mentions"] == [
        {
            "list": "annex",
            "line": 13938,
            "french": "Saint-Denis",
            "malian": "Arrondissement d'Aourou",
        }
    ]
    assert "arrondissement-d-aourou" not in {c["slug"] for c in objects(dataset, "collectivity")}
    # a pair the "non renseignés" list names is not merged into a fiche of the same partner
    assert "saint-jean-de-la-ruelle-niantjila" in partnerships


def test_near_duplicates_are_merged_or_left_for_a_person(dataset):
    slugs = {c["slug"] for c in objects(dataset, "collectivity")}
    assert "nioro" not in slugs and "nioro-du-sahel" in slugs  # collectivity_aliases.csv
    doubts = {i.value.split(" — ")[0] for i in dataset.report if i.kind == "possible-duplicate"}
    assert doubts == {
        "Mourdiah / Niamana – Mourdiah",
        "Sainte-Maure-de-Touraine / Communauté de communes de Sainte-Maure-de-Touraine",
        "Bordeaux / Communauté urbaine de Bordeaux",
        "Aurillac / Communauté d'agglomération du Bassin d'Aurillac",
    }


def test_the_sectors_of_sio_are_one_commune(dataset):
    """La Fouillouse works with the sector 1 of the commune of Sio, La Talaudière with its
    sector 2, Somadougou (l. 7403-7404, 7498), under one mayor (l. 7243, 7441): one
    collectivity, each fiche keeping its printing and the sector's inhabitants."""
    slugs = {c["slug"]: c for c in objects(dataset, "collectivity")}
    assert "somadougou" not in slugs
    sio = slugs["sio"]
    assert "Somadougou" in sio["aliases"] and "Sio, secteur de Somadougou" in sio["aliases"]
    assert sio["population"] is None  # 5000 and 15750 are the sectors' inhabitants
    members = {
        m["partnership"][0]: m
        for m in objects(dataset, "partnershipmember")
        if m["collectivity"] == ["sio"]
    }
    assert {slug: (m["name_as_printed"], m["population"]) for slug, m in members.items()} == {
        "la-fouillouse-sio": ("Sio (secteur 1 de Soufouroulaye)", 5000),
        "la-talaudiere-somadougou": ("Sio, secteur de Somadougou", 15750),
    }


def test_a_commune_printed_without_its_cercle_is_drawn_in_the_cercle_the_table_gives(dataset):
    """mali_collectivity_cercles.csv places Nioro du Sahel (printed « Nioro du Sahel » and
    « Nioro » only in lists) in its own cercle: the map draws it at its seat, not at Kayes, the
    region's capital; Mourdiah at the capital of the cercle of Nara, not at Koulikoro."""
    by_slug = {c["slug"]: c for c in objects(dataset, "collectivity")}
    nioro, mourdiah = by_slug["nioro-du-sahel"], by_slug["mourdiah"]
    assert (nioro["map_latitude"], nioro["map_longitude"], nioro["map_precision"]) == (
        "15.2307",
        "-9.5936",
        "seat",
    )
    assert (mourdiah["map_latitude"], mourdiah["map_precision"]) == ("15.1693", "cercle")
    assert nioro["cercle"] == "" and mourdiah["cercle"] == ""  # the printed fields stay as read
    kayes = by_slug["kayes"]
    assert (nioro["map_latitude"], nioro["map_longitude"]) != (
        kayes["map_latitude"],
        kayes["map_longitude"],
    )


def test_each_doubt_of_the_table_is_a_pair_reported_in_plain_french(dataset):
    """Every row of collectivity_doubts.csv words a pair the import reports (no stale row),
    and its message fits the review item (300 characters) and cites its lines."""
    with open(settings.SOURCES_DIR / "collectivity_doubts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    messages = {i.message for i in dataset.report if i.kind == "possible-duplicate"}
    assert len(rows) == 4
    for row in rows:
        assert row["message"] in messages, row["first"]
        assert len(row["message"]) <= 300 and re.search(r"l\. \d{4}", row["message"])
        assert "duplicate" not in row["message"]


def test_every_french_commune_has_its_department(dataset):
    """From INSEE's list of communes (french_communes.csv); homonyms the fiche does not tell
    apart are a review item, never a guess."""
    communes = [
        c
        for c in objects(dataset, "collectivity")
        if c["country"] == "FR" and c["kind"] == "commune"
    ]
    without = sorted(c["name"] for c in communes if not c["department"])
    assert without == []
    by_slug = {c["slug"]: c for c in communes}
    # Meylan (47) is an associated commune of Sos, not a collectivity: Meylan is in Isère
    assert by_slug["meylan"]["department_code"] == "38"
    assert (by_slug["paris"]["department_code"], by_slug["thiers"]["department"]) == (
        "75",
        "Puy-de-Dôme",
    )
    assert by_slug["saintes"]["french_region"] == "Nouvelle-Aquitaine"


def test_a_commune_printed_without_accents_takes_insee_s_spelling(dataset):
    """« Meru/Kabou » (l. 12630) and « Meru / Oise » (Annexe 1) name Méru, Oise: the canonical
    name is INSEE's where it folds alike in the same département, the printing stays as printed,
    and the slug (a natural key other fixtures cite) does not move."""
    collectivities = {c["slug"]: c for c in objects(dataset, "collectivity")}
    members = {
        (m["partnership"][0], m["collectivity"][0]): m
        for m in objects(dataset, "partnershipmember")
    }
    expected = {
        "meru": ("Méru", "60"),
        "elancourt": ("Élancourt", "78"),
        "saint-barthelemy-d-anjou": ("Saint-Barthélemy-d'Anjou", "49"),
        "queven": ("Quéven", "56"),
        "requista": ("Réquista", "12"),
        "vaux-le-penil": ("Vaux-le-Pénil", "77"),
        "vezeronce-curtin": ("Vézeronce-Curtin", "38"),
        "la-meziere": ("La Mézière", "35"),
    }
    assert {
        slug: (collectivities[slug]["name"], collectivities[slug]["department_code"])
        for slug in expected
    } == expected
    assert collectivities["meru"]["name_as_printed"] == "Meru"
    assert collectivities["vaux-le-penil"]["name_as_printed"] == "Vaux le Penil"
    assert members[("meru-kabou", "meru")]["name_as_printed"] == "Meru"
    titles = {p["slug"]: p["title"] for p in objects(dataset, "partnership")}
    assert titles["meru-kabou"] == "Méru / Kabou"
    # never a guess: « Marolles » (Essonne) is not folded alike to Marolles-en-Hurepoix
    assert collectivities["marolles"]["name"] == "Marolles"
    # and no French commune keeps a spelling INSEE writes otherwise in its département
    communes = {}
    with open(settings.SOURCES_DIR / lists.COMMUNES, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            communes.setdefault((fold(row["name"]), row["department"]), set()).add(row["name"])
    left = [
        c["name"]
        for c in collectivities.values()
        if c["country"] == "FR"
        and c["kind"] == "commune"
        and c["name"] not in communes.get((fold(c["name"]), c["department_code"]), {c["name"]})
    ]
    assert left == []


def test_each_fiche_keeps_its_own_printing_of_a_partner(dataset):
    members = {
        (m["partnership"][0], m["collectivity"][0]): m
        for m in objects(dataset, "partnershipmember")
    }
    bamako = {c["slug"]: c for c in objects(dataset, "collectivity")}["district-de-bamako"]
    assert bamako["name_as_printed"] == "BAMAKO"  # the collectivity's first printing
    assert members[("acheres-district-de-bamako", "district-de-bamako")]["name_as_printed"] == (
        "Bamako"
    )
    # a population printed for a group of partners is the group's
    pontcharra = [
        m
        for (slug, _), m in members.items()
        if slug == "pontcharra-dembella-benkadi-jlendio-fella" and m["side"] == "FR"
    ]
    assert {
        (m["population_as_printed"], m["population"], m["population_of_group"]) for m in pontcharra
    } == {("14 000", 14000, True)}
    saint_denis = members[("saint-denis-djeloubou-karokoro-et-sahel", "saint-denis")]
    assert (saint_denis["population"], saint_denis["population_of_group"]) == (86871, False)
    assert saint_denis["location_as_printed"] == "93/Ile-de-France"


def test_totals_are_totals_and_match_their_rows(dataset):
    budgets = objects(dataset, "budget")
    totals = {
        b["partnership"][0]: b for b in budgets if b["kind"] == "total" and b["action"] is None
    }
    for slug, amount in (
        ("aimf-kayes-commune", "104000"),
        ("aimf-mopti-commune", "108000"),
        ("aimf-sikasso-commune", "142500"),
    ):
        assert totals[slug]["amount"] == amount
        rows = [b for b in budgets if b["partnership"] == [slug] and b["action"] is not None]
        assert sum(float(b["amount_eur"]) for b in rows) == float(amount)
        assert all("TOTAL" not in b["as_printed"] for b in rows)
    assert not [i for i in dataset.report if i.kind == "total-mismatch"]
    # "Depuis 2002, 104 000 € ont été investis à Kayes" is not an annual budget
    kayes = [b for b in budgets if b["partnership"] == ["aimf-kayes-commune"] and not b["action"]]
    assert {(b["as_printed"], b["kind"]) for b in kayes} == {
        ("104 000 €", "other"),
        ("104 000", "total"),
    }


def test_thionville_budget_for_both_twinnings_is_counted_once(dataset):
    """« Pour les deux jumelages : 15.245 € » is printed on the Gao fiche (l. 11898) and on the
    Kéniéba fiche (l. 12191): one sum for both. Each fiche shows it with its clause; only the
    first holds it as its yearly budget, so a sum of yearly budgets across fiches counts it
    once."""
    budgets = objects(dataset, "budget")
    annual = {
        b["partnership"][0]: (b["kind"], b["amount"], b["as_printed"], b["source_line"])
        for b in budgets
        if b["partnership"][0].startswith("thionville-") and b["action"] is None
    }
    assert annual == {
        "thionville-gao": ("cd_annual", "15245", "Pour les deux jumelages : 15.245 €", 11898),
        "thionville-kenieba-konko": (
            "other",
            "15245",
            "Pour les deux jumelages : 15.245 €",
            12191,
        ),
    }
    # no other yearly budget is printed twice for one French partner
    french = {}
    for member in objects(dataset, "partnershipmember"):
        if member["side"] == "FR":
            french.setdefault(member["partnership"][0], set()).add(member["collectivity"][0])
    yearly = Counter(
        (partner, b["kind"], b["amount"], b["currency"])
        for b in budgets
        if b["kind"] in ("cd_annual", "ri_annual")
        for partner in french[b["partnership"][0]]
    )
    assert [key for key, n in yearly.items() if n > 1] == []


def test_a_budget_over_several_years_is_not_annual(dataset):
    """Montady prints « 28 356 euros sur 3 ans » (l. 8683): a sum over three years, not the
    annual budget; « 15 000 Euros / an » (Pontivy) stays annual."""
    budgets = objects(dataset, "budget")

    def kinds(slug):
        return {
            (b["as_printed"], b["kind"])
            for b in budgets
            if b["partnership"] == [slug] and b["action"] is None
        }

    assert kinds("montady-baramandougou") == {("28 356 euros", "other")}
    assert kinds("pontivy-ouelessebougou") == {("15 000 Euros", "cd_annual")}
    # « 12 500 euros en moyenne chaque année depuis 1989 » (Roncq, l. 10669): a yearly average
    assert kinds("roncq-selinkegny") == {("12 500 euros", "cd_annual")}


def budgets_of(dataset, slug):
    return [
        (b["as_printed"], b["kind"], b["year"])
        for b in objects(dataset, "budget")
        if b["partnership"] == [slug] and b["action"] is None
    ]


def test_dourdan_exceptional_subsidy_is_not_the_annual_budget(dataset):
    """Dourdan (l. 6093-6098): « 4517 euros en moyenne par an dont … 517 euros (2006) et … 4000
    euros (2006). / Subvention exceptionnelle : (ex : en 2006, venue d’une délégation malienne
    à Dourdan : 6000 euros) »: the 6000 euros were given once, in 2006; the 517 and 4000 euros
    are the parts of the yearly 4517 (« dont »), no budgets of their own."""
    assert budgets_of(dataset, "dourdan-troumgoumbe") == [
        ("4517 euros", "cd_annual", None),
        ("517 euros", "other", 2006),
        ("4000 euros", "other", 2006),
        ("6000 euros", "other", 2006),
    ]


def test_a_part_of_a_printed_budget_is_no_budget_of_its_own(dataset):
    """« 90 000 € dont 44 256 € en 2008 pour le Mali » (Haut-Rhin, l. 3588): the 44 256 € are
    part of the 90 000 €; « 23 000 € (budget 2007) » (Saint-Denis, l. 11010) is 2007's budget."""
    assert budgets_of(dataset, "conseil-general-du-haut-rhin-cercle-de-yanfolila")[:2] == [
        ("90 000 €", "cd_annual", None),
        ("44 256 €", "other", 2008),
    ]
    assert budgets_of(dataset, "saint-denis-djeloubou-karokoro-et-sahel")[0] == (
        "23 000 €",
        "cd_annual",
        2007,
    )


def test_saint_jean_de_boiseau_project_budget_and_contacts(dataset):
    """Saint-Jean-de-Boiseau (l. 11178-11190): the budget answer is a project's, over 2007 and
    2008 (« En 2007 et 2008, construction d’une école … Budget global : 100 000 € »), not a
    yearly budget; the dates of the contacts are printed one a line."""
    assert budgets_of(dataset, "saint-jean-de-boiseau-menaka") == [
        ("100 000 €", "other", None),
        ("43 000 €", "other", None),
        ("57 000 €", "other", None),
    ]
    fiche = next(
        p for p in objects(dataset, "partnership") if p["slug"] == "saint-jean-de-boiseau-menaka"
    )
    assert fiche["contacts_start"].split("\n") == [
        "courant 2004",
        "Premier voyage officiel : mai 2006",
        "Voyage pour inauguration école : janvier 2008",
    ]
    assert fiche["contacts_start_year"] == 2004


def test_no_row_is_only_a_period_an_amount_or_a_heading(dataset):
    period = re.compile(
        r"^(?:(?:depuis|en|de)\s+)?(?:19|20)\d\d(?:\s*[-–à/]\s*(?:19|20)?\d\d)?$", re.I
    )
    amount = re.compile(r"^[\d\s.,]+\s*(?:€|euros?|F|FF|F ?CFA)?$", re.I)
    for action in objects(dataset, "action"):
        description = action["description"].strip()
        assert not period.match(description), action
        assert not amount.match(description) or not description, action
        assert "Actions réalisées" not in action["period_as_printed"], action
        # a legend ("CM : Chilly-Mazarin") is not part of a domain label
        legend = r"\s[A-Z]{1,3} : [A-Z][a-zé]+(?:-[A-Z][a-zé]+)*$"
        assert not re.search(legend, action["domain_as_printed"]), action


def test_uncertain_tables_are_flagged_on_their_fiche(dataset):
    flagged = {
        p["slug"] for p in objects(dataset, "partnership") if p.get("actions_alignment_uncertain")
    }
    assert {"chilly-mazarin-diema", "thionville-kenieba-konko", "aimf-bamako-district"} <= flagged
    owners = {
        r["fields"]["partnership"][0]
        for r in dataset.fixtures["review.json"]
        if r["fields"]["kind"] == "uncertain-alignment" and r["fields"]["partnership"]
    }
    assert owners == flagged


def test_review_items_are_doubts_in_words(dataset):
    from partnerships.models import REVIEW_KIND_LABELS

    kinds = Counter(i.kind for i in dataset.report)
    assert set(kinds) <= set(REVIEW_KIND_LABELS)
    # what is certain is not an item: "en cours", splits of Annexe 1 rows that a name tells
    assert not [i for i in dataset.report if i.value.strip().lower() == "en cours"]
    assert kinds["guessed-split"] == 0
    # nor a rubric printed twice (kept end to end), a side all the phone numbers settle, a
    # bare sum under a "(en euros)" header, a total in the currency all its rows print
    assert kinds["repeated-section"] == kinds["side-mismatch"] == 0
    assert [i.line for i in dataset.report if i.kind == "guessed-side"] == [246]
    # « Paris / Ile-de-France » (Annexe 1, l. 13935): a région where the département goes, but
    # INSEE's one Paris in that région settles it
    assert kinds["region-as-department"] == 0
    paris = next(c for c in objects(dataset, "collectivity") if c["slug"] == "paris")
    assert (paris["department"], paris["department_code"]) == ("Paris", "75")
    currency = [i for i in dataset.report if i.kind == "assumed-currency"]
    assert not [i for i in currency if "en-tête" in i.message]
    assert not [i for i in currency if i.value in ("104 000", "108 000")]  # AIMF TOTAL lines
    assert [i.line for i in currency if "en-tête" not in i.message]  # the others stay
    assert len(dataset.report) < 199
    assert all(len(i.message) <= 300 for i in dataset.report)


def test_chilly_mazarin_second_table_read_row_by_row(dataset):
    """The 2005-2007 table (l. 2612-2858) is printed column after column like the first."""
    rows = [
        (a["domain_as_printed"], a["description"], a["period_as_printed"], a["budget_as_printed"])
        for a in objects(dataset, "action")
        if a["partnership"] == ["chilly-mazarin-diema"] and a["source_line"] > 2600
    ]
    assert len(rows) == 30
    assert rows[0] == ("EAU :", "Forage à Sirakoro et à Kundugula", "2006", "22000")
    assert (
        "APPUI A LA DECENTRALISATION",
        "Création de PM à Sirakoro\nCréation de PM à Bilibani",
        "2007-2008\n2008",
        "15000 pour les 2 (prévisionnel)",
    ) in rows
    assert not any("EN FRANCE" in (r[1] or "") or re.match(r"^\d", r[1] or "") for r in rows)


def test_every_printed_total_is_the_sum_of_its_rows(dataset):
    budgets = objects(dataset, "budget")
    # a table's TOTAL line (a row's own total over several years, Alençon, is on its row)
    totals = [b for b in budgets if b["kind"] == "total" and b["action"] is None]
    checked = 0
    for total in totals:
        # a table printed in parts totals each part (Viroflay): the rows since the last total
        before = [
            t["source_line"]
            for t in totals
            if t["partnership"] == total["partnership"] and t["source_line"] < total["source_line"]
        ]
        rows = [
            float(b["amount_eur"])
            for b in budgets
            if b["partnership"] == total["partnership"]
            and b["kind"] == "action"
            and max(before, default=0) < b["source_line"] <= total["source_line"]
        ]
        if rows:  # where the fiche prints both (Montreuil 2 prints a budget and no amounts)
            assert abs(sum(rows) - float(total["amount_eur"])) <= 1, total
            checked += 1
    assert checked >= 5


def test_the_aimf_budget_is_not_a_partnership_budget(dataset):
    partnerships = {p["slug"]: p for p in objects(dataset, "partnership")}
    aimf = [p for slug, p in partnerships.items() if slug.startswith("aimf-")]
    assert len(aimf) == 5
    for fiche in aimf:
        assert "Budget de l’AIMF" not in fiche["budget_cd_as_printed"]
        assert fiche["budget_cd_as_printed"].startswith("Depuis ")
        assert fiche["presentation"].startswith("Budget de l’AIMF : 5 millions d’euros")
    bamako = [
        b["as_printed"]
        for b in objects(dataset, "budget")
        if b["partnership"] == ["aimf-bamako-district"]
    ]
    assert "1 744 000 €" not in bamako  # the AIMF's total for Mali, not Bamako's


def test_an_association_is_not_a_contact_person(dataset):
    names = {c["name"] for c in objects(dataset, "contact")}
    assert "Arcade" not in names
    (arcade,) = [c for c in objects(dataset, "contact") if c["email"] == "arcade.bureau@wanadoo.fr"]
    assert arcade["function"] == "Arcade, Maître d’œuvre délégué"


def test_every_other_french_partner_is_placed_or_said_to_have_no_department(dataset):
    """Intercommunalities and associations take their département from
    french_partner_departments.csv; a région has a région and no département; the table says
    which associations have none, and anything else is a review item."""
    french = [c for c in objects(dataset, "collectivity") if c["country"] == "FR"]
    by_slug = {c["slug"]: c for c in french}
    assert by_slug["communaute-urbaine-de-bordeaux"]["department_code"] == "33"
    assert by_slug["communaute-d-agglomeration-de-la-rochelle"]["department"] == (
        "Charente-Maritime"
    )
    assert by_slug["smpe"]["department_code"] == "29"
    assert by_slug["association-de-jumelage-cooperation-san-mali"]["department_code"] == "52"
    assert all(c["french_region"] and not c["department"] for c in french if c["kind"] == "region")
    with open(settings.SOURCES_DIR / "french_partner_departments.csv", encoding="utf-8") as f:
        none = {fold(r["name"]) for r in csv.DictReader(f) if not r["department_code"]}
    reported = {i.value for i in dataset.report if i.kind == "commune-without-department"}
    left = {
        c["name"]
        for c in french
        if not c["department"] and c["kind"] != "region" and fold(c["name"]) not in none
    }
    # no source names the 2008 "CC du Pays de la Marche" nor its seat (the Marche spans Creuse,
    # Haute-Vienne and Indre): a person has to say where it is
    assert left == reported == {"Communauté de communes du Pays de la Marche"}


def test_every_french_partner_has_a_department_or_says_why(dataset):
    """Every French partner of every partnership is on the map by its département, except a
    région (which has none), an association the reference table says spans several, and what
    is left to a person as a review item."""
    french = {c["slug"]: c for c in objects(dataset, "collectivity") if c["country"] == "FR"}
    partners = {
        m["collectivity"][0]
        for m in objects(dataset, "partnershipmember")
        if m["collectivity"][0] in french
    }
    reported = {i.value for i in dataset.report if i.kind == "commune-without-department"}
    without = {
        french[slug]["name"]
        for slug in partners
        if not french[slug]["department_code"] and french[slug]["kind"] != "region"
    }
    assert without - reported == {
        "Association internationale des Maires francophones",
        "Fédération France Cercle de Ménaka",
    }
    assert reported == {"Communauté de communes du Pays de la Marche"}
    assert len(partners) >= 100  # the check ran over the partners, not an empty set


def test_a_sum_facing_a_year_is_that_year_s_budget(dataset):
    """La Fouillouse prints years and sums line for line; 2003's Développement cell is blank."""
    budgets = [
        (b["year"], b["as_printed"])
        for b in objects(dataset, "budget")
        if b["partnership"] == ["la-fouillouse-sio"] and b["action"] == ["la-fouillouse-sio", 3]
    ]
    assert budgets == [(2001, "3000 €"), (2002, "1000 €"), (2004, "2800 €"), (2005, "6050 €")]
    # a date naming one year pairs as well: Maurepas "Juin 2000 / 4 au 13 mars 2002 / Avril
    # puis septembre 2005" and "17 082 francs / 1004 euros / 5089 euros"
    maurepas = [
        (b["year"], b["as_printed"])
        for b in objects(dataset, "budget")
        if b["action"] == ["maurepas-mopti", 2]
    ]
    assert maurepas == [(2000, "17 082 francs"), (2002, "1004 euros"), (2005, "5089 euros")]
    # where the two columns do not pair line for line no year is given (Draveil: 3 dates, 2 sums)
    draveil = [b for b in objects(dataset, "budget") if b["partnership"] == ["draveil-sandare"]]
    assert draveil and all(b["year"] is None for b in draveil)


def test_ile_de_france_total_printed_under_the_budget_header(dataset):
    """Île-de-France / Kayes (l. 5007-5012) prints under « Budget » « Total affectations :
    3 677 549 € sur 7 ans (2000 à 2006) » and no sum on its rows: the table's total, not a
    point to check; Pontcharra's « Annuel environ 80 000 € » (l. 9894) stays one."""
    slug = "conseil-regional-ile-de-france-assemblee-regionale-de-kayes"
    assert [
        (b["as_printed"], b["kind"], b["year"], b["source_line"])
        for b in objects(dataset, "budget")
        if b["partnership"] == [slug] and b["kind"] == "total"
    ] == [("3 677 549 €", "total", None, 5008)]
    header = [i.line for i in dataset.report if i.kind == "header-budget"]
    assert 5008 not in header and 9894 in header


def test_montreuil_2_budget_over_the_table_is_the_project_s_total(dataset):
    """Montreuil (2) / PADDY prints « Budget : 500 000 € » over its table (l. 9280), the sum its
    budget answer gives « total de 500 000 euros pour le projet » (l. 9203): read once, no point
    to check; the PADDY's own cost (l. 9282) is another body's and stays one."""
    assert [(i.line, i.kind) for i in dataset.report if 9279 <= i.line <= 9283] == [
        (9282, "header-budget")
    ]
    assert ("500 000 euros", "total", None) in budgets_of(
        dataset, "montreuil-2-cercle-de-yelimane-paddy"
    )


def test_evry_international_budget_idem_is_the_same_sum(dataset):
    """Evry (l. 1809-1812): « 150 000 euros en moyenne/an » then, under the international
    relations' label, « Idem »: the same sum, not a budget to enter by hand."""
    assert budgets_of(
        dataset, "communaute-d-agglomeration-d-evry-centre-essonne-commune-de-kayes"
    ) == [
        ("150 000 euros", "cd_annual", None),
        ("150 000 euros", "ri_annual", None),
    ]
    assert not [i for i in dataset.report if i.kind == "unreadable-amount" and i.line == 1812]


def test_annex_departments_contradicting_a_fiche_only_where_the_commune_may_be(dataset):
    """Annexe 1 prints « La Fouillouse / Hautes Alpes » (l. 13979): the only La Fouillouse is in
    the Loire, as its fiche prints; « La Rochette Pontcharra / Isère » (l. 14011): the fiche
    prints « La Rochette (73) ». Allonnes, though, is a commune of the Sarthe (its fiche) and
    of the Eure-et-Loir (the annex, l. 13976): that one is a doubt."""
    conflicts = [i for i in dataset.report if i.kind == "department-conflict"]
    assert [(i.line, i.value) for i in conflicts] == [(13976, "Eure et Loire")]
    assert "Allonnes" in conflicts[0].message and "Sarthe" in conflicts[0].message
    french = {c["slug"]: c for c in objects(dataset, "collectivity")}
    assert french["la-fouillouse"]["department_code"] == "42"
    assert french["la-rochette"]["department_code"] == "73"


def test_a_french_partner_listed_alone_with_its_one_fiche_is_no_doubt(dataset):
    """The « non renseignés » list prints « CG des Hautes Pyrénées, » without a Malian partner
    (l. 12618): its one fiche is Hautes-Pyrénées / Niafunké, so nothing is missing."""
    assert not [i for i in dataset.report if i.kind == "missing-partner" and i.line == 12618]
    fiche = next(
        p
        for p in objects(dataset, "partnership")
        if p["slug"] == "conseil-general-des-hautes-pyrenees-cercle-de-niafunke"
    )
    assert 12618 in [m["line"] for m in fiche["mentions"]]


def test_items_say_what_was_read_and_what_to_do(dataset):
    """« Région malienne non déterminée » alone said neither which place nor what to do."""
    unresolved = {i.value: i.message for i in dataset.report if i.kind == "unresolved-region"}
    assert unresolved["Marena Tringa"].startswith(
        "La collectivité malienne « Marena Tringa » est imprimée sans cercle ni région"
    )
    assert all("chercher sa région" in m for m in unresolved.values())
    (lyon,) = [i for i in dataset.report if i.kind == "unmatched-summary-name"]
    assert "« Lyon » sous « SANTE »" in lyon.message


def test_maubeuge_bare_figure_under_both_budget_labels_is_one_doubt(dataset):
    """Maubeuge (l. 8358-8360) prints both budget labels on one line, then « 10 000 » with no
    currency: one point to check (which budget, which currency), not two."""
    items = [i for i in dataset.report if i.line == 8360]
    assert [(i.kind, i.value) for i in items] == [("ambiguous-budget", "10 000")]
    assert "sans devise" in items[0].message and "Vérifier à quel budget" in items[0].message
    assert budgets_of(dataset, "maubeuge-liberte-dembaya") == []


# Fiches drawn at random (seed 2030) and read cell by cell against the source: each row's
# domain cell, actions (one line per printed action), dates and budget, as printed.
DRAWN_2030 = {
    "conseil-general-du-morbihan-region-de-kidal": [
        (
            "Santé",
            "Formation d’animateurs de santé de Cscom, aide à l’équipement des Cscom, aide à la "
            "prise en charge par les communes des indemnités des animateurs de santé",
            "2005-2007",
            "157 700 E",
        ),
        (
            "Appui à la décentralisation",
            "Formation dans le Morbihan d’élus et de cadre technique de la région, des cercles et "
            "des communes de la région de Kidal",
            "2006",
            "10 000 E",
        ),
    ],
    "communaute-urbaine-grand-nancy-conseil-communal-d-anderamboukane": [],  # l. 5982-6002
    "communaute-urbaine-de-bordeaux-bamako": [
        (
            "Assainissement",
            "- Envoi de quatre bennes à ordures ménagères\n- Envoie de quatre bennes supplémentaire"
            " et formation sur place dispensée par des techniciens de la communauté urbaine de "
            "Bordeaux",
            "1999\n2001",
            "",
        ),
        ("Formation", "Cycle de formation des formateurs des secrétaires généraux", "2003", ""),
    ],
    "aix-en-provence-bamako-commune-v": [
        (
            "Gouvernement et société civile",
            "Accompagnement, renforcement des capacités des acteurs locaux",
            "",
            "",
        ),
    ],
    "la-talaudiere-somadougou": [
        (
            "Identification des besoins et réponses.",
            "- Éducation : appui au fonctionnement et construction\n- Rural et économique : eau, "
            "maraîchage, puits\n- Santé : appui au fonctionnement et investissement",
            "1994-2004",
            "",
        ),
        (
            "Accompagnement sur des projets de développement construits par les jumeaux puis "
            "négociés.",
            "- Éducation et formation : écoles, cours d’alphabétisation, formation d’adultes\n"
            "- Rural et économique : eau, reboisement, environnement\n- Sanitaires : latrines, "
            "appels à projets (mutuelle de santé)\n- Appui institutionnel : achats d’équipements "
            "et formations",
            "2005-2007",
            "",
        ),
    ],
}


@pytest.mark.parametrize("slug", sorted(DRAWN_2030))
def test_fiches_drawn_in_2030_cell_by_cell(dataset, slug):
    rows = sorted(
        (a for a in objects(dataset, "action") if a["partnership"] == [slug]),
        key=lambda a: a["position"],
    )
    cells = [
        (a["domain_as_printed"], a["description"], a["period_as_printed"], a["budget_as_printed"])
        for a in rows
    ]
    assert cells == DRAWN_2030[slug]
