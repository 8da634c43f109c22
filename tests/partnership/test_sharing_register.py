"""register_from_categorisation: a confirmed categorisation puts schools on the Schools Causing Concern
register. Idempotent, audited, confidential like any non-Ofsted entry, and queues a recompute."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnership import services, sharing
from partnership.models import AuditEvent, ConcernRegisterEntry

from .test_sharing import build_scene

REASON = "Categorised Intensive in the 2023-24 run (framework version 3)."


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def add(scene, *targets, actor="officer", reason=REASON, added_on=None):
    return services.register_from_categorisation(
        actor=scene.world.a.users[actor] if actor else None,
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
    ofsted = services.register_add(
        actor=None, school=scene.schools["own"], reason_kind="ofsted", reason="RI", added_on=scene.today
    )
    first = add(scene, "own", "peer")
    assert [e.school for e in first] == [scene.schools["peer"]]  # own is on the register already
    assert add(scene, "own", "peer") == []
    assert add(scene, "peer", "granted", added_on=scene.today - timedelta(days=1))[0].school == scene.schools["granted"]
    assert ConcernRegisterEntry.objects.filter(partnership=scene.partnership).count() == 3
    assert ConcernRegisterEntry.objects.get(pk=ofsted.pk).reason_kind == "ofsted"


def test_a_school_whose_entry_was_removed_goes_back_on(scene):
    old = services.register_add(
        actor=None,
        school=scene.schools["peer"],
        reason_kind="other",
        reason="Old concern",
        added_on=scene.today - timedelta(days=400),
    )
    ConcernRegisterEntry.objects.filter(pk=old.pk).update(removed_on=scene.today - timedelta(days=100))
    assert len(add(scene, "peer")) == 1


def test_audits_each_entry_and_queues_a_recompute_for_those_schools(scene, django_capture_on_commit_callbacks):
    from unittest import mock

    with (
        mock.patch("partnership.tasks.sharing_recompute.delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        entries = add(scene, "peer", "declined")
    assert len(callbacks) == 1
    delay.assert_called_once_with(
        scene.partnership.pk,
        school_ids=sorted([scene.schools["peer"].pk, scene.schools["declined"].pk]),
        user_ids=[],
    )
    events = AuditEvent.objects.filter(action="register.add", object_id__in=[str(e.pk) for e in entries])
    assert events.count() == 2
    assert {e.reason for e in events} == {REASON}
    assert {e.after["reason_kind"] for e in events} == {"categorisation"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert add(scene, "peer") == []
    assert callbacks == []  # nothing added, nothing to recompute


def test_categorisation_entries_are_confidential_to_the_la_and_the_school(scene):
    (entry,) = add(scene, "peer")
    head = scene.world.a.users["head"]  # a signed peer: full access to the school's data
    assert sharing.access_for(head, scene.schools["peer"]).is_full
    assert entry not in sharing.register_entries_visible_to(head, scene.partnership)
    assert entry in sharing.register_entries_visible_to(scene.peer_head, scene.partnership)
    assert entry in sharing.register_entries_visible_to(scene.world.a.users["officer"], scene.partnership)
    services.register_notice_record(actor=None, entry=entry, issued_on=scene.today, reason="s60 notice WN/9")
    assert entry in sharing.register_entries_visible_to(head, scene.partnership)


def test_another_partnerships_school_is_refused_and_nothing_is_added(scene):
    before = (ConcernRegisterEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.register_from_categorisation(
            actor=None,
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
    assert len(add(scene, "peer", actor=None)) == 1  # a task run by the platform


def test_register_add_refuses_a_second_open_entry_for_the_same_reason(scene):
    services.register_add(
        actor=None, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today
    )
    with pytest.raises(ValidationError) as exc:
        services.register_add(
            actor=None, school=scene.schools["own"], reason_kind="other", reason="Again", added_on=scene.today
        )
    assert "already on the register for this reason" in exc.value.message_dict["school"][0]
    # A different reason is a separate entry.
    services.register_add(
        actor=None, school=scene.schools["own"], reason_kind="ofsted", reason="RI", added_on=scene.today
    )
    assert ConcernRegisterEntry.objects.filter(school=scene.schools["own"]).count() == 2
