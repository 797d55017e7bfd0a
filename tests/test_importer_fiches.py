"""Fiche parser, on the real répertoire: values read by hand in the source text."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from partnerships.importers.fiches import parse_fiches
from partnerships.importers.text import read_lines

SOURCE = (
    Path(__file__).resolve().parent.parent
    / "fixtures/sources/cuf-repertoire-franco-malien-2008.txt"
)
TEXT_FIELDS = (
    "title",
    "contacts_start",
    "formalisation",
    "budget_cd",
    "budget_ri",
    "technical_partners",
    "financial_partners",
    "motivations_french",
    "motivations_malian",
    "presentation",
    "perspectives",
    "documents",
)
FORM_LABELS = (
    "Nom :",
    "Tél :",
    "Fax :",
    "@ :",
    "Date de début des contacts",
    "Date de formalisation",
    "Budget consacré à la coopération",
    "Budget consacré aux relations",
    "Partenaires techniques (",
    "Partenaires financiers (",
    "Perspectives du partenariat",
    "Documents de capitalisation",
    "Pour la partie",
    "Motivations & objectifs",
    "Présentation du partenariat",
    "Histoire du partenariat",
    "Collectivité française",
    "Collectivité malienne",
    "Nb habitants",
    "Cercle/Région/Commune",
    "Département/Région",
    "(ex : existence",
    "prochaines années",
)
# Contact details printed by the fiche itself inside a partner's description: they are
# content, not a leaked form label (Hennebont: ONG Killé; Grand Lyon: "Partenaires :").
PRINTED_CONTACT_DETAILS = {(6619, "technical_partners"), (7752, "technical_partners")}
CONTACT_LABELS = ("Tél :", "Fax :", "@ :")


@pytest.fixture(scope="module")
def parsed():
    return parse_fiches(read_lines(SOURCE))


@pytest.fixture(scope="module")
def fiches(parsed):
    return {fiche.line: fiche for fiche in parsed[0]}


@pytest.fixture(scope="module")
def report(parsed):
    return parsed[1]


def values(fiche):
    for name in TEXT_FIELDS:
        yield name, getattr(fiche, name)
    for ref in fiche.french + fiche.malian:
        yield "french" if ref.side == "FR" else "malian", ref.name_as_printed
        yield "population", ref.population_as_printed
        yield "location", ref.location_as_printed


# --- segmentation ---------------------------------------------------------------------------


def test_counts_and_statuses(parsed):
    fiches, _ = parsed
    assert len(fiches) == 70
    assert [f.status for f in fiches] == ["documented"] * 59 + ["other"] * 11
    assert fiches[0].line == 182 and fiches[0].title == "Aix-en-Provence / Bamako-Commune V"
    assert fiches[58].line == 12412 and fiches[58].title == "Viroflay / Cercle de Kolokani"
    assert fiches[59].line == 12648 and fiches[59].title == "Bron"
    assert fiches[-1].line == 13716
    assert fiches[-1].title == "Marolles – Les amis du Jumelage / Lakamane"


def test_every_date_is_read(parsed):
    fiches, report = parsed
    assert all(isinstance(f.updated_on, datetime.date) for f in fiches)
    assert not [r for r in report if r.kind == "unreadable-date"]


def test_pages_from_footers_inside_fiches(fiches):
    pages = {line: f.page for line, f in fiches.items() if f.page is not None}
    assert pages == {182: 13, 2232: 37, 5722: 73, 6016: 77, 8007: 98, 9984: 120}


def test_fiche_ends_before_the_next_headings(fiches):
    viroflay = fiches[12412]
    assert viroflay.documents.endswith("Historique des 20 ans du jumelage")
    assert "Achères" not in viroflay.documents  # the "non renseignés" list follows
    marolles = fiches[13716]
    assert "Annexe" not in (marolles.documents or "")
    assert all(n < 13882 for n, _ in marolles.actions_lines)


def test_wrapped_titles(fiches):
    assert fiches[1738].title == (
        "Communauté d’Agglomération d’Evry Centre Essonne / Commune de Kayes"
    )
    assert fiches[5867].title == (
        "Communauté Urbaine Grand Nancy / Conseil Communal d’Anderamboukane"
    )
    assert fiches[9112].title == "Montreuil (2) / Cercle de Yelimane – PADDY"


# --- fiches read field by field -------------------------------------------------------------


def test_aix_en_provence(fiches):
    fiche = fiches[182]
    assert fiche.updated_on == datetime.date(2008, 10, 10)
    assert fiche.page == 13
    (fr,) = fiche.french
    assert (fr.name_as_printed, fr.population_as_printed, fr.location_as_printed, fr.line) == (
        "Aix-en-Provence",
        "139 800",
        "Bouches-du-Rhônes",
        191,
    )
    (ml,) = fiche.malian
    assert (ml.name_as_printed, ml.population_as_printed, ml.location_as_printed) == (
        "Bamako Commune V",
        "250 000",
        "District de Bamako",
    )
    assert fiche.contacts_start is None
    assert fiche.formalisation == "Convention signé en 2003"
    assert fiche.budget_cd is None
    assert fiche.budget_ri == "200 000 euros"
    assert fiche.technical_partners == "Centre Hospitalier Général"
    assert fiche.financial_partners is None
    assert fiche.motivations_french.startswith("Les liens historiques entretenus entre le Mali")
    assert fiche.motivations_french.endswith("de la décentralisation et de l’échelon local")
    assert fiche.motivations_malian == (
        "La commune a exprimé la volonté de disposer d’un partenaire d’expérience partageant "
        "une vocation et des missions communes."
    )
    assert fiche.perspectives.startswith("Objectifs principaux :\n- L'inscription dans un cadre")
    assert fiche.perspectives.endswith("Objectifs du Millénaire pour le Développement.")
    assert fiche.documents == "Etude sur le système de santé au Mali."
    assert fiche.actions_lines[0] == (
        274,
        "Actions de coopération réalisées depuis 2000 (au Mali et en France) ",
    )
    assert fiche.actions_lines[-1][0] == 291
    assert fiche.field_lines["formalisation"] == 253
    assert fiche.field_lines["budget_ri"] == 258
    assert fiche.field_lines["perspectives"] == 294
    assert fiche.field_lines["title"] == 187


def test_alencon(fiches):
    fiche = fiches[322]
    assert fiche.updated_on == datetime.date(2006, 4, 10)
    assert [r.name_as_printed for r in fiche.french] == ["ALENCON"]
    assert fiche.french[0].population_as_printed == "30 380"
    assert fiche.french[0].location_as_printed == "Basse-Normandie"
    (ml,) = fiche.malian  # "Collectivité Malienne", capital M
    assert ml.name_as_printed == "KOUTIALA"
    assert ml.population_as_printed == "130 000"
    assert ml.location_as_printed == "Cercle de Koutiala/Région de Sikasso"
    assert fiche.contacts_start == "1968"
    assert fiche.formalisation == (
        "Signature du protocole d’amitié en 1970 à Alençon et en 1972 à Koutiala."
    )
    # both budget labels on one line, nothing printed under them
    assert fiche.budget_cd is None and fiche.budget_ri is None
    assert fiche.motivations_french.startswith("Avec déjà deux jumelages : Basingstoke")
    assert fiche.motivations_french.endswith("de la santé et de l’artisanat.")
    assert fiche.motivations_malian is None
    assert fiche.actions_lines[0][0] == 408
    assert fiche.actions_lines[-1][0] == 587
    assert fiche.perspectives is None and fiche.documents is None


def test_angers(fiches):
    fiche = fiches[741]
    assert fiche.title == "Angers / Bamako"
    assert [(r.name_as_printed, r.population_as_printed) for r in fiche.french] == [
        ("ANGERS", "156 327")
    ]
    assert fiche.french[0].location_as_printed == "Maine-et-Loire"
    assert [(r.name_as_printed, r.population_as_printed) for r in fiche.malian] == [
        ("BAMAKO", "1 400 000")
    ]
    assert fiche.contacts_start == "1974"
    assert fiche.formalisation == (
        "1974 signature d’une charte de jumelage avec le District de Bamako, charte "
        "renouvelée avec l’ensemble des 6 communes de Bamako et le District de Bamako en 1994"
    )
    assert (
        fiche.budget_cd == "Fonds de coopération pour Bamako d’un montant annuel de 220 000 Euros"
    )
    assert fiche.budget_ri is None
    assert fiche.technical_partners == "L’AFVP (Association Française des Volontaires du Progrès)"
    assert fiche.financial_partners == "Ministère des Affaires Etrangères"
    assert fiche.motivations_french is None and fiche.motivations_malian is None
    assert fiche.perspectives == "Participation au programme Loire Niger"
    assert fiche.documents == "Évaluation du programme CLAEC effectué en 2004"
    assert fiche.field_lines["budget_cd"] == 814


def test_angouleme(fiches):
    fiche = fiches[902]
    assert fiche.title == "Angoulême / Segou"
    assert fiche.french[0].name_as_printed == "ANGOULEME"
    assert fiche.french[0].location_as_printed == "CHARENTE"
    (ml,) = fiche.malian
    assert ml.name_as_printed == "SEGOU"
    assert ml.population_as_printed == "110 000 (hinterland)"
    assert ml.location_as_printed == "Région de Ségou"
    assert fiche.contacts_start == "1983"
    assert fiche.formalisation == (
        "1985 : convention entre mairies, renouvelées tous les 3 ans environ. "
        "En cours de renouvellement."
    )
    assert fiche.budget_cd == (
        "Depuis 2006 aucun budget de la coopération décentralisée, 20 000 euros pour des "
        "projets d’assainissement."
    )
    assert fiche.technical_partners is None
    assert fiche.financial_partners == "Actuellement Comaga, Agence de l’eau Adour Garonne"
    assert fiche.motivations_french.startswith("Réponse à la demande malienne")
    assert fiche.motivations_malian.startswith("Vision d’une coïncidence sur de nombreux points")
    assert fiche.documents == (
        "- 1 cd-rom complet récapitulatif en 2005\n- 1 document d’évaluation en 2007"
    )


def test_ille_et_vilaine(fiches):
    fiche = fiches[3892]
    assert fiche.title == "Conseil Général d’Ille et Vilaine / Région de Mopti"
    assert [r.name_as_printed for r in fiche.french] == ["Conseil Général d’ILLE-ET-VILAINE"]
    assert fiche.french[0].population_as_printed == "900 000"
    assert [r.name_as_printed for r in fiche.malian] == ["Région de MOPTI"]
    assert fiche.malian[0].population_as_printed == "1 200 000"
    assert fiche.contacts_start == "1983"
    assert fiche.formalisation.startswith("Signature de la toute première convention en 1987.")
    assert fiche.budget_cd == "330 000 euros."
    # value begun on the label line and wrapped: "… /an : 2,4" + "millions d’euros."
    assert fiche.budget_ri == "2,4 millions d’euros."
    assert fiche.technical_partners is None  # no such label in this fiche
    assert fiche.financial_partners == "- Ministère des Affaires Etrangères\n- Loire Eaudyssée"
    assert fiche.motivations_french.startswith("En 1983, le Sahel était touché")
    assert fiche.motivations_malian.startswith("Ce sont les autorités maliennes")
    assert fiche.actions_lines[0] == (
        3993,
        "Actions de coopération réalisées 2000 - 2006 (au Mali et en France) ",
    )
    assert fiche.perspectives.startswith("Le Département d’Ille et Vilaine, la Région de Mopti")
    assert fiche.field_lines["perspectives"] == 4083


def test_pontcharra_several_partners(fiches):
    fiche = fiches[9786]
    assert [r.name_as_printed for r in fiche.french] == [
        "Pontcharra (38) Leader",
        "La Rochette (73)",
        "Le Cheylas (38)",
        "St Maximin (38)",
    ]
    assert {r.population_as_printed for r in fiche.french} == {"14 000"}
    assert {r.location_as_printed for r in fiche.french} == {"Isère, Savoie / Rhône-Alpes"}
    assert [r.name_as_printed for r in fiche.malian] == ["Dembella", "Benkadi", "Jlendio", "Fella"]
    assert {r.population_as_printed for r in fiche.malian} == {"environ 40 000"}
    # the location is printed on the line after its empty label
    assert {r.location_as_printed for r in fiche.malian} == {"Sikasso/Sikasso/Ganadougou"}
    assert {r.line for r in fiche.malian} == {9800}
    assert fiche.contacts_start is None
    assert fiche.formalisation == "1995. Convention"
    assert fiche.budget_cd == "18 000 €"
    assert fiche.technical_partners == "Arcade « Une Terre pour Vivre »"
    assert fiche.financial_partners == "MAE ; OIF"


def test_saint_denis_three_malian_partners(fiches):
    fiche = fiches[10943]  # "Collectivités maliennes"
    assert [r.name_as_printed for r in fiche.malian] == ["Djélébou", "Karokoro", "Sahel"]
    assert [r.name_as_printed for r in fiche.french] == ["Saint-Denis"]


@pytest.mark.parametrize(
    "line, side, name",
    [
        (6619, "malian", "Niamana – Mourdiah (et 39 villages)"),
        (9512, "malian", "Commune rurale de Sofara-Fakala"),
        (7415, "malian", "Sio, secteur de Somadougou"),
        (2859, "french", "Communauté de communes de Sainte Maure de Touraine"),
        (8734, "malian", "Cercle de YELIMANE /Comité local de jumelage (CLJ)"),
        (12955, "french", "Association internationale des Maires francophones"),
    ],
)
def test_names_not_split_and_wraps_joined(fiches, line, side, name):
    assert [r.name_as_printed for r in getattr(fiches[line], side)] == [name]


def test_locations_without_label_or_wrapped(fiches):
    assert fiches[1370].malian[0].location_as_printed == "Cercle de Nioro du Sahel"
    assert fiches[4359].malian[0].location_as_printed == "Cercle de Kadiolo Région de Sikasso"
    assert fiches[12116].malian[0].location_as_printed == (
        "Région Koulikoro Cercle Kati Commune Siby"
    )
    assert fiches[12116].malian[0].population_as_printed == "4 000 / 21000 à SIBY"
    assert fiches[2859].malian[0].location_as_printed == "Mandé; Kati/ Koulikouro"
    assert fiches[5867].french[0].location_as_printed == "Meurthe et Moselle / Lorraine"


def test_bron_other_fiche_with_free_text(fiches):
    fiche = fiches[12648]
    assert fiche.status == "other"
    assert fiche.updated_on == datetime.date(2007, 5, 1)
    (fr,) = fiche.french
    assert (fr.name_as_printed, fr.population_as_printed, fr.location_as_printed) == (
        "Bron",
        "39 000 hab",
        "Région Rhône-Alpes",
    )
    assert fiche.malian == []
    assert fiche.presentation.startswith(
        "La Ville de Bron subventionne deux associations françaises pour des actions de "
        "solidarité au Mali :\nMalira : aide depuis 1999"
    )
    assert fiche.presentation.endswith("une subvention votée chaque année.")
    assert fiche.formalisation is None and fiche.actions_lines == []
    assert fiche.field_lines["presentation"] == 12672


def test_conseil_general_de_l_ain(fiches, report):
    fiche = fiches[12681]
    assert fiche.title == "Conseil Général de l’Ain"
    assert [r.name_as_printed for r in fiche.french] == ["Conseil général de l’Ain"]
    assert fiche.french[0].population_as_printed == "556 964 habitants"
    assert fiche.french[0].location_as_printed == "AIN"
    assert fiche.malian == []  # empty Malian block: no ref, and nothing reported
    assert not [r for r in report if 12681 <= r.line < 12878 and r.kind == "empty-collectivity"]
    assert fiche.contacts_start.startswith("Pas de partenariat particulier.")
    assert fiche.contacts_start.endswith("en faveur de ce type d’action :1993.")
    assert fiche.formalisation is None
    assert fiche.budget_cd.startswith("80 000 € (le CG 01 répartit")
    assert fiche.motivations_french.startswith("À partir du moment où un projet présenté")
    assert fiche.actions_lines[0][0] == 12790


def test_action_mopti_without_collectivity(fiches):
    fiche = fiches[12906]
    assert fiche.title == "Action Mopti"
    assert fiche.french == [] and fiche.malian == []
    assert fiche.presentation.startswith(
        "ONG de développement (Mali, Mopti)\nAction Mopti, créée en 1986"
    )
    assert fiche.presentation.endswith("spécifiques au problème de développement en Afrique.")
    assert "Date de mise à jour" not in fiche.presentation


def test_aimf_other_fiche(fiches):
    fiche = fiches[12955]
    assert fiche.french[0].population_as_printed == "156 villes membres"
    assert [r.name_as_printed for r in fiche.malian] == ["Bamako (District)"]
    assert fiche.contacts_start == "1979, Bamako est membre de l’AIMF dès sa création"
    assert fiche.formalisation == "1979 : adhésion à l’AIMF"
    # the AIMF's own budget is not the partnership's: only what went to Bamako is
    assert fiche.budget_cd.startswith("Depuis 1998, 1 368 000 € ont été investis à Bamako")
    assert fiche.presentation.startswith("Budget de l’AIMF : 5 millions d’euros")


# --- particular layouts ---------------------------------------------------------------------


def test_two_actions_tables_and_repeated_sections(fiches, report):
    fiche = fiches[2232]  # Chilly-Mazarin
    numbers = [n for n, _ in fiche.actions_lines]
    assert numbers[0] == 2340 and 2608 in numbers and numbers[-1] == 2840
    # what sits between the tables is their Perspectives and Documents, not table text
    assert not [n for n in numbers if 2559 <= n < 2608]
    assert 2335 not in numbers  # the page footer
    assert fiche.perspectives.startswith("Convention de financement triennale avec le Conseil")
    assert "Conventions avec :" in fiche.perspectives
    assert fiche.documents.startswith("Etude pour débit de certains puits")
    # each table's Perspectives and Documents are kept end to end: nothing lost, no item
    assert "Documents" not in fiche.perspectives
    assert "par la réalisation d’une gare routière" in fiche.documents  # the second table's
    assert not [r for r in report if r.kind == "repeated-section"]


def test_interleaved_budget_labels_reported(fiches, report):
    fiche = fiches[8285]  # Maubeuge: both labels on one line, then "10 000" alone
    assert fiche.budget_cd == "10 000" and fiche.budget_ri is None
    (item,) = [r for r in report if r.kind == "ambiguous-budget"]
    assert (item.line, item.value, item.field) == (8360, "10 000", "budget_cd")


def test_wrapped_labels(fiches):
    assert fiches[6016].budget_cd.startswith("4517 euros en moyenne par an")  # label on 2 lines
    assert fiches[10598].formalisation.startswith("Signature d’une charte de jumelage")
    assert fiches[5091].budget_cd.startswith("Entre 350 000")  # "Budget annuel … Action Mali :"
    assert fiches[2232].contacts_start == (
        "1986, création du comité des Jumelages, association loi 1901(Jo Avril 1986)"
    )
    assert fiches[1561].budget_ri == "50 000 Euros"


def test_motivations_variants(fiches, report):
    dourdan = fiches[6016]  # "Pour la partie française, pour la partie malienne :"
    assert dourdan.motivations_french == dourdan.motivations_malian
    assert dourdan.motivations_french == "Aide au développement et approche interculturelle."
    allier = fiches[3053]  # text under "Motivations" without any side
    assert allier.motivations_french.startswith("Rencontre entre un Conseiller d’Ambassade")
    assert 3140 in {r.line for r in report if r.kind == "motivations-without-side"}
    assert fiches[13134].motivations_french is None  # "Pour l’AIMF :" left empty


def test_unplaced_lines_are_reported(report):
    unplaced = {r.line: r.value for r in report if r.kind == "unplaced-line"}
    assert unplaced[4368] == "Yvelines/BINKAD"
    # the Vietnamese party's paragraph (9271-9275) is kept in the presentation, not lost
    assert not any(9271 <= line <= 9275 for line in unplaced)
    assert all(r.message for r in report if r.kind == "unplaced-line")


# --- invariants over the 70 fiches ----------------------------------------------------------


def test_no_footer_or_label_in_values(parsed):
    fiches, _ = parsed
    for fiche in fiches:
        for name, value in values(fiche):
            if not value:
                continue
            assert value == value.strip() and "  " not in value, (fiche.line, name)
            assert "Cités Unies France - Répertoire" not in value, (fiche.line, name)
            assert "Date de mise à jour" not in value, (fiche.line, name)
            for label in FORM_LABELS:
                if (fiche.line, name) in PRINTED_CONTACT_DETAILS and label in CONTACT_LABELS:
                    continue
                if (fiche.line, name, label) == (9112, "presentation", "Pour la partie"):
                    continue  # « Pour la partie vietnamienne : » heads a third party's text
                assert label.lower() not in value.lower(), (fiche.line, name, label)
            assert not value.startswith(":"), (fiche.line, name)


def test_contact_details_printed_as_partner_content(fiches):
    assert "Président : Salif Toure Tél : 674 42 48" in fiches[6619].technical_partners
    # Grand Lyon (l. 7843-7844): the « Tel : … Fax : … » line is printed in two cells, the
    # e-mail on the line under it
    assert "Fax : +33 4 26 99 77 15\n@ : philippe.diloreto" in fiches[7752].technical_partners


def test_empty_answers_are_none(parsed):
    fiches, _ = parsed
    for fiche in fiches:
        for name, value in values(fiche):
            assert value != "", (fiche.line, name)


def test_actions_lines_exclude_footers(parsed):
    fiches, _ = parsed
    for fiche in fiches:
        assert not [t for _, t in fiche.actions_lines if "Cités Unies France - R" in t]
        if fiche.actions_lines:
            assert fiche.actions_lines[0][1].strip().startswith("Actions de coop")
            assert not [t for _, t in fiche.actions_lines if "Perspectives du partenariat" in t]


def test_every_documented_fiche_has_both_sides(parsed):
    fiches, _ = parsed
    for fiche in fiches:
        if fiche.status == "documented":
            assert fiche.french and fiche.malian, fiche.line
        for ref in fiche.french + fiche.malian:
            assert ref.name_as_printed, fiche.line
            assert fiche.line < ref.line < fiche.line + 30


def test_field_lines_point_inside_the_fiche(parsed):
    fiches, _ = parsed
    ends = [f.line for f in fiches[1:]] + [13882]
    for fiche, end in zip(fiches, ends, strict=True):
        for name, number in fiche.field_lines.items():
            assert fiche.line < number < end, (fiche.line, name)
        for name in TEXT_FIELDS:
            if getattr(fiche, name):
                assert name in fiche.field_lines, (fiche.line, name)


def test_report_is_short_and_actionable(report):
    kinds = {r.kind for r in report}
    assert kinds <= {
        "unplaced-line",
        "motivations-without-side",
        "nonstandard-label",
        "free-text",
        "ambiguous-budget",
        # from the contacts parser, which parse_fiches calls
        "guessed-side",
        "replaced-name",
        "two-names",
        "unreadable-email",
        "name-differs-from-title",
    }
    assert len(report) < 80
    assert all(r.line and r.message for r in report)


def test_name_differing_from_title_is_reported(fiches, report):
    """The "Nom :" answer names another body than the title: reported, kept as printed."""
    # l. 10298 title "Quimperlé / Commune de Nara", l. 10302 "Nom : SMPE" (its executive is
    # "Président du Syndicat", l. 10313): the printed partner is kept, the doubt reported
    assert fiches[10294].french[0].name_as_printed == "SMPE"
    assert fiches[10294].french[0].population_as_printed == "29 000"
    assert fiches[1989].french[0].name_as_printed == "Asso.de Jumelage-Coopération San Mali"
    differing = {(r.line, r.value) for r in report if r.kind == "name-differs-from-title"}
    assert differing == {
        (10302, "Quimperlé / SMPE"),
        (
            1997,
            "Chaumont-Association de Jumelage-Coopération / Asso.de Jumelage-Coopération San Mali",
        ),
    }
    # not differences: a level word (Montreuil/Yélimané, l. 8738 / 8746), an acronym (AIMF,
    # l. 12959), a group titled by its leader (Pontcharra, l. 9790)
    assert fiches[8734].malian[0].name_as_printed.startswith("Cercle de YELIMANE")
    assert (
        fiches[12955].french[0].name_as_printed
        == "Association internationale des Maires francophones"
    )
    assert len(fiches[9786].french) == 4


def test_location_printed_without_label_keeps_every_level(fiches):
    # l. 12131: "Région Koulikoro Cercle Kati Commune Siby", no label, under the population
    ref = fiches[12116].malian[0]
    assert ref.name_as_printed == "KENIEBA KONKO"
    assert ref.population_as_printed == "4 000 / 21000 à SIBY"
    assert ref.location_as_printed == "Région Koulikoro Cercle Kati Commune Siby"
    # l. 4370: a département printed by its number only
    assert fiches[4359].french[0].location_as_printed == "78"


def test_a_third_partys_motivations_stay_on_the_fiche(fiches, report):
    """Montreuil (2) / PADDY prints « Pour la partie vietnamienne : »: the paragraph is kept,
    with its heading, in the presentation (the fiche has no field for a third party)."""
    fiche = fiches[9112]
    # the heading is printed alone on its line (l. 9271), its paragraph under it
    assert fiche.presentation.startswith("Pour la partie vietnamienne :\nLe Gouvernement du")
    assert fiche.presentation.endswith("dans le cadre du PADDY.")
    assert "vietnam" not in (fiche.motivations_french + fiche.motivations_malian).lower()
    assert not [i for i in report if i.kind == "unplaced-line" and 9271 <= i.line <= 9275]


def test_numbered_actions_keep_one_line_each(fiches):
    """« Action 1 - … » / « Action 2 : … » open a line each, as printed: Hautes-Pyrénées'
    motivations (l. 3796-3801), Essonne / Douentza's perspectives (l. 3463-3475)."""
    lines = fiches[3677].motivations_french.split("\n")
    assert lines[-6:] == [
        "Objectifs spécifiques (2007-2008)",
        "Action 1 - Reconstitution du cheptel de moutons à laine",
        "Action 2 - Engraissement des ovins pour leur vente lors de la fête de la Tabaski",
        "Action 3 - Etude de faisabilité d’une mini-laiterie",
        "Action 4 - Assistance technique locale et coordination par VSF-CICDA",
        "Action 5 - Evaluation et préparation du projet pluriannuel",
    ]
    perspectives = fiches[3288].perspectives.split("\n")
    assert [line.split(" :")[0] for line in perspectives if line.startswith("Action")] == [
        f"Action {n}" for n in range(1, 13)
    ]
    assert perspectives[-5] == (
        "Action 8 : Elaboration d’un programme pluriannuel 2008-2018 de construction, "
        "d’équipement et d’entretien de bâtiments scolaire du second cycle."
    )


