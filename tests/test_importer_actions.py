"""The actions tables of the 70 fiches, parsed from the real répertoire (pure, no database)."""

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from partnerships.importers.actions import (
    actions_as_printed,
    load_domain_labels,
    map_domain,
    parse_actions_table,
    table_is_in_euros,
)
from partnerships.importers.text import fold, is_footer, read_lines

SOURCE = (
    Path(__file__).resolve().parents[1] / "fixtures/sources/cuf-repertoire-franco-malien-2008.txt"
)
DOMAINS_CSV = settings.SOURCES_DIR / "domains.csv"
DOMAIN_LABELS_CSV = settings.SOURCES_DIR / "domain_labels.csv"
HEADER_RE = re.compile(
    r"Domaines d|d[’']intervention\b|Actions réalisée?s|Date de début|périodicité|Budget"
)


@cache
def tables() -> dict[int, list]:
    """Each fiche's actions table(s), keyed by the line of its "Date de mise à jour"."""
    lines = read_lines(SOURCE)
    starts = [i for i, (_, text) in enumerate(lines) if "Date de mise à jour" in text]
    result = {}
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        begin = next(
            (j for j in range(i, end) if "Actions de coopération réalisées" in lines[j][1]), None
        )
        stop = next(
            (j for j in range(begin or end, end) if "Perspectives du partenariat" in lines[j][1]),
            end,
        )
        result[lines[i][0]] = lines[begin:stop] if begin is not None else []
    return result


@cache
def parsed(fiche: int):
    return parse_actions_table(tables()[fiche])


def rows(fiche: int):
    return [
        (a.line, a.domain_as_printed, a.period_as_printed, a.budget_as_printed)
        for a in parsed(fiche)[0]
    ]


def test_seventy_fiches():
    assert len(tables()) == 70


def test_alencon_rows():
    actions, problems = parsed(322)
    assert rows(322) == [
        (418, "ÉCHANGES", "De 1978 à 2000\n1983-1984\n1985-1986\n1978\n2002\n2005",
         "De 10 à 42000Ff\n78778€\n39800€"),
        (465, "CULTURE", "1991 et 1992\n2000 et 2004\n2005", "30000Ff"),
        (481, "ÉDUCATION (en plus des classes ci-dessus)",
         "de 1991 à 2004\n1998 et 2000\n1988,2002, 03, 04\n1994, 1996, 2000\n1993,1997",
         "30000Ff\n1/3=8155€\n3000 à 8580€ l’une\n5967 et 6990€"),
        (517, "SANTE",
         "2003\nde 1989 à 2002\n2002 et 2004\n2005\nde 1977 à 1994\n1976 et 2000\n1975 et 1993\n"
         "1997, 1998, 1999",
         "dons+qq Ff\ntotal :146616€\n38545€\n15245€\n4832€\n72604€"),
        (556, "ARTISANAT", "2001 et 2004\n2002", None),
        (567, "ÉQUIPEMENTS", None, "978342Fcfa\n177625€\n94562"),
    ]  # fmt: skip
    first = actions[0]
    assert first.description.startswith("Chantiers de jeunes : construction de 2 ponts de l’amitié")
    assert first.description.endswith(
        "Bamko-Musique à Alençon: rencontre de 30 musiciens des 4 villes jumelées."
    )
    assert (first.start_year, first.end_year) == (1978, 2005)
    assert actions[1].description.startswith("À Alençon depuis1996 : 1 journée africaine")
    assert actions[2].description.startswith("Rénovation de 14 classes")
    assert "(en plus" not in actions[2].description
    assert actions[3].description.startswith("Matériel médical, dans conteneurs précités")
    # the label glued to the end of SANTE's budget cell opens the ARTISANAT row; its two
    # actions face their two dates ("2001 et 2004", "2002")
    assert actions[4].description == (
        "6 échanges de savoir-faire\n6 artisans Klais en stage à Alençon."
    )
    assert actions[5].description.startswith("Par la ville d’Alençon, à Koutiala:")
    assert problems == []


def test_allonnes_rows_printed_on_one_line():
    actions, _ = parsed(593)
    assert rows(593) == [
        (697, "Aide d’urgence Education et Santé", "2005", "3000 Euros"),
        (706, "Matériel scolaire", "2005", "Gratuit pour notre collectivité"),
        (714, "Séjour de découverte jeune", "Juillet 2005", "1500 Euros"),
        (722, "Éclairage scolaire", "Depuis la période scolaire 2004/2005 et 2005/2006", None),
    ]
    assert actions[0].description.startswith("-paiement des salaires en retard des enseignants")
    assert actions[1].description.startswith("-envoi de deux malles offertes")
    assert actions[2].description == "- rencontre avec la population, des associations"
    assert actions[3].description.startswith("- correspondance entre les enfants")
    assert (actions[3].start_year, actions[3].end_year) == (2004, 2006)


def test_angouleme_whole_row_on_one_line():
    actions, _ = parsed(902)
    assert rows(902) == [
        (998, "Education-culture", "2000 à 2006", "38 217 (2003 à 2006)\n16 939 (2005 et 2006)"),
        (1027, "Vie économique", "2000 à 2006", "1 723 (2003 à 2006)"),
        (1030, "Santé", "2000 à 2006", "13 775 (2003 à 2006)"),
        (1043, "Problèmes urbains", "2000 à 2006", "19 829 (2003 à 2006)"),
    ]
    assert actions[1].description == "Développement de l’action micro-crédit"
    assert actions[0].description.split("\n")[:2] == [
        "- Appui à l’équipement et aux activités : bibliothèque du cercle, CDI du lycée Cabral, "
        "bloc scientifique",
        "- 2ème biennale d’art",
    ]
    assert actions[2].description.startswith("- Elargissement de l’appui aux soins")


def test_pontcharra_header_budget_is_reported():
    actions, problems = parsed(9786)
    assert [a.domain_as_printed for a in actions[:8]] == [
        "Hydraulique",
        "Désenclavement",
        "Elevage",
        "Agriculture",
        "Promotion féminine",
        "Education",
        "Santé",
        "Appui à la décentralisation",
    ]
    assert [a.description for a in actions[:3]] == [
        "Barrage, puits-citernes",
        "Pistes, ponts, ponts-radiers",
        "Auxiliaires d’élevages, coopératives d’éleveurs",
    ]
    assert (
        actions[7].description == "- Appui formation cadres et élus\n- Informatisation des maires"
    )
    header = [p for p in problems if p.kind == "header-budget"]
    assert [(p.line, p.value) for p in header] == [(9894, "Annuel environ 80 000 €")]
    assert all("80 000" not in (a.budget_as_printed or "") for a in actions)
    sensibilisation = next(
        a for a in actions if a.domain_as_printed == "Sensibilisation au développement"
    )
    assert sensibilisation.description == "Intervention dans les écoles et échanges scolaires."
    assert sensibilisation.period_as_printed == "Chaque année"


def test_cg_ain_row_without_domain():
    actions, problems = parsed(12681)
    assert rows(12681) == [
        (12801, "Développement économique local", "Programme sur 3 ans (2000, 2001 et 2002)",
         "38 112 € sur l’exercice 2000\n38 112 € sur l’exercice 2001\n"
         "38 112 € sur l’exercice 2002"),
        (12835, "Développement économique local",
         "Consolidation des acquis (précédent programme) sur 3 ans (2004, 2005 et 2006)",
         "38 815 € sur l’exercice 2004\n28 956 € sur l’exercice 2005\n"
         "19 038 € sur l’exercice 2006"),
        (12854, "Développement économique local",
         "Fin consolidation et perspective retrait fin 2007", None),
    ]  # fmt: skip
    assert actions[0].description.startswith("Financement de micro-projets dont la finalité")
    assert "Aide attribuée à Handicap International" in actions[0].description
    assert (actions[0].start_year, actions[0].end_year) == (2000, 2002)
    # "Idem Consolidation des…": the actions cell says "Idem", the dates cell the rest, as the
    # row above prints "Programme sur 3 ans (2000, 2001 et 2002)" (read by hand)
    assert actions[1].description == "Idem"
    # no label printed beside the first row: the nearest one is taken, and reported
    assert [(p.line, p.kind) for p in problems] == [(12801, "inferred-domain")]


