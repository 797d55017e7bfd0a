"""The gazetteer of Mali: divisions over time, every Malian collectivity placed in each one, and
the region filter, pages and API reading `region` in the division chosen (today's by default)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from rest_framework.test import APIClient

from partnerships.filters import PartnershipFilter, facet_counts
from partnerships.importers import gazetteer
from partnerships.models import (
    AdministrativeUnit,
    Collectivity,
    Division,
    Partnership,
    PartnershipMember,
    Placement,
    ReviewItem,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def api_client():
    return APIClient()


def slugs(params):
    filterset = PartnershipFilter(QueryDict(params), queryset=Partnership.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("slug", flat=True))


def involving(collectivity_slug):
    return set(
        PartnershipMember.objects.filter(collectivity__slug=collectivity_slug).values_list(
            "partnership__slug", flat=True
        )
    )


# The divisions and their regions ------------------------------------------------------------


def test_three_divisions_today_s_last():
    assert list(Division.objects.values_list("slug", flat=True)) == ["2008", "2016", "2023"]
    assert Division.objects.current().slug == "2023"


@pytest.mark.parametrize(("division", "count"), [("2008", 9), ("2016", 11), ("2023", 20)])
def test_regions_in_force_in_each_division(division, count):
    """8 regions and the District in 2008; Taoudénit and Ménaka from 2016; 19 and the
    District from 2023."""
    regions = AdministrativeUnit.objects.in_division(Division.objects.get(slug=division)).regions()
    assert regions.count() == count
    assert len({r.slug for r in regions}) == count  # one unit per slug in a division


def test_predecessors_link_the_reforms():
    menaka = AdministrativeUnit.objects.get(key="menaka-2016")
    assert [p.key for p in menaka.predecessors.all()] == ["gao-1991"]
    gao_1991 = AdministrativeUnit.objects.get(key="gao-1991")
    assert {s.key for s in gao_1991.successors.all()} == {"gao-2016", "menaka-2016"}
    bougouni = AdministrativeUnit.objects.get(key="bougouni-2023")
    # Ouélessébougou came from the cercle of Kati (Koulikoro)
    assert {p.key for p in bougouni.predecessors.all()} == {"sikasso-1991", "koulikoro-1991"}


def test_every_2008_region_keeps_its_unit():
    units = AdministrativeUnit.objects.filter(malian_region__isnull=False)
    assert {u.malian_region.slug for u in units} == {
        "kayes", "koulikoro", "sikasso", "segou", "mopti", "tombouctou", "gao", "kidal",
        "district-de-bamako",
    }  # fmt: skip


# Placements -----------------------------------------------------------------------------------


def test_a_commune_of_gao_is_in_menaka_since_2016():
    placements = {
        p.division.slug: p.region.slug
        for p in Placement.objects.filter(collectivity__slug="anderamboukane")
    }
    assert placements == {"2008": "gao", "2016": "menaka", "2023": "menaka"}


def test_a_commune_of_the_cercle_of_kati_is_in_bougouni_since_2023():
    placements = {
        p.division.slug: p.region.slug
        for p in Placement.objects.filter(collectivity__slug="ouelessebougou")
    }
    assert placements == {"2008": "koulikoro", "2016": "koulikoro", "2023": "bougouni"}


def test_a_commune_printed_with_its_region_only_is_placed_by_its_cercle():
    # Saumur / Sansanding prints « Commune : Région de Ségou » (l. 11566); Sansanding is a
    # commune of the cercle de Ségou (mali_collectivity_cercles.csv), so placed in 2023 too
    placements = {
        p.division.slug: (p.region.slug, p.cercle.name if p.cercle else None)
        for p in Placement.objects.filter(collectivity__slug="sansanding")
    }
    assert placements == {
        "2008": ("segou", "Ségou"),
        "2016": ("segou", "Ségou"),
        "2023": ("segou", None),
    }
    assert not ReviewItem.objects.filter(key="gazetteer-sansanding-2023").exists()


def test_the_2008_placement_is_the_collectivity_s_region():
    for placement in Placement.objects.filter(division__slug="2008").select_related(
        "collectivity__malian_region", "region__malian_region"
    ):
        assert placement.region.malian_region == placement.collectivity.malian_region


def test_what_cannot_be_placed_is_in_the_review_queue():
    """Every Malian collectivity with a 2008 region is placed in each division, or a review
    item says why not."""
    malian = Collectivity.objects.filter(country="ML", malian_region__isnull=False)
    keys = set(ReviewItem.objects.filter(kind="unplaced-in-division").values_list("key", flat=True))
    for division in Division.objects.all():
        placed = set(
            Placement.objects.filter(division=division).values_list("collectivity__slug", flat=True)
        )
        for collectivity in malian:
            key = f"gazetteer-{collectivity.slug}-{division.slug}"
            assert (collectivity.slug in placed) != (key in keys), key
    # A commune of Gao printed without its cercle: Gao lost Ménaka in 2016, so its region
    # then is unknown.
    assert "gazetteer-djebock-2016" in keys
    assert not Placement.objects.filter(collectivity__slug="djebock", division__slug="2016")


def test_the_gazetteer_fixture_matches_its_sources():
    call_command("import_gazetteer", check=True, verbosity=0)


def test_the_builder_places_a_regional_assembly_in_its_namesake():
    sources = Path(settings.SOURCES_DIR)
    record = {
        "model": "partnerships.collectivity",
        "fields": {
            "slug": "assemblee-test",
            "country": "ML",
            "kind": "ml_region",
            "malian_region": ["mopti"],
            "cercle": "",
        },
    }
    commune = {**record, "fields": {**record["fields"], "slug": "commune-test", "kind": "commune"}}
    records, unplaced = gazetteer.build(sources, [record, commune])
    regions = {
        (r["fields"]["collectivity"][0], r["fields"]["division"][0]): r["fields"]["region"][0]
        for r in records
        if r["model"] == "partnerships.placement"
    }
    assert regions[("assemblee-test", "2023")] == "mopti-2023"
    # A commune of Mopti without its cercle: Mopti was split in 2023 (Bandiagara, Douentza).
    assert regions[("commune-test", "2016")] == "mopti-1991"
    assert ("commune-test", "2023") not in regions
    assert [(u.collectivity, u.division) for u in unplaced] == [("commune-test", "2023")]


# Edits -----------------------------------------------------------------------------------------


def placements_of(slug):
    return {
        p.division.slug: (p.region.slug, p.cercle.slug if p.cercle else None)
        for p in Placement.objects.filter(collectivity__slug=slug).select_related(
            "division", "region", "cercle"
        )
    }


def test_a_cercle_entered_by_staff_places_the_collectivity_in_today_s_regions(editor_client):
    """Djébock, a commune of Gao printed without its cercle, is placed nowhere since Gao lost
    Ménaka in 2016; its cercle entered on the staff page places it at once."""
    from tests.test_editing import form_data

    found = involving("djebock")
    assert found and not found & slugs("division=2023&region=gao")
    assert placements_of("djebock") == {"2008": ("gao", None)}
    url = reverse("staff_collectivity_edit", args=["djebock"])
    data = form_data(editor_client.get(url))
    data["cercle"] = "Ansongo"
    assert editor_client.post(url, data).status_code == 302
    assert found <= slugs("division=2023&region=gao")
    assert found <= slugs("division=2016&region=gao")
    assert placements_of("djebock") == {
        "2008": ("gao", "ansongo"),
        "2016": ("gao", "ansongo"),
        "2023": ("gao", None),
    }
    # A cercle no table knows: placed as if printed without one, never an error.
    data = form_data(editor_client.get(url))
    data["cercle"] = "Nulle-Part"
    assert editor_client.post(url, data).status_code == 302
    assert placements_of("djebock") == {"2008": ("gao", None)}
    assert not found & slugs("division=2023&region=gao")


def test_another_cercle_moves_the_collectivity_out_of_its_former_region(editor_client):
    """Ouélessébougou, of the cercle of Kati by the table of fixtures/sources/, is in Bougouni
    since 2023; placed by staff in the cercle of Koulikoro, it is in Koulikoro's region."""
    from tests.test_editing import form_data

    found = involving("ouelessebougou")
    assert found <= slugs("division=2023&region=bougouni")
    url = reverse("staff_collectivity_edit", args=["ouelessebougou"])
    data = form_data(editor_client.get(url))
    data["cercle"] = "Koulikoro"
    assert editor_client.post(url, data).status_code == 302
    assert found <= slugs("division=2023&region=koulikoro")
    assert not found & slugs("division=2023&region=bougouni")
    placement = Placement.objects.get(collectivity__slug="ouelessebougou", division__slug="2023")
    assert placement.basis == "cercle de Koulikoro en 2008"


