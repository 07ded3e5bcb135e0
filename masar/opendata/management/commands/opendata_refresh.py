from django.core.management.base import BaseCommand

from masar.opendata.services import publications_refresh, refresh_enqueue


class Command(BaseCommand):
    help = (
        "Regenerate the files of the published datasets whose public rows changed (--force: all of them); "
        "--enqueue leaves it to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="regenerate every published dataset")
        parser.add_argument("--enqueue", action="store_true", help="leave it to the background worker")

    def handle(self, *args, **options):
        if options["enqueue"]:
            refresh_enqueue()
            self.stdout.write("open data refresh queued")
            return
        counts = publications_refresh(force=options["force"])
        self.stdout.write(
            f"published datasets checked: {counts['checked']}; generated: {counts['generated']}; "
            f"changed: {counts['changed']}"
        )
