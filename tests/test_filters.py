"""The partnership FilterSet on the seeded répertoire: each filter matches and excludes."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from partnerships.filters import PartnershipFilter, facet_counts
from partnerships.models import Partnership, PartnershipMember

from .factories import (
    CollectivityFactory,
    MalianCollectivityFactory,
    MalianRegionFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db


def query(data):
    """Form data as a request gives it (a filter may be repeated)."""
    return QueryDict(urlencode(data, doseq=True))


def slugs(data):
    filterset = PartnershipFilter(query(data), queryset=Partnership.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("slug", flat=True))


def with_partner(**lookups):
    return set(
        PartnershipMember.objects.filter(
            **{f"collectivity__{k}": v for k, v in lookups.items()}
        ).values_list("partnership__slug", flat=True)
    )


def test_region_kayes_lists_exactly_the_partnerships_with_a_partner_in_kayes():
    found = slugs({"division": "2008", "region": "kayes"})
    assert found == with_partner(malian_region__slug="kayes")
    assert "paris-cercle-de-yelimane" in found
    assert "alencon-koutiala" not in found  # Koutiala is in Sikasso


def test_several_regions_are_alternatives():
    assert slugs({"region": ["kayes", "kidal"]}) == slugs({"region": "kayes"}) | slugs(
        {"region": "kidal"}
    )


def test_domain():
    found = slugs({"domain": "eau-assainissement"})
    assert found == set(
        Partnership.objects.filter(domains__slug="eau-assainissement").values_list(
            "slug", flat=True
        )
    )
    assert "bures-sur-yvette-korera-kore" in found
    assert "aix-en-provence-bamako-commune-v" not in found


def test_region_and_domain_combine():
    found = slugs({"region": "kayes", "domain": "eau-assainissement"})
    assert found
    assert found == slugs({"region": "kayes"}) & slugs({"domain": "eau-assainissement"})


def test_french_region():
    found = slugs({"french_region": "Provence-Alpes-Côte d'Azur"})
    assert "aix-en-provence-bamako-commune-v" in found
    assert "alencon-koutiala" not in found
    assert found == with_partner(french_region="Provence-Alpes-Côte d'Azur")


def test_department_by_code():
    found = slugs({"department": "13"})
    assert "aix-en-provence-bamako-commune-v" in found
    assert "paris-cercle-de-yelimane" not in found
    assert found == with_partner(department_code="13")


def test_kind_of_collectivity():
    found = slugs({"kind": "cc"})
    assert found == with_partner(kind="cc")
    assert found
    assert "aix-en-provence-bamako-commune-v" not in found


def test_status():
    def by_status(*statuses):
        return set(Partnership.objects.filter(status__in=statuses).values_list("slug", flat=True))

    assert slugs({"status": "documented"}) == by_status("documented")
    assert "aix-en-provence-bamako-commune-v" in slugs({"status": "documented"})
    assert "aix-en-provence-bamako-commune-v" not in slugs({"status": "listed"})
    assert slugs({"status": ["documented", "other"]}) == by_status("documented", "other")


def test_first_contact_range_and_decade():
    found = slugs({"contacts_start_year_min": 1960, "contacts_start_year_max": 1974})
    assert found == {"alencon-koutiala", "angers-bamako"} | {
        s
        for s in Partnership.objects.filter(contacts_start_year=1970).values_list("slug", flat=True)
    }
    assert "aix-en-provence-bamako-commune-v" not in found
    sixties = slugs({"decade": "1960"})
    assert sixties == {"alencon-koutiala"}
    assert slugs({"decade": ["1960", "1970"]}) >= found


def test_collectivity():
    assert slugs({"collectivity": "koutiala"}) == {"alencon-koutiala"}


def test_search_is_a_filter():
    assert "alencon-koutiala" in slugs({"search": "koutiala"})
    assert "aix-en-provence-bamako-commune-v" not in slugs({"search": "koutiala"})


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({"region": "atlantide"}, "region"),
        ({"domain": "nope"}, "domain"),
        ({"status": "lost"}, "status"),
        ({"kind": "empire"}, "kind"),
        ({"department": "999"}, "department"),
        ({"french_region": "Gondor"}, "french_region"),
        ({"decade": "1965"}, "decade"),
        ({"contacts_start_year_min": "soon"}, "contacts_start_year_min"),
        ({"contacts_start_year_max": "3000"}, "contacts_start_year_max"),
        ({"collectivity": "nowhere"}, "collectivity"),
        ({"ordering": "price"}, "ordering"),
    ],
)
def test_malformed_values_are_form_errors_naming_the_parameter(data, name):
    filterset = PartnershipFilter(query(data), queryset=Partnership.objects.all())
    assert not filterset.is_valid()
    assert list(filterset.errors) == [name]


def test_ordering():
    by_year = list(
        PartnershipFilter(
            query({"ordering": "year", "status": "documented"}), Partnership.objects.all()
        )
        .qs.exclude(contacts_start_year=None)
        .values_list("contacts_start_year", flat=True)
    )
    assert by_year == sorted(by_year)
    titles = list(
        PartnershipFilter(query({"ordering": "-title"}), Partnership.objects.all()).qs.values_list(
            "title", flat=True
        )
    )
    assert titles[0] > titles[-1]


def facets(data):
    filterset = PartnershipFilter(query(data), queryset=Partnership.objects.all())
    assert filterset.is_valid()
    return {
        facet["name"]: {o["value"]: (o["count"], o["selected"]) for o in facet["options"]}
        for facet in facet_counts(filterset)
    }


def test_facets_count_the_current_selection():
    counts = facets({})
    assert counts["region"]["kayes"] == (len(slugs({"region": "kayes"})), False)
    assert counts["status"] == {
        status: (Partnership.objects.filter(status=status).count(), False)
        for status in ["documented", "listed", "other"]
    }
    counts = facets({"domain": "eau-assainissement"})
    kayes_water = slugs({"region": "kayes", "domain": "eau-assainissement"})
    assert counts["region"]["kayes"] == (len(kayes_water), False)
    assert sum(n for n, _ in counts["status"].values()) == len(
        slugs({"domain": "eau-assainissement"})
    )


def test_a_facet_ignores_its_own_filter_but_not_the_others():
    counts = facets({"region": "kayes", "domain": "eau-assainissement"})
    n = len(slugs({"region": "kayes", "domain": "eau-assainissement"}))
    # Region counts: over the water partnerships (the region filter itself set aside).
    assert counts["region"]["kayes"] == (n, True)
    assert counts["region"]["kidal"] == (
        len(slugs({"region": "kidal", "domain": "eau-assainissement"})),
        False,
    )
    # Domain counts: over the Kayes partnerships.
    assert counts["domain"]["eau-assainissement"] == (n, True)
    assert counts["domain"]["sante"][0] == len(slugs({"region": "kayes", "domain": "sante"}))
    assert sum(count for count, _ in counts["status"].values()) == n


def test_region_filter_on_new_rows():
    """Factories: a partnership counts once even with two partners in the region."""
    region = MalianRegionFactory(slug="test-region", number=99, name="Test", capital="Test")
    partnership = PartnershipFactory()
    for _ in range(2):
        PartnershipMemberFactory(
            partnership=partnership, collectivity=MalianCollectivityFactory(malian_region=region)
        )
    assert slugs({"division": "2008", "region": "test-region"}) == {partnership.slug}
    assert facets({"division": "2008"})["region"]["test-region"] == (1, False)


def test_the_french_choices_are_kept_until_the_data_changes(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The filters' French regions and departments are read once per data version
    (dataversion.kept): not again while nothing is written, again once a write commits."""
    from partnerships.filters import department_choices, french_region_choices

    regions = french_region_choices()
    departments = department_choices()
    with django_assert_num_queries(0):
        assert french_region_choices() == regions and department_choices() == departments
    with django_capture_on_commit_callbacks(execute=True):
        CollectivityFactory(
            french_region="Zzz Nouvelle-Région", department_code="999", department="Essai"
        )
    assert ("Zzz Nouvelle-Région", "Zzz Nouvelle-Région") in french_region_choices()
    assert ("999", "Essai (999)") in department_choices()


@pytest.mark.parametrize("words", ["segou", "eau", "ecole", "commune", "koutialla", "zzzzqqq"])
def test_a_search_counts_its_matches_keys(words):
    """Without facets (the API), a search alone is counted by the keys of its matches
    (search.matching_keys), read once; with another filter or over fewer partnerships, by a
    COUNT of its selection: each equals the number of rows listed."""
    data = QueryDict(urlencode({"search": words}))
    alone = PartnershipFilter(data, queryset=Partnership.objects.all())
    assert alone.is_valid()
    assert alone.searches_only()
    assert alone.selection_count() == alone.qs.count() == len(set(alone.search_keys()))
    fewer = Partnership.objects.filter(contacts_start_year__gte=2000)
    restricted = PartnershipFilter(data, queryset=fewer)
    assert restricted.is_valid() and not restricted.searches_only()
    assert restricted.selection_count() == restricted.qs.count()
    both = PartnershipFilter(QueryDict(urlencode({"search": words, "kind": "commune"})))
    assert both.is_valid() and not both.searches_only()
    assert both.selection_count() == both.qs.count()
