from django.core.management.base import BaseCommand, CommandError

from masar.catalogue.tasks import catalogue_indicators_refresh


class Command(BaseCommand):
    help = (
        "Recompute every ministry's digitization indicators from the services catalogue: the shares of services "
        "at level 3 and 4 for the current month, and the share of transactions made online for every month with "
        "usage (--months N: the last N months only). For data imported before the indicators existed; the "
        "catalogue's writes and the nightly job keep them in step afterwards. --enqueue leaves it to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="recompute the online share of the last N months")
        parser.add_argument("--enqueue", action="store_true", help="enqueue the job for the background worker")

    def handle(self, *args, **options):
        months = options["months"]
        if months is not None and months < 1:
            raise CommandError("--months takes a number of months, 1 or more.")
        if options["enqueue"]:
            result = catalogue_indicators_refresh.enqueue(months)
            self.stdout.write(f"enqueued {result.id} on the '{result.backend}' backend")
            return
        outcome = catalogue_indicators_refresh.call(months)
        self.stdout.write(
            f"ministries: {outcome['ministries']}; indicators created: {outcome['indicators']}; values created: "
            f"{outcome['created']}, changed: {outcome['changed']}, deleted: {outcome['deleted']}"
        )
