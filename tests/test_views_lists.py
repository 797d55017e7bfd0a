"""The public lists (issue 13): `q`, numbered pages, chips, the actions page and its totals, the
fiche's short related list, and every public page small enough for a slow link."""

import gzip
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partnerships.filters import BUDGET_RANGES
from partnerships.models import (
    Action,
    Collectivity,
    Domain,
    MalianRegion,
    Partnership,
    action_amount_eur,
)
from partnerships.views import RELATED_MAX
from workshops.models import Workshop

from .factories import (
    ActionFactory,
    ContactFactory,
    DomainFactory,
    MalianCollectivityFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response, key="partnerships"):
    return [p.slug for p in response.context[key]]


# --- q, the other name of search ------------------------------------------------------------


def test_q_is_the_search_of_the_list_page(client):
    url = reverse("partnership_list")
    by_q = client.get(url, {"q": "koutiala"})
    by_search = client.get(url, {"search": "koutiala"})
    assert slugs(by_q) == slugs(by_search)
    assert slugs(by_q)[0] == "alencon-koutiala"
    assert by_q.context["page_obj"].paginator.count < Partnership.objects.count()
    assert 'value="koutiala"' in by_q.content.decode()  # the search box shows the words


def test_search_wins_over_q_when_both_are_given(client):
    response = client.get(reverse("partnership_list"), {"q": "zzzz-nothing", "search": "koutiala"})
    assert "alencon-koutiala" in slugs(response)


def test_q_is_the_search_of_the_api(client):
    url = reverse("partnership-list")
    by_q = client.get(url, {"q": "yelimane"}).json()
    by_search = client.get(url, {"search": "yelimane"}).json()
    assert by_q["count"] == by_search["count"] > 0
    assert by_q["count"] < Partnership.objects.count()
    assert [r["slug"] for r in by_q["results"]] == [r["slug"] for r in by_search["results"]]


# --- numbered pages -------------------------------------------------------------------------


def test_the_list_has_numbered_pages(client):
    url = reverse("partnership_list")
    # The répertoire's (2008) Kayes: 29 partnerships, two pages.
    response = client.get(
        url, {"division": "2008", "region": "kayes", "ordering": "title", "page": 2}
    )
    page = response.context["page_obj"]
    html = response.content.decode()
    assert page.paginator.num_pages == 2
    assert [link["number"] for link in page.links] == [1, 2]
    # Every link keeps the filters and changes only the page.
    assert 'href="?division=2008&amp;region=kayes&amp;ordering=title"' in html
    assert 'aria-current="page"' in html
    assert (
        'href="?division=2008&amp;region=kayes&amp;ordering=title&amp;page=2" aria-current="page"'
        in html
    )


def test_a_long_list_elides_the_middle_pages(client):
    response = client.get(reverse("partnership_list"), {"page": 1})
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 8  # 147 partnerships, 20 a page
    assert [link and link["number"] for link in page.links] == [1, 2, None, 8]
    middle = client.get(reverse("partnership_list"), {"page": 5}).context["page_obj"]
    assert [link and link["number"] for link in middle.links] == [1, None, 4, 5, 6, 7, 8]
    assert page.links[0]["href"] == "?"  # the first page has no page parameter
    assert page.next_href == "?page=2" and page.previous_href == ""


@pytest.mark.parametrize(
    ("name", "slug", "key", "params"),
    [
        ("region_detail", "kayes", "partnerships", {"division": "2008"}),
        ("domain_detail", "appui-institutionnel", "partnerships", {}),
    ],
)
def test_region_and_domain_pages_are_paginated(client, name, slug, key, params):
    url = reverse(name, args=[slug])
    first, second = client.get(url, params), client.get(url, {**params, "page": 2})
    total = first.context["page_obj"].paginator.count
    assert total > 20
    assert len(slugs(first, key)) == 20
    assert not set(slugs(first, key)) & set(slugs(second, key))
    assert client.get(url, {**params, "page": 99}).status_code == 404
    assert client.get(url, {**params, "page": "x"}).status_code == 400


def test_domain_page_shows_its_actions_paginated(client):
    domain = Domain.objects.get(slug="sante")
    url = reverse("domain_detail", args=[domain.slug])
    actions = client.get(url).context["actions_page"]
    assert actions.paginator.count == Action.objects.filter(domain=domain).count() > 10
    assert len(actions.object_list) == 10
    assert all(a.domain_id == domain.pk for a in actions.object_list)
    html = client.get(url, {"actions_page": 2}).content.decode()
    assert f'href="{reverse("action_list")}?domain=sante"' in html
    # The two lists page on their own: the actions' links keep the partnerships' page.
    later = client.get(url, {"page": 2, "actions_page": 2})
    assert later.context["actions_page"].number == 2 and later.context["page_obj"].number == 2
    assert 'href="?page=2&amp;actions_page=3#actions"' in later.content.decode()


