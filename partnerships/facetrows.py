"""The facets' rows: what each partnership is counted under, and the counts of a selection.

A FacetRow holds, per partnership, one string per facet value ("domain:7",
"region:2023:45" for a region of the 2023 division, "region:2008:3" for a 2008 region,
"department:75", "french_region:Île-de-France", "kind:commune", "partner:FR:12" for a
French partner) and the scalar values (status, year of first contacts, latest event). The
lists count a selection's facets from these rows in two queries: one pass over the
selection's values grouped, one grouping of its scalars. At 100,000 partnerships the link
tables joined to partners and placements took 0.3 to 0.5 s per facet; one pass over the
narrow rows takes 0.2 to 0.4 s for all of them (about 15 values a row). Counts over every
partnership stay on the link tables' indexes (home page, maps): there, reading every row's
values is the slower way.

Rows are written by ``search.index_partnerships`` (the one writer of what is derived from a
partnership, on every write path) through ``row_of``; they are read here only.
"""

from collections import Counter

from django.db import connections
from django.db.models import Count, F

from . import facetindex
from .models import REPERTOIRE_DIVISION, FacetRow, state_case


def region_value(division_slug, key="") -> str:
    """The value of a region of the division ``division_slug`` (without ``key``: the prefix of
    them all)."""
    return f"region:{division_slug}:{key}"


def domain_value(key="") -> str:
    """The value of a domain (without ``key``: the prefix of them all)."""
    return f"domain:{key}"


def partner_value(country, key) -> str:
    """The value of a partner of ``country`` ("FR", "ML"): tallied per row by the index
    (``facetindex.TALLIED``), never a facet of the lists."""
    return f"{facetindex.TALLIED}{country}:{key}"


def row_of(partnership) -> FacetRow:
    """The row of a partnership whose members (collectivity with its placements and their
    division), domains and events are prefetched."""
    values = set()
    for member in partnership.members.all():
        collectivity = member.collectivity
        values.add(f"kind:{collectivity.kind}")
        values.add(partner_value(collectivity.country, collectivity.pk))
        if collectivity.malian_region_id:
            values.add(region_value(REPERTOIRE_DIVISION, collectivity.malian_region_id))
        for placement in collectivity.placements.all():
            # The 2008 division is read from the répertoire's own field (as the filters do).
            if placement.division.slug != REPERTOIRE_DIVISION:
                values.add(region_value(placement.division.slug, placement.region_id))
        if collectivity.department_code:
            values.add(f"department:{collectivity.department_code}")
        if collectivity.french_region:
            values.add(f"french_region:{collectivity.french_region}")
    values.update(domain_value(domain.pk) for domain in partnership.domains.all())
    # The latest event as PartnershipQuerySet.with_state orders them.
    events = sorted(partnership.events.all(), key=lambda e: (e.date, e.key), reverse=True)
    latest = events[0] if events else None
    return FacetRow(
        partnership_id=partnership.pk,
        facet_values=sorted(values),
        status=partnership.status,
        contacts_start_year=partnership.contacts_start_year,
        last_event_kind=latest.kind if latest else "",
        last_event_date=latest.date if latest else None,
    )


def _selected(selection):
    """The rows of ``selection`` (a queryset of partnership keys; None for all)."""
    rows = FacetRow.objects.all()
    return rows if selection is None else rows.filter(partnership__in=selection)


def count_values(selection, prefixes) -> dict:
    """{prefix: {value: number of partnerships of ``selection``}} for the values beginning
    with each of ``prefixes`` ("domain:", "region:2023:"…), the prefix removed."""
    where, params = "", []
    if selection is not None:
        sql, params = selection.query.sql_with_params()
        where = f"f.partnership_id IN ({sql}) AND "
    using = FacetRow.objects.db if selection is None else selection.db
    return _grouped(using, prefixes, "COUNT(*)", "", where, params)


def sum_values(weights, prefixes) -> dict:
    """{prefix: {value: the sum of the weights of the partnerships counted under it}}, as
    ``count_values``; ``weights`` is a queryset of (partnership key, number) rows, such as a
    selection's actions counted per partnership (the actions of a region's partnerships)."""
    sql, params = weights.query.sql_with_params()
    source = f"WITH w(partnership_id, n) AS ({sql}) "
    where = "f.partnership_id = w.partnership_id AND "
    return _grouped(weights.db, prefixes, "SUM(w.n)", source, where, params, tables="w, ")


