"""Settings come from the environment: the embedded default, and production's refusals."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTING_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL]))"
)


def test_with_nothing_set_it_runs_on_sqlite_with_tasks_in_process():
    result = run(["-c", PRINT_SETTINGS], DJANGO_SETTINGS_MODULE="config.settings.local")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.db.backends.sqlite3", True, "memory://"]


def test_with_urls_set_it_runs_on_postgresql_and_a_real_broker():
    result = run(
        ["-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres://u:p@db.invalid:5432/x",
        CELERY_BROKER_URL="redis://broker.invalid:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.db.backends.postgresql", False, "redis://broker.invalid:6379/0"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="sqlite:////tmp/unused.db",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_production_passes_the_deploy_check_with_no_warnings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="partnership.example.org",
        DATABASE_URL="sqlite:////tmp/unused.db",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_installs_no_demo_and_no_demo_command():
    production = dict(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="partnership.example.org",
        DATABASE_URL="sqlite:////tmp/unused.db",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    apps = run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.INSTALLED_APPS)"],
        **production,
    )
    assert apps.returncode == 0, apps.stderr
    assert "'demo'" not in apps.stdout and "'dashboards'" in apps.stdout
    load = run(["manage.py", "load_demo"], **production)
    assert load.returncode != 0
    assert "Unknown command: 'load_demo'" in load.stderr
    # The development settings still have it, so the quick start works.
    local = run(["manage.py", "help", "load_demo"], DJANGO_SETTINGS_MODULE="config.settings.local")
    assert local.returncode == 0, local.stderr