def test_aix_rows_and_euro_header():
    actions, _ = parsed(3288)
    assert table_is_in_euros(tables()[3288])
    assert (actions[0].domain_as_printed, actions[0].description) == (
        "Appui institutionnel",
        "Cartographie",
    )
    assert (actions[0].period_as_printed, actions[0].budget_as_printed) == ("2006-2007", "12 747")
    rural = next(a for a in actions if a.line == 3432)
    assert (rural.domain_as_printed, rural.description, rural.budget_as_printed) == (
        "Développement rural",
        "Lancement d'un appel à projets paysans",
        "45 500",
    )
    assert "(en euros)" not in " ".join(a.budget_as_printed or "" for a in actions)


def test_chilly_mazarin_table_of_columns_read_cell_by_cell():
    """Lines 2354-2557 print the four columns one after the other; read by hand
    (action_readings.csv), each row gets its own dates and sums, as the PDF shows them."""
    actions, problems = parsed(2232)
    first = [
        (a.domain_as_printed, a.description, a.period_as_printed, a.budget_as_printed)
        for a in actions
        if a.line < 2600
    ]
    eau = "EAU : Adduction d’eau Forages et puits Barrage avec culture dans le bas fond"
    appui = "APPUI A LA DECENTRALISATION"
    sens = "SENSIBILISATION CITOYENNETE INTER NATIONALE"
    assert first == [
        (eau, "Travaux canalisation et abri moteur", "2000", "4448"),
        (eau, "Rénovation du forage de l’hôpital", "2000", "2424"),
        (eau, "Puits hameaux de Diéma", "2000 à 2004", "9689"),
        (eau, "Photos aériennes et étude (début)", "2004", "6424"),
        ("SANTE", "Rénovation latrines : école A", "2000", "2018"),
        ("SANTE", "Construction de latrines au marché", "2000", "4970"),
        ("SANTE", "Soins yeux", "2001-2002", "690"),
        ("SANTE", "Matériel pour nourrissons", "2003à 2005", "698"),
        ("SANTE", "Apport de lait pour enfants en difficultés", "chaque année", "250/ an"),
        ("ÉDUCATION", "Construction école B", "2000 à 2005", "21981"),
        ("ÉDUCATION", "Clôture école B", "2003 2004", "10400"),
        ("ÉDUCATION", "Construction terrain de sport école B", "2005", "10087"),
        ("ÉDUCATION", "Apport de fournitures aux élèves", "Chaque année", "1270"),
        ("ÉDUCATION", "Electrification salle de classe", "2005", "1472"),
        # the micro-credits and their sum are the economic row, not education's
        ("DEVELOPPEMENT ECONOMIQUE", "Micro crédits", "2001-2005", "1905"),
        (
            "DEVELOPPEMENT ECONOMIQUE",
            "Avec l’aide de KARED(fourniture de matériel et formation )",
            "2000/2004",
            None,
        ),
        (
            appui,
            "Formation des élus et aide au projets (fait par KARED dans le cadre de "
            "programmes établis sur 3 ans :PACEDEL",
            "chaque année de 2000 à 2005",
            "4000/an",
        ),
        (
            appui,
            "Stage du secrétaire général de la mairie de Diéma à Chilly-Mazarin",
            "2002\n2003",
            "2246\n2246",
        ),
        (appui, "Electrification Mairie de Diéma", None, None),
        (appui, "Apport de matériel :photocopieur", "2002", "541"),
        (appui, "Installation téléphone", "2002", "535"),
        (appui, "Ordinateur", "2005", "don de C-M"),
        (
            sens,
            "Informations dans les écoles en fonction des projets des enseignants de CM",
            "à la demande",
            None,
        ),
        (sens, "Participation à la soirée SIDA à la maison des Ados de CM", "2004", None),
        (
            sens,
            "Soirée multi- associations locales sur le thème :une école pour Diéma",
            "tous les ans",
            "bénéfices au profit de Diéma",
        ),
        (
            sens,
            "Participation au marché du monde de CM",
            "tous les ans",
            "bénéfices au profit de Diéma",
        ),
        (sens, "Vente programmes de concert", "tous les ans", None),
        # a frequency is a date, not a budget
        ("COMMUNICATION", "Lettre du Jumelage", "2à 3 par an", None),
        ("COMMUNICATION", "Participation Forums à DRAVEIL", "juin 2005\ntous les ans", None),
        # the legend « CM : Chilly-Mazarin » is not part of the label
        (
            "ARTICULATION COOP ET AUTRES DOMAINES",
            "Partenariat avec vélo club de CM",
            "2005",
            "530",
        ),
    ]
    # the heading of the second table is not an action
    assert not any("Actions réalisées" in (a.period_as_printed or "") for a in actions)
    doubts = [p for p in problems if p.kind == "uncertain-alignment"]
    assert [p.line for p in doubts] == [2413, 2510]


def test_aimf_totals_are_totals():
    """Kayes, Mopti, Sikasso: the TOTAL line is the table's total, not the last row's budget."""
    for fiche, line, budget, total in (
        (13239, 13342, "64 000 €", "TOTAL 104 000"),
        (13353, 13473, "33 000 €", "TOTAL 108 000"),
        (13488, 13594, "22 000 €", "TOTAL 142 500 €"),
    ):
        actions = parsed(fiche)[0]
        rows = {a.line: a for a in actions if not a.is_total}
        assert rows[line].budget_as_printed == budget
        assert [a.budget_as_printed for a in actions if a.is_total] == [total]


def test_draveil_no_phantom_row():
    """« Soutien coopérative scolaire » prints no actions: its 700 € is its budget."""
    draveil = [
        (a.domain_as_printed, a.description, a.period_as_printed, a.budget_as_printed)
        for a in parsed(6196)[0]
    ]
    assert ("Soutien coopérative scolaire", None, "annuel", "700 €") in draveil
    assert len(draveil) == 6
    assert all(a[1] != "700 €" for a in draveil)


def test_marolles_read_cell_by_cell():
    cells = [
        (a.domain_as_printed, a.description, a.period_as_printed, a.budget_as_printed)
        for a in parsed(13716)[0]
    ]
    agri = "Développement des activités agricoles"
    forages = "Réhabilitation de forages profonds (90-100m) Guingui Foutougou"
    aide = "Aide au développement Lancement de fonds"
    assert cells == [
        ("Alphabétisation", "Réhabilitation Ecole", None, "20 000 Fr"),
        (agri, "Amélioration Aviculture", "2002", "11 000 Fr"),
        (agri, "Constitution d’une banque de céréales", None, None),
        (agri, "Soutien maraîchage", "1998", "1500 Euros"),
        (
            forages,
            "Aménagement des équipements en fonction de la capacité achat de matériel sur place.",
            "Début 1993\nExploitation",
            "Phase 1\n20 000 Euros",
        ),
        (forages, "Rénovation des bassins", "Rénovation 2004", "Phase 2\nAttente devis"),
        (aide, "- Subvention d’associations locales", "2003", "1200 euros"),
        (aide, "- Achat d’outillage", "2003", None),
        (aide, "- Micro-crédits", "2003", None),
    ]


def test_thionville_kenieba_first_column_is_not_a_period():
    actions, problems = parsed(12116)
    assert not any(
        "Délégation" in (a.period_as_printed or "") or "Projets" in (a.period_as_printed or "")
        for a in actions
    )
    cells = [(a.domain_as_printed, a.period_as_printed, a.budget_as_printed) for a in actions]
    assert cells[0] == ("Projets 2000", None, "(36.000 FF) ou 5.488 €.")
    assert cells[5] == (
        "Délégation de thionvillois : Jean-Jacques DENOT, Patricia MOREL et Nicole PALMER",
        "Du 14 au 24 janvier 2002",
        "aux frais des voyageurs",
    )
    assert cells[8] == (
        "Délégation de trois villageois : Mady CAMARA Djigui KEITA et Mamadou KEITA.",
        "Du 11 au 25 juin 2004.",
        None,
    )
    assert [
        a.budget_as_printed
        for a in actions
        if a.domain_as_printed == "Projets 2004 : Pour les femmes"
    ] == [
        "4.230 €",
        "2.477 €\n2.477 €",
        "0",
    ]
    assert len(actions) == 15
    assert any(p.kind == "uncertain-alignment" for p in problems)


