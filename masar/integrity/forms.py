"""Forms of integrity and early warning: they parse into the selectors' filters and the services' arguments."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin
from masar.core.models import Classification
from masar.integrity.catalogue import rule_catalogue
from masar.integrity.models import AlertAction, AlertStatus, AlertSubject, ProcurementMethod
from masar.integrity.selectors import AlertFilters, TenderFilters
from masar.organizations.models import Organization
from masar.portfolio.forms import LocalizedChoiceField


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def rule_choices() -> list[tuple[str, Any]]:
    """Return the rules and detectors as choices: their code and title."""
    return [(code, f"{code} · {getattr(rule, 'title', code)}") for code, rule in sorted(rule_catalogue().items())]


class AlertFilterForm(ArabicDigitsMixin, forms.Form):
    """The filters of the inspector's queue; supplier, buyer and project come from the groups' links."""

    rule = forms.CharField(label=_("Rule"), required=False, max_length=16)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(AlertStatus.choices), required=False)
    subject = forms.ChoiceField(label=_("About"), choices=_blank(AlertSubject.choices), required=False)
    supplier = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    buyer = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    project = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    all = forms.BooleanField(label=_("Include alerts no longer found"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = rule_choices()
        if choices:
            self.fields["rule"] = forms.ChoiceField(label=_("Rule"), choices=_blank(choices), required=False)

    def to_filters(self) -> AlertFilters:
        """Return the valid filters as the alert list's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        return AlertFilters(
            rule=data.get("rule") or "",
            status=data.get("status") or "",
            subject=data.get("subject") or "",
            supplier=data.get("supplier"),
            buyer=data.get("buyer"),
            project=data.get("project"),
            current_only=not data.get("all"),
            search=(data.get("q") or "").strip(),
        )


class TriageForm(forms.Form):
    """One move of an alert through triage, with the reason and the version the inspector read."""

    action = forms.ChoiceField(label=_("Action"), choices=AlertAction.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Required to dismiss or refer the alert: say what you found."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TenderFilterForm(ArabicDigitsMixin, forms.Form):
    """The filters of the procurement list."""

    buyer = LocalizedChoiceField(
        label=_("Buyer"), queryset=Organization.objects.only("pk", "name_ar", "name_fr", "name_en"), required=False
    )
    method = forms.ChoiceField(label=_("Procurement method"), choices=_blank(ProcurementMethod.choices), required=False)
    project = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def to_filters(self) -> TenderFilters:
        """Return the valid filters as the procurement list's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        buyer = data.get("buyer")
        return TenderFilters(
            buyer=buyer.pk if buyer is not None else None,
            project=data.get("project"),
            method=data.get("method") or "",
            search=(data.get("q") or "").strip(),
        )


PARAM_PREFIX = "param_"


def _param_field(name: str, default: Any) -> forms.Field:
    label = name.replace("_", " ")
    if isinstance(default, bool):
        return forms.BooleanField(label=label, required=False)
    if isinstance(default, int):
        return forms.IntegerField(label=label)
    if isinstance(default, float):
        return forms.FloatField(label=label)
    if isinstance(default, str):
        return forms.CharField(label=label, required=False, max_length=400)
    return forms.JSONField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}))


class RuleSettingForm(ArabicDigitsMixin, forms.Form):
    """A rule switched on or off, with one field per parameter of its defaults."""

    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, rule: Any, setting: Any = None, **kwargs: Any) -> None:
        defaults = dict(rule.defaults)
        params = rule.params(setting.params if setting is not None else None)
        kwargs.setdefault(
            "initial",
            {
                "enabled": setting.enabled if setting is not None else True,
                "version": setting.version if setting is not None else 0,
                **{PARAM_PREFIX + name: value for name, value in params.items()},
            },
        )
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        for name, default in defaults.items():
            field = _param_field(name, default)
            field.help_text = _("Default: %(value)s") % {"value": json.dumps(default, ensure_ascii=False)}
            self.fields[PARAM_PREFIX + name] = field

    def data_for_service(self) -> dict[str, Any]:
        """Return what the rule setting's service takes: enabled and the parameters by name."""
        params = {name: self.cleaned_data.get(PARAM_PREFIX + name) for name in self.defaults}
        return {"enabled": bool(self.cleaned_data.get("enabled")), "params": params}


class ImportKind(models.TextChoices):
    """What an integrity import file holds."""

    OCDS = "ocds", _("OCDS 1.1 releases (a release or record package in JSON, or JSON Lines)")
    PROCUREMENT_CSV = "procurement_csv", _("Procurement, one row per bid (CSV)")
    TAX_CSV = "tax_csv", _("Tax-compliance reports of the tax administration (CSV)")


class ProcurementImportForm(forms.Form):
    """A file of the procurement trail or of tax compliance, with the organization that will own its records."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File"))
    owner = forms.ModelChoiceField(
        label=_("Owner organization of the tenders"), queryset=Organization.objects.none(), required=False
    )
    classification = forms.ChoiceField(
        label=_("Classification of the tenders"), choices=Classification.choices, initial=Classification.RESTRICTED
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") != ImportKind.TAX_CSV and not data.get("owner"):
            self.add_error("owner", _("Choose the organization that will own the tenders."))
        return data
