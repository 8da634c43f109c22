"""Cluster plans (A3): written by the cluster's own roles or the LA, their two reports due on dates fixed
when the plan is made and shown as due or overdue, a skip that needs the LA and a reason, and the plan as a
PDF in the form's sections."""

import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding import plans
from funding.models import PlanReport
from partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

PRIORITY = {
    "priority": "Early reading",
    "eef_reference": "EEF Improving literacy in KS1",
    "funding": "Cluster allocation 2022/23",
    "where_we_are": "Phonics screening 68% against 79% nationally.",
    "outcomes_pupils": "Screening at 80%.",
    "outcomes_staff": "Every KS1 teacher trained.",
    "actions": "Training by the cluster's phonics lead.",
    "leads": "Cluster phonics lead",
    "monitoring": "Half-termly data drops.",
    "costs": "£4,000",
}


def write(world, role="clusterofficer"):
    return plans.plan_create(
        actor=world.a.users[role], cluster=world.a.cluster, academic_year="2022-23", priorities=[PRIORITY]
    )


def test_the_reports_are_due_on_dates_fixed_when_the_plan_is_made(world):
    plan = write(world)
    due = dict(plan.reports.values_list("kind", "due_on"))
    assert due == {"progress": date(2023, 3, 31), "impact": date(2023, 9, 30)}
    progress = plan.reports.get(kind="progress")
    assert progress.status(date(2023, 3, 31)) == "Due" and progress.status(date(2023, 4, 1)) == "Overdue"
    assert AuditEvent.objects.filter(action="funding.plan.create").count() == 1


def test_who_writes_a_plan(world):
    assert write(world, "officer").cluster == world.a.cluster
    PlanReport.objects.all().delete()
    for role in ("head", "board", "governor", "partner"):
        with pytest.raises(PermissionDenied, match="cluster lead or cluster officer, or an LA officer"):
            plans.plan_create(
                actor=world.a.users[role], cluster=world.a.cluster, academic_year="2023-24", priorities=[PRIORITY]
            )


def test_a_plan_needs_each_priority_said(world):
    with pytest.raises(ValidationError) as refused:
        plans.plan_create(
            actor=world.a.users["clusterlead"],
            cluster=world.a.cluster,
            academic_year="2022-23",
            priorities=[{"priority": "Reading"}],
        )
    assert "Priority 1: say the EEF evidence it draws on." in refused.value.messages
    assert "Priority 1: say the outcomes sought, for pupils, processes or staff skills." in refused.value.messages


def test_filing_and_skipping_a_report(world):
    plan = write(world)
    progress, impact = plan.reports.get(kind="progress"), plan.reports.get(kind="impact")
    with pytest.raises(ValidationError, match="Write the report"):
        plans.plan_report_file(actor=world.a.users["clusterofficer"], report=progress, text=" ")
    plans.plan_report_file(actor=world.a.users["clusterofficer"], report=progress, text="Training done.")
    with pytest.raises(ValidationError, match="already filed"):
        plans.plan_report_file(actor=world.a.users["clusterlead"], report=progress, text="Again")
    with pytest.raises(PermissionDenied, match="Only an LA officer lets a cluster skip"):
        plans.plan_report_skip(actor=world.a.users["clusterlead"], report=impact, reason="x")
    with pytest.raises(ValidationError, match="Say why"):
        plans.plan_report_skip(actor=world.a.users["officer"], report=impact, reason="")
    skipped = plans.plan_report_skip(actor=world.a.users["officer"], report=impact, reason="The cluster merged.")
    assert skipped.status(date(2024, 1, 1)) == "Skipped"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
def test_the_plan_prints_as_its_a3_for_the_cluster_the_board_and_the_la(world, login, tmp_path):
    plan = write(world)
    plans.plan_report_file(
        actor=world.a.users["clusterofficer"],
        report=plan.reports.get(kind="progress"),
        text="Training done in every school.",
    )
    url = f"/p/{world.a.partnership.slug}/funding/plans/{plan.uuid}/a3.pdf"
    answer = login(world.a.users["clusterofficer"]).get(url)
    assert answer.status_code == 200
    (tmp_path / "a3.pdf").write_bytes(answer.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "a3.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for words in (
        "Cluster plan (A3)",
        "1. Priorities",
        "2. Reports",
        "Early reading",
        "Improving literacy",
        "31 March 2023",
        "30 September 2023",
        "Training done in every school.",
    ):
        assert words in text, words
    for role, status in (("board", 200), ("officer", 200), ("clusterlead", 200), ("head", 404), ("partner", 404)):
        assert login(world.a.users[role]).get(url).status_code == status, role
