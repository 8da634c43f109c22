"""The sharing page ("who can see this school and why") and the who_can_see / sharing_recompute commands."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sharing import rules
from sharing.models import MemorandumStatus, SchoolUserObjectPermission
from sharing.services import log_data_view, memorandum_record
from tests.factories import SYSTEM

from .test_sharing import build_scene


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    return build_scene(world, django_capture_on_commit_callbacks)


def url(scene, target):
    return reverse("sharing_detail", args=[scene.partnership.slug, scene.schools[target].urn])


def test_who_can_see_command_prints_the_rules_answer(scene):
    school = scene.schools["peer"]
    out = StringIO()
    call_command("who_can_see", "--partnership", scene.partnership.slug, "--urn", school.urn, stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == [
        {key: row[key] for key in ("username", "access", "because")}
        for row in rules.who_can_see(scene.partnership, school)
    ]
    by_name = {row["username"]: row for row in printed}
    assert set(printed[0]) == {"username", "access", "because"}
    assert by_name["head.alpha"] == {
        "username": "head.alpha",
        "access": "full",
        "because": "memorandum: Alpha Primary School and Alpha High School both signed the memorandum.",
    }
    assert by_name["peerhead.alpha"]["because"].startswith("own-school:")
    assert by_name["officer.alpha"]["because"].startswith("la-officer:")
    assert by_name["platform.admin"]["access"] == "full"
    assert by_name["declinedhead.alpha"]["access"] == "headline"
    assert by_name["partner.alpha"]["access"] == "headline"
    assert not any(name.endswith(".beta") for name in by_name)  # nothing crosses partnerships


def test_who_can_see_command_for_a_declined_school_lists_only_the_la_and_its_people_in_full(scene):
    out = StringIO()
    urn = scene.schools["declined"].urn
    call_command("who_can_see", "--partnership", scene.partnership.slug, "--urn", urn, stdout=out)
    full = {row["username"] for row in json.loads(out.getvalue()) if row["access"] == "full"}
    assert full == {"officer.alpha", "declinedhead.alpha", "platform.admin"}


def test_who_can_see_command_refuses_unknown_school_or_partnership(scene):
    with pytest.raises(CommandError):
        call_command("who_can_see", "--partnership", scene.partnership.slug, "--urn", scene.world.b.school.urn)
    with pytest.raises(CommandError):
        call_command("who_can_see", "--partnership", "nowhere", "--urn", "1")


def test_sharing_recompute_command_is_idempotent(scene):
    SchoolUserObjectPermission.objects.all().delete()
    out = StringIO()
    call_command("sharing_recompute", "--partnership", scene.partnership.slug, stdout=out)
    added = SchoolUserObjectPermission.objects.count()
    assert f"{added} grants added, 0 removed" in out.getvalue()
    out = StringIO()
    call_command("sharing_recompute", "--partnership", scene.partnership.slug, stdout=out)
    assert f"0 grants added, 0 removed, {added} kept" in out.getvalue()


def test_la_officer_sees_everyone_and_the_access_log(scene, login):
    log_data_view(scene.world.a.users["head"], scene.schools["peer"], "Self-evaluation")
    response = login(scene.world.a.users["officer"]).get(url(scene, "peer"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Who can see this school and why" in body
    for name in ("head.alpha", "peerhead.alpha", "board.alpha", "declinedhead.alpha"):
        assert name in body
    assert "Self-evaluation" in body  # the access log


def test_the_schools_head_and_its_data_controller_see_the_list_and_log(
    scene, login, django_capture_on_commit_callbacks
):
    peer = scene.schools["peer"]
    log_data_view(scene.world.a.users["head"], peer, "KS2 results")
    response = login(scene.peer_head).get(url(scene, "peer"))
    assert "Who can see this school and why" in response.content.decode()
    assert "KS2 results" in response.content.decode()
    # Name a governor of another school as the data controller: they read the log too.
    controller = scene.world.a.users["governor"]
    with django_capture_on_commit_callbacks(execute=True):
        memorandum_record(
            actor=scene.peer_head,
            school=peer,
            status=MemorandumStatus.Status.SIGNED,
            signed_on=scene.today,
            governors_minute_ref="FGB 2023/2",
            data_controller=controller,
        )
    body = login(controller).get(url(scene, "peer")).content.decode()
    assert "Who can see this school and why" in body and "KS2 results" in body


@pytest.mark.parametrize(
    ("who", "target", "level_text", "rule"),
    [
        ("board", "own", "The school's data and evaluative information", "board"),
        ("head", "peer", "The school's data and evaluative information", "memorandum"),
        ("head", "supported", "The school's data and evaluative information", "support"),
        ("head", "declined", "The school's headline data only", "not-shared"),
        ("partner", "own", "The school's headline data only", "member-headline"),
    ],
)
def test_others_see_why_they_can_see_it_and_nothing_else(scene, login, who, target, level_text, rule):
    response = login(scene.world.a.users[who]).get(url(scene, target))
    assert response.status_code == 200  # a headline-only person gets a page with a message, not an error
    body = response.content.decode()
    assert "Why you can see this school" in body
    assert level_text in body
    # the reason in words, never the rule's code
    assert rules.access_for(scene.world.a.users[who], scene.schools[target]).sentence in body.replace("&#x27;", "'")
    assert f"rule: {rule}" not in body
    assert "Everyone who can see it" not in body
    assert "Who has viewed the school" not in body


def test_headline_only_page_explains_the_memorandum(scene, login):
    body = login(scene.declined_head).get(url(scene, "peer")).content.decode()
    assert "has not shared it with you" in body


def test_missing_school_is_a_404(scene, login):
    response = login(scene.world.a.users["officer"]).get(
        reverse("sharing_detail", args=[scene.partnership.slug, scene.world.b.school.urn])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["declined", "supported", "ended", "own"])
def test_the_page_renders_with_and_without_an_answer_or_a_controller(scene, login, target):
    """A declined school may have no data controller; an undecided school has no answer at all."""
    school = scene.schools[target]
    if target == "declined":
        memorandum_record(
            actor=SYSTEM, school=school, status=MemorandumStatus.Status.DECLINED, note="Governors declined."
        )
    for who in ("officer", "head", "board"):
        response = login(scene.world.a.users[who]).get(url(scene, target))
        assert response.status_code == 200, (who, target)
    body = login(scene.world.a.users["officer"]).get(url(scene, target)).content.decode()
    if target == "declined":
        assert "Not named" in body
    if target in ("supported", "ended"):
        assert "No answer to the memorandum is recorded" in body
