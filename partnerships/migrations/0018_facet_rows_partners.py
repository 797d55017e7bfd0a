"""The facet rows gain their partners ("partner:FR:12"), which the region pages tally in each
process's index (facetrows.partner_value): rows written before hold none, so they are
completed here rather than waiting for a ``rebuild_search``."""

from collections import defaultdict

from django.db import migrations

PREFIX = "partner:"
BATCH = 2000


def _rewrite(apps, schema_editor, partners_of):
    FacetRow = apps.get_model("partnerships", "FacetRow")
    using = schema_editor.connection.alias
    changed = []
    for row in FacetRow.objects.using(using).order_by("pk").iterator(chunk_size=BATCH):
        values = {v for v in row.facet_values if not v.startswith(PREFIX)}
        values = sorted(values | partners_of(row.partnership_id))
        if values != row.facet_values:
            row.facet_values = values
            changed.append(row)
        if len(changed) >= BATCH:
            FacetRow.objects.using(using).bulk_update(changed, ["facet_values"])
            changed = []
    FacetRow.objects.using(using).bulk_update(changed, ["facet_values"])


def add_partners(apps, schema_editor):
    Member = apps.get_model("partnerships", "PartnershipMember")
    partners = defaultdict(set)
    members = Member.objects.using(schema_editor.connection.alias).values_list(
        "partnership_id", "collectivity__country", "collectivity_id"
    )
    for partnership_id, country, key in members.iterator(chunk_size=10000):
        partners[partnership_id].add(f"{PREFIX}{country}:{key}")
    _rewrite(apps, schema_editor, lambda key: partners.get(key, set()))


def remove_partners(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda key: set())


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0017_facet_rows"),
    ]

    operations = [migrations.RunPython(add_partners, remove_partners)]
