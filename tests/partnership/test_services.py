import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from partnership.models import AuditEvent, Partnership
from partnership.roles import Role, can_grant
from people.models import Membership
from people.services import membership_add, membership_change_role, membership_end, membership_invite
from schools.models import School
from schools.services import schools_create_many
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["board", "clusterlead", "clusterofficer", "head", "governor", "partner"])
def test_only_officers_grant_roles(world, role):
    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        membership_add(
            actor=world.a.users[role], partnership=world.a.partnership, user=world.b.users["head"], role=Role.PARTNER
        )


def test_an_officer_of_one_partnership_grants_nothing_in_another(world):
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=world.a.users["officer"],
            partnership=world.b.partnership,
            user=world.a.users["head"],
            role=Role.PARTNER,
        )


def test_nobody_grants_a_role_above_their_own():
    """Only the LA gives roles, and an LA officer is the highest role a partnership has: every other role
    is refused whatever it asks for, and an officer may give every role up to their own."""
    for role in Role.values:
        assert can_grant({Role.OFFICER}, role)[0]
    for own in set(Role.values) - {Role.OFFICER}:
        for wanted in Role.values:
            allowed, reason = can_grant({own}, wanted)
            assert not allowed and "Only an LA officer" in reason
    assert not can_grant({Role.OFFICER}, "admin")[0]  # a platform admin is not a partnership's role to give
    assert not can_grant(set(), Role.GOVERNOR)[0]


def test_a_service_refuses_a_missing_actor_and_names_system_work(world):
    """No service skips its check for want of an actor: None is refused with the reason; system work is
    done by a named system actor, and the audit trail names it."""
    from django.core.exceptions import PermissionDenied

    from partnership.actors import system_actor

    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        membership_add(actor=None, partnership=world.a.partnership, user=world.b.users["head"], role=Role.PARTNER)
    membership_add(
        actor=system_actor("nightly test job"),
        partnership=world.a.partnership,
        user=world.b.users["head"],
        role=Role.PARTNER,
    )
    event = AuditEvent.objects.get(action="membership.add", partnership=world.a.partnership)
    assert event.actor is None and event.actor_label == "system: nightly test job"


