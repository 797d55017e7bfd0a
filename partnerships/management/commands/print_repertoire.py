from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partnerships import printing
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
        parser.add_argument(
            "--warm",
            action="store_true",
            help=(
                "Mettre en cache, pour le site, l'édition publique et celle des utilisateurs "
                "connectés (dans chaque langue) au lieu d'écrire un fichier : le cache doit "
                "être partagé (REDIS_URL)."
            ),
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
        if options["warm"]:
            return self.warm(region)
        # The public edition unless asked otherwise: the policy of partnerships/privacy.py.
        contacts = options["include_contacts"]
        output = options["output"] or printing.filename(region)
        with open(output, "wb") as out:
            out.write(printing.typeset(region, contacts=contacts))
        fiches = len(printing.edition(region).fiches)
        self.stderr.write(self.style.SUCCESS(f"{fiches} fiches imprimées dans {output}"))

    def warm(self, region):
        """After an import or a deployment: the site serves the editions at once instead of
        making its first readers wait for them."""
        if not settings.REDIS_URL:
            self.stderr.write(
                self.style.WARNING(
                    "Pas de REDIS_URL : le cache est celui de ce processus, les éditions "
                    "seront perdues à sa sortie."
                )
            )
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for contacts in (False, True):
                    printing.warm(region, contacts=contacts)
        self.stderr.write(self.style.SUCCESS("Éditions mises en cache"))
