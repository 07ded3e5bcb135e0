import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from masar.core.jobs import SweepOutcome, jobs_sweep
from masar.integrity.tasks import scan_enqueue
from masar.opendata.services import refresh_enqueue


class Command(BaseCommand):
    help = (
        "Queue again the jobs whose worker died (lease expired) or whose queueing failed, and fail those out of "
        "attempts; --every N repeats it every N seconds (start it beside the workers), and then also asks the worker "
        "every OPEN_DATA_CHECK_SECONDS to regenerate the open-data files whose rows changed, and every "
        "INTEGRITY_SCAN_SECONDS to run the red-flag rules and detectors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every this many seconds until stopped")

    def handle(self, *args, **options):
        every = options["every"]
        opendata_due = time.monotonic()
        integrity_due = time.monotonic()
        while True:
            if every and settings.OPEN_DATA_CHECK_SECONDS and time.monotonic() >= opendata_due:
                # The published files follow their data: the worker regenerates those whose public rows changed.
                opendata_due = time.monotonic() + settings.OPEN_DATA_CHECK_SECONDS
                refresh_enqueue()
            if every and settings.INTEGRITY_SCAN_SECONDS and time.monotonic() >= integrity_due:
                # The alerts follow the procurement trail: the worker runs the rules and detectors again.
                integrity_due = time.monotonic() + settings.INTEGRITY_SCAN_SECONDS
                scan_enqueue()
            try:
                outcome = jobs_sweep()
            except DatabaseError as error:
                if not every:
                    raise
                # The database restarting is no reason to stop sweeping: try again on the next round.
                self.stderr.write(f"jobs sweep skipped: {error}")
                outcome = SweepOutcome()
            if outcome.requeued or outcome.failed or outcome.resent or not every:
                self.stdout.write(
                    f"jobs whose worker died: {outcome.requeued}; failed out of attempts: {outcome.failed}; "
                    f"handed to the queue: {outcome.resent}"
                )
            if not every:
                return
            close_old_connections()  # a database restarted meanwhile is reconnected to on the next round
            time.sleep(every)
