from django.core.management.base import BaseCommand

from masar.webhooks.services import webhook_deliveries_send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries whose time came (run it every few minutes, e.g. from cron)."

    def handle(self, *args, **options):
        sent = webhook_deliveries_send_due()
        self.stdout.write(f"webhook_deliveries_tried={sent}")
