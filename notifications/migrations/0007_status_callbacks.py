"""Status callbacks: the endpoints, the outbox of status changes and what was sent.

The outbox is filled by a trigger on the deliveries table, in the same transaction as every
change of a delivery's status, whichever code makes it; only for messages whose API client has
an active callback address, so other deliveries cost nothing more than the check.
On SQLite a later migration that rebuilds notifications_delivery drops the triggers with the old
table: such a migration must create them again (tests/test_callbacks.py notices).
"""

import core.fields
import django.db.models.deletion
from django.db import migrations, models


EXISTS = """EXISTS (SELECT 1 FROM notifications_notification n
    JOIN notifications_callbackendpoint e ON e.api_client_id = n.api_client_id AND e.active
    WHERE n.id = NEW.notification_id)"""
POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION notifications_delivery_event() RETURNS trigger AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status) AND {EXISTS} THEN
    INSERT INTO notifications_deliveryevent (delivery_id, status, at, expanded)
      VALUES (NEW.id, NEW.status, clock_timestamp(), false);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notifications_delivery_event AFTER INSERT OR UPDATE OF status
  ON notifications_delivery FOR EACH ROW EXECUTE FUNCTION notifications_delivery_event();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS notifications_delivery_event ON notifications_delivery;
DROP FUNCTION IF EXISTS notifications_delivery_event();
"""
# %% doubled: the schema editor formats the statement with its (empty) parameters.
_SQLITE_INSERT = (
    "INSERT INTO notifications_deliveryevent (delivery_id, status, at, expanded) "
    "VALUES (NEW.id, NEW.status, strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now'), 0);"
)
SQLITE_UP = [
    "CREATE TRIGGER notifications_delivery_event_insert AFTER INSERT ON notifications_delivery "
    f"WHEN {EXISTS} BEGIN {_SQLITE_INSERT} END;",
    "CREATE TRIGGER notifications_delivery_event_update AFTER UPDATE OF status "
    f"ON notifications_delivery WHEN OLD.status IS NOT NEW.status AND {EXISTS} "
    f"BEGIN {_SQLITE_INSERT} END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS notifications_delivery_event_insert;",
    "DROP TRIGGER IF EXISTS notifications_delivery_event_update;",
]


def triggers_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}.get(vendor, []):
        schema_editor.execute(statement)


def triggers_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0008_log_guards_hold_against_sessions'),
        ('notifications', '0006_transport_pause'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='api_client',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consent.apiclient', verbose_name='API client'),
        ),
        migrations.CreateModel(
            name='CallbackEndpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='address (URL)')),
                ('secret', core.fields.EncryptedTextField(editable=False, verbose_name='signing secret')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('api_client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='callback_endpoints', to='consent.apiclient', verbose_name='API client')),
            ],
            options={
                'verbose_name': 'status callback address',
                'verbose_name_plural': 'status callback addresses',
            },
        ),
        migrations.CreateModel(
            name='DeliveryEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(max_length=12, verbose_name='status')),
                ('at', models.DateTimeField(verbose_name='at')),
                ('expanded', models.BooleanField(db_index=True, default=False, verbose_name='handled')),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='notifications.delivery')),
            ],
            options={
                'verbose_name': 'delivery status change',
                'verbose_name_plural': 'delivery status changes',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='CallbackMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('pending', 'waiting to be sent'), ('delivered', 'received by the organisation'), ('failed', 'failed: not received within a day')], default='pending', max_length=10, verbose_name='state')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(db_index=True, verbose_name='next attempt at')),
                ('last_result', models.CharField(blank=True, default='', max_length=200, verbose_name='last result')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='received at')),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='notifications.callbackendpoint')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='notifications.deliveryevent')),
            ],
            options={
                'verbose_name': 'status callback',
                'verbose_name_plural': 'status callbacks',
                'ordering': ['-pk'],
                'constraints': [models.UniqueConstraint(fields=('endpoint', 'event'), name='callback_once_per_event')],
            },
        ),
        migrations.RunPython(triggers_up, triggers_down),
    ]
