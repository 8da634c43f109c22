"""The pages that record the sharing rules' inputs: the data sharing overview, memorandum answers,
supports, strategic partner grants and the Schools Causing Concern register.

Each page: the happy path and its effect on access, the roles refused, and validation errors that name
the field and change nothing. The scene is test_sharing's (see its docstring).
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from guardian.core import ObjectPermissionChecker

from partnership.models import AuditEvent
from sharing import rules
from sharing.models import (
    ConcernRegisterEntry,
    MemorandumStatus,
    SchoolUserObjectPermission,
    StrategicPartnerGrant,
    SupportRelationship,
)
from sharing.services import (
    memorandum_record,
    partner_grant,
    register_add,
    register_notice_record,
    sharing_recompute,
    support_start,
)
from tests.factories import SYSTEM

from .test_sharing import build_scene, school_person

FULL, HEADLINE = rules.FULL, rules.HEADLINE
User = get_user_model()
NOT_MANAGERS = ("board", "clusterlead", "clusterofficer", "governor", "partner")


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def page(scene, name, *args, query=""):
    return reverse(name, args=[scene.partnership.slug, *args]) + query


def counts():
    """What a refused or invalid form must leave unchanged."""
    return (
        MemorandumStatus.objects.count(),
        SupportRelationship.objects.count(),
        SupportRelationship.objects.filter(ended_at__isnull=False).count(),
        StrategicPartnerGrant.objects.count(),
        StrategicPartnerGrant.objects.filter(ended_at__isnull=False).count(),
        ConcernRegisterEntry.objects.count(),
        ConcernRegisterEntry.objects.filter(warning_notice_issued_on__isnull=False).count(),
        AuditEvent.objects.count(),
    )


def errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def d(day) -> str:
    return f"{day:%d/%m/%Y}"


# ---- the overview ------------------------------------------------------------------------------------------


def test_overview_shows_officers_every_school_by_memorandum_status_with_counts(scene, login):
    response = login(scene.world.a.users["officer"]).get(page(scene, "sharing_overview"))
    assert response.status_code == 200
    groups = {g["status"]: g for g in response.context["memorandum"]}
    names = lambda status: {row["school"].name for row in groups[status]["rows"]}  # noqa: E731
    assert names("signed") == {"Alpha Primary School", "Alpha High School", "Granted School"}
    assert names("declined") == {"Declined School"}
    assert names("withdrawn") == set()
    assert names("none") == {"Supported School", "Formerly Supported School"}
    assert [g["count"] for g in response.context["memorandum"]] == [3, 1, 0, 2]
    assert [s.supported.name for s in response.context["supports_current"]] == ["Supported School"]
    assert [s.supported.name for s in response.context["supports_ended"]] == ["Formerly Supported School"]
    assert {g.school.name for g in response.context["grants_current"]} == {"Granted School", "Declined School"}
    body = response.content.decode()
    assert "Not recorded (2)" in body and "Declined (1)" in body
    assert "Start a support" in body and "Grant a strategic partner access" in body


def test_overview_register_and_its_count_leave_out_entries_the_person_may_not_see(scene, login):
    officer = scene.world.a.users["officer"]
    register_add(
        actor=officer,
        school=scene.schools["peer"],
        reason_kind="other",
        reason="Governance concern XYZ.",
        added_on=scene.today,
    )
    register_add(
        actor=officer,
        school=scene.schools["own"],
        reason_kind="ofsted",
        reason="Requires improvement.",
        added_on=scene.today,
    )
    head = login(scene.world.a.users["head"]).get(page(scene, "sharing_overview"))
    assert head.status_code == 200
    assert head.context["register_count"] == 1
    assert [e.school.name for e in head.context["register"]] == ["Alpha Primary School"]
    body = head.content.decode()
    assert "Governance concern XYZ" not in body  # the peer's confidential entry
    assert "1 entry you can see" in body
    peer = login(scene.peer_head).get(page(scene, "sharing_overview"))
    assert peer.context["register_count"] == 2  # its own confidential entry, and a signed peer's Ofsted one
    officer_view = login(officer).get(page(scene, "sharing_overview"))
    assert officer_view.context["register_count"] == 2
    assert "Record a warning notice" in officer_view.content.decode()
    assert "Record a warning notice" not in body


def test_overview_shows_a_head_only_the_supports_and_grants_of_schools_they_manage(scene, login):
    response = login(scene.world.a.users["head"]).get(page(scene, "sharing_overview"))
    assert response.status_code == 200
    # Their school supports another: they see it but may not end it (the supported school's head grants it).
    assert [s.supported.name for s in response.context["supports_current"]] == ["Supported School"]
    assert not response.context["supports_current"][0].can_end
    assert response.context["grants_current"] == []  # the partner's grants are on other schools
    body = response.content.decode()
    assert "Grant a strategic partner access" not in body
    assert "Diocesan schools" not in body


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_overview_is_refused_to_people_who_manage_no_school(scene, login, who):
    response = login(scene.world.a.users[who]).get(page(scene, "sharing_overview"))
    assert response.status_code == 403
    assert "named data controller" in response.content.decode()


def test_a_named_data_controller_may_open_the_overview(scene, login):
    governor = scene.world.a.users["governor"]
    assert login(governor).get(page(scene, "sharing_overview")).status_code == 403
    memorandum_record(
        actor=SYSTEM,
        school=scene.schools["own"],
        status="signed",
        signed_on=scene.today,
        governors_minute_ref="FGB 9",
        data_controller=governor,
    )
    assert login(governor).get(page(scene, "sharing_overview")).status_code == 200


@pytest.mark.parametrize(("who", "shown"), [("officer", True), ("head", True), ("board", False), ("partner", False)])
def test_the_navigation_links_the_overview_for_those_who_manage_sharing(scene, login, who, shown):
    body = login(scene.world.a.users[who]).get(reverse("partnership_home", args=[scene.partnership.slug]))
    assert (f'href="{page(scene, "sharing_overview")}"' in body.content.decode()) is shown


# ---- memorandum answers ----------------------------------------------------------------------------------


def test_officer_records_a_signature_and_the_school_joins_the_signed_schools(
    scene, login, django_capture_on_commit_callbacks
):
    school = scene.schools["ended"]
    controller = school_person(scene.partnership, school, "endedhead.alpha")
    head = scene.world.a.users["head"]
    assert rules.access_for(head, school).level == HEADLINE
    with django_capture_on_commit_callbacks(execute=True):
        response = login(scene.world.a.users["officer"]).post(
            page(scene, "sharing_memorandum", school.urn),
            {
                "status": "signed",
                "signed_on": d(scene.today),
                "governors_minute_ref": "FGB 2023/7",
                "data_controller": controller.username,
                "signatory_name": "Grace Okafor",
                "signatory_role": "Chair of governors",
                "data_controller_name": "Tom Reed",
                "data_controller_role": "Headteacher",
                "note": "",
            },
        )
    assert response.status_code == 302 and response.url == page(scene, "sharing_detail", school.urn)
    current = MemorandumStatus.objects.get(school=school, superseded_at__isnull=True)
    assert (current.status, current.signed_on, current.governors_minute_ref) == ("signed", scene.today, "FGB 2023/7")
    assert current.data_controller == controller and current.recorded_by == scene.world.a.users["officer"]
    access = rules.access_for(head, school)
    assert access.level == FULL and access.rule == "memorandum"
    assert ObjectPermissionChecker(head).has_perm(rules.DATA_PERMISSION, school)
    event = AuditEvent.objects.filter(action="memorandum.record", object_id=str(current.pk)).get()
    assert event.actor == scene.world.a.users["officer"]


def test_a_head_records_that_their_school_withdrew_with_the_reason_and_sees_the_history(scene, login):
    peer = scene.schools["peer"]
    client = login(scene.peer_head)
    response = client.post(
        page(scene, "sharing_memorandum", peer.urn),
        {"status": "withdrawn", "note": "The governors withdrew after the merger."},
    )
    assert response.status_code == 302
    assert rules.access_for(scene.world.a.users["head"], peer).rule == "not-shared"
    body = client.get(page(scene, "sharing_memorandum", peer.urn)).content.decode()
    assert "The governors withdrew after the merger." in body
    assert "Withdrawn after signing" in body and "FGB 2022/14" in body  # the signed answer stays in the history
    assert [h.status for h in rules.memorandum_history(peer)] == ["withdrawn", "signed"]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (
            {"status": "signed"},
            {
                "signed_on",
                "governors_minute_ref",
                "signatory_name",
                "signatory_role",
                "data_controller_name",
                "data_controller_role",
            },
        ),
        ({"status": "signed", "signatory_name": "  ", "data_controller_role": "Head"}, {"signatory_name"}),
        ({"status": "declined"}, {"note"}),
        ({}, {"status"}),
        ({"status": "signed", "signed_on": "31/02/2023", "governors_minute_ref": "FGB 1"}, {"signed_on"}),
        ({"status": "declined", "note": "No.", "data_controller": "officer.alpha"}, {"data_controller"}),
    ],
)
def test_memorandum_errors_name_the_field_and_save_nothing(scene, login, data, fields):
    before = counts()
    response = login(scene.world.a.users["officer"]).post(
        page(scene, "sharing_memorandum", scene.schools["supported"].urn), data
    )
    assert fields <= set(errors(response)), errors(response)
    assert counts() == before
    assert "There is a problem" in response.content.decode()


def test_withdrawing_a_school_that_never_signed_is_refused_on_the_status(scene, login):
    before = counts()
    response = login(scene.world.a.users["officer"]).post(
        page(scene, "sharing_memorandum", scene.schools["supported"].urn), {"status": "withdrawn", "note": "Why"}
    )
    assert errors(response)["status"] == ["Only a school that signed can withdraw."]
    assert counts() == before


def test_the_data_controller_must_be_a_person_of_the_school(scene, login):
    """The page offers the school's own people only (memorandum 3.2): another school's head is refused."""
    response = login(scene.world.a.users["officer"]).get(page(scene, "sharing_memorandum", scene.schools["own"].urn))
    offered = set(response.context["form"].fields["data_controller"].queryset.values_list("username", flat=True))
    assert offered == {"head.alpha", "governor.alpha"}
    before = counts()
    response = login(scene.world.a.users["officer"]).post(
        page(scene, "sharing_memorandum", scene.schools["own"].urn),
        {
            "status": "signed",
            "signed_on": d(scene.today),
            "governors_minute_ref": "FGB",
            "data_controller": "peerhead.alpha",
        },
    )
    assert "data_controller" in errors(response)
    assert counts() == before


@pytest.mark.parametrize("who", [*NOT_MANAGERS, "peer_head"])
def test_memorandum_page_is_refused_to_people_who_do_not_manage_the_school(scene, login, who):
    user = scene.peer_head if who == "peer_head" else scene.world.a.users[who]
    url = page(scene, "sharing_memorandum", scene.schools["own"].urn)
    before = counts()
    assert login(user).get(url).status_code == 403
    response = login(user).post(url, {"status": "declined", "note": "Not mine to say."})
    assert response.status_code == 403
    assert "Only an LA officer, the school&#x27;s headteacher or its named data controller" in response.content.decode()
    assert counts() == before


# ---- supports --------------------------------------------------------------------------------------------


def test_a_support_started_on_the_page_opens_the_data_at_once_and_ending_it_closes_it(
    scene, login, django_capture_on_commit_callbacks
):
    """The issue's 'done means': an officer records a support; the supporter's head sees the supported
    school's data straight away, and loses it once the support is ended on the page."""
    officer = login(scene.world.a.users["officer"])
    supporter_head, supported = scene.peer_head, scene.schools["ended"]
    assert rules.access_for(supporter_head, supported).level == HEADLINE
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            page(scene, "sharing_support_start"),
            {
                "supporter": scene.schools["peer"].urn,
                "supported": supported.urn,
                "purpose": "Maths mastery",
                "starts_on": d(scene.today),
                "ends_on": d(scene.today + timedelta(days=90)),
            },
        )
    assert response.status_code == 302 and response.url == page(scene, "sharing_overview")
    support = SupportRelationship.objects.get(supported=supported, ended_at__isnull=True)
    assert support.granted_by == scene.world.a.users["officer"]
    access = rules.access_for(supporter_head, supported)
    assert (access.level, access.rule) == (FULL, "support")
    assert "Maths mastery" in access.sentence
    assert ObjectPermissionChecker(supporter_head).has_perm(rules.DATA_PERMISSION, supported)

    url = page(scene, "sharing_support_end", support.uuid, query=f"?from={supported.urn}")
    assert "Maths mastery" in officer.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url, {"reason": "The school's own leaders took it on."})
    assert response.status_code == 302 and response.url == page(scene, "sharing_detail", supported.urn)
    support.refresh_from_db()
    assert support.ended_at is not None and support.end_reason == "The school's own leaders took it on."
    assert rules.access_for(supporter_head, supported).level == HEADLINE
    assert not ObjectPermissionChecker(supporter_head).has_perm(rules.DATA_PERMISSION, supported)
    assert AuditEvent.objects.filter(action="support.end", object_id=str(support.pk)).exists()


