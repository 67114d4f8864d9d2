"""The tenancy app takes over models that lived in planning, keeping their tables and rows.

The state operations declare the models; the database is left as it is (the tables keep their planning_ names
through db_table). The content types are renamed rather than recreated, so the permissions attached to them
(guardian's view/change/manage_plan) keep their ids, and the history's target_type labels follow the models.
"""

import django.db.models.deletion
import tenancy.models.organisations
from django.conf import settings
from django.db import migrations, models


MOVED = ["activity", "invitation", "membership", "organisation", "plan", "plangroupobjectpermission",
         "planuserobjectpermission", "team"]


def relabel(apps, schema_editor, old="planning", new="tenancy"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Activity = apps.get_model("tenancy", "Activity")
    for model in MOVED:
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        Activity.objects.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")


def unlabel(apps, schema_editor):
    relabel(apps, schema_editor, old="tenancy", new="planning")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('planning', '0005_activity_feed_index'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('editor', 'Editor'), ('viewer', 'Viewer')], default='viewer', max_length=10, verbose_name='role')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'membership',
                    'verbose_name_plural': 'memberships',
                    'db_table': 'planning_membership',
                    'ordering': ['organisation_id', 'user__username'],
                },
            ),
            migrations.CreateModel(
                name='Organisation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('slug', models.SlugField(blank=True, max_length=60, verbose_name='slug')),
                    ('members', models.ManyToManyField(related_name='organisations', through='tenancy.Membership', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'organisation',
                    'verbose_name_plural': 'organisations',
                    'db_table': 'planning_organisation',
                    'ordering': ['name', 'id'],
                },
            ),
            migrations.AddField(
                model_name='membership',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='tenancy.organisation'),
            ),
            migrations.CreateModel(
                name='Plan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('external_source', models.CharField(blank=True, default='', help_text='The system the external id comes from, for example “crm”. Required with an external id.', max_length=50, verbose_name='external source')),
                    ('external_id', models.CharField(blank=True, default='', help_text="This object's id in that system; unique per source within the plan (or organisation).", max_length=200, verbose_name='external id')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('period_start', models.DateField(blank=True, null=True, verbose_name='period start')),
                    ('period_end', models.DateField(blank=True, null=True, verbose_name='period end')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('active', 'Active'), ('archived', 'Archived')], default='draft', max_length=10, verbose_name='status')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='tenancy.organisation')),
                ],
                options={
                    'verbose_name': 'plan',
                    'verbose_name_plural': 'plans',
                    'db_table': 'planning_plan',
                    'ordering': ['-updated_at', 'id'],
                    'permissions': [('manage_plan', 'Can manage plan access and delete it')],
                },
            ),
            migrations.CreateModel(
                name='Activity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('verb', models.CharField(choices=[('created', 'created'), ('updated', 'updated'), ('deleted', 'deleted'), ('refused', 'change refused (stale version)')], max_length=10, verbose_name='action')),
                    ('target_type', models.CharField(max_length=60, verbose_name='object type')),
                    ('target_id', models.BigIntegerField(verbose_name='object id')),
                    ('target_repr', models.CharField(max_length=200, verbose_name='object')),
                    ('version', models.PositiveIntegerField(blank=True, null=True, verbose_name='version')),
                    ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organisation')),
                    ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='tenancy.plan')),
                ],
                options={
                    'verbose_name': 'activity',
                    'verbose_name_plural': 'activities',
                    'db_table': 'planning_activity',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='PlanGroupObjectPermission',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='tenancy.plan')),
                    ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                    ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ],
                options={
                    'db_table': 'planning_plangroupobjectpermission',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='PlanUserObjectPermission',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='tenancy.plan')),
                    ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'planning_planuserobjectpermission',
                    'abstract': False,
                },
            ),
            migrations.CreateModel(
                name='Team',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('external_source', models.CharField(blank=True, default='', help_text='The system the external id comes from, for example “crm”. Required with an external id.', max_length=50, verbose_name='external source')),
                    ('external_id', models.CharField(blank=True, default='', help_text="This object's id in that system; unique per source within the plan (or organisation).", max_length=200, verbose_name='external id')),
                    ('name', models.CharField(max_length=120, verbose_name='name')),
                    ('department', models.CharField(choices=[('customer_service', 'Customer service'), ('marketing', 'Marketing'), ('sales', 'Sales'), ('it', 'IT'), ('product', 'Product'), ('ecommerce', 'E-commerce'), ('stores', 'Stores'), ('other', 'Other')], default='other', max_length=20, verbose_name='department')),
                    ('group', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='team', to='auth.group')),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teams', to='tenancy.organisation')),
                ],
                options={
                    'verbose_name': 'team',
                    'verbose_name_plural': 'teams',
                    'db_table': 'planning_team',
                    'ordering': ['name', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                    ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                    ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                    ('email', models.EmailField(max_length=254, verbose_name='email')),
                    ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('editor', 'Editor'), ('viewer', 'Viewer')], default='editor', max_length=10, verbose_name='role')),
                    ('token', models.CharField(default=tenancy.models.organisations._invitation_token, editable=False, max_length=64, unique=True)),
                    ('expires_at', models.DateTimeField(verbose_name='expires at')),
                    ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted at')),
                    ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                    ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invitations_sent', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='tenancy.organisation')),
                    ('teams', models.ManyToManyField(blank=True, db_table='planning_invitation_teams', related_name='invitations', to='tenancy.team', verbose_name='teams')),
                ],
                options={
                    'verbose_name': 'invitation',
                    'verbose_name_plural': 'invitations',
                    'db_table': 'planning_invitation',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.AddConstraint(
                model_name='membership',
                constraint=models.UniqueConstraint(fields=('organisation', 'user'), name='membership_unique_user_per_org'),
            ),
            migrations.AddConstraint(
                model_name='membership',
                constraint=models.CheckConstraint(condition=models.Q(('role__in', ['owner', 'admin', 'editor', 'viewer'])), name='membership_role_valid'),
            ),
            migrations.AddConstraint(
                model_name='plan',
                constraint=models.CheckConstraint(condition=models.Q(('period_start__isnull', True), ('period_end__isnull', True), ('period_end__gte', models.F('period_start')), _connector='OR'), name='plan_period_ordered', violation_error_message='The period must end on or after its start.'),
            ),
            migrations.AddConstraint(
                model_name='plan',
                constraint=models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('organisation', 'external_source', 'external_id'), name='plan_unique_external_id', violation_error_message='Another object of this organisation already has this external source and id.'),
            ),
            migrations.AddConstraint(
                model_name='plan',
                constraint=models.CheckConstraint(condition=models.Q(('external_id', ''), models.Q(('external_source', ''), _negated=True), _connector='OR'), name='plan_external_id_has_source', violation_error_message='An external id needs its source.'),
            ),
            migrations.AddIndex(
                model_name='activity',
                index=models.Index(fields=['plan', '-created_at'], name='activity_plan_recent'),
            ),
            migrations.AddIndex(
                model_name='activity',
                index=models.Index(fields=['target_type', 'target_id'], name='activity_target'),
            ),
            migrations.AddIndex(
                model_name='activity',
                index=models.Index(fields=['organisation', 'id'], name='activity_feed'),
            ),
            migrations.AlterUniqueTogether(
                name='plangroupobjectpermission',
                unique_together={('group', 'permission', 'content_object')},
            ),
            migrations.AlterUniqueTogether(
                name='planuserobjectpermission',
                unique_together={('user', 'permission', 'content_object')},
            ),
            migrations.AddConstraint(
                model_name='team',
                constraint=models.UniqueConstraint(fields=('organisation', 'name'), name='team_unique_name_per_org'),
            ),
            migrations.AddConstraint(
                model_name='team',
                constraint=models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('organisation', 'external_source', 'external_id'), name='team_unique_external_id', violation_error_message='Another object of this organisation already has this external source and id.'),
            ),
            migrations.AddConstraint(
                model_name='team',
                constraint=models.CheckConstraint(condition=models.Q(('external_id', ''), models.Q(('external_source', ''), _negated=True), _connector='OR'), name='team_external_id_has_source', violation_error_message='An external id needs its source.'),
            ),
        ]),
        migrations.RunPython(relabel, unlabel),
    ]
