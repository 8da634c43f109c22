"""Cluster plans (Calderdale A3) and their two reports: who writes them, the report due dates fixed when the
plan is made (the mid-year progress report by 31 March, the end-of-year impact report by 30 September after
the year), filing a report, and skipping one with a reason."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.actors import actor_roles, person
from partnership.audit import audit_record
from partnership.roles import CLUSTER_ROLES, Decision, Role, is_la

from .models import ClusterPlan, PlanReport
from .selectors import memberships_of

PRIORITY_FIELDS = {
    "priority": "the priority",
    "eef_reference": "the EEF evidence it draws on",
    "where_we_are": "where the cluster is now",
    "actions": "the actions",
    "leads": "who leads it",
    "monitoring": "how it is monitored",
}
OPTIONAL_FIELDS = ("funding", "outcomes_pupils", "outcomes_processes", "outcomes_staff", "costs")


def report_due_dates(academic_year: str) -> dict[str, date]:
    """2022-23: progress by 31 March 2023, impact by 30 September 2023."""
    end = int(academic_year[:4]) + 1
    return {PlanReport.Kind.PROGRESS: date(end, 3, 31), PlanReport.Kind.IMPACT: date(end, 9, 30)}


def can_write_plan(actor, cluster) -> Decision:
    roles = actor_roles(actor, cluster.partnership)
    if is_la(roles):
        return True, "LA officers write any cluster's plan."
    mine = memberships_of(actor, cluster.partnership)
    if any(m.role in CLUSTER_ROLES and m.cluster_id == cluster.pk for m in mine):
        return True, "The cluster's lead and officer write its plan."
    return False, f"Only {cluster.name}'s cluster lead or cluster officer, or an LA officer, writes its plan."


def can_read_plan(actor, cluster) -> Decision:
    roles = actor_roles(actor, cluster.partnership)
    if Role.BOARD in roles:
        return True, "Board members read every cluster's plan."
    return can_write_plan(actor, cluster)


def _clean_priorities(priorities) -> list[dict]:
    if not isinstance(priorities, list) or not priorities:
        raise ValidationError("Give the plan at least one priority.")
    problems, cleaned = [], []
    for number, given in enumerate(priorities, start=1):
        given = given if isinstance(given, dict) else {}
        for key, words in PRIORITY_FIELDS.items():
            if not str(given.get(key, "")).strip():
                problems.append(f"Priority {number}: say {words}.")
        outcomes = [str(given.get(k, "")).strip() for k in ("outcomes_pupils", "outcomes_processes", "outcomes_staff")]
        if not any(outcomes):
            problems.append(f"Priority {number}: say the outcomes sought, for pupils, processes or staff skills.")
        cleaned.append({key: str(given.get(key, "")).strip() for key in (*PRIORITY_FIELDS, *OPTIONAL_FIELDS)})
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def plan_create(*, actor, cluster, academic_year: str, priorities: list[dict]) -> ClusterPlan:
    allowed, why = can_write_plan(actor, cluster)
    if not allowed:
        raise PermissionDenied(why)
    plan = ClusterPlan(
        partnership=cluster.partnership,
        cluster=cluster,
        academic_year=academic_year,
        priorities=_clean_priorities(priorities),
        created_by=person(actor),
    )
    plan.full_clean()
    plan.save()
    PlanReport.objects.bulk_create(
        PlanReport(partnership=plan.partnership, plan=plan, kind=kind, due_on=due)
        for kind, due in report_due_dates(academic_year).items()
    )
    audit_record(
        actor=actor,
        partnership=plan.partnership,
        obj=plan,
        action="funding.plan.create",
        after={"cluster": cluster.name, "academic_year": academic_year, "priorities": len(plan.priorities)},
    )
    return plan


@transaction.atomic
def plan_report_file(*, actor, report: PlanReport, text: str) -> PlanReport:
    report = PlanReport.objects.select_for_update().select_related("plan__cluster").get(pk=report.pk)
    allowed, why = can_write_plan(actor, report.plan.cluster)
    if not allowed:
        raise PermissionDenied(why)
    if report.filed_at or report.skipped_reason:
        raise ValidationError(
            f"The {report.get_kind_display().lower()} is already {report.status(date.today()).lower()}."
        )
    if not text.strip():
        raise ValidationError("Write the report: what has been done and what it has changed.")
    report.text, report.filed_at, report.filed_by = text.strip(), timezone.now(), person(actor)
    report.save()
    audit_record(
        actor=actor,
        partnership=report.partnership,
        obj=report.plan,
        action="funding.plan.report",
        after={"report": report.get_kind_display()},
    )
    return report


@transaction.atomic
def plan_report_skip(*, actor, report: PlanReport, reason: str) -> PlanReport:
    """Only the LA lets a cluster skip a report, and says why."""
    report = PlanReport.objects.select_for_update().select_related("plan__cluster").get(pk=report.pk)
    if not is_la(actor_roles(actor, report.partnership)):
        raise PermissionDenied("Only an LA officer lets a cluster skip one of its plan's reports.")
    if report.filed_at or report.skipped_reason:
        raise ValidationError(
            f"The {report.get_kind_display().lower()} is already {report.status(date.today()).lower()}."
        )
    if not reason.strip():
        raise ValidationError("Say why the cluster need not file this report.")
    report.skipped_reason = reason.strip()
    report.save()
    audit_record(
        actor=actor,
        partnership=report.partnership,
        obj=report.plan,
        action="funding.plan.skip",
        after={"report": report.get_kind_display()},
        reason=reason,
    )
    return report
