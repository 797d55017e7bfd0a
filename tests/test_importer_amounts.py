"""Amounts and years of the répertoire's budget and date cells (pure, no database)."""

from decimal import Decimal

import pytest

from partnerships.importers.amounts import parse_amounts, parse_years


def one(text, **kwargs):
    amounts, problems = parse_amounts(text, line=7, **kwargs)
    assert len(amounts) == 1, (text, amounts, problems)
    return amounts[0], problems


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("200 000 euros", Decimal("200000"), "EUR"),
        ("220 000 Euros", Decimal("220000"), "EUR"),
        ("78778€", Decimal("78778"), "EUR"),
        ("39800€", Decimal("39800"), "EUR"),
        ("30000Ff", Decimal("30000"), "FRF"),
        ("978342Fcfa", Decimal("978342"), "XOF"),
        ("5 000 FCFA", Decimal("5000"), "XOF"),
        ("600 000 F CFA", Decimal("600000"), "XOF"),
        ("18 000 €", Decimal("18000"), "EUR"),
        ("1200 euros", Decimal("1200"), "EUR"),
        ("157 700 E", Decimal("157700"), "EUR"),
        ("45 millions de francs CFA", Decimal("45000000"), "XOF"),
        ("25,5 millions de FcfA", Decimal("25500000"), "XOF"),
        ("8 200,00 €", Decimal("8200.00"), "EUR"),
        ("300.000 euros/an pour l'ensemble", Decimal("300000"), "EUR"),
    ],
)
def test_amount_with_currency(text, amount, currency):
    read, problems = one(text)
    assert (read.amount, read.currency, read.is_total, read.year) == (amount, currency, False, None)
    assert problems == []


def test_totals_and_years():
    read, _ = one("T : 234 879 €")
    assert (read.amount, read.currency, read.is_total) == (Decimal("234879"), "EUR", True)
    read, _ = one("total :146616€")
    assert (read.amount, read.is_total) == (Decimal("146616"), True)
    read, _ = one("38 112 € sur l'exercice 2000")
    assert (read.amount, read.currency, read.year, read.is_total) == (
        Decimal("38112"),
        "EUR",
        2000,
        False,
    )
    assert read.as_printed == "38 112 €"


def test_shared_currency_and_years_after_amounts():
    amounts, _ = parse_amounts("5967 et 6990€")
    assert [(a.amount, a.currency) for a in amounts] == [
        (Decimal("5967"), "EUR"),
        (Decimal("6990"), "EUR"),
    ]
    amounts, problems = parse_amounts("12 000 francs en 2001 et 12 000 en 2002", line=1721)
    assert [(a.amount, a.currency, a.year) for a in amounts] == [
        (Decimal("12000"), "FRF", 2001),
        (Decimal("12000"), "FRF", 2002),
    ]
    assert [p.kind for p in problems] == ["assumed-currency"]
    assert problems[0].line == 1721


@pytest.mark.parametrize(
    "text, kind",
    [
        ("De 10 à 42000Ff", "ambiguous-amount"),
        ("3000 à 8580€ l'une", "ambiguous-amount"),
        ("Entre 350 000 € et 400 000 € /an", "ambiguous-amount"),
        ("dons+qq Ff", "unreadable-amount"),
        ("Idem", "unreadable-amount"),
        ("94562", "ambiguous-amount"),
    ],
)
def test_unreadable_or_ambiguous_amounts_are_reported(text, kind):
    amounts, problems = parse_amounts(text, line=453)
    assert amounts == []
    assert [p.kind for p in problems] == [kind]
    assert problems[0].line == 453 and problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "en cours",
        "néant",
        "PM",
        "Variable",
        "Gratuit pour notre collectivité",
        "Intégré dans un budget global du projet",
        "Non évaluée financièrement",
    ],
)
def test_a_cell_saying_there_is_no_sum_is_not_a_doubt(text):
    assert parse_amounts(text, line=3420) == ([], [])


