"""partnerships.maps: outlines from Natural Earth, placing towns, and the SVG maps."""

import csv
import json
from decimal import Decimal

import pytest
from django.conf import settings

from partnerships import maps
from partnerships.models import CollectivityKind, MalianRegion

from .factories import MalianCollectivityFactory, MalianRegionFactory


def test_mali_outline_has_every_region_of_2008():
    data = maps.outline("mali_regions")
    with (settings.SOURCES_DIR / "malian_regions.csv").open() as f:
        slugs = {row["slug"] for row in csv.DictReader(f)}
    assert set(data["regions"]) == slugs
    assert set(data["labels"]) == slugs
    assert all(path.startswith("M") and path.endswith("Z") for path in data["regions"].values())
    assert "Natural Earth" in json.dumps(data["source"])


def test_france_outline_has_the_96_metropolitan_departements():
    data = maps.outline("france_departements")
    assert len(data["departements"]) == 96
    assert {"2A", "2B", "75", "29"} <= set(data["departements"])
    assert "971" not in data["departements"]  # overseas: not on this map
    width, height = data["projection"]["width"], data["projection"]["height"]
    assert all(0 < x < width and 0 < y < height for x, y in data["departements"].values())


def test_every_cercle_has_a_capital_inside_mali():
    with (settings.SOURCES_DIR / "mali_cercles.csv").open() as f:
        cercles = {maps.fold(row["cercle"]) for row in csv.DictReader(f)}
    capitals = maps.cercle_capitals()
    assert set(capitals) == cercles
    assert len(capitals) == 49
    for latitude, longitude in capitals.values():
        assert 10 < latitude < 25.1 and -12.3 < longitude < 4.3


def test_fold_ignores_accents_case_and_hyphens():
    assert maps.fold("Yélimané") == maps.fold("YELIMANE") == "yelimane"
    assert maps.fold("Gourma-Rharous") == "gourma rharous"


@pytest.mark.django_db
class TestPlace:
    def test_own_coordinates_first(self):
        town = MalianCollectivityFactory.build(
            latitude=Decimal("15.1"), longitude=Decimal("-10.5"), cercle="Yélimané"
        )
        assert maps.place(town) == maps.Place(15.1, -10.5, maps.Precision.EXACT)

    def test_falls_back_to_its_cercle_capital(self):
        town = MalianCollectivityFactory.build(name="Krémis", cercle="Yélimané")
        where = maps.place(town)
        assert where.precision == maps.Precision.CERCLE
        assert (where.latitude, where.longitude) == maps.cercle_capitals()["yelimane"]

    def test_a_commune_named_after_its_cercle_is_its_capital(self):
        town = MalianCollectivityFactory.build(name="Yelimane", cercle="Yélimané")
        assert maps.place(town).precision == maps.Precision.SEAT

    def test_falls_back_to_its_region_capital(self):
        region = MalianRegionFactory()
        town = MalianCollectivityFactory.build(name="Somankidi", malian_region=region, cercle="")
        assert maps.place(town) == maps.Place(14.4469, -11.4456, maps.Precision.REGION)

    def test_a_regional_assembly_sits_in_its_capital(self):
        region = MalianRegionFactory()
        council = MalianCollectivityFactory.build(
            kind=CollectivityKind.ML_REGION, malian_region=region, cercle="Kayes"
        )
        assert maps.place(council).precision == maps.Precision.SEAT

    def test_unknown_region_and_cercle_cannot_be_placed(self):
        assert maps.place(MalianCollectivityFactory.build(malian_region=None, cercle="")) is None


@pytest.mark.django_db
def test_mali_map_links_and_shades_each_region():
    regions = list(MalianRegion.objects.all())
    for region in regions:
        region.n = 0
    regions[0].n, regions[1].n = 40, 3
    svg = maps.mali_map(regions)
    assert svg.count("<a href=") == 9
    assert f'href="/regions/{regions[0].slug}/"' in svg
    kayes = svg[svg.index(f'href="/regions/{regions[0].slug}/"') :]
    assert kayes.index(maps.PALETTE[-1]) < kayes.index("</a>")  # the most partnerships: darkest
    kidal = svg[svg.index('href="/regions/kidal/"') :]
    assert kidal.index(maps.EMPTY) < kidal.index("</a>")
    assert "Kayes — partenariats : 40" in svg


def test_mali_map_draws_towns_hollow_when_approximate():
    regions = [{"slug": "kayes", "name": "Kayes", "n": 1}]
    towns = [
        ("Exacte", maps.Place(14.4, -11.4, maps.Precision.EXACT), 1),
        ("<b>Approchée</b>", maps.Place(15.1, -10.5, maps.Precision.CERCLE), 2),
    ]
    svg = maps.mali_map(regions, towns)
    assert svg.count('class="map-town "') == 1
    assert svg.count("map-town-approximate") == 1
    assert "&lt;b&gt;Approchée&lt;/b&gt;" in svg and "<b>" not in svg


def test_classes_span_one_to_the_largest_count():
    assert maps.classes([]) == []
    assert maps.classes([0, 0]) == []
    assert maps.classes([1]) == [1]
    assert maps.classes([41, 2]) == [9, 17, 25, 33, 41]
    assert maps.fill(0, [9, 17]) == maps.EMPTY
    assert maps.fill(41, maps.classes([41])) == maps.PALETTE[-1]


def test_france_map_draws_a_circle_per_departement_with_partners():
    svg = maps.france_map({"38": ("Isère", 5), "29": ("Finistère", 0), "971": ("Guadeloupe", 2)})
    assert svg.count("<circle") == 1
    assert "Isère (38) — partenariats : 5" in svg
