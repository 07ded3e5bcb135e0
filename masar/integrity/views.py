"""Pages of integrity and early warning: the inspector's queue of alerts and their triage, the procurement
trail (tenders, contracts, suppliers) and the national unit's rule settings.

Alerts are read only by those the policy lets (`may_see_alerts`): anyone else signed in is refused the
queue and gets a 404 for an alert, and sees no sign of one on the trail's pages or the project's page.
Procurement records are read through `visible_to`; the public reads only public ones.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from masar.core import policy
from masar.core.changes import with_change_rows
from masar.core.errors import DomainError, StaleEditError, http_status
from masar.core.pages import form_save, refuse_in_form
from masar.core.selectors import audit_trail_for, paginate
from masar.integrity import selectors, services
from masar.integrity.catalogue import rule_catalogue
from masar.integrity.forms import (
    AlertFilterForm,
    ProcurementImportForm,
    RuleSettingForm,
    TenderFilterForm,
    TriageForm,
)
from masar.integrity.models import ALERT_WORKFLOW, Alert, AlertAction, RuleSetting
from masar.integrity.services import REASON_REQUIRED


def _require_alert_reader(request: HttpRequest) -> None:
    if not policy.may_see_alerts(request.reader):
        raise PermissionDenied


# Alerts --------------------------------------------------------------------------------------------


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    """Show the inspector's queue: alerts by score, filters, and the suppliers, buyers and projects most flagged."""
    _require_alert_reader(request)
    form = AlertFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        alerts = Alert.objects.none()
        groups: dict[str, Any] = {}
    else:
        filters = form.to_filters()
        alerts = selectors.alert_list(request.reader, filters)
        groups = selectors.alert_groups(request.reader, filters)
    page = paginate(alerts, request.GET.get("page"), settings.PAGE_SIZE)
    rules = rule_catalogue()
    for alert in page:
        alert.rule_title = getattr(rules.get(alert.rule), "title", "")
    context = {
        "form": form,
        "page": page,
        "groups": groups,
        "clear": reverse("integrity:integrity-alert-list"),
        "may_set_rules": policy.may_set_rules(request.reader),
        "may_run": policy.may_run_detection(request.reader),
    }
    return render(request, "integrity/alert_list.html", context, status=status)


def _figures(alert: Alert) -> list[tuple[str, Any, bool]]:
    """Return the alert's figures as (name, value, whether it is a number to format in the page's language)."""
    figures = (alert.evidence or {}).get("figures") or {}
    return [
        (str(name), value, isinstance(value, int | float) and not isinstance(value, bool))
        for name, value in figures.items()
    ]


def _alert_page(
    request: HttpRequest, alert: Alert, form: TriageForm | None = None, stale: Any = None, status: int = 200
) -> HttpResponse:
    rule = selectors.rule_of(alert.rule)
    may_triage = policy.may_triage(request.reader)
    actions = [AlertAction(action) for action in ALERT_WORKFLOW.actions(alert.status)] if may_triage else []
    context = {
        "alert": alert,
        "rule": rule,
        "explanation": selectors.rule_explanation(alert),
        "figures": _figures(alert),
        "evidence": selectors.evidence_records(request.reader, alert),
        "actions": actions,
        "needs_reason": [action for action in actions if action in REASON_REQUIRED],
        "form": form or TriageForm(initial={"version": alert.version}),
        "stale": stale,
        "again": request.path,
        "trail": audit_trail_for(alert, request.user),
    }
    return render(request, "integrity/alert_detail.html", context, status=status)


@login_required
@require_safe
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an alert: its rule and why it matters, the numbers against the threshold, the records, triage, trail."""
    alert = selectors.alert_get(request.reader, pk)
    return _alert_page(request, alert)


@login_required
@require_POST
def alert_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an alert through triage; a refused move shows why on the alert's page and changes nothing."""
    alert = selectors.alert_get(request.reader, pk)
    if not policy.may_triage(request.reader):
        raise PermissionDenied
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _alert_page(request, alert, form, status=400)
    data = form.cleaned_data
    try:
        services.alert_triage(
            actor=request.user, alert=alert, action=data["action"], reason=data["reason"], version=data["version"]
        )
    except StaleEditError as error:
        error.entries = with_change_rows(error.changes_since, Alert, request.user)  # type: ignore[attr-defined]
        form.add_error(None, error.message)
        return _alert_page(request, selectors.alert_get(request.reader, pk), form, stale=error, status=409)
    except DomainError as error:
        refuse_in_form(form, error)
        return _alert_page(request, selectors.alert_get(request.reader, pk), form, status=http_status(error))
    messages.success(request, _("The alert's triage was recorded."))
    return redirect("integrity:integrity-alert-detail", pk=alert.pk)


