"""The workshops app takes over models that lived in planning, keeping their tables and rows.

The state operations declare the models; the database is left as it is (the tables keep their planning_ names
through db_table). Content types are renamed rather than recreated, and the history's target_type labels follow.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ["comment", "notification", "vote", "votingsession", "workshoptimer"]


def relabel(apps, schema_editor, old="planning", new="workshops"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Activity = apps.get_model("tenancy", "Activity")
    for model in MOVED:
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        Activity.objects.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")


def unlabel(apps, schema_editor):
    relabel(apps, schema_editor, old="workshops", new="planning")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('planning', '0007_models_moved_to_workshops'),
        ('tenancy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Comment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('target_type', models.CharField(choices=[('touchpoint', 'touchpoint'), ('persona', 'persona'), ('evaluation', 'evaluation'), ('roadmap_item', 'roadmap item')], max_length=20, verbose_name='about a')),
                    ('target_id', models.BigIntegerField(verbose_name='object id')),
                    ('body', models.TextField(max_length=5000, verbose_name='comment')),
                    ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                    ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                    ('mentions', models.ManyToManyField(blank=True, db_table='planning_comment_mentions', related_name='comment_mentions', to=settings.AUTH_USER_MODEL, verbose_name='mentions')),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='tenancy.plan')),
                    ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
                ],
                options={
                    'verbose_name': 'comment',
                    'verbose_name_plural': 'comments',
                    'db_table': 'planning_comment',
                    'ordering': ['created_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                    ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                    ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='workshops.comment')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'db_table': 'planning_notification',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='VotingSession',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('target_kind', models.CharField(choices=[('touchpoint', 'Touchpoints'), ('roadmap_item', 'Roadmap items')], default='touchpoint', max_length=20, verbose_name='vote on')),
                    ('question', models.CharField(blank=True, help_text='For example “Which touchpoints should we fix first?”', max_length=200, verbose_name='question')),
                    ('votes_per_participant', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)], verbose_name='votes per participant')),
                    ('revealed_at', models.DateTimeField(blank=True, null=True, verbose_name='revealed at')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='facilitator')),
                    ('journey', models.ForeignKey(blank=True, help_text="For touchpoints: only this journey's cards (blank: every journey).", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='planning.journey', verbose_name='journey')),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='voting_sessions', to='tenancy.plan')),
                ],
                options={
                    'verbose_name': 'voting session',
                    'verbose_name_plural': 'voting sessions',
                    'db_table': 'planning_votingsession',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='Vote',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('target_id', models.BigIntegerField(verbose_name='voted for')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='workshops.votingsession')),
                ],
                options={
                    'verbose_name': 'vote',
                    'verbose_name_plural': 'votes',
                    'db_table': 'planning_vote',
                },
            ),
            migrations.CreateModel(
                name='WorkshopTimer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('duration_seconds', models.PositiveIntegerField(default=600, validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(14400)], verbose_name='duration (seconds)')),
                    ('remaining_seconds', models.PositiveIntegerField(default=600, verbose_name='remaining (seconds)')),
                    ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='ends at')),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('plan', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='workshop_timer', to='tenancy.plan')),
                    ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'workshop timer',
                    'verbose_name_plural': 'workshop timers',
                    'db_table': 'planning_workshoptimer',
                },
            ),
            migrations.AddIndex(
                model_name='comment',
                index=models.Index(fields=['plan', 'target_type', 'target_id'], name='comment_target'),
            ),
            migrations.AddConstraint(
                model_name='comment',
                constraint=models.CheckConstraint(condition=models.Q(('target_type__in', ['touchpoint', 'persona', 'evaluation', 'roadmap_item'])), name='comment_target_valid'),
            ),
            migrations.AddConstraint(
                model_name='comment',
                constraint=models.CheckConstraint(condition=models.Q(('resolved_at__isnull', False), ('resolved_by__isnull', True), _connector='OR'), name='comment_resolver_needs_resolution'),
            ),
            migrations.AddIndex(
                model_name='notification',
                index=models.Index(fields=['user', 'read_at'], name='notification_unread'),
            ),
            migrations.AddConstraint(
                model_name='notification',
                constraint=models.UniqueConstraint(fields=('user', 'comment'), name='notification_once_per_comment'),
            ),
            migrations.AddConstraint(
                model_name='votingsession',
                constraint=models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('plan',), name='voting_one_active_session_per_plan', violation_error_message='A voting session is already running on this plan.'),
            ),
            migrations.AddConstraint(
                model_name='votingsession',
                constraint=models.CheckConstraint(condition=models.Q(('votes_per_participant__gte', 1), ('votes_per_participant__lte', 20)), name='voting_votes_per_participant_range'),
            ),
            migrations.AddConstraint(
                model_name='votingsession',
                constraint=models.CheckConstraint(condition=models.Q(('target_kind__in', ['touchpoint', 'roadmap_item'])), name='voting_target_kind_valid'),
            ),
            migrations.AddConstraint(
                model_name='votingsession',
                constraint=models.CheckConstraint(condition=models.Q(('journey__isnull', True), ('target_kind', 'touchpoint'), _connector='OR'), name='voting_journey_only_for_touchpoints'),
            ),
            migrations.AddConstraint(
                model_name='vote',
                constraint=models.UniqueConstraint(fields=('session', 'participant', 'target_id'), name='vote_once_per_target'),
            ),
            migrations.AddConstraint(
                model_name='workshoptimer',
                constraint=models.CheckConstraint(condition=models.Q(('duration_seconds__gte', 10), ('duration_seconds__lte', 14400)), name='timer_duration_range'),
            ),
        ]),
        migrations.RunPython(relabel, unlabel),
    ]
