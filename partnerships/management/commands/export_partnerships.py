from django.core.management.base import BaseCommand

from partnerships import privacy
from partnerships.api.serializers import PartnershipDocumentSerializer
from partnerships.exports import csv_chunks, json_chunks, serialized
from partnerships.models import Partnership


class Command(BaseCommand):
    help = "Écrit tous les partenariats au format du document partenariat (JSON ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--include-contacts",
            action="store_true",
            help="Inclure les contacts (noms, téléphones, courriels) : données personnelles.",
        )
        parser.add_argument(
            "--output", "-o", help="Fichier de sortie (par défaut : la sortie standard)."
        )

    def handle(self, *args, **options):
        contacts = options["include_contacts"]
        # The public file unless asked otherwise: the policy of partnerships/privacy.py.
        masker = privacy.SHOW_EVERYTHING if contacts else privacy.current_masker()
        queryset = Partnership.objects.for_document(contacts=contacts).order_by("slug")
        count = 0

        def counted(documents):
            nonlocal count
            for document in documents:
                count += 1
                yield document

        # Streamed: each document is written as soon as it is made (constant memory).
        documents = counted(serialized(queryset, PartnershipDocumentSerializer, {"masker": masker}))
        chunks = json_chunks(documents) if options["format"] == "json" else csv_chunks(documents)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
            self.stderr.write(
                self.style.SUCCESS(f"{count} partenariats écrits dans {options['output']}")
            )
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
