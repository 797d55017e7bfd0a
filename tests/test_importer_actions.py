"""The actions tables of the 70 fiches, parsed from the real répertoire (pure, no database)."""

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from partnerships.importers.actions import (
    DOMAIN_LABELS_CSV,
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
DOMAINS_CSV = DOMAIN_LABELS_CSV.parent / "domains.csv"
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
    # the label glued to the end of SANTE's budget cell opens the ARTISANAT row
    assert (
        actions[4].description == "6 échanges de savoir-faire 6 artisans Klais en stage à Alençon."
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
        (12801, None, "Programme sur 3 ans (2000, 2001 et 2002)",
         "38 112 € sur l’exercice 2000\n38 112 € sur l’exercice 2001\n"
         "38 112 € sur l’exercice 2002"),
        (12835, "Développement économique local", None,
         "38 815 € sur l’exercice 2004\n28 956 € sur l’exercice 2005\n"
         "19 038 € sur l’exercice 2006"),
        (12854, "Développement économique local",
         "Fin consolidation et perspective retrait fin 2007", None),
    ]  # fmt: skip
    assert actions[0].description.startswith("Financement de micro-projets dont la finalité")
    assert "Aide attribuée à Handicap International" in actions[0].description
    assert (actions[0].start_year, actions[0].end_year) == (2000, 2002)
    assert [(p.line, p.kind) for p in problems] == [(12801, "missing-domain")]


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


def test_chilly_mazarin_multi_label_cell_is_split_and_reported():
    actions, problems = parsed(2232)
    assert [a.domain_as_printed for a in actions][:5] == [
        "EAU : Adduction d’eau Forages et puits Barrage avec culture dans le bas fond",
        "SANTE",
        "ÉDUCATION",
        "DEVELOPPEMENT ECONOMIQUE",
        "APPUI A LA DECENTRALISATION",
    ]
    assert actions[0].description.startswith("Travaux canalisation et abri moteur")
    assert actions[1].description.startswith("Rénovation latrines : école A")
    kinds = Counter(p.kind for p in problems)
    assert kinds["split-domain-cell"] == 2 and kinds["section-heading"] == 2
    assert "AU MALI" not in [a.domain_as_printed for a in actions]


def test_empty_tables():
    for fiche in (1276, 2123, 5867, 13605):
        assert parsed(fiche)[0] == []


# ------------------------------------------------------------------ invariants over all fiches


def all_actions():
    for fiche in tables():
        actions, _ = parsed(fiche)
        yield from ((fiche, a) for a in actions)


def test_totals():
    actions = list(all_actions())
    assert len(actions) == 295
    problems = Counter(p.kind for fiche in tables() for p in parsed(fiche)[1])
    assert problems["header-budget"] == 5
    assert problems["missing-domain"] == sum(1 for _, a in actions if a.domain_as_printed is None)
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
