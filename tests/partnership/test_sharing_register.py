"""register_from_categorisation: a confirmed categorisation puts schools on the Schools Causing Concern
register. Idempotent, audited, confidential like any non-Ofsted entry, and queues a recompute."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnership.models import AuditEvent
from sharing import rules
from sharing.models import ConcernRegisterEntry
from sharing.services import register_add, register_from_categorisation, register_notice_record
from tests.factories import SYSTEM

from .test_sharing import build_scene

REASON = "Categorised Intensive in the 2023-24 run (framework version 3)."


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def add(scene, *targets, actor="officer", reason=REASON, added_on=None):
    return register_from_categorisation(
        actor=scene.world.a.users[actor] if isinstance(actor, str) else actor,
        partnership=scene.partnership,
        school_ids=[scene.schools[t].pk for t in targets],
        reason=reason,
        added_on=added_on or scene.today,
    )


def test_adds_a_confidential_categorisation_entry_for_each_school(scene):
    entries = add(scene, "peer", "declined")
    assert {e.school for e in entries} == {scene.schools["peer"], scene.schools["declined"]}
    for entry in ConcernRegisterEntry.objects.filter(partnership=scene.partnership):
        assert entry.reason_kind == ConcernRegisterEntry.ReasonKind.CATEGORISATION
        assert entry.reason == REASON and entry.added_on == scene.today
        assert entry.added_by == scene.world.a.users["officer"]
        assert entry.is_confidential


def test_is_idempotent_and_leaves_schools_already_on_the_register_alone(scene):
    ofsted = register_add(
        actor=SYSTEM, school=scene.schools["own"], reason_kind="ofsted", reason="RI", added_on=scene.today
    )
    first = add(scene, "own", "peer")
    assert [e.school for e in first] == [scene.schools["peer"]]  # own is on the register already
    assert add(scene, "own", "peer") == []
    assert add(scene, "peer", "granted", added_on=scene.today - timedelta(days=1))[0].school == scene.schools["granted"]
    assert ConcernRegisterEntry.objects.filter(partnership=scene.partnership).count() == 3
    assert ConcernRegisterEntry.objects.get(pk=ofsted.pk).reason_kind == "ofsted"


def test_a_school_whose_entry_was_removed_goes_back_on(scene):
    old = register_add(
        actor=SYSTEM,
        school=scene.schools["peer"],
        reason_kind="other",
        reason="Old concern",
        added_on=scene.today - timedelta(days=400),
    )
    ConcernRegisterEntry.objects.filter(pk=old.pk).update(removed_on=scene.today - timedelta(days=100))
    assert len(add(scene, "peer")) == 1


def test_audits_each_entry_and_brings_those_schools_grants_level_at_once(scene, django_capture_on_commit_callbacks):
    from unittest import mock

    from sharing.services import records

    with (
        mock.patch.object(records, "sharing_recompute", wraps=records.sharing_recompute) as recompute,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        entries = add(scene, "peer", "declined")
    assert not callbacks  # nothing is left to a task after commit
    recompute.assert_called_once_with(
        partnership=scene.partnership,
        school_ids=sorted([scene.schools["peer"].pk, scene.schools["declined"].pk]),
        user_ids=[],
    )
    events = AuditEvent.objects.filter(action="register.add", object_id__in=[str(e.pk) for e in entries])
    assert events.count() == 2
    assert {e.reason for e in events} == {REASON}
    assert {e.after["reason_kind"] for e in events} == {"categorisation"}
    with mock.patch.object(records, "sharing_recompute") as recompute:
        assert add(scene, "peer") == []
    recompute.assert_not_called()  # nothing added, nothing to recompute


def test_categorisation_entries_are_confidential_to_the_la_and_the_school(scene):
    (entry,) = add(scene, "peer")
    head = scene.world.a.users["head"]  # a signed peer: full access to the school's data
    assert rules.access_for(head, scene.schools["peer"]).is_full
    assert entry not in rules.register_entries_visible_to(head, scene.partnership)
    assert entry in rules.register_entries_visible_to(scene.peer_head, scene.partnership)
    assert entry in rules.register_entries_visible_to(scene.world.a.users["officer"], scene.partnership)
    register_notice_record(actor=SYSTEM, entry=entry, issued_on=scene.today, reason="s60 notice WN/9")
    assert entry in rules.register_entries_visible_to(head, scene.partnership)


def test_another_partnerships_school_is_refused_and_nothing_is_added(scene):
    before = (ConcernRegisterEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        register_from_categorisation(
            actor=SYSTEM,
            partnership=scene.partnership,
            school_ids=[scene.schools["peer"].pk, scene.world.b.school.pk],
            reason=REASON,
            added_on=scene.today,
        )
    assert str(scene.world.b.school.pk) in exc.value.message_dict["school_ids"][0]
    assert (ConcernRegisterEntry.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(("kwargs", "field"), [({"reason": " "}, "reason"), ({"added_on": "future"}, "added_on")])
def test_bad_input_names_the_mistake_and_adds_nothing(scene, kwargs, field):
    if kwargs.get("added_on") == "future":
        kwargs = {"added_on": scene.today + timedelta(days=3)}
    with pytest.raises(ValidationError) as exc:
        add(scene, "peer", "declined", **kwargs)
    assert field in exc.value.message_dict
    assert not ConcernRegisterEntry.objects.exists()


@pytest.mark.parametrize("who", ["head", "board", "clusterlead", "partner", "governor"])
def test_only_an_la_officer_or_the_platform_adds_entries(scene, who):
    with pytest.raises(PermissionDenied):
        add(scene, "peer", actor=who)
    assert not ConcernRegisterEntry.objects.exists()
    assert len(add(scene, "peer", actor=SYSTEM)) == 1  # a task run by the platform


def test_register_add_refuses_a_second_open_entry_for_the_same_reason(scene):
    register_add(actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today)
    with pytest.raises(ValidationError) as exc:
        register_add(
            actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Again", added_on=scene.today
        )
    assert "already on the register for this reason" in exc.value.message_dict["school"][0]
    # A different reason is a separate entry.
    register_add(actor=SYSTEM, school=scene.schools["own"], reason_kind="ofsted", reason="RI", added_on=scene.today)
    assert ConcernRegisterEntry.objects.filter(school=scene.schools["own"]).count() == 2
