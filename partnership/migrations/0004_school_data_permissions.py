"""The guardian permissions the sharing rules grant on schools, made without touching schools/models.py."""

from django.db import migrations

PERMISSIONS = (
    ("view_school_data", "Can view the school's protected data"),
    ("view_school_headline", "Can view the school's headline data"),
)


def create_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="schools", model="school")
    for codename, name in PERMISSIONS:
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="schools", codename__in=[codename for codename, _ in PERMISSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0003_data_sharing"),
        ("schools", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_permissions, remove_permissions)]