def test_a_budget_told_in_words_with_its_years_only_is_not_a_doubt():
    """Nord-Pas-de-Calais' international budget (l. 5198) prints no sum, only the years its
    interventions started: nothing to read, nothing to check."""
    printed = (
        "Interventions ponctuelles( à partir de 2004) + interventions sur projets dont elle a "
        "la responsabilité du portage (depuis 2006)"
    )
    assert parse_amounts(printed, line=5198) == ([], [])
    # a year beside a sum is still a sum's year, and a lone figure still a doubt
    assert [a.as_printed for a in parse_amounts("2007 : 88 000 euros")[0]] == ["88 000 euros"]
    assert parse_amounts("10 000")[1]


def test_fraction_keeps_the_amount_after_equals():
    read, problems = one("1/3=8155€")
    assert (read.amount, read.currency) == (Decimal("8155"), "EUR")
    assert [p.kind for p in problems] == ["ambiguous-amount"]


def test_bare_number_and_years_in_parentheses():
    amounts, problems = parse_amounts("38 217 (2003 à 2006)")
    assert amounts == []  # no currency: not read; the years are not amounts
    assert [(p.kind, p.value) for p in problems] == [("ambiguous-amount", "38 217")]
    read, problems = one("38 217 (2003 à 2006)", default_currency="EUR")
    assert (read.amount, read.currency) == (Decimal("38217"), "EUR")
    assert [p.kind for p in problems] == ["assumed-currency"]


def test_replacement_character_is_read_as_euro():
    read, problems = one("8004,27 \ufffd pour 2006")
    assert (read.amount, read.currency, read.year) == (Decimal("8004.27"), "EUR", 2006)
    assert [p.kind for p in problems] == ["assumed-currency"]


def test_empty_budget():
    assert parse_amounts(None) == ([], [])
    assert parse_amounts("  ") == ([], [])


