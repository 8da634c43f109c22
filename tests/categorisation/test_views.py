"""The categorisation pages, walked as the LA officer and the headteacher would, plus wrong roles."""

import copy
import io
import json
import zipfile

import pytest
from django.urls import reverse

from categorisation.models import FrameworkVersion, Result, Run

from .conftest import RAG, YEAR


def url(name, world, **kwargs):
    return reverse(name, kwargs={"partnership_slug": world.a.partnership.slug, **kwargs})


@pytest.fixture
def run(world, login, officer, rag, data, django_capture_on_commit_callbacks):
    client = login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("categorisation_run_list", world), {"framework_version": rag.pk, "academic_year": YEAR}
        )
    run = Run.objects.get()
    assert response.status_code == 302 and response.url == url("categorisation_run_detail", world, run_uuid=run.uuid)
    return run


def test_officer_runs_and_reads_why_a_school_is_amber(world, client, run):
    page = client.get(url("categorisation_run_detail", world, run_uuid=run.uuid))
    html = page.content.decode()
    assert page.status_code == 200 and "Done" in html and "Alpha Primary School" in html
    assert 'http-equiv="refresh"' not in html
    filtered = client.get(url("categorisation_run_detail", world, run_uuid=run.uuid), {"category": "RED"})
    assert "Alpha High School" in filtered.content.decode() and "Alpha Primary School" not in filtered.content.decode()
    page = client.get(url("categorisation_result", world, run_uuid=run.uuid, urn=world.a.school.urn))
    html = page.content.decode()
    assert "AMBER" in html and "Some concern" in html
    assert "KS2 reading, writing and maths below 60%" in html
    assert "Pupils meeting the expected standard in reading, writing and maths at key stage 2 55%." in html
    assert "ks2_rwm_expected_pct" not in html  # the fact by its description, not its name
    assert "Test RAG, as published on " in html and "version 1" not in html
    assert "70%, 58%, 55%" in html  # the data used: the three-year history


def test_a_running_run_shows_its_progress_and_refreshes(world, login, officer, rag):
    run = Run.objects.create(
        partnership=world.a.partnership,
        framework_version=rag,
        academic_year=YEAR,
        status=Run.Status.RUNNING,
        total=200,
        done_count=50,
    )
    html = login(officer).get(url("categorisation_run_detail", world, run_uuid=run.uuid)).content.decode()
    assert 'value="25"' in html and "50 of 200 categorised" in html
    # Without JavaScript the page refreshes itself; with it, a script polls the progress JSON instead.
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    progress = url("categorisation_run_progress", world, run_uuid=run.uuid)
    assert f'data-run-progress="{progress}"' in html and "js/run-progress.js" in html
    assert 'role="status" aria-live="polite">50 of 200 schools categorised (25%).</p>' in html
    data = login(officer).get(progress)
    assert data["Cache-Control"] == "no-store"
    assert data.json() == {
        "status": "running",
        "status_label": "Categorising",
        "done": 50,
        "total": 200,
        "percent": 25,
        "stage": "run",
        "label": "Progress",
        "confirm_status": "",
        "letters_status": "",
        "working": True,
        "message": "50 of 200 schools categorised (25%).",
    }


def test_start_form_errors_name_the_mistake(world, login, officer, rag):
    response = login(officer).post(
        url("categorisation_run_list", world), {"framework_version": rag.pk, "academic_year": "2022/23"}
    )
    assert response.status_code == 200 and "is not an academic year such as 2022-23" in response.content.decode()
    assert not Run.objects.exists()


