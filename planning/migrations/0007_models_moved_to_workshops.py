"""Comments, notifications, voting sessions, votes and the timer moved to the workshops app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('planning', '0006_models_moved_to_tenancy'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='notification',
                name='comment',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='user',
            ),
            migrations.RemoveField(
                model_name='vote',
                name='participant',
            ),
            migrations.RemoveField(
                model_name='vote',
                name='session',
            ),
            migrations.RemoveField(
                model_name='votingsession',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='votingsession',
                name='journey',
            ),
            migrations.RemoveField(
                model_name='votingsession',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='workshoptimer',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='workshoptimer',
                name='updated_by',
            ),
            migrations.DeleteModel(
                name='Comment',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='Vote',
            ),
            migrations.DeleteModel(
                name='VotingSession',
            ),
            migrations.DeleteModel(
                name='WorkshopTimer',
            ),
        ]),
    ]
