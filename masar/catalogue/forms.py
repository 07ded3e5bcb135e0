"""Forms of the owners' pages of the catalogue: they parse into the selectors' filters and the services' arguments.

No rule lives here: a value the services refuse (a negative count, a project the reader may not read, a document
without its Arabic name) is passed on and the service's error is shown beside its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from masar.catalogue.models import (
    Audience,
    Channel,
    DigitizationLevel,
    FeedbackKind,
    FeedbackStatus,
    LifeEvent,
    ModerationAction,
    Service,
    ServiceCategory,
)
from masar.catalogue.owner_selectors import ORGANIZATION_FIELDS, service_owner_choices
from masar.catalogue.selectors import FeedbackFilters, ServiceFilters
from masar.catalogue.services import DocumentEntry, UsageEntry
from masar.core.forms import ArabicDigitsMixin, MonthField, TypedDecimalField
from masar.core.models import Classification, validate_classification
from masar.organizations.models import Organization
from masar.portfolio.forms import LocalizedChoiceField
from masar.portfolio.models import Project


def _blank(choices: Any) -> list[tuple[Any, Any]]:
    return [("", "—"), *choices]


def _organizations() -> Any:
    return Organization.objects.only(*ORGANIZATION_FIELDS)


class ServiceFilterForm(ArabicDigitsMixin, forms.Form):
    """The filters of the catalogue's list (`ServiceFilters`)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    organization = LocalizedChoiceField(label=_("Organization"), queryset=_organizations(), required=False)
    life_event = LocalizedChoiceField(label=_("Life event"), queryset=LifeEvent.objects.all(), required=False)
    category = LocalizedChoiceField(label=_("Category"), queryset=ServiceCategory.objects.all(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(Channel.choices), required=False)
    level = forms.TypedChoiceField(
        label=_("Digitization level"), choices=_blank(DigitizationLevel.choices), coerce=int, required=False
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=_blank(Audience.choices), required=False)
    once_only = forms.BooleanField(label=_("With a once-only opportunity"), required=False)

    def to_filters(self) -> ServiceFilters:
        """Return the valid filters as the catalogue's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        organization, life_event, category = data.get("organization"), data.get("life_event"), data.get("category")
        level = data.get("level")
        return ServiceFilters(
            q=(data.get("q") or "").strip(),
            organization=organization.pk if organization else None,
            life_event=life_event.pk if life_event else None,
            category=category.pk if category else None,
            channel=data.get("channel") or None,
            audience=data.get("audience") or None,
            level=level if level not in (None, "") else None,
            with_once_only=bool(data.get("once_only")),
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


class ServiceForm(ArabicDigitsMixin, forms.ModelForm):
    """Add or change a service; the version it was opened at travels along to refuse stale edits.

    The owner is chosen among the organizations the reader may add services for (and the current owner).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = LocalizedChoiceField(label=_("Owner organization"), queryset=Organization.objects.none())
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    audiences = forms.MultipleChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    life_event = LocalizedChoiceField(label=_("Life event"), queryset=LifeEvent.objects.all(), required=False)
    category = LocalizedChoiceField(label=_("Category"), queryset=ServiceCategory.objects.all(), required=False)
    level = forms.TypedChoiceField(label=_("Digitization level"), choices=DigitizationLevel.choices, coerce=int)
    fee = TypedDecimalField(label=_("Fee"), required=False, max_digits=14, decimal_places=3)
    online_url = forms.URLField(
        label=_("Online address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )

    class Meta:
        model = Service
        fields = [
            "code",
            "name_ar",
            "name_fr",
            "name_en",
            "description_ar",
            "description_fr",
            "description_en",
            "owner",
            "classification",
            "audiences",
            "life_event",
            "category",
            "channels",
            "level",
            "steps_ar",
            "steps_fr",
            "steps_en",
            "fee",
            "fee_currency",
            "fee_note_ar",
            "fee_note_fr",
            "fee_note_en",
            "processing_days",
            "legal_basis_ar",
            "legal_basis_fr",
            "legal_basis_en",
            "online_url",
        ]
        widgets = {
            **_text_widgets("name_ar", "name_fr", "name_en", "fee_note_ar", "fee_note_fr", "fee_note_en"),
            **_text_widgets("description_ar", "description_fr", "description_en", rows=3),
            **_text_widgets("steps_ar", "steps_fr", "steps_en", rows=4),
            **_text_widgets("legal_basis_ar", "legal_basis_fr", "legal_basis_en", rows=2),
            "code": forms.TextInput(attrs={"dir": "ltr"}),
            "fee_currency": forms.TextInput(attrs={"dir": "ltr", "size": 4}),
        }

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = service_owner_choices(reader)
        if self.instance.pk:
            owners = owners | _organizations().filter(pk=self.instance.owner_id)
        self.fields["owner"].queryset = owners
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["audiences"] = self.instance.audience_list
            self.initial["channels"] = self.instance.channel_list

    def clean_classification(self) -> str:
        value = self.cleaned_data["classification"]
        validate_classification(value)
        return value

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks the fields it shows.
        pass

    def data_for_service(self) -> dict[str, Any]:
        """Return the cleaned fields the service writes (the version goes separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DocumentForm(forms.Form):
    """One required document: its name in three languages and the administration that already holds it."""

    name_ar = forms.CharField(label=_("Name (Arabic)"), required=False, max_length=400)
    name_fr = forms.CharField(label=_("Name (French)"), required=False, max_length=400)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=400)
    held_by = LocalizedChoiceField(label=_("Already held by"), queryset=_organizations(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_ar"].widget.attrs["dir"] = "rtl"
        for name in ("name_fr", "name_en"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    def is_blank(self) -> bool:
        """Whether the row was left empty (a row to drop, not a document without a name)."""
        data = self.cleaned_data
        return not any((data.get("name_ar"), data.get("name_fr"), data.get("name_en"), data.get("held_by")))

    def entry(self) -> DocumentEntry:
        data = self.cleaned_data
        return DocumentEntry(
            name_ar=data.get("name_ar") or "",
            name_fr=data.get("name_fr") or "",
            name_en=data.get("name_en") or "",
            held_by=data.get("held_by"),
        )


class BaseDocumentFormSet(forms.BaseFormSet):
    def entries(self) -> list[tuple[DocumentEntry, DocumentForm]]:
        """Return the documents in the order asked, each with its row: empty and removed rows left out."""
        return [(form.entry(), form) for form in self.ordered_forms if not form.is_blank()]


DocumentFormSet = forms.formset_factory(
    DocumentForm, formset=BaseDocumentFormSet, extra=3, can_order=True, can_delete=True, max_num=100
)


class ProjectField(LocalizedChoiceField):
    """A project among those the reader may read (the choices); a posted id is handed to the service as it is,
    which refuses a project the reader may not read. An unknown id is told as the service tells a hidden one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})["invalid_choice"] = _(
            "There is no such project among those you may read."
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return Project.objects.select_related("owner").get(pk=int(value))
        except (TypeError, ValueError, Project.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class ProjectLinkForm(forms.Form):
    """Say that a project digitizes the service, up to a level by a date."""

    project = ProjectField(label=_("Project"), queryset=Project.objects.none())
    target_level = forms.TypedChoiceField(label=_("Target level"), choices=DigitizationLevel.choices, coerce=int)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(reader).order_by("code")


class UnlinkForm(forms.Form):
    link = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UsageForm(ArabicDigitsMixin, forms.Form):
    """One month of one channel: the month's transactions or the running total, time and backlog."""

    month = MonthField(label=_("Month"))
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(Channel.choices))
    transactions = forms.IntegerField(
        label=_("Transactions in the month"),
        required=False,
        help_text=_("Or give the running total below, as many back offices count."),
    )
    cumulative = forms.IntegerField(
        label=_("Running total"),
        required=False,
        help_text=_("All transactions of this channel since the first month recorded, this month included."),
    )
    processing_days = TypedDecimalField(
        label=_("Actual processing time (days)"), required=False, max_digits=8, decimal_places=2
    )
    backlog = forms.IntegerField(label=_("Backlog at the end of the month"), required=False)

    def entry(self) -> UsageEntry:
        data = self.cleaned_data
        return UsageEntry(
            month=data["month"],
            channel=data["channel"],
            transactions=data.get("transactions"),
            cumulative=data.get("cumulative"),
            processing_days=data.get("processing_days"),
            backlog=data.get("backlog"),
        )


class FeedbackFilterForm(forms.Form):
    """The filters of the complaints and suggestions (`FeedbackFilters`)."""

    status = forms.ChoiceField(label=_("Status"), choices=_blank(FeedbackStatus.choices), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(FeedbackKind.choices), required=False)

    def to_filters(self) -> FeedbackFilters:
        data = self.cleaned_data if self.is_bound else {}
        return FeedbackFilters(status=data.get("status") or None, kind=data.get("kind") or None)


class AnswerForm(forms.Form):
    """The owner's answer to a complaint or a suggestion, with the version it was written against."""

    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}), required=False, max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class VersionForm(forms.Form):
    """An action on a record as the reader last saw it (closing a complaint)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ModerationForm(forms.Form):
    """Show a comment publicly or keep it hidden, on the version the moderator read."""

    rating = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    action = forms.ChoiceField(choices=ModerationAction.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
