from django.core.management.base import BaseCommand, CommandError

from partnerships import printing, privacy
from partnerships.models import MalianRegion


class Command(BaseCommand):
    help = (
        "Imprime le répertoire en PDF (toutes les régions, ou une région malienne), mis en page "
        "comme l'édition 2008, à partir de la base."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Identifiant (slug) d'une région malienne.")
        parser.add_argument(
            "--include-contacts",
            action="store_true",
            help="Inclure les contacts (noms, téléphones, courriels) : données personnelles.",
        )
        parser.add_argument(
            "--output", "-o", help="Fichier PDF (par défaut : repertoire[-REGION].pdf)."
        )

    def handle(self, *args, **options):
        region = None
        if options["region"]:
            try:
                region = MalianRegion.objects.get(slug=options["region"])
            except MalianRegion.DoesNotExist:
                slugs = ", ".join(MalianRegion.objects.values_list("slug", flat=True))
                raise CommandError(
                    f"Région inconnue : {options['region']} (régions : {slugs})"
                ) from None
        contacts = options["include_contacts"]
        # The public edition unless asked otherwise: the policy of partnerships/privacy.py.
        masker = privacy.SHOW_EVERYTHING if contacts else privacy.current_masker()
        edition = printing.edition(region, contacts=contacts)
        html = printing.render_html(edition, masker=masker, show_personal_data=contacts)
        output = options["output"] or printing.filename(region)
        with open(output, "wb") as out:
            out.write(printing.render_pdf(html))
        self.stderr.write(
            self.style.SUCCESS(f"{len(edition.fiches)} fiches imprimées dans {output}")
        )
