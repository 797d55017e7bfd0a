from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partenariats")

    def ready(self):
        from . import privacy, search
        from .models import Contact

        # The contacts' names are masked in every free text shown to anonymous readers.
        privacy.register_name_source(
            lambda: Contact.objects.exclude(name="").values_list("name", flat=True)
        )
        for signal in (post_save, post_delete):
            signal.connect(privacy.names_changed, sender=Contact, dispatch_uid=f"names-{signal}")
        # After the masker's receivers: a document is rewritten with the new names masked.
        search.connect_signals()
