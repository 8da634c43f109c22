import json

from django.core.management.base import BaseCommand, CommandError

from partnership.models import Partnership
from partnership.scoping import partnership_scope
from schools.models import School
from sharing.rules import who_can_see

# What the command prints of each person: the contract scripts read.
PRINTED = ("username", "access", "because")


class Command(BaseCommand):
    help = "Print, as JSON, everyone who can see a school and the sharing rule that lets them."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--urn", required=True, help="The school's URN.")

    def handle(self, *args, partnership, urn, **options):
        tenant = Partnership.objects.filter(slug=partnership).first()
        if tenant is None:
            raise CommandError(f"No partnership {partnership!r}.")
        with partnership_scope(tenant):
            school = School.objects.for_partnership(tenant).filter(urn=urn).first()
            if school is None:
                raise CommandError(f"No school with URN {urn} in {tenant.name}.")
            rows = [{key: row[key] for key in PRINTED} for row in who_can_see(tenant, school)]
            self.stdout.write(json.dumps(rows, indent=2))