def test_grand_lyon_row_3_dates_are_dates():
    row = {a.line: a for a in parsed(7752)[0]}[7904]
    assert row.period_as_printed == (
        "Une convention de Sept. 2003 à déc. 2004\nPartenariat renouvelé en 2005\n"
        "Partenariat renouvelé jusqu’en 2008"
    )
    assert row.description.split("\n")[-1] == "Recherche de financement PPTE"
    assert row.budget_as_printed is None


def test_empty_tables():
    # 4608: Auvergne / Tombouctou prints « Informations en attente » alone (l. 4707)
    for fiche in (1276, 2123, 4608, 5867, 13605):
        assert parsed(fiche)[0] == []


# ------------------------------------------------------------------ invariants over all fiches


def all_actions():
    for fiche in tables():
        actions, _ = parsed(fiche)
        yield from ((fiche, a) for a in actions if not a.is_total)


def test_totals():
    actions = list(all_actions())
    # Viroflay's two tables of columns: 10 rows, not 4 merged cells; Bures: Jeunes and Eau;
    # Gentilly: two rows, its budget column's words no third one; Auvergne's « Informations en
    # attente » no row; Pontivy's micro-crédits a row of their own
    assert len(actions) == 345
    problems = Counter(p.kind for fiche in tables() for p in parsed(fiche)[1])
    assert problems["header-budget"] == 2  # Pontcharra's and CG Isère's (« Total affectations »)
    # one item per parsed row without a domain, one per table read by hand (naming its rows)
    undomained = [(f, a) for f, a in actions if a.domain_as_printed is None and not a.is_total]
    assert problems["missing-domain"] == sum(1 for _, a in undomained if not a.read_by_hand) + (
        len({f for f, a in undomained if a.read_by_hand})
    )
    assert problems["missing-domain"] <= 7
    per_fiche = Counter(fiche for fiche, _ in actions)
    assert per_fiche[322] == 6 and per_fiche[5091] == 36


def test_no_header_or_footer_text_in_values():
    for _, action in all_actions():
        values = [
            action.domain_as_printed,
            action.description,
            action.period_as_printed,
            action.budget_as_printed,
        ]
        for value in filter(None, values):
            assert not is_footer(value), action
            assert "Cités Unies France" not in value, action
            assert not HEADER_RE.search(value), action
            assert value == value.strip() and "  " not in value, action
            assert "" != value
        assert any(values), action


def test_years_are_plausible():
    for _, action in all_actions():
        for year in (action.start_year, action.end_year):
            assert year is None or 1950 <= year <= 2030
        if action.start_year and action.end_year:
            assert action.start_year <= action.end_year


def test_every_printed_label_is_mapped():
    mapping = load_domain_labels()
    slugs = {row["slug"] for row in csv.DictReader(open(DOMAINS_CSV, encoding="utf-8"))}
    assert set(mapping.values()) - {""} <= slugs
    for _, action in all_actions():
        if action.domain_as_printed:
            assert fold(action.domain_as_printed) in mapping, action.domain_as_printed


def test_domain_labels_csv_is_clean():
    with open(DOMAIN_LABELS_CSV, encoding="utf-8", newline="") as handle:
        rows_ = list(csv.DictReader(handle))
    assert [*rows_[0]] == ["label", "domain", "also", "note"]
    slugs = {
        "appui-institutionnel",
        "tourisme-solidaire-patrimoine",
        "education-au-developpement",
        "appui-societe-civile",
        "education",
        "developpement-rural",
        "sante",
        "eau-assainissement",
        "developpement-economique",
    }
    for r in rows_:
        assert not r["domain"] or r["domain"] in slugs, r
        assert {s for s in r["also"].split("|") if s} <= slugs - {r["domain"]}, r
    # printed variants of a label ("SANTE", "Santé") fold alike and must agree
    by_fold = {}
    for r in rows_:
        assert by_fold.setdefault(fold(r["label"]), r["domain"]) == r["domain"], r
    assert len({r["label"] for r in rows_}) == len(rows_)
    # a label without domain says why
    assert all(r["note"] for r in rows_ if not r["domain"])


@pytest.mark.parametrize(
    "label, slug",
    [
        ("Santé", "sante"),
        ("SANTE", "sante"),
        ("Santé :", "sante"),
        ("Aide d’urgence Education et Santé", "education"),
        ("Aide d'urgence Education et Santé", "education"),
        ("ÉDUCATION/ DEVELOPPEMENT SOCIAL/SANTE", "education"),
        ("TOURISME SOLIDAIRE", "tourisme-solidaire-patrimoine"),
        ("Humanitaire", None),
        ("Inconnu", None),
        (None, None),
    ],
)
def test_map_domain(label, slug):
    assert map_domain(label, load_domain_labels()) == slug


def test_actions_as_printed():
    text = actions_as_printed(tables()[8007])
    assert text.startswith("Actions de coopération réalisées depuis 2000 (au Mali et en France)")
    assert "Cités Unies France" not in text
    assert "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert "Infrastructures Construction de salles de classes" in text
    assert actions_as_printed([]) is None


def test_merged_domain_cells_nord_pas_de_calais():
    """Labels printed once per merged cell: unlabelled rows take the nearest label of the page."""
    actions, problems = parsed(5091)
    domains = {a.line: a.domain_as_printed for a in actions}
    appui = "APPUI A LA DECENTRALISATION Et A LA DEMOCRATIE LOCALE"
    assert [domains[n] for n in (5334, 5349, 5423, 5438, 5444)] == [appui] * 5
    assert [domains[n] for n in (5465, 5480, 5493, 5499, 5511)] == ["DEVELOPPEMENT RURAL"] * 5
    assert [domains[n] for n in (5531, 5540, 5546, 5552)] == ["ARTISANAT"] * 4
    assert domains[5570] == domains[5599] == "SANTE DEVELOPPEMENT SOCIAL"
    # the row printed in the budget cell of the row above is a row of its own
    by_line = {a.line: a for a in actions}
    assert by_line[5480].budget_as_printed == "80 000 /an (moyenne)"
    assert by_line[5493].description == (
        "Étude diagnostic pour le développement de la gomme arabique en région de Kayes"
    )
    assert (by_line[5493].period_as_printed, by_line[5493].budget_as_printed) == ("2004", "11 400")
    assert by_line[5604].budget_as_printed == "+ou- 1500 (par pers / sem.)"
    assert by_line[5613].description.startswith("Programme de formation des acteurs de")
    assert not any(p.kind == "missing-domain" for p in problems)
    inferred = [p for p in problems if p.kind == "inferred-domain"]
    assert inferred and all("←" in p.value for p in inferred)
    assert len(inferred) <= 7  # one item per run of rows, not one per row


def test_mopti_day_dates_are_not_amounts():
    rows_ = {line: (period, budget) for line, _, period, budget in rows(8415)}
    assert rows_[8542] == (
        "Juin 2000\n4 au 13 mars 2002\nAvril puis septembre 2005",
        "17 082 francs\n1004 euros\n5089 euros",
    )
    assert rows_[8573] == (
        "1er au 15 décembre 2003\ndu 28 novembre 2005 au 12 décembre 2005",
        "4603 euros\n6900 euros",
    )
    assert len(rows_) == 3
    ivry = {a.line: a for a in parsed(6789)[0]}
    assert ivry[6925].period_as_printed == "1er stage de 4 semaines en novembre-décembre 2006"
    assert ivry[6925].budget_as_printed == "4 500 euros"


def test_montreuil_padded_cells():
    actions, problems = parsed(8734)
    assert [a.domain_as_printed for a in actions] == [
        "Adduction d’eau potable",
        "Appui à la décentralisation Citoyenneté Droits humains",
        "Education",
        "Santé",
        "Economie",
        "Jeunesse",
        "Autres initiatives de micro-projets déposés par les migrants ou les populations du cercle",
        "Culture",
    ]
    assert actions[0].budget_as_printed == "300.000 euros/an pour l’ensemble"
    assert actions[1].period_as_printed == "2002-2008"
    assert actions[1].description.endswith("citoyenneté sont menées depuis 2005.")
    assert "2002-2008" not in actions[1].description
    assert actions[5].period_as_printed == "2008"
    assert "cercle de Yélimané.\nLes jumelages de classes" in actions[5].description
    assert actions[6].description.startswith("Depuis 2008, le PJCMY soutient financièrement les")
    assert [p.kind for p in problems] == ["unaligned-column", "unaligned-column"]


