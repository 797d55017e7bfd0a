from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships import fixtures_io
from workshops.importers.build import build


class Command(BaseCommand):
    help = (
        "Lit les comptes rendus d'ateliers (fixtures/sources/), les relie aux collectivités et "
        "partenariats du répertoire (fixtures/*.json) et écrit fixtures/workshops.json, puis "
        "affiche le rapport de ce que l'import n'a pas pu placer ou relier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", default=str(settings.SOURCES_DIR))
        parser.add_argument("--output", default=str(settings.FIXTURES_DIR))
        parser.add_argument(
            "--dry-run", action="store_true", help="Analyser sans écrire la fixture."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Échouer si fixtures/workshops.json diffère de ce que les sources donnent.",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            dataset = build(Path(options["sources"]), output)
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {error.filename}") from error

        verbosity = options["verbosity"]
        if verbosity >= 1:
            kinds = Counter(item.kind for _, item in dataset.report)
            self.stdout.write(f"Rapport d'import : {len(dataset.report)} point(s) à vérifier")
            for kind, count in sorted(kinds.items()):
                self.stdout.write(f"  {kind} : {count}")
        if verbosity >= 2:
            for source, item in sorted(dataset.report, key=lambda r: (r[0], r[1].line)):
                value = f" « {item.value} »" if item.value else ""
                self.stdout.write(
                    f"  {source} ligne {item.line} [{item.kind}] {item.message}{value}"
                )

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
            self.stdout.write(self.style.SUCCESS(f"Fixture écrite dans {output} : {summary}"))
