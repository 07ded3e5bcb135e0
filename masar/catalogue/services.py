"""Writes of the services catalogue: services and their documents, the projects that digitize them, monthly usage.

Every write is checked against the one policy, validated, audited, and refused whole when any part is wrong. The
digitization indicators of the owner's ministry are brought in step after each change that moves them
(`masar.catalogue.indicators.digitization_refresh`, on commit).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.catalogue.models import (
    Audience,
    Channel,
    DigitizationLevel,
    RequiredDocument,
    Service,
    ServiceProject,
    ServiceUsage,
    codes_join,
)
from masar.core import policy
from masar.core.errors import Invalid, NotPermitted
from masar.core.services import model_create, model_delete, model_update


class ServiceInvalid(Invalid):
    """A service, its documents or its links broke a rule; nothing was saved."""


class UsageInvalid(Invalid):
    """A month of usage broke a rule; nothing was saved."""


def _refresh_indicators(service: Service, months: list[datetime.date] | None = None) -> None:
    from masar.catalogue.indicators import digitization_refresh

    owner_id, month_list = service.owner_id, list(months or [])
    transaction.on_commit(lambda: digitization_refresh(organization_ids=[owner_id], months=month_list))


def _errors(error: ValidationError) -> list[tuple[str | None, Any]]:
    if hasattr(error, "error_dict"):
        return [
            (None if key == "__all__" else key, m) for key, messages in error.message_dict.items() for m in messages
        ]
    return [(None, m) for m in error.messages]


def _codes(values: Any, choices: type[models.TextChoices], field: str) -> str:
    """Return the stored form of a list of enum values, refusing the unknown ones."""
    values = [values] if isinstance(values, str) else list(values or [])
    unknown = [str(v) for v in values if str(v) not in choices.values]
    if unknown:
        raise ServiceInvalid([(field, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})])
    return codes_join(values)


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    if "audiences" in fields:
        fields["audiences"] = _codes(fields["audiences"], Audience, "audiences")
    if "channels" in fields:
        fields["channels"] = _codes(fields["channels"], Channel, "channels")
    for key in ("rating_count", "rating_total", "version"):
        fields.pop(key, None)
    return fields


@transaction.atomic
def service_create(*, actor: User | None, data: dict[str, Any], refresh: bool = True) -> Service:
    """Add a service to the catalogue (audited); refuse it whole with every broken rule.

    refresh=False: the caller (an import) brings the digitization indicators in step once for all its rows.
    """
    fields = _service_fields(data)
    owner = fields.get("owner")
    if not policy.may_create_service(actor, owner, fields.get("classification", "public")):
        raise NotPermitted(_("You may not add services for this organization."))
    try:
        service = model_create(model=Service, actor=actor, data=fields)
    except ValidationError as error:
        raise ServiceInvalid(_errors(error)) from None
    if refresh:
        _refresh_indicators(service)
    return service


@transaction.atomic
def service_update(
    *, actor: User | None, service: Service, data: dict[str, Any], expected_version: int | None, refresh: bool = True
) -> Service:
    """Change a service (audited; refused when it changed since expected_version, or moved to an owner or a
    classification the actor may not give it)."""
    if not policy.may_write(actor, service):
        raise NotPermitted(_("You may not change this service."))
    fields = _service_fields(data)
    owner = fields.get("owner", service.owner)
    level = fields.get("classification", service.classification)
    if (owner.pk, level) != (service.owner_id, service.classification) and not policy.may_create_service(
        actor, owner, level
    ):
        raise NotPermitted(_("You may not give this service to that organization or at that classification."))
    before_owner, before_level = service.owner_id, service.classification
    try:
        updated = model_update(instance=service, actor=actor, data=fields, expected_version=expected_version)
    except ValidationError as error:
        raise ServiceInvalid(_errors(error)) from None
    if refresh:
        # A service that moves owner (or in or out of the public's view) moves its usage of every month with it.
        moved = (before_owner, before_level) != (updated.owner_id, updated.classification)
        months = (
            sorted(set(ServiceUsage.objects.filter(service=updated).values_list("month", flat=True))) if moved else []
        )
        _refresh_indicators(updated, months)
        if before_owner != updated.owner_id:
            from masar.catalogue.indicators import digitization_refresh

            transaction.on_commit(lambda: digitization_refresh(organization_ids=[before_owner], months=months))
    return updated


@dataclass(frozen=True)
class DocumentEntry:
    """One required document as a form or an import gives it."""

    name_ar: str
    name_fr: str = ""
    name_en: str = ""
    held_by: Any = None  # an Organization, or None


@transaction.atomic
def service_documents_set(*, actor: User | None, service: Service, documents: list[DocumentEntry]) -> Service:
    """Replace the list of a service's required documents, in order (audited on the service)."""
    if not policy.may_write(actor, service):
        raise NotPermitted(_("You may not change this service."))
    errors = [
        (f"documents-{i}", _("Name the document in Arabic.")) for i, d in enumerate(documents) if not d.name_ar.strip()
    ]
    if errors:
        raise ServiceInvalid(errors)
    before = [(d.name_ar, d.held_by_id) for d in service.documents.all()]
    service.documents.all().delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            service=service,
            order=i,
            name_ar=d.name_ar.strip()[:400],
            name_fr=d.name_fr.strip()[:400],
            name_en=d.name_en.strip()[:400],
            held_by=d.held_by,
        )
        for i, d in enumerate(documents, start=1)
    )
    after = [(d.name_ar.strip(), d.held_by.pk if d.held_by else None) for d in documents]
    if before != after:
        # The documents are part of the service: its version and its last change move with them, so that an
        # edit opened before is refused as stale and systems syncing with `updated_since` see the change.
        Service.objects.filter(pk=service.pk).update(version=F("version") + 1, updated_at=timezone.now())
        service.refresh_from_db(fields=["version", "updated_at"])
        audit_record(actor=actor, action=Action.UPDATE, instance=service, changes={"documents": [before, after]})
    return service


