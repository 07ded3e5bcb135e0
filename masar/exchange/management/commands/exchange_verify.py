from django.core.management.base import BaseCommand, CommandError

from masar.exchange.services import exchange_log_verify


class Command(BaseCommand):
    help = (
        "Check that the exchange log's hash chain is intact; exit non-zero naming the first entry that does not hold."
    )

    def handle(self, *args, **options):
        checked, bad = exchange_log_verify()
        if bad is not None:
            raise CommandError(
                f"exchange log broken at entry #{bad.pk} ({bad.created_at.isoformat()}, {bad.method} {bad.path}): "
                f"{checked} entries before it are intact"
            )
        self.stdout.write(f"exchange log intact: {checked} entries")
