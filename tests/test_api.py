"""The JSON API on the seeded répertoire: documents, filters, pages, CSV, personal data, writes."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from partnerships.models import Action, Collectivity, Partnership, PartnershipMember

from .factories import ActionFactory, CollectivityFactory, ContactFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Anonymous throttling counts in the cache: every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def staff_user(*perms, is_staff=True):
    user = User.objects.create_user("editrice", password="x", is_staff=is_staff)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def staff(api):
    user = staff_user(
        *[f"{verb}_{model}" for verb in ("add", "change", "delete") for model in MODELS]
    )
    token = Token.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api.user = user
    return api


MODELS = ("partnership", "collectivity", "action")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(api, resource, **params):
    params.setdefault("page_size", 200)
    return {row["slug"] for row in results(api.get(f"{API}{resource}/", params))}


# The document ------------------------------------------------------------------------------


def test_one_partnership_is_the_literal_document(api):
    ids = dict(Collectivity.objects.values_list("slug", "pk"))
    expected = {
        "id": Partnership.objects.get(slug="acheres-district-de-bamako").pk,
        "slug": "acheres-district-de-bamako",
        "title": "Achères / District de Bamako",
        "status": "listed",
        # its one event is its mention in the 2008 répertoire: no news for more than six years
        "state": "dormant",
        "updated_on": None,
        "source": {
            "document": "Répertoire des partenariats de coopération décentralisée "
            "franco-maliens (2008)",
            "line": 12606,
            "page": None,
        },
        "french_partners": [
            {
                "id": ids["acheres"],
                "slug": "acheres",
                "name": "Achères",
                "name_as_printed": "Achères",
                "kind": "commune",
                "country": "FR",
                "population": None,
                "location_as_printed": None,
                "department": "Yvelines",
                "region": "Île-de-France",
                # what the list printed on this pair, beside the collectivity's record
                "on_this_fiche": {
                    "name_as_printed": "Achères",
                    "population_as_printed": None,
                    "population": None,
                    "population_of_group": False,
                    "location_as_printed": None,
                },
            }
        ],
        "malian_partners": [
            {
                "id": ids["district-de-bamako"],
                "slug": "district-de-bamako",
                "name": "District de Bamako",
                "name_as_printed": "BAMAKO",
                "kind": "district",
                "country": "ML",
                "population": 1400000,
                "location_as_printed": "Bamako",
                "department": None,
                "region": "District de Bamako",
                # the record keeps its first printing ("BAMAKO", Grand Lyon's fiche); the
                # "non renseignés" list prints "Bamako" for this pair
                "on_this_fiche": {
                    "name_as_printed": "Bamako",
                    "population_as_printed": None,
                    "population": None,
                    "population_of_group": False,
                    "location_as_printed": None,
                },
            }
        ],
        "contacts_start": None,
        "contacts_start_year": None,
        "formalisation": None,
        "formalisation_year": None,
        "formalisation_kind": None,
        "budget_cd_per_year": None,
        "budget_ri_per_year": None,
        "budgets": [],
        "technical_partners": None,
        "financial_partners": None,
        "motivations_french": None,
        "motivations_malian": None,
        "presentation": None,
        "actions": [],
        "actions_as_printed": None,
        "actions_alignment_uncertain": False,
        "perspectives": None,
        "documents": None,
        "domains": [],
        "events": [
            {
                "kind": "news",
                "date": "2008-01-01",
                "precision": "year",
                "description": "Partenariat cité dans le répertoire de 2008",
                "source": "cuf-repertoire-2008",
                "source_line": 12606,
                "provenance": "Répertoire CUF 2008",
            }
        ],
    }
    response = api.get(f"{API}partnerships/acheres-district-de-bamako/")
    assert response.status_code == 200
    assert response.json() == expected
    assert api.get(f"{API}partnerships/nulle-part/").status_code == 404


def test_a_documented_partnership_has_its_actions_budgets_and_domains(api):
    document = api.get(f"{API}partnerships/alencon-koutiala/").json()
    assert document["malian_partners"][0]["region"] == "Sikasso"
    assert document["actions"] and document["domains"]
    assert all("amount_eur" in action for action in document["actions"])


# Personal data -----------------------------------------------------------------------------


def test_anonymous_callers_get_no_contacts_and_no_coordinates(api):
    partnership = Partnership.objects.filter(contacts__email__contains="@").first()
    document = api.get(f"{API}partnerships/{partnership.slug}/").json()
    assert "contacts" not in document
    text = str(document)
    for contact in partnership.contacts.all():
        if contact.email:
            assert contact.email not in text
    everything = api.get(f"{API}export/").getvalue().decode()
    assert '"contacts"' not in everything
    emails = partnership.contacts.exclude(email="").values_list("email", flat=True)
    assert not any(email in everything for email in emails)


def test_signed_in_callers_get_the_contacts(api):
    partnership = Partnership.objects.filter(contacts__email__contains="@").first()
    api.force_authenticate(User.objects.create_user("lectrice"))
    document = api.get(f"{API}partnerships/{partnership.slug}/").json()
    emails = {c["email"] for c in document["contacts"]}
    assert emails == set(partnership.contacts.values_list("email", flat=True)) - {""} | (
        {None} if partnership.contacts.filter(email="").exists() else set()
    )


def test_readers_alternating_never_share_fields(api):
    """Serializer fields are built once per class and copied for each answer
    (api/serializers.py): a signed-in reader's contacts must not stay in the next anonymous
    answer, nor an anonymous answer's removal in the next signed-in one, whatever the order."""
    partnership = Partnership.objects.filter(contacts__email__contains="@").first()
    url = f"{API}partnerships/{partnership.slug}/"
    emails = set(partnership.contacts.exclude(email="").values_list("email", flat=True))
    reader = User.objects.create_user("lectrice")
    signed_in = APIClient()
    signed_in.force_authenticate(reader)
    for client in (signed_in, api, api, signed_in, signed_in, api):
        text = client.get(url).content.decode()
        document = json.loads(text)
        if client is signed_in:
            assert {c["email"] for c in document["contacts"]} >= emails
        else:
            assert "contacts" not in document
            assert not any(email in text for email in emails)
        # Empty texts are null in every answer (EmptyAsNullMixin alters the copied fields).
        assert "" not in document["french_partners"][0]["on_this_fiche"].values()


