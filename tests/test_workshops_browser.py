"""From a fiche to what its collectivity said in a workshop, and back, in a real browser (same
setup as test_browser.py: Debian's Chromium through Playwright, offline, axe-core)."""

from django.urls import reverse

from .test_browser import (  # noqa: F401 (fixtures and marks shared with the main walk)
    check_accessibility,
    page,
    pytestmark,
    seeded,
    shots,
)

FICHE = reverse("partnership_detail", args=["conseil-general-de-l-allier-cercle-de-niafunke"])


def test_from_the_allier_fiche_to_its_2016_answer_and_back(page, seeded, shots):  # noqa: F811
    page.goto(seeded.url + FICHE)
    items = page.locator(".workshop-items")
    assert "En 2016, dans l'atelier « zones à risques »" in items.inner_text()
    check_accessibility(page)
    page.screenshot(path=shots / "fiche-workshops.png", full_page=True)

    items.get_by_role("link", name="réponse n° 13").click()
    page.wait_for_url("**/ateliers/cuf-atelier-zones-a-risques-2016/#reponse-13")
    row = page.locator("#reponse-13")
    assert row.is_visible()
    assert "Conseil Départemental de l'Allier" in row.inner_text()
    assert "guerre au Nord du Mali" in row.inner_text()
    check_accessibility(page)
    page.screenshot(path=shots / "workshop-answer.png", full_page=False)

    row.get_by_role("link", name="Conseil Général de l’Allier / Cercle de Niafunké").click()
    page.wait_for_url("**" + FICHE)
    assert page.locator("h1").inner_text() == "Conseil Général de l’Allier / Cercle de Niafunké"
    assert page.errors == []
