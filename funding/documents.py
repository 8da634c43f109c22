"""The paper forms as PDF (WeasyPrint): a bid as Calderdale's A1, its funding impact report as A2 and a
cluster plan as A3, each with its sections in the form's order."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from partnership.models import AuditEvent

from . import money
from .models import Bid
from .services import PROVIDER_CHOICES
from .workflow import BY_ACTION, DECISIONS, STATES


def _decision(bid: Bid) -> dict | None:
    event = (
        AuditEvent.objects.filter(
            partnership=bid.partnership,
            object_type="funding.bid",
            object_id=str(bid.pk),
            action__in=[f"funding.bid.{a}" for a in DECISIONS],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return None
    return {"label": BY_ACTION[event.action.rsplit(".", 1)[1]].label, "reason": event.reason}


def bid_pdf(bid: Bid, *, priority: bool = False) -> bytes:
    from weasyprint import HTML

    lines = list(bid.lines.order_by("id"))
    approved = [line.approved for line in lines if line.approved is not None]
    kinds = dict(PROVIDER_CHOICES)
    author = bid.author.get_full_name() or bid.author.username
    html = render_to_string(
        "reports/funding_a1.html",
        {
            "bid": bid,
            "state": STATES[bid.state],
            "group": list(bid.schools.order_by("name")),
            "author": author,
            "lines": lines,
            "requested": sum((line.requested for line in lines), 0),
            "paid_by_school": sum((line.paid_by_school for line in lines), 0),
            "approved": sum(approved, 0) if approved else None,
            "providers": [
                {"kind": kinds.get(p.get("kind"), p.get("kind")), "name": p.get("name", "")}
                for p in bid.providers
                if isinstance(p, dict)
            ],
            "decision": _decision(bid),
            "priority": priority,
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


def bid_filename(bid: Bid) -> str:
    return f"bid-a1-{bid.fund.academic_year}-{slugify(bid.title)[:60] or bid.uuid}.pdf"


def _difference(planned, actual) -> str:
    """Under- or overspend in words a treasurer reads: −£40.00, +£15.00 or £0.00."""
    gap = Decimal(actual) - Decimal(planned)
    sign = "+" if gap > 0 else "−" if gap < 0 else ""
    return f"{sign}£{abs(gap):,.2f}"


def impact_pdf(bid: Bid) -> bytes:
    """The bid's funding impact report (A2); the bid must have one."""
    from weasyprint import HTML

    report = bid.impact_reports.select_related("filed_by").get()
    strategies = [{**s, "difference": _difference(s["planned"], s["actual"])} for s in report.strategies]
    planned = sum((Decimal(s["planned"]) for s in report.strategies), Decimal("0"))
    actual = report.spent
    filed_by = report.filed_by.get_full_name() or report.filed_by.username if report.filed_by else "the service"
    html = render_to_string(
        "reports/funding_a2.html",
        {
            "bid": bid,
            "report": report,
            "strategies": strategies,
            "planned": planned,
            "actual": actual,
            "difference": _difference(planned, actual),
            "approved": money.bid_approved_total(bid),
            "filed_by": filed_by,
            "state": STATES[bid.state].lower(),
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


def plan_pdf(plan) -> bytes:
    """A cluster plan as its A3 form: the priorities, then the two reports with their due dates and status."""
    from weasyprint import HTML

    today = timezone.localdate()
    reports = [{"report": r, "status": r.status(today)} for r in plan.reports.order_by("due_on")]
    html = render_to_string("reports/funding_a3.html", {"plan": plan, "reports": reports, "today": today})
    return HTML(string=html).write_pdf()