def test_a_head_starts_a_support_for_their_own_school_only(scene, login):
    client = login(scene.peer_head)
    form = client.get(page(scene, "sharing_support_start", query=f"?supported={scene.schools['peer'].urn}"))
    assert form.status_code == 200
    assert form.context["form"].initial["supported"] == scene.schools["peer"]
    assert list(form.context["form"].fields["supported"].queryset) == [scene.schools["peer"]]
    data = {"supporter": scene.schools["own"].urn, "purpose": "Reading", "starts_on": d(scene.today)}
    before = counts()
    response = client.post(page(scene, "sharing_support_start"), {**data, "supported": scene.schools["declined"].urn})
    assert errors(response)["supported"] == ["Supported school: choose a school whose data you manage, from the list."]
    assert counts() == before
    response = client.post(page(scene, "sharing_support_start"), {**data, "supported": scene.schools["peer"].urn})
    assert response.status_code == 302
    assert SupportRelationship.objects.get(supported=scene.schools["peer"]).granted_by == scene.peer_head


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"supporter": ""}, "supporter", "Choose the school that gives the support."),
        ({"purpose": " "}, "purpose", "Say what the support is for."),
        ({"starts_on": ""}, "starts_on", "Enter the date the support starts."),
        ({"starts_on": "next week"}, "starts_on", "Start date must be a real date, for example 20/9/2023."),
        ({"ends_on": "01/01/2000"}, "ends_on", "The support cannot end before it starts."),
        ({"supporter": "901011"}, "supported", "A school cannot support itself."),
        ({"supporter": "902001"}, "supporter", "Supporting school: choose one of the schools in the list."),
        ({"supporter": "901001"}, "supporter", "already supports Supported School"),
    ],
)
def test_support_errors_name_the_field_and_save_nothing(scene, login, change, field, message):
    data = {
        "supporter": scene.schools["peer"].urn,
        "supported": scene.schools["supported"].urn,
        "purpose": "Reading",
        "starts_on": d(scene.today),
        **change,
    }
    before = counts()
    response = login(scene.world.a.users["officer"]).post(page(scene, "sharing_support_start"), data)
    assert any(message in e for e in errors(response)[field]), errors(response)
    assert counts() == before


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_support_pages_are_refused_to_people_who_manage_no_school(scene, login, who):
    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    client = login(scene.world.a.users[who])
    before = counts()
    for url, data in (
        (page(scene, "sharing_support_start"), {"supporter": scene.schools["own"].urn}),
        (page(scene, "sharing_support_end", support.uuid), {"reason": "No."}),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert counts() == before


def test_the_supporting_schools_head_may_not_end_the_support(scene, login):
    """Only the supported school (its head, its data controller) or the LA withdraws its consent."""
    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    before = counts()
    response = login(scene.world.a.users["head"]).post(
        page(scene, "sharing_support_end", support.uuid), {"reason": "We are busy."}
    )
    assert response.status_code == 403
    assert counts() == before


def test_ending_a_support_needs_a_reason_and_ends_it_once(scene, login):
    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    client = login(scene.world.a.users["officer"])
    before = counts()
    response = client.post(page(scene, "sharing_support_end", support.uuid), {"reason": ""})
    assert errors(response)["reason"] == ["Say why it ends: the reason is kept in the audit trail."]
    assert counts() == before
    ended = scene.old_support
    response = client.get(page(scene, "sharing_support_end", ended.uuid))
    assert "This support has already ended." in response.content.decode()
    response = client.post(page(scene, "sharing_support_end", ended.uuid), {"reason": "Again."})
    assert errors(response)["__all__"] == ["This support has already ended."]
    assert counts() == before


# ---- strategic partner grants --------------------------------------------------------------------------


def test_officer_grants_a_partner_schools_and_ends_one(scene, login, django_capture_on_commit_callbacks):
    partner = scene.world.a.users["partner"]
    membership = partner.memberships.get(partnership=scene.partnership)
    own, peer = scene.schools["own"], scene.schools["peer"]
    assert rules.access_for(partner, peer).level == HEADLINE
    client = login(scene.world.a.users["officer"])
    form = client.get(page(scene, "sharing_partner_grant", query=f"?school={peer.urn}"))
    assert form.context["form"].initial["school"] == peer
    # The cluster holds own, peer and the declined school: peer, picked as well, is granted once.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(scene, "sharing_partner_grant"),
            {
                "membership": str(membership.uuid),
                "school": peer.urn,
                "cluster": scene.world.a.cluster.slug,
                "access": "full",
                "starts_on": d(scene.today),
                "reason": "The diocese supports both schools.",
            },
        )
    assert response.status_code == 302
    assert rules.access_for(partner, peer).rule == "partner-grant"
    assert rules.access_for(partner, own).level == FULL
    assert ObjectPermissionChecker(partner).has_perm(rules.DATA_PERMISSION, peer)
    grant = StrategicPartnerGrant.objects.get(membership=membership, school=peer, ended_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(scene, "sharing_partner_grant_end", grant.uuid, query=f"?from={peer.urn}"),
            {"reason": "The diocese no longer supports the school."},
        )
    assert response.status_code == 302 and response.url == page(scene, "sharing_detail", peer.urn)
    assert rules.access_for(partner, peer).level == HEADLINE
    assert rules.access_for(partner, own).level == FULL  # the other grant stands
    assert not ObjectPermissionChecker(partner).has_perm(rules.DATA_PERMISSION, peer)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"membership": ""}, "membership"),
        ({"school": "", "cluster": ""}, "school"),
        ({"school": "902001"}, "school"),  # another partnership's school
        ({"cluster": "no-such-cluster"}, "cluster"),
        ({"reason": ""}, "reason"),
        ({"access": "everything"}, "access"),
        ({"starts_on": ""}, "starts_on"),
        ({"ends_on": "01/01/2001"}, "ends_on"),
        ({"membership": "head"}, "membership"),  # a head is not a strategic partner
    ],
)
def test_partner_grant_errors_name_the_field_and_save_nothing(scene, login, change, field):
    membership = scene.world.a.users["partner"].memberships.get()
    if change.get("membership") == "head":
        change = {"membership": str(scene.world.a.users["head"].memberships.get().uuid)}
    data = {
        "membership": str(membership.uuid),
        "school": scene.schools["own"].urn,
        "access": "full",
        "starts_on": d(scene.today),
        "reason": "Agreed by the board.",
        **change,
    }
    before = counts()
    response = login(scene.world.a.users["officer"]).post(page(scene, "sharing_partner_grant"), data)
    assert field in errors(response), errors(response)
    assert counts() == before


