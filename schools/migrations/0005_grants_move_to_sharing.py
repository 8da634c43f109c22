"""The django-guardian grant tables on schools move to the sharing app, which writes and reads them. Only
Django's idea of the models moves: the tables keep their names and rows (sharing/0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0003_local_judgements'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterUniqueTogether(
                    name='schooluserobjectpermission',
                    unique_together=None,
                ),
                migrations.RemoveField(
                    model_name='schooluserobjectpermission',
                    name='content_object',
                ),
                migrations.RemoveField(
                    model_name='schooluserobjectpermission',
                    name='permission',
                ),
                migrations.RemoveField(
                    model_name='schooluserobjectpermission',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='SchoolGroupObjectPermission',
                ),
                migrations.DeleteModel(
                    name='SchoolUserObjectPermission',
                ),
            ],
        ),
    ]
