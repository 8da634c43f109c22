"""The API for protected data (the LA's judgements, categorisation results): full access only, a 403 with
the reason for a headline-only school, 404 outside the partnership, every view logged, bounded queries;
and schools.judgements answering as partnership.sharing does."""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from schools.models import School
from sharing import rules
from sharing.models import DataAccessLog, MemorandumStatus
from sharing.services import memorandum_record
from tests.factories import SYSTEM, SchoolFactory

from .test_export import categorise, judge

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def data(world):
    """Both of A's schools judged for two years and categorised; A's school has no memorandum answer
    recorded, nor has the other: A's head sees its own school in full and the other at headline."""
    officer = world.a.users["officer"]
    for school in (world.a.school, world.a.other_school):
        judge(school, year="2021-22", finance_concern="none")
        judge(school, year="2022-23", finance_concern="serious", likely_next_ofsted_grade=3, behaviour_concern=False)
    categorise(world.a.partnership, officer, {world.a.school: "AMBER", world.a.other_school: "RED"})
    judge(world.b.school, finance_concern="serious")
    return world


def test_judgement_list_holds_only_the_schools_in_full_and_logs_each_once(data):
    body = api_as(data.a.users["head"]).get("/api/p/alpha/judgements/").json()
    assert body["count"] == 2
    assert [(r["urn"], r["academic_year"], r["finance_concern"]) for r in body["results"]] == [
        ("901001", "2022-23", "serious"),
        ("901001", "2021-22", "none"),
    ]
    assert body["results"][0]["likely_next_ofsted_grade"] == 3 and body["results"][0]["behaviour_concern"] is False
    log = DataAccessLog.objects.get()
    assert (log.school, log.what, log.username) == (data.a.school, "API: LA judgements", "head.alpha")
    assert log.because.startswith("own-school:")


def test_an_officer_lists_every_school_and_filters(data):
    client = api_as(data.a.users["officer"])
    assert client.get("/api/p/alpha/judgements/").json()["count"] == 4
    one = client.get("/api/p/alpha/judgements/?urn=901002&academic_year=2021-22").json()["results"]
    assert [(r["urn"], r["academic_year"]) for r in one] == [("901002", "2021-22")]
    assert {r["urn"] for r in client.get("/api/p/alpha/categorisations/").json()["results"]} == {"901001", "901002"}
    assert client.get("/api/p/alpha/categorisations/?status=confirmed").json()["count"] == 0
    assert client.get("/api/p/alpha/categorisations/?status=wizard").status_code == 400
    # Logged per school returned: 2 schools for the first list, 1 for the filtered one, 2 for the results.
    assert DataAccessLog.objects.filter(username="officer.alpha").count() == 5


def test_a_schools_judgements_in_full(data):
    body = api_as(data.a.users["governor"]).get("/api/p/alpha/schools/901001/judgements/").json()
    assert (body["urn"], body["name"]) == ("901001", "Alpha Primary School")
    assert body["access_because"] == "own-school: You are governor of Alpha Primary School."
    assert [j["academic_year"] for j in body["judgements"]] == ["2022-23", "2021-22"]
    assert DataAccessLog.objects.get().what == "API: LA judgements"


def test_a_headline_school_answers_403_with_the_reason_and_logs_nothing(data):
    client = api_as(data.a.users["head"])
    for path in ("judgements", "categorisations"):
        response = client.get(f"/api/p/alpha/schools/901002/{path}/")
        assert response.status_code == 403
        detail = response.json()["detail"]
        assert detail.startswith("You may see Alpha High School's headline data but not its ")
        assert "memorandum status is not recorded" in detail
        assert set(response.json()) == {"detail"}
    assert not DataAccessLog.objects.exists()


def test_outside_the_partnership_is_404(data):
    client = api_as(data.a.users["officer"])
    assert client.get("/api/p/alpha/schools/902001/judgements/").status_code == 404  # B's URN inside A
    assert client.get("/api/p/beta/schools/902001/judgements/").status_code == 404
    assert client.get("/api/p/beta/judgements/").status_code == 404
    assert client.get("/api/p/beta/categorisations/").status_code == 404
    assert APIClient().get("/api/p/alpha/judgements/").status_code in (401, 403)
    assert APIClient().get("/api/p/alpha/schools/901001/categorisations/").status_code in (401, 403)
    assert not DataAccessLog.objects.exists()


def test_categorisations_of_finished_runs_only(data):
    officer = data.a.users["officer"]
    categorise(data.a.partnership, officer, {data.a.school: "GREEN"}, status="running")
    body = api_as(data.a.users["head"]).get("/api/p/alpha/schools/901001/categorisations/").json()
    assert [(r["category"], r["status"], r["framework"], r["framework_version"]) for r in body["results"]] == [
        ("AMBER", "agreed", "calderdale", 1)
    ]
    listed = api_as(data.a.users["head"]).get("/api/p/alpha/categorisations/").json()["results"]
    assert [r["urn"] for r in listed] == ["901001"]


def test_signed_peers_see_each_others_protected_data_through_the_api(data):
    officer = data.a.users["officer"]
    for school in (data.a.school, data.a.other_school):
        memorandum_record(
            actor=officer,
            school=school,
            status=MemorandumStatus.Status.SIGNED,
            signed_on=date(2022, 9, 1),
            governors_minute_ref="FGB 2022/3",
            data_controller=officer,
        )
    client = api_as(data.a.users["head"])
    assert client.get("/api/p/alpha/schools/901002/judgements/").status_code == 200
    assert {r["urn"] for r in client.get("/api/p/alpha/judgements/").json()["results"]} == {"901001", "901002"}
    log = DataAccessLog.objects.filter(school=data.a.other_school).first()
    assert log.because.startswith("memorandum:")


@pytest.mark.parametrize("count", [5, 120])
def test_protected_lists_queries_are_bounded(world, django_assert_max_num_queries, count):
    officer = world.a.users["officer"]
    schools = [SchoolFactory(partnership=world.a.partnership, urn=str(800000 + i)) for i in range(count)]
    for school in schools:
        judge(school, finance_concern="concern")
    categorise(world.a.partnership, officer, dict.fromkeys(schools, "AMBER"))
    client = api_as(officer)
    for path in ("judgements/", "categorisations/"):
        with django_assert_max_num_queries(13):
            assert client.get(f"/api/p/alpha/{path}").json()["count"] == count
    assert DataAccessLog.objects.count() == 2 * min(count, 50)  # a page of 50 each


def test_accesses_for_answers_as_the_sharing_rules_do(world):
    """partnership.sharing.accesses_for is one call for a whole list: the same answers as access_for and
    visible_school_ids, for every role, including platform admins."""
    SchoolFactory(partnership=world.a.partnership, urn="901003")
    memorandum_record(
        actor=SYSTEM,
        school=world.a.other_school,
        status=MemorandumStatus.Status.SIGNED,
        signed_on=date(2022, 9, 1),
        governors_minute_ref="FGB",
        data_controller=world.a.users["officer"],
    )
    schools = list(School.objects.for_partnership(world.a.partnership))
    for user in [*world.a.users.values(), world.admin]:
        accesses = rules.accesses_for(user, world.a.partnership)
        assert {s.pk: accesses[s.pk] for s in schools} == {s.pk: rules.access_for(user, s) for s in schools}
        assert rules.full_ids(accesses) == rules.visible_school_ids(user, world.a.partnership, rules.FULL)
    assert rules.accesses_for(world.b.users["officer"], world.a.partnership) == {}