def test_a_head_needs_a_school_and_nothing_is_saved_without_one(world):
    before = Membership.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="belongs to a school"):
        membership_invite(
            actor=world.a.users["officer"], partnership=world.a.partnership, email="n@example.org", role=Role.HEAD
        )
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_invite_of_an_existing_user_waits_for_that_person_to_accept(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """An officer cannot attach another partnership's person by typing their address: nothing joins
    until the person signs in as themselves and accepts."""
    from django_scopes import scope

    from people.services import invitation_accept

    user = world.b.users["partner"]
    with django_capture_on_commit_callbacks(execute=True):
        invitation = membership_invite(
            actor=world.a.users["officer"], partnership=world.a.partnership, email=user.email, role=Role.PARTNER
        )
    assert Membership.objects.filter(user=user).count() == 1
    assert invitation.user == user and invitation.is_pending
    assert "already have an account" in mailoutbox[0].body
    assert f"/accounts/invitations/{invitation.uuid}/" in mailoutbox[0].body

    with pytest.raises(PermissionDenied):
        invitation_accept(actor=world.a.users["head"], invitation=invitation)
    assert Membership.objects.filter(user=user).count() == 1

    with scope(partnership=world.a.partnership):
        membership = invitation_accept(actor=user, invitation=invitation)
        assert invitation_accept(actor=user, invitation=invitation) == membership  # twice changes nothing
    assert Membership.objects.filter(user=user).count() == 2
    assert (membership.partnership, membership.role, membership.created_by) == (
        world.a.partnership,
        Role.PARTNER,
        world.a.users["officer"],
    )
    event = AuditEvent.objects.get(action="membership.add", object_id=str(membership.pk))
    assert event.actor == user and "Accepted the invitation" in event.reason


def test_change_and_end_need_a_reason_and_are_audited_with_before_and_after(world):
    officer = world.a.users["officer"]
    membership = Membership.objects.get(user=world.a.users["governor"])
    with pytest.raises(ValidationError, match="Say why"):
        membership_change_role(actor=officer, membership=membership, role=Role.HEAD, school=world.a.school, reason=" ")
    membership_change_role(
        actor=officer, membership=membership, role=Role.HEAD, school=world.a.school, reason="Appointed head."
    )
    event = AuditEvent.objects.get(action="membership.change_role")
    assert event.before["role"] == "governor" and event.after["role"] == "head"
    assert event.actor == officer and event.reason == "Appointed head."
    membership_end(actor=officer, membership=membership, reason="Retired.")
    with pytest.raises(ValidationError, match="already ended"):
        membership_end(actor=officer, membership=membership, reason="Again.")


def test_an_officer_cannot_end_their_own_officer_membership(world):
    officer = world.a.users["officer"]
    with pytest.raises(ValidationError, match="your own"):
        membership_end(actor=officer, membership=Membership.objects.get(user=officer), reason="Leaving.")


def test_bulk_writes_are_audited_row_by_row_in_few_queries(world, django_assert_max_num_queries):
    schools = [School(urn=f"901{n:03d}", name=f"Bulk {n}", la_code="901") for n in range(100, 300)]
    # The inserts and audit rows go in batches, and the grants follow the new schools in the same
    # transaction with one recompute of fixed cost: about 27 queries for 200 schools, as for 2.
    with django_assert_max_num_queries(30):
        schools_create_many(
            actor=world.a.users["officer"], partnership=world.a.partnership, schools=schools, reason="Census."
        )
    events = AuditEvent.objects.filter(action="school.create", partnership=world.a.partnership)
    assert events.count() == 200
    assert set(events.values_list("reason", flat=True)) == {"Census."}
    assert events.filter(object_id=str(School.objects.get(urn="901150").pk)).get().after["name"] == "Bulk 150"


def test_a_bulk_write_with_one_bad_row_writes_nothing(world):
    schools = [School(urn="901500", name="Good", la_code="901"), School(urn="901501", name="Wrong LA", la_code="999")]
    with pytest.raises(ValidationError, match="Row 2: LA code 999"):
        schools_create_many(actor=SYSTEM, partnership=world.a.partnership, schools=schools)
    assert not School.objects.filter(urn__in=["901500", "901501"]).exists()


def test_partnership_create_command(db, capsys):
    call_command("partnership_create", "wigan", "--name", "Wigan Consortia", "--la-code", "359", "--la-code", "360")
    partnership = Partnership.objects.get(slug="wigan")
    assert partnership.la_codes == ["359", "360"]
    assert "Created Wigan Consortia at /p/wigan/" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="partnership.create").object_id == str(partnership.pk)


def test_partnership_create_command_refuses_bad_input_and_creates_nothing(db):
    with pytest.raises(CommandError, match="three-digit DfE LA code"):
        call_command("partnership_create", "nowhere", "--name", "Nowhere", "--la-code", "12x")
    with pytest.raises(CommandError, match="academic year"):
        call_command(
            "partnership_create", "nowhere", "--name", "Nowhere", "--la-code", "123", "--academic-year", "2022"
        )
    call_command("partnership_create", "once", "--name", "Once", "--la-code", "123")
    with pytest.raises(CommandError, match="slug"):
        call_command("partnership_create", "once", "--name", "Twice", "--la-code", "123")
    assert not Partnership.objects.filter(slug="nowhere").exists()


def test_ending_a_membership_removes_the_persons_data_grants_once_committed(world, django_capture_on_commit_callbacks):
    from sharing.models import SchoolUserObjectPermission
    from sharing.services import sharing_recompute

    head = world.a.users["head"]
    sharing_recompute(partnership=world.a.partnership)
    assert SchoolUserObjectPermission.objects.filter(user=head, content_object=world.a.school).exists()
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=world.a.users["officer"], membership=Membership.objects.get(user=head), reason="Left.")
    assert not SchoolUserObjectPermission.objects.filter(user=head).exists()