def test_pontcharra_dates_cell_one_line_per_block():
    by_line = {a.line: a for a in parsed(9786)[0]}
    assert by_line[9928].period_as_printed == (
        "Depuis le démarrage du projet en 1995 et chaque année, des réalisations sont faites et "
        "un appui conseil est fourni tout au long de l’année."
    )
    assert by_line[9928].budget_as_printed is None
    assert 9939 not in by_line and 9941 not in by_line


def test_first_label_on_the_header_line():
    first = parsed(3892)[0][0]
    assert (first.domain_as_printed, first.description, first.period_as_printed) == (
        "Hydraulique villageoise",
        "10 puits par an",
        "Chaque année",
    )
    assert first.budget_as_printed == "150 000 €"
    env = parsed(4718)[0][0]
    assert env.domain_as_printed == "Environnement"
    assert env.description == "Actions de sensibilisation, reforestation, consolidation de berges…"


def test_roncq_second_half_of_a_cell():
    by_line = {a.line: a for a in parsed(10598)[0]}
    assert by_line[10825].budget_as_printed == "3,2 millions CFA\n600 000 CFA\n200 000 CFA"
    assert by_line[10852].description.startswith("Aide à la formation de deux couturières")
    assert by_line[10852].budget_as_printed.startswith("800 000 CFA")


def test_aimf_bamako_read_by_its_merged_cells():
    """AIMF / Bamako prints each domain once, beside one of its actions; read by hand, one
    row per domain cell with all its actions, dates and sums."""
    bamako = [
        (a.domain_as_printed, a.description, a.period_as_printed, a.budget_as_printed)
        for a in parsed(12955)[0]
    ]
    assert [row[0] for row in bamako] == [
        "État civil",
        "Renforcement des capacités municipales Bonne gouvernance",
        "Nouvelles technologies",
        "Secteur marchand",
        "Santé",
        "Assainissement",
        "Humanitaire",
    ]
    assert bamako[0][1:] == (
        "Appui à la modernisation et à la fiabilisation de l’état civil\n"
        "Observatoires de l’état civil (sensibilisation des autorités locales et centrales "
        "autour des problématiques liées à l’état civil)\nFormation de cadres municipaux (40)",
        "Depuis 2002\n2002, 2005\nDepuis 2002",
        "460 000 €",
    )
    assert bamako[5][2:] == ("2001 - 2003\n1991 - 1998\n1999, 2003", "210 000 €\n30 000 €")
    assert bamako[6][1:] == ("Achat de grains", "2005", "20 000 €")


def test_amount_printed_mid_description_keeps_the_description_whole():
    # Saumur prints each budget beside the middle of a long description: the text under the
    # amount finishes the sentence ("(Il existe déjà / 4 500,00 € / d'autres périmètres …") and
    # the paragraphs after it belong to the same action, not to a row of their own.
    saumur = parsed(11551)[0]
    assert len(saumur) == 4
    pauvrete = saumur[1]
    assert pauvrete.domain_as_printed == "Domaine de la lutte contre la pauvreté"
    assert pauvrete.budget_as_printed == "4 500,00 €"
    assert "(Il existe déjà d’autres périmètres maraîchers sur la commune" in pauvrete.description
    assert pauvrete.description.endswith("une ressource supplémentaire à leurs faibles revenus.")
    appui = saumur[3]
    assert appui.budget_as_printed == "6 000,00 €"
    assert "permettraient de mieux faire connaître" in appui.description
    assert appui.description.endswith("collectivités locales maliennes.")


def test_aimf_row_closed_by_a_sum_on_an_actions_line():
    """AIMF tables print a row's dates and budget at the end of its last actions line; the
    lines after it are the next row, not more description."""
    mopti = {a.line: a for a in parsed(13353)[0] if not a.is_total}
    assert mopti[13464].domain_as_printed == "Nouvelles technologies Éducation"
    assert mopti[13473].description == "Construction et équipement du centre de santé de Togüel"
    assert mopti[13473].period_as_printed == "2003"
    assert mopti[13473].budget_as_printed == "33 000 €"
    sikasso = {a.line: a for a in parsed(13488)[0] if not a.is_total}
    assert sikasso[13588].description == "Modernisation des services financiers"
    assert sikasso[13588].budget_as_printed == "11 500 €"


def test_project_table_of_volets():
    """Montreuil's PADDY (fiche 9112): "Volet" headings over PROJET / OBJECTIF / ACTIVITES."""
    lines = [ln for ln in read_lines(SOURCE) if 9279 <= ln[0] <= 9480]
    actions, problems = parse_actions_table(lines)
    assert len(actions) == 18
    first = actions[0]
    assert first.line == 9289
    assert first.domain_as_printed == "DEVELOPPEMENT RURAL ET SECURITE ALIMENTAIRE"
    assert first.description == (
        "Appui à l’agriculture et à l’élevage\n"
        "Objectif spécifique : Renforcement de la sécurité alimentaire\n"
        "Activités principales prévues : Aménagements hydroagricoles, intensification des "
        "systèmes de production (avec l’appui de la coopération vietnamienne), "
        "aménagements pastoraux"
    )
    by_line = {a.line: a for a in actions}
    assert by_line[9416 + 1].domain_as_printed == (
        "ASSAINISSEMENT ET TRAITEMENT DES DECHETS LIQUIDES ET SOLIDES"
    )
    assert by_line[9473].domain_as_printed == "Santé"
    assert by_line[9473].description.endswith("Activités principales prévues : À l’étude")
    kinds = Counter(p.kind for p in problems)
    # lines 9434-9457 printed again, word for word, under their headings: kept once, no doubt
    assert kinds["repeated-row"] == 0
    assert [a.line for a in actions].count(9462) == 1 and 9434 not in by_line
    assert kinds["header-budget"] == 2  # "Budget : 500 000 €", "(coût estimé du PADDY : …)"
    assert kinds["unaligned-column"] == 1  # 9429: project and objective on the same lines
    assert not any("VOLET" in (a.description or "") for a in actions)


def test_aimf_merged_labels_placed_by_their_printed_line():
    # "Humanitaire Achat de grains" heads the table's last row alone: the row above it
    # ("Don de Bennes…") belongs to the « Assainissement » cell centred above
    # "Appui à la modernisation de l'état civil / État civil / Formation … / 33 000 €"
    sikasso = {a.line: a for a in parsed(13488)[0]}
    assert sikasso[13582].domain_as_printed == "État civil"
    assert sikasso[13582].description == (
        "Appui à la modernisation de l’état civil\nFormation de cadres municipaux"
    )
    assert sikasso[13582].budget_as_printed == "33 000 €"


def test_a_hand_reading_must_be_printed_word_for_word(tmp_path):
    """action_readings.csv places printed text; a cell the source does not print stops the
    import instead of slipping into the data."""
    import shutil

    from partnerships.importers import references
    from partnerships.importers.actions import ReadingError

    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("domain_labels.csv", "action_readings.csv"):
        shutil.copy(settings.SOURCES_DIR / name, sources / name)
    readings = sources / "action_readings.csv"
    readings.write_text(readings.read_text(encoding="utf-8").replace("4448", "4488", 1))
    with references.use(sources), pytest.raises(ReadingError, match="4488"):
        parse_actions_table(tables()[2232])


def test_no_total_line_left_in_a_row_and_no_frequency_read_as_a_sum():
    for _, action in all_actions():
        items = (action.budget_as_printed or "").split("\n")
        assert not re.match(r"(?i)^(?:sous-)?total\b", items[-1]), action
        assert not re.match(r"^\d+\s*à\s*\d+\s+par\s+an", action.budget_as_printed or ""), action


def test_an_actions_cell_keeps_one_line_per_printed_action():
    """Roncq prints each action of a cell under the other, facing its dates and budgets."""
    by_line = {a.line: a for a in parsed(10598)[0]}
    assert by_line[10713].description.split("\n") == [
        "Construction et équipement du premier cycle",
        "Construction et équipement du second cycle",
        "Aides ponctuelles (à la demande) pour compléter le matériel pédagogique (enseignement "
        "de la géométrie, manuels des maîtres…) ; achats de livres scolaires, d’armoires "
        "métalliques et de fournitures ciblées à Bamako",
    ]
    assert by_line[10713].period_as_printed == "1991-1997\n2005\nDepuis 1993"
    assert len(by_line[10852].description.split("\n")) == 4
    assert len(by_line[10852].budget_as_printed.split("\n")) == 4