def test_a_list_of_sums_keeps_one_line_each(fiches):
    """A line closed by a sum, then a capital: the next item of a list of funders
    (Hautes-Pyrénées, l. 3770-3774; Saint-Jean-de-Boiseau's budget)."""
    assert fiches[3677].budget_cd.split("\n") == [
        "avec le Mali",
        "Conseil général des Hautes-Pyrénées 27 772 €",
        "Conseil de cercle de Niafunké 2 935 €",
        "Ministère des Aff. Etrangères et Européennes 12 000 €",
    ]
    assert fiches[11100].budget_cd.split("\n")[-2:] == [
        "Budget de la commune : 43 000 €",
        "Autres subventions : 57 000 €",
    ]


@pytest.mark.parametrize(
    "lines, expected",
    [
        (
            ["Conseil général 27 772 €", "Conseil de cercle 2 935 €"],
            "Conseil général 27 772 €\nConseil de cercle 2 935 €",
        ),
        # a sum inside a sentence: the wrap goes on
        (["un budget de 10 000 €", "pour le puits"], "un budget de 10 000 € pour le puits"),
        (["en 2005", "Construction"], "en 2005 Construction"),
    ],
)
def test_clean_text_breaks_after_a_sum_only_before_a_capital(lines, expected):
    from partnerships.importers.text import clean_text

    assert clean_text(lines) == expected


