"""The sync app takes over the API tokens and idempotency records that lived in core, keeping tables and rows.

Content types are renamed rather than recreated (no history row names these models).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ["apitoken", "idempotencyrecord"]


def relabel(apps, schema_editor, old="core", new="sync"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def unlabel(apps, schema_editor):
    relabel(apps, schema_editor, old="sync", new="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0004_models_moved_to_sync'),
        ('tenancy', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ApiToken',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('scope', models.CharField(choices=[('read_only', 'Read only'), ('read_write', 'Read and write')], default='read_only', max_length=10, verbose_name='scope')),
                    ('prefix', models.CharField(editable=False, max_length=8, unique=True, verbose_name='prefix')),
                    ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires at')),
                    ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used at')),
                    ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked at')),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to='tenancy.organisation', verbose_name='organisation')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ],
                options={
                    'verbose_name': 'API token',
                    'verbose_name_plural': 'API tokens',
                    'db_table': 'core_apitoken',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='IdempotencyRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=255)),
                    ('method', models.CharField(max_length=10)),
                    ('path', models.CharField(max_length=2000)),
                    ('request_hash', models.CharField(max_length=64)),
                    ('response_status', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('response_body', models.JSONField(blank=True, null=True)),
                    ('response_headers', models.JSONField(blank=True, default=dict)),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ('token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sync.apitoken')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'idempotency record',
                    'verbose_name_plural': 'idempotency records',
                    'db_table': 'core_idempotencyrecord',
                },
            ),
            migrations.AddConstraint(
                model_name='apitoken',
                constraint=models.CheckConstraint(condition=models.Q(('scope__in', ['read_only', 'read_write'])), name='api_token_scope_valid'),
            ),
            migrations.AddConstraint(
                model_name='idempotencyrecord',
                constraint=models.UniqueConstraint(fields=('user', 'key'), name='idempotency_unique_key_per_user'),
            ),
        ]),
        migrations.RunPython(relabel, unlabel),
    ]