@pytest.mark.parametrize(
    "text, years",
    [
        ("De 1978 à 2000", (1978, 2000)),
        ("1983-1984", (1983, 1984)),
        ("1988,2002, 03, 04", (1988, 2004)),
        ("Depuis la période scolaire 2004/2005 et 2005/2006", (2004, 2006)),
        ("Juillet 2005", (2005, 2005)),
        ("Entre1994 et 2005", (1994, 2005)),
        ("prévu 06-2008", (2008, 2008)),
        ("2000 à 2006", (2000, 2006)),
        ("Depuis 1996", (1996, None)),
        ("Du 03/02/07 au 21/03/07", (2007, 2007)),
        ("du 3 au 14 octobre 2005", (2005, 2005)),
        ("Chaque année", (None, None)),
        ("En 1850 et 2099", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_year_then_comma_then_amount_is_not_a_decimal():
    # AIMF Gao, line 13197: "Depuis 2002, 22 000 euros" used to read "2002, 22" and "000 euros"
    found, _ = parse_amounts("Depuis 2002, 22 000 euros ont été investis à Gao")
    assert [(a.amount, a.currency) for a in found] == [(Decimal("22000"), "EUR")]
    found, _ = parse_amounts("Depuis 1998, 1 368 000 € ont été investis à Bamako")
    assert [a.amount for a in found] == [Decimal("1368000")]
    read, _ = one("9 200, 00 €")
    assert read.amount == Decimal("9200.00")


def test_millions_d_euros():
    read, problems = one("2,4 \nmillions d’euros.")  # Ille-et-Vilaine, line 3977
    assert (read.amount, read.currency, problems) == (Decimal("2400000"), "EUR", [])


def test_budget_of_another_body_is_reported_not_read():
    found, problems = parse_amounts(
        "Budget de l’AIMF : 5 millions d’euros Total Mali : 1 744 000 €", line=13038
    )
    assert [(a.amount, a.is_total) for a in found] == [(Decimal("1744000"), True)]
    assert [(p.kind, p.line) for p in problems] == [("ambiguous-amount", 13038)]


def test_same_sum_in_two_currencies_is_one_amount():
    # Thionville, line 12265 and following
    found, _ = parse_amounts("(36.000 FF) ou 5.488 €. (33.840 FF) ou 5.159 €.")
    assert [(a.amount, a.currency) for a in found] == [
        (Decimal("5488"), "EUR"),
        (Decimal("5159"), "EUR"),
    ]
    found, _ = parse_amounts("671.000 FF (102.300 €) réduit à 90.047 €.")
    assert [(a.amount, a.currency) for a in found] == [(Decimal("90047"), "EUR")]


def test_lone_year_like_first_line_is_an_amount_not_a_year():
    # Chilly-Mazarin, line 2362: a column of bare numbers, the first of which looks like a year
    found, problems = parse_amounts("2018\n4970\n690")
    assert found == []
    assert [p.value for p in problems] == ["2018", "4970", "690"]
    found, _ = parse_amounts("38 217 (2003 à 2006)", default_currency="EUR")
    assert [a.amount for a in found] == [Decimal("38217")]


def test_bare_number_takes_the_cells_only_currency():
    # Montreuil 2, line 9203
    found, problems = parse_amounts("100 000 par an (total de 500 000 euros pour le projet)")
    assert [(a.amount, a.currency, a.is_total) for a in found] == [
        (Decimal("100000"), "EUR", False),
        (Decimal("500000"), "EUR", True),
    ]
    assert [p.kind for p in problems] == ["assumed-currency"]
    read, _ = one("TOTAL 142 500 €")
    assert read.is_total


def test_numbers_that_name_are_not_amounts():
    found, problems = parse_amounts("Phase 1\n20 000 Euros\nPhase 2\nAttente devis")
    assert [a.amount for a in found] == [Decimal("20000")] and problems == []
    found, problems = parse_amounts("80 000 € (le CG 01 répartit tout ou partie)")
    assert [a.amount for a in found] == [Decimal("80000")] and problems == []
    read, _ = one("1 200 euros cette année 2007 donnés")
    assert read.year == 2007


def test_figures_on_separate_lines_are_separate_amounts():
    # Chilly-Mazarin, line 2362: a budget cell printing one amount per line
    found, _ = parse_amounts("690\n698\n250", line=2362, default_currency="EUR")
    assert [a.amount for a in found] == [Decimal("690"), Decimal("698"), Decimal("250")]


@pytest.mark.parametrize(
    "text, amount",
    [
        # a price per unit then the total: the total is the sum spent
        ("30 000 francs par puit soit 210 000 francs", Decimal("210000")),
        # the partner's share, in parentheses, is part of the sum before it, not more money
        ("15 000 francs (participation ville de Diakon : 5 000 francs)", Decimal("15000")),
        ("20 000 francs (participation ville de Diakon 10 000 francs)", Decimal("20000")),
    ],
)
def test_unit_prices_and_shares_are_not_more_amounts(text, amount):
    found, _ = one(text, default_currency="FRF")
    assert (found.amount, found.currency) == (amount, "FRF")


def test_a_zero_without_currency_is_no_amount_and_no_doubt():
    """Thionville / Kéniéba prints « 0 » for the abandoned projects."""
    assert parse_amounts("0", line=7) == ([], [])
    amounts, problems = parse_amounts("12", line=7)
    assert amounts == [] and [p.kind for p in problems] == ["ambiguous-amount"]


def test_the_number_of_a_numbered_item_is_no_sum():
    """Gentilly's budget cell numbers its items like its actions: « 1. » / « 2. … 8 200,00 € »."""
    amounts, problems = parse_amounts(
        "1.\n2. Acheminement: 8 200,00 €\n3. 9 200, 00 € pour Gentilly", line=6549
    )
    assert [a.as_printed for a in amounts] == ["8 200,00 €", "9 200, 00 €"]
    assert problems == []


def test_the_numbers_of_a_programme_are_no_sums():
    """La Verrière (l. 7726): « intégrés dans des programmes (Pacedel 1,2,3) »."""
    amounts, _ = parse_amounts(
        "Les financements sont intégrés dans des programmes (Pacedel 1,2,3)",
        line=7711,
        default_currency="EUR",
    )
    assert amounts == []


def test_a_count_of_things_is_no_sum():
    """Chilly-Mazarin (l. 2738): « 15000 pour les 2 (prévisionnel) » is 15 000 for both."""
    amounts, _ = parse_amounts("15000 pour les 2 (prévisionnel)", line=2738, default_currency="EUR")
    assert [a.amount for a in amounts] == [Decimal("15000")]
