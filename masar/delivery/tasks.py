"""Background work of delivery tracking, run nightly by a worker (database or Redis backend)."""

from django_tasks import task

from masar.delivery.reminders import reminders_send
from masar.delivery.services.ratings import health_refresh_all


@task()
def nightly():
    """Recompute every rating (freshness moves with the calendar) and send the day's reminders."""
    rated = health_refresh_all()
    updates, decisions = reminders_send()
    return {"rated": rated, "update_reminders": updates, "decision_reminders": decisions}
