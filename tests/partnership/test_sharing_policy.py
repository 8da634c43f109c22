"""The partnership's sharing policy: the interpretations of partnership.sharing as versioned data.

Each rule of the policy changes the answer of the rules module, its ``because`` names the version, and
the defaults are the behaviour before policies were data (test_sharing's matrix runs on the defaults).
The officer page changes it; old versions stay readable; a change queues a full recompute.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from guardian.core import ObjectPermissionChecker

from partnership.models import AuditEvent
from partnership.roles import Role
from schools.models import ClusterMembership
from sharing import rules
from sharing.models import SharingPolicy
from sharing.services import sharing_policy_change, sharing_recompute, support_start

from ..factories import MembershipFactory, SchoolFactory, UserFactory
from .test_sharing import build_scene, sign

FULL, HEADLINE = rules.FULL, rules.HEADLINE


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def change(scene, reason="Agreed by the board.", **rules):
    return sharing_policy_change(
        actor=scene.world.a.users["officer"], partnership=scene.partnership, reason=reason, **rules
    )


def level(scene, who, target):
    user = who if not isinstance(who, str) else scene.world.a.users[who]
    return rules.access_for(user, scene.schools[target])


def test_a_partnership_that_never_changed_it_has_the_defaults(scene):
    policy = rules.current_sharing_policy(scene.partnership)
    assert policy.pk is None and policy.version == 0 and policy.label == "the defaults"
    assert policy.values() == dict.fromkeys(SharingPolicy.RULES, True)
    assert rules.sharing_policy_history(scene.partnership) == []
    assert level(scene, "board", "own").sentence.endswith("(the partnership's sharing policy, the defaults).")


def test_board_members_see_signed_schools_only_while_the_policy_says_so(scene):
    assert level(scene, "board", "peer").rule == "board"
    change(scene, board_sees_signed=False)
    access = level(scene, "board", "peer")
    assert (access.level, access.rule) == (HEADLINE, "member-headline")
    change(scene, board_sees_signed=True, reason="The board asked for it back.")
    access = level(scene, "board", "peer")
    assert access.rule == "board" and "version 2" in access.sentence


@pytest.mark.parametrize(
    ("who", "rule", "field"),
    [
        ("clusterlead", "cluster-lead", "cluster_lead_sees_cluster"),
        ("clusterofficer", "cluster-officer", "cluster_officer_sees_cluster"),
    ],
)
def test_each_cluster_role_follows_its_own_rule(scene, who, rule, field):
    other = "clusterofficer" if who == "clusterlead" else "clusterlead"
    assert level(scene, who, "peer").rule == rule
    change(scene, **{field: False})
    assert level(scene, who, "peer").level == HEADLINE
    assert level(scene, other, "peer").level == FULL  # the other cluster role is untouched
    assert level(scene, who, "own").level == HEADLINE


def test_associate_members_count_in_a_cluster_unless_the_policy_says_full_members_only(scene):
    associate = SchoolFactory(partnership=scene.partnership, urn="901020", name="Associate School")
    ClusterMembership.objects.create(
        partnership=scene.partnership, cluster=scene.world.a.cluster, school=associate, kind="associate"
    )
    sign(associate, scene.world.a.users["officer"])
    lead = scene.world.a.users["clusterlead"]
    access = rules.access_for(lead, associate)
    assert access.rule == "cluster-lead" and "cluster's schools that share it" in access.sentence
    change(scene, cluster_includes_associates=False)
    assert rules.access_for(lead, associate).level == HEADLINE
    access = level(scene, lead, "peer")  # a full member
    assert access.rule == "cluster-lead" and "full member schools" in access.sentence and "version 1" in access.sentence


def test_an_opt_out_partnership_treats_an_unanswered_school_as_sharing_until_it_declines(scene):
    head = scene.world.a.users["head"]
    assert level(scene, head, "ended").rule == "not-shared"
    change(scene, unrecorded_is_not_sharing=False)
    access = level(scene, head, "ended")
    assert (access.level, access.rule) == (FULL, "memorandum")
    assert access.sentence == (
        "Alpha Primary School signed the memorandum; Formerly Supported School has no memorandum answer "
        "recorded, which the partnership's sharing policy, version 1 counts as sharing."
    )
    assert level(scene, "board", "ended").rule == "board"
    assert level(scene, head, "declined").rule == "not-shared"  # a refusal still counts
    assert (
        level(scene, head, "peer").sentence == "Alpha Primary School and Alpha High School both signed the memorandum."
    )


def test_a_support_opens_an_undecided_school_only_while_the_policy_allows_it(scene):
    head = scene.world.a.users["head"]
    assert level(scene, head, "supported").rule == "support"
    change(scene, support_to_undecided=False)
    access = level(scene, head, "supported")
    assert (access.level, access.rule) == (HEADLINE, "not-shared")
    assert "a support opens only a signed school's data" in access.sentence and "version 1" in access.sentence
    # ... and no new support can be granted to an undecided school.
    with pytest.raises(ValidationError) as exc:
        support_start(
            actor=scene.world.a.users["officer"],
            supporter=scene.schools["peer"],
            supported=scene.schools["ended"],
            purpose="Reading",
            starts_on=scene.today,
        )
    assert "has not answered the memorandum" in exc.value.message_dict["supported"][0]
    # Once it signs, the support opens it.
    sign(scene.schools["supported"], scene.world.a.users["officer"])
    assert level(scene, head, "supported").level == FULL


def test_a_change_adds_a_version_and_keeps_the_old_ones(scene, django_capture_on_commit_callbacks):
    officer = scene.world.a.users["officer"]
    first = change(scene, board_sees_signed=False, reason="Board sees headlines only this year.")
    second = change(scene, cluster_officer_sees_cluster=False, reason="Consultants are not LA staff.")
    assert (first.version, second.version) == (1, 2)
    assert second.board_sees_signed is False  # a rule left out keeps its current value
    assert [p.version for p in rules.sharing_policy_history(scene.partnership)] == [2, 1]
    first.refresh_from_db()
    assert first.cluster_officer_sees_cluster is True and first.reason == "Board sees headlines only this year."
    assert (first.changed_by, second.changed_by) == (officer, officer)
    assert rules.current_sharing_policy(scene.partnership) == second
    event = AuditEvent.objects.get(action="sharing_policy.change", object_id=str(second.pk))
    assert event.before["version"] == 1 and event.after["version"] == 2
    assert (event.before["cluster_officer_sees_cluster"], event.after["cluster_officer_sees_cluster"]) == (True, False)
    assert event.reason == "Consultants are not LA staff." and event.actor == officer


def test_a_change_recomputes_the_grants_of_the_whole_partnership(scene, django_capture_on_commit_callbacks):
    board = scene.world.a.users["board"]
    sharing_recompute(partnership=scene.partnership)
    assert ObjectPermissionChecker(board).has_perm(rules.DATA_PERMISSION, scene.schools["peer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(scene, board_sees_signed=False)
    assert not callbacks  # the grants followed in the change's own transaction
    assert not ObjectPermissionChecker(board).has_perm(rules.DATA_PERMISSION, scene.schools["peer"])
    assert ObjectPermissionChecker(scene.world.a.users["head"]).has_perm(rules.DATA_PERMISSION, scene.schools["peer"])


def test_a_change_needs_a_reason_a_real_change_and_an_officer(scene):
    with pytest.raises(ValidationError) as exc:
        change(scene, reason=" ", board_sees_signed=False)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError, match="Nothing changed"):
        change(scene, board_sees_signed=True)
    with pytest.raises(ValidationError, match="Not rules of the sharing policy: board_sees_everything"):
        change(scene, board_sees_everything=True)
    for who in ("head", "board", "clusterlead", "partner"):
        with pytest.raises(PermissionDenied):
            sharing_policy_change(
                actor=scene.world.a.users[who], partnership=scene.partnership, reason="No.", board_sees_signed=False
            )
    assert not SharingPolicy.objects.exists()


def test_policies_are_per_partnership(scene):
    change(scene, board_sees_signed=False)
    b = scene.world.b
    sign(b.school, b.users["head"])
    assert rules.access_for(b.users["board"], b.school).rule == "board"
    assert rules.current_sharing_policy(b.partnership).version == 0


def test_reading_the_policy_is_one_query(scene, django_assert_num_queries):
    change(scene, board_sees_signed=False)
    with django_assert_num_queries(1):
        assert rules.current_sharing_policy(scene.partnership).version == 1


# ---- the officer page --------------------------------------------------------------------------------------


def url(scene):
    return reverse("sharing_policy", args=[scene.partnership.slug])


def form_data(**overrides):
    data = {name: "on" for name in SharingPolicy.RULES}
    data.update({"reason": "Agreed at the board on 3 May."})
    for name, value in overrides.items():
        if value is False:
            data.pop(name)
        else:
            data[name] = value
    return data


def test_officer_changes_the_policy_on_the_page_and_sees_every_version(
    scene, login, django_capture_on_commit_callbacks
):
    client = login(scene.world.a.users["officer"])
    body = client.get(url(scene)).content.decode()
    assert "In force: the defaults" in body and "No versions yet" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(scene), form_data(board_sees_signed=False))
    assert response.status_code == 302
    assert level(scene, "board", "peer").level == HEADLINE
    client.post(url(scene), form_data(board_sees_signed=False, support_to_undecided=False, reason="Consent first."))
    body = client.get(url(scene)).content.decode()
    assert "In force: version 2" in body and "Consent first." in body
    assert "Agreed at the board on 3 May." in body  # version 1 stays readable
    assert [p.version for p in rules.sharing_policy_history(scene.partnership)] == [2, 1]


def test_policy_page_errors_name_the_field_and_save_nothing(scene, login):
    client = login(scene.world.a.users["officer"])
    before = AuditEvent.objects.count()
    response = client.post(url(scene), form_data(reason=""))
    assert response.context["form"].errors["reason"] == ["Say why the policy changes: it is kept with the version."]
    response = client.post(url(scene), form_data())
    assert response.context["form"].errors["__all__"] == [
        "Nothing changed: the policy already says that (the defaults)."
    ]
    assert not SharingPolicy.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", [r for r in Role.values if r != Role.OFFICER])
def test_policy_page_is_for_la_officers_only(scene, login, who):
    client = login(scene.world.a.users[who])
    assert client.get(url(scene)).status_code == 403
    response = client.post(url(scene), form_data(board_sees_signed=False))
    assert response.status_code == 403
    assert "Only an LA officer changes the partnership" in response.content.decode()
    assert not SharingPolicy.objects.exists()


def test_a_platform_admin_may_change_it(scene, login):
    response = login(scene.world.admin).post(url(scene), form_data(board_sees_signed=False))
    assert response.status_code == 302
    assert SharingPolicy.objects.get().changed_by == scene.world.admin


def test_the_school_page_explains_access_with_the_policy_version(scene, login):
    change(scene, board_sees_signed=False)
    change(scene, board_sees_signed=True, reason="Back on.")
    body = (
        login(scene.world.a.users["board"])
        .get(reverse("sharing_detail", args=[scene.partnership.slug, scene.schools["peer"].urn]))
        .content.decode()
    )
    assert "version 2" in body and "rule: board" not in body


def test_a_new_cluster_officer_of_a_partnership_without_cluster_rules_costs_no_cluster_query(
    scene, django_assert_max_num_queries
):
    """With both cluster rules off, the cluster memberships are not read at all."""
    change(scene, cluster_lead_sees_cluster=False, cluster_officer_sees_cluster=False)
    user = UserFactory(username="newofficer.alpha")
    MembershipFactory(
        partnership=scene.partnership, user=user, role=Role.CLUSTER_OFFICER, cluster=scene.world.a.cluster
    )
    # schools, memorandum answers, memberships, the policy, supports, partner grants: no cluster memberships.
    with django_assert_max_num_queries(6):
        assert rules.access_for(user, scene.schools["peer"]).level == HEADLINE
