"""The demo's past: in each partnership its LA officer has categorised the year before the latest, moderated and
confirmed it (so its letters are written and Calderdale's RED schools are on the concern register), and has
run the latest year, whose provisional results wait for the schools' self-assessments.

Everything goes through the categorisation and register services with the officer as the actor, so the
audit trail says who did what. The tasks those services queue run here, in this process: each is called
directly after the service that queues it (they claim their work, so one that already ran does nothing).
"""

from contextlib import contextmanager
from datetime import date, timedelta

from celery import current_app
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from categorisation import confirmation, letters, runs
from categorisation.models import Framework, Result, Run
from categorisation.selectors import published_version, register_category_codes
from partnership.models import Partnership
from schools.models import Grade, Inspection
from sharing import services as sharing_services
from sharing.models import ConcernRegisterEntry

from .synthetic import YEARS

EARLIER, LATEST = YEARS[-2], YEARS[-1]
# a loaded demo whose self-assessments are due sooner than this has its due date moved on
SELF_ASSESSMENT_DAYS_LEFT = 14
User = get_user_model()


@contextmanager
def tasks_in_process():
    """Tasks queued meanwhile run here rather than on a worker, and the letters' emails go nowhere: the demo's
    addresses are invented (each letter still records who it was sent to, or that it is to be posted)."""
    conf = current_app.conf
    eager, propagates = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = eager, propagates


def _run_of(partnership: Partnership, year: str) -> Run | None:
    return (
        Run.objects.for_partnership(partnership)
        .filter(academic_year=year)
        .exclude(status=Run.Status.WITHDRAWN)
        .order_by("-created_at")
        .first()
    )


def _run(officer, partnership: Partnership, version, year: str) -> Run:
    """The year's run, started by the officer if there is none, and carried to its end."""
    run = _run_of(partnership, year) or runs.run_start(
        actor=officer, partnership=partnership, framework_version=version, academic_year=year
    )
    if run.status in (Run.Status.QUEUED, Run.Status.FAILED):
        if run.status == Run.Status.FAILED:
            runs.run_resume(actor=officer, run=run)
        runs.run_execute(run_id=run.pk)
        run.refresh_from_db()
    return run


def _decide_undecided(officer, run: Run) -> None:
    """The schools the data did not settle get the category the officer agreed with them: the middle one of the
    framework's list, neither its first nor its last (which would put a school on the register in Calderdale)."""
    codes = [c["code"] for c in run.framework_version.definition["categories"]]
    agreed = codes[len(codes) // 2]
    for result in Result.objects.filter(run=run, computed_category__isnull=True, status=Result.Status.PROVISIONAL):
        runs.result_moderate(
            actor=officer,
            result=result,
            note="Discussed at the autumn review meeting with the headteacher: the published data for the year was "
            "incomplete, so the category was agreed on the school's own evidence.",
            agreed_category=agreed,
            override_reason="Agreed on the school's evidence where the data could not settle the category.",
        )


def _register_codes(run: Run) -> frozenset[str]:
    return register_category_codes(run.partnership).get(run.framework_version_id, frozenset())


def _on_register_for_ofsted(officer, run: Run) -> None:
    """One school the run puts in a register category was already on the register for its Ofsted judgement
    (which is public): its confirmed category is then public too."""
    codes = _register_codes(run)
    if not codes or ConcernRegisterEntry.objects.for_partnership(run.partnership).filter(reason_kind="ofsted").exists():
        return
    year_end = date(int(run.academic_year[:4]) + 1, 8, 31)
    weakest = (
        Inspection.objects.for_partnership(run.partnership)
        .filter(
            school__in=Result.objects.filter(run=run, computed_category__in=codes).values("school"),
            inspection_date__lte=year_end,
            overall_grade__gte=Grade.REQUIRES_IMPROVEMENT,
        )
        .select_related("school")
        .order_by("-overall_grade", "school__name")
        .first()
    )
    if weakest is None:
        return
    sharing_services.register_add(
        actor=officer,
        school=weakest.school,
        reason_kind=ConcernRegisterEntry.ReasonKind.OFSTED,
        reason=f"Judged {weakest.get_overall_grade_display().lower()} by Ofsted on "
        f"{weakest.inspection_date:%-d %B %Y}.",
        added_on=min(weakest.inspection_date, timezone.localdate()),
    )


def _confirm(officer, run: Run) -> None:
    """The officer confirms, as on the confirm page after its preview; the confirmation's task then fixes the
    categories and puts the register's schools on it, and the letters are written and sent."""
    if not run.confirmed_at:
        if run.confirm_status in (Run.Confirming.NONE, Run.Confirming.FAILED):
            runs.results_confirm(actor=officer, run=run, note="Agreed at the partnership board's autumn meeting.")
        confirmation.results_confirm_execute(run_id=run.pk)
        run.refresh_from_db()
    if run.letters_status in (Run.Letters.QUEUED, Run.Letters.FAILED):
        if run.letters_status == Run.Letters.FAILED:
            letters.letters_retry(actor=officer, run=run, reason="The demo writes its letters again.")
        letters.letters_render(run_id=run.pk)
    letters.letters_send(run_id=run.pk)


def _warning_notice(officer, run: Run) -> None:
    """A formal warning notice issued to one school the confirmed run put on the register: its entry and its
    category stop being confidential. The other such schools' entries stay confidential."""
    entries = ConcernRegisterEntry.objects.for_partnership(run.partnership).filter(
        reason_kind=ConcernRegisterEntry.ReasonKind.CATEGORISATION, removed_on__isnull=True
    )
    if entries.count() < 2 or entries.filter(warning_notice_issued_on__isnull=False).exists():
        return
    entry = entries.select_related("school").order_by("school__name").first()
    sharing_services.register_notice_record(
        actor=officer,
        entry=entry,
        issued_on=max(entry.added_on, timezone.localdate() - timedelta(days=7)),
        reason=f"Warning notice under section 60 (standards of performance): reference "
        f"{run.partnership.slug[:3].upper()}-WN-{run.academic_year[:4]}-01.",
    )


def _due_ahead(officer, run: Run) -> None:
    """Self-assessments of the latest year due a few weeks ahead, however long ago the demo was loaded."""
    soon = timezone.localdate() + timedelta(days=SELF_ASSESSMENT_DAYS_LEFT)
    if not run.confirmed_at and run.self_assessment_due and run.self_assessment_due < soon:
        runs.run_set_due_date(actor=officer, run=run, self_assessment_due=soon + timedelta(days=7))
        run.refresh_from_db()


def load_history(partnership: Partnership, framework_slug: str) -> dict:
    """The earlier year confirmed with its letters, the latest year provisional. Adds only what is missing."""
    officer = User.objects.get(username=f"officer.{partnership.slug}")
    version = published_version(Framework.objects.for_partnership(partnership).get(slug=framework_slug))
    with tasks_in_process():
        earlier = _run_of(partnership, EARLIER)
        if earlier is None or not earlier.confirmed_at:
            earlier = _run(officer, partnership, version, EARLIER)
            _on_register_for_ofsted(officer, earlier)
            _decide_undecided(officer, earlier)
            _confirm(officer, earlier)
            _warning_notice(officer, earlier)
        latest = _run(officer, partnership, version, LATEST)
        _due_ahead(officer, latest)
    return {EARLIER: earlier, LATEST: latest}
