from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnership.actors import system_actor
from partnership.services import partnership_create


class Command(BaseCommand):
    help = "Create a partnership (a tenant) for one or more local authorities."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The partnership's address: /p/<slug>/")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--la-code",
            action="append",
            required=True,
            dest="la_codes",
            help="A three-digit DfE LA code; repeat for several.",
        )
        parser.add_argument("--academic-year", default="2022-23", help="The current academic year, e.g. 2022-23.")

    def handle(self, *args, slug, name, la_codes, academic_year, **options):
        try:
            partnership = partnership_create(
                actor=system_actor("partnership_create command"),
                slug=slug,
                name=name,
                la_codes=la_codes,
                current_academic_year=academic_year,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {partnership.name} at /p/{partnership.slug}/ (LA {', '.join(partnership.la_codes)})."
            )
        )
