"""python manage.py school_facts --partnership <slug> --urn <urn> --year 2018-19: the facts, as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from categorisation.facts import school_fact_context, school_facts
from partnership.models import Partnership, validate_academic_year
from partnership.scoping import partnership_scope
from schools.models import School


class Command(BaseCommand):
    help = "Print, as JSON, the facts categorisation uses for a school and year (null where missing or suppressed)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--urn", required=True)
        parser.add_argument("--year", required=True, help="The academic year, e.g. 2018-19.")
        parser.add_argument(
            "--context",
            action="store_true",
            help="Print {facts, context}: the context adds the inspection date, the LA and England figures.",
        )

    def handle(self, *args, partnership, urn, year, context=False, **options):
        tenant = Partnership.objects.filter(slug=partnership).first()
        if tenant is None:
            raise CommandError(f"No partnership with the slug {partnership!r}.")
        with partnership_scope(tenant):
            try:
                validate_academic_year(year)
            except Exception as exc:
                raise CommandError(f"{year!r} is not an academic year such as 2018-19.") from exc
            school = School.objects.for_partnership(tenant).filter(urn=urn).first()
            if school is None:
                raise CommandError(f"No school with URN {urn} in {tenant.slug}.")
            facts = school_facts(tenant, school, year)
            if context:
                facts = {"facts": facts, "context": school_fact_context(tenant, school, year)}
            self.stdout.write(json.dumps(facts, indent=2))
