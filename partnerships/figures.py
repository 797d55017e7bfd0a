"""The map (/carte/) and figures (/chiffres/) pages: database aggregates drawn as SVG.

Every figure is one aggregate query, so both pages run a fixed number of queries whatever the
number of partnerships (tests/test_figures.py pins them).
"""

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, Sum
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import charts, maps
from .models import (
    Action,
    Budget,
    BudgetKind,
    Collectivity,
    Country,
    Domain,
    MalianRegion,
    Partnership,
)
from .money import format_eur


def malian_towns():
    """(name, place, count) of every Malian partner that can be placed, and those that cannot."""
    partners = (
        Collectivity.objects.filter(country=Country.MALI)
        .partners()
        .with_partnership_count()
        .select_related("malian_region")
        .order_by("name")
    )
    placed, unplaced = [], []
    for collectivity in partners:
        where = maps.place(collectivity)
        if where is None:
            unplaced.append(collectivity)
        else:
            placed.append((collectivity, where))
    return placed, unplaced


def map_page(request):
    regions = list(MalianRegion.objects.with_partnership_count())
    placed, unplaced = malian_towns()
    departements = (
        Collectivity.objects.filter(country=Country.FRANCE)
        .exclude(department_code="")
        .partners()
        .values("department_code", "department")
        .annotate(n=Count("memberships__partnership", distinct=True))
        .order_by("department_code")
    )
    by_departement = {}
    for row in departements:
        name, n = by_departement.get(row["department_code"], (row["department"], 0))
        by_departement[row["department_code"]] = (name or row["department"], n + row["n"])
    french_elsewhere = (
        Collectivity.objects.filter(country=Country.FRANCE, department_code="")
        .partners()
        .with_partnership_count()
        .order_by("name")
    )
    approximate = [(c, w) for c, w in placed if w.precision in maps.APPROXIMATE]
    context = {
        "regions": regions,
        "towns": [(c.name, w, c.partnership_count) for c, w in placed],
        "approximate": approximate,
        "unplaced": unplaced,
        "france_svg": maps.france_map(by_departement),
        "departements": sorted(by_departement.items(), key=lambda i: (-i[1][1], i[0])),
        "french_elsewhere": french_elsewhere,
    }
    return render(request, "partnerships/map.html", context)


def decade_rows():
    decade = ExpressionWrapper(F("contacts_start_year") / 10 * 10, output_field=IntegerField())
    rows = (
        Partnership.objects.filter(contacts_start_year__isnull=False)
        .annotate(decade=decade)
        .values("decade")
        .annotate(n=Count("id"))
        .order_by("decade")
    )
    return [charts.Row(_("années %(decade)s") % {"decade": r["decade"]}, r["n"]) for r in rows]


def budget_rows():
    """Euros of the actions' budgets by domain, with how many actions have a figure at all.

    The budget rows are grouped once by their action's domain, the actions once by theirs: at a
    million actions, joining domains to actions to budgets to count distinct actions took
    1.7 s."""
    sums = {
        row["action__domain"]: row
        for row in Budget.objects.filter(kind=BudgetKind.ACTION, action__isnull=False)
        .values("action__domain")
        .annotate(total=Sum("amount_eur"), costed=Count("action", distinct=True))
        .order_by()
    }
    counts = dict(Action.objects.values_list("domain").annotate(n=Count("pk")).order_by())

    def row(label, key, url=""):
        found = sums.get(key, {})
        return (
            charts.Row(label, found.get("total") or 0, url),
            counts.get(key, 0),
            found.get("costed", 0),
        )

    rows = [
        row(d.localized_name, d.pk, reverse("domain_detail", args=[d.slug]))
        for d in Domain.objects.all()
    ]
    if counts.get(None):
        rows.append(row(_("Domaine non identifié"), None))
    return rows


def figures_page(request):
    regions = [
        charts.Row(r.name, r.partnership_count, reverse("region_detail", args=[r.slug]))
        for r in MalianRegion.objects.with_partnership_count()
    ]
    domains = [
        charts.Row(d.localized_name, d.partnership_count, reverse("domain_detail", args=[d.slug]))
        for d in Domain.objects.with_partnership_count()
    ]
    years = Partnership.objects.aggregate(
        total=Count("id"), unknown=Count("id", filter=Q(contacts_start_year__isnull=True))
    )
    budgets = budget_rows()
    budget_chart = [row for row, _n, _costed in budgets]
    context = {
        "regions": regions,
        "regions_svg": charts.bar_chart(regions),
        "domains": domains,
        "domains_svg": charts.bar_chart(domains),
        "decades": decade_rows(),
        "years": years,
        "budgets": budgets,
        "budgets_svg": charts.bar_chart(budget_chart, value_format=format_eur),
        "budget_total": sum(r.value for r in budget_chart),
        "actions_total": sum(n for _row, n, _c in budgets),
        "actions_costed": sum(c for _row, _n, c in budgets),
    }
    context["decades_svg"] = charts.bar_chart(context["decades"])
    return render(request, "partnerships/figures.html", context)


urlpatterns = [
    path("carte/", map_page, name="map"),
    path("chiffres/", figures_page, name="figures"),
]