@transaction.atomic
def service_project_link(
    *,
    actor: User | None,
    service: Service,
    project: Any,
    target_level: int,
    target_date: datetime.date | None = None,
) -> ServiceProject:
    """Say that a project digitizes a service, up to target_level by target_date (audited). A project the actor
    may not read is refused as not found, naming nothing."""
    if not policy.may_read(actor, project):
        raise ServiceInvalid([("project", _("There is no such project among those you may read."))])
    if not policy.may_link_project(actor, service, project):
        raise NotPermitted(_("You may not change this service."))
    if target_level not in DigitizationLevel.values:
        raise ServiceInvalid([("target_level", _("Choose a level between 0 and 5."))])
    existing = ServiceProject.objects.filter(service=service, project=project).first()
    data = {"target_level": target_level, "target_date": target_date}
    if existing is not None:
        return model_update(instance=existing, actor=actor, data=data, expected_version=existing.version)
    return model_create(model=ServiceProject, actor=actor, data={"service": service, "project": project, **data})


@transaction.atomic
def service_project_unlink(*, actor: User | None, link: ServiceProject) -> None:
    """Remove a project's link to a service (audited)."""
    if not policy.may_write(actor, link.service):
        raise NotPermitted(_("You may not change this service."))
    model_delete(instance=link, actor=actor)


# Usage ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UsageEntry:
    """One month of one channel as a form, an import or the API gives it.

    Either `transactions` (the month's count) or `cumulative` (the running total since the first month
    recorded for this channel, as many back offices count): the month's count is then the difference.
    """

    month: datetime.date
    channel: str
    transactions: int | None = None
    cumulative: int | None = None
    processing_days: Decimal | None = None
    backlog: int | None = None


# What the columns hold (a positive integer, 8 digits with 2 decimals): larger figures are refused, not a crash.
COUNT_MAX = 2_147_483_647
DAYS_LIMIT = 1_000_000


def usage_check(service: Service, entry: UsageEntry) -> tuple[int | None, list[tuple[str | None, str]]]:
    """Return (the month's transactions, the errors) of one usage entry, reading what is recorded."""
    errors: list[tuple[str | None, str]] = []
    if entry.channel not in Channel.values:
        errors.append(("channel", _("Choose a channel: counter, web, mobile, kiosk or call centre.")))
    if entry.month.day != 1:
        errors.append(("month", _("Give the month, as its first day.")))
    for name in ("transactions", "cumulative", "backlog"):
        value = getattr(entry, name)
        if value is not None and value < 0:
            errors.append((name, _("A count cannot be negative.")))
        elif value is not None and value > COUNT_MAX:
            errors.append((name, _("A count cannot exceed %(max)s.") % {"max": COUNT_MAX}))
    if entry.processing_days is not None and entry.processing_days < 0:
        errors.append(("processing_days", _("A processing time cannot be negative.")))
    elif entry.processing_days is not None and entry.processing_days >= DAYS_LIMIT:
        errors.append(("processing_days", _("A processing time must be under %(limit)s days.") % {"limit": DAYS_LIMIT}))
    if (entry.transactions is None) == (entry.cumulative is None):
        errors.append(("transactions", _("Give either the month's transactions or the running total, not both.")))
    if errors:
        return None, errors
    if entry.cumulative is None:
        return entry.transactions, []
    earlier = (
        ServiceUsage.objects.filter(service=service, channel=entry.channel, month__lt=entry.month).aggregate(
            total=Sum("transactions")
        )["total"]
        or 0
    )
    if entry.cumulative < earlier:
        message = _(
            "The running total %(given)s is below the %(earlier)s transactions already recorded before this month: "
            "a running total never decreases."
        ) % {"given": entry.cumulative, "earlier": earlier}
        return None, [("cumulative", message)]
    later = ServiceUsage.objects.filter(service=service, channel=entry.channel, month__gt=entry.month).exists()
    if later:
        return None, [("cumulative", _("Months after this one are recorded: give this month's transactions instead."))]
    return entry.cumulative - earlier, []


@transaction.atomic
def usage_record(
    *, actor: Any, service: Service, entry: UsageEntry, source: str = "", is_sample: bool = False, refresh: bool = True
) -> ServiceUsage:
    """Record (or correct) one month of one channel of a service's usage, audited; refuse it with every broken rule.

    actor is a user or an API client's reader; the digitization indicators are brought in step on commit (an
    import passes refresh=False and calls `masar.catalogue.indicators.digitization_refresh` once for its rows).
    """
    if not policy.may_report_usage(actor, service):
        raise NotPermitted(_("You may not report the usage of this service."))
    transactions, errors = usage_check(service, entry)
    if errors or transactions is None:
        raise UsageInvalid(errors)
    person = actor if isinstance(actor, User) else None
    row = ServiceUsage.objects.select_for_update().filter(service=service, month=entry.month, channel=entry.channel)
    current = row.first()
    before = snapshot(current) if current is not None else {}
    usage = current or ServiceUsage(service=service, month=entry.month, channel=entry.channel)
    usage.transactions = transactions
    usage.processing_days = entry.processing_days
    usage.backlog = entry.backlog
    usage.source = source[:200]
    usage.entered_by = person
    usage.is_sample = is_sample
    usage.save()
    audit_record(
        actor=person,
        action=Action.UPDATE if current is not None else Action.CREATE,
        instance=usage,
        changes=diff(before, snapshot(usage)),
    )
    if refresh:
        _refresh_indicators(service, [entry.month])
    return usage
