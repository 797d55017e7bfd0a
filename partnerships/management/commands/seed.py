from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
]
# Files that appear with later features (the workshops' notes): loaded when they exist.
OPTIONAL_FIXTURE_FILES = ["workshops.json"]


class Command(BaseCommand):
    help = (
        "Charge les fixtures (fixtures/*.json) dans la base. Relançable : les lignes sont "
        "retrouvées par leur clé naturelle et mises à jour, jamais dupliquées."
    )

    def handle(self, *args, **options):
        paths = [settings.FIXTURES_DIR / name for name in FIXTURE_FILES]
        paths += [
            settings.FIXTURES_DIR / name
            for name in OPTIONAL_FIXTURE_FILES
            if (settings.FIXTURES_DIR / name).exists()
        ]
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
                call_command("loaddata", *map(str, paths), verbosity=options["verbosity"])
        except Exception as error:  # loaddata raises many kinds; all mean "nothing was loaded"
            raise CommandError(f"Chargement annulé, la base est inchangée : {error}") from error
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Base alimentée depuis fixtures/."))
