from django.core.management.base import BaseCommand, CommandError

from masar.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check that the audit trail's hash chain is intact; exit non-zero naming the first bad entry."

    def handle(self, *args, **options):
        checked, bad = audit_verify()
        if bad is not None:
            raise CommandError(
                f"audit trail broken at entry #{bad.pk} ({bad.created_at.isoformat()}, {bad.action} "
                f"{bad.content_type.app_label}.{bad.content_type.model} {bad.object_id}): "
                f"{checked} entries before it are intact"
            )
        self.stdout.write(f"audit trail intact: {checked} entries")
