"""Pure parsers of the four workshop documents, on the real source files."""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from django.conf import settings

from partnerships.importers.text import read_lines
from workshops.importers import bagnolet, cuf2016, horizons, mauritania

EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)


def _parse(module):
    return module.parse(read_lines(settings.SOURCES_DIR / module.SOURCE))


@pytest.fixture(scope="module")
def cuf():
    return _parse(cuf2016)


@pytest.fixture(scope="module")
def meeting():
    return _parse(horizons)


@pytest.fixture(scope="module")
def mauritanian():
    return _parse(mauritania)


@pytest.fixture(scope="module")
def town():
    return _parse(bagnolet)


def _strings(record) -> list[str]:
    """Every text value of a record tree."""
    out: list[str] = []
    if isinstance(record, str):
        out.append(record)
    elif isinstance(record, list):
        for item in record:
            out.extend(_strings(item))
    elif dataclasses.is_dataclass(record):
        for field in dataclasses.fields(record):
            out.extend(_strings(getattr(record, field.name)))
    return out


# --- CUF 2016: participants -----------------------------------------------------------------


def _row(workshop, status, number):
    rows = [p for p in workshop.participants if p.status == status and p.number == number]
    assert len(rows) == 1
    return rows[0]


def test_cuf_counts_of_participants(cuf):
    workshop, _ = cuf
    present = [p for p in workshop.participants if p.status == "present"]
    excused = [p for p in workshop.participants if p.status == "excused"]
    assert len(present) == 32
    assert len(excused) == 46
    assert [p.number for p in present] == list(range(1, 33))
    assert [p.number for p in excused] == list(range(1, 47))
    for participant in present + excused:
        assert participant.organisation and participant.first_name
        assert participant.last_name and participant.function


def test_cuf_present_rows(cuf):
    workshop, _ = cuf
    first = _row(workshop, "present", 1)
    assert (first.organisation, first.first_name, first.last_name, first.function) == (
        "ACTED",
        "Laurent",
        "LALOGE",
        "Administrateur",
    )
    assert first.line == 383
    # organisation wrapped over two lines
    row = _row(workshop, "present", 2)
    assert row.organisation == "AGENCE DE L'EAU RHONE MEDITERRANEE ET CORSE"
    assert (row.first_name, row.last_name, row.function) == ("Charles", "SIMON", "Chargé d'étude")
    # function wrapped after a blank line
    row = _row(workshop, "present", 15)
    assert row.organisation == "CONSEIL DEPARTEMENTAL DU VAL DE MARNE"
    assert row.function == "Chargée de mission aux relations internationales"
    # organisation over three lines, first name after a blank line
    row = _row(workshop, "present", 25)
    assert row.organisation == "MINISTERE DES AFFAIRES ETRANGERES ET DU DEVELOPPEMENT INTERNATIONAL"
    assert (row.first_name, row.last_name) == ("Bertrand", "FORT")
    assert row.function == "Délégué pour l'Action Extérieure des Collectivités Territoriales"
    row = _row(workshop, "present", 16)
    assert (row.first_name, row.last_name) == ("Romain", "LE MOAL")
    row = _row(workshop, "present", 32)
    assert row.organisation == "TREMBLAY EN FRANCE"
    assert (row.first_name, row.last_name) == ("Prisca-Diane", "NGNINTENG")
    assert row.function == "Chef de Projet coopération internationale"


