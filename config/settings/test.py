"""Test settings: the same environment rules as local, with fast hashing and no throttling surprises."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploads and letters go to a folder of their own, shared by the test run and the worker and web
# processes it starts, never into the checkout's media/.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "partnership-test-media"))
# On SQLite the test database is a file of this run's own, not the shared in-memory one: SQLite's
# shared cache refuses a second writer at once ("table is locked") instead of waiting, so tests that
# sign in from many threads at once would fail for a reason production never meets.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"partnership-test-{os.getpid()}.sqlite3")
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as in development: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Unit tests run tasks in process; the process tests (tests/processes) start real workers and beat
# and switch this off for themselves, and their subprocesses get CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
