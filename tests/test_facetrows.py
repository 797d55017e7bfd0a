"""The facets' rows (partnerships/facetrows.py) against the truth they stand for.

Both ways of counting are checked: the index in each process's memory and the rows in SQL.
The oracle: a facet option's count is the number of partnerships the list shows when that
option is chosen (the FilterSet's own filters, which read the link tables, partners and
placements, not the rows). It is checked on the seeded data, then after a random run of
edits through every kind of write the rows must follow (each committed, so that the rows are
written as in production, at commit).
"""

import datetime
import random

import pytest
from django.conf import settings
from django.http import QueryDict

from partnerships import facetrows
from partnerships.filters import (
    ActionFilter,
    PartnershipFilter,
    _action_facet_counts,
    _facet_counts,
)
from partnerships.models import (
    Action,
    Collectivity,
    Country,
    Domain,
    EventKind,
    FacetRow,
    MalianRegion,
    Partnership,
    PartnershipEvent,
    PartnershipMember,
    PartnershipStatus,
)

from .factories import PartnershipEventFactory, PartnershipFactory, PartnershipMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["index", "rows"])
def counted_from(request, settings):
    """Each test twice: the counts from the process's index (partnerships/facetindex.py, as in
    production), then from the rows in SQL (a deployment without a shared cache)."""
    settings.FACET_INDEX = request.param == "index"
    return request.param


def filterset(params):
    found = PartnershipFilter(QueryDict(params), queryset=Partnership.objects.all())
    assert found.is_valid(), found.errors
    return found


def assert_counts_match_the_list(base=""):
    """Every option of every facet of the selection ``base``: its count is the number of
    partnerships listed with that option chosen (besides ``base``'s other filters). Counted
    from the index, the list's own count (``selection_total``) is the list's too."""
    facets = _facet_counts(filterset(base))
    checked = 0
    for facet in facets:
        for option in facet["options"]:
            # The facet ignores its own filter: the option replaces it.
            params = QueryDict(base, mutable=True)
            params.setlist(facet["name"], [option["value"]])
            chosen = filterset(params.urlencode())
            listed = chosen.qs.count()
            assert option["count"] == listed, (base, facet["name"], option["value"])
            if settings.FACET_INDEX:
                _facet_counts(chosen)
                assert chosen.selection_total == listed, (base, facet["name"], option["value"])
            checked += 1
    return checked


@pytest.mark.parametrize("division", ["", "division=2008", "division=2016"])
def test_every_option_counts_what_the_list_shows(division):
    assert assert_counts_match_the_list(division) > 60


def test_counts_within_a_selection_and_a_search():
    assert_counts_match_the_list("region=kayes&domain=sante")
    assert_counts_match_the_list("search=ecole&kind=commune")


@pytest.mark.parametrize(
    "params",
    [
        "",
        "search=ecole",
        "search=koutiala&ordering=-year",
        "q=eau potable&region=kayes",
        "division=2016&region=kidal",
        "domain=sante&domain=education&contacts_start_year_min=1990",
        "collectivity=kayes",
        "search=zzzzqqq",
    ],
)
def test_the_list_counts_what_it_lists(params):
    """The list's count (``selection_count``: from the index, else without the search's
    ranking) is the number of rows of its query."""
    chosen = filterset(params)
    facet_counts_of_the_page = _facet_counts(chosen)
    assert facet_counts_of_the_page
    assert chosen.selection_count() == chosen.qs.count()


@pytest.mark.parametrize(
    "base", ["", "division=2008", "division=2016", "division=2016&region=kidal&budget=0-5000"]
)
def test_every_option_of_the_actions_facets_counts_what_the_actions_list_shows(base):
    """The actions page's facets sum each partnership's actions under its rows' values
    (facetrows.sum_values): each option counts the actions its filter lists, the option
    replacing the facet's own choice, in every division."""

    def actions(params):
        found = ActionFilter(QueryDict(params), queryset=Action.objects.all())
        assert found.is_valid(), found.errors
        return found

    checked = 0
    for facet in _action_facet_counts(actions(base)):
        for option in facet["options"]:
            params = QueryDict(base, mutable=True)
            params.setlist(facet["name"], [option["value"]])
            listed = actions(params.urlencode()).qs.count()
            assert option["count"] == listed, (base, facet["name"], option["value"])
            assert type(option["count"]) is int
            checked += listed > 0
    assert checked >= (5 if "region" in base else 20)


def test_every_seeded_partnership_has_its_row():
    assert FacetRow.objects.count() == Partnership.objects.count()
    row = FacetRow.objects.get(partnership__slug="angers-bamako")
    assert "kind:commune" in row.facet_values
    assert any(v.startswith("region:2008:") for v in row.facet_values)
    assert any(v.startswith("region:2023:") for v in row.facet_values)
    assert row.facet_values == sorted(set(row.facet_values))


