"""Public pages carry their language in the URL; old unprefixed links redirect permanently."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_public_pages_are_under_a_language_prefix():
    assert reverse("partnership_list") == "/fr/partenariats/"
    with translation.override("en"):
        assert reverse("partnership_list") == "/en/partenariats/"
        assert reverse("workshop_list") == "/en/ateliers/"


def test_api_admin_and_staff_pages_stay_unprefixed():
    with translation.override("en"):
        assert reverse("api-docs").startswith("/api/v1/")
        assert reverse("staff_home").startswith("/gestion/")
        assert reverse("login") == "/compte/login/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/", "/fr/"),
        ("/partenariats/?region=kayes", "/fr/partenariats/?region=kayes"),
        ("/partenariats/angers-bamako/", "/fr/partenariats/angers-bamako/"),
        ("/ateliers/", "/fr/ateliers/"),
        ("/carte/", "/fr/carte/"),
    ],
)
def test_old_unprefixed_links_redirect_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_an_english_reader_of_an_old_link_lands_on_the_english_page(client):
    response = client.get("/regions/kayes/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 301
    assert response["Location"] == "/en/regions/kayes/"


def test_links_of_an_english_page_keep_the_language(client):
    html = client.get("/en/regions/kayes/").content.decode()
    assert 'href="/en/partenariats/"' in html
    assert 'href="/fr/partenariats/' not in html


def test_unknown_prefixed_page_is_a_404(client):
    assert client.get("/en/nulle-part/").status_code == 404
