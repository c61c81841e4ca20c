"""Prepared downloads and the last e-mail to an erased person: encrypted like the values they
copy. Rows from before are read as they are (no prefix passes through) until they expire."""

import core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0002_log_guards_allow_retention"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dataexport",
            name="document",
            field=core.fields.EncryptedJSONField(blank=True, null=True, verbose_name="document"),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="to",
            field=core.fields.EncryptedTextField(max_length=254, verbose_name="to"),
        ),
    ]
