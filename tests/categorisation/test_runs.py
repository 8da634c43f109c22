"""Runs: start, execute in bulk (bounded queries), idempotent and resumable, results with their reasons."""

import math
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from categorisation import runs
from categorisation.models import FrameworkVersion, Result, Run
from categorisation.services import framework_edit
from partnership.models import AuditEvent
from schools.models import Inspection, PerformanceResult, School

from .conftest import RAG, YEAR


def start(officer, version, django_capture_on_commit_callbacks, partnership=None):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(
            actor=officer, partnership=partnership or version.partnership, framework_version=version, academic_year=YEAR
        )
    run.refresh_from_db()
    return run


def test_a_run_categorises_every_school_with_its_reasons(world, officer, rag, data, django_capture_on_commit_callbacks):
    run = start(officer, rag, django_capture_on_commit_callbacks)
    assert (run.status, run.total, run.done_count, run.percent) == ("done", 2, 2, 100)
    primary = Result.objects.get(run=run, school=data.school)
    assert primary.computed_category == "AMBER"
    assert primary.status == "provisional"
    assert primary.framework_version == rag and primary.academic_year == YEAR
    assert primary.criteria_met == [
        {
            "category": "AMBER",
            "id": "rwm-low",
            "label": "KS2 RWM below 60%",
            "limiting": False,
            "values": {"ks2_rwm_expected_pct": 55},
        },
        {
            "category": "GREEN",
            "id": "good",
            "label": "Good or outstanding",
            "limiting": False,
            "values": {"ofsted_grade": 2},
        },
    ]
    assert any("KS2 RWM below 60%" in r and "ks2_rwm_expected_pct=55" in r for r in primary.reasons)
    assert primary.facts["ks2_rwm_expected_pct"] == 55 and primary.facts["urn"] == data.school.urn
    high = Result.objects.get(run=run, school=data.other_school)
    assert high.computed_category == "RED" and high.facts["consecutive_ri"] == 2
    assert not Result.objects.filter(school__partnership=world.b.partnership).exists()
    actions = set(
        AuditEvent.objects.filter(partnership=world.a.partnership, action__startswith="categorisation.").values_list(
            "action", flat=True
        )
    )
    assert actions == {"categorisation.run.start", "categorisation.run.done"}
    done = AuditEvent.objects.get(action="categorisation.run.done")
    assert done.after["categories"] == {"AMBER": 1, "RED": 1}


def test_calderdale_limiting_factor_decides_red(world, officer, calderdale, data, django_capture_on_commit_callbacks):
    run = start(officer, calderdale, django_capture_on_commit_callbacks)
    high = Result.objects.get(run=run, school=data.other_school)
    assert high.computed_category == "RED"
    assert any(
        c["id"] == "twice-ri" and c["limiting"] and c["values"] == {"consecutive_ri": 2} for c in high.criteria_met
    )
    primary = Result.objects.get(run=run, school=data.school)
    # Calderdale's officer judgements are not in the data: no silent default, the missing facts are named.
    assert primary.computed_category is None and "attainment_vs_national" in primary.missing


def test_running_the_task_again_does_nothing(officer, rag, data, django_capture_on_commit_callbacks):
    run = start(officer, rag, django_capture_on_commit_callbacks)
    assert runs.run_execute(run_id=run.pk) is None
    assert Result.objects.filter(run=run).count() == 2


def test_a_stopped_run_resumes_where_it_stopped_without_duplicates(officer, rag, data):
    run = Run.objects.create(
        partnership=rag.partnership,
        framework_version=rag,
        academic_year=YEAR,
        status=Run.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    # The first worker wrote one school's result, then died.
    Result.objects.create(
        partnership=rag.partnership,
        run=run,
        school=data.school,
        framework_version=rag,
        academic_year=YEAR,
        computed_category="AMBER",
        attempt=1,
        computed_at=timezone.now(),
        reasons=["written before the stop"],
    )
    runs.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.done_count, run.total) == ("done", 2, 2)
    assert Result.objects.filter(run=run).count() == 2
    assert Result.objects.get(run=run, school=data.school).reasons == ["written before the stop"]
    assert Result.objects.get(run=run, school=data.other_school).computed_category == "RED"


