from django.core.management.base import BaseCommand

from masar.delivery.tasks import notifications_digest


class Command(BaseCommand):
    help = "E-mail each person who chose a daily digest their unread notifications not yet e-mailed."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="enqueue the job for the background worker")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = notifications_digest.enqueue()
            self.stdout.write(f"enqueued {result.id} on the '{result.backend}' backend")
            return
        outcome = notifications_digest.call()
        self.stdout.write(f"digests e-mailed: {outcome['digests']}")
