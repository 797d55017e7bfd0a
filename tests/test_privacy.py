"""partnerships.privacy: the one personal-data policy of pages, API, exports and workshops."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from partnerships import privacy
from partnerships.models import Contact, Partnership

from .factories import ContactFactory

NAME_NOTICE = "[nom réservé aux utilisateurs connectés]"
NOTICE = "[coordonnées réservées aux utilisateurs connectés]"


@pytest.fixture
def masker():
    return privacy.Masker(["Moussa BADOULAYE TRAORE", "Astrid Frey", "Mme Bouchet-Gottier"])


@pytest.mark.parametrize(
    "text",
    [
        "Écrire à jean.dupont@ville-alencon.fr avant juin",
        "Tél. : 04 42 91 91 29",
        "Tel +33 4 78 63 43 09",
        "Tél 00 223 671 80 53",
        "Mairie : 222 34 65",
        "Fax 20 22 34 65",
        "(+223) 2 640 106",
    ],
)
def test_emails_and_phones_are_masked(masker, text):
    masked = masker.text(text)
    assert NOTICE in masked
    assert not re.search(r"\d\d[ .]\d\d[ .]\d\d|@", masked)


@pytest.mark.parametrize(
    "text",
    ["Convention de 2001-2005", "Budget : 240 000 €", "Signée le 12/05/2004", "De 1968 à 2008"],
)
def test_years_periods_amounts_and_dates_stay(masker, text):
    assert masker.text(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Le maire Moussa BADOULAYE TRAORE a signé", "Le maire "),
        ("Contact : Astrid Frey, chargée de mission", "Contact : "),
        ("reçu par M. BADOULAYE TRAORE hier", "reçu par "),
        ("selon Mme Bouchet-Gottier", "selon "),
        ("FREY Astrid au téléphone", ""),
    ],
)
def test_known_names_are_masked_wherever_they_stand(masker, text, kept):
    masked = masker.text(text)
    assert masked.startswith(kept + NAME_NOTICE)
    assert "Frey" not in masked and "TRAORE" not in masked and "Gottier" not in masked


def test_a_family_name_that_is_also_a_word_stays_when_not_a_name():
    masker = privacy.Masker(["Jean FORT"])
    assert masker.text("Un soutien fort de la région") == "Un soutien fort de la région"
    assert NAME_NOTICE in masker.text("Rencontre avec M. Fort")
    assert NAME_NOTICE in masker.text("Rencontre avec FORT")


def test_documents_are_masked_but_identifiers_never(masker):
    document = {
        "slug": "frey-traore",
        "title": "Astrid Frey",
        "actions": [{"description": "appeler le 04 42 91 91 29", "id": 3}],
    }
    masked = masker.data(document)
    assert masked["slug"] == "frey-traore" and masked["actions"][0]["id"] == 3
    assert masked["title"] == NAME_NOTICE
    assert NOTICE in masked["actions"][0]["description"]


@pytest.mark.django_db
def test_signed_in_users_see_everything_and_anonymous_readers_the_masker():
    user = get_user_model().objects.create_user("lectrice")
    assert privacy.masker_for(user) is privacy.SHOW_EVERYTHING
    assert privacy.SHOW_EVERYTHING.text("04 42 91 91 29") == "04 42 91 91 29"
    assert isinstance(privacy.masker_for(AnonymousUser()), privacy.Masker)
    assert isinstance(privacy.masker_for(None), privacy.Masker)


@pytest.mark.django_db
def test_the_masker_knows_the_seeded_contacts_and_workshop_speakers():
    masker = privacy.current_masker()
    contact = Contact.objects.exclude(name="").first()
    assert NAME_NOTICE in masker.text(f"Voir avec {contact.name} demain")
    # A speaker of the 2016 workshop (workshops registers its names from its AppConfig).
    assert NAME_NOTICE in masker.text("Intervention d'Astrid Frey")


@pytest.mark.django_db
def test_built_once_then_rebuilt_when_a_name_changes(django_assert_num_queries):
    privacy.current_masker()
    with django_assert_num_queries(0):
        first = privacy.current_masker()
        assert privacy.current_masker() is first
    partnership = Partnership.objects.get(slug="alencon-koutiala")
    ContactFactory(partnership=partnership, position=99, name="Zéphyrin QUALMBRO")
    # One query per registered source of names: contacts, participants, speakers.
    with django_assert_num_queries(3):
        rebuilt = privacy.current_masker()
    assert rebuilt is not first
    assert NAME_NOTICE in rebuilt.text("signé par Zéphyrin QUALMBRO")


@pytest.mark.django_db
def test_no_contact_detail_reaches_an_anonymous_reader_of_any_fiche(client, warm_memory):
    """A sweep of every fiche with contacts: no contact's name, e-mail or phone in the page.

    Names of one word are left out: the répertoire's "Nom :" lines sometimes hold a body
    ("Arcade", an association), which is no person's name."""
    contacts = Contact.objects.select_related("partnership").filter(name__contains=" ")
    fiches = {c.partnership.slug for c in contacts}
    assert len(fiches) > 50
    pages = {
        slug: client.get(reverse("partnership_detail", args=[slug])).content.decode()
        for slug in fiches
    }
    leaks = []
    for contact in contacts:
        page = pages[contact.partnership.slug]
        for value in (contact.name, contact.email, contact.phone, contact.fax):
            if value and len(value) > 4 and value in page:
                leaks.append((contact.partnership.slug, value))
    assert leaks == [], leaks
    assert not any(privacy.EMAIL.search(page) for page in pages.values())


