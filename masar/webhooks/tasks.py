"""Background work of webhooks, run by the task worker (database or Redis backend)."""

from masar.core.jobs import job_task
from masar.webhooks.models import WebhookDelivery
from masar.webhooks.services import webhook_deliveries_send_due, webhook_delivery_send


@job_task
def webhook_deliver(delivery_id: int):
    """Send one delivery (loaded by id) if it is still pending and due; a retry is queued by the service."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return {"delivery": delivery_id, "status": None}
    delivery = webhook_delivery_send(delivery=delivery)
    return {"delivery": delivery.pk, "status": delivery.status}


@job_task
def webhooks_send_due():
    """Send the pending deliveries whose time came: those a lost task or a non-deferring backend left behind."""
    return {"sent": webhook_deliveries_send_due()}
