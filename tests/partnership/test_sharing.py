"""The data-sharing rules (partnership.sharing) and the guardian grants derived from them.

The scenario, in partnership A (world.a):
- own:       world.a.school, signed; world's head and governor are its people; in the cluster.
- peer:      world.a.other_school, signed; in the cluster; its head is peer_head.
- declined:  declined the memorandum; in the cluster; its head is declined_head.
- supported: no answer recorded yet; own school supports it now.
- ended:     no answer recorded yet; own school supported it, the support has ended.
- granted:   signed; not in the cluster; the strategic partner was granted full access to it.
The partner was also granted full access to the declined school: the refusal caps it at headline.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from guardian.core import ObjectPermissionChecker

from partnership.roles import Role
from sharing import rules
from sharing.models import MemorandumStatus, SchoolUserObjectPermission, StrategicPartnerGrant, SupportRelationship
from sharing.services import (
    _months_before,
    log_data_view,
    memorandum_record,
    partner_grant,
    partner_grant_end,
    register_add,
    register_notice_record,
    sharing_recompute,
    support_end,
    support_start,
)
from tests.factories import SYSTEM

from ..factories import ClusterMembershipFactory, MembershipFactory, SchoolFactory, UserFactory

FULL, HEADLINE, NONE = rules.FULL, rules.HEADLINE, rules.NONE
TARGETS = ("own", "peer", "declined", "supported", "ended", "granted", "other_partnership")


def sign(school, controller, *, actor=SYSTEM):
    return memorandum_record(
        actor=actor,
        school=school,
        status=MemorandumStatus.Status.SIGNED,
        signed_on=date(2022, 9, 20),
        governors_minute_ref="FGB 2022/14",
        data_controller=controller,
    )


def school_person(partnership, school, username, role=Role.HEAD):
    user = UserFactory(username=username)
    MembershipFactory(partnership=partnership, user=user, role=role, school=school)
    return user


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def build_scene(world, django_capture_on_commit_callbacks):
    """The scenario of the module docstring; the services' on-commit recompute tasks run as they would."""
    a = world.a
    p = a.partnership
    officer = a.users["officer"]
    declined = SchoolFactory(partnership=p, urn="901010", name="Declined School")
    supported = SchoolFactory(partnership=p, urn="901011", name="Supported School")
    ended = SchoolFactory(partnership=p, urn="901012", name="Formerly Supported School")
    granted = SchoolFactory(partnership=p, urn="901013", name="Granted School")
    ClusterMembershipFactory(cluster=a.cluster, school=declined)
    peer_head = school_person(p, a.other_school, "peerhead.alpha")
    declined_head = school_person(p, declined, "declinedhead.alpha")
    granted_head = school_person(p, granted, "grantedhead.alpha")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        sign(a.school, a.users["head"], actor=officer)
        sign(a.other_school, peer_head, actor=officer)
        sign(granted, granted_head, actor=officer)
        memorandum_record(
            actor=officer,
            school=declined,
            status=MemorandumStatus.Status.DECLINED,
            data_controller=declined_head,
            note="The governors chose not to share.",
        )
        support_start(
            actor=officer,
            supporter=a.school,
            supported=supported,
            purpose="Phonics and early reading",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=60),
        )
        old = support_start(
            actor=officer,
            supporter=a.school,
            supported=ended,
            purpose="Maths leadership",
            starts_on=today - timedelta(days=300),
        )
        support_end(actor=officer, support=old, reason="The support plan is complete.")
        partner_membership = a.users["partner"].memberships.get(partnership=p)
        partner_grant(
            actor=officer,
            membership=partner_membership,
            schools=[granted, declined],
            access=StrategicPartnerGrant.Access.FULL,
            starts_on=today - timedelta(days=1),
            reason="Diocesan schools: the board agreed to share.",
        )
    schools = {
        "own": a.school,
        "peer": a.other_school,
        "declined": declined,
        "supported": supported,
        "ended": ended,
        "granted": granted,
        "other_partnership": world.b.school,
    }
    return SimpleNamespace(
        world=world,
        partnership=p,
        schools=schools,
        peer_head=peer_head,
        declined_head=declined_head,
        granted_head=granted_head,
        old_support=old,
        today=today,
    )


