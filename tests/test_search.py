"""The one search, on the seeded répertoire: accents, case, word forms, ranking (both backends)."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from partnerships import privacy
from partnerships.models import Action, Partnership, SearchDocument
from partnerships.search import fold, highlights, index_partnerships, search_partnerships

from .factories import ActionFactory, ContactFactory, PartnershipFactory
from .test_editing import create_groups, edit_url, form_data

pytestmark = pytest.mark.django_db


def search(text):
    return list(
        search_partnerships(Partnership.objects.all(), text)
        .order_by("-search_rank", "title")
        .values_list("slug", flat=True)
    )


def test_fold():
    assert fold("Ségou") == "segou"
    assert fold("YÉLIMANÉ") == "yelimane"
    assert fold("Cœur") == "coeur"


def test_segou_without_accent_finds_segou():
    found = search("segou")
    assert "angouleme-segou" in found
    assert "alencon-koutiala" not in found
    assert search("SÉGOU")[:1] == found[:1]


def test_yelimane_finds_yelimane():
    found = search("yelimane")
    assert {"paris-cercle-de-yelimane", "montreuil-2-cercle-de-yelimane-paddy"} <= set(found)
    assert "alencon-koutiala" not in found


def test_koutiala_finds_koutiala_first():
    found = search("koutiala")
    assert found[0] == "alencon-koutiala"
    assert "angers-bamako" not in found


def test_a_word_of_the_actions_finds_the_fiche():
    found = search("puits")
    assert "bures-sur-yvette-korera-kore" in found
    assert "aix-en-provence-bamako-commune-v" not in found


def test_plural_finds_the_singular():
    # Its actions speak of "école" (singular) only.
    assert "aimf-sikasso-commune" in search("écoles")
    assert "aimf-sikasso-commune" in search("ecoles")


def test_exact_names_rank_first():
    found = search("mopti")
    exact = set(
        Partnership.objects.filter(members__collectivity__name="Mopti").values_list(
            "slug", flat=True
        )
    )
    assert exact
    assert set(found[: len(exact)]) == exact
    assert len(found) > len(exact)  # the region of Mopti, texts that mention it


def test_no_match_and_empty_query():
    assert search("zzqxw") == []
    assert len(search("  ")) == Partnership.objects.count()


def test_several_words_all_count():
    assert "alencon-koutiala" in search("Alençon Koutiala")
    assert "alencon-koutiala" not in search("Alençon Kidal")


def test_new_rows_are_found():
    partnership = PartnershipFactory(title="Trifouillis / Tombouctou")
    ActionFactory(partnership=partnership, description="Électrification solaire du marché")
    assert partnership.slug in search("electrification")
    assert partnership.slug in search("trifouillis")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity: PostgreSQL")
def test_misspelt_names_on_postgresql():
    assert "alencon-koutiala" in search("Koutialla")
    assert "paris-cercle-de-yelimane" in search("Yelimani")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_rank: PostgreSQL")
def test_a_word_found_everywhere_ranks_by_names_then_title(monkeypatch):
    """Above RANKED_MAX matches no document is ranked by ts_rank: the same matches, those whose
    partners' names hold the word first, then by title."""
    ranked = search("mopti")
    monkeypatch.setattr("partnerships.search.RANKED_MAX", 3)
    found = search("mopti")
    assert len(ranked) > 3 and sorted(found) == sorted(ranked)
    # A partner named exactly so (2), names holding the word (1), then the others; by title.
    documents = SearchDocument.objects.select_related("partnership")

    def expected_key(document):
        bonus = 2 * ("|mopti|" in document.name_keys) + ("mopti" in document.folded_names)
        return (-bonus, document.partnership.title)

    order = sorted(documents.filter(partnership__slug__in=found), key=expected_key)
    assert found == [d.partnership.slug for d in order]
    assert expected_key(order[0])[0] == -3 and expected_key(order[-1])[0] > -3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NameTiers: PostgreSQL")
