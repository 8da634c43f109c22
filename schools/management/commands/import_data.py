"""python manage.py import_data <kind> <file> --partnership <slug> [--year 2018-19] [--dry-run] [--user name]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.actors import system_actor
from partnership.models import Partnership
from partnership.scoping import partnership_scope
from schools.importers import IMPORTERS, run_import, summary_lines
from schools.services import import_record_command_run


class Command(BaseCommand):
    help = (
        "Import a DfE, GIAS or Ofsted file, or the LA's local data CSV, into a partnership. All or nothing: "
        "on any error nothing changes and every problem is listed (row, column, value, what is wrong)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--year", help="The academic year the file holds, e.g. 2018-19.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument("--user", help="The username the import is recorded against (default: system).")

    def handle(self, *args, kind, file, partnership, year, dry_run, user, **options):
        tenant = Partnership.objects.filter(slug=partnership).first()
        if tenant is None:
            raise CommandError(f"No partnership with the slug {partnership!r}.")
        with partnership_scope(tenant):
            actor = system_actor(f"import_data command: {kind} {Path(file).name}")
            if user:
                actor = get_user_model().objects.filter(username=user).first()
                if actor is None:
                    raise CommandError(f"No user {user!r}.")
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No file at {file}.")
            data = path.read_bytes()
            with transaction.atomic():
                result = run_import(
                    actor=actor,
                    partnership=tenant,
                    kind=kind,
                    data=data,
                    filename=path.name,
                    year=year,
                    dry_run=dry_run,
                )
                if result.ok and not dry_run:
                    import_record_command_run(
                        actor=actor,
                        partnership=tenant,
                        kind=kind,
                        filename=path.name,
                        content=data,
                        academic_year=result.summary.get("year", ""),
                        result=result,
                    )
            if not result.ok:
                report = [
                    f"The {kind} import of {path.name} into {tenant.slug} failed: nothing was changed.",
                    f"{len(result.errors) + result.more_errors} problems (row 1 is the header):",
                ]
                report += [f"  {error}" for error in result.errors]
                if result.more_errors:
                    report.append(f"  … and {result.more_errors} more.")
                raise CommandError("\n".join(report))
            heading = "Dry run: nothing was changed." if dry_run else "Imported."
            self.stdout.write(heading)
            for line in summary_lines(result.summary):
                self.stdout.write(f"  {line}")