def test_a_running_run_with_a_live_worker_is_not_claimed_twice(officer, rag, data):
    run = Run.objects.create(
        partnership=rag.partnership,
        framework_version=rag,
        academic_year=YEAR,
        status=Run.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )
    assert runs.run_execute(run_id=run.pk) is None
    assert not Result.objects.filter(run=run).exists()


def test_a_failed_run_resumed_gives_the_same_results(
    officer, rag, data, django_capture_on_commit_callbacks, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(runs, "facts_for_partnership", boom)
    with pytest.raises(RuntimeError):
        start(officer, rag, django_capture_on_commit_callbacks)
    run = Run.objects.get()
    assert run.status == "failed" and "database went away" in run.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_resume(actor=officer, run=run)
    run.refresh_from_db()
    assert run.status == "done"
    first = dict(Result.objects.filter(run=run).values_list("school_id", "computed_category"))
    # Run it once more from scratch (a new attempt of the same run): same version, same data, same results.
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, attempt=2)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_resume(actor=officer, run=run)
    assert dict(Result.objects.filter(run=run).values_list("school_id", "computed_category")) == first
    assert Result.objects.filter(run=run).count() == 2
    assert set(Result.objects.filter(run=run).values_list("attempt", flat=True)) == {2}


def test_resume_refuses_a_done_run(officer, rag, data, django_capture_on_commit_callbacks):
    run = start(officer, rag, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Only a failed run"):
        runs.run_resume(actor=officer, run=run)


@pytest.mark.parametrize("role", ["head", "board", "governor", "clusterlead", "partner"])
def test_only_officers_start_runs(world, rag, role):
    with pytest.raises(PermissionDenied, match="Only an LA officer"):
        runs.run_start(
            actor=world.a.users[role], partnership=world.a.partnership, framework_version=rag, academic_year=YEAR
        )
    assert not Run.objects.exists()


def test_a_draft_or_another_partnerships_version_is_refused(world, officer, rag):
    draft = framework_edit(actor=officer, framework=rag.framework, definition=RAG)
    with pytest.raises(ValidationError, match="Only a published version"):
        runs.run_start(actor=officer, partnership=world.a.partnership, framework_version=draft, academic_year=YEAR)
    with pytest.raises(PermissionDenied):
        runs.run_start(actor=officer, partnership=world.b.partnership, framework_version=rag, academic_year=YEAR)
    with pytest.raises(ValidationError, match="another partnership"):
        runs.run_start(
            actor=world.b.users["officer"], partnership=world.b.partnership, framework_version=rag, academic_year=YEAR
        )
    with pytest.raises(ValidationError, match="academic year"):
        runs.run_start(actor=officer, partnership=world.a.partnership, framework_version=rag, academic_year="2022")
    assert not Run.objects.exists()


def test_a_thousand_schools_in_a_bounded_number_of_queries(world, officer, rag, django_assert_max_num_queries):
    p = world.a.partnership
    School.objects.bulk_create(
        [School(partnership=p, urn=f"5{i:05d}", name=f"School {i}", la_code="901") for i in range(1000)]
    )
    schools = list(School.objects.filter(partnership=p))
    Inspection.objects.bulk_create(
        [
            Inspection(partnership=p, school=s, inspection_date=f"2020-0{1 + i % 9}-01", overall_grade=1 + i % 4)
            for i, s in enumerate(schools)
        ]
    )
    PerformanceResult.objects.bulk_create(
        [
            PerformanceResult(partnership=p, school=s, academic_year=y, ks2_rwm_expected_pct=40 + (i % 50))
            for i, s in enumerate(schools)
            for y in ("2020-21", "2021-22", "2022-23")
        ]
    )
    run = Run.objects.create(partnership=p, framework_version=rag, academic_year=YEAR, started_by=officer)
    # 40, whatever the number of schools, plus per batch of BATCH_SIZE: on PostgreSQL three more statements
    # (the temporary table made, emptied and filled by COPY before the upsert from it), and on SQLite,
    # which allows only 999 parameters a statement, the extra INSERTs Django splits each upsert into.
    per_insert = connection.ops.bulk_batch_size(
        [f for f in Result._meta.concrete_fields if not f.primary_key], [None] * runs.BATCH_SIZE
    )
    if connection.vendor == "postgresql":
        extra = 3 * math.ceil(1002 / runs.BATCH_SIZE)
    else:
        extra = sum(math.ceil(min(runs.BATCH_SIZE, 1002 - i) / per_insert) - 1 for i in range(0, 1002, runs.BATCH_SIZE))
    with django_assert_max_num_queries(40 + extra):
        runs.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.total, run.done_count) == ("done", 1002, 1002)
    assert Result.objects.filter(run=run).count() == 1002
    counts = dict(
        Result.objects.filter(run=run, computed_category__isnull=False)
        .values_list("computed_category")
        .annotate(n=Count("id"))
    )
    assert counts["RED"] >= 250 and counts["AMBER"] >= 250 and counts["GREEN"] > 0
    assert FrameworkVersion.objects.get(pk=rag.pk).status == "published"


