"""The school list's CSV export: the list's filters and sort, public columns for every school, protected
columns only with full access (the access column says which), bulk logging and bounded queries."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.exports import EXPORT_WHAT, HEADER
from schools.models import Inspection, LocalIndicator
from sharing.models import DataAccessLog, MemorandumStatus
from sharing.services import memorandum_record
from tests.factories import ClusterFactory, ClusterMembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response.content.startswith("\ufeff".encode()), "UTF-8 with a byte-order mark, as every export"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def export(client, world, **params):
    return client.get(reverse("school_export", args=[world.a.partnership.slug]), params)


def judge(school, year="2022-23", **values):
    return LocalIndicator.objects.create(partnership=school.partnership, school=school, academic_year=year, **values)


def categorise(partnership, officer, categories: dict, *, status="done", result_status="agreed", final=None):
    """A run of the partnership's Calderdale framework with a result per school: {school: category}. The
    results are agreed by default, so their category shows to everyone with full access (a provisional one
    waits for the school's self-assessment: tests/categorisation/test_reveal_everywhere.py)."""
    from categorisation.models import Framework, Result, Run
    from categorisation.selectors import published_version
    from categorisation.services import framework_clone

    framework = Framework.objects.filter(partnership=partnership).first() or framework_clone(
        actor=officer, partnership=partnership, source_slug="calderdale"
    )
    run = Run.objects.create(
        partnership=partnership,
        framework_version=published_version(framework),
        academic_year="2022-23",
        status=status,
    )
    for school, category in categories.items():
        Result.objects.create(
            partnership=partnership,
            run=run,
            school=school,
            framework_version=run.framework_version,
            academic_year="2022-23",
            computed_category=category,
            final_category=(final or {}).get(school, ""),
            status=result_status,
            computed_at=timezone.now(),
        )
    return run


def test_a_head_gets_every_school_but_protected_data_only_for_its_own(world, login):
    """The head's own school is at full (own-school); the other school has no memorandum answer, so the
    head sees its headline only: its row is there with the protected cells blank and the reason."""
    judge(world.a.school, finance_concern="serious", complaints=3, behaviour_concern=True, sef_validated_grade=2)
    judge(world.a.other_school, finance_concern="concern", complaints=9)
    categorise(world.a.partnership, world.a.users["officer"], {world.a.school: "AMBER", world.a.other_school: "RED"})
    response = export(login(world.a.users["head"]), world)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="schools-alpha-')
    assert response["Cache-Control"] == "no-store"
    rows = {row["urn"]: row for row in rows_of(response)}
    assert list(rows_of(response)[0]) == list(HEADER)
    own, other = rows[world.a.school.urn], rows[world.a.other_school.urn]
    assert (own["access"], own["finance_concern"], own["complaints"], own["behaviour_concern"]) == (
        "full",
        "serious",
        "3",
        "yes",
    )
    assert (own["sef_validated_grade"], own["category"], own["category_status"]) == ("2", "AMBER", "agreed")
    assert own["judgements_academic_year"] == own["category_academic_year"] == "2022-23"
    assert own["access_because"] == "You are headteacher of Alpha Primary School."
    assert other["access"] == "headline" and other["name"] == world.a.other_school.name
    assert "its data sharing page says why" in other["access_because"]  # the rules say why, there
    protected = HEADER[HEADER.index("judgements_academic_year") :]
    assert all(other[column] == "" for column in protected)
    # One log row for the school whose protected data left, none for the other.
    log = DataAccessLog.objects.get()
    assert (log.school, log.username, log.what) == (world.a.school, "head.alpha", EXPORT_WHAT)
    assert log.because.startswith("own-school:")


def test_an_officer_gets_every_school_in_full_each_logged_once(world, login):
    judge(world.a.school, finance_concern="none")
    judge(world.a.other_school, year="2021-22", finance_concern="serious")
    judge(world.a.other_school, year="2022-23", finance_concern="concern")  # the newest year is exported
    rows = rows_of(export(login(world.a.users["officer"]), world))
    assert [(r["urn"], r["access"], r["finance_concern"], r["judgements_academic_year"]) for r in rows] == [
        ("901002", "full", "concern", "2022-23"),  # Alpha High School sorts before Alpha Primary School
        ("901001", "full", "none", "2022-23"),
    ]
    assert rows[0]["category"] == "" and rows[0]["category_status"] == ""  # no run yet: blank, yet full
    logged = DataAccessLog.objects.filter(username="officer.alpha", what=EXPORT_WHAT)
    assert sorted(logged.values_list("school__urn", flat=True)) == ["901001", "901002"]
    assert len({log.created_at for log in logged}) == 1  # one bulk insert


def test_signed_peers_and_a_declined_school(world, login):
    """Signed peers see each other in full; a school that declined is headline to them, and its own head
    sees only itself in full (memorandum 3.1 and 3.5)."""
    officer = world.a.users["officer"]
    declined = SchoolFactory(partnership=world.a.partnership, urn="901003", name="Alpha Declined School")
    for school in (world.a.school, world.a.other_school):
        memorandum_record(
            actor=officer,
            school=school,
            status=MemorandumStatus.Status.SIGNED,
            signed_on=date(2022, 9, 1),
            governors_minute_ref="FGB 2022/3",
            data_controller=officer,
        )
    memorandum_record(
        actor=officer, school=declined, status=MemorandumStatus.Status.DECLINED, note="Governors declined."
    )
    for school in (world.a.school, world.a.other_school, declined):
        judge(school, finance_concern="serious")
    access = {
        r["urn"]: (r["access"], r["finance_concern"]) for r in rows_of(export(login(world.a.users["head"]), world))
    }
    assert access == {"901001": ("full", "serious"), "901002": ("full", "serious"), "901003": ("headline", "")}


def test_the_export_follows_the_lists_filters_and_sort(world, login):
    cluster = ClusterFactory(partnership=world.a.partnership, name="Big Cluster", slug="big")
    for i in range(12):
        school = SchoolFactory(
            partnership=world.a.partnership,
            urn=str(700000 + i),
            name=f"School {i:02d}",
            phase="secondary" if i % 3 == 0 else "primary",
            pupils=100 + (i * 7) % 50,
        )
        ClusterMembershipFactory(cluster=cluster, school=school)
        Inspection.objects.create(
            partnership=world.a.partnership, school=school, inspection_date=date(2019, 1, 1), overall_grade=1 + i % 4
        )
    client = login(world.a.users["clusterlead"])
    params = {"cluster": "big", "phase": "primary", "sort": "-pupils"}
    page = client.get(reverse("school_list", args=[world.a.partnership.slug]), params).context["page"]
    rows = rows_of(export(client, world, **params))
    assert [r["urn"] for r in rows] == [s.urn for s in page]
    assert len(rows) == 8 and {r["cluster"] for r in rows} == {"Big Cluster"}
    assert [int(r["pupils"]) for r in rows] == sorted((int(r["pupils"]) for r in rows), reverse=True)
    assert {r["ofsted_grade"] for r in rows} <= {"1", "2", "3", "4"}
    graded = rows_of(export(client, world, grade="4", sort="urn"))
    assert [r["urn"] for r in graded] == ["700003", "700007", "700011"]


def test_the_category_filter_and_column_follow_latest_categories(world, login):
    """The category is the one categorisation.selectors.latest_categories gives (the newest finished run,
    the moderated one first); a run still going counts for nothing; its status and year come with it."""
    from categorisation.selectors import latest_categories

    officer = world.a.users["officer"]
    categorise(world.a.partnership, officer, {world.a.school: "GREEN", world.a.other_school: "GREEN"})
    categorise(
        world.a.partnership,
        officer,
        {world.a.school: "RED", world.a.other_school: "RED"},
        result_status="confirmed",
        final={world.a.other_school: "AMBER"},
    )
    categorise(world.a.partnership, officer, {world.a.school: "GREEN"}, status="running")
    client = login(officer)
    rows = {r["urn"]: r for r in rows_of(export(client, world))}
    expected = latest_categories(world.a.partnership)
    assert {urn: rows[urn]["category"] for urn in rows} == {
        world.a.school.urn: expected[world.a.school.pk],
        world.a.other_school.urn: expected[world.a.other_school.pk],
    }
    assert (rows["901001"]["category"], rows["901002"]["category"]) == ("RED", "AMBER")
    assert rows["901002"]["category_status"] == "confirmed"
    only_amber = rows_of(export(client, world, category="AMBER"))
    assert [r["urn"] for r in only_amber] == ["901002"]


def test_a_headline_viewer_cannot_filter_the_export_by_a_category_it_may_not_see(world, login):
    categorise(world.a.partnership, world.a.users["officer"], {world.a.school: "AMBER", world.a.other_school: "RED"})
    rows = rows_of(export(login(world.a.users["head"]), world, category="RED"))
    # RED is not a choice for the head (only its own school's AMBER is): the filter is ignored, as on the page,
    # and the other school's row carries no category.
    assert {r["urn"]: r["category"] for r in rows} == {"901001": "AMBER", "901002": ""}


def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted(world, login):
    SchoolFactory(partnership=world.a.partnership, urn="901099", name='=HYPERLINK("http://x")', trust_name="+Trust")
    row = next(r for r in rows_of(export(login(world.a.users["officer"]), world)) if r["urn"] == "901099")
    assert row["name"] == '\'=HYPERLINK("http://x")' and row["trust_name"] == "'+Trust"


@pytest.mark.parametrize("count", [5, 120])
def test_export_queries_are_bounded(world, login, django_assert_max_num_queries, count):
    """The same queries for 5 schools or 120 (19 today), all in full: an officer, every row logged."""
    officer = world.a.users["officer"]
    schools = [SchoolFactory(partnership=world.a.partnership, urn=str(800000 + i)) for i in range(count)]
    for school in schools:
        judge(school, finance_concern="concern")
    categorise(world.a.partnership, officer, dict.fromkeys(schools, "AMBER"))
    client = login(officer)
    with django_assert_max_num_queries(20):
        rows = rows_of(export(client, world))
    assert len(rows) == count + 2 and {r["access"] for r in rows} == {"full"}
    assert DataAccessLog.objects.filter(what=EXPORT_WHAT).count() == count + 2


def test_the_list_page_links_to_the_export_with_its_filters(world, login):
    client = login(world.a.users["governor"])
    url = reverse("school_list", args=[world.a.partnership.slug])
    body = client.get(url, {"phase": "primary", "sort": "urn"}).content.decode()
    assert f'href="{reverse("school_export", args=[world.a.partnership.slug])}?phase=primary&amp;sort=urn"' in body
    assert "Download these 2 schools as a CSV file" in body
    assert "Download all 2 schools as a CSV file" in client.get(url).content.decode()


def test_the_export_is_a_download_only(world, login):
    client = login(world.a.users["officer"])
    assert client.post(reverse("school_export", args=[world.a.partnership.slug])).status_code == 405
    client.logout()
    response = export(client, world)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not DataAccessLog.objects.exists()
