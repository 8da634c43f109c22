import json

from django.core.management.base import BaseCommand, CommandError

from partnership.actors import system_actor
from partnership.models import Partnership
from partnership.scoping import partnership_scope
from sharing.services import sharing_retention_apply

RETENTION = system_actor("sharing_retention command")


class Command(BaseCommand):
    help = "List (or with --apply, remove) the sharing records older than a partnership's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--apply", action="store_true", help="Remove them; without it, a dry run.")

    def handle(self, *args, partnership, apply, **options):
        tenant = Partnership.objects.filter(slug=partnership).first()
        if tenant is None:
            raise CommandError(f"No partnership {partnership!r}.")
        with partnership_scope(tenant):
            found = sharing_retention_apply(actor=RETENTION, partnership=tenant, dry_run=not apply)
            self.stdout.write(
                json.dumps({"dry_run": not apply, "removed" if apply else "would_remove": found}, indent=2)
            )