def test_a_new_attempt_recomputes_a_result_but_keeps_its_moderation(
    officer, rag, data, django_capture_on_commit_callbacks
):
    """The batch upsert (COPY on PostgreSQL, bulk_create elsewhere) replaces what a run computes and
    nothing else: an agreed category and its reason survive a re-run of the same run."""
    run = start(officer, rag, django_capture_on_commit_callbacks)
    result = Result.objects.get(run=run, school=data.school)
    computed = (result.computed_category, result.reasons, result.facts, result.criteria_met)
    Result.objects.filter(pk=result.pk).update(
        final_category="GREEN",
        override_reason="Agreed at the meeting.",
        status=Result.Status.AGREED,
        computed_category="stale",
        reasons=["stale"],
        facts={},
    )
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, attempt=2)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_resume(actor=officer, run=run)
    again = Result.objects.get(pk=result.pk)
    assert (again.computed_category, again.reasons, again.facts, again.criteria_met) == computed
    assert (again.final_category, again.override_reason, again.status, again.attempt) == (
        "GREEN",
        "Agreed at the meeting.",
        "agreed",
        2,
    )
    # The other school, not moderated, is recomputed whole, its status too.
    assert Result.objects.get(run=run, school=data.other_school).status == "provisional"
    assert again.uuid == result.uuid and Result.objects.filter(run=run).count() == 2


def test_moderation_waits_for_the_run_to_finish(officer, rag, data):
    run = Run.objects.create(
        partnership=rag.partnership,
        framework_version=rag,
        academic_year=YEAR,
        status=Run.Status.RUNNING,
        heartbeat_at=timezone.now(),
    )
    result = Result.objects.create(
        partnership=rag.partnership,
        run=run,
        school=data.school,
        framework_version=rag,
        academic_year=YEAR,
        computed_category="AMBER",
        computed_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="has not finished"):
        runs.result_moderate(actor=officer, result=result, note="Discussed.", agreed_category="AMBER")
    assert Result.objects.get(pk=result.pk).status == "provisional"


def test_a_first_write_that_meets_a_stored_result_starts_again_from_what_is_stored(officer, rag, data):
    """A run's first attempt writes its results straight in (COPY on PostgreSQL); if another worker stored
    one meanwhile (it took the run over), the run starts again from what is stored, as a resumed run does:
    what the other worker wrote is kept, the rest is written, no duplicate, no failure."""
    run = Run.objects.create(partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    stored = Result.objects.create(
        partnership=rag.partnership,
        run=run,
        school=data.school,
        framework_version=rag,
        academic_year=YEAR,
        computed_category="AMBER",
        reasons=["the other worker's"],
        computed_at=timezone.now(),
    )
    runs.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.total, run.done_count) == ("done", 2, 2)
    assert Result.objects.filter(run=run).count() == 2
    kept = Result.objects.get(pk=stored.pk)
    assert (kept.computed_category, kept.reasons, kept.uuid) == ("AMBER", ["the other worker's"], stored.uuid)
    other = Result.objects.get(run=run, school=data.other_school)
    assert other.computed_category == "RED" and other.final_category == "" and other.reasons
    done = AuditEvent.objects.get(action="categorisation.run.done", object_id=str(run.pk))
    assert done.after["categories"] == {"AMBER": 1, "RED": 1}
