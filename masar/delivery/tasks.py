"""Background work of delivery tracking, run nightly by a worker (database or Redis backend)."""

from masar.audit.anchors import audit_anchor_write
from masar.audit.reconcile import audit_drift_log
from masar.catalogue.indicators import digitization_refresh_all
from masar.catalogue.throttle import submission_counts_purge
from masar.core.jobs import job_task
from masar.delivery.notifications import notifications_digest_send
from masar.delivery.reminders import reminders_send
from masar.delivery.services.ratings import health_refresh_all
from masar.exports.retention import files_expire
from masar.integrity.detection import detection_run
from masar.opendata.dcat import catalogue_warm
from masar.opendata.services import publications_refresh


@job_task
def nightly():
    """Recompute every rating (freshness moves with the calendar), send the day's reminders, then the digests."""
    rated = health_refresh_all()
    updates, decisions = reminders_send()
    digests = notifications_digest_send()
    files_expire()  # exports and council packs past their retention period (EXPORT/PACK_RETENTION_DAYS)
    opendata = publications_refresh()  # published files whose public rows changed (decisions fall overdue by day)
    catalogue_warm()  # the DCAT catalogue's pages, rendered for the harvesters
    scan = detection_run()  # the red flags and detectors over the procurement trail, kept as alerts
    # The catalogue's digitization indicators: a new month gets its level shares, the month's online share is checked.
    services = digitization_refresh_all(months=1)
    throttle = submission_counts_purge()  # the portal's per-address counts of windows that are over
    audit = {"audit_drift": audit_drift_log(), "audit_anchor": str(audit_anchor_write())}  # runbook: audit
    return {
        "rated": rated,
        "update_reminders": updates,
        "decision_reminders": decisions,
        "digests": digests,
        "opendata_generated": opendata["generated"],
        "integrity_run": scan.pk,
        "service_indicator_values": services.created + services.changed + services.deleted,
        "throttle_counts_purged": throttle,
        **audit,
    }


@job_task
def notifications_digest():
    """E-mail the daily digest to those who chose it."""
    return {"digests": notifications_digest_send()}