def test_cuf_excused_rows(cuf):
    workshop, _ = cuf
    row = _row(workshop, "excused", 6)
    assert (row.organisation, row.first_name, row.last_name) == (
        "BESANCON",
        "Arlette",
        "BURGY-POIFFAUT",
    )
    row = _row(workshop, "excused", 17)
    assert row.organisation == "CONSEIL DEPARTEMENTAL DES BOUCHES DU RHONE"
    assert (row.first_name, row.last_name) == ("Marie-Christine", "EFFOSSE")
    assert row.function == (
        "Chargée de Mission Coopération Décentralisée Pays du Maghreb Et du Moyen Orient"
    )
    row = _row(workshop, "excused", 41)
    assert (row.organisation, row.first_name, row.last_name) == (
        "RENNES",
        "Moulay Hamid",
        "ECH-CHEKHCHAKHI",
    )
    assert row.function == "Conseiller municipal délégué"
    row = _row(workshop, "excused", 34)
    assert row.function == (
        "Association Via Zogoré (association issue du jumelage Linselles – Zogoré, Burkina Faso)"
    )
    # the second page of the list goes on with row 37
    row = _row(workshop, "excused", 37)
    assert (row.organisation, row.first_name, row.last_name) == ("NICE", "Mounia", "GOURINI")
    row = _row(workshop, "excused", 24)
    assert row.organisation == "CONSEIL REGIONAL HAUTS-DE-FRANCE"


def test_cuf_team(cuf):
    workshop, _ = cuf
    team = [p for p in workshop.participants if p.status == "team"]
    names = [(p.first_name, p.last_name) for p in team]
    assert names == [
        ("Bertrand", "GALLET"),
        ("Lucie", "ALLEX-BILLAUD"),
        ("Astrid", "FREY"),
        ("Simone", "GIOVETTI"),
        ("Constance", "KOUKOUI"),
        ("Felicia", "MEDINA"),
        ("Malika", "MESSAD"),
        ("Amaury", "PARELLE"),
        ("Paul", "KAMMEGNE"),
    ]
    assert {p.organisation for p in team} == {"CITES UNIES FRANCE"}
    assert team[0].function == "Directeur général"
    assert team[6].function == "(future) représentante CUF à Bamako, Mali"


def test_cuf_speakers(cuf):
    workshop, _ = cuf
    by_name = {s.last_name: s for s in workshop.speakers}
    assert len(workshop.speakers) == 11
    assert by_name["Bougault"].excused and by_name["Barrès"].excused
    assert not by_name["Gallet"].excused
    assert by_name["Blin"].description == "CDCS / Mission de stabilisation"
    # speakers who are on the lists are flagged there
    assert _row(workshop, "present", 1).is_speaker  # Laurent Laloge
    assert _row(workshop, "excused", 2).is_speaker  # Anne Laure BARRES / Anne-Laure Barrès
    assert not _row(workshop, "present", 2).is_speaker
    assert by_name["Coulibaly"].participant_line is None
    group = workshop.speakers[-1]
    assert group.first_name is None and group.description.startswith("Représentants")


# --- CUF 2016: questionnaire answers --------------------------------------------------------


def _answer(workshop, number):
    return next(a for a in workshop.answers if a.number == number)


def test_cuf_answers_are_29(cuf):
    workshop, _ = cuf
    assert [a.number for a in workshop.answers] == list(range(1, 30))
    assert [a.category for a in workshop.answers].count("other") == 1
    assert _answer(workshop, 29).category == "other"


def test_cuf_answer_allier_niafunke(cuf):
    answer = _answer(cuf[0], 13)
    assert answer.collectivity == "Conseil Départemental de l'Allier"
    assert answer.partner_as_printed == "Mali"  # the locality is named in the tools only
    assert [(p.country, p.locality) for p in answer.partners] == [("Mali", None)]
    assert answer.challenges.startswith("La coopération est confrontée aux problématiques")
    assert answer.challenges.endswith("recentrage sur l'urgence et l'humanitaire")
    assert "relais à Bamako et Niafunké" in answer.tools
    assert answer.recommendations.startswith("Développer des outils novateurs pour")
    assert answer.emails == ["herupe.v@allier.fr"]


