"""The public lists on a phone (390 px) and a desktop (1280 px), in Chromium (issue 13).

A partner filters by region and domain and sees the first result without scrolling past the
filters, removes a chip; the filters also work without JavaScript; no public page is wider than
the screen; the changed pages have no serious or critical axe violation. Screenshots go to
BROWSER_SCREENSHOTS (default: pytest's temporary directory).
"""

import os

import pytest
from django.urls import reverse

from tests.test_browser import AXE, check_accessibility, pytestmark  # noqa: F401 (skip rules)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture
def seeded(live_server):
    from django.core.management import call_command

    from partnerships.models import Partnership

    if not Partnership.objects.exists():
        call_command("seed", verbosity=0)
    return live_server


@pytest.fixture
def shots(tmp_path_factory):
    from pathlib import Path

    directory = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(directory) if directory else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_page(browser, seeded, size, javascript=True):
    width, height = WIDTHS[size]
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            r.url.startswith(seeded.url)
            or r.url.startswith("data:")
            or page.errors.append(f"external request: {r.url}")
        ),
    )
    return page


def chip_count(page):
    return page.locator(".chip").count()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_partner_filters_by_region_and_domain_and_sees_the_first_result(
    browser, seeded, shots, size
):
    page = open_page(browser, seeded, size)
    list_url = seeded.url + reverse("partnership_list")
    page.goto(list_url)
    if size == "phone":
        # Results first: the first result is on the first screen, the filters behind a button.
        assert page.locator(".filters").is_hidden()
        page.click(".filters-toggle")
        assert page.locator(".filters").is_visible()
    # Each choice applies at once, without a button and without leaving the page.
    page.check("input[name=region][value=kayes]")
    page.wait_for_function("() => document.querySelectorAll('.chip').length === 1")
    page.check("input[name=domain][value=eau-assainissement]")
    page.wait_for_function("() => document.querySelectorAll('.chip').length === 2")
    assert "region=kayes" in page.url and "domain=eau-assainissement" in page.url
    if size == "phone":
        check_accessibility(page)  # the open drawer
        page.screenshot(path=shots / f"drawer-{size}.png")
        page.click(".filters-done button")
        assert page.locator(".filters").is_hidden()
    first = page.locator(".partnership-item").first
    box = first.bounding_box()
    scrolled = page.evaluate("() => window.scrollY")
    viewport = page.viewport_size["height"]
    # On the first screen of the page (where it lies in the document, whatever a reflow's
    # scroll anchoring did to the view): no scrolling past the filters to reach it.
    assert box["y"] + scrolled + 40 < viewport, (scrolled, box)
    assert page.locator(".chip", has_text="Kayes").count() == 1
    count = int(page.locator("#results").get_attribute("data-count"))
    assert page.locator(".partnership-item").count() == min(count, 20) > 0
    page.screenshot(path=shots / f"filtered-{size}.png")

    # Remove the region's chip: the domain stays, Kayes goes.
    page.locator(".chip", has_text="Kayes").click()
    page.wait_for_function("() => document.querySelectorAll('.chip').length === 1")
    assert "region=" not in page.url and "domain=eau-assainissement" in page.url
    assert not page.locator("input[name=region][value=kayes]").is_checked()
    assert int(page.locator("#results").get_attribute("data-count")) > count
    # Back to the whole list.
    page.click(".chips-clear")
    page.wait_for_function("() => document.querySelectorAll('.chip').length === 0")
    assert page.url.rstrip("?") == list_url
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_filters_work_without_javascript(browser, seeded, size):
    page = open_page(browser, seeded, size, javascript=False)
    page.goto(seeded.url + reverse("action_list"))
    if size == "phone":
        results = page.locator("#results").bounding_box()
        filters = page.locator("#filters").bounding_box()
        assert results["y"] < filters["y"]  # results first, the filters after them
    page.check("input[name=region][value=kayes]")
    page.click("#filters .apply button")
    page.wait_for_load_state()
    assert "region=kayes" in page.url
    assert page.locator(".chip", has_text="Kayes").count() == 1
    page.locator(".chip", has_text="Kayes").click()
    page.wait_for_load_state()
    assert "region" not in page.url
    page.context.close()