@pytest.mark.parametrize("who", ["head", "board", "partner", "governor", "clusterlead"])
def test_partner_grant_pages_are_for_la_officers_only(scene, login, who):
    grant = StrategicPartnerGrant.objects.filter(ended_at__isnull=True).first()
    client = login(scene.world.a.users[who])
    before = counts()
    for url in (page(scene, "sharing_partner_grant"), page(scene, "sharing_partner_grant_end", grant.uuid)):
        assert client.get(url).status_code == 403
        response = client.post(url, {"reason": "No."})
        assert response.status_code == 403
        assert "Only an LA officer records what strategic partners may see." in response.content.decode()
    assert counts() == before


def test_ending_a_grant_needs_a_reason(scene, login):
    grant = StrategicPartnerGrant.objects.filter(ended_at__isnull=True).first()
    before = counts()
    response = login(scene.world.a.users["officer"]).post(page(scene, "sharing_partner_grant_end", grant.uuid), {})
    assert "reason" in errors(response)
    assert counts() == before


# ---- the Schools Causing Concern register --------------------------------------------------------------


def test_officer_adds_a_confidential_entry_and_a_warning_notice_opens_it(scene, login):
    peer = scene.schools["peer"]
    client = login(scene.world.a.users["officer"])
    assert (
        client.get(page(scene, "sharing_register_add", query=f"?school={peer.urn}")).context["form"].initial["school"]
        == peer
    )
    response = client.post(
        page(scene, "sharing_register_add", query=f"?from={peer.urn}"),
        {"school": peer.urn, "reason_kind": "other", "reason": "Leadership capacity.", "added_on": d(scene.today)},
    )
    assert response.status_code == 302 and response.url == page(scene, "sharing_detail", peer.urn)
    entry = ConcernRegisterEntry.objects.get(school=peer)
    assert entry.is_confidential and entry.added_by == scene.world.a.users["officer"]
    head = scene.world.a.users["head"]  # a signed peer: full access to the school, but not to this entry
    assert entry not in rules.register_entries_visible_to(head, scene.partnership)
    assert entry in rules.register_entries_visible_to(scene.peer_head, scene.partnership)
    assert "Leadership capacity." not in login(head).get(page(scene, "sharing_detail", peer.urn)).content.decode()

    response = login(scene.world.a.users["officer"]).post(
        page(scene, "sharing_register_notice", entry.uuid),
        {"warning_notice_issued_on": d(scene.today), "reason": "s60 warning notice WN/2023/4."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.warning_notice_issued_on == scene.today and not entry.is_confidential
    assert entry in rules.register_entries_visible_to(head, scene.partnership)
    assert "Leadership capacity." in login(head).get(page(scene, "sharing_detail", peer.urn)).content.decode()
    event = AuditEvent.objects.get(action="register.notice", object_id=str(entry.pk))
    assert event.reason == "s60 warning notice WN/2023/4." and event.actor == scene.world.a.users["officer"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"school": ""}, "school"),
        ({"reason_kind": ""}, "reason_kind"),
        ({"reason_kind": "categorisation"}, "reason_kind"),  # only a confirmed categorisation adds those
        ({"reason": ""}, "reason"),
        ({"added_on": ""}, "added_on"),
        ({"added_on": "tomorrow"}, "added_on"),
        ({"added_on": "future"}, "added_on"),
        ({"reason_kind": "ofsted"}, "school"),  # already on the register for an Ofsted judgement
    ],
)
def test_register_errors_name_the_field_and_save_nothing(scene, login, change, field):
    register_add(actor=SYSTEM, school=scene.schools["own"], reason_kind="ofsted", reason="RI", added_on=scene.today)
    if change.get("added_on") == "future":
        change = {"added_on": d(scene.today + timedelta(days=2))}
    data = {
        "school": scene.schools["own"].urn,
        "reason_kind": "other",
        "reason": "A concern.",
        "added_on": d(scene.today),
    }
    before = counts()
    response = login(scene.world.a.users["officer"]).post(page(scene, "sharing_register_add"), {**data, **change})
    assert field in errors(response), errors(response)
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "s60"}, "warning_notice_issued_on"),
        ({"warning_notice_issued_on": "today"}, "reason"),
        ({"warning_notice_issued_on": "before", "reason": "s60"}, "warning_notice_issued_on"),
    ],
)
def test_notice_errors_name_the_field_and_save_nothing(scene, login, data, field):
    entry = register_add(
        actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today
    )
    if data.get("warning_notice_issued_on") == "today":
        data = {**data, "warning_notice_issued_on": d(scene.today)}
    if data.get("warning_notice_issued_on") == "before":
        data = {**data, "warning_notice_issued_on": d(scene.today - timedelta(days=1))}
    before = counts()
    response = login(scene.world.a.users["officer"]).post(page(scene, "sharing_register_notice", entry.uuid), data)
    assert field in errors(response), errors(response)
    assert counts() == before
    entry.refresh_from_db()
    assert entry.is_confidential