def _f(*targets):
    return dict.fromkeys(targets, FULL)


# Expected access of each kind of person to each target school.
MATRIX = {
    "officer": {**_f("own", "peer", "declined", "supported", "ended", "granted"), "other_partnership": NONE},
    "board": {
        **_f("own", "peer", "granted"),
        "declined": HEADLINE,
        "supported": HEADLINE,
        "ended": HEADLINE,
        "other_partnership": NONE,
    },
    "clusterlead": {
        **_f("own", "peer"),
        "declined": HEADLINE,
        "supported": HEADLINE,
        "ended": HEADLINE,
        "granted": HEADLINE,
        "other_partnership": NONE,
    },
    "clusterofficer": {
        **_f("own", "peer"),
        "declined": HEADLINE,
        "supported": HEADLINE,
        "ended": HEADLINE,
        "granted": HEADLINE,
        "other_partnership": NONE,
    },
    "head": {
        **_f("own", "peer", "supported", "granted"),
        "declined": HEADLINE,
        "ended": HEADLINE,
        "other_partnership": NONE,
    },
    "governor": {
        **_f("own", "peer", "supported", "granted"),
        "declined": HEADLINE,
        "ended": HEADLINE,
        "other_partnership": NONE,
    },
    "partner": {
        "own": HEADLINE,
        "peer": HEADLINE,
        "declined": HEADLINE,
        "supported": HEADLINE,
        "ended": HEADLINE,
        "granted": FULL,
        "other_partnership": NONE,
    },
    "declined_head": {
        "own": HEADLINE,
        "peer": HEADLINE,
        "declined": FULL,
        "supported": HEADLINE,
        "ended": HEADLINE,
        "granted": HEADLINE,
        "other_partnership": NONE,
    },
    "other_partnership_head": {
        **dict.fromkeys(TARGETS, NONE),
        "other_partnership": FULL,
    },
    "admin": dict.fromkeys(TARGETS, FULL),
    "anonymous": dict.fromkeys(TARGETS, HEADLINE),
}
EXPECTED_RULE = {
    ("officer", "declined"): "la-officer",
    ("board", "own"): "board",
    ("clusterlead", "peer"): "cluster-lead",
    ("clusterofficer", "peer"): "cluster-officer",
    ("head", "own"): "own-school",
    ("head", "peer"): "memorandum",
    ("head", "supported"): "support",
    ("head", "ended"): "not-shared",
    ("head", "declined"): "not-shared",
    ("partner", "granted"): "partner-grant",
    ("partner", "declined"): "not-shared",
    ("partner", "peer"): "member-headline",
    ("declined_head", "declined"): "own-school",
    ("declined_head", "peer"): "member-headline",
    ("admin", "other_partnership"): "platform-admin",
    ("anonymous", "own"): "public-dashboard",
}


def person(scene, who):
    if who == "declined_head":
        return scene.declined_head
    if who == "other_partnership_head":
        return scene.world.b.users["head"]
    if who == "admin":
        return scene.world.admin
    if who == "anonymous":
        return AnonymousUser()
    return scene.world.a.users[who]


CASES = [(who, target) for who in MATRIX for target in TARGETS]


@pytest.mark.parametrize(("who", "target"), CASES)
def test_permission_matrix_access_for(scene, who, target):
    access = rules.access_for(person(scene, who), scene.schools[target], today=scene.today)
    assert access.level == MATRIX[who][target], f"{who} on {target}: {access.because}"
    if (who, target) in EXPECTED_RULE:
        assert access.rule == EXPECTED_RULE[(who, target)], access.because


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_lists_and_counts(scene, who):
    """The school ids a list, a count, a chart, an export or an autocomplete may show."""
    user = person(scene, who)
    for partnership, targets in (
        (scene.partnership, [t for t in TARGETS if t != "other_partnership"]),
        (scene.world.b.partnership, ["other_partnership"]),
    ):
        for level in (FULL, HEADLINE):
            expected = {scene.schools[t].pk for t in targets if rules.RANK[MATRIX[who][t]] >= rules.RANK[level]}
            visible = rules.visible_school_ids(user, partnership, level, today=scene.today)
            # Partnership B's second school is not in the matrix; compare on the matrix's schools only.
            matrix_ids = {scene.schools[t].pk for t in targets}
            assert visible & matrix_ids == expected, f"{who} {level} in {partnership.slug}"


