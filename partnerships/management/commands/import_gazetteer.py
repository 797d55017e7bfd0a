import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships import fixtures_io
from partnerships.importers import gazetteer, timeline


class Command(BaseCommand):
    help = (
        "Écrit fixtures/gazetteer.json (découpages du Mali, régions et cercles dans le temps, "
        "rattachement de chaque collectivité malienne) et fixtures/events.json (événements que "
        "le répertoire date), depuis les tables de fixtures/sources/ et les fixtures du "
        "répertoire ; liste les collectivités non placées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", default=str(settings.SOURCES_DIR))
        parser.add_argument("--output", default=str(settings.FIXTURES_DIR))
        parser.add_argument(
            "--check",
            action="store_true",
            help="Échouer si les fixtures écrites diffèrent de celles que les sources donnent.",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            collectivities = json.loads((output / "collectivities.json").read_text("utf-8"))
            partnerships = json.loads((output / "partnerships.json").read_text("utf-8"))
            records, unplaced = gazetteer.build(Path(options["sources"]), collectivities)
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {error.filename}") from error
        fixtures = {"gazetteer.json": records, "events.json": timeline.build(partnerships)}
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(f"{len(unplaced)} rattachement(s) impossible(s)")
        if verbosity >= 2:
            for item in unplaced:
                self.stdout.write(f"  {item.collectivity} ({item.division}) : {item.reason}")
        if options["check"]:
            changed = fixtures_io.differences(output, fixtures)
            if changed:
                raise CommandError("Fixtures différentes des sources : " + ", ".join(changed))
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS("Les fixtures correspondent aux sources."))
            return
        fixtures_io.write_all(output, fixtures)
        if verbosity >= 1:
            counts = ", ".join(f"{name} {len(objs)}" for name, objs in fixtures.items())
            self.stdout.write(self.style.SUCCESS(f"Fixtures écrites dans {output} : {counts}"))
