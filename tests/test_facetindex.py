"""The facets' index in each process's memory (partnerships/facetindex.py) never shows a state
older than the committed rows.

Another worker is played by a second ``FacetIndex`` built before the writes: after each
batch of committed writes it refreshes from the log alone, and must hold exactly what an
index read afresh from the database holds. Then the log is damaged (an entry lost, the
cache emptied, a rolled-back write) and the same must hold.
"""

import random

import pytest
from django.core.cache import cache
from django.db import transaction

from partnerships import facetindex, facetrows
from partnerships.facetindex import FacetIndex
from partnerships.models import (
    REPERTOIRE_DIVISION,
    AdministrativeUnit,
    Division,
    Domain,
    FacetRow,
    MalianRegion,
    Partnership,
)
from partnerships.search import flush_pending

from .factories import PartnershipEventFactory, PartnershipFactory, PartnershipMemberFactory

pytestmark = pytest.mark.django_db


def by_keys(index):
    """{value: set of partnership keys}: positions differ from one index to another."""
    keys = {position: key for key, position in index.position.items()}
    found = {}
    for value, bits in index.bits.items():
        members = {keys[p] for p in range(bits.bit_length()) if bits >> p & 1}
        if members:
            found[value] = members
    return found


def partners_by_keys(index):
    """{partnership key: its partners as (country, collectivity key)}, from the tallied rows."""
    return {
        key: sorted((index.country[c], c) for c in index.tallied_at[position])
        for key, position in index.position.items()
        if index.tallied_at[position] is not None
    }


def assert_same_as_a_fresh_read(index):
    index.refresh()
    fresh = FacetIndex("default").refresh()
    assert by_keys(index) == by_keys(fresh)
    assert partners_by_keys(index) == partners_by_keys(fresh)
    everything = {key for key, p in index.position.items() if index.everything >> p & 1}
    assert everything == set(FacetRow.objects.values_list("partnership_id", flat=True))


def random_write(rng, partnerships, domains):
    partnership = rng.choice(partnerships)
    kind = rng.randrange(6)
    if kind == 5:
        PartnershipMemberFactory(partnership=partnership)
    elif kind == 0:
        partnership.domains.add(rng.choice(domains))
    elif kind == 1:
        partnership.domains.clear()
    elif kind == 2:
        PartnershipEventFactory(partnership=partnership)
    elif kind == 3:
        created = PartnershipFactory()
        PartnershipMemberFactory(partnership=created)
        partnerships.append(created)
    else:
        partnerships.remove(partnership)
        partnership.delete()


def counting_whole_reads(index):
    """``index`` with a count of its reads of every row (``index.whole_reads``)."""
    read_everything = index._read_everything
    index.whole_reads = 0

    def counted():
        index.whole_reads += 1
        read_everything()

    index._read_everything = counted
    return index


def test_another_worker_follows_committed_writes_through_the_log(
    django_capture_on_commit_callbacks,
):
    other = counting_whole_reads(FacetIndex("default").refresh())
    rng = random.Random(20261204)
    partnerships = list(Partnership.objects.order_by("pk")[:60])
    domains = list(Domain.objects.all())
    for _batch in range(3):
        for _ in range(8):
            with django_capture_on_commit_callbacks(execute=True):
                random_write(rng, partnerships, domains)
        assert_same_as_a_fresh_read(other)
    # The writes were read again partnership by partnership, never by reading everything.
    assert other.whole_reads == 0
    assert other.sequence == cache.get(facetindex.SEQUENCE_KEY)


def test_a_lost_entry_or_an_emptied_cache_reads_everything_again(
    django_capture_on_commit_callbacks,
):
    other = counting_whole_reads(FacetIndex("default").refresh())
    partnership = Partnership.objects.get(slug="angers-bamako")
    with django_capture_on_commit_callbacks(execute=True):
        partnership.domains.clear()
    sequence = cache.get(facetindex.SEQUENCE_KEY)
    cache.delete(facetindex.ENTRY_KEY.format(sequence))
    assert_same_as_a_fresh_read(other)
    assert other.whole_reads == 1

    with django_capture_on_commit_callbacks(execute=True):
        partnership.delete()
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PartnershipMemberFactory(partnership=PartnershipFactory())
    assert_same_as_a_fresh_read(other)
    assert other.whole_reads == 2


def test_a_rolled_back_write_logs_nothing(django_capture_on_commit_callbacks):
    other = FacetIndex("default").refresh()
    sequence = cache.get(facetindex.SEQUENCE_KEY)
    partnership = Partnership.objects.get(slug="angers-bamako")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                partnership.domains.clear()
                flush_pending()
                raise RuntimeError
        except RuntimeError:
            pass
    assert cache.get(facetindex.SEQUENCE_KEY, 0) == sequence
    assert_same_as_a_fresh_read(other)


def test_the_list_counts_an_edit_once_committed(client, django_capture_on_commit_callbacks):
    def health_count():
        response = client.get("/fr/partenariats/")
        domain = next(f for f in response.context["facets"] if f["name"] == "domain")
        return next(o["count"] for o in domain["options"] if o["value"] == "sante")

    before = health_count()
    partnership = Partnership.objects.exclude(domains__slug="sante").first()
    with django_capture_on_commit_callbacks(execute=True):
        partnership.domains.add(Domain.objects.get(slug="sante"))
    assert health_count() == before + 1


def test_counts_over_every_partnership_are_the_link_tables_counts():
    """The home page's and the maps' counts from the index (facetrows.counted_over_all) are
    the counts the link tables give (the QuerySets' with_partnership_count)."""

    def by_key(objects):
        return {obj.pk: obj.partnership_count for obj in objects}

    assert facetindex.current() is not None
    pairs = [
        (
            MalianRegion.objects.all(),
            facetrows.region_value(REPERTOIRE_DIVISION),
            MalianRegion.objects.with_partnership_count(),
        ),
        (Domain.objects.all(), facetrows.domain_value(), Domain.objects.with_partnership_count()),
    ]
    for division in Division.objects.exclude(slug=REPERTOIRE_DIVISION):
        units = AdministrativeUnit.objects.in_division(division).regions()
        pairs.append(
            (
                units.by_number(),
                facetrows.region_value(division.slug),
                units.with_partnership_count(division),
            )
        )
    assert len(pairs) > 2
    for objects, prefix, in_sql in pairs:
        counted = facetrows.counted_over_all(objects, prefix, in_sql)
        assert [o.pk for o in counted] == [o.pk for o in in_sql]
        assert by_key(counted) == by_key(in_sql)
        assert sum(by_key(counted).values()) > 0


def test_the_number_of_a_region_or_domain_page_is_its_lists():
    """A region's or a domain's page counts its list in the index (facetrows.number_under):
    the number of partnerships the page lists."""
    checked = 0
    for region in MalianRegion.objects.all():
        value = facetrows.region_value(REPERTOIRE_DIVISION, region.pk)
        listed = Partnership.objects.in_regions([region]).count()
        assert facetrows.number_under(value) == listed, region.slug
        checked += listed
    for division in Division.objects.exclude(slug=REPERTOIRE_DIVISION):
        for unit in AdministrativeUnit.objects.in_division(division).regions():
            value = facetrows.region_value(division.slug, unit.pk)
            listed = Partnership.objects.in_units(division, [unit]).count()
            assert facetrows.number_under(value) == listed, (division.slug, unit.slug)
    for domain in Domain.objects.all():
        listed = Partnership.objects.in_domains([domain]).count()
        assert facetrows.number_under(facetrows.domain_value(domain.pk)) == listed, domain.slug
    assert checked > 100
