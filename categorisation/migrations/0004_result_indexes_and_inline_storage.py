"""A result row per school of the country per run: no index another serves, and on PostgreSQL rows
kept inline up to a page (a result is a few kilobytes of JSON: compressing it out of line costs
more CPU at every run than the space it saves)."""

import django.db.models.deletion
from django.db import migrations, models


def keep_rows_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE categorisation_result SET (toast_tuple_target = 8160)")


def compress_rows_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE categorisation_result RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ('categorisation', '0003_letter_sending'),
        ('partnership', '0005_sharing_pages_and_policy'),
    ]

    operations = [
        migrations.AlterField(
            model_name='result',
            name='partnership',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership'),
        ),
        migrations.AlterField(
            model_name='result',
            name='run',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='results', to='categorisation.run'),
        ),
        migrations.RunPython(keep_rows_inline, compress_rows_again),
    ]
