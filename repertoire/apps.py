from django.apps import AppConfig


class RepertoireConfig(AppConfig):
    """The project itself, installed as an app for what spans the directory's apps."""

    name = "repertoire"
    verbose_name = "Répertoire"

    def ready(self):
        from . import pagecache

        # Every write to the directory's apps, from any path (pages, API, admin, commands),
        # makes the cached public pages stale.
        pagecache.connect_signals()
