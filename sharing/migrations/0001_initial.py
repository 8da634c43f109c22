"""The sharing records and the guardian grants on schools, moved here from the partnership and schools apps
with their tables and rows (partnership/0006, schools/0005): the state is created, the database is left as it is."""

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
        ('guardian', '0002_generic_permissions_index'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('partnership', '0006_people_and_sharing_move_out'),
        ('people', '0001_initial'),
        ('schools', '0005_grants_move_to_sharing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ConcernRegisterEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('reason_kind', models.CharField(choices=[('ofsted', 'Ofsted judgement less than good'), ('other', 'Other concern (confidential)'), ('categorisation', 'Confirmed categorisation (confidential)')], max_length=20)),
                        ('reason', models.TextField()),
                        ('added_on', models.DateField()),
                        ('removed_on', models.DateField(blank=True, null=True)),
                        ('warning_notice_issued_on', models.DateField(blank=True, null=True)),
                        ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concern_entries', to='schools.school')),
                    ],
                    options={
                        'verbose_name_plural': 'concern register entries',
                        'db_table': 'partnership_concernregisterentry',
                        'ordering': ['-added_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DataAccessLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('username', models.CharField(help_text='Kept if the user goes.', max_length=150)),
                        ('what', models.CharField(max_length=200)),
                        ('because', models.CharField(blank=True, help_text='The sharing rule that allowed the view.', max_length=300)),
                        ('created_at', models.DateTimeField(db_index=True)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='data_access_log', to='schools.school')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'partnership_dataaccesslog',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['partnership', 'school', '-created_at'], name='partnership_partner_954b76_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='MemorandumStatus',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('signed', 'Signed'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn after signing')], max_length=10)),
                        ('signed_on', models.DateField(blank=True, null=True)),
                        ('governors_minute_ref', models.CharField(blank=True, help_text='The governing body minute that agreed it.', max_length=120, verbose_name="governors' minute reference")),
                        ('note', models.TextField(blank=True)),
                        ('recorded_at', models.DateTimeField()),
                        ('superseded_at', models.DateTimeField(blank=True, help_text='When a later answer replaced this one.', null=True)),
                        ('data_controller', models.ForeignKey(blank=True, help_text="The named person who controls access to the school's data (memorandum 3.2).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memorandum_statuses', to='schools.school')),
                    ],
                    options={
                        'db_table': 'partnership_memorandumstatus',
                        'ordering': ['school', '-recorded_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('superseded_at__isnull', True)), fields=('school',), name='one_current_memorandum_status')],
                    },
                ),
                migrations.CreateModel(
                    name='SchoolGroupObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='schools.school')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                    ],
                    options={
                        'db_table': 'schools_schoolgroupobjectpermission',
                        'abstract': False,
                        'unique_together': {('group', 'permission', 'content_object')},
                    },
                ),
                migrations.CreateModel(
                    name='SchoolUserObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='schools.school')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'schools_schooluserobjectpermission',
                        'abstract': False,
                        'unique_together': {('user', 'permission', 'content_object')},
                    },
                ),
                migrations.CreateModel(
                    name='SharingPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('board_sees_signed', models.BooleanField(default=True, help_text='The board decides bids and evaluates impact on the shared data.', verbose_name='Board members see the data of every signed school')),
                        ('cluster_lead_sees_cluster', models.BooleanField(default=True, help_text="To endorse the cluster's bids and own the cluster plan.", verbose_name="Cluster leads see the data of their cluster's signed schools")),
                        ('cluster_officer_sees_cluster', models.BooleanField(default=True, help_text='A cluster officer may be an LA officer or an outside consultant: they are not treated as LA staff.', verbose_name="Cluster officers see the data of their cluster's signed schools")),
                        ('cluster_includes_associates', models.BooleanField(default=True, help_text="When off, cluster leads and cluster officers see only the cluster's full members.", verbose_name="A cluster's schools include its associate members")),
                        ('unrecorded_is_not_sharing', models.BooleanField(default=True, help_text='When off, a school is treated as sharing until it declines (an opt-out partnership).', verbose_name='A school with no recorded memorandum answer is treated as not sharing')),
                        ('support_to_undecided', models.BooleanField(default=True, help_text="Its headteacher's grant is its consent. When off, only a signed school's data opens to a supporter.", verbose_name='A support may be granted to a school that has not answered the memorandum')),
                        ('changed_at', models.DateTimeField()),
                        ('reason', models.TextField()),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                    ],
                    options={
                        'verbose_name_plural': 'sharing policies',
                        'db_table': 'partnership_sharingpolicy',
                        'ordering': ['-version'],
                        'constraints': [models.UniqueConstraint(fields=('partnership', 'version'), name='one_sharing_policy_per_version')],
                    },
                ),
                migrations.CreateModel(
                    name='StrategicPartnerGrant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('access', models.CharField(choices=[('full', 'Full data'), ('headline', 'Headline only')], default='full', max_length=10)),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, null=True)),
                        ('reason', models.TextField()),
                        ('granted_at', models.DateTimeField()),
                        ('ended_at', models.DateTimeField(blank=True, null=True)),
                        ('end_reason', models.TextField(blank=True)),
                        ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_grants', to='people.membership')),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_grants', to='schools.school')),
                    ],
                    options={
                        'db_table': 'partnership_strategicpartnergrant',
                        'ordering': ['membership', 'school'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('membership', 'school'), name='one_open_grant_per_school')],
                    },
                ),
                migrations.CreateModel(
                    name='SupportRelationship',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('purpose', models.TextField()),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, help_text='The last day of the support; empty while open.', null=True)),
                        ('granted_at', models.DateTimeField()),
                        ('ended_at', models.DateTimeField(blank=True, help_text='When the support was ended or swept up.', null=True)),
                        ('end_reason', models.TextField(blank=True)),
                        ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                        ('supported', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports_received', to='schools.school')),
                        ('supporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports_given', to='schools.school')),
                    ],
                    options={
                        'db_table': 'partnership_supportrelationship',
                        'ordering': ['-starts_on', '-id'],
                        'indexes': [models.Index(fields=['partnership', 'ended_at'], name='partnership_partner_2b184d_idx')],
                    },
                ),
            ],
        ),
        _content_types(
            "partnership",
            "sharing",
            [
                "memorandumstatus",
                "supportrelationship",
                "strategicpartnergrant",
                "concernregisterentry",
                "dataaccesslog",
                "sharingpolicy",
            ],
        ),
        _content_types("schools", "sharing", ["schooluserobjectpermission", "schoolgroupobjectpermission"]),
    ]
