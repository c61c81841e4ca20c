"""Message subjects and texts encrypted at rest (core.crypto); existing rows are sealed."""

from django.db import migrations

import core.fields


def seal_existing(apps, schema_editor):
    # Read as they are (no prefix passes through), written back through the encrypted field.
    for model_name in ("notification", "inboxmessage"):
        model = apps.get_model("notifications", model_name)
        for row in model.objects.only("pk", "subject", "body").iterator():
            model.objects.filter(pk=row.pk).update(subject=row.subject, body=row.body)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_municipal_staff_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inboxmessage",
            name="body",
            field=core.fields.EncryptedTextField(verbose_name="message"),
        ),
        migrations.AlterField(
            model_name="inboxmessage",
            name="subject",
            field=core.fields.EncryptedTextField(max_length=200, verbose_name="subject"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=core.fields.EncryptedTextField(verbose_name="message"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=core.fields.EncryptedTextField(max_length=200, verbose_name="subject"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
    ]