def test_head_self_assesses_officer_moderates_confirms_and_downloads_letters(
    world, client, login, officer, run, django_capture_on_commit_callbacks
):
    result_url = url("categorisation_result", world, run_uuid=run.uuid, urn=world.a.school.urn)
    head = login(world.a.users["head"])
    assert head.get(url("categorisation_home", world)).url == url(
        "categorisation_school", world, urn=world.a.school.urn
    )
    before = head.get(result_url).content.decode()
    assert "shown once the school has submitted its self-assessment" in before
    assert "How the category was decided" not in before and "<code>ks2_rwm_expected_pct</code>" not in before
    response = head.post(result_url, {"action": "self_assess", "category": "GREEN", "evidence_good": "Good school."})
    assert response.status_code == 302
    after = head.get(result_url).content.decode()
    assert "differs from the computed category" in after and "Good school." in after
    assert Result.objects.get(run=run, school=world.a.school).status == "flagged"
    assert head.post(result_url, {"action": "moderate", "agreed_category": "GREEN", "note": "x"}).status_code == 403

    officer_client = login(officer)
    confirm_url = url("categorisation_run_confirm", world, run_uuid=run.uuid)
    refused = officer_client.post(confirm_url, {"checked": "on"})
    assert refused.status_code == 409
    assert "1 flagged for discussion with the school: Alpha Primary School" in refused.content.decode()
    no_reason = officer_client.post(result_url, {"action": "moderate", "agreed_category": "GREEN", "note": "Met."})
    assert no_reason.status_code == 200
    assert "overrides the computed one (AMBER): say why" in no_reason.content.decode()
    ok = officer_client.post(
        result_url,
        {
            "action": "moderate",
            "agreed_category": "GREEN",
            "note": "Met the head.",
            "override_reason": "Validated 2023 data is in line.",
        },
    )
    assert ok.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(confirm_url, {"checked": "on"})
    run.refresh_from_db()
    assert run.confirmed_at and run.letters_status == "done"
    zipped = officer_client.get(url("categorisation_letters_zip", world, run_uuid=run.uuid))
    assert zipped["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert len(names) == 2 and any(world.a.school.urn in n for n in names)

    head = login(world.a.users["head"])
    own = head.get(url("categorisation_letter", world, run_uuid=run.uuid, urn=world.a.school.urn))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    other = head.get(url("categorisation_letter", world, run_uuid=run.uuid, urn=world.a.other_school.urn))
    assert other.status_code == 403
    history = head.get(url("categorisation_school", world, urn=world.a.school.urn)).content.decode()
    assert "2022-23" in history and "GREEN" in history


@pytest.mark.parametrize("role", ["board", "partner", "clusterlead", "clusterofficer"])
def test_without_full_access_a_result_is_refused_with_the_reason(world, login, run, role):
    client = login(world.a.users[role])
    response = client.get(url("categorisation_result", world, run_uuid=run.uuid, urn=world.a.school.urn))
    html = response.content.decode()
    assert response.status_code == 403 and "memorandum status is not recorded" in html
    assert "KS2 RWM below 60%" not in html and "ks2_rwm_expected_pct" not in html
    assert client.get(url("categorisation_school", world, urn=world.a.school.urn)).status_code == 403


def test_a_head_cannot_see_another_schools_result(world, login, run):
    response = login(world.a.users["head"]).get(
        url("categorisation_result", world, run_uuid=run.uuid, urn=world.a.other_school.urn)
    )
    assert response.status_code == 403 and "RED" not in response.content.decode()


OFFICER_PAGES = [
    "categorisation_run_list",
    "categorisation_letters_zip",
    "categorisation_framework_whatif",
    "categorisation_framework_edit",
    "categorisation_framework_details",
    "categorisation_framework_parameters",
    "categorisation_framework_rows",
    "categorisation_framework_category_add",
    "categorisation_framework_category",
    "categorisation_framework_category_remove",
    "categorisation_framework_json",
    "categorisation_framework_export",
]


@pytest.mark.parametrize("name", OFFICER_PAGES)
@pytest.mark.parametrize("role", ["head", "governor", "board"])
def test_officer_pages_refuse_other_roles(world, login, run, rag, name, role):
    kwargs = {"run_uuid": run.uuid} if name == "categorisation_letters_zip" else {}
    if "framework" in name:
        kwargs = {"framework_slug": rag.framework.slug}
    if name in ("categorisation_framework_category", "categorisation_framework_category_remove"):
        kwargs["number"] = 1
    client = login(world.a.users[role])
    response = client.get(url(name, world, **kwargs))
    assert response.status_code == 403 and "Only an LA officer" in response.content.decode()
    if "framework" in name:
        before = FrameworkVersion.objects.filter(framework=rag.framework).count()
        assert client.post(url(name, world, **kwargs), {"name": "Hijacked", "reason": "x"}).status_code == 403
        assert FrameworkVersion.objects.filter(framework=rag.framework).count() == before


def test_moving_a_category_is_for_officers_only(world, login, rag):
    move = url("categorisation_framework_category_move", world, framework_slug=rag.framework.slug, number=1)
    response = login(world.a.users["head"]).post(move, {"direction": "down"})
    assert response.status_code == 403
    assert not FrameworkVersion.objects.filter(framework=rag.framework, status="draft").exists()


def test_edit_a_threshold_see_the_whatif_then_publish(world, login, officer, rag, data):
    client = login(officer)
    edited = copy.deepcopy(RAG)
    edited["categories"][1]["criteria"][1]["when"]["value"] = 50  # KS2 RWM below 50% (was 60%)
    edit_url = url("categorisation_framework_json", world, framework_slug="rag")
    bad = client.post(edit_url, {"definition": "{not json", "reason": "x"})
    assert "This is not valid JSON" in bad.content.decode()
    unknown = copy.deepcopy(edited)
    unknown["categories"][1]["criteria"][1]["when"]["fact"] = "ks2_rwm"
    wrong = client.post(edit_url, {"definition": json.dumps(unknown), "reason": "x"}).content.decode()
    assert "unknown fact &#x27;ks2_rwm&#x27;" in wrong
    response = client.post(edit_url, {"definition": json.dumps(edited), "reason": "Floor lowered to 50%."})
    whatif_url = url("categorisation_framework_whatif", world, framework_slug="rag")
    assert response.url == whatif_url
    html = client.get(whatif_url, {"academic_year": YEAR}).content.decode()
    assert "1 of 2 schools would change category from version 1; 1 would not" in html
    assert "Alpha Primary School" in html and "Alpha High School" not in html
    assert "KS2 RWM below 60% (ks2_rwm_expected_pct=55)" in html  # why it is AMBER now
    assert "Good or outstanding (ofsted_grade=2)" in html  # why it would be GREEN
    assert FrameworkVersion.objects.filter(framework=rag.framework, status="draft").exists()
    refused = client.post(whatif_url, {"reason": ""})
    assert "This field is required" in refused.content.decode()
    client.post(whatif_url, {"reason": "Floor lowered after consultation."})
    assert FrameworkVersion.objects.get(framework=rag.framework, number=2).definition == edited


def test_an_officer_starts_from_a_shipped_framework_in_the_browser(world, login):
    from categorisation.models import Framework, FrameworkVersion

    client = login(world.a.users["officer"])
    page = client.get(reverse("categorisation_run_list", args=[world.a.partnership.slug])).content.decode()
    assert 'value="calderdale"' in page and "Start from a shipped framework" in page
    response = client.post(
        reverse("categorisation_framework_clone", args=[world.a.partnership.slug]),
        {"source_slug": "calderdale"},
        follow=True,
    )
    assert "published as version 1" in response.content.decode()
    framework = Framework.objects.get(partnership=world.a.partnership, slug="calderdale")
    assert FrameworkVersion.objects.get(framework=framework).status == FrameworkVersion.Status.PUBLISHED
    again = client.post(
        reverse("categorisation_framework_clone", args=[world.a.partnership.slug]),
        {"source_slug": "nowhere"},
        follow=True,
    )
    assert "Choose one of the shipped frameworks" in again.content.decode()
    assert (
        login(world.a.users["head"])
        .post(reverse("categorisation_framework_clone", args=[world.a.partnership.slug]), {"source_slug": "oldham"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("role", ["board", "clusterlead", "clusterofficer", "partner"])
def test_other_members_are_taken_to_the_newest_run_or_told_there_is_none(world, login, rag, role):
    client = login(world.a.users[role])
    none_yet = client.get(url("categorisation_home", world), follow=True)
    assert none_yet.redirect_chain[-1][0] == url("partnership_home", world)
    assert "No categorisation has been run yet" in none_yet.content.decode()
    finished = Run.objects.create(
        partnership=world.a.partnership, framework_version=rag, academic_year=YEAR, status=Run.Status.DONE
    )
    Run.objects.create(partnership=world.a.partnership, framework_version=rag, academic_year=YEAR)  # queued
    assert client.get(url("categorisation_home", world)).url == url(
        "categorisation_run_detail", world, run_uuid=finished.uuid
    )
    # The navigation offers it to them.
    assert f'href="{url("categorisation_home", world)}"' in client.get(url("partnership_home", world)).content.decode()
