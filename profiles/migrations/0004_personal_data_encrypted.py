"""Personal values encrypted at rest (core.crypto), with blind indexes to find them.

Rows written before are read as they are (a value without the `pd1$` prefix passes through
core.crypto.reveal) and written back encrypted; the blind indexes are filled on the way. Entries
the audit trail made before this migration keep their values: the trail refuses changes.
"""

from django.db import migrations, models

import core.fields
from core import crypto

PERSONAL = {
    "identity": ["value", "branch"],
    "profile": ["display_name"],
    "contactdetail": ["value"],
    "verification": ["new_value"],
    "postaladdress": [
        "street",
        "house_number",
        "house_letter",
        "addition",
        "postcode",
        "city",
        "foreign_lines",
        "bag_id",
    ],
    "terugmelding": ["shown_value", "note", "staff_note"],
}
INDEX_SOURCES = {"identity": ["type"], "contactdetail": ["kind"]}


def encrypt_existing(apps, schema_editor):
    for model_name, fields in PERSONAL.items():
        model = apps.get_model("profiles", model_name)
        rows = model.objects.only("pk", *fields, *INDEX_SOURCES.get(model_name, []))
        for row in rows.iterator():
            values = {field: getattr(row, field) for field in fields}
            if model_name == "identity":
                values["lookup_key"] = crypto.blind_index(
                    row.type, row.value, row.branch, purpose="identity"
                )
                values["number_index"] = crypto.blind_index(
                    row.value.strip(), purpose="identity-number"
                )
            if model_name == "contactdetail":
                values["value_index"] = crypto.blind_index(
                    row.kind, row.value.strip().lower(), purpose="contact-value"
                )
            # update() passes every value through its field: the encrypted fields seal theirs.
            model.objects.filter(pk=row.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_profile_language"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="identity",
            name="identity_unique_type_value_branch",
        ),
        migrations.AddField(
            model_name="contactdetail",
            name="value_index",
            field=core.fields.BlindIndexField(
                db_index=True, default="", editable=False, max_length=64, verbose_name="value index"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="identity",
            name="lookup_key",
            field=core.fields.BlindIndexField(
                editable=False, max_length=64, null=True, verbose_name="lookup key"
            ),
        ),
        migrations.AddField(
            model_name="identity",
            name="number_index",
            field=core.fields.BlindIndexField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="number index",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contactdetail",
            name="value",
            field=core.fields.EncryptedTextField(max_length=254, verbose_name="value"),
        ),
        migrations.AlterField(
            model_name="identity",
            name="branch",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=12, verbose_name="branch number"
            ),
        ),
        migrations.AlterField(
            model_name="identity",
            name="value",
            field=core.fields.EncryptedTextField(max_length=128, verbose_name="number"),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="addition",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=10, verbose_name="addition"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="bag_id",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=16, verbose_name="BAG id"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="city",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=200, verbose_name="town or city"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="foreign_lines",
            field=core.fields.EncryptedTextField(
                blank=True, default="", verbose_name="address lines"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="house_letter",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=1, verbose_name="house letter"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="house_number",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=10, verbose_name="house number"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="postcode",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=10, verbose_name="postcode"
            ),
        ),
        migrations.AlterField(
            model_name="postaladdress",
            name="street",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=200, verbose_name="street"
            ),
        ),
        migrations.AlterField(
            model_name="profile",
            name="display_name",
            field=core.fields.EncryptedTextField(
                blank=True, default="", max_length=200, verbose_name="name"
            ),
        ),
        migrations.AlterField(
            model_name="terugmelding",
            name="note",
            field=core.fields.EncryptedTextField(verbose_name="what is wrong, in the user's words"),
        ),
        migrations.AlterField(
            model_name="terugmelding",
            name="shown_value",
            field=core.fields.EncryptedTextField(
                blank=True, default="", verbose_name="value shown"
            ),
        ),
        migrations.AlterField(
            model_name="terugmelding",
            name="staff_note",
            field=core.fields.EncryptedTextField(blank=True, default="", verbose_name="staff note"),
        ),
        migrations.AlterField(
            model_name="verification",
            name="new_value",
            field=core.fields.EncryptedTextField(max_length=254, verbose_name="new value"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="identity",
            name="lookup_key",
            field=core.fields.BlindIndexField(
                editable=False, max_length=64, unique=True, verbose_name="lookup key"
            ),
        ),
    ]
