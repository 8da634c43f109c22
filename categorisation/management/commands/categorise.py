"""What-if categorisation: run a framework over a JSON facts file. Reads and writes no database rows.

    python manage.py categorise --framework milton-keynes --facts schools.json

The file is a JSON list of objects, each with "urn" and facts (see categorisation/FACTS.md). Output on
stdout: a JSON list, in input order, of {"urn", "category", "tib", "reasons"}; a school no rule decides
gets "category": null and reasons naming why (no rule matched, or the missing facts).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from categorisation.engine import Categoriser, FactsError, FrameworkError, validate_facts, validate_framework
from categorisation.shipped import load_shipped, shipped_slugs


class Command(BaseCommand):
    help = "Categorise schools from a JSON facts file with a shipped framework (touches no database rows)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help=f"a framework slug: {', '.join(shipped_slugs())}")
        parser.add_argument("--facts", required=True, help="a JSON file: a list of objects with urn and facts")
        parser.add_argument(
            "--framework-file",
            action="store_true",
            help="treat --framework as the path of a framework JSON file (e.g. an export)",
        )
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help="use this partnership's current published version of the framework (reads the "
            "database, writes nothing)",
        )
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, **options):
        if options["partnership"]:
            framework = self._partnership_framework(options["partnership"], options["framework"])
        else:
            framework = self._framework(options["framework"], options["framework_file"])
        schools = self._facts(options["facts"])
        out = []
        categoriser = Categoriser(framework, validate=False)
        for school in schools:
            facts = {k: v for k, v in school.items() if k != "urn"}
            result = categoriser.evaluate(facts)
            out.append(
                {"urn": school["urn"], "category": result.category, "tib": result.tib, "reasons": result.reasons}
            )
        self.stdout.write(json.dumps(out, indent=options["indent"] or None, ensure_ascii=False))

    def _framework(self, name: str, is_file: bool) -> dict:
        if is_file:
            framework = _read_json(name, "framework")
        else:
            try:
                return load_shipped(name)
            except KeyError:
                raise CommandError(f"Unknown framework {name!r}: use one of {', '.join(shipped_slugs())}.") from None
            except FrameworkError as exc:
                raise CommandError(f"Shipped framework {name!r} is invalid: {exc}") from None
        try:
            validate_framework(framework)
        except FrameworkError as exc:
            raise CommandError(str(exc)) from None
        return framework

    def _partnership_framework(self, partnership_slug: str, slug: str) -> dict:
        from categorisation.models import Framework
        from categorisation.selectors import published_version
        from partnership.models import Partnership

        partnership = Partnership.objects.filter(slug=partnership_slug).first()
        if partnership is None:
            raise CommandError(f"Unknown partnership {partnership_slug!r}.")
        framework = Framework.objects.for_partnership(partnership).filter(slug=slug).first()
        if framework is None:
            raise CommandError(f"Partnership {partnership_slug!r} has no framework {slug!r}.")
        version = published_version(framework)
        if version is None:
            raise CommandError(f"Framework {slug!r} of {partnership_slug!r} has no published version yet.")
        return version.definition

    def _facts(self, path: str) -> list[dict]:
        data = _read_json(path, "facts")
        if not isinstance(data, list):
            raise CommandError(f"{path}: the facts file must be a JSON list of objects, each with a urn.")
        errors = []
        for i, school in enumerate(data):
            if not isinstance(school, dict):
                errors.append(f"item {i}: not an object")
                continue
            urn = school.get("urn")
            if urn is None or isinstance(urn, (bool, list, dict)) or str(urn).strip() == "":
                errors.append(f"item {i}: no urn")
                continue
            try:
                validate_facts(school)
            except FactsError as exc:
                errors.append(f"item {i} (urn {urn}): {exc}")
        if errors:
            raise CommandError(f"{path}: invalid facts: " + "; ".join(errors))
        return data


def _read_json(path: str, what: str):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No {what} file at {path}.")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}: invalid JSON: {exc}") from None