@pytest.mark.parametrize(
    "lines, expected",
    [
        # a blank after a finished action, then a capital: the next action
        (["Envoi d’une benne", " ", "Envoi de 2 bennes"], "Envoi d’une benne\nEnvoi de 2 bennes"),
        # a blank inside a sentence ("de la" / "République") is a wrap
        (["Appui à la", " ", "République du Mali"], "Appui à la République du Mali"),
        # an open parenthesis goes on
        (["Stage (à Kayes,", " ", "Bamako)"], "Stage (à Kayes, Bamako)"),
    ],
)
def test_join_actions(lines, expected):
    from partnerships.importers.actions import _join_actions

    assert _join_actions(lines) == expected


def test_aimf_etat_civil_is_one_row_of_two_actions():
    """Gao, Kayes, Mopti: the État civil cell holds two actions facing one budget."""
    for fiche, line, period, budget in (
        (13134, 13223, None, "22 000 €"),
        (13239, 13334, "2002 – 2004", "40 000 €"),
        (13353, 13448, None, "33 000 €"),
    ):
        rows = [a for a in parsed(fiche)[0] if a.domain_as_printed == "État civil"]
        assert [(a.line, a.period_as_printed, a.budget_as_printed) for a in rows] == [
            (line, period, budget)
        ]
        assert rows[0].description.split("\n")[1] == "Formation de cadres municipaux"


def test_thionville_gao_table_of_columns_read_row_by_row():
    actions, report = parsed(11825)
    rows = {a.line: a for a in actions}
    assert len(rows) == 12
    assert rows[11934].period_as_printed == "Signée le 14 janv.2000"
    assert rows[11934].budget_as_printed == "51.000 FF"
    assert rows[11945].budget_as_printed == "671.000 FF (102.300 €) réduit à 90.047 €."
    assert rows[11945].period_as_printed == "Arrivés à Gao en 04 2001"
    assert len(rows[11945].description.split("\n")) == 5
    assert rows[11964].period_as_printed == "Le 28 juin 2004"
    assert rows[11966].period_as_printed == "Du 10 au 31 01 2005\nDu 10 1 au 30 3 2005"
    assert rows[11968].budget_as_printed == "pour 19600 €"
    assert (rows[12014].domain_as_printed, rows[12014].budget_as_printed) == (
        "Education populaire",
        "Pour 94000 €",
    )
    # every date cell of the column lands on one row, none is lost or doubled
    dates = [d for a in actions for d in (a.period_as_printed or "").split("\n") if d]
    assert len(dates) == 11
    assert [i.kind for i in report if i.kind == "uncertain-alignment"] == ["uncertain-alignment"]


def test_saint_jean_de_la_ruelle_sante_opens_its_own_row():
    rows = {a.line: a for a in parsed(11247)[0]}
    assert (
        rows[11350].description == "Alphabétisation\nFournitures scolaires\nRéfection des classes"
    )
    assert (rows[11361].domain_as_printed, rows[11361].budget_as_printed) == ("Santé", "3500 Euros")
    assert rows[11361].description.startswith("Recyclage des personnels de santé\n")


def test_roncq_actions_at_roncq_do_not_inherit_formations():
    rows = {a.line: a for a in parsed(10598)[0]}
    assert rows[10892].domain_as_printed is None
    assert rows[10892].description.startswith("A Roncq - Sensibilisation permanente")
    assert rows[10892].period_as_printed == "En continu depuis 1987"
    assert rows[10892].budget_as_printed == "Non évaluée financièrement"


def test_cachan_one_row_per_printed_action():
    """Cachan / Diakon prints no domain and its columns one after the other: a row per « - »
    action, the sums on the actions their dates and order point to (a doubt on the fiche)."""
    actions, report = parsed(1561)
    rows = {a.line: a for a in actions}
    assert list(rows) == [1677, 1684, 1689, 1693, 1696, 1701, 1710]
    assert all(a.description.startswith("-") and a.domain_as_printed is None for a in actions)
    assert rows[1693].budget_as_printed == "12 000 francs en 2001 et 12 000 en 2002"
    assert rows[1696].budget_as_printed.split("\n")[-1] == (
        "30 000 francs par puit soit 210 000 francs"
    )
    assert [i.value for i in report if i.kind == "missing-domain"] == [
        "lignes 1677, 1684, 1689, 1693, 1696, 1701, 1710"
    ]


def test_la_fouillouse_blank_budget_cell_keeps_its_year():
    """Développement (l. 7361) prints five years and four sums: 2003 faces a blank cell."""
    by_domain = {r[1]: r for r in rows(_before(7312))}
    years = "2001\n2002\n2003\n2004\n2005"
    assert by_domain["Développement"][2:] == (years, "3000 €\n1000 €\n\n2800 €\n6050 €")
    assert by_domain["Ruralité"][2:] == (years, "10 000 €\n6000 €\n5000 €\n5000 €\n6500 €")
    assert by_domain["Éducation et formation"][3] == "1500 €\n1500 €\n3100 €\n5000 €\n2200 €"


def _before(line: int) -> int:
    """The key of the table printed before ``line`` (tables are keyed by the previous date)."""
    return max(key for key in tables() if key < line)


def test_grand_lyon_actions_printed_without_a_blank_face_their_dates():
    """Rows 6 and 7 (l. 7967-7990) stack two actions with no blank line between them, each
    facing its own date: as many actions as dates."""
    by_line = {a.line: a for a in parsed(_before(7865))[0]}
    numerique, finances = by_line[7967], by_line[7980]
    assert (numerique.description, numerique.period_as_printed) == (
        "Analyse de la situation locale et préconisations\nEnvoi de matériels informatiques",
        "Décembre 2007\nDécembre 2008",
    )
    assert finances.description.split("\n") == [
        "Analyse du budget et des capacités financières du District en vue d’une amélioration "
        "de la perception des taxes locales.",
        "Dossier suivi en partenariat avec Montréal",
    ]
    # a heading and its text are one action, whatever the dates (Montreuil / Yélimané)
    montreuil = next(a for a in parsed(_before(8899))[0] if a.line <= 8899 <= a.line + 20)
    assert montreuil.description.startswith("L’adduction d’eau potable en vue")
    assert "\n" not in montreuil.description


@pytest.mark.parametrize(
    "lines, dates, expected",
    [
        (
            ["Analyse et", "préconisations", "Envoi de matériel"],
            2,
            "Analyse et préconisations\nEnvoi de matériel",
        ),
        (
            ["Analyse et", "préconisations", "Envoi de matériel"],
            3,
            "Analyse et préconisations Envoi de matériel",
        ),
        (
            ["Analyse et", "préconisations", "Envoi de matériel"],
            0,
            "Analyse et préconisations Envoi de matériel",
        ),
    ],
)
def test_join_actions_split_by_their_dates_only_when_counts_agree(lines, dates, expected):
    from partnerships.importers.actions import _join_actions

    assert _join_actions(lines, dates) == expected


def test_viroflay_tables_of_columns_realigned_row_by_row():
    """Viroflay / Kolokani (l. 12523-12579) prints two tables column after column: labels,
    then actions, then one shared period, then sums and a total. Every column counts the same
    rows, paragraph for paragraph, so the rows are rebuilt in order."""
    records, problems = parsed(_before(12523))
    rows = [
        (a.domain_as_printed, a.description, a.period_as_printed, a.budget_as_printed)
        for a in records
        if not a.is_total
    ]
    assert rows[:4] == [
        (
            "Santé",
            "Maternité – Farine de sevrage…",
            "Sur les 20 premières années : 1981-2001",
            "460 kF",
        ),
        (
            "Eau",
            "Puits – barrages…",
            "Sur les 20 premières années : 1981-2001",
            "434 kF (appui du SEDIF)",
        ),
        ("Education", "Ecoles", "Sur les 20 premières années : 1981-2001", "256 kF"),
        ("Formation", "Appui conseil", "Sur les 20 premières années : 1981-2001", "242 kF"),
    ]
    assert [r[0] for r in rows[4:]] == [
        "Formation",
        "Education – Santé",
        "Eau",
        "Education",
        "Santé",
        "Divers",
    ]
    assert rows[6] == (
        "Eau",
        "Puits – forages + adduction d’eau",
        "De 2001 à 2006",
        "126 520 € (appui du SEDIF)",
    )
    assert rows[9][1:] == ("Radio rurale, sensibilisation…", "De 2001 à 2006", "9 775 €")
    assert [a.budget_as_printed for a in records if a.is_total] == ["T : 1 392 kF", "T : 234 879 €"]
    # a printed total confirms the rows: no review item
    assert not [p for p in problems if p.kind in ("split-domain-cell", "uncertain-alignment")]


