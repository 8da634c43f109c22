"""Celery application.

With no CELERY_BROKER_URL the settings turn on ``task_always_eager`` and tasks run in the
process that queues them; with a broker URL they go to real workers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("partnership")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
