"""Staff editing in a real browser (Debian's Chromium through Playwright), offline.

Sign in, edit a fiche (a field, a new action, a removed contact), see it on the public page and
in the history, revert it; then two browser contexts save the same fiche and the second one is
told what changed meanwhile. Same setup as tests/test_browser.py.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.conftest import CHROMIUM
from tests.test_editing import create_groups

SLUG = "angers-bamako"
PASSWORD = "un-mot-de-passe-de-test"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Debian chromium is not installed (apt-get install chromium)",
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module", autouse=True)
def reseed_after_module(django_db_blocker):
    """live_server tests flush the database: give the seeded répertoire back to the next tests."""
    yield
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        create_groups()


@pytest.fixture
def seeded(live_server, django_user_model):
    from partnerships.models import Partnership

    if not Partnership.objects.exists():
        call_command("seed", verbosity=0)
    create_groups()
    for name in ("editrice", "editeur"):
        user = django_user_model.objects.create_user(name, password=PASSWORD)
        user.groups.add(Group.objects.get(name="Éditeurs"))
    return live_server


def signed_in(browser, server, username):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            r.url.startswith(server.url)
            or r.url.startswith("data:")
            or page.errors.append(f"external request: {r.url}")
        ),
    )
    page.goto(f"{server.url}/compte/login/")
    assert page.locator("h1").inner_text() == "Connexion"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-form button[type=submit]")
    page.wait_for_url(f"{server.url}/gestion/")
    return page


def test_edit_see_history_and_revert(browser, seeded):
    page = signed_in(browser, seeded, "editrice")
    page.goto(f"{seeded.url}/partenariats/{SLUG}/")
    page.click("text=Modifier la fiche")
    contact_name = page.input_value("#id_contacts-0-name")
    page.fill("#id_perspectives", "Un jumelage scolaire en 2027.")
    extra = int(page.input_value("#id_actions-TOTAL_FORMS")) - 1
    page.fill(f"#id_actions-{extra}-description", "Forage d'un puits à Bamako")
    page.check("#id_contacts-0-DELETE")
    # A new Malian partner found by typing (search-as-you-type fills the <select>).
    search = page.locator("#partners input.collectivity-search").last
    search.type("Kati", delay=30)
    # A function, not an expression: Playwright would eval() an expression, which the site's
    # Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.querySelectorAll('#partners datalist')[3].options.length > 0"
    )
    search.fill("Kati (Kati)")
    page.click("text=Enregistrer la fiche")
    page.wait_for_url(f"{seeded.url}/partenariats/{SLUG}/")
    from partnerships.models import PartnershipMember

    assert PartnershipMember.objects.filter(
        partnership__slug=SLUG, collectivity__name="Kati", side="ML"
    ).exists()
    body = page.locator("main").inner_text()
    assert "Un jumelage scolaire en 2027." in body
    assert "Forage d'un puits à Bamako" in body
    assert contact_name not in body

    page.click("text=Historique")
    history = page.locator("main").inner_text()
    assert "Un jumelage scolaire en 2027." in history and "editrice" in history
    assert "SUPPRESSION" in history.upper()
    # Untouched multi-line texts (sent back with CRLF line ends) are not shown as changed.
    assert "Tableau des actions" not in history and "Formalisation" not in history
    page.locator("button:has-text('Revenir à cette version')").last.click()
    page.wait_for_url(f"{seeded.url}/gestion/partenariats/{SLUG}/historique/")
    assert "est revenue à sa version" in page.locator("main").inner_text()
    page.goto(f"{seeded.url}/partenariats/{SLUG}/")
    body = page.locator("main").inner_text()
    assert "Un jumelage scolaire en 2027." not in body
    assert "Forage d'un puits à Bamako" not in body
    assert contact_name in body
    assert page.errors == []


def test_second_save_of_the_same_fiche_shows_the_conflict(browser, seeded):
    first = signed_in(browser, seeded, "editrice")
    second = signed_in(browser, seeded, "editeur")
    for page in (first, second):
        page.goto(f"{seeded.url}/gestion/partenariats/{SLUG}/modifier/")
    first.fill("#id_perspectives", "Texte de l'éditrice")
    first.click("text=Enregistrer la fiche")
    first.wait_for_url(f"{seeded.url}/partenariats/{SLUG}/")
    second.fill("#id_perspectives", "Texte de l'éditeur")
    second.click("text=Enregistrer la fiche")
    second.wait_for_load_state()
    body = second.locator("main").inner_text()
    assert "modifiée par quelqu'un d'autre" in body
    assert "Texte de l'éditrice" in second.locator(".conflict").inner_text()
    assert second.input_value("#id_perspectives") == "Texte de l'éditeur"
    second.screenshot(
        path=str(Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp")) / "conflict.png")
    )
    assert first.errors == [] and second.errors == []
