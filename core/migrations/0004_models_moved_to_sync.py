"""API tokens and idempotency records moved to the sync app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_tenancy_models'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='idempotencyrecord',
                name='token',
            ),
            migrations.RemoveField(
                model_name='idempotencyrecord',
                name='user',
            ),
            migrations.DeleteModel(
                name='ApiToken',
            ),
            migrations.DeleteModel(
                name='IdempotencyRecord',
            ),
        ]),
    ]
