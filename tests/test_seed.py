"""Re-seeding keeps the staff's edits (partnerships/management/commands/seed.py)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Collectivity, Contact, Partnership, ReviewItem
from tests.test_editing import edit_url, editor_groups, form_data  # noqa: F401

pytestmark = pytest.mark.django_db

SLUG = "angers-bamako"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editeur", password="mot-de-passe-de-test")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    return user


def seed():
    out = StringIO()
    call_command("seed", stdout=out, verbosity=2)
    return out.getvalue()


def test_reseeding_after_an_edit_leaves_the_edit_in_place(client, editor):
    client.force_login(editor)
    data = form_data(client.get(edit_url(SLUG)))
    data["perspectives"] = "Modifié par l'équipe"
    data["contacts-0-DELETE"] = "on"
    assert client.post(edit_url(SLUG), data).status_code == 302
    contacts = Contact.objects.filter(partnership__slug=SLUG).count()
    # A fiche nobody edited is given back its fixture values (a change with no author).
    other = Partnership.objects.exclude(slug=SLUG).filter(status="documented").first()
    printed = other.perspectives
    Partnership.objects.filter(pk=other.pk).update(perspectives="Changé hors de l'application")

    report = seed()

    fiche = Partnership.objects.get(slug=SLUG)
    assert fiche.perspectives == "Modifié par l'équipe"
    assert Contact.objects.filter(partnership=fiche).count() == contacts
    other.refresh_from_db()
    assert other.perspectives == printed
    assert "Non écrasé (modifié par l'équipe) : 1 fiche(s)" in report
    assert f"partenariat {SLUG}" in report


def test_reseeding_does_not_bring_back_what_staff_deleted(editor):
    fiche = Partnership.objects.get(slug=SLUG)
    fiche._history_user = editor
    fiche.delete()
    collectivity = Collectivity.objects.get(slug="angers")
    collectivity._history_user = editor
    collectivity.memberships.all().delete()
    collectivity.delete()
    report = seed()
    assert not Partnership.objects.filter(slug=SLUG).exists()
    assert not Collectivity.objects.filter(slug="angers").exists()
    assert "1 collectivité(s)" in report


def test_reseeding_keeps_edited_collectivities_and_resolved_items(editor):
    collectivity = Collectivity.objects.get(slug="angers")
    collectivity.population = 123
    collectivity._history_user = editor
    collectivity.save()
    item = ReviewItem.objects.open().first()
    ReviewItem.objects.filter(pk=item.pk).update(
        resolved_at=timezone.now(), resolved_by=editor, resolution="confirmed"
    )
    untouched = Collectivity.objects.exclude(slug="angers").filter(country="FR").first()
    Collectivity.objects.filter(pk=untouched.pk).update(name="Nom hors application")
    seed()
    assert Collectivity.objects.get(slug="angers").population == 123
    assert ReviewItem.objects.get(pk=item.pk).resolved_at is not None
    assert Collectivity.objects.get(pk=untouched.pk).name != "Nom hors application"


def test_reseeding_an_unedited_database_changes_nothing():
    counts = (Partnership.objects.count(), Contact.objects.count(), ReviewItem.objects.count())
    report = seed()
    assert "Non écrasé" not in report
    assert counts == (
        Partnership.objects.count(),
        Contact.objects.count(),
        ReviewItem.objects.count(),
    )


def test_edit_page_url_is_the_one_the_review_queue_links_to():
    assert reverse("staff_partnership_edit", args=[SLUG]).startswith("/gestion/")
