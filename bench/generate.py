"""Scale the seeded répertoire to N partnerships, for the load benchmark (bench/load.py).

Usage: DATABASE_URL=... .venv/bin/python bench/generate.py --partnerships 100000
The database must be migrated and seeded (`manage.py seed`); the script adds partnerships
until there are N. Each new one is a clone of a real partnership (its status, texts, contacts
and annual budgets) between partners drawn from a grown pool of collectivities (the real ones,
INSEE's communes of fixtures/sources/french_communes.csv, Malian communes numbered within the
49 cercles), with action rows drawn from the real actions tables (domain, description, years,
budgets with amounts varied from ×0.5 to ×2): 10 action rows per partnership on average
(`--actions-per-partnership`), all on those with a fiche, so 100k make about 1M actions.

Rows are written with COPY on PostgreSQL and executemany on SQLite, in chunks of a few
thousand partnerships (one transaction each: memory stays flat); historical records are not
written, as `seed` (loaddata) writes none. Then every management command named `rebuild_*` is
run (derived data such as a stored search document) and PostgreSQL's statistics refreshed.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A French partner for every 2.5 partnerships (the ministry's atlas: 12,000 projects of 4,800
# French local authorities); the communes of the Malian cercles number about 700.
FRENCH_PER_PARTNERSHIP = 0.4
MALIAN_COMMUNES = 700
# Real collectivities are drawn this many times more often per partnership they already have
# than a new one: Bamako, Kayes or Ségou stay the most partnered, as in the répertoire.
REAL_WEIGHT = 8


def sql_value(value, vendor):
    """A Python value as the database takes it in COPY (text) or executemany."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) and vendor == "postgresql":
        return "t" if value else "f"
    return value


