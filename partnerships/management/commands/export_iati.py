import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from partnerships import iati, privacy
from partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Écrit tous les partenariats en activités IATI (XML, norme 2.03), sans données "
        "personnelles : le fichier de /api/v1/export/iati.xml."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="Fichier de sortie (par défaut : la sortie standard)."
        )

    def handle(self, *args, **options):
        chunks = iati.activities_xml(
            Partnership.objects.for_iati().iterator(chunk_size=iati.CHUNK_SIZE),
            masker=privacy.current_masker(),
            reporting_org=iati.ReportingOrg.from_settings(),
            generated_at=timezone.now(),
        )
        if not options["output"]:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        count = 0
        with open(options["output"], "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(chunk)
                count += chunk.startswith("  <iati-activity")
        self.stderr.write(
            self.style.SUCCESS(f"{count} activités IATI écrites dans {options['output']}")
        )
