from django.core.management.base import BaseCommand

from masar.integrity.tasks import integrity_scan


class Command(BaseCommand):
    help = (
        "Run the red-flag rules and the statistical detectors over the procurement trail and keep what they find "
        "as alerts; --rule limits it to some rules, --enqueue leaves it to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="codes", help="a rule's code (repeat for several)")
        parser.add_argument("--no-statistics", action="store_true", help="leave out the statistical detectors")
        parser.add_argument("--enqueue", action="store_true", help="enqueue the job for the background worker")

    def handle(self, *args, **options):
        codes, statistics = options["codes"], not options["no_statistics"]
        if options["enqueue"]:
            result = integrity_scan.enqueue(codes, statistics)
            self.stdout.write(f"enqueued {result.id} on the '{result.backend}' backend")
            return
        outcome = integrity_scan.call(codes, statistics)
        for code, count in sorted(outcome["counts"].items()):
            self.stdout.write(f"{code}: flagged={count['flagged']} not_computable={count['not_computable']}")
