"""The web, worker and beat processes of docker-compose.yml, started by hand as in production."""

import socket
import urllib.request

import pytest
from django.utils import timezone

from partnership.models import Invitation
from partnership.services import membership_add, membership_invite

from .conftest import BIN, needs_services, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def celery(*args):
    return [str(BIN / "celery"), "-A", "config", *args]


def test_worker_sends_an_invitation_queued_through_redis(world, start, queue):
    needs_services()
    worker = start("worker", celery("worker", "--loglevel", "INFO", "--concurrency", "1", "-Q", queue))
    worker.wait_for("ready", timeout=60)
    invitation = membership_invite(
        actor=world.a.users["officer"], partnership=world.a.partnership, email="queued@example.org", role="board"
    )
    sent = wait_until(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists())
    assert sent, "the worker did not send the invitation:\n" + worker.output()[-3000:]
    assert "partnership.tasks.invitation_send" in worker.output()


def test_beat_schedules_the_sweep_and_a_worker_runs_it(world, start, queue):
    needs_services()
    env = {"INVITATION_SWEEP_SECONDS": "1", "CELERY_TASK_DEFAULT_QUEUE": queue}
    # An invitation whose email never got queued, made two minutes ago.
    membership = membership_add(
        actor=None, partnership=world.a.partnership, user=world.a.users["board"], role="partner", reason="Beat test."
    )
    invitation = Invitation.objects.create(
        partnership=world.a.partnership, membership=membership, email="stuck@example.org"
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=2))
    worker = start("worker", celery("worker", "--loglevel", "INFO", "--concurrency", "1", "-Q", queue))
    worker.wait_for("ready", timeout=60)
    beat = start("beat", celery("beat", "--loglevel", "INFO", "--schedule", str(worker.log_path) + ".schedule"), **env)
    beat.wait_for("beat: Starting", timeout=30)
    sent = wait_until(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists())
    assert sent, "beat + worker did not sweep the invitation:\n" + beat.output()[-2000:] + worker.output()[-2000:]
    assert "invitations_send_unsent" in beat.output()


def test_gunicorn_serves_the_login_page(world, start):
    needs_services()
    port = free_port()
    web = start(
        "web",
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        DJANGO_SETTINGS_MODULE="config.settings.test",
    )
    web.wait_for("Booting worker", timeout=30)
    ok = wait_until(lambda: _get(f"http://127.0.0.1:{port}/healthz"), timeout=20)
    assert ok == (200, "ok")
    status, body = _get(f"http://127.0.0.1:{port}/accounts/login/")
    assert status == 200 and "Sign in" in body


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except OSError:
        return None