def test_cuf_answer_montreuil_yelimane(cuf):
    answer = _answer(cuf[0], 23)
    assert answer.line == 1655
    assert answer.collectivity == "Montreuil"
    assert answer.partner_as_printed == "Mali (Yélimané)"
    assert [(p.country, p.locality) for p in answer.partners] == [("Mali", "Yélimané")]
    assert answer.challenges == (
        "la dernière mission a nécessité une escorte militaire (compliquée pour une "
        "collectivité); les missions techniques ne sont plus possibles sauf éventuellement à "
        "Bamako mais très chères; la zone est également inéligible à certains financements"
    )
    assert answer.tools.startswith("représentant local malien : au sein de l'équipe")
    assert answer.recommendations.endswith("des collectivités territoriales françaises (FICOL)")
    assert answer.emails == ["fabrice.tarrit@montreuil.fr"]


def test_cuf_answer_ille_et_vilaine_mopti(cuf):
    answer = _answer(cuf[0], 15)
    assert answer.collectivity == "Conseil départemental d'Ille et Vilaine"
    assert [(p.country, p.locality) for p in answer.partners] == [("Mali", "Mopti")]
    assert "les relations franco-maliennes et le suivi" in answer.challenges
    assert answer.tools.startswith("Rapport mensuel d'activité ;")
    assert answer.recommendations.startswith("renforcer la vigilance avec un contrôle")
    assert answer.emails == ["sebastien.lefeuvre@ille-et-vilaine.fr"]


def test_cuf_answers_with_split_cells(cuf):
    workshop, _ = cuf
    # "pd.ngninteng@trembl" + "ayenfrance.fr", a collectivity over several lines
    answer = _answer(workshop, 5)
    assert answer.collectivity == (
        "CD Seine Saint Denis et ville de Tremblay-en-France (interview de Lino Ferreira)"
    )
    assert [p.country for p in answer.partners] == [
        "Palestine",
        "Vietnam",
        "Algérie",
        "Comores",
        "Mali",
        "Gabon",
    ]
    assert answer.emails == ["pd.ngninteng@tremblayenfrance.fr"]
    assert "définition-clarification" in answer.challenges
    assert _answer(workshop, 28).emails == ["pd.ngninteng@tremblayenfrance.fr"]
    # "(Ouahigouy" + "a)", and no recommendation printed
    answer = _answer(workshop, 6)
    assert answer.partner_as_printed == "Burkina Faso (Ouahigouya)"
    assert answer.recommendations is None
    assert answer.emails == ["chambery.ouahigouya@mairie-chambery.fr"]
    # a URL broken at the end of a line
    assert "https://pastel.diplomatie.gouv.fr/fildariane/" in _answer(workshop, 7).recommendations
    # an e-mail over three lines
    assert _answer(workshop, 24).emails == ["martine.moser-faesch@mulhouse-alsace.fr"]
    assert _answer(workshop, 19).emails == ["yasmina.darbelet@nordpasdecalaispicardie.fr"]
    # an e-mail split across a blank line
    assert _answer(workshop, 27).emails == ["nathalie.bedrune@toulouse-metropole.fr"]
    # two e-mails in one cell
    assert _answer(workshop, 21).emails == ["jdusseaux@ivry94.fr", "aklimova@ivry94.fr"]


def test_cuf_answers_with_cells_on_one_line(cuf):
    workshop, _ = cuf
    # "4 Allonnes / ADESAF Mali": the partner printed on the collectivity's lines
    answer = _answer(workshop, 4)
    assert (answer.collectivity, answer.partner_as_printed) == ("Allonnes / ADESAF", "Mali")
    # "Gennevilliers\t\t Palestine" then the challenges on the next line
    answer = _answer(workshop, 20)
    assert (answer.collectivity, answer.partner_as_printed) == ("Gennevilliers", "Palestine")
    assert answer.challenges.startswith("les risques sont liés à la situation politique")
    assert answer.tools.startswith("échanges sur place ou en France")
    # "Missions impossibles\t Veille à distance …"
    answer = _answer(workshop, 24)
    assert answer.challenges == "Missions impossibles"
    assert answer.tools == "Veille à distance avec l'IRCOD Alsace et la mairie partenaire"
    assert answer.partner_as_printed == "Mali (commune de Sofara-Fakala)"
    # a partner cell going on after "/" at the end of a line
    answer = _answer(workshop, 21)
    assert answer.partner_as_printed == (
        "Mali (Dianguirdé) / Palestine (Jifna et Jalazone) / Sahara Occidental"
    )
    assert answer.challenges.startswith("Mali : pas de missions possibles")
    answer = _answer(workshop, 29)
    assert (answer.collectivity, answer.partner_as_printed) == ("Groupe URD", "tous pays")
    assert answer.tools == "diagnostics partagés (évaluations) et mini séminaires de réflexion"
    assert answer.emails == ["aburlat@urd.org"]
    answer = _answer(workshop, 1)
    assert answer.collectivity == "Association de Jumelage Alençon Koutiala Mali - Alençon"
    assert answer.recommendations == "trouver des solutions pour aller sur place"
    assert answer.emails == ["bernardannick.jourdain@orange.fr"]


