from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships import fixtures_io
from partnerships.importers.repertoire import RepertoireFormatError, build


class Command(BaseCommand):
    help = (
        "Lit le répertoire CUF 2008 (fixtures/sources/) et écrit les fixtures (fixtures/*.json), "
        "puis affiche le rapport de ce que l'import n'a pas pu placer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", default=str(settings.SOURCES_DIR))
        parser.add_argument("--output", default=str(settings.FIXTURES_DIR))
        parser.add_argument(
            "--dry-run", action="store_true", help="Analyser sans écrire les fixtures."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Échouer si les fixtures écrites diffèrent de celles que les sources donnent.",
        )

    def handle(self, *args, **options):
        try:
            dataset = build(Path(options["sources"]))
        except RepertoireFormatError as error:
            raise CommandError(f"Import arrêté, rien n'a été écrit : {error}") from error
        except FileNotFoundError as error:
            raise CommandError(f"Source introuvable : {error.filename}") from error

        verbosity = options["verbosity"]
        kinds = Counter(item.kind for item in dataset.report)
        if verbosity >= 1:
            self.stdout.write(f"Rapport d'import : {len(dataset.report)} point(s) à vérifier")
            for kind, count in sorted(kinds.items()):
                self.stdout.write(f"  {kind} : {count}")
        if verbosity >= 2:
            for item in sorted(dataset.report, key=lambda i: (i.line, i.kind)):
                value = f" « {item.value} »" if item.value else ""
                self.stdout.write(f"  ligne {item.line} [{item.kind}] {item.message}{value}")

        output = Path(options["output"])
        if options["check"]:
            changed = fixtures_io.differences(output, dataset.fixtures)
            if changed:
                raise CommandError("Fixtures différentes des sources : " + ", ".join(changed))
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS("Les fixtures correspondent aux sources."))
            return
        summary = ", ".join(f"{key} {value}" for key, value in dataset.stats.items())
        if options["dry_run"]:
            self.stdout.write(f"Analyse seule (rien n'est écrit) : {summary}")
            return
        fixtures_io.write_all(output, dataset.fixtures)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Fixtures écrites dans {output} : {summary}"))
