"""Municipal staff may send one message to many people and follow it."""

from django.db import migrations

from core.group_permissions import group_grant, group_revoke

GRANT = {
    "group": "Medewerker gemeente",
    "app_label": "notifications",
    "codenames": ("view_notificationbatch", "add_notificationbatch"),
}


def grant(apps, schema_editor):
    group_grant(apps, **GRANT)


def revoke(apps, schema_editor):
    group_revoke(apps, **GRANT)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_notification_batch")]

    operations = [migrations.RunPython(grant, revoke)]