def test_cuf_answer_invariants(cuf):
    workshop, _ = cuf
    broken = ("Partenari ", "jourdai n", "trembl ayen", "Ouahigouy a", "filda riane")
    for answer in workshop.answers:
        assert answer.emails, answer.number
        for email in answer.emails:
            assert EMAIL_RE.match(email), email
        for value in _strings(answer):
            assert "\t" not in value
            assert "  " not in value
            assert not any(piece in value for piece in broken), value
            # nothing of the repeated page header or of the column headers
            assert "RÉPONSES AU QUESTIONNAIRE" not in value
            assert "Contact/courriel" not in value
            assert "Autre structure" not in value
        assert answer.collectivity
        assert answer.challenges


def test_cuf_report(cuf):
    _, report = cuf
    kinds = sorted(item.kind for item in report)
    # only Toulouse's row, whose single text cell and missing country are flagged
    assert kinds == ["answer-columns", "missing-partner-country"]
    assert {item.line for item in report} == {1772}


# --- CUF 2016: the workshop and its sections -------------------------------------------------


def test_cuf_workshop(cuf):
    workshop, _ = cuf
    assert workshop.title == (
        "Maintenir et poursuivre les partenariats de coopération décentralisée en zones à risques"
    )
    assert workshop.organiser == "Cités Unies France"
    assert workshop.date == datetime.date(2016, 5, 19)
    assert workshop.date_precision == "exact"
    assert workshop.context.startswith("En réponse à une demande émanant de plusieurs")
    assert "• Faciliter le partage d’expériences entre collectivités ;" in workshop.objectives
    assert workshop.agenda[0] == "Accueil des participants"
    assert workshop.agenda[-1] == "Synthèse et recommandations issues de l’atelier"
    assert "Ville et Comité de Jumelage de Dardilly (Mauritanie)" in workshop.agenda


def test_cuf_sections(cuf):
    workshop, _ = cuf
    testimonies = [s for s in workshop.sections if s.kind == "testimony" and s.speaker]
    assert [s.speaker for s in testimonies][:4] == [
        "Lino Ferreira",
        "Prisca Diane Ngninteng",
        "Chantal Correnoz",
        "Véronique Hérupe",
    ]
    allier = testimonies[3]
    assert allier.collectivity == "Conseil départemental de l’Allier"
    assert allier.partners == ["Niafunké"]
    assert allier.text.startswith("Le Conseil départemental coopère depuis 1988")
    dardilly = testimonies[2]
    assert dardilly.partners == ["Debaye El Hijaj"]
    # the footnote printed in the middle of the Dardilly testimony stays out of it
    assert "Cette association, créée en 1987" not in dardilly.text
    assert "été classée en zone orange" in dardilly.text
    notes = {f.number: f.text for f in workshop.footnotes}
    assert notes[3].startswith("Cette association, créée en 1987")
    assert sorted(notes) == list(range(2, 11))
    headings = [s.heading for s in workshop.sections]
    assert headings.count("I- Introduction") == 1
    assert "I. Introduction" not in headings  # only listed in "Points abordés"
    for section in workshop.sections:
        for value in _strings(section):
            assert "\t" not in value
            assert "30 / 32" not in value and "______" not in value