def test_long_facets_are_folded_with_a_search_box(browser, seeded):
    page = open_page(browser, seeded, "desktop")
    page.goto(seeded.url + reverse("partnership_list"))
    facet = page.locator("fieldset[data-facet=department]")
    options = facet.locator(".facet-option")
    total = options.count()
    assert total > 12
    assert facet.locator(".facet-option:visible").count() == 6
    facet.locator(".facet-search").fill("allier")
    assert facet.locator(".facet-option:visible").count() == 1
    facet.locator(".facet-search").fill("")
    facet.locator(".facet-more").click()
    assert facet.locator(".facet-option:visible").count() == total
    assert page.errors == []
    page.context.close()


def public_paths():
    paths = [
        reverse(name)
        for name in (
            "home",
            "partnership_list",
            "action_list",
            "collectivity_list",
            "region_list",
            "domain_list",
            "map",
            "figures",
            "workshop_list",
            "login",
        )
    ]
    paths += [
        reverse("partnership_detail", args=["conseil-general-de-l-allier-cercle-de-niafunke"]),
        reverse("partnership_detail", args=["alencon-koutiala"]),
        reverse("partnership_detail", args=["bures-sur-yvette-korera-kore"]),
        reverse("collectivity_detail", args=["koutiala"]),
        reverse("collectivity_detail", args=["paris"]),
        reverse("region_detail", args=["kayes"]),
        reverse("region_detail", args=["district-de-bamako"]),
        reverse("domain_detail", args=["sante"]),
        reverse("partnership_list") + "?region=kayes&domain=sante",
        reverse("action_list") + "?domain=education&budget=0-5000",
    ]
    from workshops.models import Workshop

    paths += [reverse("workshop_detail", args=[w.slug]) for w in Workshop.objects.all()]
    return paths


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_public_page_is_wider_than_the_screen(browser, seeded, size):
    page = open_page(browser, seeded, size)
    wider = {}
    for path in public_paths():
        page.goto(seeded.url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTHS[size][0]:
            wider[path] = width
    assert wider == {}
    assert page.errors == []
    page.context.close()


CHANGED_PAGES = [
    ("partnership_list", []),
    ("action_list", []),
    ("partnership_detail", ["alencon-koutiala"]),
    ("region_detail", ["kayes"]),
    ("domain_detail", ["sante"]),
    ("collectivity_detail", ["koutiala"]),
    ("map", []),
    ("figures", []),
]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_changed_pages_pass_axe(browser, seeded, shots, size):
    page = open_page(browser, seeded, size)
    for name, args in CHANGED_PAGES:
        page.goto(seeded.url + reverse(name, args=args))
        check_accessibility(page)
        page.screenshot(path=shots / f"{name}-{size}.png", full_page=True)
    assert page.errors == []
    page.context.close()


def test_map_labels_are_legible_on_a_phone(browser, seeded):
    page = open_page(browser, seeded, "phone")
    page.goto(seeded.url + reverse("map"))
    # The rendered font size: the SVG's font size times its scale on the screen.
    rendered = page.evaluate(
        """() => { const svg = document.querySelector('.map-mali');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Array.from(svg.querySelectorAll('.map-label, .map-legend text')).map(t => {
          const legend = t.closest('.map-legend');
          const extra = legend ? new DOMMatrix(getComputedStyle(legend).transform).a : 1;
          return parseFloat(getComputedStyle(t).fontSize) * scale * extra; }); }"""
    )
    assert min(rendered) >= 12, rendered
    # The bar charts give way to their tables.
    page.goto(seeded.url + reverse("figures"))
    assert page.locator(".chart").first.is_hidden()
    assert page.locator(".figures-table").first.is_visible()
    page.context.close()