def test_a_save_places_as_the_import_did():
    """The save path and the import are one rule: saving every Malian collectivity unchanged
    gives back the seeded placements exactly."""

    def all_placements():
        return set(
            Placement.objects.values_list("collectivity", "division", "region", "cercle", "basis")
        )

    seeded = all_placements()
    assert len(seeded) > 250
    for collectivity in Collectivity.objects.filter(country="ML"):
        collectivity.save()
    assert all_placements() == seeded


# The filter -----------------------------------------------------------------------------------


def test_a_commune_whose_region_changed_is_found_under_today_s_region_by_default():
    with_anderamboukane = involving("anderamboukane")
    assert with_anderamboukane
    assert with_anderamboukane <= slugs("region=menaka")
    assert not with_anderamboukane & slugs("region=gao")
    # and under its 2008 region with the 2008 division
    assert with_anderamboukane <= slugs("division=2008&region=gao")
    assert with_anderamboukane <= slugs("division=2016&region=menaka")


def test_ouelessebougou_moves_from_koulikoro_to_bougouni():
    found = involving("ouelessebougou")
    assert found <= slugs("region=bougouni") and not found & slugs("region=koulikoro")
    assert found <= slugs("division=2008&region=koulikoro")


def test_region_filter_excludes_what_is_elsewhere():
    assert "alencon-koutiala" in slugs("region=koutiala")
    assert "alencon-koutiala" not in slugs("region=sikasso")
    assert "alencon-koutiala" in slugs("division=2008&region=sikasso")


