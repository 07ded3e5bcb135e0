"""Filters of the exports whose lists have no filter form of their own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.delivery.models import Obstacle, ObstacleCategory, ObstacleStatus, Severity
from masar.indicators.models import Indicator


def _label(name):
    return Obstacle._meta.get_field(name).verbose_name


class ObstacleFilterForm(forms.Form):
    """The filters of an obstacle export."""

    category = forms.ChoiceField(
        label=_label("category"), choices=[("", "—"), *ObstacleCategory.choices], required=False
    )
    severity = forms.ChoiceField(label=_label("severity"), choices=[("", "—"), *Severity.choices], required=False)
    status = forms.ChoiceField(label=_label("status"), choices=[("", "—"), *ObstacleStatus.choices], required=False)

    def __init__(self, *args, user, **kwargs):
        # Every export's form is built like ProjectFilterForm, with the reader.
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        """Return queryset narrowed by the valid filters."""
        for name in ("category", "severity", "status"):
            if self.cleaned_data.get(name):
                queryset = queryset.filter(**{name: self.cleaned_data[name]})
        return queryset


class MeasurementFilterForm(forms.Form):
    """The filters of an indicator-value export: one indicator the reader may see, by code."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.visible_to(user)

    def filter(self, queryset):
        if self.cleaned_data.get("indicator"):
            queryset = queryset.filter(indicator=self.cleaned_data["indicator"])
        return queryset
