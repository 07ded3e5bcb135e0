"""Form helpers shared by every app."""

from django import forms

from masar.arabic import normalize_digits


class ArabicDigitsMixin:
    """Accept Eastern Arabic and Persian digits in numbers and dates, as people type them."""

    def full_clean(self):
        if self.is_bound and hasattr(self.data, "copy"):
            data = self.data.copy()
            for key in list(data.keys()):
                field = self.fields.get(key.removeprefix(f"{self.prefix}-") if self.prefix else key)
                if isinstance(field, (forms.DecimalField, forms.IntegerField, forms.DateField, forms.FloatField)):
                    data[key] = normalize_digits(data[key])
            self.data = data
        super().full_clean()


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def localized_labels(field):
    """Show records in a choice field by their name in the active language."""
    field.label_from_instance = lambda obj: obj.name
    return field