def test_a_second_notice_is_refused(scene, login):
    entry = register_add(
        actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today
    )
    register_notice_record(actor=SYSTEM, entry=entry, issued_on=scene.today, reason="s60")
    client = login(scene.world.a.users["officer"])
    assert (
        "A warning notice is already recorded"
        in client.get(page(scene, "sharing_register_notice", entry.uuid)).content.decode()
    )
    before = counts()
    response = client.post(
        page(scene, "sharing_register_notice", entry.uuid),
        {"warning_notice_issued_on": d(scene.today), "reason": "Again"},
    )
    assert errors(response)["__all__"] == ["A warning notice is already recorded for this entry."]
    assert counts() == before


@pytest.mark.parametrize("who", ["head", "board", "governor", "clusterlead", "clusterofficer", "partner"])
def test_register_pages_are_for_la_officers_only(scene, login, who):
    entry = register_add(
        actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today
    )
    client = login(scene.world.a.users[who])
    before = counts()
    for url, data in (
        (page(scene, "sharing_register_add"), {"school": scene.schools["own"].urn, "reason_kind": "ofsted"}),
        (page(scene, "sharing_register_notice", entry.uuid), {"warning_notice_issued_on": d(scene.today)}),
    ):
        assert client.get(url).status_code == 403
        response = client.post(url, data)
        assert response.status_code == 403
        assert "Only an LA officer keeps the Schools Causing Concern register." in response.content.decode()
    assert counts() == before


