"""/api/v1/workshops/ on the seeded notes: list and documents, personal data, queries, bad input."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient

from partnerships.models import SourceDocument
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

URL = "/api/v1/workshops/"
CUF = "cuf-atelier-zones-a-risques-2016"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def api():
    # Anonymous throttling counts in the cache: a clean slate for each test.
    cache.clear()
    yield APIClient()
    cache.clear()


@pytest.fixture
def signed_in(api):
    api.force_authenticate(User.objects.create_user("lectrice"))
    return api


def test_the_list_has_the_four_workshops_latest_first(api):
    data = api.get(URL).json()
    assert data["count"] == 4
    slugs = [row["slug"] for row in data["results"]]
    # The only dated one first, then the undated ones by title.
    assert slugs[0] == CUF
    assert set(slugs) == {
        CUF,
        "synthese-jumelages-franco-mauritaniens",
        "horizons-solidaires-collectivites-comites-jumelage",
        "bagnolet-cooperation-internationale",
    }
    assert slugs == [row["slug"] for row in api.get(URL, {"page_size": 200}).json()["results"]]
    # Pages of one row give the same order: the slug breaks ties.
    paged = [api.get(URL, {"page_size": 1, "page": n}).json()["results"][0]["slug"] for n in (1, 4)]
    assert paged == [slugs[0], slugs[3]]


def test_the_2016_workshop_document(api):
    response = api.get(f"{URL}{CUF}/")
    assert response.status_code == 200
    workshop = response.json()
    assert workshop["date"] == "2016-05-19" and workshop["kind"] == "workshop"
    statuses = [p["status"] for p in workshop["participants"]]
    assert statuses.count("present") == 32 and statuses.count("excused") == 46
    assert len(workshop["answers"]) == 29
    allier = next(a for a in workshop["answers"] if a["number"] == 13)
    assert allier["respondent"] == "Conseil Départemental de l'Allier"
    assert allier["partnerships"] == ["conseil-general-de-l-allier-cercle-de-niafunke"]
    linked = {link["partnership"] for link in workshop["links"] if link["item"] == "answer:13"}
    assert "conseil-general-de-l-allier-cercle-de-niafunke" in linked
    # An answer from elsewhere than the Allier is not linked to its partnership.
    others = [a for a in workshop["answers"] if a["number"] != 13]
    assert all(
        "conseil-general-de-l-allier-cercle-de-niafunke" not in a["partnerships"] for a in others
    )
    bagnolet = api.get(f"{URL}bagnolet-cooperation-internationale/").json()
    assert len(bagnolet["twin_towns"]) == 5 and bagnolet["answers"] == []


def test_anonymous_callers_get_no_names_and_no_e_mails(api):
    text = api.get(f"{URL}{CUF}/").content.decode()
    workshop = api.get(f"{URL}{CUF}/").json()
    assert all("last_name" not in p and "first_name" not in p for p in workshop["participants"])
    assert all("contact" not in a for a in workshop["answers"])
    assert "LALOGE" not in text
    # Not the answers' contacts, nor the organisers' addresses printed in the report's text.
    assert not EMAIL.search(text)
    assert all(s["heading"] == s["public_heading"] for s in workshop["sections"])
    for path in (URL, f"{URL}export/", f"{URL}{CUF}/?format=csv"):
        assert "LALOGE" not in api.get(path).getvalue().decode()


def test_signed_in_callers_get_the_names_and_the_contacts(signed_in):
    workshop = signed_in.get(f"{URL}{CUF}/").json()
    assert any(p["last_name"] == "LALOGE" for p in workshop["participants"])
    allier = next(a for a in workshop["answers"] if a["number"] == 13)
    assert "@allier.fr" in allier["contact"]
    assert "c.koukoui@cites-unies-france.org" in signed_in.get(f"{URL}{CUF}/").content.decode()


@pytest.mark.parametrize("authenticated", [False, True])
def test_queries_do_not_grow_with_the_rows(
    api, django_assert_num_queries, warm_memory, authenticated
):
    if authenticated:
        api.force_authenticate(User.objects.create_user("lectrice"))
    # Count and page, then the workshops' eager loading: one query per prefetch (8).
    for size in (1, 4):
        with django_assert_num_queries(10):
            assert len(api.get(URL, {"page_size": size}).json()["results"]) == size
    # More workshops and participants: the same number.
    source = SourceDocument.objects.first()
    for n in range(3):
        workshop = Workshop.objects.create(
            slug=f"atelier-{n}",
            kind="meeting",
            title=f"Atelier {n}",
            short_title=f"A{n}",
            date_precision="unknown",
            source=source,
        )
        for position in range(5):
            Participant.objects.create(workshop=workshop, position=position, status="present")
    warm_memory()
    with django_assert_num_queries(10):
        assert len(api.get(URL, {"page_size": 7}).json()["results"]) == 7
    with django_assert_num_queries(9):
        assert api.get(f"{URL}{CUF}/").status_code == 200
    with django_assert_num_queries(9):
        assert len(json.loads(api.get(f"{URL}export/").getvalue())) == 7


def test_bad_page_and_unknown_slug_are_clean_errors(api):
    for params, name in (({"page": "zero"}, "page"), ({"page_size": "0"}, "page_size")):
        response = api.get(URL, params)
        assert response.status_code == 400 and list(response.json()) == [name]
    assert api.get(URL, {"page": 99}).status_code == 404
    response = api.get(f"{URL}atelier-inconnu/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert api.get(f"{URL}atelier-inconnu/", {"format": "csv"}).status_code == 404


def test_exports_and_csv(api):
    response = api.get(f"{URL}export/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="workshop.csv"'
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("slug,kind,title")
    assert any(line.startswith(CUF) for line in lines)


def test_workshops_are_read_only_even_for_staff(api):
    api.force_authenticate(User.objects.create_superuser("admin", password="x"))
    assert api.post(URL, {"slug": "x"}).status_code == 405
    assert api.delete(f"{URL}{CUF}/").status_code == 405
    assert Workshop.objects.filter(slug=CUF).exists()


def test_the_schema_describes_the_endpoint(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert {f"{URL}", f"{URL}{{slug}}/", f"{URL}export/"} <= set(schema["paths"])
    participant = schema["components"]["schemas"]["Participant"]
    # Absent for anonymous callers: never required.
    assert "last_name" in participant["properties"]
    assert "last_name" not in participant.get("required", [])
    assert "contact" not in schema["components"]["schemas"]["Answer"].get("required", [])