@pytest.mark.parametrize("words", ["mopti", "kayes", "commune", "ecole", "eau potable", "eau"])
def test_pages_read_tier_by_tier_are_the_ranked_order(monkeypatch, words):
    """search.NameTiers reads a page of a search ranked by names without sorting every match:
    every slice of it, at every offset and across its tiers' edges, must be the same rows as
    the ranked order read whole (and the HTML list and the API page the same)."""
    from partnerships.filters import PartnershipFilter
    from partnerships.search import NameTiers

    monkeypatch.setattr("partnerships.search.RANKED_MAX", 3)
    filterset = PartnershipFilter({"search": words}, queryset=Partnership.objects.all())
    ordered = filterset.qs
    expected = list(ordered.values_list("slug", flat=True))
    pages = filterset.pages_of(ordered)
    if len(fold(words)) < 3:  # no trigram to find names by: the plain order
        assert pages is ordered
        return
    assert isinstance(pages, NameTiers) and len(expected) > 3
    for size in (1, 2, 5, 20):
        for start in range(0, len(expected) + 2):
            got = [p.slug for p in pages[start : start + size]]
            assert got == expected[start : start + size], (size, start)
    # The deep pages' other way round gives the same rows.
    monkeypatch.setattr(NameTiers, "DEEP", 2)
    assert [p.slug for p in pages[1:9]] == expected[1:9]
    assert [p.slug for p in pages[2:9]] == expected[2:9]

    client = APIClient()
    api = client.get("/api/v1/partnerships/", {"search": words, "page_size": 4, "page": 2})
    assert [d["slug"] for d in api.json()["results"]] == expected[4:8]
    html = client.get(reverse("partnership_list"), {"search": words}).content.decode()
    positions = [html.find(f'/partenariats/{slug}/"') for slug in expected[:20]]
    assert -1 not in positions and positions == sorted(positions)


# --- the stored search document ---------------------------------------------------------------


def document(partnership):
    return SearchDocument.objects.get(pk=partnership.pk)


def test_every_seeded_partnership_has_its_document():
    assert SearchDocument.objects.count() == Partnership.objects.count()
    angers = document(Partnership.objects.get(slug="angers-bamako"))
    assert "Bamako" in angers.names and angers.name_keys.startswith("|")


@pytest.fixture
def editor_client(client):
    create_groups()
    user = User.objects.create_user("editrice", password="x")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return client


def test_the_document_follows_a_staff_form_edit(editor_client, django_capture_on_commit_callbacks):
    fiche = Partnership.objects.get(slug="angers-bamako")
    data = form_data(editor_client.get(edit_url()))
    data["presentation"] = "Pisciculture villageoise au bord du fleuve."
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(edit_url(), data)
    assert response.status_code == 302
    # Written when the edit committed, before any search.
    assert "Pisciculture" in document(fiche).texts
    assert fiche.slug in search("piscicultures")
    data = form_data(editor_client.get(edit_url()))
    data["presentation"] = "Autre chose."
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(edit_url(), data)
    assert "Pisciculture" not in document(fiche).texts
    assert fiche.slug not in search("pisciculture")


