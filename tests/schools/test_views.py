"""School, cluster and import pages: filters, bounded queries, charts, and the officer's upload flow."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnership.models import AuditEvent
from schools import tasks
from schools.models import ImportRun, Inspection, PerformanceResult, School
from tests.factories import ClusterFactory, ClusterMembershipFactory, SchoolFactory

from .conftest import FIXTURES, fixture_bytes

pytestmark = pytest.mark.django_db


def _many_schools(partnership, count):
    cluster = ClusterFactory(partnership=partnership, name="Big Cluster", slug="big")
    for i in range(count):
        school = SchoolFactory(
            partnership=partnership,
            urn=str(700000 + i),
            name=f"School {i:03d}",
            phase="secondary" if i % 3 == 0 else "primary",
            pupils=100 + i,
        )
        ClusterMembershipFactory(cluster=cluster, school=school)
        Inspection.objects.create(
            partnership=partnership, school=school, inspection_date=date(2019, 1, 1), overall_grade=1 + i % 4
        )
        Inspection.objects.create(
            partnership=partnership, school=school, inspection_date=date(2015, 1, 1), overall_grade=3
        )
        PerformanceResult.objects.create(
            partnership=partnership, school=school, academic_year="2018-19", ks2_rwm_expected_pct=Decimal(50 + i % 30)
        )
    return cluster


@pytest.mark.parametrize("count", [5, 120])
def test_school_list_queries_are_bounded(world, login, django_assert_max_num_queries, count):
    _many_schools(world.a.partnership, count)
    client = login(world.a.users["officer"])
    url = reverse("school_list", args=[world.a.partnership.slug])
    # Includes the sharing decision and the current categories for the category filter: a fixed cost.
    with django_assert_max_num_queries(18):
        response = client.get(url, {"sort": "-ofsted", "cluster": "big", "phase": "primary"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(50, len([i for i in range(count) if i % 3]))


def test_school_list_filters_sorts_and_pages(world, login):
    _many_schools(world.a.partnership, 60)
    client = login(world.a.users["head"])
    url = reverse("school_list", args=[world.a.partnership.slug])
    page = client.get(url, {"grade": "4", "sort": "-pupils"}).context["page"]
    names = [s.name for s in page.object_list]
    assert names[:2] == ["School 059", "School 055"]
    assert all(s.latest_grade == 4 for s in page.object_list)  # the 2019 grade, not the 2015 one
    second = client.get(url, {"page": 2})
    assert second.context["page"].number == 2 and len(second.context["page"].object_list) == 12  # 62 schools
    found = client.get(url, {"q": "700007"}).context["page"].object_list
    assert [s.urn for s in found] == ["700007"]
    assert client.get(url, {"cluster": "nonsense"}).context["page"].paginator.count == 62  # bad filter ignored
    assert b"School 0" not in client.get(url, {"q": "School", "grade": "none"}).content


def test_school_list_never_shows_another_partnership(world, login):
    _many_schools(world.b.partnership, 3)
    response = login(world.a.users["officer"]).get(reverse("school_list", args=[world.a.partnership.slug]))
    assert response.context["page"].paginator.count == 2


def test_school_page_inspections_and_svg_trends(world, login, run, django_assert_max_num_queries):
    run("ofsted", "ofsted_small.csv")
    for year, rwm, england in (("2016-17", 61, 61), ("2017-18", 57, 64), ("2018-19", 63, 65)):
        data = (
            "RECTYPE,LEA,ESTAB,URN,SCHNAME,PTRWM_EXP,READPROG,WRITPROG,MATPROG\n"
            f"1,901,2001,901001,Alpha Primary School,{rwm}%,-1.9,SUPP,0.4\n5,,,,,{england}%,,,\n"
        )
        assert run("ks2", data=data.encode(), year=year).ok
    client = login(world.a.users["governor"])
    # Includes the sharing decision (a few bulk reads), the LA judgements and the access-log insert.
    with django_assert_max_num_queries(24):
        response = client.get(reverse("school_detail", args=[world.a.partnership.slug, "901001"]))
    html = response.content.decode()
    assert "Requires improvement" in html and "10 Mar 2015" in html
    charts = response.context["charts"]
    assert [c["title"] for c in charts] == [
        "KS2: reading, writing and maths at the expected standard",
        "KS2 progress scores",
    ]
    svg = ET.fromstring(str(charts[0]["svg"]))
    assert svg.tag.endswith("svg") and svg.get("role") == "img"
    desc = svg.find("{http://www.w3.org/2000/svg}desc").text
    assert "School: 2016-17 61%, 2017-18 57%, 2018-19 63%" in desc
    assert "England: 2016-17 61%, 2017-18 64%, 2018-19 65%" in desc
    assert (
        "Writing: 2016-17 not published"
        in ET.fromstring(str(charts[1]["svg"])).find("{http://www.w3.org/2000/svg}desc").text
    )
    assert html.count("<svg") == 2


def test_cluster_page_headlines(world, login, django_assert_num_queries):
    cluster = _many_schools(world.a.partnership, 40)
    client = login(world.a.users["clusterlead"])
    url = reverse("cluster_detail", args=[world.a.partnership.slug, cluster.slug])
    client.get(url)
    with django_assert_num_queries(17):  # the same with 40 members as with 4: see the test below
        response = client.get(reverse("cluster_detail", args=[world.a.partnership.slug, cluster.slug]))
    headlines = response.context["headlines"]
    assert dict(headlines["grades"]) == {"Outstanding": 10, "Good": 10, "Requires improvement": 10, "Inadequate": 10}
    assert headlines["good_or_better_pct"] == 50 and headlines["year"] == "2018-19"
    assert headlines["averages"]["ks2_schools"] == 40
    assert b"50%" in response.content


def test_cluster_page_queries_do_not_grow_with_members(world, login, django_assert_num_queries):
    cluster = _many_schools(world.a.partnership, 4)
    client = login(world.a.users["clusterlead"])
    url = reverse("cluster_detail", args=[world.a.partnership.slug, cluster.slug])
    client.get(url)
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200


# ---- the upload flow ----------------------------------------------------------------------------


def _upload(client, world, name, kind, year="", data=None):
    return client.post(
        reverse("import_upload", args=[world.a.partnership.slug]),
        {"kind": kind, "academic_year": year, "file": SimpleUploadedFile(name, data or fixture_bytes(name))},
    )


def test_officer_uploads_previews_then_applies(world, login, django_capture_on_commit_callbacks):
    client = login(world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, "ks2_raw_small.csv", "ks2", "2018-19")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/imports/{run.uuid}/")
    assert run.status == "previewed" and run.progress == 100 and run.created_by == world.a.users["officer"]
    assert not PerformanceResult.objects.exists()  # the preview changed nothing
    page = client.get(response.url).content.decode()
    assert "What this import will change" in page
    assert "result: 3 would be created, 0 would be updated, 0 unchanged." in page
    assert "Apply these changes" in page
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("import_apply", args=[world.a.partnership.slug, run.uuid]))
    run.refresh_from_db()
    assert applied.status_code == 302 and run.status == "applied" and run.applied_by == world.a.users["officer"]
    assert PerformanceResult.objects.filter(partnership=world.a.partnership).count() == 3
    assert School.objects.filter(partnership=world.a.partnership, urn="901010").exists()
    actions = set(AuditEvent.objects.filter(object_type="schools.importrun").values_list("action", flat=True))
    assert actions == {"import.upload", "import.confirm", "import.apply"}
    assert "result: 3 were created" in client.get(response.url).content.decode()
    # applying twice does nothing: the run is claimed once
    again = client.post(reverse("import_apply", args=[world.a.partnership.slug, run.uuid]), follow=True)
    assert "can be applied, and only once" in again.content.decode()
    assert tasks.import_apply(run.pk) == "skipped"
    assert PerformanceResult.objects.filter(partnership=world.a.partnership).count() == 3
    listing = client.get(reverse("import_list", args=[world.a.partnership.slug])).content.decode()
    assert "ks2_raw_small.csv" in listing and "officer.alpha" in listing


def test_upload_with_errors_shows_the_rows_and_cannot_be_applied(world, login, django_capture_on_commit_callbacks):
    client = login(world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, "gias_broken.csv", "gias")
    run = ImportRun.objects.get()
    assert run.status == "rejected" and len(run.errors) == 5
    page = client.get(response.url).content.decode()
    assert "nothing was changed" in page and "90X005" in page and "is not a URN" in page
    assert "Apply these changes" not in page
    client.post(reverse("import_apply", args=[world.a.partnership.slug, run.uuid]))
    run.refresh_from_db()
    assert run.status == "rejected"
    assert School.objects.get(partnership=world.a.partnership, urn="901001").name != "Alpha Primary School (renamed)"


def test_import_list_shows_command_runs_by_nobody(world, login):
    from django.core.management import call_command

    call_command("import_data", "ofsted", str(FIXTURES / "ofsted_small.csv"), "--partnership", "alpha", stdout=None)
    page = login(world.a.users["officer"]).get(reverse("import_list", args=[world.a.partnership.slug]))
    assert page.status_code == 200 and "ofsted_small.csv" in page.content.decode() and "system" in page.content.decode()


def test_upload_form_errors(world, login):
    client = login(world.a.users["officer"])
    response = client.post(
        reverse("import_upload", args=[world.a.partnership.slug]), {"kind": "ks2", "academic_year": "2018/19"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"file", "academic_year"}
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("role", ["board", "clusterlead", "clusterofficer", "head", "governor", "partner"])
def test_only_officers_import(world, login, role):
    client = login(world.a.users[role])
    slug = world.a.partnership.slug
    for name in ("import_list", "import_upload", "import_template"):
        assert client.get(reverse(name, args=[slug])).status_code == 403
    assert _upload(client, world, "gias_small.csv", "gias").status_code == 403
    assert not ImportRun.objects.exists()


def test_platform_admin_may_import(world, login, django_capture_on_commit_callbacks):
    client = login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, world, "ofsted_small.csv", "ofsted").status_code == 302
    assert ImportRun.objects.get().status == "previewed"


def test_local_data_template(world, login, run):
    response = login(world.a.users["officer"]).get(reverse("import_template", args=[world.a.partnership.slug]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "URN,Academic year,Self-evaluation grade,SEF validated grade,Finance concern,Complaints,Outward facing,"
        "Teaching quality,Leadership and governance,Likely next Ofsted grade,Behaviour concern,"
        "Self-evaluation accurate,Judged securely good,Recent section 8 with priorities"
    )
    assert response["Content-Type"].startswith("text/csv")
    # the template, filled in for one of the partnership's schools, imports as it is
    filled = response.content.decode().replace("100000,", "901001,").encode()
    assert run("local", data=filled).ok
    row = world.a.school.local_indicators.get()
    assert (row.teaching_quality, row.leadership_governance, row.likely_next_ofsted_grade) == (
        "consistently_good",
        "effective",
        2,
    )
    assert (row.behaviour_concern, row.self_evaluation_accurate, row.judged_securely_good) == (False, True, True)
    assert row.recent_s8_with_priorities is False


def test_preview_task_is_idempotent(world, django_capture_on_commit_callbacks):
    from schools import services

    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_run_create(
            actor=world.a.users["officer"],
            partnership=world.a.partnership,
            kind="ofsted",
            filename="ofsted_small.csv",
            content=fixture_bytes("ofsted_small.csv"),
        )
    run.refresh_from_db()
    assert run.status == "previewed" and run.summary["created"]["inspection"] == 5
    assert tasks.import_preview(run.pk) == "skipped"  # already checked: nothing runs twice
    assert not Inspection.objects.exists()


def test_a_running_import_shows_its_progress(world, login):
    run = ImportRun.objects.create(
        partnership=world.a.partnership,
        kind="ks2",
        filename="big.csv",
        file=ContentFile(b"x", name="big.csv"),
        status="applying",
        progress=40,
    )
    page = login(world.a.users["officer"]).get(reverse("import_detail", args=[world.a.partnership.slug, run.uuid]))
    html = page.content.decode()
    assert '<progress id="import-progress" max="100" value="40">' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Apply these changes" not in html


def test_category_filter_lists_only_categories_the_person_may_see(world, login):
    from django.utils import timezone

    from categorisation.models import Result, Run
    from categorisation.selectors import published_version
    from categorisation.services import framework_clone

    framework = framework_clone(
        actor=world.a.users["officer"], partnership=world.a.partnership, source_slug="calderdale"
    )
    run = Run.objects.create(
        partnership=world.a.partnership,
        framework_version=published_version(framework),
        academic_year="2018-19",
        status=Run.Status.DONE,
    )
    for school, category in ((world.a.school, "AMBER"), (world.a.other_school, "RED")):
        Result.objects.create(
            partnership=world.a.partnership,
            run=run,
            school=school,
            framework_version=run.framework_version,
            academic_year="2018-19",
            computed_category=category,
            computed_at=timezone.now(),
            status=Result.Status.AGREED,  # shown to the school's people (a provisional one waits for them)
        )
    url = reverse("school_list", args=[world.a.partnership.slug])
    officer = login(world.a.users["officer"])
    red = officer.get(url, {"category": "RED"})
    assert [s.urn for s in red.context["page"]] == [world.a.other_school.urn]
    # The head sees its own school's category only: the other school's RED is neither offered nor matched.
    head = login(world.a.users["head"])
    page = head.get(url).content.decode()
    assert 'value="AMBER"' in page and 'value="RED"' not in page
    refused = head.get(url, {"category": "RED"})
    assert "category" in refused.context["form"].errors  # not a choice for them: nothing is filtered by it
    assert len(refused.context["page"]) == 2


def test_the_preview_lists_each_change_with_old_and_new_values(
    world, login, monkeypatch, django_capture_on_commit_callbacks
):
    PerformanceResult.objects.create(
        partnership=world.a.partnership,
        school=world.a.school,
        academic_year="2018-19",
        ks2_rwm_expected_pct=Decimal("50"),
    )
    client = login(world.a.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, "ks2_raw_small.csv", "ks2", "2018-19")
    run = ImportRun.objects.get()
    listed = run.summary["changes"]
    assert run.summary["changes_total"] == len(listed)
    rwm = next(c for c in listed if c["school"] == "Alpha Primary School (901001)" and "RWM" in c["field"].upper())
    assert (rwm["what"], rwm["old"], rwm["new"]) == ("Results 2018-19", "50", "63")
    assert {"school": "New Brook Junior School (901010)", "what": "Results 2018-19", "added": True} in listed
    page = client.get(response.url).content.decode()
    assert "Each change it would make" in page and f"{len(listed)} changes to schools' records" in page
    assert (
        f'<td class="govuk-table__cell">{rwm["field"]}</td>'
        '<td class="govuk-table__cell">50</td><td class="govuk-table__cell">63</td>' in page
    )
    assert "Added: a new record" in page and "schools not known before would be created" in page

    monkeypatch.setattr("schools.importers.base.MAX_LISTED_CHANGES", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, "ks2_raw_small.csv", "ks2", "2018-19")
    capped = ImportRun.objects.order_by("-created_at", "-id").first()
    assert len(capped.summary["changes"]) == 2 and capped.summary["changes_total"] == len(listed)
    assert (
        f"{len(listed)} changes to schools' records: the first 2 are listed"
        in client.get(response.url).content.decode()
    )
