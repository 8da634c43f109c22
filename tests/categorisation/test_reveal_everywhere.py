"""A school self-assesses before anyone but the LA sees its computed category: the run pages and the
result page hold it back, and so must every other way a category leaves (the school list's category
filter, its CSV export and the protected API). Once the school has self-assessed, or the category is
agreed or confirmed, it shows to everyone with full access to the school."""

import csv
import io

import pytest
from django.urls import reverse

from categorisation import runs
from categorisation.models import Result

from .conftest import YEAR


@pytest.fixture
def run(officer, rag, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    run.refresh_from_db()
    return run


def seen(client, user, school) -> dict[str, object]:
    """The category of ``school`` as ``user`` meets it in the list filter, the export and the API."""
    client.force_login(user)
    slug = school.partnership.slug
    listed = client.get(reverse("school_list", args=[slug]), {"category": "AMBER"})
    filtered = [s.urn for s in listed.context["page"]] if "category" not in listed.context["form"].errors else []
    exported = list(
        csv.DictReader(io.StringIO(client.get(reverse("school_export", args=[slug])).content.decode("utf-8-sig")))
    )
    row = next(r for r in exported if r["urn"] == school.urn)
    api = client.get(reverse("api_categorisation_list", args=[slug]), {"urn": school.urn}).json()
    return {
        "filter": school.urn in filtered,
        "export": row.get("category") or None,
        "api": [r.get("category") for r in api["results"]],
    }


def test_the_category_waits_for_the_schools_self_assessment_everywhere(world, client, officer, run):
    head, school = world.a.users["head"], world.a.school
    assert Result.objects.get(run=run, school=school).computed_category == "AMBER"
    hidden = seen(client, head, school)
    assert hidden == {"filter": False, "export": None, "api": []}, hidden
    # The LA sees it at once.
    assert seen(client, officer, school) == {"filter": True, "export": "AMBER", "api": ["AMBER"]}

    runs.self_assessment_submit(
        actor=head,
        result=Result.objects.get(run=run, school=school),
        category="AMBER",
        evidence={"rwm-low": "We agree."},
    )
    assert seen(client, head, school) == {"filter": True, "export": "AMBER", "api": ["AMBER"]}


def test_the_history_gives_no_movement_between_categories_not_yet_agreed(world, client, officer, rag):
    from django.utils import timezone

    from categorisation.models import Run

    school = world.a.school
    for year in ("2021-22", "2022-23"):
        earlier = Run.objects.create(
            partnership=rag.partnership, framework_version=rag, academic_year=year, status=Run.Status.DONE
        )
        Result.objects.create(
            partnership=rag.partnership,
            run=earlier,
            school=school,
            framework_version=rag,
            academic_year=year,
            computed_category="AMBER",
            computed_at=timezone.now(),
        )
    url = reverse("categorisation_school", args=[school.partnership.slug, school.urn])
    client.force_login(world.a.users["head"])
    page = client.get(url).content.decode()
    assert page.count("not yet agreed") == 2 and "no change" not in page and "AMBER" not in page
    client.force_login(officer)
    assert "no change" in client.get(url).content.decode()


def test_the_history_shows_a_year_once_the_school_has_self_assessed_as_everywhere_else(world, client, run):
    head, school = world.a.users["head"], world.a.school
    url = reverse("categorisation_school", args=[school.partnership.slug, school.urn])
    client.force_login(head)
    page = client.get(url).content.decode()
    assert "not yet agreed" in page and "AMBER" not in page
    runs.self_assessment_submit(
        actor=head,
        result=Result.objects.get(run=run, school=school),
        category="GREEN",
        evidence={"good": "Our own view."},
    )
    page = client.get(url).content.decode()
    assert "AMBER" in page and "not yet agreed" not in page
