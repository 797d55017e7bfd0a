"""Staff editing on the seeded répertoire: permissions, the one-page fiche form, history and
revert, optimistic locking, the review queue and the verification campaign."""

import datetime
import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import (
    Action,
    Collectivity,
    Contact,
    Domain,
    Partnership,
    PartnershipMember,
    ReviewItem,
)
from partnerships.staff.history import word_diff
from tests.factories import ActionFactory, ContactFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

# A documented fiche with partners on both sides, actions, budgets and contacts.
SLUG = "angers-bamako"
PASSWORD = "un-mot-de-passe-de-test"


def create_groups():
    """The groups of migration 0006 (a live_server test before this one flushed them)."""
    migration = importlib.import_module("partnerships.migrations.0006_editor_groups")
    migration.create_groups(django_apps, None)


@pytest.fixture(autouse=True)
def editor_groups():
    create_groups()


@pytest.fixture
def fiche():
    partnership = Partnership.objects.get(slug=SLUG)
    assert partnership.contacts.count() >= 2 and partnership.actions.count() >= 2
    return partnership


def edit_url(slug=SLUG):
    return reverse("staff_partnership_edit", args=[slug])


def form_data(response):
    """The POST data a browser would send back unchanged from the edit page."""
    data = {}
    forms = [response.context["form"]]
    formsets = response.context["formsets"] if "formsets" in response.context else {}
    for formset in formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += list(formset)
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[bound.html_name] = value
    return data


def rows(data, prefix):
    return int(data[f"{prefix}-TOTAL_FORMS"])


# --- permissions --------------------------------------------------------------------------------

STAFF_PAGES = [
    ("staff_home", []),
    ("staff_partnership_create", []),
    ("staff_partnership_edit", [SLUG]),
    ("staff_partnership_history", [SLUG]),
    ("staff_collectivity_edit", ["angers"]),
    ("staff_collectivity_search", []),
    ("staff_review_queue", []),
    ("staff_unverified", []),
]


