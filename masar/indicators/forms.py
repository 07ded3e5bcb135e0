import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from masar.indicators.checks import Entry
from masar.indicators.models import Disaggregation, Frequency, IndicatorKind
from masar.indicators.periods import (
    ParseError,
    parse_number,
    parse_period,
    period_format_help,
    period_key,
    period_label,
    reportable_periods,
)
from masar.organizations.models import Organization, Region

PERIODS_OFFERED = {Frequency.QUARTERLY: 40, Frequency.YEARLY: 10}  # the last ten years


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class MeasurementForm(forms.Form):
    """Enter or change one value: its period, its region or organization, the value and a comment.

    Only the fields the indicator needs are shown; numbers accept Eastern Arabic digits and the
    separators of the reader's language. The rules themselves are applied by the service.
    """

    period = forms.CharField(label=_("Period"), max_length=20)
    region = PlaceChoiceField(label=_("Region"), queryset=Region.objects.none())
    organization = PlaceChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    value = forms.CharField(label=_("Value"), max_length=40)
    numerator = forms.CharField(label=_("Numerator"), max_length=40)
    denominator = forms.CharField(label=_("Denominator"), max_length=40)
    weight = forms.CharField(
        label=_("Weight"),
        max_length=40,
        help_text=_("What this value weighs in the national average, e.g. the population."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Required when the value moves much against the previous period."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator, measurement=None, **kwargs):
        if measurement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "period": period_key(measurement.period, indicator.frequency),
                "region": measurement.region_id,
                "organization": measurement.organization_id,
                "value": _plain(measurement.value),
                "numerator": _plain(measurement.numerator),
                "denominator": _plain(measurement.denominator),
                "weight": _plain(measurement.weight),
                "comment": measurement.comment,
                "version": measurement.version,
            }
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = period_format_help(indicator.frequency)
        self.periods = None
        if indicator.frequency == Frequency.MONTHLY:
            self.fields["period"].widget = forms.TextInput(attrs={"type": "month", "dir": "ltr"})
        else:
            # A quarter or a year is chosen among those that have ended, never typed as free text.
            self.periods = reportable_periods(
                indicator.frequency, datetime.date.today(), PERIODS_OFFERED[indicator.frequency]
            )
            if measurement is not None and measurement.period not in self.periods:
                self.periods.insert(0, measurement.period)
            self.fields["period"].widget = forms.Select(
                choices=[("", "—")]
                + [
                    (period_key(day, indicator.frequency), period_label(day, indicator.frequency))
                    for day in self.periods
                ]
            )
            self.fields["period"].help_text = ""
        keep = {"period", "comment", "version"}
        if indicator.disaggregation == Disaggregation.REGION:
            keep.add("region")
            self.fields["region"].queryset = Region.objects.filter(kind=indicator.region_level).order_by("code")
        elif indicator.disaggregation == Disaggregation.ORGANIZATION:
            keep.add("organization")
            self.fields["organization"].queryset = Organization.objects.order_by("path")
        keep |= {"numerator", "denominator"} if indicator.kind == IndicatorKind.RATIO else {"value"}
        if indicator.effective_aggregation() == "weighted_mean":
            keep.add("weight")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in ("value", "numerator", "denominator", "weight"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"inputmode": "decimal", "dir": "ltr"})

    def clean_period(self):
        try:
            day = parse_period(self.cleaned_data["period"], self.indicator.frequency)
        except ParseError as error:
            raise ValidationError(str(error)) from None
        if self.periods is not None and day not in self.periods:
            raise ValidationError(_("Choose the period in the list."))
        return day

    def _number(self, name):
        try:
            return parse_number(self.cleaned_data[name])
        except ParseError as error:
            raise ValidationError(str(error)) from None

    def clean_value(self):
        return self._number("value")

    def clean_numerator(self):
        return self._number("numerator")

    def clean_denominator(self):
        return self._number("denominator")

    def clean_weight(self):
        return self._number("weight")

    def entry(self):
        data = self.cleaned_data
        return Entry(
            period=data["period"],
            region=data.get("region"),
            organization=data.get("organization"),
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            weight=data.get("weight"),
            comment=data.get("comment", ""),
        )


def _plain(number):
    return "" if number is None else format(number.normalize(), "f")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this value rejected?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))


class WeightsForm(forms.Form):
    """The weight of each indicator of a ministry's scorecard, with the version each was read at."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            pk = line.indicator.pk
            self.fields[f"weight_{pk}"] = forms.CharField(
                label=line.indicator.name,
                initial=_plain_float(line.weight),
                max_length=12,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "size": 6}),
            )
            self.fields[f"version_{pk}"] = forms.IntegerField(widget=forms.HiddenInput, initial=line.weight_version)

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            name = f"weight_{line.indicator.pk}"
            if name not in cleaned:
                continue
            try:
                weight = parse_number(cleaned[name])
            except ParseError as error:
                self.add_error(name, str(error))
                continue
            if weight < 0 or weight > 1000:
                self.add_error(name, _("A weight lies between 0 and 1000."))
            else:
                cleaned[name] = weight.quantize(weight.__class__("0.01"))
        return cleaned

    def weights(self):
        return [
            (
                line.indicator,
                self.cleaned_data[f"weight_{line.indicator.pk}"],
                self.cleaned_data[f"version_{line.indicator.pk}"] or 0,
            )
            for line in self.lines
        ]

    def rows(self):
        return [
            (line, self[f"weight_{line.indicator.pk}"], self[f"version_{line.indicator.pk}"]) for line in self.lines
        ]


def _plain_float(weight):
    return f"{weight:g}" if weight is not None else "1"


class IndicatorFilterForm(forms.Form):
    """The filters of the indicator list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def to_filters(self):
        """Return the valid filters as the indicator list's filter object."""
        from masar.indicators.selectors import IndicatorFilters

        data = self.cleaned_data if self.is_bound else {}
        return IndicatorFilters(q=(data.get("q") or "").strip(), organization=data.get("organization"))
