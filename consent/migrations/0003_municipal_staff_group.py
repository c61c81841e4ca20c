"""The group that municipal staff join: what they may do in the admin, besides being listed as
staff of their organisation (the admin scopes everything to those organisations)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Medewerker gemeente"
PERMISSIONS = (
    "view_organisation",
    "view_doelbindingversion",
    "view_consent",
    "view_doelbinding",
    "add_doelbinding",
    "change_doelbinding",
    "view_apiclient",
    "add_apiclient",
    "change_apiclient",
    "view_terugmelding",
    "change_terugmelding",
)


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; this group needs them now.
    for label in ("consent", "profiles"):
        app_config = apps.get_app_config(label)
        # Migration-state app configs have no models module; create_permissions wants one.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["consent", "profiles"], codename__in=PERMISSIONS
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_doelbinding_consent"),
        ("profiles", "0002_contact_details"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
