from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from masar.dashboards.selectors import NAME_FIELDS
from masar.organizations.models import Organization, Region
from masar.organizations.selectors import government_for, governments
from masar.portfolio.selectors import ProjectFilters
from masar.strategy.models import Axis, Phase, Strategy

NAME_LANGUAGES = [field.removeprefix("name_") for field in NAME_FIELDS]


class NamedChoiceIterator(ModelChoiceIterator):
    """Read a field's choices as ids and names in the active language, in one plain query.

    Django's iterator reads whole records through a server-side cursor (three round trips on PostgreSQL);
    a national dashboard offers 500 organizations.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        language = (get_language() or "ar")[:2]
        for pk, *names in self.queryset.values_list("pk", *NAME_FIELDS):
            by_language = dict(zip(NAME_LANGUAGES, names, strict=True))
            yield (pk, by_language.get(language) or by_language["ar"])  # as masar.core.models.localized


class ListedSelect(forms.Select):
    """A select whose options are written in Python, as Django's template writes them.

    Django renders a template for each option: the 500 organizations of a national dashboard took tens of
    milliseconds to render, more than the figures.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        # The standard library's escape, which Django's wraps: 500 options each escaped through Django's lazy
        # wrappers took milliseconds.
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>{escape(str(label))}</option>'
            for v, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, mark_safe(options))  # escaped above


class NamedChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("This choice is unknown or not visible to you.")}
    iterator = NamedChoiceIterator
    widget = ListedSelect

    def label_from_instance(self, obj):
        return obj.name


class DashboardFilterForm(forms.Form):
    """The dashboard filters; every choice is limited to what the reader may see.

    When the platform holds several governments, the government comes first and one is always
    chosen (the reader's own unless asked otherwise): a dashboard never adds up two countries.
    """

    government = NamedChoiceField(
        label=_("Government"), queryset=Organization.objects.none(), required=False, empty_label=None
    )
    strategy = NamedChoiceField(label=_("Strategy"), queryset=Strategy.objects.none(), required=False)
    axis = NamedChoiceField(label=_("Axis"), queryset=Axis.objects.none(), required=False)
    phase = NamedChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    organization = NamedChoiceField(label=_("Organization"), queryset=Organization.objects.all(), required=False)
    region = NamedChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)

    def __init__(self, *args, user, sector=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.visible_to(user)
        self.fields["axis"].queryset = Axis.objects.visible_to(user)
        self.fields["phase"].queryset = Phase.objects.visible_to(user)
        self.default_government = None if sector is not None else government_for(user)
        if self.default_government is None:
            del self.fields["government"]
        else:
            self.fields["government"].queryset = governments()
            self.fields["government"].initial = self.default_government.pk
            if self.is_bound and not self.data.get("government"):
                self.data = self.data.copy()
                self.data["government"] = self.default_government.pk
        if sector is not None:
            del self.fields["organization"]

    def to_filters(self, *, sector=None) -> ProjectFilters:
        """Return the valid filters as the project list's filter object; a sectoral dashboard keeps to its sector."""
        data = dict(self.cleaned_data) if self.is_bound else {}
        government = data.pop("government", None) or self.default_government
        return ProjectFilters.from_form(data, organization=sector or data.get("organization") or government)
