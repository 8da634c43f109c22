"""Benchmarks on the configured database, printed as JSON. Not a test: figures, each beside a baseline
measured in the same run.

- national: categorise every school of every synthetic partnership (generate_england) with results
  stored, through the real run service (the Celery task's code); baseline: the same facts read and the
  same number of result rows written with the same bulk write (COPY on PostgreSQL), no rules evaluated.
  Measured on one process, and on --workers processes sharing the partnerships' runs as Celery workers
  of that concurrency would (PostgreSQL only: SQLite takes one writer at a time).
- letters: seconds per categorisation letter PDF (WeasyPrint).
- school list: the school list page's latency and query count for the largest synthetic partnership,
  on a database holding the whole country; baseline: a bare Django view returning the same rows.
"""

import json
import multiprocessing
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, reset_queries, transaction
from django.http import JsonResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from categorisation.engine import Categoriser
from categorisation.facts_source import facts_for_partnership
from categorisation.letters import letter_pdf
from categorisation.models import Framework, FrameworkVersion, Result, Run
from categorisation.runs import BATCH_SIZE, result_row, run_execute
from categorisation.runs import _store as store_results
from categorisation.services import framework_clone
from demo.synthetic import SYNTHETIC_PREFIX
from partnership.models import Partnership
from partnership.scoping import scope_of
from schools.models import School
from schools.selectors import school_browse

YEAR = "2018-19"
FRAMEWORK = "milton-keynes"


def _admin():
    user, _ = get_user_model().objects.get_or_create(
        username="bench.admin", defaults={"is_superuser": True, "is_staff": True, "email": "bench@demo.invalid"}
    )
    return user


def _version(actor, partnership) -> FrameworkVersion:
    framework = Framework.objects.for_partnership(partnership).filter(slug=FRAMEWORK).first()
    if framework is None:
        framework = framework_clone(actor=actor, partnership=partnership, source_slug=FRAMEWORK)
    return FrameworkVersion.objects.filter(framework=framework, status=FrameworkVersion.Status.PUBLISHED).latest(
        "number"
    )


def _new_run(partnership, version) -> Run:
    # Created directly rather than through run_start, so that no Celery task is queued: the run is
    # executed below, in this process, and timed.
    return Run.objects.create(partnership=partnership, framework_version=version, academic_year=YEAR)


def _categorise(run_id: int) -> int:
    """Execute one run as the Celery task would; the number of queries it made."""
    reset_queries()  # the log of earlier runs: only this run's queries are counted, and the log stays small
    with CaptureQueriesContext(connection) as captured:
        run_execute(run_id=run_id)
    return len(captured.captured_queries)


def _bulk_baseline(run_id: int) -> int:
    """The same facts read and the same number of result rows written with the run's own bulk write (COPY
    on PostgreSQL, multi-row INSERT elsewhere), no rules: what is left is the cost of the rules."""
    run = Run.objects.select_related("partnership").get(pk=run_id)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        facts = facts_for_partnership(run.partnership, YEAR)
        now = timezone.now()
        rows = [result_row(run, school_id, values, now) for school_id, values in facts.items()]
        for start in range(0, len(rows), BATCH_SIZE):
            with transaction.atomic():
                store_results(rows[start : start + BATCH_SIZE], fresh=True)
    return len(captured.captured_queries)


def _worker_start() -> None:
    # A forked worker must not share the parent's database connection: it opens its own.
    connections.close_all()


def _in_run_scope(work, run_id: int):
    """Each run is measured within its partnership's scope, as its Celery task works."""
    with scope_of(Run, pk=run_id):
        return work(run_id)


def _timed(work, run_ids: list[int], workers: int) -> tuple[float, list[int]]:
    """Seconds to do ``work`` for every run, on ``workers`` processes (as Celery workers with that
    concurrency would), and each run's query count."""
    started = time.perf_counter()
    if workers == 1:
        queries = [_in_run_scope(work, run_id) for run_id in run_ids]
    else:
        connections.close_all()
        with ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
        ) as pool:
            queries = list(pool.map(partial(_in_run_scope, work), run_ids, chunksize=4))
    return time.perf_counter() - started, queries