def test_cuf_recommendations(cuf):
    workshop, _ = cuf
    laloge = [r for r in workshop.recommendations if r.theme.startswith("2.4.")]
    assert len(laloge) == 32
    assert laloge[0].text == "Eviter les grands rassemblements ;"
    assert laloge[-1].text == (
        "Faire attention à ses propos quand on rencontre les opposants du pays."
    )
    synthesis = [r for r in workshop.recommendations if not r.theme.startswith("2.4.")]
    assert len(synthesis) == 9
    first = synthesis[0]
    assert first.theme == (
        "Développer des outils pour les missions terrain des collectivités dans le pays "
        "partenaire et en France"
    )
    assert first.order == 1
    assert first.text.split("\n")[1].startswith("Affiner les consignes-informations du MAEDI")
    assert "précisions des cartes" in first.text
    assert not any("Rédaction" in r.text or "***" in r.text for r in workshop.recommendations)


# --- Horizons Solidaires ---------------------------------------------------------------------


def test_horizons_workshop(meeting):
    workshop, report = meeting
    assert workshop.title.startswith("L'ÉVOLUTION DES RELATIONS ENTRE COLLECTIVITÉS")
    assert workshop.title.endswith("DANS UN PROJET DE COOPÉRATION DÉCENTRALISÉE")
    assert "**" not in workshop.title
    assert workshop.organiser == "Horizons Solidaires"
    assert workshop.date is None
    assert (workshop.date_precision, workshop.date_as_printed) == ("partial", "18 avril")
    assert "année absente" in workshop.date_note
    assert workshop.context.startswith("L'évolution du contexte international")
    assert workshop.agenda == [
        "Tour de table des participants",
        "Contexte de la coopération décentralisée et rappel historique",
        "Atelier 1 : Collectivités / comités de jumelage",
        "Atelier 2 : Animer le territoire par le projet de coopération décentralisée",
    ]
    assert [item.kind for item in report] == ["missing-place"]


def test_horizons_speakers_and_structures(meeting):
    workshop, _ = meeting
    assert [(s.first_name, s.last_name, s.description) for s in workshop.speakers] == [
        ("Astrid", "Frey", "Cités Unies France"),
        ("Jacques", "Raynaud", "Ville de Chatellerault"),
        ("Odile", "Sallé", "Association de la ville d'Angers"),
        ("Jean", "Deshayes", "Ville d'Hérouville St Clair"),
        ("Bernard", "Jourdain", "Jumelage Alençon / Koutiala"),
    ]
    structures = [p.organisation for p in workshop.participants]
    assert len(structures) == 17
    assert structures[0] == "Villed'Alençon"  # as printed
    assert structures[8] == "Comité de jumelage d'Alençon-Koutiala"
    assert structures[-1] == "CITIM"
    assert {p.status for p in workshop.participants} == {"present"}


def test_horizons_testimonies(meeting):
    workshop, _ = meeting
    testimonies = [s for s in workshop.sections if s.collectivity]
    assert [(s.collectivity, s.partners) for s in testimonies] == [
        ("Châtelleraut", ["Kaya"]),
        ("Angers", ["Bamako"]),
        ("Alençon", ["Koutiala"]),
        ("Hérouville St Clair", ["Tikhvine", "Agnam", "Afhir"]),
        ("Chambéry", ["Ouahigouya"]),
        ("Nantes", []),
    ]
    for testimony in testimonies:
        assert testimony.kind == "testimony"
        assert testimony.parent == "Témoignages et expériences d'organisation ..."
    chambery = testimonies[4]
    assert chambery.text.startswith("La ville de Chambéry mène un partenariat")
    # sub-sections of a testimony
    children = [s for s in workshop.sections if s.parent == testimonies[0].heading]
    assert [s.heading for s in children][0] == (
        "L'implication de la ville en coopération internationale"
    )
    # the footnote is set apart
    assert workshop.footnotes[0].text == "CKJC : Association Châtelleraut Kaya Jumelage Coopération"
    assert not any("<sup>" in v or "**" in v for v in _strings(workshop.sections))
    # a word split over a blank line by the extraction is rejoined
    motivations = next(s for s in workshop.sections if s.heading.startswith("Les motivations"))
    assert "vis-à-vis de l'Etat" in motivations.text


