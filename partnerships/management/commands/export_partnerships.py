import csv
import io
import json

from django.core.management.base import BaseCommand
from rest_framework.utils.encoders import JSONEncoder

from partnerships.models import Partnership
from partnerships.serializers import (
    PartnershipDocumentSerializer,
    PartnershipWithContactsSerializer,
)


def flatten(value):
    """A CSV cell for a document value: lists and objects become readable text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(flatten(item) for item in value)
    if isinstance(value, dict):
        if "name" in value and "slug" in value:
            return value["name"]
        return " ".join(f"{k}={flatten(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def documents_as_csv(documents) -> str:
    """CSV text of partnership documents, with a BOM so spreadsheets read the accents as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if documents:
        writer = csv.writer(buffer)
        header = list(documents[0].keys())
        writer.writerow(header)
        for document in documents:
            writer.writerow([flatten(document[key]) for key in header])
    return buffer.getvalue()


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
        serializer_class = (
            PartnershipWithContactsSerializer if contacts else PartnershipDocumentSerializer
        )
        queryset = Partnership.objects.with_document_relations(contacts=contacts).order_by("slug")
        documents = serializer_class(queryset, many=True).data
        if options["format"] == "json":
            text = json.dumps(documents, ensure_ascii=False, indent=2, cls=JSONEncoder) + "\n"
        else:
            text = documents_as_csv(documents)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
            self.stderr.write(
                self.style.SUCCESS(f"{len(documents)} partenariats écrits dans {options['output']}")
            )
        else:
            self.stdout.write(text, ending="")
