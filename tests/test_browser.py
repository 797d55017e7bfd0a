"""The directory in a real browser (Debian's Chromium through Playwright), offline, with axe-core.

A walk through the pages a partner uses: home, search, filters by region and domain, a fiche, the
language switch, the map. No console error, no serious accessibility violation, screenshots kept
in BROWSER_SCREENSHOTS (default: pytest's temporary directory).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import CHROMIUM

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# On a developer's machine without Debian's chromium the walk is skipped with its reason; in CI
# (which installs it) a missing browser or axe-core is a failure, never a silent skip.
pytestmark = [
    pytest.mark.usefixtures("reseed_after_module"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (apt-get install chromium)",
    ),
    pytest.mark.skipif(
        not AXE.exists() and not os.environ.get("CI"),
        reason="npm ci first (package.json pins axe-core)",
    ),
]

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def seeded(live_server):
    """The seeded répertoire, for this test (a previous live_server test flushed it)."""
    from partnerships.models import Partnership

    if not Partnership.objects.exists():
        call_command("seed", verbosity=0)
    return live_server


@pytest.fixture
def page(browser, seeded):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    # Offline: any request leaving the live server fails the test.
    page.on(
        "request",
        lambda r: (
            r.url.startswith(seeded.url)
            or r.url.startswith("data:")
            or page.errors.append(f"external request: {r.url}")
        ),
    )
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path_factory):
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(directory) if directory else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_accessibility(page):
    # Evaluated by the driver: an injected <script> would be inline, which the site's
    # Content-Security-Policy refuses.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_a_partner_finds_who_works_where(page, seeded, shots):
    url = seeded.url
    page.goto(url + reverse("home"))
    assert page.locator("h1").inner_text().startswith("Répertoire")
    check_accessibility(page)
    page.screenshot(path=shots / "home.png", full_page=True)

    # Search from the home page, without accents.
    page.fill("#home-search", "yelimane")
    page.click("form[role=search] button")
    page.wait_for_url("**/partenariats/?search=yelimane")
    assert page.locator(".partnership-item h3 a", has_text="Yélimané").count() >= 1
    page.screenshot(path=shots / "search.png", full_page=True)

    # Filter by region and domain with the facets.
    page.goto(url + reverse("partnership_list"))
    page.check("input[name=region][value=kayes]")
    page.check("input[name=domain][value=eau-assainissement]")
    # Each choice applies at once (static/js/filters.js): one chip per filter in force.
    page.wait_for_function("() => document.querySelectorAll('.chip').length === 2")
    assert "region=kayes" in page.url and "domain=eau-assainissement" in page.url
    assert page.locator("input[name=region][value=kayes]").is_checked()
    assert page.locator(".partnership-item").count() >= 1
    check_accessibility(page)
    page.screenshot(path=shots / "filters.png", full_page=True)

    # Open a fiche from the results.
    page.locator(".partnership-item h3 a").first.click()
    page.wait_for_load_state()
    assert page.locator("#side-fr").is_visible() and page.locator("#side-ml").is_visible()
    check_accessibility(page)
    page.screenshot(path=shots / "fiche.png", full_page=True)

    # Switch to English and back: the same fiche, its language in the URL.
    fiche_url = page.url
    assert "/fr/partenariats/" in fiche_url
    page.click(".language-switch a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url == fiche_url.replace("/fr/", "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#side-fr").inner_text() == "French side"
    # A link followed from an English page stays in English.
    page.click(".site-nav a[href$='/regions/']")
    page.wait_for_load_state()
    assert "/en/regions/" in page.url
    page.go_back()
    page.screenshot(path=shots / "fiche-en.png", full_page=True)
    page.click(".language-switch a[hreflang=fr]")
    page.wait_for_load_state()
    assert page.url == fiche_url
    assert page.locator("html").get_attribute("lang") == "fr"

    assert page.errors == []


def test_map_and_region_pages(page, seeded, shots):
    page.goto(seeded.url + reverse("home"))
    nav_map = page.locator(".site-nav a", has_text="Carte")
    assert nav_map.count() == 1
    page.goto(seeded.url + nav_map.first.get_attribute("href"))
    assert page.locator("svg").count() >= 1
    page.screenshot(path=shots / "map.png", full_page=True)
    page.goto(seeded.url + reverse("region_detail", args=["kayes"]))
    assert page.locator("h1").inner_text() == "Région de Kayes"
    check_accessibility(page)
    page.screenshot(path=shots / "region.png", full_page=True)
    assert page.errors == []


def test_keyboard_skip_link(page, seeded):
    page.goto(seeded.url + reverse("partnership_list"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()
