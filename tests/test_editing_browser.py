"""Staff editing in a real browser (Debian's Chromium through Playwright), offline.

Sign in, edit a fiche (a field, a new action, a removed contact), see it on the public page and
in the history, revert it; then two browser contexts save the same fiche and the second one is
told what changed meanwhile. Nothing typed is lost: not when the session expires before the save,
not when leaving the page (a warning), not when the tab is closed (a local draft). Same setup as
tests/test_browser.py.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import CHROMIUM
from tests.test_editing import create_groups

SLUG = "angers-bamako"
PASSWORD = "un-mot-de-passe-de-test"

pytestmark = [
    pytest.mark.usefixtures("reseed_after_module"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (apt-get install chromium)",
    ),
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
    page.goto(seeded.url + reverse("partnership_detail", args=[SLUG]))
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
    page.click("button.save")
    page.wait_for_url(seeded.url + reverse("partnership_detail", args=[SLUG]))
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
    page.goto(seeded.url + reverse("partnership_detail", args=[SLUG]))
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
    first.click("button.save")
    first.wait_for_url(seeded.url + reverse("partnership_detail", args=[SLUG]))
    second.fill("#id_perspectives", "Texte de l'éditeur")
    second.click("button.save")
    second.wait_for_load_state()
    body = second.locator("main").inner_text()
    assert "modifiée par quelqu'un d'autre" in body
    assert "Texte de l'éditrice" in second.locator(".conflict").inner_text()
    assert second.input_value("#id_perspectives") == "Texte de l'éditeur"
    second.screenshot(
        path=str(Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp")) / "conflict.png")
    )
    assert first.errors == [] and second.errors == []


def edit_page(browser, server, username="editrice"):
    page = signed_in(browser, server, username)
    page.goto(f"{server.url}/gestion/partenariats/{SLUG}/modifier/")
    page.dialogs = []

    def answer(dialog):
        page.dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    return page


def type_into(page, selector, text):
    """Typed as a person would (key events): Chromium asks before leaving only a page the user
    has interacted with."""
    page.click(selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_session_expires_while_editing_and_nothing_is_lost(browser, seeded):
    from django.contrib.sessions.models import Session

    from partnerships.models import Partnership

    page = edit_page(browser, seeded)
    actions = Partnership.objects.get(slug=SLUG).actions.count()
    type_into(page, "#id_perspectives", "Écrit pendant que la session expirait")
    page.click("button.add-row[data-prefix=actions]")
    new = int(page.input_value("#id_actions-TOTAL_FORMS")) - 1
    type_into(page, f"#id_actions-{new}-description", "Action ajoutée avant l'expiration")
    Session.objects.all().delete()  # the session expires on the server
    page.click("button.save")
    page.wait_for_selector("h1:has-text('Votre session a expiré')")
    assert page.dialogs == []  # saving never asks "leave the page?"
    page.fill("#id_reconnexion-username", "editrice")
    page.fill("#id_reconnexion-password", PASSWORD)
    page.click(".resume-form button[type=submit]")
    page.wait_for_url(seeded.url + reverse("partnership_detail", args=[SLUG]))
    fiche = Partnership.objects.get(slug=SLUG)
    assert fiche.perspectives == "Écrit pendant que la session expirait"
    assert fiche.actions.count() == actions + 1
    assert fiche.actions.order_by("position").last().description == (
        "Action ajoutée avant l'expiration"
    )
    assert f"Fiche enregistrée (version {fiche.version})." in page.locator(".messages").inner_text()
    assert page.errors == []


def test_leaving_a_changed_form_asks_first(browser, seeded):
    page = edit_page(browser, seeded)
    page.click("#id_perspectives")  # touched but not changed: no question
    page.goto(seeded.url + reverse("partnership_list"))
    assert page.dialogs == []
    page.goto(f"{seeded.url}/gestion/partenariats/{SLUG}/modifier/")
    type_into(page, "#id_perspectives", "Pas encore enregistré")
    page.wait_for_function("() => document.querySelector('.dirty-status').textContent !== ''")
    assert page.locator(".dirty-status").inner_text() == "Modifications non enregistrées"
    page.goto(seeded.url + reverse("partnership_list"))
    assert page.dialogs == ["beforeunload"]
    assert page.errors == []


def test_a_local_draft_is_offered_after_a_reload(browser, seeded):
    from partnerships.models import Partnership

    page = edit_page(browser, seeded)
    original = page.input_value("#id_perspectives")
    type_into(page, "#id_perspectives", "Brouillon à retrouver")
    page.click("button.add-row[data-prefix=contacts]")
    new = int(page.input_value("#id_contacts-TOTAL_FORMS")) - 1
    type_into(page, f"#id_contacts-{new}-name", "Contact du brouillon")
    page.select_option(f"#id_contacts-{new}-side", "ML")
    page.select_option(f"#id_contacts-{new}-role", "twinning_committee")
    page.wait_for_timeout(600)  # the draft is written 300 ms after the last key
    page.reload()
    offer = page.locator(".draft-offer")
    offer.wait_for(state="visible")
    assert "Un brouillon non enregistré existe" in offer.inner_text()
    assert page.input_value("#id_perspectives") == original  # nothing restored unasked
    page.click(".draft-restore")
    assert page.input_value("#id_perspectives") == "Brouillon à retrouver"
    assert page.input_value(f"#id_contacts-{new}-name") == "Contact du brouillon"
    assert page.input_value(f"#id_contacts-{new}-role") == "twinning_committee"
    assert offer.is_hidden()
    page.click("button.save")
    page.wait_for_url(seeded.url + reverse("partnership_detail", args=[SLUG]))
    fiche = Partnership.objects.get(slug=SLUG)
    assert fiche.contacts.filter(name="Contact du brouillon", side="ML").exists()
    # Saved: the draft is gone, and the edit page offers nothing.
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('repertoire-draft:'))")
        == []
    )
    page.goto(f"{seeded.url}/gestion/partenariats/{SLUG}/modifier/")
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden()
    # "Ignorer" forgets a draft.
    type_into(page, "#id_perspectives", "Brouillon à oublier")
    page.wait_for_timeout(600)
    page.reload()
    page.locator(".draft-offer").wait_for(state="visible")
    page.click(".draft-ignore")
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden()
    assert page.input_value("#id_perspectives") == "Brouillon à retrouver"
    assert page.errors == []


def test_rows_added_in_the_browser_are_saved(browser, seeded):
    from partnerships.models import Partnership

    page = edit_page(browser, seeded)
    before = Partnership.objects.get(slug=SLUG).actions.count()
    total = int(page.input_value("#id_actions-TOTAL_FORMS"))
    for text in ("Première action ajoutée", "Seconde action ajoutée"):
        page.click("button.add-row[data-prefix=actions]")
        index = int(page.input_value("#id_actions-TOTAL_FORMS")) - 1
        # The new row is focused, numbered, and its fields are named for the formset.
        assert page.evaluate("document.activeElement.id") == f"id_actions-{index}-domain"
        type_into(page, f"#id_actions-{index}-description", text)
    assert int(page.input_value("#id_actions-TOTAL_FORMS")) == total + 2
    page.click("button.save")
    page.wait_for_url(seeded.url + reverse("partnership_detail", args=[SLUG]))
    fiche = Partnership.objects.get(slug=SLUG)
    assert fiche.actions.count() == before + 2
    assert list(fiche.actions.order_by("-position").values_list("description", flat=True)[:2]) == [
        "Seconde action ajoutée",
        "Première action ajoutée",
    ]
    assert page.errors == []
