from django.core.management.base import BaseCommand, CommandError

from partnership.models import Partnership
from partnership.scoping import partnership_scope
from sharing.services import sharing_recompute


class Command(BaseCommand):
    help = "Recompute a partnership's data-sharing grants in full from the sharing rules (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="The partnership's slug; every partnership if left out.")

    def handle(self, *args, partnership=None, **options):
        partnerships = Partnership.objects.all()
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
            if not partnerships.exists():
                raise CommandError(f"No partnership {partnership!r}.")
        for tenant in partnerships:
            with partnership_scope(tenant):
                result = sharing_recompute(partnership=tenant)
            self.stdout.write(
                f"{tenant.slug}: {result['added']} grants added, {result['removed']} removed, {result['kept']} kept."
            )
