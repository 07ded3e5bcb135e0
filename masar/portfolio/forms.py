from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin, PlainSelect
from masar.core.models import Classification, validate_classification
from masar.core.policy import Reader
from masar.delivery.models import Confidence, ObstacleCategory
from masar.organizations.models import Organization, Region
from masar.portfolio.models import Project, ProjectStatus
from masar.portfolio.selectors import ANY_CATEGORY, NOT_RATED, ON_TRACK, SORT_COLUMNS, ProjectFilters
from masar.strategy.models import Axis, Phase, Strategy


class NameChoiceIterator(ModelChoiceIterator):
    """The choices of named records as (pk, name in the active language), read as tuples, not model instances."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        names = self.queryset.values_list("pk", "name_ar", "name_fr", "name_en")
        language = (get_language() or "ar")[:2]
        column = {"ar": 1, "fr": 2, "en": 3}.get(language, 1)
        for row in names:
            yield (row[0], row[column] or row[1])


class LocalizedChoiceField(forms.ModelChoiceField):
    """A choice of named records shown by their name in the reader's language (500 organizations at national size)."""

    widget = PlainSelect
    iterator = NameChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


SORT_LABELS = [
    ("code", _("Code")),
    ("name", _("Name")),
    ("owner", _("Owner")),
    ("rating", _("Rating")),
    ("planned_end", _("Planned end")),
]


class ProjectFilterForm(forms.Form):
    """The filters of the project list; every choice is limited to what the reader may see."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    strategy = LocalizedChoiceField(label=_("Strategy"), queryset=Strategy.objects.none(), required=False)
    axis = LocalizedChoiceField(label=_("Axis"), queryset=Axis.objects.none(), required=False)
    organization = LocalizedChoiceField(
        label=_("Organization"),
        # What a choice shows and what filtering by it reads: 500 organizations at national size.
        queryset=Organization.objects.only("pk", "path", "name_ar", "name_fr", "name_en"),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *ProjectStatus.choices], required=False)
    region = LocalizedChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=[("", "—"), *Classification.choices], required=False
    )
    phase = LocalizedChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    rating = forms.ChoiceField(
        label=_("Computed rating"),
        choices=[
            ("", "—"),
            *Confidence.choices,
            (NOT_RATED, _("Not rated")),
            (ON_TRACK, _("On track (green or amber/green)")),
        ],
        required=False,
    )
    flagged = forms.BooleanField(label=_("Declared better than computed"), required=False)
    pessimistic = forms.BooleanField(label=_("Declared worse than computed"), required=False)
    fresh = forms.BooleanField(label=_("With an approved update in the last two months"), required=False)
    blocked = forms.ChoiceField(
        label=_("Blocked by"),
        choices=[("", "—"), (ANY_CATEGORY, _("any obstacle")), *ObstacleCategory.choices],
        required=False,
    )
    mine = forms.BooleanField(label=_("My projects"), required=False)

    def __init__(self, *args, user, sortable=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = Reader.of(user)
        if sortable:
            labels = dict(SORT_LABELS)
            self.fields["sort"] = forms.ChoiceField(
                label=_("Sort by"),
                required=False,
                choices=[("", "—")]
                + [(column, labels[column]) for column in SORT_COLUMNS]
                + [(f"-{column}", _("%(column)s, descending") % {"column": labels[column]}) for column in SORT_COLUMNS],
            )
        if not self.reader.is_person:
            del self.fields["mine"]
        self.fields["strategy"].queryset = Strategy.objects.visible_to(user)
        self.fields["axis"].queryset = Axis.objects.visible_to(user).select_related("strategy")
        self.fields["phase"].queryset = Phase.objects.visible_to(user)
        if self.reader.is_public:
            self.fields["classification"].choices = [("", "—"), (Classification.PUBLIC, Classification.PUBLIC.label)]

    def to_filters(self) -> ProjectFilters:
        """Return the valid filters as the project list's filter object ("my projects": the reader's own)."""
        data = self.cleaned_data
        manager = self.reader.user_id if data.get("mine") and self.reader.is_person else None
        return ProjectFilters.from_form(data, manager=manager)


class ProjectForm(ArabicDigitsMixin, forms.ModelForm):
    """Edit a project; the version it was opened at travels along to refuse stale edits.

    Planned dates and budget are not here: they change only by an approved re-baseline.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    classification = forms.CharField(label=_("Classification"), widget=forms.Select(choices=Classification.choices))

    class Meta:
        model = Project
        fields = [
            "name_ar",
            "name_fr",
            "name_en",
            "description_ar",
            "description_fr",
            "description_en",
            "status",
            "currency",
            "funding_kind",
            "classification",
            "regions",
            "partners",
        ]
        widgets = {
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl"}),
            "description_fr": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
            "name_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "name_fr": forms.TextInput(attrs={"dir": "ltr"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for name in ("regions", "partners"):
            self.fields[name].label_from_instance = lambda obj: obj.name
            self.fields[name].widget.attrs["size"] = 6

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        validate_classification(value)
        return value

    def _post_clean(self):
        # The service validates and saves; the form only checks the fields it shows.
        pass
