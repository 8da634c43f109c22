"""/healthz: is this process able to serve? It checks the database and the Celery broker.

Answers 200 with one line per check when both answer, 503 naming the one that did not otherwise.
With no broker configured (the embedded default) tasks run in process, and the broker line says so.
Plain text, no tenant data: load balancers and docker-compose call it without signing in.
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def _database() -> str | None:
    """None when the database answers, else why not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"
        logger.warning("Health check: the database did not answer: %s", error)
        return "the database did not answer"
    return None


def _broker() -> tuple[str | None, str]:
    """(None, how) when tasks can be queued, else (why not, how)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None, "in process (no broker configured)"
    from config.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # kombu raises its own and the transport's errors
        logger.warning("Health check: the Celery broker did not answer: %s", error)
        return "the Celery broker did not answer", "broker"
    return None, "broker"


@never_cache
def healthz(request):
    database = _database()
    broker, how = _broker()
    problems = [p for p in (database, broker) if p]
    lines = [
        "ok" if not problems else "unavailable: " + "; ".join(problems),
        f"database: {'down' if database else 'ok'}",
        f"tasks: {'down' if broker else 'ok'}, {how}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain", status=503 if problems else 200)