@pytest.fixture
def staff_api():
    user = User.objects.create_user("redactrice", password="x", is_staff=True)
    for codename in ("change_partnership", "add_action", "change_action", "delete_action"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_document_follows_api_writes(staff_api, django_capture_on_commit_callbacks):
    fiche = PartnershipFactory(title="Trifouillis / Tombouctou")
    url = reverse("partnership-detail", args=[fiche.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.patch(
            url,
            {"perspectives": "Apiculture et miel."},
            format="json",
            headers={"If-Match": staff_api.get(url)["ETag"]},
        )
    assert response.status_code == 200, response.content
    assert "Apiculture" in document(fiche).texts

    # An action written through the API: created, changed, deleted.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            reverse("action-list"),
            {"partnership": fiche.slug, "domain": "sante", "description": "Vaccination"},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert "Vaccination" in document(fiche).actions
    action_url = reverse("action-detail", args=[response.json()["id"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.patch(
            action_url,
            {"description": "Maraîchage"},
            format="json",
            headers={"If-Match": staff_api.get(action_url)["ETag"]},
        )
    assert response.status_code == 200, response.content
    assert "Vaccination" not in document(fiche).actions
    assert fiche.slug in search("maraichage")
    with django_capture_on_commit_callbacks(execute=True):
        staff_api.delete(action_url, headers={"If-Match": staff_api.get(action_url)["ETag"]})
    assert not Action.objects.filter(partnership=fiche).exists()
    assert "Maraîchage" not in document(fiche).actions


def test_a_renamed_partner_and_a_deleted_fiche(django_capture_on_commit_callbacks):
    fiche = Partnership.objects.get(slug="alencon-koutiala")
    koutiala = fiche.members.get(side="ML").collectivity
    with django_capture_on_commit_callbacks(execute=True):
        koutiala.name = "Koutiala-Ville"
        koutiala.save()
    assert "|koutiala ville|" in document(fiche).name_keys
    with django_capture_on_commit_callbacks(execute=True):
        fiche.delete()
    assert not SearchDocument.objects.filter(pk=fiche.pk).exists()
    assert search("alencon") == []


def test_rebuild_command_writes_every_document():
    SearchDocument.objects.filter(partnership__slug="alencon-koutiala").delete()
    assert SearchDocument.objects.count() == Partnership.objects.count() - 1
    call_command("rebuild_search", verbosity=0)
    assert SearchDocument.objects.count() == Partnership.objects.count()
    assert search("koutiala")[0] == "alencon-koutiala"


def test_accents_case_and_plurals_are_ignored():
    fiche = PartnershipFactory(title="Trifouillis / Tombouctou")
    ActionFactory(partnership=fiche, description="Éducation des filles")
    other = PartnershipFactory(title="Ailleurs / Autre")
    ActionFactory(partnership=other, description="Adduction d'eau")
    for query in ("education", "ÉDUCATION", "Educations", "éducation filles"):
        assert fiche.slug in search(query), query
        assert other.slug not in search(query), query


def test_query_syntax_is_only_words():
    # FTS5 and tsquery operators typed by a visitor are words or nothing, never an error.
    for query in ('"koutiala', "koutiala NEAR(", "a* OR NOT -b", "name:koutiala", "日本", "!!!"):
        search(query)
    assert "alencon-koutiala" in search('"Koutiala*')


# --- personal data ----------------------------------------------------------------------------


def test_an_anonymous_search_never_finds_a_contact_by_name(client):
    fiche = PartnershipFactory(
        title="Trifouillis / Tombouctou",
        presentation="Le projet est suivi par Mme Ernestine KERBRAT-ZOLA, adjointe.",
    )
    ContactFactory(partnership=fiche, name="Ernestine KERBRAT-ZOLA", phone="01 23 45 67 89")
    found = search("Kerbrat")
    assert fiche.slug not in found and search("Ernestine") == []
    assert "Kerbrat" not in document(fiche).texts and "01 23" not in document(fiche).texts
    page = client.get(reverse("partnership_list"), {"search": "Kerbrat Zola"}).content.decode()
    assert fiche.slug not in page
    api = client.get(reverse("partnership-list"), {"search": "Ernestine"}).json()
    assert api["count"] == 0


def test_a_new_contact_is_masked_in_the_documents_that_name_it(
    django_capture_on_commit_callbacks,
):
    other = PartnershipFactory(presentation="Rencontre avec M. Aristide PLOUMANAC'H en 2004.")
    index_partnerships([other.pk])
    assert other.slug in search("ploumanac")
    with django_capture_on_commit_callbacks(execute=True):
        ContactFactory(name="Aristide PLOUMANAC'H")
    assert "PLOUMANAC" not in document(other).texts
    assert search("ploumanac") == []


# --- highlighting -----------------------------------------------------------------------------


def test_the_passage_marks_the_words_and_escapes_the_text():
    payload = '<script>alert("x")</script> Forage <img src=x onerror=alert(1)> du forage'
    fiche = PartnershipFactory(title="Trifouillis / Tombouctou", presentation=payload)
    plain = PartnershipFactory(title="Ailleurs / Autre", presentation="Rien à voir.")
    passages = highlights([fiche, plain], "forages", privacy.current_masker())
    html = passages[fiche.pk]
    assert plain.pk not in passages
    assert "<script" not in html and "<img" not in html
    # PostgreSQL's ts_headline drops the tags it recognises (<script>); the rest is escaped.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<mark>") == 2 and "<mark>Forage</mark>" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_the_list_shows_the_passage_under_each_result(client):
    fiche = PartnershipFactory(
        title="Trifouillis / Tombouctou",
        perspectives="Un <b>marché</b> couvert pour les maraîchères.",
    )
    page = client.get(reverse("partnership_list"), {"search": "maraicheres"}).content.decode()
    assert fiche.slug in page
    assert '<p class="search-passage">' in page
    assert "<mark>maraîchères</mark>" in page and "<b>marché" not in page
    unsearched = client.get(reverse("partnership_list")).content.decode()
    assert "search-passage" not in unsearched
