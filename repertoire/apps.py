from django.apps import AppConfig


class RepertoireConfig(AppConfig):
    """The project itself, installed as an app for what spans the directory's apps."""

    name = "repertoire"
    verbose_name = "Répertoire"

    def ready(self):
        from partnerships import dataversion

        # Every write to the directory's apps, from any path (pages, API, admin, commands),
        # raises the data version: the cached public pages and counts are stale.
        dataversion.connect_signals()
