"""No stored payload runs in a reader's browser (Debian's Chromium through Playwright, offline).

Rows hold a small list of XSS payloads in URL, text and name fields, written through the ORM
without validation (as old data could hold them). The fiche, collectivity, list, search, staff
and admin pages are loaded as an anonymous visitor and as an administrator; every link on them
is clicked (a link to a web page is stopped before it navigates, anything else, such as a
javascript: link, is left to run); no dialog opens, no payload's hook is called, the
Content-Security-Policy reports no violation and the console no error. The forms and the API
refuse such URLs. Every public page and the API docs run under the policy without a violation.
Same setup as tests/test_browser.py.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.usefixtures("reseed_after_module"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (apt-get install chromium)",
    ),
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "un-mot-de-passe-de-test"

# Each one calls the hook window.__xss (or alert, which the hook also catches) if it runs.
URL_PAYLOADS = [
    "javascript:window.__xss('url-1')",
    "javascript://%0Awindow.__xss('url-2')",
    "JaVaScRiPt:window.__xss('url-3')",
    "data:text/html,<script>alert('url-4')</script>",
    "\"><script>window.__xss('url-5')</script>",
    "<img src=x onerror=\"window.__xss('url-6')\">",
    " javascript:alert('url-7')",
]
TEXT_PAYLOADS = [
    "\"><script>window.__xss('text-1')</script>",
    "<img src=x onerror=\"window.__xss('text-2')\">",
    "<svg onload=\"window.__xss('text-3')\"></svg>",
    "'><a href=\"javascript:window.__xss('text-4')\">lien</a>",
    "{{ 7|add:7 }}</title><script>alert('text-5')</script>",
]

# Runs before any script of the page, whatever its policy: the hooks, and the guard that stops
# links to web pages (so that one page's links can all be clicked) but lets anything else run.
HOOKS = """
window.__ran = [];
window.__violations = [];
window.__xss = (what) => window.__ran.push(String(what));
window.alert = window.confirm = window.prompt = (what) => window.__ran.push('dialog:' + what);
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile);
});
// An SVG link's href is an object: its text is baseVal.
window.__href = (a) => {
  const href = typeof a.href === 'string' ? a.href : a.href.baseVal;
  try { return new URL(href, document.baseURI).href; } catch { return href; }
};
document.addEventListener('click', (e) => {
  const link = e.target.closest && e.target.closest('a[href]');
  if (link && /^(https?|mailto):/i.test(window.__href(link))) e.preventDefault();
}, true);
"""


@pytest.fixture
def seeded(live_server):
    from partnerships.models import Partnership

    if not Partnership.objects.exists():
        call_command("seed", verbosity=0)
    return live_server


@pytest.fixture
def hostile(seeded, django_user_model):
    """A partnership, its partners, contacts, an action and a review item full of payloads."""
    from partnerships.models import (
        Collectivity,
        Contact,
        MalianRegion,
        PartnershipMember,
        ReviewItem,
        SourceDocument,
    )
    from tests.factories import (
        ActionFactory,
        CollectivityFactory,
        ContactFactory,
        MalianCollectivityFactory,
        PartnershipFactory,
    )

    partnership = PartnershipFactory(
        slug="xss-piege",
        title=f"Piège {TEXT_PAYLOADS[0]} / {TEXT_PAYLOADS[1]}",
        presentation=" ".join(TEXT_PAYLOADS),
        perspectives=" ".join(URL_PAYLOADS),
    )
    french = []
    for n, url in enumerate(URL_PAYLOADS):
        collectivity = CollectivityFactory(
            slug=f"xss-ville-{n}",
            name=f"Ville piège {n} {TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]}",
            location_as_printed=TEXT_PAYLOADS[(n + 1) % len(TEXT_PAYLOADS)],
        )
        # As old data could hold it: no validation on the way in.
        Collectivity.objects.filter(pk=collectivity.pk).update(website=url)
        french.append(collectivity)
        contact = ContactFactory(
            partnership=partnership,
            position=n + 1,
            name=TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)],
            function=TEXT_PAYLOADS[(n + 2) % len(TEXT_PAYLOADS)],
            email=f"x{n}@example.org{TEXT_PAYLOADS[0]}",
        )
        Contact.objects.filter(pk=contact.pk).update(website=url)
    malian = MalianCollectivityFactory(
        slug="xss-commune",
        name=f"Commune piège {TEXT_PAYLOADS[2]}",
        malian_region=MalianRegion.objects.get(slug="kayes"),
    )
    for position, collectivity in enumerate(french, start=1):
        PartnershipMember.objects.create(
            partnership=partnership, collectivity=collectivity, side="FR", position=position
        )
    PartnershipMember.objects.create(
        partnership=partnership, collectivity=malian, side="ML", position=1
    )
    ActionFactory(partnership=partnership, position=1, description=TEXT_PAYLOADS[3])
    ReviewItem.objects.create(
        key="xss-piege",
        source=SourceDocument.objects.first(),
        line=1,
        kind="xss",
        message=TEXT_PAYLOADS[4][:300],
        value=TEXT_PAYLOADS[0],
        field="presentation",
        partnership=partnership,
    )
    django_user_model.objects.create_superuser("admin-xss", "admin@example.org", PASSWORD)
    return {"partnership": partnership, "french": french, "malian": malian}


def new_page(browser, server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and page.errors.append(f"{m.text} ({m.location['url']}) on {page.url}")
        ),
    )
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            r.url.startswith(server.url)
            or r.url.startswith("data:")
            or page.errors.append(f"external request: {r.url}")
        ),
    )
    return page


def sign_in(page, server):
    page.goto(server.url + reverse("login"))
    page.fill("#id_username", "admin-xss")
    page.fill("#id_password", PASSWORD)
    page.click(".auth-form button[type=submit]")
    page.wait_for_load_state()


def click_every_link(page):
    """Click each link of the page (real clicks where visible): returns their count."""
    links = page.locator("a[href]")
    count = links.count()
    for i in range(count):
        link = links.nth(i)
        try:
            link.click(no_wait_after=True, timeout=1000)
        except PlaywrightTimeout:
            # Hidden or off-screen (the skip link until focused): clicked by script.
            link.evaluate("a => a.click()")
    return count


def visit(page, url):
    """Load, click every link, and return what ran and what the policy stopped."""
    response = page.goto(url)
    assert response.status == 200, url
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(window.__href)")
    # Only links to web pages, mail or this site: no javascript:, data: or other scheme.
    assert [h for h in hrefs if not h.startswith(("http://", "https://", "mailto:"))] == [], url
    clicked = click_every_link(page)
    page.wait_for_timeout(100)
    ran = page.evaluate("window.__ran")
    violations = page.evaluate("window.__violations")
    return {"url": url, "links": clicked, "ran": ran, "violations": violations}


def public_pages(server, data):
    partnership = data["partnership"]
    return [
        server.url + reverse("partnership_detail", args=[partnership.slug]),
        server.url + reverse("collectivity_detail", args=[data["french"][0].slug]),
        server.url + reverse("collectivity_detail", args=[data["french"][1].slug]),
        server.url + reverse("collectivity_detail", args=[data["malian"].slug]),
        server.url + reverse("partnership_list") + f"?collectivity={data['malian'].slug}",
        server.url + reverse("partnership_list") + "?search=piege",
        server.url + reverse("collectivity_list"),
        server.url + reverse("region_detail", args=["kayes"]),
    ]


def staff_pages(server, data):
    from partnerships.models import Collectivity, Contact

    partnership, collectivity = data["partnership"], data["french"][1]
    contact = Contact.objects.filter(partnership=partnership).first()
    return [
        server.url + reverse("staff_home"),
        server.url + reverse("staff_partnership_edit", args=[partnership.slug]),
        server.url + reverse("staff_partnership_history", args=[partnership.slug]),
        server.url + reverse("staff_collectivity_edit", args=[collectivity.slug]),
        server.url + reverse("staff_review_queue"),
        server.url + reverse("admin:partnerships_collectivity_change", args=[collectivity.pk]),
        server.url + reverse("admin:partnerships_contact_change", args=[contact.pk]),
        server.url
        + reverse("admin:partnerships_collectivity_changelist")
        + "?q=piege&pk__in="
        + ",".join(str(c.pk) for c in Collectivity.objects.filter(slug__startswith="xss")),
    ]


def test_no_stored_payload_runs_for_a_visitor_or_an_administrator(browser, hostile, seeded):
    anonymous = new_page(browser, seeded)
    results = [visit(anonymous, url) for url in public_pages(seeded, hostile)]
    admin = new_page(browser, seeded)
    sign_in(admin, seeded)
    # The same pages with the contacts' names and coordinates shown (the long lists of every
    # collectivity or of a region are the same for both), then the staff and admin pages.
    results += [visit(admin, url) for url in public_pages(seeded, hostile)[:6]]
    results += [visit(admin, url) for url in staff_pages(seeded, hostile)]
    # The partner search of the edit page lists the payload names (staff.js builds its
    # suggestions as text).
    admin.goto(seeded.url + reverse("staff_partnership_edit", args=[hostile["partnership"].slug]))
    with admin.expect_response(lambda r: "recherche" in r.url):
        admin.locator("input.collectivity-search").first.fill("piège")
    admin.wait_for_timeout(200)
    suggestions = admin.eval_on_selector_all("datalist option", "o => o.map(x => x.value)")
    assert any("<script>window.__xss" in s for s in suggestions), suggestions
    assert admin.evaluate("window.__ran") == []
    # The payloads were on the pages, as text: the walk did see them.
    admin.goto(seeded.url + reverse("partnership_detail", args=[hostile["partnership"].slug]))
    assert "<script>window.__xss('text-1')</script>" in admin.locator("main").inner_text()
    assert admin.locator(".contact", has_text="javascript://%0Awindow.__xss").count() == 1

    assert sum(r["links"] for r in results) > 500
    failures = [r for r in results if r["ran"] or r["violations"]]
    assert failures == [], json.dumps(failures, indent=1)
    assert anonymous.dialogs == admin.dialogs == []
    assert anonymous.errors == admin.errors == []


def test_the_forms_and_the_api_refuse_a_javascript_site(browser, hostile, seeded):
    from partnerships.models import Collectivity

    collectivity = Collectivity.objects.get(slug="angers")
    page = new_page(browser, seeded)
    sign_in(page, seeded)
    page.goto(seeded.url + reverse("staff_collectivity_edit", args=["angers"]))
    page.fill("#id_website", "javascript://%0Awindow.__xss('form')")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "commençant par http:// ou https://" in page.locator("main").inner_text()
    collectivity.refresh_from_db()
    assert collectivity.website == "http://www.angers.fr"

    # The API, with the administrator's session (and its CSRF token).
    token = page.evaluate("document.querySelector('[name=csrfmiddlewaretoken]').value")
    response = page.request.post(
        seeded.url + "/api/v1/collectivities/",
        data={
            "slug": "xss-api",
            "name": "Ville API",
            "kind": "commune",
            "country": "FR",
            "website": URL_PAYLOADS[0],
        },
        headers={"X-CSRFToken": token, "Referer": seeded.url + reverse("home")},
    )
    assert response.status == 400 and "website" in response.json()
    assert not Collectivity.objects.filter(slug="xss-api").exists()
    assert page.evaluate("window.__ran") == [] and page.dialogs == []


PUBLIC_PAGES = [
    reverse("home"),
    reverse("partnership_list"),
    reverse("partnership_list") + "?search=segou&region=segou",
    reverse("partnership_detail", args=["angers-bamako"]),
    reverse("partnership_detail", args=["acheres-district-de-bamako"]),
    reverse("collectivity_list"),
    reverse("collectivity_detail", args=["koutiala"]),
    reverse("region_list"),
    reverse("region_detail", args=["kayes"]),
    reverse("domain_list"),
    reverse("domain_detail", args=["sante"]),
    reverse("map"),
    reverse("figures"),
    reverse("workshop_list"),
    "/compte/login/",
    "/compte/password_reset/",
]


def test_every_public_page_and_the_api_docs_run_under_the_policy(browser, seeded):
    page = new_page(browser, seeded)
    for path in PUBLIC_PAGES:
        response = page.goto(seeded.url + path)
        assert response.status == 200, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert page.evaluate("window.__violations") == [], path
    # Workshops: the first workshop's page too.
    page.goto(seeded.url + reverse("workshop_list"))
    page.locator("main a[href^='/fr/ateliers/']").first.click()
    page.wait_for_load_state()
    assert page.evaluate("window.__violations") == [], page.url

    page.goto(seeded.url + "/api/v1/docs/")
    # Swagger UI ran (its script is a file) and read the schema.
    page.wait_for_selector(".opblock-tag", timeout=30000)
    assert page.locator(".opblock-tag", has_text="partnerships").count() >= 1
    page.locator(".opblock-tag", has_text="regions").first.click()
    page.locator(".opblock-summary").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
    assert page.errors == [] and page.dialogs == []
