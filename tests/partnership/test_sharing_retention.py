"""Retention: sharing records past the partnership's retention period go, after a dry run lists them."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnership.models import AuditEvent
from sharing.models import DataAccessLog, MemorandumStatus, SupportRelationship
from sharing.services import log_data_view, sharing_retention_apply
from tests.factories import SYSTEM

from .test_sharing import build_scene


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def age(scene, *, months_past: int):
    """Age the scene's ended support, superseded answers and one log row past the retention period."""
    p = scene.partnership
    old = timezone.now() - timedelta(days=31 * (p.data_retention_months + months_past))
    log_data_view(scene.world.a.users["head"], scene.schools["peer"], "Recent view")
    stale = log_data_view(scene.world.a.users["head"], scene.schools["peer"], "Old view")
    DataAccessLog.objects.filter(pk=stale.pk).update(created_at=old)
    SupportRelationship.objects.filter(pk=scene.old_support.pk).update(ended_at=old)


def test_dry_run_lists_and_changes_nothing_then_apply_removes_only_the_old(scene):
    age(scene, months_past=1)
    before = (DataAccessLog.objects.count(), SupportRelationship.objects.count())
    found = sharing_retention_apply(actor=SYSTEM, partnership=scene.partnership, dry_run=True)
    assert found["access_log"] == [str(DataAccessLog.objects.get(what="Old view"))]
    assert found["supports"] == [str(scene.old_support)]
    assert (DataAccessLog.objects.count(), SupportRelationship.objects.count()) == before
    sharing_retention_apply(actor=SYSTEM, partnership=scene.partnership, dry_run=False)
    assert list(DataAccessLog.objects.values_list("what", flat=True)) == ["Recent view"]
    assert not SupportRelationship.objects.filter(pk=scene.old_support.pk).exists()
    assert SupportRelationship.objects.filter(supported=scene.schools["supported"]).exists()
    # Current memorandum answers are never removed.
    assert MemorandumStatus.objects.filter(superseded_at__isnull=True).count() == 4
    event = AuditEvent.objects.get(action="sharing.retention")
    assert event.after["access_log"] == 1 and event.after["supports"] == 1


def test_nothing_inside_the_period_is_removed(scene):
    age(scene, months_past=-2)
    found = sharing_retention_apply(actor=SYSTEM, partnership=scene.partnership, dry_run=False)
    assert not any(found.values())
    assert DataAccessLog.objects.count() == 2


def test_retention_command_is_a_dry_run_unless_told(scene):
    age(scene, months_past=1)
    out = StringIO()
    call_command("sharing_retention", "--partnership", scene.partnership.slug, stdout=out)
    report = json.loads(out.getvalue())
    assert report["dry_run"] is True and len(report["would_remove"]["access_log"]) == 1
    assert DataAccessLog.objects.count() == 2
    call_command("sharing_retention", "--partnership", scene.partnership.slug, "--apply", stdout=StringIO())
    assert DataAccessLog.objects.count() == 1
