"""The two staff groups: "Éditeurs" keep the fiches current, "Administrateurs" also manage users
and the domains. Django creates permissions after migrations; they are created here first so
that a fresh database gets its groups in one `migrate`."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = [
    "partnership",
    "partnershipmember",
    "collectivity",
    "action",
    "budget",
    "contact",
    "reviewitem",
]
ADMINISTERED = [
    ("partnerships", "domain"),
    ("partnerships", "subtheme"),
    ("partnerships", "domainlabel"),
    ("auth", "user"),
    ("auth", "group"),
]
ACTIONS = ["add", "change", "delete", "view"]


def create_groups(apps, schema_editor):
    for app_label in ("auth", "partnerships"):
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        codenames = [f"{action}_{model}" for _app, model in pairs for action in ACTIONS]
        apps_labels = {app for app, _model in pairs}
        return Permission.objects.filter(
            content_type__app_label__in=apps_labels, codename__in=codenames
        )

    edited = [("partnerships", model) for model in EDITED_MODELS]
    editors, _ = Group.objects.get_or_create(name="Éditeurs")
    editors.permissions.add(*permissions(edited))
    administrators, _ = Group.objects.get_or_create(name="Administrateurs")
    administrators.permissions.add(*permissions(edited + ADMINISTERED))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Éditeurs", "Administrateurs"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
