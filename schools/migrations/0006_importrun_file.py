"""Uploaded files move from a database column to Django's storage (local disk by default)."""

import django.core.files.base
from django.db import migrations, models

import schools.models


def to_storage(apps, schema_editor):
    ImportRun = apps.get_model("schools", "ImportRun")
    for run in ImportRun.objects.filter(file="").iterator(chunk_size=100):
        name = run.filename or "upload"
        run.file.save(name, django.core.files.base.ContentFile(bytes(run.content or b"")), save=False)
        ImportRun.objects.filter(pk=run.pk).update(file=run.file.name)


def to_column(apps, schema_editor):
    ImportRun = apps.get_model("schools", "ImportRun")
    for run in ImportRun.objects.exclude(file="").iterator(chunk_size=100):
        with run.file.open("rb") as handle:
            ImportRun.objects.filter(pk=run.pk).update(content=handle.read())


class Migration(migrations.Migration):
    dependencies = [("schools", "0005_grants_move_to_sharing")]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="file",
            field=models.FileField(
                default="",
                help_text="The uploaded file as received.",
                max_length=400,
                upload_to=schools.models.import_file_path,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="importrun",
            name="content",
            field=models.BinaryField(default=b"", help_text="The uploaded file as received."),
        ),
        migrations.RunPython(to_storage, to_column, elidable=False),
        migrations.RemoveField(model_name="importrun", name="content"),
    ]
