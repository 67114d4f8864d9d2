"""Plans, teams and organisations now belong to the tenancy app (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0001_initial'),
        ('webhooks', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='webhooksubscription',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_subscriptions', to='tenancy.organisation', verbose_name='organisation'),
            ),
        ]),
    ]
