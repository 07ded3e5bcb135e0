"""Writes of integrity and early warning: the inspectorate's triage of alerts and the national unit's rule settings.

Alerts are raised and updated by the detection run (`masar.integrity.detection`); people only move them
through `ALERT_WORKFLOW` (each move audited) and set the rules the run applies.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.core import policy
from masar.core.errors import DomainError, Invalid, NotPermitted
from masar.core.services import model_create, model_update
from masar.core.workflow import stale_or_conflict, transition
from masar.integrity.catalogue import rule_catalogue
from masar.integrity.models import ALERT_WORKFLOW, Alert, AlertAction, RuleSetting

# The moves that close or hand on an alert: the inspector says why, in words the next reader understands.
REASON_REQUIRED = frozenset({AlertAction.DISMISS, AlertAction.REFER})


@transaction.atomic
def alert_triage(*, actor: User, alert: Alert, action: str, reason: str = "", version: int) -> Alert:
    """Move an alert one step through triage (review, dismiss, confirm, refer), audited; return it.

    Only the inspectorate triages. Dismissing and referring need the reason; who decided and when are
    kept. The move is refused, changing nothing, when the alert changed since the inspector read it
    (its version) or the action is not open from its status.
    """
    if not policy.may_triage(actor):
        raise NotPermitted(_("Only the inspectorate triages alerts."))
    if action not in AlertAction.values:
        raise Invalid([("action", _("Choose an action the alert's status allows."))])
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise Invalid([("reason", _("Say why: dismissing or referring an alert needs the reason."))])
    fields: dict[str, Any] = {"decided_by": actor, "decided_at": timezone.now()}
    if reason:
        fields["reason"] = reason
    return transition(
        workflow=ALERT_WORKFLOW,
        instance=alert,
        action=action,
        actor=actor,
        conflict=stale_or_conflict(version),
        where=Q(version=version),
        **fields,
    )


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list | tuple):
        return isinstance(value, list | tuple)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return default is None or isinstance(value, type(default))


def rule_params_check(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return params checked against the rule's defaults: known names only, each of its default's type."""
    rules = rule_catalogue()
    rule = rules.get(code)
    if rule is None:
        raise Invalid([(None, _("There is no rule %(code)s.") % {"code": code})])
    defaults = dict(getattr(rule, "defaults", {}) or {})
    if not isinstance(params, dict):
        raise Invalid([("params", _("The parameters must be a set of named values."))])
    errors: list[tuple[str | None, Any]] = []
    for name, value in params.items():
        if name not in defaults:
            errors.append((None, _("The rule %(code)s has no parameter %(name)s.") % {"code": code, "name": name}))
        elif not _same_type(defaults[name], value):
            errors.append(
                (
                    None,
                    _("The parameter %(name)s is not of the expected kind (like %(default)s).")
                    % {
                        "name": name,
                        "default": defaults[name],
                    },
                )
            )
    if errors:
        raise Invalid(errors)
    return {name: float(value) if isinstance(defaults[name], float) else value for name, value in params.items()}


@transaction.atomic
def rule_setting_update(
    *, actor: User, code: str, enabled: bool, params: dict[str, Any], version: int | None
) -> RuleSetting:
    """Switch a rule on or off and set its parameters over its defaults (the national unit); audited.

    A rule never set has no setting yet (version 0): the first save creates it. A save based on a
    version no longer current is refused with the changes made meanwhile.
    """
    if not policy.may_set_rules(actor):
        raise NotPermitted(_("Only the national delivery unit sets the red-flag rules."))
    checked = rule_params_check(code, params)
    data = {"enabled": bool(enabled), "params": checked, "updated_by": actor}
    setting = RuleSetting.objects.filter(code=code).first()
    if setting is None:
        return model_create(model=RuleSetting, actor=actor, data={"code": code, **data})
    return model_update(instance=setting, actor=actor, data=data, expected_version=version or 0)


def procurement_file_import(
    *, actor: User, kind: str, file: Any, owner: Any = None, classification: str = "restricted"
) -> str:
    """Import one file of the trail or of tax compliance, all or nothing; return what was done, in a sentence.

    Refusals are the importers' own: OcdsInvalid (each error at its JSON path), CsvInvalid (row, column,
    reason), NotPermitted.
    """
    from masar.integrity.forms import ImportKind
    from masar.integrity.imports import procurement_csv_import, tax_reports_import
    from masar.integrity.ocds import OcdsInvalid, release_package_import, releases_from_jsonl

    content = file.read()
    source = str(getattr(file, "name", ""))[:200]
    if kind == ImportKind.TAX_CSV:
        taxes = tax_reports_import(actor=actor, content=content, source=source)
        return str(
            _("%(reports)s reports recorded; %(changed)s suppliers' status changed.")
            % {"reports": taxes.reports, "changed": taxes.statuses_changed}
        )
    if kind == ImportKind.PROCUREMENT_CSV:
        report = procurement_csv_import(
            actor=actor, content=content, owner=owner, classification=classification, source=source
        )
    else:
        text = content.decode("utf-8-sig", errors="replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = releases_from_jsonl(text) if text.lstrip().startswith("{") else None
            if data is None:
                raise OcdsInvalid([("", str(_("The file is neither JSON nor JSON Lines.")))]) from None
        report = release_package_import(
            actor=actor, data=data, owner=owner, classification=classification, source=source
        )
    return str(
        _(
            "%(created)s tenders created and %(updated)s updated, with %(bids)s bids, %(contracts)s contracts and "
            "%(payments)s payments; %(unconverted)s amounts left unconverted (no exchange rate)."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "bids": report.bids,
            "contracts": report.contracts,
            "payments": report.payments,
            "unconverted": report.unconverted,
        }
    )


def import_errors(refused: DomainError) -> list[tuple[str, str, str]]:
    """Return an import's refusal as (place, field, reason) rows to show, or [] when it is not an import's."""
    from masar.integrity.imports import CsvInvalid
    from masar.integrity.ocds import OcdsInvalid

    if isinstance(refused, OcdsInvalid):
        return [(str(path) or "/", "", str(message)) for path, message in refused.errors]
    if isinstance(refused, CsvInvalid):
        return [(str(row), str(column), str(reason)) for row, column, reason in refused.errors]
    return []


def payments_link(*, tender_ids: list[int] | None = None) -> int:
    """Link each payment on a project's contract to the project's progress update of the payment's month.

    That update's spend to date is where the project reported the money: the contract page shows the
    two side by side. Payments with no date, no project or no update of that month stay unlinked.
    Return how many payments were linked.
    """
    from masar.delivery.models import ProgressUpdate
    from masar.integrity.models import Payment

    payments = Payment.objects.filter(contract__tender__project__isnull=False, date__isnull=False)
    if tender_ids is not None:
        payments = payments.filter(contract__tender_id__in=tender_ids)
    rows = [
        (pk, day.replace(day=1), project, update)
        for pk, day, project, update in payments.values_list(
            "pk", "date", "contract__tender__project_id", "progress_update_id"
        )
        if day is not None
    ]
    months = {(project, month) for _pk, month, project, _update in rows}
    updates = {
        (project, period): pk
        for pk, project, period in ProgressUpdate.objects.filter(
            project_id__in={project for project, _month in months}, period__in={month for _p, month in months}
        ).values_list("pk", "project_id", "period")
    }
    changed = []
    for pk, month, project, current in rows:
        update = updates.get((project, month))
        if update != current:
            changed.append(Payment(pk=pk, progress_update_id=update))
    Payment.objects.bulk_update(changed, ["progress_update"], batch_size=1000)
    return sum(1 for payment in changed if payment.progress_update_id is not None)
