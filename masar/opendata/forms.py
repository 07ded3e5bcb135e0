"""Forms of the open-data portal and of the inventory: they parse into the selectors' filters and the services' data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin, PlainSelect
from masar.core.models import Classification
from masar.core.policy import may_see_staff
from masar.core.records import RecordType
from masar.indicators.models import Indicator
from masar.opendata.inventory import DatasetFilters, steward_candidates, stewards
from masar.opendata.models import (
    ChangeAction,
    Dataset,
    EuTheme,
    Licence,
    Lineage,
    NationalTheme,
    Publication,
    PublicationAction,
    PublicView,
    ResourceFormat,
)
from masar.opendata.selectors import CatalogueFilters, published_organizations
from masar.opendata.services import PUBLICATION_FIELDS
from masar.organizations.models import Organization, Region
from masar.portfolio.forms import LocalizedChoiceField
from masar.strategy.models import Strategy

THEMES = [*EuTheme.choices, *NationalTheme.choices]
CATALOGUE_SORTS = {
    "": (("name", False),),
    "title": (("title", False),),
    "modified": (("metadata_modified", True),),
}


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class PersonChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class CatalogueForm(forms.Form):
    """The search box and facets of the open-data catalogue."""

    q = forms.CharField(label=_("Search the datasets"), required=False, max_length=200)
    organization = forms.ChoiceField(label=_("Organization"), choices=(), required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=_blank(THEMES), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=_blank(ResourceFormat.choices), required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=_blank(Licence.choices), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[("", _("By name")), ("title", _("By title")), ("modified", _("Latest changed first"))],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = _blank(
            (organization.code, organization.name) for organization in published_organizations()
        )

    def to_filters(self) -> CatalogueFilters:
        """Return the valid search and facets as the catalogue's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        return CatalogueFilters(
            q=(data.get("q") or "").strip(),
            organization=data.get("organization") or "",
            theme=data.get("theme") or "",
            format=data.get("format") or "",
            licence=data.get("licence") or "",
            sort=CATALOGUE_SORTS[data.get("sort") or ""],
        )


class DatasetFilterForm(forms.Form):
    """The filters of the inventory; the steward filter is offered to civil servants only (it names people)."""

    owner = LocalizedChoiceField(
        label=_("Owner organization"),
        queryset=Organization.objects.only("pk", "name_ar", "name_fr", "name_en"),
        required=False,
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=_blank(Classification.choices), required=False
    )
    record_type = forms.ChoiceField(label=_("Kind of records"), choices=_blank(RecordType.choices), required=False)
    personal_data = forms.ChoiceField(
        label=_("Personal data"),
        choices=[("", "—"), ("yes", _("Holds personal data")), ("no", _("No personal data"))],
        required=False,
    )
    steward = PersonChoiceField(label=_("Data steward"), queryset=None, required=False)

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_see_staff(reader):
            self.fields["steward"].queryset = stewards(reader)
        else:
            del self.fields["steward"]

    def to_filters(self) -> DatasetFilters:
        """Return the valid filters as the inventory's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        personal = {"yes": True, "no": False}.get(data.get("personal_data") or "")
        return DatasetFilters(
            owner=data.get("owner"),
            classification=data.get("classification") or "",
            record_type=data.get("record_type") or "",
            personal_data=personal,
            steward=data.get("steward"),
        )


def _text_widgets(*names: str, rows: int | None = None) -> dict[str, forms.Widget]:
    """Arabic fields right to left, French and English left to right."""
    widgets: dict[str, forms.Widget] = {}
    for name in names:
        attrs: dict[str, Any] = {"dir": "rtl" if name.endswith("_ar") else "ltr"}
        if rows:
            attrs["rows"] = rows
        widgets[name] = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return widgets


class DatasetForm(ArabicDigitsMixin, forms.ModelForm):
    """Edit a dataset's description in the inventory (its classification and owner change by request only)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    lineage = forms.MultipleChoiceField(
        label=_("Lineage"), choices=Lineage.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    steward = PersonChoiceField(label=_("Data steward"), queryset=None, required=False)

    class Meta:
        model = Dataset
        fields = [
            "name_ar",
            "name_fr",
            "name_en",
            "description_ar",
            "description_fr",
            "description_en",
            "steward",
            "legal_basis",
            "personal_data",
            "retention_months",
            "update_frequency",
            "quality_notes",
            "lineage",
        ]
        widgets = {
            **_text_widgets("name_ar", "name_fr", "name_en"),
            **_text_widgets("description_ar", "description_fr", "description_en", rows=3),
            "legal_basis": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "quality_notes": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = steward_candidates(self.instance)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks the fields it shows.
        pass

    def data_for_service(self) -> dict[str, Any]:
        """Return the cleaned fields the service writes (the version goes separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DatasetChangeForm(forms.Form):
    """Ask the national unit to change a dataset's classification or owner, saying why."""

    classification = forms.ChoiceField(
        label=_("New classification"), choices=_blank(Classification.choices), required=False
    )
    owner = LocalizedChoiceField(
        label=_("New owner organization"),
        queryset=Organization.objects.only("pk", "path", "name_ar", "name_fr", "name_en"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}), required=False, max_length=4000
    )


