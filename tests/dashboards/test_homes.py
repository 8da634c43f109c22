"""Each role's home page says what to do next, and shows nothing the person may not see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from categorisation.models import Result, Run
from schools.models import ImportRun
from tests.test_permission_matrix import _red_run, build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    return build_scene(world)


def _home(client, scene, persona) -> str:
    client.force_login(scene.users[persona])
    response = client.get(reverse("partnership_home", args=[scene.world.a.partnership.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _letter_url(scene, target) -> str:
    school = scene.schools[target]
    run = scene.runs[school.partnership_id]
    return reverse("categorisation_letter", args=[school.partnership.slug, run.uuid, school.urn])


def test_head_sees_the_category_and_the_letter_of_their_school_only(scene, client):
    body = _home(client, scene, "head")
    assert "Your school: " + scene.schools["own"].name in body
    assert "Outstanding with a small dip: risk of 2" in body  # own's 1b, by its framework name
    assert _letter_url(scene, "own") in body
    # Not another school's letter, though the head sees peer's data in full; no officers' or board's sections.
    assert _letter_url(scene, "peer") not in body
    assert "Waiting on the LA" not in body and "Coming to the board" not in body
    assert "self-assessment is waiting" not in body  # the run is confirmed


def test_governor_sees_letters_and_category(scene, client):
    body = _home(client, scene, "governor")
    assert "Outstanding with a small dip: risk of 2" in body and _letter_url(scene, "own") in body
    assert "Submit your self-assessment" not in body  # the headteacher submits it


def test_head_is_told_the_self_assessment_waits_on_an_unconfirmed_run(scene, client):
    run = scene.runs[scene.world.a.partnership.pk]
    Run.objects.filter(pk=run.pk).update(confirmed_at=None)
    Result.objects.filter(run=run).update(status=Result.Status.PROVISIONAL, confirmed_at=None)
    body = _home(client, scene, "head")
    own = scene.schools["own"]
    result_url = reverse("categorisation_result", args=[own.partnership.slug, run.uuid, own.urn])
    assert "Your self-assessment is waiting" in body and result_url in body
    assert "due" not in body.lower()  # the model keeps no due date: none is invented
    # Until the school has self-assessed, its category is not shown to it, nor its letter offered.
    assert "Outstanding with a small dip" not in body and _letter_url(scene, "own") not in body


def test_partner_sees_the_schools_granted_with_until_dates(scene, client):
    body = _home(client, scene, "partner")
    assert "Schools shared with you" in body
    for target in ("granted", "declined"):  # both grants stand; the page of the declined one says why it is headline
        assert scene.schools[target].name in body
    assert scene.schools["peer"].name not in body.split('id="partner-grants"')[1].split("</table>")[0]
    assert "No end date" in body


def test_board_sees_what_is_coming_with_counts_of_the_schools_it_may_see(scene, client):
    body = _home(client, scene, "board")
    assert "Coming to the board" in body
    counts = body.split('id="board-counts"')[1].split("</dl>")[0]
    # Board sees own, peer and granted in full (the permission matrix): their three categories, once each.
    for label in ("Outstanding with a small dip", "Outstanding at risk of RI/SW/SM"):
        assert label in counts
    assert "?category=2a" not in counts  # declined: headline only, counted nowhere
    assert "Waiting on the LA" not in body and "Your school" not in body


def test_board_counts_leave_out_a_held_back_category(scene, client):
    _red_run(scene)
    body = _home(client, scene, "board")
    assert "High concern" not in body and "?category=RED" not in body
    assert "High concern" in _home(client, scene, "head")  # own school's people see it


def test_officer_sees_what_waits_on_them(scene, client):
    a = scene.world.a
    run = scene.runs[a.partnership.pk]
    Run.objects.filter(pk=run.pk).update(confirmed_at=None)
    Result.objects.filter(run=run, school=scene.schools["peer"]).update(status=Result.Status.FLAGGED)
    stuck = ImportRun.objects.create(partnership=a.partnership, kind="gias", filename="gias.csv", status="applying")
    ImportRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))
    ImportRun.objects.create(partnership=a.partnership, kind="ks2", filename="ks2.csv", status="failed")
    body = _home(client, scene, "officer")
    tasks = body.split('id="officer-tasks"')[1].split("</ul>")[0]
    assert "1 result to moderate" in tasks and "?status=flagged" in tasks
    assert "yet to self-assess" in tasks
    assert "gias.csv" in tasks and "stopped" in tasks and "ks2.csv" in tasks and "failed" in tasks
    assert "Your school" not in body


def test_officer_with_nothing_waiting_is_told_so(world, client):
    client.force_login(world.a.users["officer"])
    body = client.get(reverse("partnership_home", args=[world.a.partnership.slug])).content.decode()
    assert "Nothing is waiting on you" in body


def test_a_person_with_two_roles_sees_both_sections(scene, client):
    from partnership.roles import Role
    from tests.factories import MembershipFactory

    MembershipFactory(partnership=scene.world.a.partnership, user=scene.users["head"], role=Role.BOARD)
    body = _home(client, scene, "head")
    assert "Your school: " in body and "Coming to the board" in body