def test_region_page_links_to_its_actions(client):
    html = client.get(reverse("region_detail", args=["kayes"])).content.decode()
    # In the division the page shows (today's by default).
    assert f'href="{reverse("action_list")}?division=2023&amp;region=kayes"' in html


# --- chips ----------------------------------------------------------------------------------


def test_active_filters_are_removable_chips(client):
    url = reverse("partnership_list")
    response = client.get(url, {"region": ["kayes", "gao"], "domain": "sante", "page": 1})
    chips = response.context["chips"]
    assert [c["label"] for c in chips] == [
        "Région malienne : Kayes",
        "Région malienne : Gao",
        "Domaine : Santé",
    ]
    # Removing a chip keeps the other filters and goes back to the first page.
    assert chips[0]["href"] == "?region=gao&domain=sante"
    assert chips[2]["href"] == "?region=kayes&region=gao"
    html = response.content.decode()
    assert "Tout effacer" in html and 'class="chip"' in html
    assert client.get(url).context["chips"] == []


# --- the actions page -----------------------------------------------------------------------


def every_action():
    return list(
        Action.objects.prefetch_related(
            "budgets", "partnership__members__collectivity__malian_region"
        ).select_related("domain")
    )


def python_selection(domain=None, region=None, department=None, budget=None, actions=None):
    """The actions a filter should keep, computed row by row in Python (not by the FilterSet),
    among ``actions`` (every_action(), read once for several selections) or every one."""
    low, high = None, None
    if budget:
        _value, _label, low, high = next(r for r in BUDGET_RANGES if r[0] == budget)
    kept = []
    for action in every_action() if actions is None else actions:
        collectivities = [m.collectivity for m in action.partnership.members.all()]
        amount = action_amount_eur(action.budgets.all())
        if domain and (action.domain is None or action.domain.slug != domain):
            continue
        if region and not any(
            c.malian_region and c.malian_region.slug == region for c in collectivities
        ):
            continue
        if department and not any(c.department_code == department for c in collectivities):
            continue
        if budget and (amount is None or amount < low or (high is not None and amount >= high)):
            continue
        kept.append((action.pk, amount))
    return kept


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"domain": "sante"},
        {"region": "kayes"},
        {"region": "kayes", "domain": "education"},
        {"department": "03"},
        {"budget": "20000-100000"},
        {"budget": "0-5000", "region": "sikasso"},
    ],
)
def test_actions_page_totals_are_the_sum_of_the_filtered_budgets(client, params):
    expected = python_selection(**params)
    # python_selection reads the répertoire's (2008) regions.
    response = client.get(reverse("action_list"), {"division": "2008", **params})
    assert response.status_code == 200
    context = response.context
    assert context["page_obj"].paginator.count == len(expected) > 0
    amounts = [amount for _pk, amount in expected if amount is not None]
    assert context["total_eur"] == sum(amounts, Decimal(0))
    assert context["costed"] == len(amounts)
    assert sum(row["count"] for row in context["totals"]) == len(expected)
    if len(expected) <= 25:
        assert {a.pk for a in context["actions"]} == {pk for pk, _amount in expected}
    assert f"{context['total_eur']:,.0f}".replace(",", "\xa0") in response.content.decode()


def test_actions_page_facets_count_the_actions(client):
    response = client.get(reverse("action_list"), {"division": "2008", "domain": "sante"})
    facets = {f["name"]: f for f in response.context["facets"]}
    kayes = next(o for o in facets["region"]["options"] if o["value"] == "kayes")
    assert kayes["count"] == len(python_selection(domain="sante", region="kayes"))
    sante = next(o for o in facets["domain"]["options"] if o["value"] == "sante")
    assert sante["selected"] and sante["count"] == len(python_selection(domain="sante"))
    budget = {o["value"]: o["count"] for o in facets["budget"]["options"]}
    assert budget["0-5000"] == len(python_selection(domain="sante", budget="0-5000"))
    assert facets["department"]["options"]  # the French partners' départements


