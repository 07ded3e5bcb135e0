from django.core.management.base import BaseCommand, CommandError

from masar.audit.reconcile import audit_reconcile


class Command(BaseCommand):
    help = (
        "Compare every versioned record's version with the latest one the audit trail recorded for it; print one "
        "line per record changed outside the services (ahead of the trail, or never in it) and exit non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="lines at most per model (default 1000)")

    def handle(self, *args, **options):
        drifts = audit_reconcile(limit_per_model=options["limit"])
        for drift in drifts:
            self.stdout.write(f"DRIFT {drift}")
        if drifts:
            raise CommandError(f"{len(drifts)} record(s) changed outside the audited services")
        self.stdout.write("every versioned record is accounted for by the audit trail")
