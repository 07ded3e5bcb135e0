from django.core.management.base import BaseCommand, CommandError

from masar.audit.anchors import anchors_check
from masar.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's signed chain: print one line per break or missing entry (all of them) and exit "
        "non-zero if there is any. With --anchors, also check the trail against the anchors written by "
        "audit_anchor (detects rewriting and the removal of the newest entries)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchors", action="store_true", help="also compare the trail with its anchors")
        parser.add_argument("--anchor-dir", help="the anchors' directory (default: AUDIT_ANCHOR_DIR)")

    def handle(self, *args, **options):
        report = audit_verify()
        findings = list(report.findings)
        if options["anchors"] or options["anchor_dir"]:
            findings += anchors_check(directory=options["anchor_dir"])
        for finding in findings:
            self.stdout.write(f"BROKEN {finding}")
        if findings:
            raise CommandError(f"audit trail NOT intact: {len(findings)} problem(s) in {report.checked} entries")
        self.stdout.write(
            f"audit trail intact: {report.checked} entries, head seq {report.head_seq} hash {report.head_hash}"
        )