class DecisionForm(forms.Form):
    """A decision of the national unit with its reason (needed to refuse or withdraw)."""

    action = forms.ChoiceField(label=_("Decision"), choices=())
    reason = forms.CharField(
        label=_("Reason (needed to refuse or withdraw)"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions


def change_decision_form(data: Any = None) -> DecisionForm:
    return DecisionForm(data, actions=ChangeAction.choices)


def publication_decision_form(data: Any = None) -> DecisionForm:
    actions = [
        (value, label)
        for value, label in PublicationAction.choices
        if value in (PublicationAction.APPROVE, PublicationAction.REFUSE, PublicationAction.WITHDRAW)
    ]
    return DecisionForm(data, actions=actions)


class KeywordsField(forms.CharField):
    """Keywords typed separated by commas (Arabic or Latin), kept as a list."""

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        words = [word.strip() for word in text.replace("،", ",").split(",")]
        return list(dict.fromkeys(word for word in words if word))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(word) for word in value)
        return value


class PublicationForm(ArabicDigitsMixin, forms.ModelForm):
    """Draft or edit a published dataset: its view, anchors, titles and descriptions, licence and coverage."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    view = forms.ChoiceField(label=_("Public view"), choices=PublicView.choices)
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=_blank(Licence.choices),
        required=False,
        initial=Licence.CC_BY_4,
        help_text=_("Creative Commons Attribution 4.0 unless there is a reason for another."),
    )
    strategy = LocalizedChoiceField(label=_("Strategy or program"), queryset=Strategy.objects.none(), required=False)
    indicator = LocalizedChoiceField(label=_("Indicator"), queryset=Indicator.objects.none(), required=False)
    spatial = LocalizedChoiceField(label=_("Spatial coverage"), queryset=Region.objects.all(), required=False)
    themes = forms.MultipleChoiceField(
        label=_("EU data themes"), choices=EuTheme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    national_themes = forms.MultipleChoiceField(
        label=_("National themes"), choices=NationalTheme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    keywords = KeywordsField(
        label=_("Keywords"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    class Meta:
        model = Publication
        fields = list(PUBLICATION_FIELDS)  # what the service lets a steward change
        widgets = {
            **_text_widgets("title_ar", "title_fr", "title_en"),
            **_text_widgets("description_ar", "description_fr", "description_en", rows=3),
            "name": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.visible_to(reader)
        self.fields["indicator"].queryset = Indicator.objects.visible_to(reader)
        if not self.instance.pk:
            self.fields["version"].required = False
        elif not self.is_bound:
            self.initial["version"] = self.instance.version
        for name in ("temporal_start", "temporal_end"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if self.instance.pk:
            # The address of a published dataset never changes: harvesters and citations hold it.
            self.fields["name"].disabled = True

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks the fields it shows.
        pass

    def data_for_service(self) -> dict[str, Any]:
        """Return the cleaned fields the service writes (the version, and a name that cannot change, go apart)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not (name == "name" and self.fields["name"].disabled)
        }
