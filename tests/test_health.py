"""/healthz checks the database and the broker; the process tests (tests/processes) stop each for real."""

import socket

import pytest


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_healthz_says_tasks_run_in_process_with_no_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == "ok\ndatabase: ok\ntasks: ok, in process (no broker configured)\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_does_not_answer(client, settings, monkeypatch):
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    dead = f"redis://127.0.0.1:{_dead_port()}/0"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration: point both at nothing.
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    monkeypatch.setattr(app.conf, "broker_url", dead)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().splitlines() == [
        "unavailable: the Celery broker did not answer",
        "database: ok",
        "tasks: down, broker",
    ]