@pytest.mark.django_db
def test_no_person_named_by_the_workshops_reaches_an_anonymous_reader(client, warm_memory):
    """The workshop pages, and the pages of the fiches and collectivities they are linked to,
    show no participant's or speaker's name to anonymous readers."""
    from workshops.apps import participant_names
    from workshops.models import Workshop

    names = [n for n in participant_names() if " " in n.strip()]
    assert len(names) > 10
    pages = [reverse("workshop_detail", args=[w.slug]) for w in Workshop.objects.all()]
    pages += [
        reverse("partnership_detail", args=["conseil-general-de-l-allier-cercle-de-niafunke"]),
        reverse("workshop_list") + "?search=securite",
    ]
    leaks = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaks += [(url, name) for name in names if name in html]
    assert leaks == []


@pytest.mark.django_db
def test_exports_carry_no_contact_detail(client, warm_memory):
    contacts = Contact.objects.filter(name__contains=" ")
    names = {c.name for c in contacts} | {c.email for c in contacts if c.email}
    for url in (
        reverse("partnership_export_csv"),
        reverse("partnership_export_json"),
        "/api/v1/partnerships/export/?format=csv",
        "/api/v1/export/",
    ):
        body = client.get(url).getvalue().decode("utf-8-sig")
        assert [n for n in names if n in body] == [], url
        assert not privacy.EMAIL.search(body), url


def people_the_database_holds():
    """Every contact's and workshop participant's or speaker's name (of two words or more: a
    one-word "Nom :" is often a body, "Arcade"), phone, fax and e-mail."""
    from workshops.apps import participant_names

    names = {c.name.strip() for c in Contact.objects.filter(name__contains=" ")}
    names |= {n.strip() for n in participant_names() if " " in n.strip()}
    details = set()
    for contact in Contact.objects.all():
        details |= {v.strip() for v in (contact.phone, contact.fax, contact.email) if v}
    return {n for n in names if len(n) > 4}, {d for d in details if len(d) > 6}


def every_public_url():
    """The public pages (every fiche, collectivity, region, domain, workshop, each page of the
    lists, in both languages), the exports, and every API endpoint with every page."""
    from django.utils import translation

    from partnerships.models import Collectivity, Domain, MalianRegion
    from workshops.models import Workshop

    urls = []
    # The masker does not depend on the language: every detail page once, the lists in both.
    for language in ("fr", "en"):
        with translation.override(language):
            urls += [
                reverse(n)
                for n in (
                    "home",
                    "collectivity_list",
                    "region_list",
                    "domain_list",
                    "map",
                    "figures",
                    "workshop_list",
                    "partnership_export_csv",
                    "partnership_export_json",
                )
            ]
            pages = -(-Partnership.objects.count() // 20)
            urls += [reverse("partnership_list") + f"?page={n}" for n in range(1, pages + 1)]
            if language == "en":
                continue
            for model, name in (
                (Partnership, "partnership_detail"),
                (Collectivity, "collectivity_detail"),
                (MalianRegion, "region_detail"),
                (Domain, "domain_detail"),
                (Workshop, "workshop_detail"),
            ):
                urls += [
                    reverse(name, args=[slug])
                    for slug in model.objects.values_list("slug", flat=True)
                ]
            urls.append(reverse("partnership_report", args=[Partnership.objects.first().slug]))
    urls += [
        reverse("workshop_list") + "?search=securite",
        reverse("partnership_list") + "?search=maire",
    ]
    for endpoint in (
        "partnerships",
        "collectivities",
        "regions",
        "domains",
        "actions",
        "workshops",
    ):
        base = f"/api/v1/{endpoint}/"
        urls += [base + "?page_size=200", base + "?page_size=200&format=csv"]
        if endpoint != "workshops":
            urls += [base + "export/", base + "export/?format=csv"]
    urls.append("/api/v1/export/")
    return urls


@pytest.mark.slow
@pytest.mark.django_db
def test_no_person_the_database_holds_reaches_an_anonymous_reader_of_any_public_url(
    client, warm_memory
):
    names, details = people_the_database_holds()
    assert len(names) > 300 and len(details) > 300
    urls = every_public_url()
    assert len(urls) > 400
    leaks, pages = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # Exports stream (partnerships/exports.py): read them whole.
        raw = response.getvalue() if response.streaming else response.content
        body = raw.decode("utf-8-sig")
        # Follow the API's own pagination to the last page.
        document = (
            json.loads(body) if response["Content-Type"].startswith("application/json") else None
        )
        while isinstance(document, dict) and document.get("next"):
            more = client.get(document["next"])
            body += more.content.decode()
            document = more.json()
        pages += 1
        folded = body.casefold()
        leaks += [(url, name) for name in names if name.casefold() in folded]
        leaks += [(url, value) for value in details if value in body]
        if privacy.EMAIL.search(body):
            leaks.append((url, privacy.EMAIL.search(body).group()))
    assert pages == len(urls)
    assert leaks == [], leaks[:30]


def test_an_initial_and_a_family_name_are_a_name_but_not_a_lower_case_word():
    masker = privacy.Masker(["Laurent LALOGE", "Antoine Fort"])
    assert NAME_NOTICE in masker.text("Ancien militaire, L. Laloge a suggéré")
    assert NAME_NOTICE in masker.text("A. Fort est venu")
    # "a" is the verb, not the initial of Antoine.
    assert masker.text("il a Fort à faire") == "il a Fort à faire"