# ---- links from the school's sharing page ------------------------------------------------------------------


def test_the_school_sharing_page_links_each_action_to_those_who_may_take_it(scene, login):
    supported = scene.schools["supported"]
    url = page(scene, "sharing_detail", supported.urn)
    support = SupportRelationship.objects.get(supported=supported)
    links = {
        "memorandum": page(scene, "sharing_memorandum", supported.urn),
        "support": page(scene, "sharing_support_start") + f"?supported={supported.urn}",
        "end": page(scene, "sharing_support_end", support.uuid),
        "grant": page(scene, "sharing_partner_grant") + f"?school={supported.urn}",
        "register": page(scene, "sharing_register_add") + f"?school={supported.urn}",
    }
    officer = login(scene.world.a.users["officer"]).get(url).content.decode().replace("&amp;", "&")
    assert all(link in officer for link in links.values()), [k for k, v in links.items() if v not in officer]
    supported_head = school_person(scene.partnership, supported, "supportedhead.alpha")
    head = login(supported_head).get(url).content.decode().replace("&amp;", "&")
    assert {k for k, v in links.items() if v in head} == {"memorandum", "support", "end"}
    board = login(scene.world.a.users["board"]).get(url).content.decode().replace("&amp;", "&")
    assert not any(link in board for link in links.values())