def _grouped(using, prefixes, measure, source, where, params, tables=""):
    """``measure`` per facet value beginning with one of ``prefixes``, over the rows that
    ``where`` keeps (joined to ``tables``, defined in ``source``)."""
    connection = connections[using]
    # Each vendor's way to read a JSON array as rows; the rest is the same SQL.
    elements = {
        "postgresql": "jsonb_array_elements_text(f.facet_values) AS e(value)",
        "sqlite": "json_each(f.facet_values) AS e",
    }[connection.vendor]
    table = connection.ops.quote_name(FacetRow._meta.db_table)
    wanted = " OR ".join(["e.value LIKE %s"] * len(prefixes))
    query = f"{source}SELECT e.value, {measure} FROM {tables}{table} f, {elements} "
    query += f"WHERE {where}({wanted}) GROUP BY e.value"
    patterns = [prefix.replace("%", r"\%").replace("_", r"\_") + "%" for prefix in prefixes]
    if connection.vendor == "sqlite":
        # SQLite's LIKE takes no escape character unless told; PostgreSQL's is the backslash.
        query = query.replace("LIKE %s", r"LIKE %s ESCAPE '\'")
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *patterns])
        found = cursor.fetchall()
    counts = {prefix: Counter() for prefix in prefixes}
    for value, n in found:
        for prefix in prefixes:
            if value.startswith(prefix):
                # PostgreSQL's SUM of integers is a numeric (a Decimal): a count is an int.
                counts[prefix][value[len(prefix) :]] = int(n)
    return counts


def count_scalars(selection, today=None) -> dict:
    """{"state": Counter, "status": Counter, "decade": Counter} for ``selection``, one
    grouping of the rows (the state by the rule of ``models.state_case``)."""
    rows = (
        _selected(selection)
        .annotate(
            state=state_case("last_event_kind", "last_event_date", today),
            decade=F("contacts_start_year") / 10 * 10,
        )
        .values_list("state", "status", "decade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {"state": Counter(), "status": Counter(), "decade": Counter()}
    for state, status, decade, n in rows:
        counts["state"][state] += n
        counts["status"][status] += n
        if decade is not None:
            counts["decade"][decade] += n
    return counts


def counted(objects, prefix, selection, value) -> list:
    """``objects`` (regions, domains…) each with ``partnership_count``: the partnerships of
    ``selection`` (those counted under the facet value ``value``; None, None: every one)
    counted under ``prefix`` + its key (a region page's domains); from the process's index
    where it is on."""
    index = facetindex.current(objects.db if selection is None else selection.db)
    objects = list(objects)
    if index is None:
        counts = count_values(selection, [prefix])[prefix]
    else:
        counts = index.count(prefix, None if value is None else index.bits.get(value, 0))
    for obj in objects:
        obj.partnership_count = counts.get(str(obj.pk), 0)
    return objects


def number_under(value, using="default"):
    """The number of partnerships counted under ``value`` (a list's count), from the process's
    index; None where it is off."""
    index = facetindex.current(using)
    return None if index is None else index.bits.get(value, 0).bit_count()


def counted_over_all(objects, prefix, in_sql):
    """``objects`` each with ``partnership_count``, over every partnership: from the process's
    index where it is on (values ``prefix`` + key), else ``in_sql``, the same objects counted
    on the link tables' indexes (there, faster than reading every row's values)."""
    index = facetindex.current(objects.db)
    if index is None:
        return in_sql
    return counted(objects, prefix, None, None)


def partners_under(value, using="default"):
    """{country: {collectivity key: number of partnerships counted under ``value`` it is a
    partner of}}, from the process's index; None where it is off."""
    index = facetindex.current(using)
    if index is None:
        return None
    partners = {}
    country = index.country.get  # (None: a key read meanwhile by a whole read of the rows)
    for key, n in index.tally(index.bits.get(value, 0)).items():
        partners.setdefault(country(key), {})[key] = n
    return partners