@pytest.mark.parametrize(
    "params",
    [{}, {"domain": "sante"}, {"region": "kayes", "budget": "0-5000"}, {"department": "03"}],
)
def test_every_option_of_the_actions_facets_counts_what_its_filter_would_keep(client, params):
    """Each option's count, summed per partnership under its facet values (region, département)
    or grouped (domain, budget), is the number of actions the Python rule keeps when the option
    replaces its facet's own choice."""
    response = client.get(reverse("action_list"), {"division": "2008", **params})
    assert response.status_code == 200
    actions = every_action()
    facets = {
        f["name"]: {o["value"]: o["count"] for o in f["options"]}
        for f in response.context["facets"]
    }
    checked = 0
    for name, options in facets.items():
        for value, count in options.items():
            kept = python_selection(**{**params, name: value}, actions=actions)
            assert count == len(kept), (name, value)
            checked += count > 0
    assert checked >= 10
    # Départements with no action are left out; the others are all there.
    codes = set(Collectivity.objects.filter(country="FR").values_list("department_code", flat=True))
    counted = {
        code
        for code in codes - {""}
        if python_selection(**{**params, "department": code}, actions=actions)
    }
    assert set(facets["department"]) == counted


def test_the_grouped_amounts_of_actions_are_the_python_rule():
    amounts = dict(Action.objects.amounts().values_list("action", "amount"))
    for action in Action.objects.prefetch_related("budgets"):
        assert amounts.get(action.pk) == action_amount_eur(action.budgets.all()), action.pk
    assert len(amounts) > 100


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"budget": "beaucoup"}, "budget"),
        ({"year_min": "deux"}, "year_min"),
        ({"region": "x"}, "region"),
    ],
)
def test_actions_page_bad_filter_is_a_400_naming_it(client, params, name):
    response = client.get(reverse("action_list"), params)
    assert response.status_code == 400
    assert name in response.content.decode()


def test_the_actions_api_has_the_same_new_filters(client):
    url = reverse("action-list")
    for params in ({"department": "03"}, {"budget": "100000-"}):
        expected = {pk for pk, _amount in python_selection(**params)}
        body = client.get(url, {**params, "page_size": 200}).json()
        assert body["count"] == len(expected) > 0
    assert client.get(url, {"budget": "cher"}).status_code == 400


def test_the_sql_amount_of_an_action_is_the_python_rule():
    annotated = dict(Action.objects.with_amount_eur().values_list("pk", "amount_eur"))
    for action in Action.objects.prefetch_related("budgets"):
        assert annotated[action.pk] == action_amount_eur(action.budgets.all()), action.pk


def test_actions_page_masks_personal_data_like_the_fiche(client):
    partnership = PartnershipFactory()
    ContactFactory(partnership=partnership, name="Amadou Testeur", phone="+223 20 22 33 44")
    ActionFactory(
        partnership=partnership,
        description="Mission d'Amadou Testeur (tél. +223 20 22 33 44) à Gao",
    )
    url = reverse("action_list") + f"?partnership={partnership.slug}"
    html = client.get(url).content.decode()
    assert "Mission d" in html
    assert "Testeur" not in html and "22 33 44" not in html
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    html = client.get(url).content.decode()
    assert "Amadou Testeur" in html


# --- the fiche ------------------------------------------------------------------------------


def regions_and_domains(partnership):
    regions = {
        m.collectivity.malian_region_id
        for m in partnership.members.select_related("collectivity")
        if m.collectivity.malian_region_id
    }
    return regions, set(partnership.domains.values_list("pk", flat=True))


def test_fiche_related_list_is_short_and_chosen_by_region_and_domain(client):
    slug = "conseil-general-de-l-allier-cercle-de-niafunke"
    fiche = Partnership.objects.get(slug=slug)
    regions, domains = regions_and_domains(fiche)
    related = client.get(reverse("partnership_detail", args=[slug])).context["related"]
    assert len(related) == RELATED_MAX
    ranks = []
    for other in related:
        other_regions, other_domains = regions_and_domains(other)
        same_region, same_domain = bool(regions & other_regions), bool(domains & other_domains)
        assert (same_region, same_domain) == (other.same_region, other.same_domain)
        assert same_region or same_domain
        ranks.append((not same_region, not same_domain))
    assert ranks == sorted(ranks)  # both first, then the region, then the domain
    assert fiche.slug not in {p.slug for p in related}