# --- Franco-Mauritanian synthesis ------------------------------------------------------------


def test_mauritania_quotes(mauritanian):
    workshop, report = mauritanian
    assert workshop.title == "Intensifier et consolider les Partenariats : synthèse des débats"
    values = [(q.line, q.value) for q in workshop.quotes]
    assert values[:3] == [(6, "AMITIE"), (7, "SINCERITE"), (8, "RECIPROCITE")]
    assert workshop.quotes[0].text == "Le jumelage n’est pas une fin en soi, c’est un moyen"
    assert workshop.quotes[2].text == (
        "Depuis 1987 que je viens en Mauritanie, je ne suis plus la même infirmière en France"
    )
    assert len(workshop.quotes) == 6
    assert all(q.value is None for q in workshop.quotes[3:])
    assert report == []


def test_mauritania_recommendations(mauritanian):
    workshop, _ = mauritanian
    themes = [r.theme for r in workshop.recommendations]
    assert themes.count("Développer les jumelages") == 6
    assert themes.count("Rendre durable une relation de jumelage") == 8
    first = workshop.recommendations[0]
    assert first.order == 1 and first.line == 14
    assert first.text.startswith("s’appuyer sur les différents relais : les élus impliqués")
    assert "l’effet levier des mauritaniens" in first.text
    last = workshop.recommendations[-1]
    assert (last.order, last.text) == (8, "développer l’apprentissage de la langue française")
    assert not any(r.text.startswith("-") or "  " in r.text for r in workshop.recommendations)


# --- Bagnolet --------------------------------------------------------------------------------


def test_bagnolet_twin_towns(town):
    workshop, report = town
    names = [(t.name, t.country, t.year) for t in workshop.twin_towns]
    assert names == [
        ("Chatila", "Liban", 2002),
        ("Oranienburg", "Allemagne", 1964),
        ("Massala", "Mali", 2003),
        ("Sesto Fiorentino", "Italie", 1962),
        ("Akbou", "Algérie", 2005),
    ]
    massala = workshop.twin_towns[2]
    assert massala.line == 76
    assert (massala.population, massala.population_year) == (6547, 2009)
    assert massala.population_approximate
    assert massala.population_as_printed == "Environ 6 547 habitants (2009)"
    assert massala.cercle == "Ségou"
    assert massala.description.startswith("Commune rurale du")
    chatila = workshop.twin_towns[0]
    assert (chatila.population, chatila.population_year) == (18000, None)
    assert workshop.organiser == "Ville de Bagnolet"
    assert "Lire la suite" not in _strings(workshop)
    assert sorted(item.kind for item in report) == ["skipped-page-chrome", "unlisted-twin-town"]


def test_every_line_is_placed_or_reported():
    for module in (cuf2016, horizons, mauritania, bagnolet):
        lines = read_lines(settings.SOURCES_DIR / module.SOURCE)
        _, report = module.parse(lines)
        assert not [r for r in report if r.kind == "unplaced-line"], module.SOURCE
        for item in report:
            assert item.message and item.line >= 1


def test_an_unknown_line_is_reported():
    lines = read_lines(settings.SOURCES_DIR / mauritania.SOURCE)
    lines.append((len(lines) + 1, "Texte ajouté hors de toute règle"))
    _, report = mauritania.parse(lines)
    assert [(r.line, r.kind, r.value) for r in report] == [
        (len(lines), "unplaced-line", "Texte ajouté hors de toute règle")
    ]
