"""Protected data leaving categorisation follows the sharing rules (partnership.sharing): the result page,
a letter, the letters zip, a school's history and the results CSV need full access to each school and
log every view; run pages, the progress JSON and the CSV count and list only the schools the person has
full access to, so a hidden school leaks through no total.

The scene, in partnership A: Alpha Primary (the head's school) and Alpha High signed the memorandum;
Declined School declined; Undecided School has no answer. One finished run has a result for each."""

import csv
import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from categorisation.models import Letter, Result, Run
from partnership.roles import Role
from sharing.models import DataAccessLog, MemorandumStatus
from sharing.services import memorandum_record
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

from .conftest import YEAR


@pytest.fixture
def scene(world, rag, django_capture_on_commit_callbacks):
    a = world.a
    officer = a.users["officer"]
    declined = SchoolFactory(partnership=a.partnership, urn="901020", name="Declined School")
    undecided = SchoolFactory(partnership=a.partnership, urn="901021", name="Undecided School")
    declined_head = UserFactory(username="declinedhead.alpha")
    MembershipFactory(partnership=a.partnership, user=declined_head, role=Role.HEAD, school=declined)
    with django_capture_on_commit_callbacks(execute=True):
        for school in (a.school, a.other_school):
            memorandum_record(
                actor=officer,
                school=school,
                status=MemorandumStatus.Status.SIGNED,
                signed_on=date(2022, 9, 20),
                governors_minute_ref="FGB 2022/14",
                data_controller=a.users["head"],
            )
        memorandum_record(
            actor=officer,
            school=declined,
            status=MemorandumStatus.Status.DECLINED,
            data_controller=declined_head,
            note="The governors chose not to share.",
        )
    run = Run.objects.create(
        partnership=a.partnership,
        framework_version=rag,
        academic_year=YEAR,
        status=Run.Status.DONE,
        total=4,
        done_count=4,
    )
    now = timezone.now()
    results = {}
    # The head's own school: provisional, no self-assessment yet, so its category is not shown to non-officers.
    for school, category, status in [
        (a.school, "AMBER", Result.Status.PROVISIONAL),
        (a.other_school, "RED", Result.Status.AGREED),
        (declined, "GREEN", Result.Status.AGREED),
        (undecided, "GREEN", Result.Status.AGREED),
    ]:
        results[school.urn] = Result.objects.create(
            partnership=a.partnership,
            run=run,
            school=school,
            framework_version=rag,
            academic_year=YEAR,
            computed_category=category,
            final_category=category if status == Result.Status.AGREED else "",
            status=status,
            computed_at=now,
            reasons=[f"{category}: because of {school.name}"],
        )
    return {
        "run": run,
        "declined": declined,
        "undecided": undecided,
        "declined_head": declined_head,
        "results": results,
        "world": world,
    }


def url(scene, name, **kwargs):
    return reverse(
        name, kwargs={"partnership_slug": scene["world"].a.partnership.slug, "run_uuid": scene["run"].uuid, **kwargs}
    )


def rows_of(response) -> list[dict]:
    assert response.content.startswith("\ufeff".encode()), "UTF-8 with a byte-order mark, as every export"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def logged(user, what: str) -> set[str]:
    return set(DataAccessLog.objects.filter(user=user, what__contains=what).values_list("school__urn", flat=True))


# ---- the CSV of a run's results -------------------------------------------------------------------------