def test_fiche_related_list_puts_same_region_and_domain_first():
    from partnerships.views import related_partnerships

    region = MalianRegion.objects.get(slug="kidal")  # two seeded partnerships
    domain, other_domain = DomainFactory(), DomainFactory()
    fiche = PartnershipFactory(title="M fiche")
    fiche.domains.add(domain)
    PartnershipMemberFactory(
        partnership=fiche, collectivity=MalianCollectivityFactory(malian_region=region)
    )
    both = PartnershipFactory(title="Z both")
    both.domains.add(domain)
    PartnershipMemberFactory(
        partnership=both, collectivity=MalianCollectivityFactory(malian_region=region)
    )
    domain_only = PartnershipFactory(title="A domain only")
    domain_only.domains.add(domain)
    neither = PartnershipFactory(title="A neither")
    neither.domains.add(other_domain)
    related = related_partnerships(fiche, [region.pk], [domain])
    titles = [p.title for p in related]
    assert titles[0] == "Z both"
    assert titles.index("A domain only") > titles.index("Z both")
    assert "A neither" not in titles
    # Then the two seeded partnerships in Kidal (same region), then the same domain.
    assert [(p.same_region, p.same_domain) for p in related] == [
        (True, True),
        (True, False),
        (True, False),
        (False, True),
    ]


def test_fiche_shows_the_total_of_its_actions(client):
    slug = "alencon-koutiala"
    response = client.get(reverse("partnership_detail", args=[slug]))
    actions = Action.objects.filter(partnership__slug=slug).prefetch_related("budgets")
    amounts = [action_amount_eur(a.budgets.all()) for a in actions]
    total = sum((a for a in amounts if a is not None), Decimal(0))
    assert response.context["actions_total_eur"] == total > 0
    html = response.content.decode()
    assert "Total des budgets chiffrés" in html
    assert f"{total:,.0f}".replace(",", "\xa0") + "\xa0€" in html


# --- every public page small ----------------------------------------------------------------

# Bytes, gzip-compressed; the map page (its SVG outlines) is the one page left out.
PAGE_LIMIT = 100_000


def public_urls():
    names = [
        "home",
        "partnership_list",
        "action_list",
        "collectivity_list",
        "region_list",
        "domain_list",
        "figures",
        "workshop_list",
    ]
    urls = [reverse(name) for name in names]
    for name, model in [
        ("partnership_detail", Partnership),
        ("collectivity_detail", Collectivity),
        ("region_detail", MalianRegion),
        ("domain_detail", Domain),
        ("workshop_detail", Workshop),
    ]:
        urls += [
            reverse(name, args=[slug]) for slug in model.objects.values_list("slug", flat=True)
        ]
    return urls


@pytest.mark.slow
def test_every_public_page_is_at_most_100_kb_compressed(client):
    sizes = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(gzip.compress(response.content))
    too_big = {url: size for url, size in sizes.items() if size > PAGE_LIMIT}
    assert too_big == {}
    assert len(sizes) > 400  # every fiche, collectivity, region, domain and workshop


def test_facet_options_are_escaped_checked_and_emptied_as_the_template_did():
    """A facet's checkboxes are written by a template tag (directory.facet_options)."""
    from partnerships.templatetags.directory import facet_options

    html = facet_options(
        {
            "name": "french_region",
            "options": [
                {
                    "value": 'Île-de-"France"',
                    "label": "île <b>&</b>",
                    "count": 12,
                    "selected": True,
                },
                {"value": "Corse", "label": "corse", "count": 0, "selected": False},
            ],
        }
    )
    assert html.split("\n") == [
        '<div class="facet-option"><input type="checkbox" id="f-french_region-ile-de-france"'
        ' name="french_region" value="Île-de-&quot;France&quot;" checked>'
        '<label for="f-french_region-ile-de-france">Île &lt;b&gt;&amp;&lt;/b&gt; '
        '<span class="count">(12)</span></label></div>',
        '<div class="facet-option empty"><input type="checkbox" id="f-french_region-corse"'
        ' name="french_region" value="Corse"><label for="f-french_region-corse">Corse '
        '<span class="count">(0)</span></label></div>',
    ]


@pytest.mark.parametrize("facet_index", [True, False])
def test_a_domain_pages_regions_count_the_partnerships_of_both(client, settings, facet_index):
    """Counted from the facets' index, else from their rows: each region listed with the
    partnerships of the domain having a partner there, and no region without one."""
    settings.FACET_INDEX = facet_index
    shown = 0
    for domain in Domain.objects.all():
        in_domain = Partnership.objects.in_domains([domain])
        expected = {
            region.slug: in_domain.in_regions([region]).count()
            for region in MalianRegion.objects.all()
        }
        response = client.get(reverse("domain_detail", args=[domain.slug]))
        listed = {r.slug: r.partnership_count for r in response.context["regions"]}
        assert listed == {slug: n for slug, n in expected.items() if n}
        shown += bool(listed)
    assert shown >= 5