# Filters: one matching and one non-matching case each ---------------------------------------


def with_partner(**lookups):
    return set(
        PartnershipMember.objects.filter(
            **{f"collectivity__{k}": v for k, v in lookups.items()}
        ).values_list("partnership__slug", flat=True)
    )


@pytest.mark.parametrize(
    ("params", "inside", "outside"),
    [
        ({"region": "kayes"}, "paris-cercle-de-yelimane", "alencon-koutiala"),
        ({"region": ["kidal", "koutiala"]}, "alencon-koutiala", "paris-cercle-de-yelimane"),
        (
            {"division": "2008", "region": ["kidal", "sikasso"]},
            "alencon-koutiala",
            "paris-cercle-de-yelimane",
        ),
        (
            {"domain": "eau-assainissement"},
            "bures-sur-yvette-korera-kore",
            "aix-en-provence-bamako-commune-v",
        ),
        ({"department": "13"}, "aix-en-provence-bamako-commune-v", "paris-cercle-de-yelimane"),
        (
            {"french_region": "Provence-Alpes-Côte d'Azur"},
            "aix-en-provence-bamako-commune-v",
            "alencon-koutiala",
        ),
        ({"kind": "district"}, "acheres-district-de-bamako", "alencon-koutiala"),
        ({"status": "listed"}, "acheres-district-de-bamako", "alencon-koutiala"),
        ({"collectivity": "acheres"}, "acheres-district-de-bamako", "alencon-koutiala"),
        ({"search": "koutiala"}, "alencon-koutiala", "acheres-district-de-bamako"),
    ],
)
def test_partnership_filters(api, params, inside, outside):
    found = slugs(api, "partnerships", **params)
    assert inside in found
    assert outside not in found


