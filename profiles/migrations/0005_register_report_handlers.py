"""Reports of wrong register data ('terugmeldingen') hold a person's BRP name and what they
said: only the portal operator's staff who handle them may see and close them. They get a group
of their own; every other group loses the permissions (the municipal staff group had them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Behandelaar terugmeldingen"
PERMISSIONS = ("view_terugmelding", "change_terugmelding")


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; this group needs them now.
    app_config = apps.get_app_config("profiles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    report_permissions = Permission.objects.filter(
        content_type__app_label="profiles", codename__endswith="_terugmelding"
    )
    for other in Group.objects.exclude(name=GROUP):
        other.permissions.remove(*report_permissions)
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(report_permissions.filter(codename__in=PERMISSIONS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0004_personal_data_encrypted"),
        # After the municipal staff group is made, so its report permissions are taken away.
        ("consent", "0003_municipal_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