@pytest.mark.parametrize("who", [w for w in MATRIX if w != "anonymous"])
def test_permission_matrix_guardian_rows_after_recompute(scene, who):
    """The derived guardian rows say the same as the rules (superusers hold every permission anyway)."""
    sharing_recompute(partnership=scene.partnership)
    sharing_recompute(partnership=scene.world.b.partnership)
    user = person(scene, who)
    checker = ObjectPermissionChecker(user)
    for target in TARGETS:
        granted = checker.has_perm(rules.DATA_PERMISSION, scene.schools[target])
        assert granted == (MATRIX[who][target] == FULL), f"{who} on {target}"


@pytest.mark.parametrize("who", [w for w in MATRIX if w not in ("anonymous", "admin")])
def test_permission_matrix_who_can_see_agrees(scene, who):
    """The explanation (command, sharing page) gives the same level as the page check, for every school."""
    user = person(scene, who)
    for target in TARGETS:
        school = scene.schools[target]
        rows = {r["username"]: r for r in rules.who_can_see(school.partnership, school)}
        expected = MATRIX[who][target]
        if expected == NONE:
            assert user.username not in rows
        else:
            assert rows[user.username]["access"] == expected, f"{who} on {target}"
            assert rows[user.username]["because"] == rules.access_for(user, school).because


def test_recompute_twice_gives_the_same_grants(scene):
    rows = lambda: set(  # noqa: E731
        SchoolUserObjectPermission.objects.filter(content_object__partnership=scene.partnership).values_list(
            "user_id", "content_object_id", "permission_id"
        )
    )
    # The scene's services already left the full answer in place, each in its own transaction.
    incremental = rows()
    assert sharing_recompute(partnership=scene.partnership)["added"] == 0
    assert rows() == incremental
    SchoolUserObjectPermission.objects.all().delete()
    first = sharing_recompute(partnership=scene.partnership)
    after_first = rows()
    second = sharing_recompute(partnership=scene.partnership)
    assert first["added"] == len(after_first) > 0
    assert second == {"added": 0, "removed": 0, "reworded": 0, "kept": len(after_first)}
    assert rows() == after_first == incremental


def test_recompute_removes_rows_nobody_should_have(scene):
    sharing_recompute(partnership=scene.partnership)
    stray = UserFactory(username="stray")
    permission = rules.sharing_permission(rules.DATA_PERMISSION)
    SchoolUserObjectPermission.objects.create(
        user=stray, content_object=scene.schools["declined"], permission=permission
    )
    result = sharing_recompute(partnership=scene.partnership)
    assert result["removed"] == 1
    assert not SchoolUserObjectPermission.objects.filter(user=stray).exists()


def test_ending_a_support_removes_access_at_once(scene, django_capture_on_commit_callbacks):
    head = scene.world.a.users["head"]
    supported = scene.schools["supported"]
    with django_capture_on_commit_callbacks(execute=True):
        support = support_start(
            actor=scene.world.a.users["officer"],
            supporter=scene.schools["own"],
            supported=scene.schools["granted"],
            purpose="Unused",
            starts_on=scene.today,
        )
    sharing_recompute(partnership=scene.partnership)
    assert ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, supported)
    live = SupportRelationship.objects.get(supported=supported)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        support_end(actor=scene.world.a.users["officer"], support=live, reason="Done early.")
    assert not callbacks  # nothing waits for a task: the grants followed in the same transaction
    assert rules.access_for(head, supported).level == HEADLINE
    assert not ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, supported)
    assert support.pk  # the other support is untouched
    assert rules.access_for(head, scene.schools["granted"]).level == FULL


def test_support_ending_on_its_end_date_lapses_the_next_day(scene):
    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    head = scene.world.a.users["head"]
    assert rules.access_for(head, support.supported, today=support.ends_on).level == FULL
    after = support.ends_on + timedelta(days=1)
    assert rules.access_for(head, support.supported, today=after).level == HEADLINE


