"""The workshops' pages on the seeded data: content, personal data, filters, bad input,
query counts, the items shown on fiches and collectivity pages, search, serializer."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Partnership
from workshops.models import Link, Workshop
from workshops.serializers import WorkshopSerializer

from .factories import CollectivityFactory, PartnershipFactory, PartnershipMemberFactory

pytestmark = pytest.mark.django_db

CUF = reverse("workshop_detail", args=["cuf-atelier-zones-a-risques-2016"])
ALLIER_FICHE = reverse(
    "partnership_detail", args=["conseil-general-de-l-allier-cercle-de-niafunke"]
)

PAGES = [
    (reverse("workshop_list"), 1),
    (reverse("workshop_list") + "?search=terrorisme", 7),
    (CUF, 8),
    (CUF + "?country=Mali&challenge=security", 8),
    (reverse("workshop_detail", args=["bagnolet-cooperation-internationale"]), 8),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_query_count(client, django_assert_num_queries, warm_memory, url, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_fiche_items_cost_one_query_whatever_their_number(client):
    client.get(ALLIER_FICHE)  # warm the caches (content types, translations)
    with CaptureQueriesContext(connection) as before:
        client.get(ALLIER_FICHE)
    workshop = Workshop.objects.get(slug="cuf-atelier-zones-a-risques-2016")
    fiche = Partnership.objects.get(slug="conseil-general-de-l-allier-cercle-de-niafunke")
    for section in workshop.sections.all()[:5]:
        Link.objects.create(
            workshop=workshop,
            position=900 + section.position,
            section=section,
            partnership=fiche,
            name_as_printed="test",
            method="test",
        )
    with CaptureQueriesContext(connection) as after:
        html = client.get(ALLIER_FICHE).content.decode()
    assert html.count("#section-") >= 5
    assert len(after) == len(before)


def test_workshop_list(client):
    html = client.get(reverse("workshop_list")).content.decode()
    assert "Maintenir et poursuivre les partenariats" in html
    assert "18 avril" in html  # the partial date, as printed


def test_detail_groups_participants_and_hides_names_from_anonymous_visitors(client):
    html = client.get(CUF).content.decode()
    assert "Présent (32)" in html and "Excusé (46)" in html
    assert "AGENCE DE L&#x27;EAU RHONE MEDITERRANEE ET CORSE" in html
    assert "LALOGE" not in html and "NGNINTENG" not in html
    assert "herupe.v@allier.fr" not in html
    assert "Chargée de coopération décentralisée, Conseil départemental de l’Allier" in html
    assert "Véronique Hérupe" not in html.split('id="sections"')[1].split('id="participants"')[0]


def test_detail_shows_names_and_contacts_to_signed_in_users(client):
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    html = client.get(CUF).content.decode()
    assert "LALOGE" in html
    assert "herupe.v@allier.fr" in html


def test_questionnaire_filters(client):
    html = client.get(CUF + "?country=Mali").content.decode()
    assert 'id="reponse-13"' in html and 'id="reponse-2"' not in html  # Mauritanie
    html = client.get(CUF + "?challenge=funding").content.decode()
    rows = html.count('<tr id="reponse-')
    assert 0 < rows < 29
    html = client.get(CUF + "?country=Mali&challenge=security").content.decode()
    assert 'id="reponse-13"' in html  # "la guerre au Nord du Mali"
    assert 'id="reponse-24"' not in html  # Mulhouse: "Missions impossibles" only


@pytest.mark.parametrize("query", ["?country=Atlantide", "?challenge=weather"])
def test_bad_filter_is_a_400_naming_the_parameter(client, query):
    response = client.get(CUF + query)
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.content.decode()


def test_a_fiche_no_workshop_speaks_of_reads_no_item_and_shows_one_once_linked(client):
    """The fiches with workshop items are a kept set (workshops.views.linked_partnerships):
    the others read none, and a link written raises the data version, which renews it."""
    from partnerships import dataversion

    url = reverse("partnership_detail", args=["aix-en-provence-bamako-commune-v"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "workshop-items" not in html
    assert not any("workshops_link" in query["sql"] for query in queries.captured_queries)
    workshop = Workshop.objects.get(slug="cuf-atelier-zones-a-risques-2016")
    Link.objects.create(
        workshop=workshop,
        position=999,
        section=workshop.sections.first(),
        partnership=Partnership.objects.get(slug="aix-en-provence-bamako-commune-v"),
        name_as_printed="Aix-en-Provence",
        method="test",
    )
    # Still the kept set: the version is raised when the write commits (never, in a test).
    assert "workshop-items" not in client.get(url).content.decode()
    dataversion.data_changed()
    assert "workshop-items" in client.get(url).content.decode()


def test_allier_fiche_shows_its_2016_answer(client):
    html = client.get(ALLIER_FICHE).content.decode()
    assert "En 2016, dans l&#x27;atelier « zones à risques »" in html
    assert f'href="{CUF}#reponse-13"' in html
    assert "guerre au Nord du Mali" in html
    # and a fiche no workshop speaks of shows nothing
    html = client.get(
        reverse("partnership_detail", args=["aix-en-provence-bamako-commune-v"])
    ).content.decode()
    assert "workshop-items" not in html


def test_collectivity_pages_show_the_bagnolet_page_facts(client):
    html = client.get(reverse("collectivity_detail", args=["massala"])).content.decode()
    assert "6" in html and "547" in html and "(2009)" in html
    assert "cercle de Ségou" in html
    html = client.get(reverse("collectivity_detail", args=["bagnolet"])).content.decode()
    assert "Oranienburg" in html and "Massala" in html
    html = client.get(reverse("collectivity_detail", args=["koutiala"])).content.decode()
    assert "Bagnolet" not in html


def test_collectivity_items_do_not_grow_queries_with_unrelated_partnerships(
    client, django_assert_num_queries
):
    french = CollectivityFactory()
    for _ in range(3):
        PartnershipMemberFactory(collectivity=french, partnership=PartnershipFactory())
    response = client.get(reverse("collectivity_detail", args=[french.slug]))
    assert response.status_code == 200
    assert "workshop-items" not in response.content.decode()


def test_search_finds_items_and_not_participants_names(client):
    html = client.get(reverse("workshop_list") + "?search=terrorisme").content.decode()
    assert "#reponse-" in html
    html = client.get(reverse("workshop_list") + "?search=Ségou amitie").content.decode()
    assert "Aucun résultat" in html
    html = client.get(reverse("workshop_list") + "?search=AMITIE").content.decode()
    assert "#citations" in html
    html = client.get(reverse("workshop_list") + "?search=laloge").content.decode()
    assert "#participant" not in html


def test_serializer_hides_names_and_contacts_from_anonymous_callers(django_assert_num_queries):
    request = RequestFactory().get("/api/v1/workshops/")
    request.user = AnonymousUser()
    queryset = WorkshopSerializer.eager(Workshop.objects.all())
    with django_assert_num_queries(9):
        data = WorkshopSerializer(queryset, many=True, context={"request": request}).data
    cuf = next(w for w in data if w["slug"] == "cuf-atelier-zones-a-risques-2016")
    assert len(cuf["answers"]) == 29
    assert all("last_name" not in p for p in cuf["participants"])
    assert all("contact" not in a for a in cuf["answers"])
    answer = next(a for a in cuf["answers"] if a["number"] == 13)
    assert answer["partnerships"] == ["conseil-general-de-l-allier-cercle-de-niafunke"]
    request.user = get_user_model().objects.create_user("staff2", password="x")
    data = WorkshopSerializer(queryset, many=True, context={"request": request}).data
    cuf = next(w for w in data if w["slug"] == "cuf-atelier-zones-a-risques-2016")
    assert any(p["last_name"] == "LALOGE" for p in cuf["participants"])


@pytest.mark.parametrize("kept", [True, False])
def test_the_workshop_search_follows_an_edit(
    client, settings, django_capture_on_commit_callbacks, kept
):
    """The items' folded texts are kept per data version where every process shares the cache
    (dataversion.kept): an edit committed is found by the next search, kept or not."""
    from workshops.models import Section
    from workshops.search import search_workshops

    settings.FACET_INDEX = kept
    assert search_workshops("Écoles")["sections"]  # accents, case and plural folded
    assert not search_workshops("zygomatique")["sections"]
    section = Section.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        section.text += " Zygomatiques !"
        section.save()
    assert search_workshops("zygomatique")["sections"] == [section]
    html = client.get(reverse("partnership_list"), {"search": "zygomatique"}).content.decode()
    assert f"#section-{section.position}" in html
