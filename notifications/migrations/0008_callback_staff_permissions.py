"""Municipal staff follow their organisation's status callbacks (read only)."""

from django.db import migrations

from core.group_permissions import group_grant, group_revoke

GRANT = {
    "group": "Medewerker gemeente",
    "app_label": "notifications",
    "codenames": ("view_callbackendpoint", "view_callbackmessage"),
}


def grant(apps, schema_editor):
    group_grant(apps, **GRANT)


def revoke(apps, schema_editor):
    group_revoke(apps, **GRANT)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_status_callbacks")]

    operations = [migrations.RunPython(grant, revoke)]
