"""repertoire.pagecache: anonymous pages served from the cache, never stale, never personal."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse

from partnerships import dataversion
from partnerships.models import Contact, Partnership
from tests.test_editing import edit_url, form_data

pytestmark = pytest.mark.django_db

SLUG = "angers-bamako"


@pytest.fixture(autouse=True)
def page_cache_on():
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=600):
        yield
    cache.clear()


def fiche_url(slug=SLUG):
    return reverse("partnership_detail", args=[slug])


def test_a_second_anonymous_read_is_served_from_the_cache(client, django_assert_num_queries):
    first = client.get(fiche_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(fiche_url())
    assert second["X-Page-Cache"] == "hit"
    # The same page but for the CSRF token of its report form, which is the reader's own.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub(b"", second.content) == token.sub(b"", first.content)
    assert token.findall(second.content) != token.findall(first.content)


def test_the_report_form_of_a_cached_page_is_accepted(client):
    Client().get(fiche_url())  # fills the cache
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(fiche_url())
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = reader.post(
        reverse("partnership_report", args=[SLUG]),
        {
            "field": "budget",
            "message": "Le budget de 2006 est de 8 000 €.",
            "csrfmiddlewaretoken": token.group(1),
        },
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302


def test_an_edit_by_staff_is_seen_at_once(editor_client, django_capture_on_commit_callbacks):
    reader = Client()
    assert reader.get(fiche_url())["X-Page-Cache"] == "miss"
    assert "Nouvelle convention en 2031" not in reader.get(fiche_url()).content.decode()
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Nouvelle convention en 2031."
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(edit_url(), data).status_code == 302
    page = Client().get(fiche_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Nouvelle convention en 2031." in page.content.decode()


def test_an_api_write_is_seen_by_the_api_and_the_pages(
    client, django_user_model, django_capture_on_commit_callbacks
):
    url = f"/api/v1/partnerships/{SLUG}/"
    assert client.get(url).json()["perspectives"] != "Reprise en 2030."
    assert client.get(url)["X-Page-Cache"] == "hit"
    editor = django_user_model.objects.create_user("api-editrice", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_partnership"))
    writer = Client()
    writer.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.patch(
            url,
            {"perspectives": "Reprise en 2030."},
            content_type="application/json",
            headers={"If-Match": writer.get(url)["ETag"]},
        )
    assert response.status_code == 200, response.content
    assert client.get(url).json()["perspectives"] == "Reprise en 2030."
    assert "Reprise en 2030." in client.get(fiche_url()).content.decode()


def test_signed_in_readers_never_get_nor_fill_the_cache(editor_client):
    contact = Contact.objects.filter(partnership__slug=SLUG).exclude(email="").first()
    assert contact is not None
    anonymous = Client().get(fiche_url()).content.decode()
    assert contact.email not in anonymous
    staff = editor_client.get(fiche_url())
    assert "X-Page-Cache" not in staff
    assert contact.email in staff.content.decode()
    # Staff first, on a page nobody anonymous has read yet: nothing of it is kept.
    cache.clear()
    editor_client.get(fiche_url())
    page = Client().get(fiche_url())
    assert page["X-Page-Cache"] == "miss"
    assert contact.email not in page.content.decode()


def test_an_api_caller_with_a_token_never_gets_nor_fills_the_cache(client, django_user_model):
    from rest_framework.authtoken.models import Token

    url = f"/api/v1/partnerships/{SLUG}/"
    email = Contact.objects.filter(partnership__slug=SLUG).exclude(email="").first().email
    user = django_user_model.objects.create_user("script", is_staff=True)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    signed = Client().get(url, headers=headers)
    assert email in signed.content.decode()
    assert "X-Page-Cache" not in signed
    anonymous = client.get(url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert email not in anonymous.content.decode()
    # The anonymous answer is cached now; the token caller still gets its own.
    again = Client().get(url, headers=headers)
    assert "X-Page-Cache" not in again and email in again.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("staff_home"),
        lambda: reverse("login"),
        lambda: reverse("partnership_export_csv"),
        lambda: "/fr/partenariats/nexiste-pas/",
    ],
)
def test_staff_pages_accounts_streams_and_errors_are_never_cached(client, url):
    client.get(url())
    assert not Client().get(url()).has_header("X-Page-Cache")


def test_a_reader_with_a_flash_message_or_session_gets_a_fresh_page(client):
    Client().get(fiche_url())
    client.cookies["messages"] = "quelque-chose"
    assert not client.get(fiche_url()).has_header("X-Page-Cache")


def test_api_formats_languages_and_queries_are_kept_apart(client):
    url = "/api/v1/partnerships/"
    assert client.get(url, HTTP_ACCEPT="application/json")["Content-Type"].startswith(
        "application/json"
    )
    assert client.get(url, HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    json_answer = client.get(url, HTTP_ACCEPT="application/json")
    assert json_answer["X-Page-Cache"] == "hit"
    assert json_answer["Content-Type"].startswith("application/json")
    french = client.get("/fr/partenariats/?region=kayes").content.decode()
    english = client.get("/en/partenariats/?region=kayes").content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert client.get("/fr/partenariats/?region=sikasso").content.decode() != french


def test_a_transaction_raises_the_version_once_when_it_commits(
    django_capture_on_commit_callbacks,
):
    before = dataversion.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        partnership = Partnership.objects.get(slug=SLUG)
        partnership.perspectives = "Une autre perspective."
        partnership.save()
        Contact.objects.filter(partnership=partnership).first().save()
    assert dataversion.data_version() == before + 1


@override_settings(PAGE_CACHE_SECONDS=0)
def test_off_without_a_shared_cache(client):
    client.get(fiche_url())
    assert not Client().get(fiche_url()).has_header("X-Page-Cache")


def test_facet_counts_are_kept_while_the_data_does_not_change(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from partnerships.filters import PartnershipFilter, facet_counts

    from .factories import DomainFactory

    def counts(params):
        query = QueryDict(mutable=True)
        query.update(params)
        filterset = PartnershipFilter(query, queryset=Partnership.objects.all())
        assert filterset.is_valid()
        return {
            f["name"]: {o["value"]: o["count"] for o in f["options"]}
            for f in facet_counts(filterset)
        }

    kayes = counts({"region": "kayes", "page": "1"})
    # Another page or order of the same selection: not counted again.
    with django_assert_num_queries(2):  # validating the filters: the divisions and the region
        assert counts({"region": "kayes", "page": "2", "ordering": "title"}) == kayes
    assert counts({"region": "mopti"}) != kayes
    fiche = Partnership.objects.get(slug=SLUG)
    assert "nouveau-domaine" not in counts({"status": fiche.status})["domain"]
    with django_capture_on_commit_callbacks(execute=True):
        fiche.domains.add(DomainFactory(slug="nouveau-domaine"))
    assert counts({"status": fiche.status})["domain"]["nouveau-domaine"] == 1


def test_a_lost_version_never_brings_back_pages_of_an_older_state(client):
    first = client.get(fiche_url())
    assert first["X-Page-Cache"] == "miss"
    assert client.get(fiche_url())["X-Page-Cache"] == "hit"
    # Redis restarted or evicted the counter, the pages stayed: none of them is served again.
    cache.delete(dataversion.VERSION_KEY)
    assert client.get(fiche_url())["X-Page-Cache"] == "miss"