def test_an_officer_exports_every_school_with_its_reasons(scene, login):
    officer = scene["world"].a.users["officer"]
    response = login(officer).get(url(scene, "categorisation_run_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="categorisation-alpha-{YEAR}.csv"'
    rows = rows_of(response)
    assert [r["school"] for r in rows] == [
        "Alpha High School",
        "Alpha Primary School",
        "Declined School",
        "Undecided School",
    ]
    primary = rows[1]
    assert primary == {
        "urn": "901001",
        "school": "Alpha Primary School",
        "computed_category": "AMBER",
        "self_assessed": "",
        "final_category": "",
        "status": "Provisional",
        "reasons": "AMBER: because of Alpha Primary School",
    }
    assert logged(officer, "CSV") == {"901001", "901002", "901020", "901021"}


def test_a_signed_schools_head_exports_the_signed_schools_only(scene, login):
    head = scene["world"].a.users["head"]
    rows = rows_of(login(head).get(url(scene, "categorisation_run_export")))
    assert [r["urn"] for r in rows] == ["901002", "901001"]
    own = rows[1]
    # Their own school has not self-assessed: the LA's category is not shown to it yet.
    assert own["computed_category"] == "(shown after the school's self-assessment)" and own["reasons"] == ""
    assert rows[0]["computed_category"] == "RED" and rows[0]["reasons"] == "RED: because of Alpha High School"
    assert logged(head, "CSV") == {"901001", "901002"}


def test_a_declined_schools_head_exports_only_their_own(scene, login):
    rows = rows_of(login(scene["declined_head"]).get(url(scene, "categorisation_run_export")))
    assert [(r["urn"], r["computed_category"]) for r in rows] == [("901020", "GREEN")]


def test_a_person_with_no_full_access_gets_an_empty_export(scene, login):
    partner = scene["world"].a.users["partner"]
    rows = rows_of(login(partner).get(url(scene, "categorisation_run_export")))
    assert rows == [] and not DataAccessLog.objects.filter(user=partner).exists()


def test_a_school_name_cannot_smuggle_a_spreadsheet_formula(scene, login):
    scene["declined"].name = '=HYPERLINK("http://example.com")'
    scene["declined"].save(update_fields=["name"])
    rows = rows_of(login(scene["world"].a.users["officer"]).get(url(scene, "categorisation_run_export")))
    assert any(r["school"].startswith("'=HYPERLINK") for r in rows)


def test_no_cell_of_the_results_can_run_as_a_formula(scene, login):
    """Codes are text an officer types too: a final category, a computed category and a self-assessed one
    that start like a formula are written quoted, as every other cell."""
    from categorisation.models import SelfAssessment

    result = scene["results"]["901020"]
    result.final_category = '=HYPERLINK("a")'
    result.computed_category = "+SUM(A1)"
    result.save(update_fields=["final_category", "computed_category"])
    SelfAssessment.objects.create(
        partnership=result.partnership,
        framework=result.framework_version.framework,
        school=result.school,
        academic_year=result.academic_year,
        category="@cmd",
        submitted_by=scene["world"].a.users["officer"],
        submitted_at=timezone.now(),
    )
    rows = rows_of(login(scene["world"].a.users["officer"]).get(url(scene, "categorisation_run_export")))
    row = next(r for r in rows if r["urn"] == "901020")
    assert row["final_category"] == '\'=HYPERLINK("a")'
    assert row["computed_category"] == "'+SUM(A1)"
    assert row["self_assessed"] == "'@cmd"


# ---- run pages and the progress JSON count only what the person can see ------------------------------


def test_a_heads_run_page_lists_and_counts_only_signed_schools(scene, login):
    html = login(scene["world"].a.users["head"]).get(url(scene, "categorisation_run_detail")).content.decode()
    assert "Alpha High School" in html and "Alpha Primary School" in html
    assert "Declined School" not in html and "Undecided School" not in html
    assert "2 of 2 categorised" in html and "2 schools." in html
    assert '<strong class="govuk-tag govuk-tag--green">GREEN</strong> 2' not in html and "govuk-tag--green" not in html
    assert "Not shown yet</strong> 1" in html  # the head's own school, until it self-assesses
    assert "Confirm the results" not in html and "History of this run" not in html
    # Filtering by the hidden category finds nothing: a filter must not reveal it either.
    filtered = (
        login(scene["world"].a.users["head"])
        .get(url(scene, "categorisation_run_detail"), {"category": "AMBER"})
        .content.decode()
    )
    assert "0 schools." in filtered


def test_a_declined_heads_run_page_shows_only_their_school(scene, login):
    html = login(scene["declined_head"]).get(url(scene, "categorisation_run_detail")).content.decode()
    assert "Declined School" in html and "Alpha" not in html.split("<main", 1)[1].split("Download the results")[0]
    assert "1 of 1 categorised" in html and "1 school." in html


def test_progress_json_counts_what_the_person_can_see(scene, login):
    officer_view = login(scene["world"].a.users["officer"]).get(url(scene, "categorisation_run_progress")).json()
    assert officer_view == {
        "status": "done",
        "status_label": "Done",
        "done": 4,
        "total": 4,
        "percent": 100,
        "stage": "run",
        "label": "Progress",
        "confirm_status": "",
        "letters_status": "",
        "working": False,
        "message": "All 4 schools categorised.",
        "counts": {"AMBER": 1, "RED": 1, "GREEN": 2},
    }
    head_view = login(scene["world"].a.users["head"]).get(url(scene, "categorisation_run_progress")).json()
    assert head_view["total"] == 2 and head_view["done"] == 2
    assert head_view["counts"] == {"hidden": 1, "RED": 1}
    assert head_view["message"] == "All 2 schools you can see categorised."
    declined_view = login(scene["declined_head"]).get(url(scene, "categorisation_run_progress")).json()
    assert declined_view["counts"] == {"GREEN": 1} and declined_view["total"] == 1


def test_progress_of_a_running_run_counts_visible_results_only(scene, login):
    run = scene["run"]
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, done_count=2)
    Result.objects.filter(run=run).exclude(school__urn__in=["901020", "901021"]).delete()
    head_view = login(scene["world"].a.users["head"]).get(url(scene, "categorisation_run_progress")).json()
    assert (head_view["done"], head_view["total"], head_view["percent"]) == (0, 2, 0)
    assert "counts" not in head_view and head_view["working"] is True
    officer_view = login(scene["world"].a.users["officer"]).get(url(scene, "categorisation_run_progress")).json()
    assert (officer_view["done"], officer_view["total"], officer_view["percent"]) == (2, 4, 50)
    assert officer_view["message"] == "2 of 4 schools categorised (50%)."


# ---- a school's result, letter, history and the zip: full access, each view logged ---------------------


def test_each_view_of_a_result_and_a_history_is_logged_with_the_rule(scene, login):
    head = scene["world"].a.users["head"]
    client = login(head)
    assert client.get(url(scene, "categorisation_result", urn="901002")).status_code == 200
    row = DataAccessLog.objects.get(user=head, what=f"categorisation result {YEAR}")
    assert row.school.urn == "901002" and row.because.startswith("memorandum:")
    history = reverse("categorisation_school", kwargs={"partnership_slug": "alpha", "urn": "901001"})
    assert client.get(history).status_code == 200
    assert DataAccessLog.objects.get(user=head, what="categorisation history").because.startswith("own-school:")


@pytest.mark.parametrize("urn", ["901020", "901021"])
def test_a_school_that_does_not_share_is_refused_and_not_logged(scene, login, urn):
    head = scene["world"].a.users["head"]
    client = login(head)
    response = client.get(url(scene, "categorisation_result", urn=urn))
    assert response.status_code == 403 and "memorandum status is" in response.content.decode()
    history = reverse("categorisation_school", kwargs={"partnership_slug": "alpha", "urn": urn})
    assert client.get(history).status_code == 403
    assert not DataAccessLog.objects.filter(user=head).exists()


def _letters(scene):
    for result in scene["results"].values():
        Letter.objects.create(
            partnership=result.partnership,
            result=result,
            filename=f"{result.school.urn}.pdf",
            file=ContentFile(b"%PDF-1.4 test", name="letter.pdf"),
            recipients="The Headteacher",
        )


def test_letters_need_full_access_and_each_download_is_logged(scene, login):
    _letters(scene)
    head = scene["world"].a.users["head"]
    client = login(head)
    own = client.get(url(scene, "categorisation_letter", urn="901001"))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert logged(head, "categorisation letter") == {"901001"}
    assert client.get(url(scene, "categorisation_letter", urn="901002")).status_code == 403  # not their school
    assert client.get(url(scene, "categorisation_letters_zip")).status_code == 403  # officers only
    declined = login(scene["declined_head"]).get(url(scene, "categorisation_letter", urn="901020"))
    assert declined.status_code == 200  # a declined school still gets its own letter
    officer = scene["world"].a.users["officer"]
    zipped = login(officer).get(url(scene, "categorisation_letters_zip"))
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    assert logged(officer, "zip of all letters") == {"901001", "901002", "901020", "901021"}


def test_a_governor_who_left_their_school_cannot_download_its_letter(scene, login):
    _letters(scene)
    governor = scene["world"].a.users["governor"]
    governor.memberships.update(ended_at=timezone.now())
    response = login(governor).get(url(scene, "categorisation_letter", urn="901001"))
    assert response.status_code == 404  # no longer a member of the partnership at all
