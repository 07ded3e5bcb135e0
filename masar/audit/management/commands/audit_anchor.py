from django.core.management.base import BaseCommand

from masar.audit.anchors import audit_anchor_write


class Command(BaseCommand):
    help = (
        "Write the audit trail's head (seq, id, hash, time), signed with the audit key, to a new file in "
        "AUDIT_ANCHOR_DIR. Run it daily (the nightly task does) and copy the directory off the machine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor-dir", help="where to write (default: AUDIT_ANCHOR_DIR)")

    def handle(self, *args, **options):
        path = audit_anchor_write(directory=options["anchor_dir"])
        self.stdout.write(f"anchor written: {path}")