def test_a_table_of_columns_whose_counts_differ_is_flagged_not_realigned():
    """Sofara-Fakala (l. 9688-9770): two labels, three actions, three dates, three sums — the
    labels cannot be given out one to one, so the table is flagged with its lines."""
    _, problems = parsed(_before(9688))
    [flag] = [p for p in problems if p.kind == "uncertain-alignment"]
    assert flag.line == 9688
    assert "lignes 9688 à 9770" in flag.message
    assert "2 domaines, 3 paragraphes d'actions, 3 dates et 3 montants" in flag.message


def test_one_label_printed_over_several_lines_is_not_a_table_of_columns():
    """« ÉDUCATION / FORMATION des JF / Déscolarisées » (l. 4523) is one row's label."""
    _, problems = parsed(_before(4523))
    assert not [p for p in problems if "colonne après colonne" in p.message]


def test_bures_jeunes_is_a_label_alone_and_eau_opens_its_own_row():
    """Every row of Bures' table prints its label then its text on one line ("Santé Petit
    matériel…"); « Jeunes » (l. 1509) is printed alone and « Eau Creusement… » is the next
    row (read by hand: a label alone may as well head the text below it, as at Quimperlé)."""
    by_line = {a.line: a for a in parsed(_before(1468))[0]}
    assert (by_line[1509].domain_as_printed, by_line[1509].description) == ("Jeunes", None)
    eau = by_line[1511]
    assert (eau.domain_as_printed, eau.period_as_printed, eau.budget_as_printed) == (
        "Eau",
        "2004-2005",
        "34 000 €",
    )
    assert eau.description.split("\n")[0] == "Creusement, surcreusement, réhabilitation de puits"


def test_bagnolet_three_dates_for_three_actions():
    """« 2004 / décembre 2004 / novembre 2005 » (l. 1207-1210) are three dates, not one."""
    [sante] = [a for a in parsed(_before(1194))[0] if a.line == 1194]
    assert sante.period_as_printed == "2004\ndécembre 2004\nnovembre 2005"
    assert sante.description.split("\n") == [
        "Création d’un centre de santé",
        "Formation d’une matronne à Bagnolet pour assurer le fonctionnement du centre",
        "Envoie d’un container de matériels médicaux.",
    ]


def _row_at(line: int, fiche_before: int):
    return next(a for a in parsed(_before(fiche_before))[0] if a.line == line)


def test_the_end_of_a_sentence_printed_in_the_dates_column_goes_back_to_it():
    """Bordeaux (l. 5833-5841): « … formation sur place dispensée par des » / 1999 / 2001 /
    « techniciens de la communauté urbaine de Bordeaux »."""
    row = _row_at(5826, 5826)
    assert row.period_as_printed == "1999\n2001"
    assert row.description.endswith(
        "dispensée par des techniciens de la communauté urbaine de Bordeaux"
    )


def test_a_dates_cell_going_on_stays_in_the_dates_cell():
    """« Depuis 1996, / sur la base de programme triennal » (Nord-Pas-de-Calais, l. 5616) and
    « Depuis 2000, tous / les ans. » (La Verrière, l. 7705) are dates cells."""
    assert _row_at(5613, 5613).period_as_printed == "Depuis 1996, sur la base de programme triennal"
    assert _row_at(5613, 5613).description.endswith("(école fondamentale)")
    verriere = _row_at(7682, 7682)
    assert verriere.period_as_printed == "Depuis 2000, tous les ans."
    assert verriere.description.endswith("formation des Elus.")


def test_a_count_and_its_year_on_one_line():
    """La Flèche (l. 7196-7206): « Maraîchage » / « 2 pompes 2003 », « PNIR » / « 3 puits 2004 »."""
    assert (_row_at(7196, 7196).description, _row_at(7196, 7196).period_as_printed) == (
        "2 pompes",
        "2003",
    )
    assert (_row_at(7202, 7196).description, _row_at(7202, 7196).period_as_printed) == (
        "3 puits",
        "2004",
    )


def test_allier_dates_cell_printed_inside_the_actions_cell():
    """Allier (l. 3159-3170): the dates cell « Actions menées depuis le début et poursuivies
    depuis. » is printed between two halves of the AGRICULTURE actions (read by hand)."""
    row = _row_at(3156, 3156)
    assert row.period_as_printed == "Actions menées depuis le début et poursuivies depuis."
    assert "Actions menées" not in row.description
    assert row.description.endswith("Achat de matériels et de bétails.")


def test_gentilly_numbered_cells():
    """Gentilly (l. 6507-6605): numbered actions, dates and budget items; the second label
    « Renforcement des capacités des institutions locales » is a row, not budget text."""
    sante, institutions = (a for a in parsed(_before(6507))[0])
    assert sante.period_as_printed == "1. 2004/2005 (inauguration)\n2. avril 2007\n3. 2008"
    assert sante.budget_as_printed.split("\n")[0] == "1."
    assert institutions.domain_as_printed == "Renforcement des capacités des institutions locales"
    assert institutions.period_as_printed == "1. 2004/2006\n2. 2008"
    assert institutions.budget_as_printed.startswith("Au travers des interventions in situ")


def test_a_table_of_columns_without_a_total_to_confirm_it_is_a_review_item():
    """Viroflay's first table without its « T : 1 392 kF » line: rebuilt all the same, and a
    person is asked to check the sums against the PDF."""
    lines = [
        (n, t)
        for n, t in tables()[_before(12523)]
        if n <= 12547 and not t.strip().startswith("T :")
    ]
    records, problems = parse_actions_table(lines)
    assert [r.budget_as_printed for r in records if r.line >= 12523] == [
        "460 kF",
        "434 kF (appui du SEDIF)",
        "256 kF",
        "242 kF",
    ]
    [item] = [p for p in problems if p.kind == "realigned-columns"]
    assert (item.line, item.value) == (12523, "Santé | Eau | Education | Formation")
    assert "lignes 12523 à 12547" in item.message


def test_one_action_a_line_when_the_lines_match_the_dates():
    """Hennebont, Culturel (l. 6755-6761): three lines facing « En 2000 / En 2001 / En 2002 »."""
    row = _row_at(6755, 6713)
    assert row.description.split("\n") == ["danses bretonnes", "théâtre", "atelier de peinture"]
    assert row.period_as_printed == "En 2000\nEn 2001\nEn 2002"


def test_a_dates_cell_item_wrapped_on_a_capital_stays_one_item():
    """Yvelines (l. 4499-4506): « … de la parcelle par la Sous » / « Préfecture et la
    Municipalité en » is one dated item; Sainte-Maure's « festival Mandé » / « Niaka les 8 et
    9 » (l. 3024) too."""
    assert _row_at(4468, 4455).period_as_printed.split("\n")[1] == (
        "Janvier 2007 inauguration officielle de la parcelle par la Sous Préfecture et la "
        "Municipalité en présence de BINKAD"
    )
    assert _row_at(2996, 2960).period_as_printed == (
        "Novembre – décembre 2007 avec festival Mandé Niaka les 8 et 9 décembre"
    )


def test_la_verriere_until_2004_is_the_essonne_s_funding():
    """La Verrière, ASCD row (l. 7711-7741, read by hand): « (jusqu’en 2004) » closes
    « Financés par : ASCD, Conseil général de l’Essonne », the next sentence says what came
    after; the dates cell is « Depuis 1996 »."""
    row = _row_at(7711, 7668)
    assert row.period_as_printed == "Depuis 1996"
    assert row.budget_as_printed.split("\n")[1] == (
        "Financés par : ASCD, Conseil général de l’Essonne (jusqu’en 2004)"
    )
    assert row.description.split("\n") == [
        "Financement du CSCOMM",
        "Financement de 4 puits",
        "Financement de trois maraîchages",
        "Financement de deux digues filtrantes",
    ]


