from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from masar.audit.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup to a new directory: the database (pg_dump -Fc from one snapshot, or the SQLite "
        "backup API), a tar of MEDIA_ROOT, and a signed manifest with checksums, table counts and the audit head."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="a new or empty directory")

    @no_translations  # an operator's command: its messages in English, whatever LANGUAGE_CODE says
    def handle(self, *args, **options):
        try:
            manifest = backup_create(directory=options["to"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        head = manifest["audit_head"]
        self.stdout.write(
            f"backup written to {options['to']}: {sum(manifest['counts'].values())} rows in "
            f"{len(manifest['counts'])} tables, audit head seq {head['seq']} hash {head['hash']}"
        )
