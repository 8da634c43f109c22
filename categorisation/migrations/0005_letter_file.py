"""Letter PDFs move from a database column to Django's storage (local disk by default)."""

import django.core.files.base
from django.db import migrations, models

import categorisation.models


def to_storage(apps, schema_editor):
    Letter = apps.get_model("categorisation", "Letter")
    for letter in Letter.objects.filter(file="").iterator(chunk_size=100):
        letter.file.save(f"{letter.uuid}.pdf", django.core.files.base.ContentFile(bytes(letter.pdf or b"")), save=False)
        Letter.objects.filter(pk=letter.pk).update(file=letter.file.name)


def to_column(apps, schema_editor):
    Letter = apps.get_model("categorisation", "Letter")
    for letter in Letter.objects.exclude(file="").iterator(chunk_size=100):
        with letter.file.open("rb") as handle:
            Letter.objects.filter(pk=letter.pk).update(pdf=handle.read())


class Migration(migrations.Migration):
    dependencies = [("categorisation", "0004_result_indexes_and_inline_storage")]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="file",
            field=models.FileField(default="", max_length=200, upload_to=categorisation.models.letter_file_path),
            preserve_default=False,
        ),
        migrations.AlterField(model_name="letter", name="pdf", field=models.BinaryField(default=b"")),
        migrations.RunPython(to_storage, to_column, elidable=False),
        migrations.RemoveField(model_name="letter", name="pdf"),
    ]