def test_the_beat_job_ends_expired_supports_and_their_grants(scene):
    from sharing.tasks import supports_end_expired

    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    sharing_recompute(partnership=scene.partnership)
    head = scene.world.a.users["head"]
    assert ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, support.supported)
    SupportRelationship.objects.filter(pk=support.pk).update(ends_on=scene.today - timedelta(days=1))
    assert supports_end_expired.delay().get() == {scene.partnership.slug: 1}
    support.refresh_from_db()
    assert support.ended_at is not None and support.end_reason == "The end date passed."
    assert not ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, support.supported)
    assert supports_end_expired.delay().get() == {}  # a second run ends nothing twice


def test_memorandum_history_keeps_old_answers_and_withdrawal_removes_peer_access(
    scene, django_capture_on_commit_callbacks
):
    peer = scene.schools["peer"]
    head = scene.world.a.users["head"]
    sharing_recompute(partnership=scene.partnership)
    assert ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, peer)
    with django_capture_on_commit_callbacks(execute=True):
        memorandum_record(
            actor=scene.peer_head, school=peer, status=MemorandumStatus.Status.WITHDRAWN, note="Governors withdrew."
        )
    assert [h.status for h in rules.memorandum_history(peer)] == ["withdrawn", "signed"]
    assert rules.access_for(head, peer).rule == "not-shared"
    assert not ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, peer)
    # ... and the withdrawn school's own head no longer sees the signed schools.
    assert not ObjectPermissionChecker(scene.peer_head).has_perm(rules.DATA_PERMISSION, scene.schools["own"])
    assert ObjectPermissionChecker(scene.peer_head).has_perm(rules.DATA_PERMISSION, peer)


def test_only_the_head_data_controller_or_la_manage_sharing(scene):
    from django.core.exceptions import PermissionDenied

    supported = scene.schools["supported"]
    for who in ("board", "clusterlead", "partner", "governor"):
        with pytest.raises(PermissionDenied):
            support_start(
                actor=scene.world.a.users[who],
                supporter=scene.schools["peer"],
                supported=scene.schools["own"],
                purpose="Not allowed",
                starts_on=scene.today,
            )
    with pytest.raises(PermissionDenied):
        support_start(
            actor=scene.world.a.users["head"],
            supporter=scene.schools["own"],
            supported=scene.schools["peer"],
            purpose="A head grants only their own school's data",
            starts_on=scene.today,
        )
    # The headteacher of the supported school may grant it.
    support = support_start(
        actor=scene.peer_head,
        supporter=supported,
        supported=scene.schools["peer"],
        purpose="Reading",
        starts_on=scene.today,
    )
    assert support.granted_by == scene.peer_head


def test_services_audit_every_change(scene):
    from partnership.models import AuditEvent

    actions = set(AuditEvent.objects.for_partnership(scene.partnership).values_list("action", flat=True))
    assert {"memorandum.record", "support.start", "support.end", "partner_grant.grant", "sharing.recompute"} <= actions


def test_signing_needs_a_date_a_minute_and_a_controller(scene):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        memorandum_record(actor=SYSTEM, school=scene.schools["ended"], status=MemorandumStatus.Status.SIGNED)
    assert set(exc.value.message_dict) == {"signed_on", "governors_minute_ref", "data_controller"}
    with pytest.raises(ValidationError):
        sign(scene.schools["ended"], scene.world.b.users["head"])  # a controller from another partnership


def test_confidential_register_entries(scene):
    officer = scene.world.a.users["officer"]
    own, peer = scene.schools["own"], scene.schools["peer"]
    confidential = register_add(
        actor=officer, school=peer, reason_kind="other", reason="Safeguarding concerns.", added_on=scene.today
    )
    ofsted = register_add(
        actor=officer, school=own, reason_kind="ofsted", reason="Requires improvement.", added_on=scene.today
    )

    def visible(who):
        user = who if not isinstance(who, str) else person(scene, who)
        return set(rules.register_entries_visible_to(user, scene.partnership))

    assert visible("officer") == {confidential, ofsted}
    assert visible(scene.peer_head) == {confidential, ofsted}  # its own entry, and a signed peer's Ofsted one
    assert visible("head") == {ofsted}  # the signed peer cannot see the confidential entry
    assert visible("board") == {ofsted}
    assert visible("declined_head") == set()
    assert visible("anonymous") == set()
    assert visible(scene.world.b.users["officer"]) == set()
    assert not rules.can_see_register_entry(scene.world.a.users["head"], confidential)[0]
    register_notice_record(
        actor=officer, entry=confidential, issued_on=scene.today, reason="s60 warning notice, ref WN/2023/1."
    )
    assert visible("head") == {confidential, ofsted}
    assert visible("board") == {confidential, ofsted}