# The procurement trail -----------------------------------------------------------------------------


@require_safe
def tender_list(request: HttpRequest) -> HttpResponse:
    """List the tenders this reader reads, filtered, latest first."""
    form = TenderFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        tenders = selectors.tender_list(request.reader).none()
    else:
        tenders = selectors.tender_list(request.reader, form.to_filters())
    context = {
        "form": form,
        "page": paginate(tenders, request.GET.get("page"), settings.PAGE_SIZE),
        "clear": reverse("integrity:integrity-tender-list"),
        "sees_alerts": policy.may_see_alerts(request.reader),
        "may_import": policy.may_import_procurement(request.reader) or policy.may_report_tax_compliance(request.reader),
    }
    return render(request, "integrity/tender_list.html", context, status=status)


@require_safe
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a tender: method, dates, estimated value, bids, awards, contracts (and its alerts for those who may)."""
    context = selectors.tender_get(request.reader, pk)
    return render(request, "integrity/tender_detail.html", context)


@require_safe
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a contract: value, signature, end, amendments, payments (and its alerts for those who may)."""
    context = selectors.contract_get(request.reader, pk)
    return render(request, "integrity/contract_detail.html", context)


@require_safe
def supplier_list(request: HttpRequest) -> HttpResponse:
    """List the suppliers this reader reads."""
    search = (request.GET.get("q") or "").strip()[:200]
    suppliers = selectors.supplier_list(request.reader, search)
    context = {"page": paginate(suppliers, request.GET.get("page"), settings.PAGE_SIZE), "q": search}
    return render(request, "integrity/supplier_list.html", context)


@require_safe
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a supplier: registration, names, contacts, tax compliance, bids and contracts (alert history if allowed)."""
    context = selectors.supplier_get(request.reader, pk)
    return render(request, "integrity/supplier_detail.html", context)


# Rule settings -------------------------------------------------------------------------------------


def _require_rule_setter(request: HttpRequest) -> None:
    if not policy.may_set_rules(request.reader):
        raise PermissionDenied


@login_required
@require_safe
def rule_list(request: HttpRequest) -> HttpResponse:
    """List the red-flag rules with whether each is on and its parameters (the national unit)."""
    _require_rule_setter(request)
    rules = selectors.rule_setting_list()
    return render(request, "integrity/rule_list.html", {"rules": rules})


@login_required
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Switch a rule on or off and set its parameters; a save on a stale version shows what changed meanwhile."""
    _require_rule_setter(request)
    rule = selectors.rule_of(code)
    if rule is None:
        raise Http404
    setting = RuleSetting.objects.filter(code=code).first()
    form = RuleSettingForm(request.POST if request.method == "POST" else None, rule=rule, setting=setting)

    def save(data: dict[str, Any], version: int | None) -> RuleSetting:
        return services.rule_setting_update(actor=request.user, code=code, version=version, **data)

    saved, stale = form_save(request, form, save, RuleSetting)
    if saved is not None:
        messages.success(request, _("The rule's settings were saved; the next detection run applies them."))
        return redirect("integrity:integrity-rule-list")
    status = 409 if stale else (400 if form.is_bound else 200)
    context = {
        "form": form,
        "stale": stale,
        "rule": rule,
        "code": code,
        "again": request.path,
        "trail": audit_trail_for(setting, request.user) if setting else None,
    }
    return render(request, "integrity/rule_form.html", context, status=status)


# Detection runs and imports ------------------------------------------------------------------------


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """Show the latest detection runs with their progress and what each rule found; queue one now (POST)."""
    if not policy.may_run_detection(request.reader):
        raise PermissionDenied
    if request.method == "POST":
        from masar.integrity.tasks import scan_enqueue

        scan_enqueue()
        messages.success(request, _("A detection run was asked of the worker; its progress shows below."))
        return redirect("integrity:integrity-run-list")
    runs = selectors.run_list()
    return render(request, "integrity/run_list.html", {"runs": runs})


@login_required
def procurement_import(request: HttpRequest) -> HttpResponse:
    """Import OCDS releases, a procurement CSV or tax-compliance reports: all of a file or nothing."""
    if not (policy.may_import_procurement(request.reader) or policy.may_report_tax_compliance(request.reader)):
        raise PermissionDenied
    form = ProcurementImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[str, str, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.procurement_file_import(actor=request.user, **form.cleaned_data)
            except DomainError as refused:
                errors = services.import_errors(refused)
                if not errors:
                    refuse_in_form(form, refused)
                status = http_status(refused) if not errors else 400
            else:
                messages.success(request, outcome)
                return redirect("integrity:integrity-import")
        else:
            status = 400
    return render(request, "integrity/import.html", {"form": form, "errors": errors}, status=status)
