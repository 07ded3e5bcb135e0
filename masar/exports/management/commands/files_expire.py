from django.core.management.base import BaseCommand

from masar.exports.retention import files_expire


class Command(BaseCommand):
    help = (
        "Delete the files of exports and council packs older than EXPORT_RETENTION_DAYS / PACK_RETENTION_DAYS "
        "(the rows stay, their pages say the file has expired); run nightly."
    )

    def handle(self, *args, **options):
        counts = files_expire()
        self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
