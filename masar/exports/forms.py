"""Filters of the exports whose lists have no filter form of their own: each parses into its list's filter object."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.delivery.models import Obstacle, ObstacleCategory, ObstacleStatus, Severity
from masar.delivery.selectors import ObstacleFilters
from masar.indicators.models import Indicator, MeasurementStatus
from masar.indicators.selectors import MeasurementFilters
from masar.organizations.models import Organization


def _label(name):
    return Obstacle._meta.get_field(name).verbose_name


class ObstacleFilterForm(forms.Form):
    """The filters of an obstacle export."""

    category = forms.ChoiceField(
        label=_label("category"), choices=[("", "—"), *ObstacleCategory.choices], required=False
    )
    severity = forms.ChoiceField(label=_label("severity"), choices=[("", "—"), *Severity.choices], required=False)
    status = forms.ChoiceField(label=_label("status"), choices=[("", "—"), *ObstacleStatus.choices], required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        # Every export's form is built like ProjectFilterForm, with the reader.
        super().__init__(*args, **kwargs)

    def to_filters(self) -> ObstacleFilters:
        """Return the valid filters as the obstacle list's filter object."""
        data = self.cleaned_data
        return ObstacleFilters(
            category=data.get("category") or "",
            severity=data.get("severity") or "",
            status=data.get("status") or "",
            organization=data.get("organization"),
        )


class MeasurementFilterForm(forms.Form):
    """The filters of an indicator-value export: one indicator the reader may see, by code."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *MeasurementStatus.choices], required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.visible_to(user)

    def to_filters(self) -> MeasurementFilters:
        """Return the valid filters as the value list's filter object."""
        data = self.cleaned_data
        return MeasurementFilters(
            indicator=data.get("indicator"), status=data.get("status") or "", organization=data.get("organization")
        )
