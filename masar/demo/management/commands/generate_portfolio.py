from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from masar.core.errors import DomainError
from masar.demo.synthetic import portfolio_generate


class Command(BaseCommand):
    help = (
        'Generate a national-size synthetic portfolio for benchmarks (source "synthetic", flagged as sample): '
        "organizations, regions, one strategy, projects with milestones, and their history: synthetic people, "
        "monthly progress updates, re-baselines, obstacles, meetings and decisions, notifications, indicators "
        "measured by region. Refuses to run twice into the same database unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=500, help="organizations in all (default 500)")
        parser.add_argument("--regions", type=int, default=25, help="regions of the synthetic country (default 25)")
        parser.add_argument("--projects", type=int, default=20_000, help="projects (default 20000)")
        parser.add_argument("--years", type=int, default=10, help="years of the strategy, ending 2026 (default 10)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same rows")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per bulk insert (default 2000)")
        parser.add_argument("--replace", action="store_true", help="delete the previous synthetic data first")
        parser.add_argument(
            "--months", type=int, default=36, help="months of progress updates and meetings, up to 2026-11 (default 36)"
        )
        parser.add_argument(
            "--indicators", type=int, default=None, help="indicators (default one per 60 projects, at most 300)"
        )

    def handle(self, *args, **options):
        try:
            result = portfolio_generate(
                organizations=options["organizations"],
                regions=options["regions"],
                projects=options["projects"],
                years=options["years"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                replace=options["replace"],
                months=options["months"],
                indicators=options["indicators"],
                stdout=self.stdout,
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        for label, count in result.counts.items():
            seconds = result.insert_seconds[label]
            rate = f"  inserted in {seconds:6.1f} s ({count / seconds:,.0f} rows/s)" if seconds > 0.05 else ""
            self.stdout.write(f"{count:>9,d} {label}{rate}")
        self.stdout.write(
            f"{result.rows:,d} rows in {result.seconds:.1f} s ({result.rows / max(result.seconds, 1e-6):,.0f} rows/s)"
        )
        if connection.vendor == "postgresql":
            # Freshly bulk-loaded tables have no statistics yet: the planner misjudges them by orders of magnitude
            # (the "missing updates" query took 3.2 s before ANALYZE and 49 ms after).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write("statistics refreshed (ANALYZE)")
