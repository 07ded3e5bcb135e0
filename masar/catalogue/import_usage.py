"""Rows of monthly usage in a catalogue import: each through `usage_record` (without refreshing the indicators),
in month order per service and channel, then the indicators brought in step once for the whole file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from masar.catalogue.import_rows import CHUNK, Rows, answer_may_change, by_code
from masar.catalogue.import_words import CHANNEL_WORDS, read_choice, read_month
from masar.catalogue.imports import ImportReport
from masar.catalogue.models import Channel, Service, ServiceUsage
from masar.catalogue.services import UsageEntry, usage_record
from masar.core import policy
from masar.core.errors import DomainError
from masar.imports.values import CellError


class UsageRows(Rows):
    """Rows of monthly usage, written in month order per service and channel (so a file of running totals reads
    month after month); the indicators are brought in step once, for every organization and month imported."""

    def write(self, report: ImportReport) -> None:
        rows = self.table.rows
        services = by_code(
            Service, (values.get("service") for _n, values in rows), Service.objects.visible_to(self.actor)
        )
        answer_may_change(self.actor, services.values())
        entries = []
        for number, values in rows:
            entry = self._entry(number, values, services)
            if entry is not None:
                entries.append((number, entry))
        repeated = self.duplicates([(number, (service.pk, e.month, e.channel)) for number, (service, e) in entries])
        entries = [(n, e) for n, e in entries if n not in repeated and n not in self.refused]
        entries.sort(key=lambda item: (item[1][0].pk, item[1][1].channel, item[1][1].month))
        recorded = self._recorded(entries)
        for number, (service, entry) in entries:
            report.organization_ids.add(service.owner_id)
            report.months.add(entry.month)
            key = (service.pk, entry.month, entry.channel)
            given = (entry.transactions, entry.processing_days, entry.backlog)
            if entry.cumulative is None and recorded.get(key) == given:
                report.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    usage_record(actor=self.actor, service=service, entry=entry, source=self.source, refresh=False)
            except (DomainError, PermissionDenied) as error:
                self.refusal(number, error, "service")
            else:
                report.updated += key in recorded
                report.created += key not in recorded

    def finish(self, report: ImportReport) -> None:
        """Bring the digitization indicators in step once, on commit, for every organization and month imported."""
        from masar.catalogue.indicators import digitization_refresh

        organizations, months = sorted(report.organization_ids), sorted(report.months)
        transaction.on_commit(lambda: digitization_refresh(organization_ids=organizations, months=months))

    def _entry(self, number: int, values: dict[str, Any], services: dict[str, Service]) -> Any:
        """Return (service, UsageEntry) of a row, or None with its errors noted."""
        service = services.get(values.get("service") or "")
        if values.get("service") and service is None:
            self.error(number, "service", _("No service has the code “%(value)s”.") % {"value": values["service"]})
        elif service is not None and not policy.may_report_usage(self.actor, service):
            self.error(number, "service", _("You may not report the usage of this service."))
            service = None
        month = channel = None
        if values.get("month"):
            try:
                month = read_month(values["month"])
            except CellError as error:
                self.error(number, "month", self.reason(error.code, **error.params))
        if values.get("channel"):
            try:
                channel = read_choice(values["channel"], Channel, CHANNEL_WORDS)
            except CellError as error:
                self.error(number, "channel", self.reason(error.code, **error.params))
        if service is None or month is None or channel is None:
            return None
        entry = UsageEntry(
            month=month,
            channel=channel,
            transactions=values.get("transactions"),
            cumulative=values.get("cumulative"),
            processing_days=values.get("processing_days"),
            backlog=values.get("backlog"),
        )
        return service, entry

    @staticmethod
    def _recorded(entries: list[tuple[int, tuple[Service, UsageEntry]]]) -> dict[tuple[int, Any, str], tuple]:
        """Return what is recorded for the services and months of the entries, keyed (service, month, channel)."""
        services = sorted({service.pk for _n, (service, _e) in entries})
        months = sorted({entry.month for _n, (_s, entry) in entries})
        found: dict[tuple[int, Any, str], tuple] = {}
        for start in range(0, len(services), CHUNK):
            rows = ServiceUsage.objects.filter(service_id__in=services[start : start + CHUNK], month__in=months)
            for row in rows.values_list("service_id", "month", "channel", "transactions", "processing_days", "backlog"):
                found[(row[0], row[1], row[2])] = row[3:]
        return found
