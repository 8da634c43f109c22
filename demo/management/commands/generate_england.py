import json
import time

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from demo.synthetic import generate_england


class Command(BaseCommand):
    help = (
        "Generate a synthetic England for benchmarks: partnerships england-001 ..., schools with Ofsted "
        "histories, three years of results and LA judgements. Deterministic for a seed; replaces an earlier one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=152)
        parser.add_argument("--schools", type=int, default=22000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, partnerships, schools, seed, **options):
        started = time.perf_counter()
        with scopes_disabled():  # it builds every synthetic partnership at once
            counts = generate_england(partnerships=partnerships, schools=schools, seed=seed, stdout=self.stdout)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(counts))
