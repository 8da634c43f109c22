from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from demo.data import DEMO_PASSWORD
from demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo partnerships and one account per role. Safe to run again."

    def handle(self, *args, **options):
        with scopes_disabled():  # the demo seeds several partnerships at once
            load_demo(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Every demo account, and admin, uses the password {DEMO_PASSWORD!r}.")
        )
