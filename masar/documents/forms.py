"""Forms of the document library: filtering the list, adding a document, adding a version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin
from masar.core.models import Classification
from masar.decisions.models import Decision
from masar.documents.models import DocumentKind, DocumentLanguage
from masar.documents.selectors import DocumentFilters, addable_organizations, linkable
from masar.documents.services import LINKS
from masar.organizations.models import Organization


class NamedChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("This choice is unknown or not visible to you.")}

    def label_from_instance(self, obj):
        return obj.name


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": _("This choice is unknown or not visible to you.")}

    def label_from_instance(self, obj):
        if isinstance(obj, Decision):
            return f"{obj.meeting.name} — {obj.text[:80]}"
        return obj.name


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *DocumentKind.choices], required=False)
    organization = NamedChoiceField(
        label=_("Issuing organization"), queryset=Organization.objects.all(), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *DocumentLanguage.choices], required=False)

    def to_filters(self) -> DocumentFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return DocumentFilters(
            kind=data.get("kind") or "", organization=data.get("organization"), language=data.get("language") or ""
        )


class ContentForm(forms.Form):
    """A file or a pasted text (exactly one; the service says so when both or neither come)."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        allow_empty_file=True,  # the service says why an empty file is refused
        help_text=_("PDF, Word (DOCX), plain text (TXT) or HTML; checked by its content, not its name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.html,.htm"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )


class DocumentForm(ArabicDigitsMixin, ContentForm):
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.TextInput(attrs={"dir": "auto"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    organization = NamedChoiceField(label=_("Issuing organization"), queryset=Organization.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=DocumentLanguage.choices, initial=DocumentLanguage.ARABIC)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.RESTRICTED
    )
    organizations = NamedMultipleChoiceField(
        label=_("Organizations concerned"), queryset=Organization.objects.none(), required=False
    )
    strategies = NamedMultipleChoiceField(
        label=_("Strategies concerned"), queryset=Organization.objects.none(), required=False
    )
    projects = NamedMultipleChoiceField(
        label=_("Projects concerned"), queryset=Organization.objects.none(), required=False
    )
    meetings = NamedMultipleChoiceField(
        label=_("Meetings concerned"), queryset=Organization.objects.none(), required=False
    )
    decisions = NamedMultipleChoiceField(
        label=_("Decisions concerned"), queryset=Organization.objects.none(), required=False
    )

    field_order = ["title", "kind", "date", "organization", "language", "classification", "file", "text"]

    def __init__(self, *args, reader, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = addable_organizations(reader)
        self.fields["organization"].queryset = organizations
        own = getattr(reader, "organization_id", None)
        if own is not None and organizations.filter(pk=own).exists():
            self.fields["organization"].initial = own
        for name, queryset in linkable(reader).items():
            self.fields[name].queryset = queryset
            self.fields[name].widget.attrs["size"] = 6

    def links(self) -> dict:
        return {name: list(self.cleaned_data.get(name) or ()) for name in LINKS}


class VersionForm(ContentForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
