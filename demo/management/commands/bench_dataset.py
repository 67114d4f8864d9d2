"""`manage.py bench_dataset`: (re)build the benchmark data set (bench/dataset.py) deterministically."""

import time

from django.core.management.base import BaseCommand

from bench import dataset
from bench.dataset import CI_SPEC, Spec, build


class Command(BaseCommand):
    help = "Build the benchmark data set: organisations named “Bench org NN” (dropped and rebuilt) and their users."

    def add_arguments(self, parser):
        default = Spec()
        parser.add_argument("--organisations", type=int, default=default.organisations)
        parser.add_argument("--scale", type=float, default=1.0,
                            help="multiply every per-plan count (0.1: 50 touchpoints, 2,000 responses…)")
        parser.add_argument("--seed", type=int, default=default.seed)
        parser.add_argument("--ci", action="store_true", help="the tiny data set of `make bench-ci`")
        parser.add_argument("--drop", action="store_true", dest="drop_only",
                            help="only delete the bench organisations and users")

    def handle(self, *args, organisations, scale, seed, ci, drop_only, **options):
        if drop_only:
            dataset.drop()
            self.stdout.write("Bench data set dropped.")
            return
        spec = CI_SPEC if ci else Spec(organisations=organisations, seed=seed).scaled(scale)
        started = time.perf_counter()
        described = build(spec, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"Built {len(described['organisations'])} organisations (spec {spec.key}) in "
            f"{time.perf_counter() - started:.1f}s."))
