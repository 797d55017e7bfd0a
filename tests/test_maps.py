"""partnerships.maps: outlines from Natural Earth, placing towns, and the SVG maps."""

import csv
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from partnerships import maps
from partnerships.importers import mapping
from partnerships.models import Collectivity, MalianRegion, MapPrecision
from partnerships.text import fold

from .factories import MalianCollectivityFactory


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


def cercle_capitals():
    return mapping.read_cercle_capitals(settings.SOURCES_DIR / "mali_cercle_capitals.csv")


def region_row(slug):
    with (settings.SOURCES_DIR / "malian_regions.csv").open() as f:
        return next(row for row in csv.DictReader(f) if row["slug"] == slug)


def test_every_cercle_has_a_capital_inside_mali():
    with (settings.SOURCES_DIR / "mali_cercles.csv").open() as f:
        cercles = {fold(row["cercle"]) for row in csv.DictReader(f)}
    capitals = cercle_capitals()
    assert set(capitals) == cercles
    assert len(capitals) == 49
    for latitude, longitude in capitals.values():
        assert 10 < float(latitude) < 25.1 and -12.3 < float(longitude) < 4.3


class TestFallbackPlace:
    """Computed at import time (partnerships.importers.mapping), seeded on the collectivity."""

    def place(self, kind="commune", name="Krémis", cercle="Yélimané", region="kayes"):
        return mapping.fallback_place(
            kind=kind,
            name=name,
            cercle=cercle,
            region=region_row(region) if region else None,
            capitals=cercle_capitals(),
        )

    def test_falls_back_to_its_cercle_capital(self):
        assert self.place() == (*cercle_capitals()["yelimane"], "cercle")

    def test_a_commune_named_after_its_cercle_is_its_capital(self):
        assert self.place(name="Yelimane")[2] == "seat"

    def test_falls_back_to_its_region_capital(self):
        assert self.place(name="Somankidi", cercle="") == ("14.4469", "-11.4456", "region")

    def test_a_regional_assembly_sits_in_its_capital(self):
        assert self.place(kind="ml_region", name="Kayes")[2] == "seat"

    def test_unknown_region_and_cercle_cannot_be_placed(self):
        assert self.place(cercle="", region=None) is None


@pytest.mark.django_db
class TestPlace:
    def test_own_coordinates_first(self):
        town = MalianCollectivityFactory.build(
            latitude=Decimal("15.1"),
            longitude=Decimal("-10.5"),
            map_latitude=Decimal("14"),
            map_longitude=Decimal("-11"),
            map_precision=MapPrecision.CERCLE,
        )
        assert maps.place(town) == maps.Place(15.1, -10.5, MapPrecision.EXACT)

    def test_then_the_place_chosen_at_import(self):
        town = MalianCollectivityFactory.build(
            map_latitude=Decimal("14"), map_longitude=Decimal("-11"), map_precision="cercle"
        )
        assert maps.place(town) == maps.Place(14.0, -11.0, MapPrecision.CERCLE)
        assert maps.place(MalianCollectivityFactory.build()) is None

    def test_seeded_collectivities_are_placed_as_the_import_chose(self):
        diakon = Collectivity.objects.get(slug="diakon")  # a commune of the cercle of Bafoulabé
        assert maps.place(diakon) == maps.Place(
            *map(float, cercle_capitals()["bafoulabe"]), MapPrecision.CERCLE
        )
        malians = Collectivity.objects.filter(country="ML")
        assert malians.filter(map_precision="").count() < 20


@pytest.mark.django_db
def test_mali_map_links_and_shades_each_region():
    regions = list(MalianRegion.objects.all())
    for region in regions:
        region.partnership_count = 0
    regions[0].partnership_count, regions[1].partnership_count = 40, 3
    svg = maps.mali_map(regions)
    assert svg.count("<a href=") == 9
    assert 'href="' + reverse("region_detail", args=[regions[0].slug]) + '"' in svg
    kayes = svg[svg.index('href="' + reverse("region_detail", args=[regions[0].slug]) + '"') :]
    assert kayes.index(maps.PALETTE[-1]) < kayes.index("</a>")  # the most partnerships: darkest
    kidal = svg[svg.index('href="' + reverse("region_detail", args=["kidal"]) + '"') :]
    assert kidal.index(maps.EMPTY) < kidal.index("</a>")
    assert "Kayes — partenariats : 40" in svg


def test_mali_map_draws_towns_hollow_when_approximate():
    regions = [{"slug": "kayes", "name": "Kayes", "partnership_count": 1}]
    towns = [
        ("Exacte", maps.Place(14.4, -11.4, MapPrecision.EXACT), 1),
        ("<b>Approchée</b>", maps.Place(15.1, -10.5, MapPrecision.CERCLE), 2),
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