@pytest.mark.parametrize("division", ["2008", "2016", "2023"])
def test_region_facet_counts_match_the_filter(division):
    filterset = PartnershipFilter(
        QueryDict(f"division={division}"), queryset=Partnership.objects.all()
    )
    assert filterset.is_valid()
    facet = next(f for f in facet_counts(filterset) if f["name"] == "region")
    assert len(facet["options"]) == {"2008": 9, "2016": 11, "2023": 20}[division]
    for option in facet["options"]:
        assert option["count"] == len(slugs(f"division={division}&region={option['value']}"))


@pytest.mark.parametrize(
    ("params", "name"),
    [("division=2008&region=menaka", "region"), ("division=1999", "division")],
)
def test_a_region_of_another_division_is_a_400_naming_the_parameter(
    client, api_client, params, name
):
    response = client.get(reverse("partnership_list") + "?" + params)
    assert response.status_code == 400
    assert name in response.content.decode()
    response = api_client.get(f"{API}partnerships/?{params}")
    assert response.status_code == 400
    assert name in response.json()


def test_the_api_filter_is_the_page_s(api_client):
    results = api_client.get(f"{API}partnerships/", {"region": "menaka", "page_size": 200}).json()
    assert {r["slug"] for r in results["results"]} == slugs("region=menaka")
    results = api_client.get(
        f"{API}partnerships/", {"division": "2008", "region": "gao", "page_size": 200}
    ).json()
    assert {r["slug"] for r in results["results"]} == slugs("division=2008&region=gao")


# Pages ----------------------------------------------------------------------------------------


def test_list_page_offers_the_2008_division_one_click_away(client):
    html = client.get(reverse("partnership_list"), {"region": "menaka"}).content.decode()
    assert 'value="menaka" checked' in html
    assert "?division=2008" in html  # the switch, which drops the region of another division
    assert "Régions actuelles (2023)" in html