def test_region_filter_is_the_list_pages_filter(api):
    assert slugs(api, "partnerships", division="2008", region="kayes") == with_partner(
        malian_region__slug="kayes"
    )


def test_contacts_start_year_range(api):
    alencon = Partnership.objects.get(slug="alencon-koutiala").contacts_start_year
    assert alencon
    assert "alencon-koutiala" in slugs(
        api, "partnerships", contacts_start_year_min=alencon, contacts_start_year_max=alencon
    )
    assert "alencon-koutiala" not in slugs(api, "partnerships", contacts_start_year_min=alencon + 1)
    assert "alencon-koutiala" not in slugs(api, "partnerships", contacts_start_year_max=alencon - 1)


def test_ordering_and_search_rank(api):
    rows = results(api.get(f"{API}partnerships/", {"ordering": "-year", "status": "documented"}))
    years = [row["contacts_start_year"] for row in rows if row["contacts_start_year"]]
    assert years == sorted(years, reverse=True)
    first = results(api.get(f"{API}partnerships/", {"search": "koutiala"}))[0]
    assert first["slug"] == "alencon-koutiala"


def action_ids(api, **params):
    params.setdefault("page_size", 200)
    return {row["id"] for row in results(api.get(f"{API}actions/", params))}


def test_action_filters(api):
    water = Action.objects.filter(domain__slug="eau-assainissement")
    assert action_ids(api, domain="eau-assainissement", page_size=200) == set(
        water.values_list("pk", flat=True)
    )
    assert not action_ids(api, domain="eau-assainissement") & set(
        Action.objects.exclude(domain__slug="eau-assainissement").values_list("pk", flat=True)
    )
    in_kayes = action_ids(api, division="2008", region="kayes")
    kayes_partnerships = with_partner(malian_region__slug="kayes")
    assert in_kayes == set(
        Action.objects.filter(partnership__slug__in=kayes_partnerships).values_list("pk", flat=True)
    )
    koutiala = Action.objects.filter(partnership__slug="alencon-koutiala").first()
    assert koutiala.pk not in in_kayes
    # today's division by default: Koutiala is a region of its own since 2023
    assert koutiala.pk in action_ids(api, region="koutiala")
    assert koutiala.pk not in action_ids(api, region="sikasso")


def test_action_years_meet_the_range(api):
    action = Action.objects.filter(start_year__isnull=False, end_year__isnull=False).first()
    inside = action_ids(api, year_min=action.end_year, year_max=action.start_year)
    assert action.pk in inside
    assert action.pk not in action_ids(api, year_min=action.end_year + 1)
    assert action.pk not in action_ids(api, year_max=action.start_year - 1)


