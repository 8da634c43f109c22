"""Pages to record the sharing inputs, the versioned sharing policy, and register entries from categorisation.

Strategic partner grants get a UUID for their URLs: added nullable, filled row by row, then made unique
(a callable default on a unique field would give every existing row the same value).
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def fill_grant_uuids(apps, schema_editor):
    Grant = apps.get_model("partnership", "StrategicPartnerGrant")
    for grant in Grant.objects.filter(uuid__isnull=True).only("pk"):
        grant.uuid = uuid.uuid4()
        grant.save(update_fields=["uuid"])


class Migration(migrations.Migration):

    dependencies = [
        ('partnership', '0004_school_data_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='strategicpartnergrant',
            name='uuid',
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_grant_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='strategicpartnergrant',
            name='uuid',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name='concernregisterentry',
            name='reason_kind',
            field=models.CharField(choices=[('ofsted', 'Ofsted judgement less than good'), ('other', 'Other concern (confidential)'), ('categorisation', 'Confirmed categorisation (confidential)')], max_length=20),
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
                'ordering': ['-version'],
                'constraints': [models.UniqueConstraint(fields=('partnership', 'version'), name='one_sharing_policy_per_version')],
            },
        ),
    ]
