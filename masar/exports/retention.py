"""Delete the files of finished exports and council packs once their retention period is over.

An export or a pack is a copy of records made for one person; kept for ever, it would outlive the access
that allowed it. The row stays (who asked for what, and when) with an empty file field, which is how its
page knows to say the file has expired; each deletion is in the audit trail.
"""

import datetime
import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.exports.models import Export, ExportStatus
from masar.reports.models import CouncilPack, PackStatus

logger = logging.getLogger(__name__)


def _expired_before(*, model: type[models.Model], done: str, before: datetime.datetime) -> list[int]:
    """Return the ids of the finished rows of `model` whose file is still there and older than `before`."""
    rows = model._default_manager.filter(status=done).exclude(file="")
    old = models.Q(finished_at__lt=before) | models.Q(finished_at__isnull=True, created_at__lt=before)
    return list(rows.filter(old).order_by("pk").values_list("pk", flat=True))


def _file_expire(*, model: type[models.Model], pk: int) -> bool:
    """Delete one row's file and clear its field, audited; False when another run got there first."""
    with transaction.atomic():
        row = model._default_manager.select_for_update().filter(pk=pk).exclude(file="").first()
        if row is None:
            return False
        before = snapshot(row)
        # The file goes first: if the transaction then fails the row still names it, and the next run, finding
        # it missing (delete() ignores that), clears the row. The other order could leave a file nobody lists.
        row.file.storage.delete(row.file.name)
        row.file = ""
        row.save(update_fields=["file"])
        audit_record(actor=None, action=Action.UPDATE, instance=row, changes=diff(before, snapshot(row)))
    return True


def export_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports finished more than EXPORT_RETENTION_DAYS ago; return how many."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    ids = _expired_before(model=Export, done=ExportStatus.DONE, before=before)
    return sum(_file_expire(model=Export, pk=pk) for pk in ids)


def pack_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the PDFs of council packs finished more than PACK_RETENTION_DAYS ago; return how many."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.PACK_RETENTION_DAYS)
    ids = _expired_before(model=CouncilPack, done=PackStatus.DONE, before=before)
    return sum(_file_expire(model=CouncilPack, pk=pk) for pk in ids)


def files_expire(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Expire both kinds of file; return the counts, for the nightly task's report and the command."""
    counts = {"exports_expired": export_files_expire(now=now), "packs_expired": pack_files_expire(now=now)}
    if any(counts.values()):
        logger.info("files expired: %s", counts)
    return counts
