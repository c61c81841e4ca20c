"""A batch sent through the API remembers its client, whose status callbacks hear of it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consent', '0011_one_proposal_at_a_time'),
        ('notifications', '0010_batch_staff_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='notificationbatch',
            name='api_client',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='consent.apiclient', verbose_name='API client'),
        ),
    ]
