"""The life of a partnership: dated events, the state derived from them, the 2016 workshop's
answers seeded as events, the state facet, the timeline on the fiche, the API, staff edits."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import QueryDict
from django.urls import reverse
from rest_framework.test import APIClient

from partnerships.filters import PartnershipFilter, facet_counts
from partnerships.models import EventKind, Partnership, PartnershipEvent, PartnershipState
from workshops.models import Link

from .factories import PartnershipEventFactory, PartnershipFactory
from .test_editing import create_groups, form_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
CUF_2016 = "cuf-atelier-zones-a-risques-2016"


def state_of(partnership, today=TODAY):
    return Partnership.objects.with_state(today).get(pk=partnership.pk).state


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ([], PartnershipState.UNKNOWN),
        ([(EventKind.SIGNED, 2024)], PartnershipState.ACTIVE),
        ([(EventKind.SIGNED, 2015)], PartnershipState.DORMANT),
        ([(EventKind.SIGNED, 2010), (EventKind.SUSPENDED, 2013)], PartnershipState.SUSPENDED),
        (
            [(EventKind.SUSPENDED, 2013), (EventKind.RESUMED, 2022)],
            PartnershipState.ACTIVE,
        ),
        ([(EventKind.NEWS, 2024), (EventKind.ENDED, 2025)], PartnershipState.ENDED),
        # the latest event decides, not the order of creation
        ([(EventKind.ENDED, 2012), (EventKind.FIRST_CONTACT, 1990)], PartnershipState.ENDED),
    ],
)
def test_state_derived_from_the_latest_event(events, state):
    partnership = PartnershipFactory()
    for kind, year in events:
        PartnershipEventFactory(partnership=partnership, kind=kind, date=datetime.date(year, 6, 1))
    assert state_of(partnership) == state


def test_dormant_after_six_years_without_news():
    partnership = PartnershipFactory()
    PartnershipEventFactory(partnership=partnership, date=datetime.date(2020, 12, 3))
    assert state_of(partnership, datetime.date(2026, 12, 3)) == PartnershipState.ACTIVE
    assert state_of(partnership, datetime.date(2026, 12, 4)) == PartnershipState.DORMANT


def facet(params):
    filterset = PartnershipFilter(QueryDict(params), queryset=Partnership.objects.all())
    assert filterset.is_valid()
    return next(f for f in facet_counts(filterset) if f["name"] == "state")


def slugs(params):
    filterset = PartnershipFilter(QueryDict(params), queryset=Partnership.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("slug", flat=True))


def test_state_facet_counts_match_the_list():
    for kind, year in [
        (EventKind.SUSPENDED, 2013),
        (EventKind.ENDED, 2019),
        (EventKind.NEWS, 2025),
    ]:
        PartnershipEventFactory(
            partnership=PartnershipFactory(), kind=kind, date=datetime.date(year, 1, 1)
        )
    options = facet("")["options"]
    assert {o["value"] for o in options} >= {"dormant", "suspended", "ended", "active"}
    for option in options:
        assert option["count"] == len(slugs(f"state={option['value']}")), option
    assert sum(o["count"] for o in options) == Partnership.objects.count()
    # and within another filter's selection
    for option in facet("division=2008&region=tombouctou")["options"]:
        assert option["count"] == len(
            slugs(f"division=2008&region=tombouctou&state={option['value']}")
        )


def test_state_filter_keeps_only_that_state():
    ended = PartnershipFactory()
    PartnershipEventFactory(partnership=ended, kind=EventKind.ENDED, date=datetime.date(2020, 1, 1))
    assert ended.slug in slugs("state=ended")
    assert ended.slug not in slugs("state=dormant")
    assert slugs("state=ended") == {ended.slug}


def answered_2016():
    return set(
        Link.objects.filter(
            workshop__slug=CUF_2016, answer__isnull=False, partnership__isnull=False
        ).values_list("partnership__slug", flat=True)
    )


def test_every_partnership_with_a_2016_answer_has_its_event():
    answered = answered_2016()
    assert len(answered) >= 10
    for slug in answered:
        events = PartnershipEvent.objects.filter(partnership__slug=slug, source__slug=CUF_2016)
        assert events.filter(date=datetime.date(2016, 5, 19), precision="day").exists(), slug


def test_allier_niafunke_recentred_on_humanitarian_action(client):
    slug = "conseil-general-de-l-allier-cercle-de-niafunke"
    event = PartnershipEvent.objects.get(partnership__slug=slug, kind=EventKind.REORIENTED)
    assert "recentrés sur l’action humanitaire" in event.description
    assert event.source.slug == CUF_2016 and event.source_line
    html = client.get(reverse("partnership_detail", args=[slug])).content.decode()
    assert "recentrés sur l’action humanitaire" in html
    assert "Réorienté" in html and "octobre 1988" in html  # the first contacts, to the month


def test_fiches_with_a_2016_answer_show_events_and_state(client):
    for slug in answered_2016():
        html = client.get(reverse("partnership_detail", args=[slug])).content.decode()
        timeline = html[html.index('class="timeline"') :]
        assert "19 mai 2016" in timeline, slug
        assert re.search(r'class="state-badge state-(active|dormant|suspended|ended)"', html)


def test_api_exposes_state_and_events():
    api = APIClient()
    document = api.get("/api/v1/partnerships/alencon-koutiala/").json()
    assert document["state"] == "dormant"
    sources = {(e["source"], e["date"], e["kind"]) for e in document["events"]}
    assert (CUF_2016, "2016-05-19", "news") in sources
    assert ("cuf-repertoire-2008", "1968-01-01", "first_contact") in sources
    results = api.get("/api/v1/partnerships/", {"state": "dormant", "page_size": 1}).json()
    assert results["count"] == len(slugs("state=dormant"))


def test_event_texts_go_through_the_privacy_masker(client):
    partnership = PartnershipFactory()
    PartnershipEventFactory(
        partnership=partnership, description="Écrire à maire@example.org ou au 01 23 45 67 89"
    )
    html = client.get(reverse("partnership_detail", args=[partnership.slug])).content.decode()
    assert "maire@example.org" not in html and "01 23 45 67 89" not in html
    document = APIClient().get(f"/api/v1/partnerships/{partnership.slug}/").json()
    assert "maire@example.org" not in document["events"][0]["description"]


def test_staff_add_an_event_under_the_fiche_s_lock(client):
    create_groups()
    user = get_user_model().objects.create_user("editrice", password="x")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    partnership = Partnership.objects.get(slug="alencon-koutiala")
    url = reverse("staff_partnership_edit", args=[partnership.slug])
    data = form_data(client.get(url))
    new = int(data["events-TOTAL_FORMS"]) - 1
    data[f"events-{new}-kind"] = "suspended"
    data[f"events-{new}-date"] = "2025-03-01"
    data[f"events-{new}-precision"] = "month"
    data[f"events-{new}-description"] = "Missions suspendues"
    version = partnership.version
    assert client.post(url, data).status_code == 302
    event = PartnershipEvent.objects.get(partnership=partnership, key="staff-1")
    assert event.kind == "suspended" and event.history.first().history_user == user
    partnership.refresh_from_db()
    assert partnership.version > version
    assert state_of(partnership) == PartnershipState.SUSPENDED
    # the same form sent again from the old version is refused: the event is not doubled
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["conflict"] is not None
    assert PartnershipEvent.objects.filter(partnership=partnership, kind="suspended").count() == 1
