"""The map (/carte/) and figures (/chiffres/) pages on the seeded répertoire."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from partnerships.models import Budget, BudgetKind, Country, Partnership

from .factories import (
    ActionFactory,
    BudgetFactory,
    CollectivityFactory,
    MalianCollectivityFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db

MAP_QUERIES = 4
FIGURES_QUERIES = 7


def in_region(slug):
    return (
        Partnership.objects.filter(
            members__side=Country.MALI, members__collectivity__malian_region__slug=slug
        )
        .distinct()
        .count()
    )


def add_partnerships(count):
    """More rows of every kind the pages aggregate: the query count must not move."""
    for i in range(count):
        partnership = PartnershipFactory(contacts_start_year=1990 + i)
        PartnershipMemberFactory(
            partnership=partnership,
            collectivity=CollectivityFactory(department="Isère", department_code="38"),
        )
        PartnershipMemberFactory(
            partnership=partnership, collectivity=MalianCollectivityFactory(cercle="Kita")
        )
        action = ActionFactory(partnership=partnership)
        BudgetFactory(partnership=partnership, action=action, kind=BudgetKind.ACTION)


def test_map_page_counts_partnerships_by_region(client, django_assert_num_queries):
    with django_assert_num_queries(MAP_QUERIES):
        response = client.get(reverse("map"))
    assert response.status_code == 200
    regions = {r.slug: r.partnership_count for r in response.context["regions"]}
    assert regions["kayes"] == in_region("kayes") > 0
    assert regions["kidal"] == in_region("kidal")
    assert regions["kayes"] > regions["kidal"]
    html = response.content.decode()
    assert 'href="' + reverse("region_detail", args=["kayes"]) + '"' in html
    assert f"Kayes — partenariats : {regions['kayes']}" in html


def test_map_page_says_which_towns_are_placed_approximately(client):
    response = client.get(reverse("map"))
    approximate = response.context["approximate"]
    assert approximate
    assert all(where.precision in {"cercle", "region"} for _, where in approximate)
    html = response.content.decode()
    assert "Collectivités placées approximativement" in html
    collectivity, where = approximate[0]
    assert collectivity.name in html


def test_map_page_places_french_partners_by_departement(client):
    response = client.get(reverse("map"))
    departements = dict(response.context["departements"])
    isere = Partnership.objects.filter(members__collectivity__department_code="38").distinct()
    assert departements["38"][1] == isere.count() > 0
    assert "971" not in departements or departements["971"][1] > 0
    assert response.context["france_svg"].count("<circle") <= len(departements)


def test_map_page_queries_do_not_grow_with_rows(client, django_assert_num_queries):
    add_partnerships(5)
    with django_assert_num_queries(MAP_QUERIES):
        response = client.get(reverse("map"))
    assert response.status_code == 200


def test_figures_page_charts_and_tables(client, django_assert_num_queries):
    with django_assert_num_queries(FIGURES_QUERIES):
        response = client.get(reverse("figures"))
    assert response.status_code == 200
    context = response.context
    regions = {row.label: row.value for row in context["regions"]}
    assert regions["Kayes"] == in_region("kayes")
    html = response.content.decode()
    for anchor in ("par-region", "par-domaine", "par-decennie", "budgets"):
        assert f'id="{anchor}"' in html
    assert html.count("<figure") == 4
    assert html.count("<caption>") == 4


def test_figures_decades_add_up(client):
    context = client.get(reverse("figures")).context
    known = sum(row.value for row in context["decades"])
    assert known + context["years"]["unknown"] == context["years"]["total"]
    assert context["years"]["total"] == Partnership.objects.count()
    labels = [row.label for row in context["decades"]]
    assert labels == sorted(labels)
    oldest = Partnership.objects.exclude(contacts_start_year=None).order_by("contacts_start_year")
    assert labels[0] == f"années {oldest.first().contacts_start_year // 10 * 10}"


def test_figures_budgets_sum_the_actions_budgets_in_euros(client):
    context = client.get(reverse("figures")).context
    expected = Budget.objects.filter(kind=BudgetKind.ACTION, action__isnull=False).aggregate(
        total=Sum("amount_eur")
    )["total"]
    assert context["budget_total"] == expected
    assert 0 < context["actions_costed"] < context["actions_total"]
    html = client.get(reverse("figures")).content.decode()
    assert "budgets chiffrés" in html


def test_figures_page_queries_do_not_grow_with_rows(client, django_assert_num_queries):
    add_partnerships(5)
    with django_assert_num_queries(FIGURES_QUERIES):
        response = client.get(reverse("figures"))
    assert response.status_code == 200


def test_mali_map_include_renders_alone():
    from django.template.loader import render_to_string

    html = render_to_string(
        "includes/_map_mali.html",
        {
            "regions": [{"slug": "kayes", "name": "Kayes", "partnership_count": 3}],
            "show_table": True,
        },
    )
    assert 'href="' + reverse("region_detail", args=["kayes"]) + '"' in html
    assert "<caption>" in html