@pytest.mark.parametrize("who", ["board", "clusterlead", "partner", "peer_head"])
def test_the_memoranda_names_and_minute_show_only_to_those_who_manage_the_school(scene, login, who):
    """The school's sharing page shows its data controller, signatory and governors' minute to the LA and the
    school's own head (who manage its sharing), as the overview does, and to nobody else."""
    school = scene.world.a.school
    controller = scene.world.a.users["head"]
    url = page(scene, "sharing_detail", school.urn)
    for manager in (scene.world.a.users["officer"], controller):
        body = login(manager).get(url).content.decode()
        assert "FGB 2022/14" in body and "Data controller" in body, manager
    person = scene.world.a.users.get(who) or User.objects.get(username="peerhead.alpha")
    response = login(person).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "FGB 2022/14" not in body and "Data controller" not in body
    assert controller.get_full_name() not in body and controller.username not in body


def test_every_page_renders_for_an_officer_with_no_javascript_needed(scene, login):
    """Each page is a plain form: method post, a CSRF token, and no script of its own."""
    support = SupportRelationship.objects.get(supported=scene.schools["supported"])
    grant = StrategicPartnerGrant.objects.filter(ended_at__isnull=True).first()
    entry = register_add(
        actor=SYSTEM, school=scene.schools["own"], reason_kind="other", reason="Concern", added_on=scene.today
    )
    client = login(scene.world.a.users["officer"])
    for url in (
        page(scene, "sharing_memorandum", scene.schools["own"].urn),
        page(scene, "sharing_support_start"),
        page(scene, "sharing_support_end", support.uuid),
        page(scene, "sharing_partner_grant"),
        page(scene, "sharing_partner_grant_end", grant.uuid),
        page(scene, "sharing_register_add"),
        page(scene, "sharing_register_notice", entry.uuid),
        page(scene, "sharing_policy"),
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert '<form method="post" novalidate>' in body and "csrfmiddlewaretoken" in body, url
        picker = "data-school-picker" in body
        # base.html's two (marking the page as JavaScript-enabled, starting GOV.UK Frontend), and on a page with a
        # school picker its two scripts, over a plain select that works without them.
        assert body.count("<script") == (4 if picker else 2), url
        assert not picker or "accessible-autocomplete.min.js" in body, url


def test_a_school_with_nobody_to_name_says_so(scene, login):
    body = (
        login(scene.world.a.users["officer"])
        .get(page(scene, "sharing_memorandum", scene.schools["supported"].urn))
        .content.decode()
    )
    assert "Nobody at Supported School has an account yet" in body


def test_a_school_with_nobody_with_an_account_can_sign_naming_its_controller(
    scene, login, django_capture_on_commit_callbacks
):
    school = scene.schools["supported"]
    client = login(scene.world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(scene, "sharing_memorandum", school.urn),
            {
                "status": "signed",
                "signed_on": d(scene.today),
                "governors_minute_ref": "FGB 2024/2",
                "signatory_name": "Grace Okafor",
                "signatory_role": "Chair of governors",
                "data_controller_name": "Tom Reed",
                "data_controller_role": "Headteacher",
            },
        )
    assert response.status_code == 302
    current = MemorandumStatus.objects.get(school=school, superseded_at__isnull=True)
    assert current.data_controller is None and current.controller == "Tom Reed, Headteacher"
    detail = client.get(page(scene, "sharing_detail", school.urn)).content.decode()
    assert "Grace Okafor, Chair of governors" in detail and "Tom Reed, Headteacher" in detail
    overview = client.get(page(scene, "sharing_overview")).content.decode()
    assert "Tom Reed, Headteacher" in overview
    event = AuditEvent.objects.get(action="memorandum.record", object_id=str(current.pk))
    assert event.after["signatory_name"] == "Grace Okafor" and event.after["data_controller_role"] == "Headteacher"


def test_recording_through_the_pages_keeps_the_guardian_rows_equal_to_the_rules(
    scene, login, django_capture_on_commit_callbacks
):
    """After the pages' writes and their queued recomputes, a full recompute has nothing left to do."""
    client = login(scene.world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            page(scene, "sharing_memorandum", scene.schools["declined"].urn),
            {
                "status": "signed",
                "signed_on": d(scene.today),
                "governors_minute_ref": "FGB 3",
                "data_controller": scene.declined_head.username,
                "signatory_name": "Grace Okafor",
                "signatory_role": "Chair of governors",
                "data_controller_name": "Tom Reed",
                "data_controller_role": "Headteacher",
            },
        )
        client.post(
            page(scene, "sharing_support_start"),
            {
                "supporter": scene.schools["granted"].urn,
                "supported": scene.schools["declined"].urn,
                "purpose": "Writing",
                "starts_on": d(scene.today),
            },
        )
    rows = SchoolUserObjectPermission.objects.filter(content_object__partnership=scene.partnership).count()
    assert sharing_recompute(partnership=scene.partnership) == {"added": 0, "removed": 0, "reworded": 0, "kept": rows}
    assert SupportRelationship.objects.filter(supported=scene.schools["declined"], ended_at__isnull=True).exists()
    assert MemorandumStatus.objects.get(school=scene.schools["declined"], superseded_at__isnull=True).is_signed


@pytest.mark.parametrize("who", ["officer", "head"])
def test_the_overview_costs_the_same_queries_whatever_the_number_of_records(scene, login, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import SchoolFactory

    client = login(scene.world.a.users[who])
    url = page(scene, "sharing_overview")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    officer = scene.world.a.users["officer"]
    partner = scene.world.a.users["partner"].memberships.get()
    for i in range(12):
        school = SchoolFactory(partnership=scene.partnership, urn=f"9015{i:02d}", name=f"Extra School {i}")
        controller = school_person(scene.partnership, school, f"extrahead{i}.alpha")
        memorandum_record(
            actor=officer,
            school=school,
            status="signed",
            signed_on=scene.today,
            governors_minute_ref="FGB",
            data_controller=controller,
        )
        support_start(
            actor=officer, supporter=scene.schools["own"], supported=school, purpose="Maths", starts_on=scene.today
        )
        partner_grant(
            actor=officer, membership=partner, schools=[school], access="full", starts_on=scene.today, reason="Diocese"
        )
        register_add(actor=officer, school=school, reason_kind="ofsted", reason="RI", added_on=scene.today)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["supports_current"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries)
