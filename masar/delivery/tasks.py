"""Background work of delivery tracking, run nightly by a worker (database or Redis backend)."""

from django_tasks import task

from masar.delivery.notifications import notifications_digest_send
from masar.delivery.reminders import reminders_send
from masar.delivery.services.ratings import health_refresh_all
from masar.exports.retention import files_expire


@task()
def nightly():
    """Recompute every rating (freshness moves with the calendar), send the day's reminders, then the digests."""
    rated = health_refresh_all()
    updates, decisions = reminders_send()
    digests = notifications_digest_send()
    files_expire()  # exports and council packs past their retention period (EXPORT/PACK_RETENTION_DAYS)
    return {"rated": rated, "update_reminders": updates, "decision_reminders": decisions, "digests": digests}


@task()
def notifications_digest():
    """E-mail the daily digest to those who chose it."""
    return {"digests": notifications_digest_send()}