def test_alencon_one_line_per_printed_action():
    """Alençon / Koutiala (l. 418-586) prints its actions with no blank between them.
    ÉCHANGES: five sentences facing six dates (the jardin d'enfants and the Maison d'accueil
    are dated apart); ÉDUCATION, SANTE and ÉQUIPEMENTS are read by hand."""
    by_line = {a.line: a for a in parsed(322)[0]}
    assert by_line[418].description.split("\n") == [
        "Chantiers de jeunes : construction de 2 ponts de l’amitié, d’aires de jeux dans écoles "
        "et camping à Alençon et aide à la construction de 16 classes à Koutiala.",
        "Construction. d’1 jardin d’enfants à Kla, d’1 Maison d’accueil (Maison d’Alençon).",
        "Appui à 1 bibliothèque de Koutiala avec la fourniture de livres et rayonnages.",
        "Idem en 2002 par un Chantier Jeunes des 4 villes jumelées pour réalisation de fresques "
        "à l’intérieur et extérieur.",
        "Bamko-Musique à Alençon: rencontre de 30 musiciens des 4 villes jumelées.",
    ]
    assert by_line[481].description.split("\n") == [
        "Rénovation de 14 classes",
        "Rénovation de 2 Jardins d’enfants à Kla",
        "Construction d’1 école, 3 classes et annexes.",
        "Dons de livres et fournitures aux écoliers de Koutiala =10 conteneurs",
        "2 Stages de professeurs (2fois5)",
        "Échanges entre Lycées ici et là-bas.",
        "Nombreux échanges de courrier et interventions en primaire",
    ]
    assert by_line[517].description.split("\n") == [
        "Matériel médical, dans conteneurs précités",
        "Construction de 3 CSCOM ;",
        "Centre de santé de référence :rénovations maternité, chirurgie, bureaux… "
        "constructions : labo. et cabinet dentaire.",
        "12 stages d’élèves infirmiers à Koutiala",
        "Formation à Alençon de 3 et 2 personnes de Kla : Médecins, infirmiers, sages-femmes.",
        "En projet, service des urgences au CSR",
    ]
    assert by_line[567].description.split("\n") == [
        "Par la ville d’Alençon, à Koutiala:",
        "Réalisation d’un château d’eau et appui au 2ème.",
        "Envoi de matériel administratif, de voirie et de véhicules.",
        "Réhabilitation : de 2 jardins d’enfants, de la Maison d’Alençon,",
        "A l’étude, rénovation de 2 aires de marchés et construction d’une gare routière.",
    ]
    assert (by_line[567].period_as_printed, by_line[567].budget_as_printed) == (
        None,
        "978342Fcfa\n177625€\n94562",
    )
    assert [a.line for a in parsed(322)[0]] == [418, 465, 481, 517, 556, 567]


def test_bures_sante_three_actions_one_date():
    """Bures-sur-Yvette, Santé (l. 1482-1497, read by hand): three actions with no blank
    between them, facing one date and one sum; Femmes and Agriculture stack theirs too."""
    sante = _row_at(1482, 1468)
    assert sante.description.split("\n") == [
        "Petit matériel CESCOM et maternité",
        "Participation au financement de la clôture du CESCOM",
        "Participation au financement de l’équipement d’un centre de soins visuels régional à "
        "Nioro du Sahel",
    ]
    assert (sante.domain_as_printed, sante.period_as_printed, sante.budget_as_printed) == (
        "Santé",
        "2005",
        "2 000 €",
    )
    assert _row_at(1499, 1468).description == "Appui alphabétisation\nFormation teinture, savon"
    agriculture = _row_at(1527, 1468)
    assert agriculture.description.split("\n") == [
        "Formation de brigades anti sautériaux",
        "Formation aviculteurs",
        "Création de périmètres maraîchers",
    ]
    assert (agriculture.period_as_printed, agriculture.budget_as_printed) == (
        "2004 -2007",
        "90 000 €",
    )
    assert [a.line for a in parsed(_before(1468))[0]] == [1482, 1499, 1504, 1509, 1511, 1527, 1534]


def test_pontivy_economie_market_in_two_parts_and_micro_credits():
    """Pontivy / Ouelessebougou, Économie (l. 10124-10147, read by hand): the market's two
    parts face 2002 and 2008 and one sum (20 millions, l. 10142-10144); the micro-crédits,
    printed below them, face their own (l. 10146): two rows, so that neither sum is given a
    year of the market's."""
    market, credits = _row_at(10124, 10092), _row_at(10134, 10092)
    assert market.description.split("\n") == [
        "Reconstruction du marché",
        "Première partie",
        "Deuxième partie",
    ]
    assert (market.period_as_printed, market.budget_as_printed) == (
        "2002\n2008",
        "20 millions de francs CFA",
    )
    assert (credits.domain_as_printed, credits.description, credits.period_as_printed) == (
        "Économie",
        "Micro-crédits",
        None,
    )
    assert credits.budget_as_printed == "5 millions de francs CFA"
    assert [a.domain_as_printed for a in parsed(_before(10092))[0]] == [
        "Santé",
        "Éducation",
        "Économie",
        "Économie",
        "Agriculture",
        "Eau et Assainissement",
    ]


@pytest.mark.parametrize(
    "lines, dates, expected",
    [
        # three finished sentences facing four dates: one action each
        (
            ["Chantier.", "Construction d’1", "jardin.", "Appui à", "1 bibliothèque."],
            4,
            "Chantier.\nConstruction d’1 jardin.\nAppui à 1 bibliothèque.",
        ),
        # more sentences than dates: the count does not confirm them
        (["Chantier.", "Construction.", "Appui."], 2, "Chantier. Construction. Appui."),
        # an initial's full stop ends no sentence
        (["Rencontre avec M.", "Dupont et", "visite."], 3, "Rencontre avec M. Dupont et visite."),
    ],
)
def test_join_actions_at_sentence_ends_when_the_dates_allow(lines, dates, expected):
    from partnerships.importers.actions import _join_actions

    assert _join_actions(lines, dates) == expected


def test_ivry_enfance_jeunesse_two_actions():
    """Ivry-sur-Seine / Dianguirdé, Enfance/Jeunesse (l. 6941-6960, read by hand): the
    children's stay and the committee's part in it, no blank between them, one date."""
    row = _row_at(6941, 6905)
    assert row.domain_as_printed == "Enfance/Jeunesse Scolarisation Echanges culturels"
    assert row.description.split("\n") == [
        "Participation d’enfants (13-14 ans) de Dianguirdé à un séjour international de vacances "
        "« Village du Monde » organisé en France par la ville d’Ivry-sur-Seine",
        "Participation du comité de jumelage et de l’association de développement de Dianguirdé "
        "à la préparation du séjour et à l’accueil des Maliens",
    ]
    assert (row.period_as_printed, row.budget_as_printed) == (
        "Depuis 2003 séjour l’été de 3 semaines",
        "Intégré dans un budget global du projet",
    )


def test_lines_that_left_room_in_the_column_are_actions():
    """Evry / Kayes (l. 1858-1860): three short lines facing one date, each ending well before
    the column's width: three actions. Allier / Niafunké's santé row (l. 3173) likewise."""
    evry = _row_at(1858, 1739)
    assert evry.description.split("\n") == [
        "Renforcement en compétences humaines et en matériel",
        "Formations du personnel",
        "Equipement de locaux",
    ]
    allier = _row_at(3173, 3054)
    assert allier.description.split("\n")[1:] == [
        "Mise à disposition d’un échographe pour l’hôpital de Niafunké",
        "Mise en place d’une lunetterie au sein du CESCOM",
        "Mise en fonction d’un cabinet dentaire à Niafunké",
    ]
    # « … de la farine » / « Misola pour enfants » (l. 5579) is a wrap in a column of 40
    npdc = _row_at(5579, 5092)
    assert "\n" not in npdc.description


@pytest.mark.parametrize(
    "lines, expected",
    [
        # short lines, room left for the next word: one action each
        (["Formations du personnel", "Equipement de locaux"], 2),
        # a full line then a capital: a wrap (« Assistance » / « Publique-Hôpitaux »)
        (["Relations permanentes entre l’Assistance", "Publique-Hôpitaux de Marseille"], 1),
        # room left, but the next line closes a parenthesis it does not open
        (["dans le cercle de Diéma", "Pacedel 2000-2003)"], 1),
        # room left, but the line goes on (« de »)
        (["Formation de", "Koutiala"], 1),
        # letters are not all as wide: a line near the width is a wrap (Mulhouse, l. 9642)
        (["d’Urbanisme de la Région", "Mulhousienne"], 1),
        # a full stop ends a line however long (Allier, l. 3197)
        (["Formation de fonctionnaires et élus maliens.", "Réparation et formation"], 2),
    ],
)
def test_join_actions_where_a_line_left_room(lines, expected):
    from partnerships.importers.actions import _join_actions

    assert len(_join_actions(lines, 1, width=42).split("\n")) == expected


