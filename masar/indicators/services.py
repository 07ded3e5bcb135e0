"""Writes on indicator values: entry, validation, the approval workflow, derived ratios and scorecard weights.

Who may enter values: the national delivery unit, and the sector coordinators of the organization
that owns the indicator or of one above it (the same rule as changing any record they own,
`Indicator.objects.writable_by`). Project managers and viewers read only: indicator values are
official statistics of the sector, not of one project.

Who approves: the same people, except whoever submitted the value: nobody approves their own.
Approved values are locked; the workflow moves by conditional updates on the status, so of two
people acting at once one wins and the other is told what happened.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.core import errors as core_errors
from masar.core import policy
from masar.core.errors import StaleEditError
from masar.core.policy import may_write
from masar.core.services import model_create, model_update
from masar.core.workflow import transition
from masar.indicators.checks import MeasurementChecker, existing_value_message, place_name
from masar.indicators.models import (
    MEASUREMENT_WORKFLOW,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementAction,
    MeasurementStatus,
    ScorecardWeight,
)
from masar.indicators.periods import QUANTUM, period_label
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    from typing import Any

    from masar.accounts.models import User
    from masar.indicators.checks import Entry


class NotPermitted(core_errors.NotPermitted):
    default_message = gettext_lazy("You may not do this with this indicator's values.")


class MeasurementInvalid(core_errors.Invalid):
    """A value broke one or more rules; errors is a list of (field, message)."""

    default_message = gettext_lazy("The value was not saved: correct what is shown below.")

    def __init__(self, errors):
        super().__init__(errors)


class MeasurementLocked(core_errors.Locked):
    default_message = gettext_lazy("This value is approved: its period is locked and it cannot be changed.")


class WorkflowConflict(core_errors.Conflict):
    """The value is no longer in the state the action expects (someone acted first)."""


def _require_entry(actor, indicator):
    if not policy.may_enter_values(actor, indicator):
        raise NotPermitted()


def _entry_data(entry, checked):
    return {
        "period": entry.period,
        "region": entry.region,
        "organization": entry.organization,
        "value": checked.value,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "weight": entry.weight,
        "comment": entry.comment.strip(),
        "z_score": checked.z_score,
        "needs_review": checked.needs_review,
    }


def _create(*, actor, indicator, entry, checked, submit, source, is_sample=False):
    now = timezone.now()
    data = {
        "indicator": indicator,
        **_entry_data(entry, checked),
        "source": source[:200],
        "is_sample": is_sample,
        "entered_by": actor,
        "entered_at": now,
        "status": MeasurementStatus.SUBMITTED if submit else MeasurementStatus.DRAFT,
    }
    if submit:
        data.update(submitted_by=actor, submitted_at=now)
    try:
        with transaction.atomic():
            return model_create(model=Measurement, actor=actor, data=data)
    except IntegrityError:
        # Someone saved a value for the same period and place between the check and this write.
        raise MeasurementInvalid([_duplicate(indicator, entry)]) from None
    except ValidationError as error:
        # The same race seen by the model's constraint check, or a field the form does not show.
        errors = [(key, message) for key, messages in error.message_dict.items() for message in messages]
        raise MeasurementInvalid(
            [_duplicate(indicator, entry) if key == NON_FIELD_ERRORS else (key, m) for key, m in errors]
        ) from None


def _duplicate(indicator, entry):
    """Return the error naming the value already recorded for this period and place, linked to it."""
    text = _("A value for %(period)s and %(place)s already exists: change that one instead.") % {
        "period": period_label(entry.period, indicator.frequency),
        "place": place_name(entry),
    }
    existing = (
        Measurement.objects.filter(
            indicator=indicator, period=entry.period, region=entry.region, organization=entry.organization
        )
        .values_list("pk", flat=True)
        .first()
    )
    return ("period", existing_value_message(text, existing) if existing else text)


@transaction.atomic
def measurement_record(
    *, actor: User | None, indicator: Indicator, entry: Entry, submit: bool = False, source: str = ""
) -> Measurement:
    """Record one value of an indicator as a draft (or submitted for approval); refuse it with every broken rule."""
    _require_entry(actor, indicator)
    checked = MeasurementChecker(indicator).check(entry)
    if checked.errors:
        raise MeasurementInvalid(checked.errors)
    return _create(actor=actor, indicator=indicator, entry=entry, checked=checked, submit=submit, source=source)


@transaction.atomic
def measurement_update(
    *, actor: User | None, measurement: Measurement, expected_version: int | None, entry: Entry, submit: bool = False
) -> Measurement:
    """Change a draft or rejected value (it becomes a draft again); approved values are locked.

    Raises StaleEditError when the value changed since expected_version (e.g. it was approved meanwhile).
    """
    indicator = measurement.indicator
    _require_entry(actor, indicator)
    # Lock the row: a transition running at the same time waits, then finds the version moved.
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if current.is_locked:
        raise MeasurementLocked()
    if not MEASUREMENT_WORKFLOW.allows(current.status, MeasurementAction.EDIT):
        raise WorkflowConflict(_("This value waits for approval: it can change only if it is rejected."))
    checked = MeasurementChecker(indicator, exclude_pk=measurement.pk).check(entry)
    if checked.errors:
        raise MeasurementInvalid(checked.errors)
    data = {
        **_entry_data(entry, checked),
        "status": MeasurementStatus.DRAFT,
        "submitted_by": None,
        "submitted_at": None,
    }
    if submit:
        data.update(status=MeasurementStatus.SUBMITTED, submitted_by=actor, submitted_at=timezone.now())
    return model_update(instance=measurement, actor=actor, data=data, expected_version=expected_version)


def _refusal(actor, *, deciding=False):
    """Return what tells the loser of a race what happened (or the submitter that someone else decides)."""

    def refusal(current):
        submitted = MEASUREMENT_WORKFLOW.allows(current.status, MeasurementAction.APPROVE)
        if deciding and submitted and current.submitted_by_id == actor.pk:
            return NotPermitted(_("You submitted this value: someone else must decide on it."))
        return WorkflowConflict(_conflict_message(current))

    return refusal


def _transition(*, actor, measurement, action, deciding=False, **fields):
    """Move a value by action from the status it has now; a decision also requires another actor than its submitter."""
    current = Measurement.objects.get(pk=measurement.pk)
    transition(
        workflow=MEASUREMENT_WORKFLOW,
        instance=current,
        action=action,
        actor=actor,
        conflict=_refusal(actor, deciding=deciding),
        where=~Q(submitted_by=actor) if deciding else None,
        **fields,
    )
    return Measurement.objects.select_related("indicator", "region", "organization").get(pk=measurement.pk)


def _conflict_message(current):
    who = current.decided_by or current.submitted_by
    name = (who.get_full_name() or who.username) if who else _("someone")
    if current.status == MeasurementStatus.APPROVED:
        return _("%(name)s already approved this value.") % {"name": name}
    if current.status == MeasurementStatus.REJECTED:
        return _("%(name)s already rejected this value.") % {"name": name}
    if current.status == MeasurementStatus.SUBMITTED:
        return _("This value was already submitted for approval.")
    return _("This value is a draft again; it must be submitted before a decision.")


@transaction.atomic
def measurement_submit(*, actor: User | None, measurement: Measurement) -> Measurement:
    """Send a draft value for approval."""
    _require_entry(actor, measurement.indicator)
    return _transition(
        actor=actor,
        measurement=measurement,
        action=MeasurementAction.SUBMIT,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def measurement_approve(*, actor: User, measurement: Measurement) -> Measurement:
    """Approve a submitted value, which locks its period and place; then compute the ratios it completes."""
    if not may_write(actor, measurement.indicator):
        raise NotPermitted()
    if measurement.submitted_by_id == actor.pk:
        raise NotPermitted(_("You submitted this value: someone else must approve it."))
    fresh = _transition(
        actor=actor,
        measurement=measurement,
        action=MeasurementAction.APPROVE,
        deciding=True,
        decided_by=actor,
        decided_at=timezone.now(),
        rejection_reason="",
    )
    _derive_ratios(actor=actor, measurement=fresh)
    emit(EventType.MEASUREMENT_APPROVED, fresh)
    return fresh


@transaction.atomic
def measurement_reject(*, actor: User, measurement: Measurement, reason: str) -> Measurement:
    """Send a submitted value back to whoever entered it, saying why."""
    if not may_write(actor, measurement.indicator):
        raise NotPermitted()
    if measurement.submitted_by_id == actor.pk:
        raise NotPermitted(_("You submitted this value: someone else must decide on it."))
    reason = (reason or "").strip()
    if not reason:
        raise MeasurementInvalid([("reason", _("Say why the value is rejected."))])
    return _transition(
        actor=actor,
        measurement=measurement,
        action=MeasurementAction.REJECT,
        deciding=True,
        decided_by=actor,
        decided_at=timezone.now(),
        rejection_reason=reason,
    )


def _derive_ratios(*, actor, measurement):
    """Record, approved, the value of every ratio whose numerator and denominator are now both approved."""
    cell = {"period": measurement.period, "region": measurement.region_id, "organization": measurement.organization_id}
    ratios = Indicator.objects.filter(
        Q(numerator_id=measurement.indicator_id) | Q(denominator_id=measurement.indicator_id),
        kind=IndicatorKind.RATIO,
    )
    for ratio in ratios:
        if Measurement.objects.filter(indicator=ratio, **cell).exists():
            continue
        is_numerator = ratio.numerator_id == measurement.indicator_id
        other_id = ratio.denominator_id if is_numerator else ratio.numerator_id
        other = Measurement.objects.approved().filter(indicator_id=other_id, **cell).first()
        if other is None:
            continue
        numerator, denominator = (measurement.value, other.value) if is_numerator else (other.value, measurement.value)
        if not denominator:
            continue
        now = timezone.now()
        model_create(
            model=Measurement,
            actor=actor,
            data={
                "indicator": ratio,
                "period": measurement.period,
                "region": measurement.region,
                "organization": measurement.organization,
                "numerator": numerator,
                "denominator": denominator,
                "value": (numerator / denominator * ratio.factor).quantize(QUANTUM, rounding=ROUND_HALF_EVEN),
                "status": MeasurementStatus.APPROVED,
                "entered_by": actor,
                "entered_at": now,
                "decided_by": actor,
                "decided_at": now,
                "source": "computed",
                "is_sample": measurement.is_sample and other.is_sample,
            },
        )


class ImportRefused(core_errors.Invalid):
    """An upload broke rules; nothing from it was saved. errors: list of RowError."""

    default_message = gettext_lazy(
        "Nothing from this file was saved: correct the rows listed below and upload it again."
    )

    def __init__(self, errors):
        super().__init__(errors)


@transaction.atomic
def measurements_import(
    *, actor: User | None, indicator: Indicator, table: Any, submit: bool = False, source: str = ""
) -> list[Measurement]:
    """Save every row of an uploaded table, or none: any broken rule refuses the whole file.

    table is what `masar.indicators.imports.read_table` returned; the rows are checked again here,
    against the database as it is now, whatever the preview said.
    """
    from masar.indicators.imports import preview_table

    _require_entry(actor, indicator)
    preview = preview_table(indicator, table)
    if preview.errors:
        raise ImportRefused(preview.errors)
    from masar.indicators.imports import RowError

    created = []
    for row in preview.rows:
        try:
            created.append(
                _create(
                    actor=actor, indicator=indicator, entry=row.entry, checked=row.checked, submit=submit, source=source
                )
            )
        except MeasurementInvalid as error:
            # Someone saved the same period and place meanwhile: the whole file is refused, as promised.
            raise ImportRefused([RowError(row.number, "", "", message) for _field, message in error.errors]) from None
    return created


@transaction.atomic
def scorecard_weights_set(
    *, actor: User | None, weights: list[tuple[Indicator, Decimal, int]]
) -> list[ScorecardWeight]:
    """Set the scorecard weights of indicators (national delivery unit only), each audited.

    weights: [(indicator, weight, expected_version)], expected_version 0 when the indicator had no
    weight yet. A weight changed by someone else since it was read is refused (StaleEditError).
    """
    if not policy.may_set_weights(actor):
        raise NotPermitted(_("Only the national delivery unit sets scorecard weights."))
    saved = []
    for indicator, weight, expected_version in weights:
        current = ScorecardWeight.objects.filter(indicator=indicator).first()
        if current is None:
            if expected_version:
                raise StaleEditError(instance=indicator, expected_version=expected_version)
            if weight == Decimal(1):
                continue  # 1 is the weight of an indicator without one: nothing to record
            try:
                with transaction.atomic():
                    saved.append(
                        model_create(
                            model=ScorecardWeight, actor=actor, data={"indicator": indicator, "weight": weight}
                        )
                    )
            except (IntegrityError, ValidationError):
                # Someone gave this indicator its weight between the read and this write.
                raise StaleEditError(instance=indicator, expected_version=expected_version) from None
        elif current.weight != weight or current.version != expected_version:
            saved.append(
                model_update(instance=current, actor=actor, data={"weight": weight}, expected_version=expected_version)
            )
    return saved