def test_region_page_of_today_s_region(client):
    response = client.get(reverse("region_detail", args=["menaka"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("collectivity_detail", args=["anderamboukane"]) in html
    assert {p.slug for p in response.context["partnerships"]} == slugs("region=menaka")
    assert [p.slug for p in response.context["predecessors"]] == ["gao"]
    assert "map-capital" in html  # a dot at each region's capital
    # Ménaka is no 2008 region
    assert (
        client.get(reverse("region_detail", args=["menaka"]), {"division": "2008"}).status_code
        == 404
    )


def test_old_region_urls_still_work(client):
    for slug in ("kayes", "koulikoro", "sikasso", "segou", "mopti", "tombouctou", "gao", "kidal"):
        assert client.get(reverse("region_detail", args=[slug])).status_code == 200
        response = client.get(reverse("region_detail", args=[slug]), {"division": "2008"})
        assert response.status_code == 200
    gao_2008 = client.get(reverse("region_detail", args=["gao"]), {"division": "2008"})
    assert involving("anderamboukane") <= {p.slug for p in gao_2008.context["partnerships"]}


def test_region_list_of_today_draws_dots_at_the_capitals(client):
    html = client.get(reverse("region_list")).content.decode()
    assert html.count('class="map-capital') == 20
    assert "Taoudénit" in html and "Bougouni" in html


@pytest.mark.parametrize(
    ("name", "args", "params", "queries"),
    [
        ("region_list", [], {}, 3),
        ("region_list", [], {"division": "2016"}, 3),
        # a region page: its list is paginated, its partners on either side listed with their
        # number; the list, the map's regions and its domains are counted in the facets' index
        # (no query but their lists); so are its partners, read then by key, with the keys of
        # the Malian collectivities placed in the region to keep only theirs
        ("region_detail", ["menaka"], {}, 13),
        ("region_detail", ["bougouni"], {"division": "2023"}, 13),
        ("region_detail", ["kidal"], {"division": "2016"}, 13),
    ],
)
def test_region_pages_query_counts(
    client, django_assert_num_queries, warm_memory, name, args, params, queries
):
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=args), params).status_code == 200


def test_fixture_is_its_own_file():
    """The placements live in fixtures/gazetteer.json, not in collectivities.json."""
    records = json.loads((Path(settings.FIXTURES_DIR) / "collectivities.json").read_text("utf-8"))
    assert {r["model"] for r in records} == {"partnerships.collectivity"}


def test_the_api_lists_the_divisions_and_their_regions(api_client, django_assert_num_queries):
    # the divisions, then for each of the three its regions and their predecessors
    with django_assert_num_queries(1 + 3 * 2):
        divisions = api_client.get(f"{API}divisions/").json()
    assert [(d["slug"], d["current"]) for d in divisions] == [
        ("2008", False),
        ("2016", False),
        ("2023", True),
    ]
    today = {r["slug"]: r for r in divisions[2]["regions"]}
    assert len(today) == 20
    assert today["menaka"]["predecessors"] == ["gao-1991"]
    for slug in ("menaka", "gao", "bougouni", "kayes"):
        assert today[slug]["partnership_count"] == len(slugs(f"region={slug}"))


def test_actions_and_collectivities_read_region_in_the_division(api_client):
    def found(resource, **params):
        rows = api_client.get(f"{API}{resource}/", {**params, "page_size": 200}).json()
        return rows["results"]

    assert {c["slug"] for c in found("collectivities", region="menaka")} >= {
        "anderamboukane",
        "tidarmene",
    }
    assert "anderamboukane" in {
        c["slug"] for c in found("collectivities", division="2008", region="gao")
    }
    assert "anderamboukane" not in {c["slug"] for c in found("collectivities", region="gao")}
    in_menaka = {a["partnership"] for a in found("actions", region="menaka")}
    assert in_menaka and in_menaka <= slugs("region=menaka")
