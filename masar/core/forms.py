"""Form helpers shared by every app."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from masar.arabic import normalize_digits
from masar.core.numbers import TypedNumberError, read_number
from masar.core.templatetags.masar import babel_locale


class ArabicDigitsMixin:
    """Accept Eastern Arabic and Persian digits in numbers and dates, as people type them."""

    def full_clean(self):
        if self.is_bound and hasattr(self.data, "copy"):
            data = self.data.copy()
            for key in list(data.keys()):
                field = self.fields.get(key.removeprefix(f"{self.prefix}-") if self.prefix else key)
                if isinstance(field, TypedDecimalField):
                    continue  # read by its own parser, which tells ٫ (decimal) from ٬ (thousands)
                if isinstance(field, (forms.DecimalField, forms.IntegerField, forms.DateField, forms.FloatField)):
                    data[key] = normalize_digits(data[key])
            self.data = data
        super().full_clean()


class TypedDecimalField(forms.DecimalField):
    """A number (an amount, a percentage) typed as the page's language writes it, never by the browser's locale.

    A text box (a number box would let the browser read "7,5" as 75) read on the server by
    masar.arabic.numbers in the active language; a stored value is shown back written the same way, so
    the person can confirm it. Bounds and digits are checked as by DecimalField.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = read_number(str(value))
        except TypedNumberError as error:
            raise ValidationError(error.message, code="invalid") from None
        # Trailing zeros are no precision the person asked for: "1 200 000,500" fits two decimals.
        try:
            return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
        except InvalidOperation:  # more digits than the decimal context holds (a 400-digit "number"): no amount
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_decimal(value, locale=babel_locale(), decimal_quantization=False)
        return value

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class FilterableSelect(forms.Select):
    """A select with a search box that narrows its options as one types (a few lines of JavaScript)."""

    template_name = "core/widgets/filterable_select.html"
    filter_label = ""  # the field's label, to name the search box

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context


class PlainSelect(forms.Select):
    """A single select written in Python rather than through a template per option.

    A filter form lists every organization the reader may pick (500 at national size); Django's
    template renderer takes about a millisecond per ten options, this a few microseconds each.
    The markup is the one Django's own select gives.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            options.append(format_html('<option value="{}"{}>{}</option>', text, mark_safe(selected), label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        body = mark_safe("\n".join(options))  # each option escaped by format_html
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(final_attrs), body)


def localized_labels(field):
    """Show records in a choice field by their name in the active language."""
    field.label_from_instance = lambda obj: obj.name
    return field


def field_label(form, name, model=None):
    """Return a field's label in words: the form's label, else the model field's verbose name, else None."""
    if name in form.fields:
        return form[name].label
    model = model or getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            return capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return None


def add_field_errors(form, errors, *, model=None):
    """Put (field name, message) pairs beside their fields; a field the form does not show goes above it,
    named by its label in words, never by its code name."""
    for name, message in errors:
        if name in form.fields:
            form.add_error(name, message)
            continue
        label = None if name in (None, NON_FIELD_ERRORS) else field_label(form, name, model)
        if label:
            message = _("%(field)s: %(message)s") % {"field": label, "message": message}
        form.add_error(None, message)


def add_service_errors(form, error, *, model=None):
    """Attach a service's ValidationError to the form, each message beside the field it concerns."""
    if hasattr(error, "error_dict"):
        pairs = [(name, message) for name, errors in error.error_dict.items() for message in ValidationError(errors)]
        add_field_errors(form, pairs, model=model)
    else:
        form.add_error(None, error)
