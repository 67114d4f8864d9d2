"""Plans, teams and organisations now belong to the tenancy app (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('roadmaps', '0002_roadmap_item_external_ids'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='export',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exports', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='roadmapitem',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roadmap_items', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='roadmapitem',
                name='teams',
                field=models.ManyToManyField(blank=True, related_name='roadmap_items', to='tenancy.team', verbose_name='teams involved'),
            ),
            migrations.AlterField(
                model_name='scoringcriterion',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scoring_criteria', to='tenancy.plan'),
            ),
            migrations.AlterField(
                model_name='scoringsettings',
                name='plan',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='scoring', to='tenancy.plan'),
            ),
        ]),
    ]