class Writer:
    """Inserts rows with ids chosen here (children need their parents' ids before the COPY)."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.next_id = {}

    def ids(self, model, count):
        if model not in self.next_id:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
                self.next_id[model] = cursor.fetchone()[0] + 1
        first = self.next_id[model]
        self.next_id[model] += count
        return range(first, first + count)

    def insert(self, model, rows):
        """``rows``: dicts by attname (partnership_id…); columns missing take their default."""
        if not rows:
            return
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        defaults = {f.attname: f.get_default() for f in fields}
        table = model._meta.db_table
        values = (
            [sql_value(row.get(f.attname, defaults[f.attname]), self.vendor) for f in fields]
            for row in rows
        )
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                for row in values:
                    writer.writerow(["\\N" if v is None else v for v in row])
                buffer.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(values)
                )

    def finish(self):
        """Move the id sequences past the rows written (PostgreSQL)."""
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def read_csv(name):
    from django.conf import settings

    with open(settings.SOURCES_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def collectivity_pools(writer, target, rng):
    """The French and Malian collectivities the clones draw their partners from, with weights:
    the real ones, then new rows (written here) up to the sizes a directory of ``target``
    partnerships would have."""
    from django.utils.text import slugify

    from partnerships.models import Collectivity, CollectivityKind, Country, MalianRegion

    counts = dict(
        Collectivity.objects.with_partnership_count().values_list("id", "partnership_count")
    )
    pools = {}
    for country in (Country.FRANCE, Country.MALI):
        ids = list(Collectivity.objects.filter(country=country).values_list("id", flat=True))
        pools[country] = (ids, [1 + REAL_WEIGHT * counts.get(pk, 0) for pk in ids])

    taken = set(Collectivity.objects.values_list("slug", flat=True))
    new = []
    departments = {row["code"]: row for row in read_csv("french_departments.csv")}
    communes = [
        row
        for row in read_csv("french_communes.csv")
        if row["kind"] == "actuelle" and row["department"] in departments
    ]
    rng.shuffle(communes)
    wanted = int(target * FRENCH_PER_PARTNERSHIP) - len(pools[Country.FRANCE][0])
    for row in communes[: max(wanted, 0)]:
        slug = f"{slugify(row['name'])}-{row['insee']}".lower()
        if slug in taken:
            continue
        department = departments[row["department"]]
        new.append(
            {
                "slug": slug,
                "country": Country.FRANCE,
                "kind": CollectivityKind.COMMUNE,
                "name": row["name"],
                "name_as_printed": row["name"],
                "department": department["name"],
                "department_code": row["department"],
                "french_region": department["region"],
            }
        )
    regions = dict(MalianRegion.objects.values_list("slug", "id"))
    cercles = read_csv("mali_cercles.csv")
    wanted = min(MALIAN_COMMUNES, target // 10) - len(pools[Country.MALI][0])
    for number in range(max(wanted, 0)):
        cercle = cercles[number % len(cercles)]
        name = f"Commune {number // len(cercles) + 1} du cercle de {cercle['cercle']}"
        new.append(
            {
                "slug": slugify(name),
                "country": Country.MALI,
                "kind": CollectivityKind.COMMUNE,
                "name": name,
                "name_as_printed": name,
                "malian_region_id": regions[cercle["region"]],
                "cercle": cercle["cercle"],
            }
        )
    for row, pk in zip(new, writer.ids(Collectivity, len(new)), strict=True):
        row.update(id=pk, version=1)
        ids, weights = pools[row["country"]]
        ids.append(pk)
        weights.append(1)
    writer.insert(Collectivity, new)
    place_malian([row["id"] for row in new if row["country"] == Country.MALI])
    names = dict(Collectivity.objects.values_list("id", "name"))
    return pools, names


def place_malian(ids):
    """The new Malian communes placed in each division by their cercle, as a staff member's
    save places them (COPY bypasses save): the regions of today count them."""
    from partnerships.models import Collectivity, Placement

    for collectivity in Collectivity.objects.filter(pk__in=ids).select_related("malian_region"):
        Placement.objects.recompute(collectivity)


def load_templates():
    """The real partnerships with their children, as dicts by attname."""
    from partnerships.models import Action, Budget, Contact, Partnership, PartnershipMember

    def by_partnership(model):
        rows = defaultdict(list)
        for row in model.objects.order_by("partnership_id", "position").values():
            rows[row["partnership_id"]].append(row)
        return rows

    members = by_partnership(PartnershipMember)
    contacts = by_partnership(Contact)
    budgets = by_partnership(Budget)
    through = Partnership.domains.through.objects.values_list("partnership_id", "domain_id")
    domains = defaultdict(list)
    for partnership_id, domain_id in through:
        domains[partnership_id].append(domain_id)
    templates = []
    for row in Partnership.objects.order_by("id").values():
        pk = row["id"]
        templates.append(
            {
                "row": row,
                "members": members[pk],
                "contacts": contacts[pk],
                "budgets": [b for b in budgets[pk] if b["action_id"] is None],
                "domains": domains[pk],
                "has_actions": any(True for _ in Action.objects.filter(partnership_id=pk)[:1]),
            }
        )
    action_budgets = defaultdict(list)
    for partnership_rows in budgets.values():
        for budget in partnership_rows:
            if budget["action_id"] is not None:
                action_budgets[budget["action_id"]].append(budget)
    actions = [
        (row, action_budgets[row["id"]])
        for row in Action.objects.order_by("id").values()
        if row["description"] or row["domain_id"]
    ]
    return templates, actions


def varied_amount(budget, rng):
    from partnerships.money import to_eur

    amount = (budget["amount"] * Decimal(rng.uniform(0.5, 2))).quantize(Decimal("0.01"))
    return amount, to_eur(amount, budget["currency"])


def generate(target, *, per_partnership=10.0, seed=1, chunk=2000, log=print):
    """Add partnerships until there are ``target``; returns how many were added."""
    from django.db import connection, transaction

    from partnerships.models import Action, Budget, Contact, Partnership, PartnershipMember

    existing = Partnership.objects.count()
    missing = target - existing
    if missing <= 0:
        log(f"{existing} partnerships already, nothing to add")
        return 0
    rng = random.Random(seed)
    writer = Writer(connection)
    with transaction.atomic():
        pools, names = collectivity_pools(writer, target, rng)
    templates, action_pool = load_templates()
    # The mean is over all partnerships; only those with a fiche have an actions table.
    with_fiche = sum(1 for t in templates if has_fiche(t)) / len(templates)
    per_fiche = per_partnership / with_fiche
    through = Partnership.domains.through
    started = time.perf_counter()
    made = 0
    while made < missing:
        size = min(chunk, missing - made)
        rows = defaultdict(list)
        partnership_ids = writer.ids(Partnership, size)
        for number, pk in enumerate(partnership_ids, start=existing + made + 1):
            template = rng.choice(templates)
            clone(template, pk, number, rows, writer, pools, names, action_pool, rng, per_fiche)
        with transaction.atomic():
            for model in (Partnership, PartnershipMember, Contact, Action, Budget, through):
                writer.insert(model, rows[model])
        made += size
        log(
            f"{existing + made} partnerships, +{len(rows[Action])} actions "
            f"({time.perf_counter() - started:.0f} s)"
        )
    writer.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run_rebuild_commands(log)
    # COPY sent no signal: pages and counts cached by a running site are stale.
    from partnerships import dataversion, facetindex

    dataversion.data_changed()
    facetindex.everything_changed()
    return made


def clone(template, pk, number, rows, writer, pools, names, action_pool, rng, per_fiche):
    from django.utils.text import slugify

    from partnerships.models import (
        Action,
        Budget,
        Contact,
        Country,
        Partnership,
        PartnershipMember,
    )

    row = dict(template["row"])
    members = []
    for side in (Country.FRANCE, Country.MALI):
        printed = [m for m in template["members"] if m["side"] == side]
        ids, weights = pools[side]
        chosen = []
        while len(chosen) < max(len(printed), 1):
            candidate = rng.choices(ids, weights)[0]
            if candidate not in chosen:
                chosen.append(candidate)
        for position, collectivity_id in enumerate(chosen):
            members.append(
                {
                    "partnership_id": pk,
                    "collectivity_id": collectivity_id,
                    "side": side,
                    "position": position,
                    "name_as_printed": names[collectivity_id],
                }
            )
    french = " – ".join(names[m["collectivity_id"]] for m in members if m["side"] == "FR")
    malian = " – ".join(names[m["collectivity_id"]] for m in members if m["side"] == "ML")
    title = f"{french} / {malian}"[:300]
    row.update(
        id=pk,
        title=title,
        slug=f"{slugify(title)[:130]}-{number}",
        version=1,
        mentions=[],
        last_verified_on=None,
        last_verified_by_id=None,
    )
    rows[Partnership].append(row)
    member_ids = writer.ids(PartnershipMember, len(members))
    for member, member_id in zip(members, member_ids, strict=True):
        member["id"] = member_id
        rows[PartnershipMember].append(member)
    for contact, contact_id in zip(
        template["contacts"], writer.ids(Contact, len(template["contacts"])), strict=True
    ):
        rows[Contact].append({**contact, "id": contact_id, "partnership_id": pk})

    budgets = []
    for budget in template["budgets"]:
        amount, amount_eur = varied_amount(budget, rng)
        budgets.append({**budget, "amount": amount, "amount_eur": amount_eur})
    domains = set()
    if has_fiche(template):
        count = rng.randint(1, max(1, round(2 * per_fiche) - 1))
        action_ids = writer.ids(Action, count)
        for position, action_id in enumerate(action_ids, start=1):
            action, action_budgets = rng.choice(action_pool)
            rows[Action].append(
                {**action, "id": action_id, "partnership_id": pk, "position": position}
            )
            if action["domain_id"]:
                domains.add(action["domain_id"])
            for budget in action_budgets:
                amount, amount_eur = varied_amount(budget, rng)
                budgets.append(
                    {**budget, "action_id": action_id, "amount": amount, "amount_eur": amount_eur}
                )
    else:
        domains.update(template["domains"])
    for position, (budget, budget_id) in enumerate(
        zip(budgets, writer.ids(Budget, len(budgets)), strict=True), start=1
    ):
        rows[Budget].append({**budget, "id": budget_id, "partnership_id": pk, "position": position})
    through = Partnership.domains.through
    for domain_id, link_id in zip(sorted(domains), writer.ids(through, len(domains)), strict=True):
        rows[through].append({"id": link_id, "partnership_id": pk, "domain_id": domain_id})


def has_fiche(template):
    from partnerships.models import PartnershipStatus

    return template["has_actions"] or template["row"]["status"] == PartnershipStatus.DOCUMENTED


def run_rebuild_commands(log):
    """Derived data other parts of the project keep (`rebuild_*` commands), rebuilt for the
    rows written here without their save path."""
    from django.core.management import call_command, get_commands

    for name in sorted(get_commands()):
        if name.startswith("rebuild_"):
            started = time.perf_counter()
            call_command(name)
            log(f"manage.py {name}: {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--partnerships", type=int, required=True, help="total wanted")
    parser.add_argument("--actions-per-partnership", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    # Bulk writes of a few seconds each: no web statement timeout here.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    import django

    django.setup()
    started = time.perf_counter()
    made = generate(args.partnerships, per_partnership=args.actions_per_partnership, seed=args.seed)
    print(f"{made} partnerships added in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
