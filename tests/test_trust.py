"""What lets a reader trust the directory: the footer and its pages, the 2008 note, the
"signaler une erreur" form (into the staff review queue), and euro signs shown as "€"."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from partnerships.models import Partnership, ReviewItem

from .test_editing import create_groups

pytestmark = pytest.mark.django_db

FICHE = "aix-en-provence-bamako-commune-v"
FOOTER_PAGES = ["legal_notice", "accessibility", "privacy_notice", "data_licence", "contact"]


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("partnership_list"),
        reverse("partnership_detail", args=[FICHE]),
        reverse("region_list"),
        reverse("workshop_list"),
        reverse("legal_notice"),
    ],
)
def test_every_public_page_has_the_footer_and_the_2008_note(client, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for name in FOOTER_PAGES:
        assert f'href="{reverse(name)}"' in footer
    assert f'href="{reverse("api-docs")}"' in footer
    assert "Licence Ouverte / Etalab 2.0" in footer
    assert "découpage administratif de 2008" in footer


def test_the_footer_is_in_english_on_english_pages(client):
    html = client.get("/en/partenariats/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/en/mentions-legales/"' in footer
    assert "Legal notice" in footer and "2008 administrative division" in footer
    assert "Mentions légales" not in footer


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("legal_notice", "Cités Unies France"),
        ("accessibility", "partiellement conforme au RGAA 4.1"),
        ("privacy_notice", "suppression"),
        ("data_licence", "Licence Ouverte / Open Licence version 2.0"),
        ("contact", "Signaler une erreur"),
    ],
)
def test_trust_pages(client, settings, name, expected):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    if name != "data_licence":
        assert f"mailto:{settings.SITE_CONTACT_EMAIL}" in html


def test_every_fiche_offers_the_report_form(client):
    for slug in Partnership.objects.values_list("slug", flat=True)[:20]:
        html = client.get(reverse("partnership_detail", args=[slug])).content.decode()
        assert f'action="{reverse("partnership_report", args=[slug])}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert 'name="website"' in html  # the honeypot


def report(client, slug=FICHE, **data):
    data = {"field": "budget", "message": "Le budget de 2006 est de 8 000 €.", **data}
    return client.post(reverse("partnership_report", args=[slug]), data, REMOTE_ADDR="10.1.2.3")


def test_a_report_lands_in_the_staff_review_queue_with_the_fiche_and_field(
    client, django_user_model
):
    response = report(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership_detail", args=[FICHE]) + "#signaler"
    item = ReviewItem.objects.get(kind="reader-report")
    assert item.partnership.slug == FICHE
    assert item.field == "budget"
    assert item.value == "Le budget de 2006 est de 8 000 €."
    assert item.source is None and item.resolved_at is None
    # The thanks are shown on the fiche.
    assert "votre signalement a été transmis" in client.get(response["Location"]).content.decode()

    create_groups()
    editor = django_user_model.objects.create_user("editrice")
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(editor)
    queue = client.get(reverse("staff_review_queue") + "?kind=reader-report").content.decode()
    assert "Signalement d&#x27;un lecteur : budgets" in queue
    assert "Le budget de 2006 est de 8 000 €." in queue
    assert f'href="{reverse("partnership_detail", args=[FICHE])}"' in queue
    assert reverse("staff_partnership_edit", args=[FICHE]) + "#budgets" in queue


def test_a_report_from_an_english_page_is_stored_in_french(client):
    client.post(
        "/en/partenariats/" + FICHE + "/signaler/",
        {"field": "contacts", "message": "The mayor changed in 2014."},
    )
    assert ReviewItem.objects.get(kind="reader-report").message == (
        "Signalement d'un lecteur : contacts"
    )


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client):
    response = report(client, website="http://spam.example")
    assert response.status_code == 302
    assert not ReviewItem.objects.filter(kind="reader-report").exists()


def test_reports_are_rate_limited_per_client(client, settings):
    for _ in range(5):
        assert report(client).status_code == 302
    refused = report(client)
    assert refused.status_code == 429
    assert "Trop de signalements" in refused.content.decode()
    assert ReviewItem.objects.filter(kind="reader-report").count() == 5
    # Another client is not held back.
    other = client.post(
        reverse("partnership_report", args=[FICHE]),
        {"field": "other", "message": "Une autre erreur ici."},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def test_a_report_needs_a_real_message_and_a_known_field(client):
    assert report(client, message="court").status_code == 400
    assert report(client, field="password").status_code == 400
    assert client.get(reverse("partnership_report", args=["nulle-part"])).status_code == 404
    assert not ReviewItem.objects.filter(kind="reader-report").exists()


def test_a_report_needs_the_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("partnership_report", args=[FICHE]),
        {"field": "budget", "message": "Le budget de 2006 est faux."},
    )
    assert response.status_code == 403
    assert not ReviewItem.objects.filter(kind="reader-report").exists()


@pytest.mark.parametrize(
    "printed",
    ["Entre 350 000 € et 400 000 € /an", "150 000 €", "8004,27 €"],
)
def test_euro_signs_lost_by_the_extraction_are_shown_as_euro(client, printed):
    """Two fiches printed "�" where the répertoire has "€" (restored when the source is read)."""
    fiche = Partnership.objects.filter(budget_cd_as_printed__contains=printed) | (
        Partnership.objects.filter(actions_as_printed__contains=printed)
    )
    slugs = set(fiche.values_list("slug", flat=True))
    assert slugs
    for slug in slugs:
        html = client.get(reverse("partnership_detail", args=[slug])).content.decode()
        assert printed in html
        assert "\ufffd" not in html


def test_no_fiche_shows_a_replacement_character(client):
    slugs = Partnership.objects.values_list("slug", flat=True)
    assert not any(
        "\ufffd" in client.get(reverse("partnership_detail", args=[s])).content.decode()
        for s in slugs
    )
