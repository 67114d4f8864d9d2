"""Organisations, members, teams, invitations, plans and the activity history moved to the tenancy app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_tenancy_models'),
        ('core', '0003_tenancy_models'),
        ('planning', '0005_activity_feed_index'),
        ('roadmaps', '0003_tenancy_models'),
        ('tenancy', '0001_initial'),
        ('webhooks', '0002_tenancy_models'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='activity',
                name='actor',
            ),
            migrations.RemoveField(
                model_name='activity',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='activity',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='accepted_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='invited_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='teams',
            ),
            migrations.RemoveField(
                model_name='membership',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='membership',
                name='user',
            ),
            migrations.RemoveField(
                model_name='organisation',
                name='members',
            ),
            migrations.AlterField(
                model_name='stagetemplate',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stage_templates', to='tenancy.organisation'),
            ),
            migrations.RemoveField(
                model_name='team',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='plan',
                name='organisation',
            ),
            migrations.AlterField(
                model_name='channel',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='channels', to='tenancy.organisation'),
            ),
            migrations.RemoveField(
                model_name='plan',
                name='created_by',
            ),
            migrations.AlterField(
                model_name='stage',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='journey',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journeys', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='comment',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='stakeholder',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stakeholders', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='persona',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='personas', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='votingsession',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='voting_sessions', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='workshoptimer',
                name='plan',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='workshop_timer', to='tenancy.plan'),
            ),
            migrations.RemoveField(
                model_name='plangroupobjectpermission',
                name='content_object',
            ),
            migrations.RemoveField(
                model_name='planuserobjectpermission',
                name='content_object',
            ),
            migrations.AlterField(
                model_name='touchpoint',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterUniqueTogether(
                name='plangroupobjectpermission',
                unique_together=None,
            ),
            migrations.RemoveField(
                model_name='plangroupobjectpermission',
                name='group',
            ),
            migrations.RemoveField(
                model_name='plangroupobjectpermission',
                name='permission',
            ),
            migrations.AlterUniqueTogether(
                name='planuserobjectpermission',
                unique_together=None,
            ),
            migrations.RemoveField(
                model_name='planuserobjectpermission',
                name='permission',
            ),
            migrations.RemoveField(
                model_name='planuserobjectpermission',
                name='user',
            ),
            migrations.RemoveField(
                model_name='team',
                name='group',
            ),
            migrations.AlterField(
                model_name='touchpoint',
                name='team',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='touchpoints', to='tenancy.team', verbose_name='owning team'),
            ),
            migrations.AlterField(
                model_name='stakeholder',
                name='team',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stakeholders', to='tenancy.team', verbose_name='team'),
            ),
            migrations.DeleteModel(
                name='Activity',
            ),
            migrations.DeleteModel(
                name='Invitation',
            ),
            migrations.DeleteModel(
                name='Membership',
            ),
            migrations.DeleteModel(
                name='Organisation',
            ),
            migrations.DeleteModel(
                name='Plan',
            ),
            migrations.DeleteModel(
                name='PlanGroupObjectPermission',
            ),
            migrations.DeleteModel(
                name='PlanUserObjectPermission',
            ),
            migrations.DeleteModel(
                name='Team',
            ),
        ]),
    ]
