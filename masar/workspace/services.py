"""Acting on several submissions at once, each through the service that owns it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from masar.accounts.models import User
from masar.core.errors import DomainError
from masar.core.ids import parse_id
from masar.core.policy import get_for_reader
from masar.delivery.models import ProgressUpdate
from masar.delivery.services.updates import update_approve
from masar.indicators.models import Measurement
from masar.indicators.services import measurement_approve
from masar.workspace.selectors import ReviewKind


@dataclass(frozen=True)
class ApprovalOutcome:
    """What became of one chosen submission: approved, or refused and why."""

    key: str
    kind: str  # a ReviewKind
    code: str  # the project's or indicator's code ("" when the record could not be read)
    period: Any
    approved: bool
    reason: str = ""


def _parse(key: str) -> tuple[str, int] | None:
    kind, _sep, text = key.partition("-")
    pk = parse_id(text)
    if kind not in ReviewKind.values or pk is None:
        return None
    return kind, pk


def _approve_one(*, actor: User, kind: str, pk: int, key: str) -> ApprovalOutcome:
    if kind == ReviewKind.UPDATE:
        update: ProgressUpdate = get_for_reader(ProgressUpdate.objects.select_related("project__owner"), actor, pk)
        try:
            update_approve(update=update, actor=actor)
        except PermissionDenied:
            reason = _("You do not review this project.")
            return ApprovalOutcome(key, kind, update.project.code, update.period, False, reason)
        return ApprovalOutcome(key, kind, update.project.code, update.period, True)
    measurement: Measurement = get_for_reader(Measurement.objects.select_related("indicator"), actor, pk)
    measurement_approve(actor=actor, measurement=measurement)
    return ApprovalOutcome(key, kind, measurement.indicator.code, measurement.period, True)


def review_items_approve(*, actor: User, keys: Iterable[str]) -> list[ApprovalOutcome]:
    """Approve each chosen submission ("update-<pk>", "value-<pk>") through its own service.

    Each item is approved whole or not at all, on its own: one refused (someone approved it first,
    one's own submission, not one's to review) leaves the others approved, and says why.
    """
    outcomes = []
    for key in dict.fromkeys(keys):  # each once, in the order chosen
        parsed = _parse(key)
        if parsed is None:
            outcomes.append(ApprovalOutcome(key, "", "", None, False, _("This is not a submission to review.")))
            continue
        kind, pk = parsed
        try:
            with transaction.atomic():
                outcomes.append(_approve_one(actor=actor, kind=kind, pk=pk, key=key))
        except Http404:
            outcomes.append(
                ApprovalOutcome(key, kind, "", None, False, _("This submission is not among those you may read."))
            )
        except DomainError as error:
            record_code, period = _describe(kind, pk)
            outcomes.append(ApprovalOutcome(key, kind, record_code, period, False, str(error.message)))
    return outcomes


def _describe(kind: str, pk: int) -> tuple[str, Any]:
    # Only reached after the record was read through get_for_reader: its code is the reader's to see.
    if kind == ReviewKind.UPDATE:
        update = ProgressUpdate.objects.select_related("project").get(pk=pk)
        return update.project.code, update.period
    measurement = Measurement.objects.select_related("indicator").get(pk=pk)
    return measurement.indicator.code, measurement.period
