"""Plans, teams and organisations now belong to the tenancy app (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_feedback_plan_responded_index'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='audititem',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='audit_items', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='datacaptureitem',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='feedbackresponse',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='maturityassessment',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='maturity_assessments', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='maturityvote',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='touchpointagreement',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='touchpointevaluation',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='touchpointevaluation',
                name='team',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='tenancy.team', verbose_name='team'),
            ),
        ]),
    ]
