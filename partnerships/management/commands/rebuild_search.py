"""Rewrite every partnership's search document (after a bulk load that sent no signal)."""

import time

from django.core.management.base import BaseCommand

from partnerships.search import rebuild_documents


class Command(BaseCommand):
    help = (
        "Réécrit le document de recherche de chaque partenariat (après un chargement en masse "
        "qui n'est pas passé par les enregistrements habituels)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild_documents()
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} documents de recherche réécrits en "
                    f"{time.monotonic() - started:.1f} s."
                )
            )