def test_a_line_ended_short_of_the_width_is_not_a_wrap(fiches):
    """Where a line leaves room for the next line's first word, its author went to the line:
    Bures' technical partners (l. 1452-1453) and axes (l. 1549-1552), Ivry's « Partenariats
    à développer » (l. 7036). A line ending on « de » or a comma goes on whatever its length."""
    bures = fiches[1370]
    assert bures.technical_partners.split("\n") == [
        "Agence KARED, agence de développement malienne",
        "Association Essonne Sahel : réseau de villes jumelées",
    ]
    assert bures.perspectives.split("\n")[1:5] == [
        "Les axes pour 2004 à 2007 sont :",
        "Accès à l’eau (AEP, forages)",
        "Amélioration du bol alimentaire (jardins maraîchers)",
        "Accès à l’école (rénovation école, mobilier scolaire, fournitures)",
    ]
    assert fiches[6789].perspectives.split("\n")[-1].startswith("Partenariats à développer :")
    # the first line of an answer may share its printed line with the label: no break after it
    assert fiches[322].motivations_french.startswith(
        "Avec déjà deux jumelages : Basingstoke (Angleterre) et Quakenbrück (Allemagne)), "
        "Alençon souhaitait"
    )


@pytest.mark.parametrize(
    "second, third, expected",
    [
        # room was left for « Association »: two lines
        ("Agence KARED", "Association Essonne Sahel", "Agence KARED\nAssociation Essonne Sahel"),
        # a line ending on « de » goes on
        ("Appui à la formation de", "Koutiala", "Appui à la formation de Koutiala"),
        # a lowercase word goes on
        ("Appui à la formation", "des élus", "Appui à la formation des élus"),
    ],
)
def test_clean_text_line_ended_short(second, third, expected):
    from partnerships.importers.text import clean_text

    full = "Une ligne imprimée sur toute la largeur de la page, comme le texte des fiches, " + "x"
    text = clean_text([full, second, third], width=len(full))
    assert text == f"{full} {expected}"
