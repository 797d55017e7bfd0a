"""Load the fixtures into the database, again and again, without undoing the staff's work.

The unit the staff edit is the fiche: a partnership with its partners, actions, budgets and
contacts (the edit page saves them together). So a fiche is kept whole, as the staff left it,
when the history holds any change made by a user (history_user set) on the partnership or on
one of its children, or when a user deleted it: the fixture rows of that fiche are skipped. A
collectivity changed or deleted by a user is kept the same way, and a review item already
resolved stays resolved. Fixture rows load raw (as loaddata does): seeding records no history,
so it never counts as an edit itself. What was skipped is reported.
"""

import json
from collections import Counter

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.models import (
    Action,
    Budget,
    Collectivity,
    Contact,
    Partnership,
    PartnershipEvent,
    PartnershipMember,
    ReviewItem,
)
from partnerships.search import rebuild_documents

# Load order: every file only refers to rows of the files before it.
FIXTURE_FILES = [
    "sources.json",
    "regions.json",
    "domains.json",
    "collectivities.json",
    "partnerships.json",
    "contacts.json",
    "actions.json",
    "review.json",
    # The gazetteer of Mali and the events the répertoire dates (manage.py import_gazetteer).
    "gazetteer.json",
    "events.json",
    # The workshops' notes (workshops app), linked to the collectivities and fiches above.
    "workshops.json",
]
FICHE_CHILDREN = [PartnershipMember, Action, Budget, Contact, PartnershipEvent]


class StaffEdits:
    """What the staff changed, read from the history before loading."""

    def __init__(self):
        by_user = {"history_user__isnull": False}
        edited = set(Partnership.history.filter(**by_user).values_list("id", flat=True))
        for model in FICHE_CHILDREN:
            edited |= set(model.history.filter(**by_user).values_list("partnership_id", flat=True))
        self.partnerships = dict(
            Partnership.objects.filter(pk__in=edited).values_list("pk", "slug")
        )
        self.deleted_partnerships = set(
            Partnership.history.filter(history_type="-", **by_user).values_list("slug", flat=True)
        ) - set(self.partnerships.values())
        self.collectivities = set(
            Collectivity.history.filter(**by_user).values_list("id", flat=True)
        )
        self.deleted_collectivities = set(
            Collectivity.history.filter(history_type="-", **by_user).values_list("slug", flat=True)
        )
        self.resolved_items = set(
            ReviewItem.objects.filter(resolved_at__isnull=False).values_list("key", flat=True)
        )

    def deleted(self, record):
        """Why this raw fixture record belongs to something a user deleted, or None."""
        fields = record["fields"]
        if record["model"] == "partnerships.partnership":
            return "partnership" if fields.get("slug") in self.deleted_partnerships else None
        if record["model"] == "partnerships.collectivity":
            return "collectivity" if fields.get("slug") in self.deleted_collectivities else None
        if (fields.get("partnership") or [None])[0] in self.deleted_partnerships:
            return "fiche_row"
        if (fields.get("collectivity") or [None])[0] in self.deleted_collectivities:
            return "fiche_row"
        return None

    def keeps(self, deserialized):
        """Why this fixture row is skipped, or None to load it."""
        row = deserialized.object
        if isinstance(row, Partnership) and row.pk in self.partnerships:
            return "partnership"
        if isinstance(row, tuple(FICHE_CHILDREN)) and row.partnership_id in self.partnerships:
            return "fiche_row"
        if isinstance(row, Collectivity) and row.pk in self.collectivities:
            return "collectivity"
        if isinstance(row, ReviewItem) and row.key in self.resolved_items:
            return "review_item"
        return None


class Command(BaseCommand):
    help = (
        "Charge les fixtures (fixtures/*.json) dans la base. Relançable : les lignes sont "
        "retrouvées par leur clé naturelle et mises à jour, jamais dupliquées ; les fiches et "
        "collectivités modifiées par l'équipe et les points déjà résolus ne sont pas écrasés."
    )

    def handle(self, *args, **options):
        paths = [settings.FIXTURES_DIR / name for name in FIXTURE_FILES]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(
                "Fixtures absentes : "
                + ", ".join(missing)
                + " (lancez manage.py import_repertoire)."
            )
        # One transaction: a fixture that fails to load leaves the database as it was.
        try:
            with transaction.atomic():
                loaded, skipped, kept = self.load(paths)
        except Exception as error:  # deserialisation raises many kinds; all mean "nothing loaded"
            raise CommandError(f"Chargement annulé, la base est inchangée : {error}") from error
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Base alimentée depuis fixtures/ ({loaded} lignes).")
            )
            if skipped:
                self.stdout.write(
                    "Non écrasé (modifié par l'équipe) : "
                    f"{skipped['partnership']} fiche(s) et {skipped['fiche_row']} ligne(s) de "
                    f"fiches, {skipped['collectivity']} collectivité(s), "
                    f"{skipped['review_item']} point(s) à vérifier déjà résolu(s)."
                )
            if verbosity >= 2:
                for label in kept:
                    self.stdout.write(f"  conservé : {label}")

    def load(self, paths):
        staff = StaffEdits()
        loaded, skipped, kept, deferred = 0, Counter(), [], []
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                records = json.load(stream)
            # Rows of a fiche or collectivity a user deleted are dropped before deserialising:
            # their natural keys point to rows that no longer exist.
            kept_records = []
            for record in records:
                reason = staff.deleted(record)
                if reason:
                    skipped[reason] += 1
                else:
                    kept_records.append(record)
            try:
                for row in serializers.deserialize(
                    "python", kept_records, handle_forward_references=True
                ):
                    reason = staff.keeps(row)
                    if reason:
                        skipped[reason] += 1
                        if reason in ("partnership", "collectivity"):
                            kept.append(f"{row.object._meta.verbose_name} {row.object.slug}")
                        continue
                    row.save()
                    loaded += 1
                    if row.deferred_fields:
                        deferred.append(row)
            except Exception as error:  # name the file at fault; the transaction rolls back
                raise CommandError(f"{path.name} : {error}") from error
        for row in deferred:
            row.save_deferred_fields()
        # Raw rows send no signal the search listens to: every document is written once here.
        rebuild_documents()
        return loaded, skipped, kept
