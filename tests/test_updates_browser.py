"""A partner updates its fiche, in a real browser (Debian's Chromium through Playwright), offline.

Staff send a link from the fiche; the partner opens the e-mailed link in another browser without
an account, changes a field and sends; staff accept it on the proposal page and find it in the
fiche's history; the used link, and an expired one, are refused with a clear French message.
Pages checked with axe-core and photographed at 390 and 1280 px (BROWSER_SCREENSHOTS).
"""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.test_browser import check_accessibility, shots  # noqa: F401
from tests.test_editing_browser import pytestmark as editing_marks
from tests.test_editing_browser import seeded, signed_in  # noqa: F401

pytestmark = editing_marks

SLUG = "angers-bamako"
LINK = re.compile(r"https?://\S+/mise-a-jour/\S+/")


def partner_page(browser, server, width=1280):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: r.url.startswith(server.url) or page.errors.append(f"external: {r.url}"),
    )
    return page


def send_from_the_fiche(staff, server):
    from partnerships.models import Contact

    contact = Contact.objects.get(partnership__slug=SLUG, email="christine.farges@ville.angers.fr")
    staff.goto(server.url + reverse("staff_partnership_edit", args=[SLUG]))
    staff.click("text=Demander une mise à jour au partenaire")
    staff.check(f"input[name=contact][value='{contact.pk}']")
    staff.click("text=Envoyer le lien")
    staff.wait_for_url(server.url + reverse("staff_update_campaign"))
    assert "Lien envoyé à christine.farges@ville.angers.fr" in staff.locator("main").inner_text()
    return LINK.search(mail.outbox[-1].body).group(0)


def test_partner_updates_and_staff_accept_into_the_history(browser, seeded, shots):  # noqa: F811
    from partnerships.models import UpdateLink

    server = seeded
    mail.outbox.clear()
    staff = signed_in(browser, server, "editrice")
    url = send_from_the_fiche(staff, server)
    assert mail.outbox[-1].to == ["christine.farges@ville.angers.fr"]

    partner = partner_page(browser, server)
    partner.goto(url)
    assert partner.locator("h1").inner_text().startswith("Mettre à jour la fiche")
    assert "Se déconnecter" not in partner.content()
    check_accessibility(partner)
    partner.screenshot(path=shots / "partner-form-1280.png", full_page=True)
    partner.fill("#id_partnership-perspectives", "Un jumelage scolaire en 2027.")
    partner.fill("#id_submitter", "Christine, service des relations internationales")
    with partner.expect_navigation():
        partner.click("text=Envoyer mes corrections")
    assert "a bien été reçue" in partner.locator("main").inner_text()

    staff.goto(server.url + reverse("staff_update_campaign"))
    staff.screenshot(path=shots / "campaign-1280.png", full_page=True)
    staff.click("#proposals + table a")
    assert "Un jumelage scolaire en 2027." in staff.locator("table.proposal").inner_text()
    check_accessibility(staff)
    staff.screenshot(path=shots / "proposal-1280.png", full_page=True)
    staff.click("text=Enregistrer les champs cochés")
    staff.wait_for_url(server.url + reverse("staff_partnership_history", args=[SLUG]))
    latest = staff.locator("ol.history > li").first.inner_text()
    assert "Proposition du partenaire du" in latest
    assert "Un jumelage scolaire en 2027." in latest

    public = partner_page(browser, server)
    public.goto(server.url + reverse("partnership_detail", args=[SLUG]))
    assert "Dernière vérification par le partenaire" in public.locator("main").inner_text()

    # The same link again: refused, and the page says how to get a new one.
    partner.goto(url)
    body = partner.locator("main").inner_text()
    assert "a déjà servi" in body and "Pour recevoir un nouveau lien" in body

    # A second link, expired before the partner opens it.
    url = send_from_the_fiche(staff, server)
    UpdateLink.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    narrow = partner_page(browser, server, width=390)
    narrow.goto(url)
    body = narrow.locator("main").inner_text()
    assert "a expiré" in body and "Pour recevoir un nouveau lien" in body
    narrow.screenshot(path=shots / "link-expired-390.png", full_page=True)
    assert partner.errors == [] and staff.errors == [] and narrow.errors == []


def test_the_partner_form_at_phone_width(browser, seeded, shots):  # noqa: F811
    server = seeded
    mail.outbox.clear()
    staff = signed_in(browser, server, "editrice")
    url = send_from_the_fiche(staff, server)
    narrow = partner_page(browser, server, width=390)
    narrow.goto(url)
    # Nothing wider than the screen: the form reads on a phone without sideways scrolling.
    assert narrow.evaluate("() => document.documentElement.scrollWidth") <= 390
    narrow.screenshot(path=shots / "partner-form-390.png", full_page=True)
    with narrow.expect_navigation():
        narrow.click("button[value=confirm]")
    assert "toujours exacte : merci" in narrow.locator("main").inner_text()
    assert narrow.errors == []