def test_collectivity_filters(api):
    malian = slugs(api, "collectivities", country="ML")
    assert "district-de-bamako" in malian and "acheres" not in malian
    kayes = slugs(api, "collectivities", division="2008", region="kayes")
    assert kayes == set(
        Collectivity.objects.filter(malian_region__slug="kayes").values_list("slug", flat=True)
    )
    assert "district-de-bamako" not in kayes
    # today's division by default: Diéma (Kayes in 2008) is in Nioro du Sahel
    assert "diema" in kayes
    assert "diema" in slugs(api, "collectivities", region="nioro-du-sahel")
    assert "diema" not in slugs(api, "collectivities", region="kayes")
    assert "acheres" in slugs(api, "collectivities", kind="commune", country="FR")


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "name", "accepted"),
    [
        ("partnerships", {"region": "atlantide"}, "region", "kayes"),
        ("partnerships", {"domain": "x"}, "domain", "eau-assainissement"),
        ("partnerships", {"status": "lost"}, "status", "documented"),
        ("partnerships", {"kind": "empire"}, "kind", "commune"),
        ("partnerships", {"department": "999"}, "department", "13"),
        ("partnerships", {"french_region": "Gondor"}, "french_region", "Bretagne"),
        ("partnerships", {"contacts_start_year_min": "19x8"}, "contacts_start_year_min", "1900"),
        ("partnerships", {"contacts_start_year_max": "3000"}, "contacts_start_year_max", "2100"),
        ("partnerships", {"collectivity": "nowhere"}, "collectivity", "acheres"),
        ("partnerships", {"ordering": "price"}, "ordering", "-year"),
        ("partnerships", {"page": "deux"}, "page", "1"),
        ("partnerships", {"page_size": "500"}, "page_size", "200"),
        ("partnerships", {"search": "a\x00b"}, "search", None),
        ("actions", {"year_min": "soon"}, "year_min", "1900"),
        ("actions", {"domain": "x"}, "domain", "sante"),
        ("collectivities", {"country": "XX"}, "country", "ML"),
    ],
)
def test_malformed_parameters_are_400_naming_them_and_the_accepted_values(
    api, url, params, name, accepted
):
    for fmt in ("json", "csv"):
        response = api.get(f"{API}{url}/", {**params, "format": fmt})
        assert response.status_code == 400
        # Errors are JSON even when CSV was asked for.
        assert response["Content-Type"].startswith("application/json")
        errors = response.json()
        assert list(errors) == [name]
        if accepted:
            assert accepted in errors[name][-1]


def test_a_page_past_the_last_is_404(api):
    assert api.get(f"{API}partnerships/", {"page": 999}).status_code == 404


# Pages -------------------------------------------------------------------------------------


def test_page_size_is_chosen_by_the_caller_and_the_order_is_stable(api):
    first = api.get(f"{API}partnerships/", {"page_size": 7}).json()
    assert len(first["results"]) == 7
    assert first["count"] == Partnership.objects.count()
    second = api.get(first["next"]).json()
    seen = [row["slug"] for row in first["results"] + second["results"]]
    assert (
        seen
        == list(Partnership.objects.order_by("title", "slug").values_list("slug", flat=True))[:14]
    )
    assert len(api.get(f"{API}partnerships/").json()["results"]) == 20


# Queries of each list, whatever the page size: count and page, then one per prefetch. For
# partnerships: partners, budgets, actions and their budgets, domains, events (+ contacts when
# signed in); reading the divisions and validating `region` are one each, and the keys of the
# region's collectivities one more; the search is joined to the page (its index); the count is
# of the selection without the search's ranking, which reads those keys once more.
LIST_QUERIES = {
    "partnerships/": 9,
    # on PostgreSQL one more: the keys of the search's matches, whose number tells whether
    # there are too many to rank them all (search.RANKED_MAX)
    "partnerships/?region=kayes&search=eau": 12 + (connection.vendor == "postgresql"),
    # actions and collectivities read the divisions too (their `region` is read in one)
    "collectivities/?region=kayes": 5,
    "regions/": 2,
    "domains/": 3,
    "actions/?domain=sante&year_min=2000": 5,
}


@pytest.mark.parametrize("url", LIST_QUERIES)
@pytest.mark.parametrize("signed_in", [False, True])
def test_list_queries_do_not_grow_with_the_page_size(
    api, django_assert_num_queries, warm_memory, url, signed_in
):
    if signed_in:
        api.force_authenticate(User.objects.create_user("lectrice"))
    expected = LIST_QUERIES[url] + (signed_in and url.startswith("partnerships/"))
    separator = "&" if "?" in url else "?"
    for size in (2, 40):
        with django_assert_num_queries(expected):
            response = api.get(f"{API}{url}{separator}page_size={size}")
        assert len(response.json()["results"]) == min(size, response.json()["count"])


