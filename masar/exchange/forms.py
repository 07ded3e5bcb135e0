"""Forms of the data exchange pages: tokens, API clients and sharing agreements."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.forms import ArabicDigitsMixin, FilterableSelect
from masar.core.models import Classification
from masar.exchange.models import AgreementAction, RecordType, scope_choices
from masar.organizations.models import Organization

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("This choice is unknown or not open to you.")}

    def label_from_instance(self, obj):
        return obj.name


class TokenForm(ArabicDigitsMixin, forms.Form):
    """A new token: a name that says where it is used, and an optional last day."""

    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("Say where the token is used, e.g. “monthly report script”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for a token that works until it is revoked."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("A token must expire after today."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        """Return the moment the token stops working: the end of its last day."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class RotateForm(forms.Form):
    """How long the replaced token keeps working, so the system can switch to the new one."""

    OVERLAPS = {"0": 0, "1": 1, "7": 7, "30": 30}
    overlap = forms.ChoiceField(
        label=_("The old token keeps working for"),
        choices=[
            ("0", _("no time: it stops now")),
            ("1", _("one day")),
            ("7", _("seven days")),
            ("30", _("thirty days")),
        ],
        initial="1",
    )

    def overlap_delta(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.OVERLAPS[self.cleaned_data["overlap"]])


def _clearance_choices(who: Any) -> list[tuple[str, str]]:
    allowed = policy.levels_up_to(policy.max_clearance(who))
    return [(value, label) for value, label in Classification.choices if value in allowed]


class ClientForm(forms.Form):
    """A system of another administration: names, owner, contact, scopes and ceiling (never above the reader's)."""

    name_ar = forms.CharField(label=_("name (Arabic)"), max_length=400)
    name_fr = forms.CharField(label=_("name (French)"), max_length=400, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=400, required=False)
    organization = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), widget=FilterableSelect
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact_email = forms.EmailField(label=_("Technical contact (e-mail)"), required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )
    clearance = forms.ChoiceField(label=_("Classification ceiling"), choices=())

    def __init__(self, *args: Any, reader: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices()
        self.fields["clearance"].choices = _clearance_choices(reader)
        if editing:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = Organization.objects.filter(policy.managed_q(reader, ""))
            self.fields["organization"].widget.filter_label = str(self.fields["organization"].label)


class AgreementRequestForm(ArabicDigitsMixin, forms.Form):
    """A client's request for a dataset owned by another organization."""

    owner = OrganizationChoiceField(
        label=_("Owner of the data"), queryset=Organization.objects.all(), widget=FilterableSelect
    )
    record_type = forms.ChoiceField(label=_("Records"), choices=RecordType.choices)
    max_classification = forms.ChoiceField(
        label=_("Up to classification"), choices=Classification.choices, initial=Classification.PUBLIC
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law, decree or council decision that allows this exchange."),
    )
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.filter_label = str(self.fields["owner"].label)


class DecideForm(forms.Form):
    """The owner's answer to an agreement: approve, refuse (with a reason) or revoke."""

    action = forms.ChoiceField(choices=AgreementAction.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required to refuse; told to the requesting administration."),
    )
