"""Memberships and invitations, moved here from the partnership app with their tables and rows
(partnership/0006): the state is created, the database is left as it is."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def _content_types(app_from, app_to, models):
    """Point the moved models' content types (and so their permissions and any object grants) at their new app."""

    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        taken = set(ContentType.objects.filter(app_label=app_to, model__in=models).values_list("model", flat=True))
        ContentType.objects.filter(app_label=app_from, model__in=set(models) - taken).update(app_label=app_to)

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        taken = set(ContentType.objects.filter(app_label=app_from, model__in=models).values_list("model", flat=True))
        ContentType.objects.filter(app_label=app_to, model__in=set(models) - taken).update(app_label=app_from)

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('partnership', '0006_people_and_sharing_move_out'),
        ('schools', '0005_grants_move_to_sharing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('role', models.CharField(choices=[('officer', 'LA officer'), ('board', 'Board member'), ('clusterlead', 'Cluster lead'), ('clusterofficer', 'Cluster officer'), ('head', 'Headteacher'), ('governor', 'Governor'), ('partner', 'Strategic partner')], max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('ended_at', models.DateTimeField(blank=True, null=True)),
                        ('end_reason', models.TextField(blank=True)),
                        ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='schools.cluster')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='schools.school')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_membership',
                        'ordering': ['role', 'user__username'],
                    },
                ),
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('membership', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='invitation', to='people.membership')),
                    ],
                    options={
                        'db_table': 'partnership_invitation',
                    },
                ),
                migrations.AddIndex(
                    model_name='membership',
                    index=models.Index(fields=['partnership', 'user'], name='partnership_partner_c454cc_idx'),
                ),
            ],
        ),
        _content_types("partnership", "people", ["membership", "invitation"]),
    ]