def test_bulk_exports_are_unpaginated_files(api):
    response = api.get(f"{API}partnerships/export/", {"status": "listed"})
    assert response["Content-Disposition"] == 'attachment; filename="partnership.json"'
    assert (
        len(json.loads(response.getvalue())) == Partnership.objects.filter(status="listed").count()
    )
    everything = api.get(f"{API}export/")
    assert everything["Content-Disposition"] == 'attachment; filename="repertoire.json"'
    data = json.loads(everything.getvalue())
    assert {key: len(rows) for key, rows in data.items()} == {
        "partnerships": Partnership.objects.count(),
        "collectivities": Collectivity.objects.count(),
        "regions": 9,
        "domains": 9,
        "actions": Action.objects.count(),
    }
    csv_file = api.get(f"{API}actions/export/", {"format": "csv", "region": "kayes"})
    assert csv_file["Content-Disposition"] == 'attachment; filename="action.csv"'


# CSV ---------------------------------------------------------------------------------------


def test_csv_of_a_filtered_list_has_the_rows_of_the_json_with_accents(api):
    params = {"region": "kayes", "page_size": 200}
    rows = results(api.get(f"{API}partnerships/", params))
    response = api.get(f"{API}partnerships/", {**params, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in table] == [row["slug"] for row in rows]
    assert any("é" in row["title"] or "è" in row["title"] for row in table)
    accept = api.get(f"{API}partnerships/", params, HTTP_ACCEPT="text/csv")
    assert accept.content == response.content


def test_csv_of_regions_has_the_counts(api):
    response = api.get(f"{API}regions/", {"format": "csv"})
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    json_rows = results(api.get(f"{API}regions/"))
    assert [r["slug"] for r in table] == [r["slug"] for r in json_rows]
    assert table[0]["partnership_count"] == str(json_rows[0]["partnership_count"])


# Writes ------------------------------------------------------------------------------------


def test_anonymous_callers_cannot_write(api):
    slug = "acheres-district-de-bamako"
    assert api.post(f"{API}partnerships/", {"title": "X"}, format="json").status_code == 401
    assert api.patch(f"{API}partnerships/{slug}/", {"title": "X"}).status_code == 401
    assert api.delete(f"{API}partnerships/{slug}/").status_code == 401
    assert api.delete(f"{API}collectivities/acheres/").status_code == 401
    assert Partnership.objects.get(slug=slug).title == "Achères / District de Bamako"


def test_signed_in_users_without_staff_status_or_permission_cannot_write(api):
    api.force_authenticate(staff_user("change_partnership", is_staff=False))
    slug = "acheres-district-de-bamako"
    assert api.patch(f"{API}partnerships/{slug}/", {"title": "X"}).status_code == 403
    api.force_authenticate(User.objects.create_user("stagiaire", is_staff=True))
    assert api.patch(f"{API}partnerships/{slug}/", {"title": "X"}).status_code == 403


def test_staff_create_change_and_delete_a_partnership_and_the_history_records_them(staff):
    response = staff.post(
        f"{API}partnerships/",
        {
            "title": "Évreux / Ségou",
            "status": "documented",
            "french_partners": ["acheres"],
            "malian_partners": ["district-de-bamako"],
            "domains": ["eau-assainissement"],
            "contacts_start_year": 1999,
            "presentation": None,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["slug"] == "evreux-segou"
    assert [p["slug"] for p in document["french_partners"]] == ["acheres"]
    assert document["domains"][0]["slug"] == "eau-assainissement"
    assert document["contacts"] == []
    partnership = Partnership.objects.get(slug="evreux-segou")
    assert partnership.presentation == ""
    created = partnership.history.get()
    assert created.history_type == "+" and created.history_user == staff.user

    response = staff.patch(
        f"{API}partnerships/evreux-segou/",
        {"title": "Évreux / Ségou (commune)", "malian_partners": []},
        format="json",
        headers={"If-Match": etag(staff, f"{API}partnerships/evreux-segou/")},
    )
    assert response.status_code == 200, response.content
    assert response.json()["malian_partners"] == []
    changed = partnership.history.latest()
    assert changed.history_type == "~" and changed.title == "Évreux / Ségou (commune)"
    assert changed.history_user == staff.user
    assert PartnershipMember.history.filter(history_type="-", history_user=staff.user).exists()

    url = f"{API}partnerships/evreux-segou/"
    assert staff.delete(url, headers={"If-Match": etag(staff, url)}).status_code == 204
    assert not Partnership.objects.filter(slug="evreux-segou").exists()
    assert Partnership.history.filter(slug="evreux-segou", history_type="-").get().history_user


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "documented"}, "title"),
        ({"title": "A / B", "status": "lost"}, "status"),
        ({"title": "A / B", "status": "listed", "french_partners": ["district-de-bamako"]}, None),
        (
            {"title": "A / B", "status": "listed", "contacts_start_year": 1492},
            "contacts_start_year",
        ),
        ({"title": "Achères / District de Bamako", "status": "listed"}, "slug"),
        ({"title": "A / B", "status": "listed", "domains": ["cuisine"]}, "domains"),
    ],
)
def test_invalid_writes_are_400_with_field_messages(staff, payload, field):
    response = staff.post(f"{API}partnerships/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    if field:
        assert field in errors
    else:
        assert "french_partners" in errors  # a Malian collectivity is not a French partner


def etag(client, url):
    """The version a writer read (If-Match sends it back)."""
    return client.get(url)["ETag"]


def test_staff_write_collectivities_and_actions(staff):
    response = staff.post(
        f"{API}collectivities/",
        {"slug": "segou-test", "name": "Ségou", "kind": "commune", "country": "ML"},
        format="json",
    )
    assert response.status_code == 201, response.content
    bad = staff.post(
        f"{API}collectivities/",
        {"slug": "x", "name": "X", "kind": "commune", "country": "FR", "cercle": "Ségou"},
        format="json",
    )
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    # A collectivity still partner of a partnership cannot go: 409, never a 500.
    for slug, expected in (("acheres", 409), ("segou-test", 204)):
        url = f"{API}collectivities/{slug}/"
        assert staff.delete(url, headers={"If-Match": etag(staff, url)}).status_code == expected

    partnership = PartnershipFactory()
    response = staff.post(
        f"{API}actions/",
        {"partnership": partnership.slug, "domain": "sante", "start_year": 2001, "end_year": 2003},
        format="json",
    )
    assert response.status_code == 201, response.content
    action = Action.objects.get(pk=response.json()["id"])
    assert action.position == 1 and action.history.get().history_user == staff.user
    url = f"{API}actions/{action.pk}/"
    version = {"If-Match": etag(staff, url)}
    assert version["If-Match"] == f'"{partnership.version + 1}"'  # the fiche's, bumped
    backwards = staff.patch(url, {"end_year": 1990}, format="json", headers=version)
    assert backwards.status_code == 400
    blind = staff.patch(url, {"end_year": 2004}, format="json")
    assert blind.status_code == 428, blind.content
    assert staff.delete(url, headers=version).status_code == 204


def test_session_authentication_needs_the_csrf_token():
    user = staff_user("change_partnership")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch(
        f"{API}partnerships/acheres-district-de-bamako/", {"title": "X"}, format="json"
    )
    assert response.status_code == 403


# Throttling and CORS -----------------------------------------------------------------------


def test_anonymous_callers_are_throttled_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get(f"{API}regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(f"{API}regions/")
    assert int(response["Retry-After"]) > 0
    api.force_authenticate(User.objects.create_user("lectrice"))
    assert api.get(f"{API}regions/").status_code == 200


def test_reads_are_open_to_other_sites_javascript_but_writes_are_not(api):
    response = api.get(f"{API}regions/", HTTP_ORIGIN="https://reseau.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        f"{API}partnerships/",
        HTTP_ORIGIN="https://reseau.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = api.get(reverse("partnership_list"), HTTP_ORIGIN="https://reseau.example.org")
    assert not page.has_header("Access-Control-Allow-Origin")


# Schema and docs ---------------------------------------------------------------------------


def test_the_schema_validates_with_no_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_every_parameter_and_field_is_described_in_the_callers_language(api):
    schema = api.get(f"{API}schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for resource in ("partnerships", "collectivities", "regions", "domains", "actions"):
        assert f"/api/v1/{resource}/" in paths and f"/api/v1/{resource}/export/" in paths
    names = {p["name"] for p in paths["/api/v1/partnerships/"]["get"]["parameters"]}
    assert {
        "region",
        "domain",
        "department",
        "french_region",
        "kind",
        "status",
        "contacts_start_year_min",
        "contacts_start_year_max",
        "collectivity",
        "search",
        "ordering",
        "page",
        "page_size",
        "format",
    } <= names
    assert {"domain", "region", "year_min", "year_max"} <= {
        p["name"] for p in paths["/api/v1/actions/"]["get"]["parameters"]
    }
    french = descriptions(schema)
    english = descriptions(
        api.get(f"{API}schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    )
    # Every parameter and property is described, in the caller's language: the same places,
    # and in English a translation of the French (a few words are spelt alike in both).
    assert french.keys() == english.keys()
    assert all(text.strip() for text in french.values()), [k for k, v in french.items() if not v]
    same = {key for key in french if french[key] == english[key]}
    alike = {
        *("Population", "Fax", "Latitude (WGS 84)", "Longitude (WGS 84)", "Date"),
        *("Description", "Cercle (Mali)", "Organisation"),
    }
    assert {french[key] for key in same} <= alike, sorted({french[key] for key in same} - alike)


def descriptions(schema):
    """{where: description} of every parameter and property of an OpenAPI schema (the first
    paragraph: drf-spectacular appends the list of enum values after a blank line)."""
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                text = parameter.get("description", "").split("\n\n")[0]
                found[(path, method, parameter["name"])] = text
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            found[(name, field)] = prop.get("description", "").split("\n\n")[0]
    return found


def test_the_interactive_docs_work_offline(api):
    html = api.get(f"{API}docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html.split("<body>")[0]


def test_factories_rows_show_up(api):
    collectivity = CollectivityFactory(name="Commune à part")
    partnership = PartnershipFactory(title="Commune à part / Nulle part")
    PartnershipMember.objects.create(
        partnership=partnership, collectivity=collectivity, side="FR", position=1
    )
    ContactFactory(partnership=partnership, email="secret@example.org")
    ActionFactory(partnership=partnership)
    assert partnership.slug in slugs(api, "partnerships", collectivity=collectivity.slug)
    assert (
        "secret@example.org"
        not in api.get(f"{API}partnerships/{partnership.slug}/").content.decode()
    )


def test_errors_speak_the_callers_language(api):
    response = api.get(f"{API}partnerships/", {"status": "lost"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["status"][-1].startswith("Accepted values: documented")


def test_an_action_put_back_as_read_is_accepted(staff):
    """A PUT of an action that keeps its position is no duplicate of itself (it was a 400)."""
    action = Action.objects.filter(partnership__slug="alencon-koutiala").order_by("position")[1]
    url = f"{API}actions/{action.pk}/"
    read = staff.get(url)
    body = {k: v for k, v in read.json().items() if v is not None}
    body["description"] = "Description reprise"
    response = staff.put(url, body, format="json", headers={"If-Match": read["ETag"]})
    assert response.status_code == 200, response.content
    action.refresh_from_db()
    assert action.description == "Description reprise" and action.position == body["position"]
    # Taking the position of another row of the fiche is still refused.
    body["position"] = body["position"] - 1
    clash = staff.put(url, body, format="json", headers={"If-Match": response["ETag"]})
    assert clash.status_code == 400 and "position" in clash.json()