def bench_national(partnerships, actor, workers: int = 1, repeats: int = 1) -> dict:
    """The national run and its baseline, each measured ``repeats`` times in turn (this machine's speed
    drifts: the median is the figure, and every measurement is given)."""
    versions = {p.pk: _version(actor, p) for p in partnerships}

    def fresh_runs() -> list[int]:
        Run.objects.filter(partnership__in=partnerships).delete()
        runs = [_new_run(p, versions[p.pk]).pk for p in partnerships]
        if connection.vendor == "postgresql":
            # The rows just deleted are vacuumed away first, so that no measurement pays for an
            # earlier one's dead rows (or has autovacuum start in the middle of it).
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Result._meta.db_table}, {Run._meta.db_table}")
        return runs

    rules, baseline, queries = [], [], []
    for _ in range(repeats):
        # Each measurement starts cold: no decisions kept from an earlier run in this process (a long-lived
        # Celery worker keeps them from one run to the next, which only makes later runs faster).
        Categoriser.forget_shared()
        seconds, queries = _timed(_categorise, fresh_runs(), workers)
        rules.append(seconds)
        stored = Result.objects.filter(run__partnership__in=partnerships).count()
        seconds, _ = _timed(_bulk_baseline, fresh_runs(), workers)
        baseline.append(seconds)
    rules_seconds, baseline_seconds = statistics.median(rules), statistics.median(baseline)
    return {
        "partnerships": len(partnerships),
        "worker_processes": workers,
        "schools_categorised_and_stored": stored,
        "seconds": round(rules_seconds, 2),
        "baseline_bulk_sql_seconds": round(baseline_seconds, 2),
        "ratio_to_baseline": round(rules_seconds / baseline_seconds, 2) if baseline_seconds else None,
        "seconds_each": [round(s, 2) for s in rules],
        "baseline_each": [round(s, 2) for s in baseline],
        "queries_per_partnership_max": max(queries),
        "queries_per_partnership_median": statistics.median(queries),
    }


def bench_letters(partnerships, actor, count: int) -> dict:
    partnership = partnerships[0]
    run = _new_run(partnership, _version(actor, partnership))
    run_execute(run_id=run.pk)
    results = list(Result.objects.filter(run=run).select_related("school", "partnership", "framework_version")[:count])
    started = time.perf_counter()
    sizes = [len(letter_pdf(result)) for result in results]
    seconds = time.perf_counter() - started
    return {
        "letters": len(results),
        "seconds_per_letter": round(seconds / len(results), 3),
        "average_bytes": int(sum(sizes) / len(sizes)),
    }


def bench_school_list(partnership, actor, repeats: int) -> dict:
    client = Client()
    client.force_login(actor)
    url = reverse("school_list", args=[partnership.slug]) + "?sort=name"
    client.get(url)  # warm up
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    page_queries = len(captured.captured_queries)

    def bare_view(request):
        fields = ("urn", "name", "phase", "school_type", "pupils")
        rows = list(school_browse(partnership, sort="name").values(*fields)[:50])
        return JsonResponse({"schools": rows})

    request = RequestFactory().get(url)
    bare = []
    for _ in range(repeats):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            bare_view(request)
        bare.append(time.perf_counter() - started)
    return {
        "partnership_schools": School.objects.for_partnership(partnership).count(),
        "schools_in_database": School.objects.count(),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "queries": page_queries,
        "baseline_bare_view_median_ms": round(statistics.median(bare) * 1000, 1),
        "baseline_queries": len(captured.captured_queries),
    }


class Command(BaseCommand):
    help = "Print benchmark figures as JSON, each beside its baseline. Run generate_england first."

    def add_arguments(self, parser):
        parser.add_argument("--letters", type=int, default=20)
        parser.add_argument("--repeats", type=int, default=20)
        parser.add_argument(
            "--national-repeats",
            type=int,
            default=3,
            help="Times the national run and its baseline are each measured (the median is the figure).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes the national run is shared among, as Celery workers would share "
            "the partnerships' runs (default: one per core). It is also measured on one.",
        )

    def handle(self, *args, **options):
        with scopes_disabled():  # the bench sets up and reads every synthetic partnership at once
            return self._handle(**options)

    def _handle(self, *, letters, repeats, workers, national_repeats, **options):
        partnerships = list(Partnership.objects.filter(slug__startswith=SYNTHETIC_PREFIX).order_by("slug"))
        if not partnerships:
            raise CommandError("No synthetic partnerships: run `python manage.py generate_england` first.")
        actor = _admin()
        if connection.vendor == "sqlite":
            workers = 1
        figures = {
            "database": connection.vendor,
            "machine": {"python": platform.python_version(), "processor": platform.machine(), "cores": os.cpu_count()},
            "national_categorisation_one_process": bench_national(partnerships, actor, 1, national_repeats),
            "letters": bench_letters(partnerships, actor, letters),
        }
        if workers > 1:
            figures["national_categorisation"] = bench_national(partnerships, actor, workers, national_repeats)
        largest = max(partnerships, key=lambda p: School.objects.for_partnership(p).count())
        figures["school_list_page"] = bench_school_list(largest, actor, repeats)
        self.stdout.write(json.dumps(figures, indent=2))