@pytest.mark.parametrize(
    "line, fiche_before, actions",
    [
        # Haut-Rhin / Yanfolila (l. 3654-3663): four actions, no domain, no date
        (
            3654,
            3633,
            [
                "Construction d'une retenue d'eau",
                "Actions de formation de planteurs et de transformatrices de mangues",
                "Mise à disposition d'une jeune volontaire à Yanfolila pour assurer le "
                "suivi du projet et faire le lien entre les différents partenaires",
                "Achat de mobilier et de documents pédagogiques pour les collèges du cercle",
            ],
        ),
        # Marly-le-Roi / Kita, Infrastructures (l. 8112-8114)
        (
            8112,
            8100,
            ["Construction de salles de classes", "Adduction d’eau et électrification des marchés"],
        ),
        # Quetigny / Koulikoro, Santé and Education (l. 10267-10288)
        (10267, 10200, ["Construction d’une bibliothèque", "Maternité", "Rénovation d’un CeSCom"]),
        (10281, 10200, ["Construction de 9 classes", "Container de matériel pédagogique"]),
        # Quimperlé / Nara, Scolaire (l. 10394-10403): two actions facing three years
        (10394, 10390, ["Bibliothèques scolaires", "Construction école primaire"]),
        # Hennebont / Niamana-Mourdiah, Santé (l. 6726-6737)
        (
            6726,
            6720,
            [
                "CSCOM Mourdiah équipé",
                "CSCOM village de Gallo",
                "Panneaux solaires CSCOM, berceaux maternité, moustiquaires à Mourdiah",
                "Information sur la prévention du paludisme",
            ],
        ),
    ],
)
def test_cells_read_by_hand_one_line_per_action(line, fiche_before, actions):
    """Cells stacking actions with no blank, whose lines fill the column: read by hand."""
    row = _row_at(line, fiche_before)
    assert row.read_by_hand
    assert row.description.split("\n") == actions


def test_read_by_hand_cells_keep_their_dates_and_sums():
    assert (_row_at(10267, 10200).period_as_printed, _row_at(10267, 10200).budget_as_printed) == (
        "1999-2001\n2003-2005",
        "25,5 millions de FcfA",
    )
    quimperle = _row_at(10394, 10390)
    assert (quimperle.period_as_printed, quimperle.budget_as_printed) == (
        "2000\n2002\n2004",
        "1500\n10 000\n10 000",
    )
    hennebont = _row_at(6726, 6720)
    assert (hennebont.period_as_printed, hennebont.budget_as_printed) == (
        "2000-2002\n2004",
        "38 000 €",
    )


def test_evry_kayes_cells_one_line_per_action():
    """CA Evry Centre Essonne / Kayes (l. 1858-1934): the lines of rows 2 and 3 fill the
    column, so the width rule left them joined; the table is read by hand (all of it: the
    parser, given only the other rows, would measure the column on a narrower widest line)."""
    by_line = {line: _row_at(line, 1858) for line in (1858, 1881, 1905, 1924)}
    assert all(row.read_by_hand for row in by_line.values())
    assert {line: row.description.split("\n") for line, row in by_line.items()} == {
        1858: [
            "Renforcement en compétences humaines et en matériel",
            "Formations du personnel",
            "Equipement de locaux",
        ],
        1881: [
            "Appui à la Commune de Kayes dans la mise en place de structures de concertation "
            "dans les quartiers de la ville",
            "Formations des membres de ces structures",
            "Soutien à la réalisation de projets dans les quartiers",
            "Formation du milieu associatif",
        ],
        1905: [
            "Réhabilitation de collecteurs et de caniveaux d’eaux pluviales",
            "Construction de puisards",
            "Système de collecte des ordures ménagères",
            "Construction de murettes et de barrages en gabions",
            "Construction d’un réseau de mini-égouts",
        ],
        1924: [
            "Soutien à la Maison du Jumelage Kayes / CA Evry Centre Essonne",
            "Soutien aux activités culturelles de quartiers",
        ],
    }
    assert [(r.period_as_printed, r.budget_as_printed) for r in by_line.values()] == [
        ("Depuis 1996", None),
        ("Depuis 2000", None),
        ("Depuis 1993", None),
        ("Depuis 1992", None),
    ]
    assert by_line[1905].domain_as_printed == "Assainissement et lutte anti-érosive"
    # the second table of the fiche, after the repeated header, is still parsed
    assert not _row_at(1947, 1858).read_by_hand


def test_ille_et_vilaine_decentralisation_two_actions_one_date_one_sum():
    """Ille-et-Vilaine / Mopti (l. 4055-4065): two actions facing one date and one sum."""
    row = _row_at(4055, 4055)
    assert row.read_by_hand
    assert row.description.split("\n") == [
        "Formation des élus et des cadres",
        "Appui à l’élaboration du plan de développement",
    ]
    assert (row.domain_as_printed, row.period_as_printed, row.budget_as_printed) == (
        "Décentralisation",
        "2004 et 2005",
        "25 000 €",
    )
    assert (row.start_year, row.end_year) == (2004, 2005)


def test_yvelines_jardin_d_enfants_one_line_per_sentence():
    """Yvelines / Kadiolo (l. 4557-4575): five printed sentences; the row has no domain of
    its own (merged cell above), which stays a review item as when the parser guessed it."""
    actions, problems = parsed(_before(4557))
    row = next(a for a in actions if a.line == 4557)
    assert row.read_by_hand
    assert row.description.split("\n") == [
        "Agrandissement et restauration du Jardin d’Enfants de Kadiolo",
        "2 classes ont été construites, la 3ème classe a été totalement restaurée.",
        "L’enceinte de l’école, la cour, l’auvent, les latrines ont été faits à neuf.",
        "Matériel scolaire, mobilier enfants et enseignants, jeux pour l’extérieur ….",
        "Une bien belle école !",
    ]
    assert (row.period_as_printed, row.budget_as_printed) == (
        "Travaux année 2008\n"
        "L’inauguration a eu lieu le 21 juillet 2008 lors de la 2ème mission Jeunes 78 à Kadiolo",
        "20 000 €",
    )
    inferred = [(p.line, p.value) for p in problems if p.kind == "inferred-domain"]
    assert inferred == [
        (4557, "ÉDUCATION/ CULTURE/ DIVERTISSEMENT CINE KADIOLO ← lignes 4557, 4578")
    ]


@pytest.mark.parametrize(
    "line, fiche, description, cells",
    [
        # Hennebont / Niamana-Mourdiah, Scolaire (l. 6749-6753)
        (
            6749,
            6726,
            [
                "Achats de fournitures à Bamako",
                "Tables bancs (100)",
                "1 école à gallo en construction",
            ],
            ("Scolaire", "2005", "30 000 E"),
        ),
        # La Flèche / Markala, Collectivités (l. 7149-7169): under « -école` » two items set in
        # from the margin, « partenariat (courriers, etc) » and « fourniture matériel scolaire
        # (mobilier, / fournitures…) », are two actions, not one sentence
        (
            7149,
            7149,
            [
                "-coopération inter communale : échange d’expériences",
                "-commune fonctionnement des services : échange D.G.S",
                "Soutient en matériel informatique",
                "Fourniture d’un corbillard",
                "-école` partenariat (courriers, etc)",
                "fourniture matériel scolaire (mobilier, fournitures…)",
            ],
            ("Collectivités", "2002\n2003-2005", None),
        ),
    ],
)
def test_a_cell_read_by_hand_keeps_one_line_per_action(line, fiche, description, cells):
    row = _row_at(line, fiche)
    assert row.read_by_hand
    assert row.description.split("\n") == description
    assert (row.domain_as_printed, row.period_as_printed, row.budget_as_printed) == cells


def test_the_row_after_a_cell_read_by_hand_is_the_parser_s():
    """La Flèche: the hand reading covers the Collectivités row only (l. 7149-7169)."""
    library = _row_at(7173, 7149)
    assert (library.domain_as_printed, library.read_by_hand) == ("Bibliothèque", False)
    assert library.description == "-soutien logistique (organisation fichiers, livres)"
