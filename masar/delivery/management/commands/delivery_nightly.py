from django.core.management.base import BaseCommand

from masar.delivery.tasks import nightly


class Command(BaseCommand):
    help = "Recompute every project's rating and send the reminders that are due; --enqueue leaves it to the worker."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="enqueue the job for the background worker")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = nightly.enqueue()
            self.stdout.write(f"enqueued {result.id} on the '{result.backend}' backend")
            return
        outcome = nightly.call()
        self.stdout.write(
            f"ratings recomputed: {outcome['rated']}; reminders sent: {outcome['update_reminders']} updates due, "
            f"{outcome['decision_reminders']} decisions falling due; digests e-mailed: {outcome['digests']}"
        )
