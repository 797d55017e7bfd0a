from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"
    verbose_name = _("Ateliers")

    def ready(self):
        # The directory's pages show what the workshops said of a fiche or a collectivity, and
        # mask the names of the people the workshops name: both registered here, so that the
        # directory never imports this app.
        from partnerships import panels, privacy

        from . import views
        from .models import Participant, Section

        panels.register_panel("fiche", "workshops/_items_list.html", views.fiche_panel)
        panels.register_panel(
            "collectivity", "workshops/_items_list.html", views.collectivity_panel
        )
        panels.register_panel("search", "workshops/_search_panel.html", views.search_panel)
        privacy.register_name_source(participant_names)
        for model in (Participant, Section):
            for signal in (post_save, post_delete):
                signal.connect(
                    privacy.names_changed, sender=model, dispatch_uid=f"names-{model}-{signal}"
                )


def participant_names():
    """The participants' and speakers' names ("Astrid Frey, Cuf": the name before the comma)."""
    from .models import Participant, Section

    for first, last in Participant.objects.exclude(last_name="").values_list(
        "first_name", "last_name"
    ):
        yield f"{first} {last.upper()}" if first else last.upper()
    for speaker in Section.objects.exclude(speaker="").values_list("speaker", flat=True):
        name = speaker.split(",")[0].strip()
        first, _sep, last = name.rpartition(" ")
        yield f"{first} {last.upper()}" if first else name
