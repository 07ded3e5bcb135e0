import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from masar.core.errors import DomainError
from masar.integrity.synthetic import procurement_generate


class Command(BaseCommand):
    help = (
        'Add a synthetic procurement trail to the portfolio (source "synthetic", flagged as sample): suppliers, '
        "tenders of the projects' owners, bids, awards, contracts, amendments and payments, with planted schemes "
        "the rules must catch. The same seed gives the same rows. Refuses to run twice unless --clear is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same rows")
        parser.add_argument(
            "--contracts", type=int, default=2000, help="tenders, each with one contract (default 2000)"
        )
        parser.add_argument("--bids-per-tender", type=float, default=5.0, help="mean bids per tender (default 5)")
        parser.add_argument("--clear", action="store_true", help="delete the previous synthetic procurement first")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per bulk insert off PostgreSQL")
        parser.add_argument("--planted", metavar="PATH", help="write the planted cases (finding keys per rule) here")

    def handle(self, *args, **options):
        try:
            report = procurement_generate(
                seed=options["seed"],
                contracts=options["contracts"],
                bids_per_tender=options["bids_per_tender"],
                clear=options["clear"],
                batch_size=options["batch_size"],
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        for label, count in sorted(report.counts.items()):
            self.stdout.write(f"{count:>9,d} {label}")
        self.stdout.write(f"{report.rows:,d} rows in {report.seconds:.1f} s")
        cases = sum(len(c) for c in report.planted.values())
        self.stdout.write(f"{cases} planted cases for {len(report.planted)} rules")
        if options["planted"]:
            data = {rule: [sorted(case) for case in cases] for rule, cases in sorted(report.planted.items())}
            with open(options["planted"], "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, ensure_ascii=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