@pytest.mark.parametrize("name,args", STAFF_PAGES)
def test_staff_pages_are_forbidden_to_anonymous_users(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 403
    assert reverse("login") in response.content.decode()


@pytest.mark.parametrize("name,args", STAFF_PAGES)
def test_staff_pages_are_forbidden_without_the_group(client, django_user_model, name, args):
    client.force_login(django_user_model.objects.create_user("lecteur", password=PASSWORD))
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name,args", STAFF_PAGES)
def test_staff_pages_open_to_editors(editor_client, name, args):
    assert editor_client.get(reverse(name, args=args)).status_code == 200


def test_writes_are_forbidden_without_the_group(client, django_user_model, fiche):
    item = ReviewItem.objects.open().first()
    history_id = PartnershipFactory().history.first().history_id
    writes = [
        edit_url(),
        reverse("staff_partnership_create"),
        reverse("staff_collectivity_edit", args=["angers"]),
        reverse("staff_review_resolve", args=[item.pk]),
        reverse("staff_partnership_revert", args=[SLUG, history_id]),
    ]
    for user in (None, django_user_model.objects.create_user("lecteur", password=PASSWORD)):
        if user:
            client.force_login(user)
        for url in writes:
            assert client.post(url, {"title": "X", "resolution": "confirmed"}).status_code == 403
    fiche.refresh_from_db()
    assert fiche.title != "X"
    assert ReviewItem.objects.get(pk=item.pk).resolved_at is None


def test_groups_hold_the_permissions():
    editors = Group.objects.get(name="Éditeurs")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {
        "change_partnership",
        "delete_contact",
        "add_action",
        "change_collectivity",
    } <= codenames
    assert "change_user" not in codenames and "change_domain" not in codenames
    admins = set(
        Group.objects.get(name="Administrateurs").permissions.values_list("codename", flat=True)
    )
    assert {"change_user", "change_domain", "change_partnership"} <= admins


def test_staff_link_and_edit_link_only_for_editors(client, editor, fiche):
    detail = reverse("partnership_detail", args=[SLUG])
    assert "Modifier la fiche" not in client.get(detail).content.decode()
    client.force_login(editor)
    page = client.get(detail).content.decode()
    assert "Modifier la fiche" in page and reverse("staff_home") in page


def test_login_page_is_french_and_signs_in(client, editor):
    page = client.get(reverse("login")).content.decode()
    assert "Connexion" in page and "Mot de passe oublié" in page
    response = client.post(reverse("login"), {"username": "editrice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("staff_home")
    bad = client.post(reverse("login"), {"username": "editrice", "password": "faux"})
    assert "incorrect" in bad.content.decode()


def test_password_reset_sends_an_email(client, editor, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "editrice@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/compte/reset/" in mailoutbox[0].body
    client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert len(mailoutbox) == 1


# --- the fiche form -----------------------------------------------------------------------------


def test_edit_page_shows_every_part_of_the_fiche(editor_client, fiche):
    response = editor_client.get(edit_url())
    page = response.content.decode()
    for anchor in ('id="fiche"', 'id="partners"', 'id="actions"', 'id="budgets"', 'id="contacts"'):
        assert anchor in page
    formsets = response.context["formsets"]
    assert len(formsets["contacts"].forms) == fiche.contacts.count() + 1
    assert len(formsets["actions"].forms) == fiche.actions.count() + 1
    assert fiche.contacts.first().name in page


def test_edit_page_query_count_does_not_grow_with_rows(
    editor_client, fiche, django_assert_max_num_queries
):
    small = PartnershipFactory()
    ActionFactory(partnership=small, position=1)
    with django_assert_max_num_queries(30) as small_queries:
        editor_client.get(edit_url(small.slug))
    with django_assert_max_num_queries(30) as big_queries:
        editor_client.get(edit_url())
    # Same queries, whatever the number of partners, actions, budgets, contacts and events (the
    # budgets' choice of action is read once for every row).
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries) == 18


def test_unchanged_save_keeps_the_fiche(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    actions = list(fiche.actions.values_list("description", flat=True))
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    fiche.refresh_from_db()
    assert list(fiche.actions.values_list("description", flat=True)) == actions


def test_edit_changes_field_adds_action_removes_contact(editor_client, editor, fiche):
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Nouvelle convention en 2027."
    new = rows(data, "actions") - 1
    data[f"actions-{new}-description"] = "Forage d'un puits"
    data[f"actions-{new}-start_year"] = "2026"
    removed = fiche.contacts.order_by("position").first()
    data["contacts-0-DELETE"] = "on"
    count = fiche.actions.count()
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert fiche.perspectives == "Nouvelle convention en 2027."
    assert fiche.actions.count() == count + 1
    assert fiche.actions.order_by("position").last().description == "Forage d'un puits"
    assert not Contact.objects.filter(pk=removed.pk).exists()
    # Positions stay 1, 2, 3…
    assert list(fiche.contacts.values_list("position", flat=True)) == list(
        range(1, fiche.contacts.count() + 1)
    )
    public = editor_client.get(reverse("partnership_detail", args=[SLUG])).content.decode()
    assert "Forage d&#x27;un puits" in public or "Forage d'un puits" in public
    # Every kind of change is in the history, with its author.
    assert fiche.history.filter(history_user=editor).count() == 1
    assert Action.history.filter(partnership_id=fiche.pk, history_type="+").exists()
    assert Contact.history.get(id=removed.pk, history_type="-").history_user == editor


def test_reorder_actions(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    first, second = fiche.actions.order_by("position")[:2]
    data["actions-0-ORDER"], data["actions-1-ORDER"] = "2", "1"
    for index in range(2, rows(data, "actions")):
        if data.get(f"actions-{index}-id"):
            data[f"actions-{index}-ORDER"] = str(index + 1)
    assert editor_client.post(edit_url(), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_bad_input_gives_field_messages_and_saves_nothing(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Ne doit pas être enregistré"
    data["contacts-0-DELETE"] = "on"
    data["actions-0-start_year"] = "2005"
    data["actions-0-end_year"] = "2001"
    data["formalisation_year"] = "1492"
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "L&#x27;année de fin précède l&#x27;année de début." in page
    assert "Indiquez une année entre 1900 et 2100." in page
    fiche.refresh_from_db()
    assert fiche.perspectives != "Ne doit pas être enregistré"
    assert fiche.contacts.filter(position=1).exists()


def test_a_failing_save_rolls_back_everything(editor_client, fiche, monkeypatch):
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Ne doit pas être enregistré"
    data["contacts-0-DELETE"] = "on"
    contacts = fiche.contacts.count()

    def fail(*args, **kwargs):
        raise RuntimeError("panne au milieu de l'enregistrement")

    monkeypatch.setattr("partnerships.staff.views._save_rows", fail)
    with pytest.raises(RuntimeError):
        editor_client.post(edit_url(), data)
    fiche.refresh_from_db()
    assert fiche.perspectives != "Ne doit pas être enregistré"
    assert fiche.contacts.count() == contacts


def test_partner_chosen_or_created_inline(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    new = rows(data, "ml") - 1
    data[f"ml-{new}-new_name"] = "Commune de Test-Nouvelle"
    data[f"ml-{new}-new_kind"] = "commune"
    assert editor_client.post(edit_url(), data).status_code == 302
    created = Collectivity.objects.get(name="Commune de Test-Nouvelle")
    assert created.country == "ML"
    assert PartnershipMember.objects.filter(partnership=fiche, collectivity=created).exists()
    # Neither an existing collectivity nor a name: a clear message, nothing saved.
    data = form_data(editor_client.get(edit_url()))
    new = rows(data, "fr") - 1
    data[f"fr-{new}-new_kind"] = "commune"
    response = editor_client.post(edit_url(), data)
    assert "Choisissez une collectivité existante" in response.content.decode()


def test_create_a_fiche(editor_client):
    response = editor_client.get(reverse("staff_partnership_create"))
    data = form_data(response)
    data["title"] = "Ville-Test / Commune-Test"
    data["status"] = "documented"
    data["fr-0-collectivity"] = str(Collectivity.objects.get(slug="angers").pk)
    response = editor_client.post(reverse("staff_partnership_create"), data)
    assert response.status_code == 302
    created = Partnership.objects.get(title="Ville-Test / Commune-Test")
    assert created.slug == "ville-test-commune-test"
    assert [c.slug for c in created.french_partners] == ["angers"]


def test_create_needs_a_title(editor_client):
    data = form_data(editor_client.get(reverse("staff_partnership_create")))
    response = editor_client.post(reverse("staff_partnership_create"), data)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_collectivity_edit_and_clear_messages(editor_client):
    url = reverse("staff_collectivity_edit", args=["angers"])
    response = editor_client.get(url)
    data = {k: v for k, v in form_data(response).items()}
    data["population"] = "160000"
    assert editor_client.post(url, data).status_code == 302
    assert Collectivity.objects.get(slug="angers").population == 160000
    data = form_data(editor_client.get(url))
    data["cercle"] = "Kati"
    response = editor_client.post(url, data)
    assert "Réservé aux collectivités maliennes." in response.content.decode()


def test_collectivity_search(editor_client):
    url = reverse("staff_collectivity_search")
    found = editor_client.get(url, {"q": "bamak", "country": "ML"}).json()["results"]
    assert any(row["name"].startswith("Bamako") for row in found)
    assert editor_client.get(url, {"q": "bamak", "country": "FR"}).json()["results"] == []
    assert editor_client.get(url, {"country": "XX"}).status_code == 400


# --- optimistic locking -------------------------------------------------------------------------


def test_second_save_is_refused_and_shows_what_changed(client, editor_client, django_user_model):
    other = django_user_model.objects.create_user("autre", password=PASSWORD)
    other.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(other)
    first = form_data(editor_client.get(edit_url()))
    second = form_data(client.get(edit_url()))
    first["perspectives"] = "Version de l'éditrice"
    assert editor_client.post(edit_url(), first).status_code == 302
    second["perspectives"] = "Version de l'autre"
    response = client.post(edit_url(), second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in page
    assert "Version de l&#x27;éditrice" in page  # what changed meanwhile
    assert "Version de l&#x27;autre" in page  # the user's input is kept
    assert Partnership.objects.get(slug=SLUG).perspectives == "Version de l'éditrice"
    # Having seen the changes, a second save goes through.
    again = form_data(response)
    assert client.post(edit_url(), again).status_code == 302
    assert Partnership.objects.get(slug=SLUG).perspectives == "Version de l'autre"


def test_bad_version_is_a_400(editor_client):
    data = form_data(editor_client.get(edit_url()))
    data["version"] = "abc"
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 400 and "version" in response.content.decode()
    # Without its version a save could overwrite another's: refused, nothing written.
    del data["version"]
    data["title"] = "Sans version"
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 400 and "rechargez la page" in response.content.decode()
    assert Partnership.objects.get(slug=SLUG).title != "Sans version"


# --- history and revert -------------------------------------------------------------------------


def test_history_page_shows_a_readable_diff(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    old = fiche.perspectives
    data["perspectives"] = "Perspectives revues"
    data["contacts-0-DELETE"] = "on"
    editor_client.post(edit_url(), data)
    page = editor_client.get(reverse("staff_partnership_history", args=[SLUG])).content.decode()
    assert "Perspectives revues" in page and "editrice" in page
    assert "suppression" in page
    assert "Revenir à cette version" in page
    if old:
        assert old[:20] in page


def test_revert_restores_exactly_the_earlier_version(editor_client, editor, fiche):
    def snapshot():
        fiche.refresh_from_db()
        return (
            fiche.perspectives,
            list(fiche.actions.values_list("position", "description", "domain_id")),
            list(fiche.contacts.values_list("position", "name", "email")),
            list(fiche.budgets.values_list("position", "amount", "currency")),
            list(fiche.members.values_list("side", "position", "collectivity_id")),
            sorted(fiche.domains.values_list("slug", flat=True)),
        )

    before = snapshot()
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "À annuler"
    data["contacts-0-DELETE"] = "on"
    data["actions-0-DELETE"] = "on"
    data["budgets-0-amount"] = "12345"
    new = rows(data, "actions") - 1
    data[f"actions-{new}-description"] = "Action à annuler"
    data["fr-0-DELETE"] = "on"
    data["domains"] = [str(Domain.objects.get(slug="sante").pk)]
    assert editor_client.post(edit_url(), data).status_code == 302
    assert snapshot() != before
    assert sorted(fiche.domains.values_list("slug", flat=True)) == ["sante"]
    history = editor_client.get(reverse("staff_partnership_history", args=[SLUG]))
    assert len(history.context["edits"]) == 2  # the import, then one edit (fields and domains)
    baseline = fiche.history.order_by("history_date").first()
    response = editor_client.post(
        reverse("staff_partnership_revert", args=[SLUG, baseline.history_id])
    )
    assert response.status_code == 302
    assert snapshot() == before
    # The revert is itself recorded, and can be reverted.
    latest = fiche.history.order_by("-history_date").first()
    assert latest.history_user == editor and "Retour" in latest.history_change_reason
    assert Contact.history.filter(partnership_id=fiche.pk, history_type="+").exists()


def test_revert_of_an_unknown_version_is_a_400(editor_client):
    url = reverse("staff_partnership_revert", args=[SLUG, 999999])
    assert editor_client.post(url).status_code == 400


# --- review queue and verification --------------------------------------------------------------


def test_review_queue_lists_every_item_and_shrinks(editor_client):
    total = ReviewItem.objects.count()
    response = editor_client.get(reverse("staff_review_queue"), {"status": "all"})
    assert response.context["shown_count"] == total
    assert len(response.context["items"]) == min(total, 50)  # paged, grouped by fiche
    pages = response.context["page"].paginator.num_pages
    last = editor_client.get(reverse("staff_review_queue"), {"status": "all", "page": pages})
    assert len(last.context["items"]) == total - 50 * (pages - 1)
    response = editor_client.get(reverse("staff_review_queue"))
    item = next(i for i in response.context["items"] if i.partnership_id)
    page = response.content.decode()
    assert edit_url(item.partnership.slug) + "#" in page
    # kinds are shown in words, the key only in the filter's value
    assert "alignement incertain" in page
    open_before = ReviewItem.objects.open().count()
    response = editor_client.post(
        reverse("staff_review_resolve", args=[item.pk]),
        {"resolution": "confirmed", "resolution_note": "Vérifié sur la convention"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at and item.resolved_by.username == "editrice"
    assert ReviewItem.objects.open().count() == open_before - 1
    resolved = editor_client.get(reverse("staff_review_queue"), {"status": "resolved"})
    assert [i.pk for i in resolved.context["items"]] == [item.pk]


def test_review_queue_is_grouped_by_fiche_with_counts_by_kind(editor_client):
    response = editor_client.get(reverse("staff_review_queue"), {"kind": "uncertain-alignment"})
    page = response.content.decode()
    items = response.context["items"]
    assert items and all(i.kind == "uncertain-alignment" for i in items)
    # one heading per fiche, in the répertoire's order
    owners = [i.partnership_id for i in items]
    assert owners == sorted(owners, key=owners.index)
    assert page.count('<section class="review-fiche">') == len(set(owners))
    counts = {k["kind"]: (k["label"], k["n"]) for k in response.context["kinds"]}
    assert counts["uncertain-alignment"] == (
        "alignement incertain",
        ReviewItem.objects.open().filter(kind="uncertain-alignment").count(),
    )
    assert "uncertain-alignment (" not in page  # the key is a value, never a label


def test_review_queue_bad_parameters(editor_client):
    assert editor_client.get(reverse("staff_review_queue"), {"status": "x"}).status_code == 400
    assert editor_client.get(reverse("staff_review_queue"), {"kind": "x"}).status_code == 400
    item = ReviewItem.objects.open().first()
    url = reverse("staff_review_resolve", args=[item.pk])
    assert editor_client.post(url, {"resolution": "peut-être"}).status_code == 400


def test_to_check_mark_disappears_when_items_are_resolved(editor_client):
    fiche = Partnership.objects.filter(review_items__resolved_at__isnull=True).distinct().first()
    detail = reverse("partnership_detail", args=[fiche.slug])
    assert "to-check" in editor_client.get(detail).content.decode()
    for item in fiche.review_items.open():
        editor_client.post(
            reverse("staff_review_resolve", args=[item.pk]), {"resolution": "corrected"}
        )
    assert "to-check" not in editor_client.get(detail).content.decode()


def test_mark_verified_and_unverified_list(editor_client, editor, fiche):
    url = reverse("staff_unverified")
    listed = [p.slug for p in editor_client.get(url).context["partnerships"]]
    assert SLUG in listed
    data = form_data(editor_client.get(edit_url()))
    data["mark_verified"] = "on"
    editor_client.post(edit_url(), data)
    fiche.refresh_from_db()
    assert fiche.last_verified_on == timezone.localdate() and fiche.last_verified_by == editor
    assert SLUG not in [p.slug for p in editor_client.get(url).context["partnerships"]]
    # Verified three years ago: back in the list of two years, not in the list of five.
    Partnership.objects.filter(pk=fiche.pk).update(
        last_verified_on=timezone.localdate() - datetime.timedelta(days=3 * 366)
    )
    assert SLUG in [p.slug for p in editor_client.get(url).context["partnerships"]]
    five = editor_client.get(url, {"years": "5"}).context["partnerships"]
    assert SLUG not in [p.slug for p in five]
    assert editor_client.get(url, {"years": "beaucoup"}).status_code == 400


def test_history_records_changes_made_with_factories(editor):
    partnership = PartnershipFactory()
    contact = ContactFactory(partnership=partnership, position=1)
    contact.name = "Nouveau nom"
    contact.save()
    assert contact.history.count() == 2


# --- the API's updates use the same version -----------------------------------------------------


@pytest.fixture
def api_editor(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "path", [f"/api/v1/partnerships/{SLUG}/", "/api/v1/collectivities/angers/"]
)
def test_api_update_with_a_stale_version_is_refused(api_editor, path):
    read = api_editor.get(path)
    version = int(read["ETag"].strip('"'))
    body = {"title": "Titre par l'API"} if "partnerships" in path else {"population": 150001}
    fresh = api_editor.patch(
        path, body, content_type="application/json", headers={"If-Match": f'"{version}"'}
    )
    assert fresh.status_code == 200
    assert fresh["ETag"] == f'"{version + 1}"' == api_editor.get(path)["ETag"]
    # A second writer still holding the version read before: refused, nothing written.
    stale = api_editor.patch(
        path,
        {**body, "population": 3} if "collectivities" in path else {"title": "Autre"},
        content_type="application/json",
        headers={"If-Match": f'"{version}"'},
    )
    assert stale.status_code == 412 and "Modifié entre-temps" in stale.json()["detail"]
    assert api_editor.get(path)["ETag"] == f'"{version + 1}"'
    in_body = api_editor.patch(path, {**body, "version": version}, content_type="application/json")
    assert in_body.status_code == 412
    for malformed in ("x", "-1", "1.5"):
        bad = api_editor.patch(
            path, {**body, "version": malformed}, content_type="application/json"
        )
        assert bad.status_code == 400 and "version" in bad.json()
    # No version at all: refused with 428, nothing written.
    blind = api_editor.patch(path, body, content_type="application/json")
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]
    assert api_editor.delete(path).status_code == 428
    assert api_editor.get(path)["ETag"] == f'"{version + 1}"'


@pytest.mark.parametrize(
    "name,args,queries",
    [
        ("staff_review_queue", [], 9),
        ("staff_unverified", [], 5),
        ("staff_partnership_history", [SLUG], 14),
    ],
)
def test_staff_lists_query_counts(editor_client, django_assert_num_queries, name, args, queries):
    # Constant whatever the number of items, fiches or recorded changes.
    with django_assert_num_queries(queries):
        assert editor_client.get(reverse(name, args=args)).status_code == 200


def test_history_query_count_does_not_grow_with_edits(editor_client, django_assert_num_queries):
    for text in ("Première", "Deuxième"):
        data = form_data(editor_client.get(edit_url()))
        data["perspectives"] = text
        data["contacts-0-DELETE"] = "on"
        editor_client.post(edit_url(), data)
    with django_assert_num_queries(14):
        response = editor_client.get(reverse("staff_partnership_history", args=[SLUG]))
    assert len(response.context["edits"]) == 3


def test_edit_page_links_to_the_partners_edit_pages(editor_client):
    page = editor_client.get(edit_url()).content.decode()
    assert reverse("staff_collectivity_edit", args=["angers"]) in page


# --- word-level history diffs -------------------------------------------------------------------


def test_word_diff_marks_only_the_changed_words():
    before, after = word_diff(
        "Un jumelage scolaire en 2026.\nSuite", "Un jumelage sportif en 2027.\nSuite"
    )
    assert before == "Un jumelage <del>scolaire</del> en <del>2026.</del><br>Suite"
    assert after == "Un jumelage <ins>sportif</ins> en <ins>2027.</ins><br>Suite"
    # A run of changed words is one mark; spaces and line ends stay outside it.
    assert word_diff("a b c d", "a x y d") == ("a <del>b c</del> d", "a <ins>x y</ins> d")
    # Re-wrapping a text is not a change; the texts are escaped.
    assert word_diff("un  texte\nrevu", "un texte revu") == ("un  texte<br>revu", "un texte revu")
    assert word_diff("<b>", "<i>") == ("<del>&lt;b&gt;</del>", "<ins>&lt;i&gt;</ins>")
    assert word_diff("", "nouveau") == ("", "<ins>nouveau</ins>")
    # With context, a long unchanged run keeps only its ends.
    text = " ".join(f"mot{i}" for i in range(40))
    old, new = word_diff(text, text.replace("mot20", "MOT"), context=3)
    assert old == "… mot17 mot18 mot19 <del>mot20</del> mot21 mot22 mot23 … "
    assert new == "… mot17 mot18 mot19 <ins>MOT</ins> mot21 mot22 mot23 … "
    assert "mot5 " not in old and "mot35" not in new


def test_history_page_shows_word_level_changes(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    assert fiche.perspectives == "Participation au programme Loire Niger"
    data["perspectives"] = "Participation au programme Loire Mali"
    data["contacts-0-function"] = "Maire adjoint"
    editor_client.post(edit_url(), data)
    page = editor_client.get(reverse("staff_partnership_history", args=[SLUG])).content.decode()
    assert "Participation au programme Loire <del>Niger</del>" in page
    assert "Participation au programme Loire <ins>Mali</ins>" in page
    assert "adjoint</ins>" in page  # a child row's change is marked word by word too
    # Only the changed field is listed for this edit, not the fiche's other texts.
    latest_edit = page.split('class="history"')[1].split('class="child-changes"')[0]
    assert "Perspectives" in latest_edit and "Présentation" not in latest_edit


# --- an expired session or a changed CSRF token keeps the input ---------------------------------


class HiddenInputs(HTMLParser):
    """The (name, value) of the hidden inputs of the page's resubmission form."""

    def __init__(self):
        super().__init__()
        self.fields, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "resume-form" in (attrs.get("class") or ""):
            self.inside = True
        elif tag == "form":
            self.inside = False
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs.get("value") or ""))


def resubmission(response):
    parser = HiddenInputs()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def typed(data):
    data = dict(data)
    data["perspectives"] = "Saisie à ne pas perdre"
    data[f"actions-{rows(data, 'actions') - 1}-description"] = "Action tapée avant l'expiration"
    return data


def test_expired_session_keeps_the_input_and_signs_in_again(client, editor, fiche):
    client.force_login(editor)
    data = typed(form_data(client.get(edit_url())))
    actions = fiche.actions.count()
    client.logout()  # the session expired while the editor was typing
    response = client.post(edit_url(), data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Votre session a expiré" in page and "Angers / Bamako" in page
    kept = resubmission(response)
    assert kept["perspectives"] == ["Saisie à ne pas perdre"]
    assert kept["version"] == [str(fiche.version)]
    assert kept["domains"] == [str(pk) for pk in data["domains"]]
    assert 'name="reconnexion-password"' in page
    # A wrong password: the same page again, the input still there, nothing saved.
    wrong = client.post(
        edit_url(), {**kept, "reconnexion-username": "editrice", "reconnexion-password": "faux"}
    )
    assert wrong.status_code == 403
    assert "Identifiant ou mot de passe incorrect." in wrong.content.decode()
    assert resubmission(wrong)["perspectives"] == ["Saisie à ne pas perdre"]
    fiche.refresh_from_db()
    assert fiche.perspectives != "Saisie à ne pas perdre"
    # Signing in on that page saves everything that was typed.
    saved = client.post(
        edit_url(),
        {**kept, "reconnexion-username": "editrice", "reconnexion-password": PASSWORD},
        follow=True,
    )
    assert saved.redirect_chain[-1][0] == reverse("partnership_detail", args=[SLUG])
    fiche.refresh_from_db()
    assert fiche.perspectives == "Saisie à ne pas perdre"
    assert fiche.actions.count() == actions + 1
    assert fiche.history.latest("history_date").history_user == editor
    assert f"Fiche enregistrée (version {fiche.version})." in saved.content.decode()


def test_resubmission_after_someone_else_saved_shows_the_conflict(
    client, editor, fiche, django_user_model
):
    client.force_login(editor)
    data = typed(form_data(client.get(edit_url())))
    client.logout()
    kept = resubmission(client.post(edit_url(), data))
    Partnership.objects.filter(pk=fiche.pk).update(perspectives="Écrit entre-temps")
    fiche.refresh_from_db()
    fiche.save()  # a save by someone else: a new version
    response = client.post(
        edit_url(), {**kept, "reconnexion-username": "editrice", "reconnexion-password": PASSWORD}
    )
    assert response.status_code == 200
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert response.context["form"]["perspectives"].value() == "Saisie à ne pas perdre"
    fiche.refresh_from_db()
    assert fiche.perspectives == "Écrit entre-temps"


def test_expired_session_page_refuses_an_account_without_the_right(client, django_user_model):
    django_user_model.objects.create_user("lecteur", password=PASSWORD)
    data = {"version": "1", "perspectives": "x"}
    url = reverse("staff_collectivity_edit", args=["angers"])
    response = client.post(
        url, {**data, "reconnexion-username": "lecteur", "reconnexion-password": PASSWORD}
    )
    assert response.status_code == 403
    assert "n&#x27;a pas le droit" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_csrf_failure_keeps_the_input(editor, fiche):
    """The editor signed in again in another tab: the page's CSRF token is no longer valid."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.get(edit_url())
    data = typed(form_data(response))
    data["csrfmiddlewaretoken"] = "x" * 64
    client.cookies["csrftoken"] = "y" * 32
    refused = client.post(edit_url(), data, HTTP_ORIGIN="http://testserver")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Votre session a expiré" in page and "Enregistrer mes modifications" in page
    assert "reconnexion-password" not in page  # still signed in: no need to sign in again
    kept = resubmission(refused)
    assert kept["perspectives"] == ["Saisie à ne pas perdre"]
    assert "x" * 64 not in page  # the stale token is not sent back
    assert kept["csrfmiddlewaretoken"] != ["x" * 64]
    kept = {k: v[0] if len(v) == 1 else v for k, v in kept.items()}
    assert client.post(edit_url(), kept, HTTP_ORIGIN="http://testserver").status_code == 302
    fiche.refresh_from_db()
    assert fiche.perspectives == "Saisie à ne pas perdre"


def test_csrf_failure_from_another_site_keeps_nothing(editor, fiche):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = typed(form_data(client.get(edit_url())))
    for headers in ({"HTTP_ORIGIN": "http://evil.example"}, {}):
        refused = client.post(edit_url(), data, **headers)
        assert refused.status_code == 403
        page = refused.content.decode()
        assert "Page expirée" in page and "Saisie à ne pas perdre" not in page
    # Elsewhere on the site, the same French page.
    refused = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "en"}, HTTP_ORIGIN="http://testserver"
    )
    assert refused.status_code == 403 and "Page expirée" in refused.content.decode()


# --- rows, confirmation, budgets and their actions ----------------------------------------------


def test_add_row_without_javascript(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Pas encore enregistré"
    total = rows(data, "actions")
    response = editor_client.post(edit_url(), {**data, "add_row": "actions"})
    assert response.status_code == 200
    assert response.context["formsets"]["actions"].total_form_count() == total + 1
    assert f'name="actions-TOTAL_FORMS" value="{total + 1}"' in response.content.decode()
    assert response.context["form"]["perspectives"].value() == "Pas encore enregistré"
    fiche.refresh_from_db()
    assert fiche.perspectives != "Pas encore enregistré"  # nothing saved yet
    # Two new rows filled in, then saved.
    data = form_data(response)
    data[f"actions-{total - 1}-description"] = "Première nouvelle action"
    data[f"actions-{total}-description"] = "Seconde nouvelle action"
    assert editor_client.post(edit_url(), data).status_code == 302
    assert list(fiche.actions.order_by("-position").values_list("description", flat=True)[:2]) == [
        "Seconde nouvelle action",
        "Première nouvelle action",
    ]


def test_save_confirmation_names_the_version(editor_client, fiche):
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Confirmé"
    response = editor_client.post(edit_url(), data, follow=True)
    fiche.refresh_from_db()
    page = response.content.decode()
    assert f"Fiche enregistrée (version {fiche.version})." in page
    assert f'data-clear-draft="fiche:{fiche.pk}"' in page  # the browser's draft is cleared
    assert "Fiche enregistrée" not in editor_client.get(edit_url()).content.decode()
    url = reverse("staff_collectivity_edit", args=["angers"])
    data = form_data(editor_client.get(url))
    data["population"] = "150001"
    page = editor_client.post(url, data, follow=True).content.decode()
    version = Collectivity.objects.get(slug="angers").version
    assert f"Collectivité enregistrée (version {version})." in page


def test_budget_is_linked_to_one_of_the_fiche_s_actions(editor_client, fiche):
    response = editor_client.get(edit_url())
    choices = dict(response.context["formsets"]["budgets"].forms[0].fields["action"].choices)
    own = list(fiche.actions.order_by("position"))
    assert {pk for pk in choices if pk} == {a.pk for a in own}
    data = form_data(response)
    data["budgets-0-action"] = str(own[1].pk)
    assert editor_client.post(edit_url(), data).status_code == 302
    budget = fiche.budgets.order_by("position").first()
    assert budget.action == own[1]
    # An action of another fiche is refused.
    other = Action.objects.exclude(partnership=fiche).first()
    data = form_data(editor_client.get(edit_url()))
    data["budgets-0-action"] = str(other.pk)
    response = editor_client.post(edit_url(), data)
    assert response.status_code == 200 and response.context["formsets"]["budgets"].errors[0]
    # Deleting the action of a kept budget: said on the budget's row, nothing deleted.
    data = form_data(editor_client.get(edit_url()))
    data["actions-1-DELETE"] = "on"
    response = editor_client.post(edit_url(), data)
    assert "Cette action est supprimée" in response.content.decode()
    assert Action.objects.filter(pk=own[1].pk).exists()
    budget.refresh_from_db()
    assert budget.action_id == own[1].pk
