from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations

from masar.audit.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into the configured database, which must be empty (a new database), "
        "and into an empty MEDIA_ROOT. Refuses a backup whose checksums or signed manifest do not match; then "
        "checks the table counts against the manifest and verifies the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, help="the backup's directory")

    @no_translations  # an operator's command: its messages in English, whatever LANGUAGE_CODE says
    def handle(self, *args, **options):
        try:
            result = backup_restore(directory=options["source"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        for table in result["differ"]:
            expected, found = result["manifest"]["counts"].get(table), result["counts"].get(table)
            self.stdout.write(f"COUNT MISMATCH {table}: manifest {expected}, restored {found}")
        if result["differ"]:
            raise CommandError(f"{len(result['differ'])} table(s) differ from the manifest")
        if result["audit_head"] != result["manifest"]["audit_head"]:
            raise CommandError(f"audit head {result['audit_head']} differs from the manifest's")
        self.stdout.write(f"restored: counts of {len(result['counts'])} tables match the manifest")
        call_command("audit_verify", stdout=self.stdout)