def test_log_data_view_records_who_what_when(scene):
    head = scene.world.a.users["head"]
    peer = scene.schools["peer"]
    access = rules.access_for(head, peer)
    row = log_data_view(head, peer, "KS2 results 2022-23", access=access)
    assert (row.username, row.what, row.because) == (head.username, "KS2 results 2022-23", access.because)
    assert rules.access_log_for_school(peer) == [row]


def test_an_incremental_recompute_touches_only_its_schools_and_people(scene):
    stray = UserFactory(username="stray")
    permission = rules.sharing_permission(rules.DATA_PERMISSION)
    for target in ("declined", "peer"):
        SchoolUserObjectPermission.objects.create(
            user=stray, content_object=scene.schools[target], permission=permission
        )
    result = sharing_recompute(partnership=scene.partnership, school_ids=[scene.schools["peer"].pk])
    assert result["removed"] == 1
    left = set(SchoolUserObjectPermission.objects.filter(user=stray).values_list("content_object_id", flat=True))
    assert left == {scene.schools["declined"].pk}
    assert sharing_recompute(partnership=scene.partnership, user_ids=[stray.pk])["removed"] == 1


def test_ending_a_partner_grant_or_the_partners_membership_ends_access(scene, django_capture_on_commit_callbacks):
    partner = scene.world.a.users["partner"]
    granted = scene.schools["granted"]
    grant = StrategicPartnerGrant.objects.get(school=granted, ended_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=True):
        partner_grant_end(actor=scene.world.a.users["officer"], grant=grant, reason="Review.")
    assert rules.access_for(partner, granted).level == HEADLINE
    assert not ObjectPermissionChecker(partner).has_perm(rules.DATA_PERMISSION, granted)
    with django_capture_on_commit_callbacks(execute=True):
        partner_grant(
            actor=scene.world.a.users["officer"],
            membership=grant.membership,
            schools=[granted],
            access="full",
            starts_on=scene.today,
            reason="Renewed.",
        )
    assert rules.access_for(partner, granted).level == FULL
    grant.membership.ended_at = timezone.now()
    grant.membership.save(update_fields=["ended_at"])
    assert rules.access_for(partner, granted).level == NONE


def test_only_la_officers_grant_partners_or_keep_the_register(scene):
    from django.core.exceptions import PermissionDenied

    for who in ("board", "head", "clusterlead", "partner"):
        with pytest.raises(PermissionDenied):
            partner_grant(
                actor=scene.world.a.users[who],
                membership=scene.world.a.users["partner"].memberships.get(),
                schools=[scene.schools["own"]],
                access="full",
                starts_on=scene.today,
                reason="Not allowed.",
            )
        with pytest.raises(PermissionDenied):
            register_add(
                actor=scene.world.a.users[who],
                school=scene.schools["own"],
                reason_kind="other",
                reason="Not allowed.",
                added_on=scene.today,
            )


def test_the_beat_schedule_runs_the_sharing_jobs():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"sharing.tasks.supports_end_expired", "sharing.tasks.sharing_retention_apply_all"} <= tasks


def test_retention_cutoff_counts_calendar_months():
    assert _months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert _months_before(date(2026, 1, 15), 84) == date(2019, 1, 15)


def test_a_person_with_two_roles_gets_the_first_rule_in_the_documented_order(scene):
    head = scene.world.a.users["head"]
    MembershipFactory(partnership=scene.partnership, user=head, role=Role.BOARD)
    assert rules.access_for(head, scene.schools["peer"]).rule == "memorandum"  # not "board"
    assert rules.access_for(head, scene.schools["declined"]).rule == "not-shared"