def test_the_migration_gives_rows_written_before_it_their_partners():
    """Rows written before the partners were among their values (migration 0018) get them
    from the migration: each row then equals one written from scratch; reversed, none holds
    a partner."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("partnerships.migrations.0018_facet_rows_partners")
    editor = SimpleNamespace(connection=connection)
    migration.remove_partners(apps, editor)
    rows = FacetRow.objects.values_list("facet_values", flat=True)
    assert not any(v.startswith("partner:") for values in rows for v in values)
    migration.add_partners(apps, editor)
    partnerships = list(Partnership.objects.order_by("pk"))
    assert len(partnerships) > 100
    for partnership in partnerships:
        assert stored_row(partnership) == fresh_row(partnership), partnership.slug
    row = FacetRow.objects.get(partnership__slug="angers-bamako")
    angers = Collectivity.objects.get(slug="angers")
    assert f"partner:FR:{angers.pk}" in row.facet_values


def fields(row):
    return (
        row.facet_values,
        row.status,
        row.contacts_start_year,
        row.last_event_kind,
        row.last_event_date,
    )


def fresh_row(partnership):
    """The row as written from scratch now: what the stored one must equal."""
    partnership = Partnership.objects.prefetch_related(
        "members__collectivity__placements__division", "domains", "events"
    ).get(pk=partnership.pk)
    return fields(facetrows.row_of(partnership))


def stored_row(partnership):
    return fields(FacetRow.objects.get(pk=partnership.pk))


def test_rows_follow_every_kind_of_write(django_capture_on_commit_callbacks):
    """Forty random writes, each committed: every row equal to one written from scratch, and
    the counts equal to the list's, after each batch."""
    rng = random.Random(11)
    partnerships = list(Partnership.objects.order_by("pk"))
    domains = list(Domain.objects.all())
    regions = list(MalianRegion.objects.all())
    malian = list(Collectivity.objects.filter(country=Country.MALI).order_by("pk"))
    french = list(Collectivity.objects.filter(country=Country.FRANCE).order_by("pk"))

    def add_domain(p):
        p.domains.add(rng.choice(domains))

    def remove_domain(p):
        p.domains.remove(*list(p.domains.all())[:1])

    def set_domains(p):
        p.domains.set(rng.sample(domains, 2))

    def move_partner_to_another_region(p):
        member = p.members.filter(collectivity__country=Country.MALI).first()
        if member:
            collectivity = member.collectivity
            collectivity.malian_region = rng.choice(regions)
            collectivity.save()  # its placements are recomputed too

    def change_department(p):
        member = p.members.filter(collectivity__country=Country.FRANCE).first()
        if member:
            collectivity = member.collectivity
            collectivity.department_code, collectivity.department = "2A", "Corse-du-Sud"
            collectivity.french_region = "Corse"
            collectivity.save()

    def add_partner(p):
        existing = set(p.members.values_list("collectivity_id", flat=True))
        candidates = [c for c in rng.choice([malian, french]) if c.pk not in existing]
        PartnershipMemberFactory(partnership=p, collectivity=rng.choice(candidates))

    def remove_partner(p):
        member = p.members.order_by("?").first()
        if member:
            member.delete()

    def add_event(p):
        PartnershipEventFactory(
            partnership=p,
            kind=rng.choice([EventKind.ENDED, EventKind.SUSPENDED, EventKind.NEWS]),
            date=datetime.date(rng.randint(2000, 2026), 1, 1),
        )

    def delete_event(p):
        latest = PartnershipEvent.objects.filter(partnership=p).order_by("-date").first()
        if latest:
            latest.delete()

    def change_status_and_year(p):
        p.status = rng.choice(PartnershipStatus.values)
        p.contacts_start_year = rng.choice([None, 1975, 1999, 2004])
        p.save()

    def new_partnership(p):
        created = PartnershipFactory()
        PartnershipMemberFactory(partnership=created, collectivity=rng.choice(malian))
        partnerships.append(created)

    def delete_partnership(p):
        partnerships.remove(p)
        p.delete()

    writes = [
        add_domain,
        remove_domain,
        set_domains,
        move_partner_to_another_region,
        change_department,
        add_partner,
        remove_partner,
        add_event,
        delete_event,
        change_status_and_year,
        new_partnership,
        delete_partnership,
    ]
    touched = set()
    for _batch in range(4):
        for _ in range(10):
            partnership = rng.choice(partnerships)
            write = rng.choice(writes)
            with django_capture_on_commit_callbacks(execute=True):
                write(partnership)
            touched.add(partnership.pk)
        for partnership in partnerships:
            assert stored_row(partnership) == fresh_row(partnership), partnership.slug
        assert not FacetRow.objects.exclude(partnership__in=Partnership.objects.all()).exists()
        assert FacetRow.objects.count() == Partnership.objects.count()
    assert_counts_match_the_list()
    assert_counts_match_the_list("division=2008")
    assert len(touched) > 20


def test_a_member_placed_again_moves_its_partnerships_in_the_region_facet(
    django_capture_on_commit_callbacks,
):
    member = PartnershipMember.objects.filter(
        collectivity__country=Country.MALI, collectivity__malian_region__slug="kayes"
    ).first()
    before = {
        o["value"]: o["count"] for o in _facet_counts(filterset("division=2008"))[0]["options"]
    }
    collectivity = member.collectivity
    collectivity.malian_region = MalianRegion.objects.get(slug="kidal")
    with django_capture_on_commit_callbacks(execute=True):
        collectivity.save()
    after = {
        o["value"]: o["count"] for o in _facet_counts(filterset("division=2008"))[0]["options"]
    }
    moved = set(collectivity.memberships.values_list("partnership_id", flat=True))
    assert after["kidal"] > before["kidal"] and after["kidal"] <= before["kidal"] + len(moved)
    assert_counts_match_the_list("division=2008")
