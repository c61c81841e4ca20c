"""Municipal staff may send one message to many people and follow it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Medewerker gemeente"
PERMISSIONS = ("view_notificationbatch", "add_notificationbatch")


def _permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="notifications", codename__in=PERMISSIONS
    )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    # Migration-state app configs have no models module; create_permissions wants one.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_notification_batch")]

    operations = [migrations.RunPython(grant, revoke)]
