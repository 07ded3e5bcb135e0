"""Forms about the council: meetings, decisions, agenda and attendance (the national unit); reporting on
an action, filtering the decision list and export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin, localized_labels
from masar.core.models import Classification, validate_classification
from masar.core.policy import Reader
from masar.decisions.models import ActionUpdate, Attendance, Decision, DecisionStatus, Meeting
from masar.decisions.selectors import AgendaProposals, DecisionFilters
from masar.delivery.models import Obstacle
from masar.indicators.models import Indicator
from masar.organizations.models import Organization
from masar.portfolio.models import Project


class NamedChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("This choice is unknown or not visible to you.")}

    def label_from_instance(self, obj):
        return obj.name


class DecisionFilterForm(forms.Form):
    """The filters of the decision list and its export; every choice is limited to what the reader may see."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *DecisionStatus.choices], required=False)
    organization = NamedChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.all(), required=False
    )
    meeting = NamedChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=[("", "—"), *Classification.choices], required=False
    )
    past_due = forms.BooleanField(label=_("Past due and not done"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)
        if Reader.of(user).is_public:
            self.fields["classification"].choices = [("", "—"), (Classification.PUBLIC, Classification.PUBLIC.label)]

    def to_filters(self) -> DecisionFilters:
        """Return the valid filters as the decision list's filter object."""
        data = self.cleaned_data if self.is_bound else {}
        return DecisionFilters(
            status=data.get("status") or "",
            organization=data.get("organization"),
            meeting=data.get("meeting"),
            classification=data.get("classification") or "",
            past_due=bool(data.get("past_due")),
        )


class ActionUpdateForm(ArabicDigitsMixin, forms.ModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["reported_on", "text"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }


class ClosureRequestForm(forms.Form):
    """Report a decision done: the evidence the national unit will check."""

    evidence = forms.CharField(
        label=_("Evidence that the decision is carried out"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what was done and where the proof is (decree, report, publication)."),
    )


class ClosureReturnForm(forms.Form):
    """Return a closure request: the reason reaches whoever reported the decision done."""

    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


def _text_widgets(*names, rows=None):
    """Arabic fields right to left, French and English left to right."""
    widgets = {}
    for name in names:
        direction = "rtl" if name.endswith("_ar") else "ltr"
        attrs = {"dir": direction} | ({"rows": rows} if rows else {})
        widgets[name] = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return widgets


class VersionedForm(ArabicDigitsMixin, forms.ModelForm):
    """A form whose record's version travels along, so a stale edit is refused; the service validates and saves."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    classification = forms.CharField(label=_("Classification"), widget=forms.Select(choices=Classification.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        validate_classification(value)
        return value

    def _post_clean(self):
        # The service validates and saves; the form only checks the fields it shows.
        pass

    def data_for_service(self):
        """Return the cleaned fields the service writes (the version goes separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class MeetingForm(VersionedForm):
    """Create or edit a meeting, with its minutes once held."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "name_ar",
            "name_fr",
            "name_en",
            "body_ar",
            "body_fr",
            "body_en",
            "date",
            "place_ar",
            "place_fr",
            "place_en",
            "owner",
            "classification",
            "minutes_ar",
            "minutes_fr",
            "minutes_en",
        ]
        widgets = {
            **_text_widgets("name_ar", "name_fr", "name_en", "body_ar", "body_fr", "body_en"),
            **_text_widgets("place_ar", "place_fr", "place_en"),
            **_text_widgets("minutes_ar", "minutes_fr", "minutes_en", rows=5),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localized_labels(self.fields["owner"])
        if not self.instance.pk:
            for name in ("minutes_ar", "minutes_fr", "minutes_en"):
                del self.fields[name]


class DecisionForm(VersionedForm):
    """Add or edit a decision; projects and indicators are chosen among those the reader may read."""

    class Meta:
        model = Decision
        fields = [
            "text_ar",
            "text_fr",
            "text_en",
            "responsible",
            "due_date",
            "classification",
            "projects",
            "indicators",
        ]
        widgets = {
            **_text_widgets("text_ar", "text_fr", "text_en", rows=3),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        localized_labels(self.fields["responsible"])
        self.fields["projects"].queryset = Project.objects.visible_to(user).order_by("code")
        self.fields["indicators"].queryset = Indicator.objects.visible_to(user)
        for name in ("projects", "indicators"):
            localized_labels(self.fields[name])
            self.fields[name].widget.attrs["size"] = 6


class AgendaBuildForm(forms.Form):
    """The items the national unit ticks among those proposed for a meeting's agenda."""

    obstacles = forms.ModelMultipleChoiceField(
        label=_("Obstacles"), queryset=Obstacle.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("Decisions"), queryset=Decision.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposals: AgendaProposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = proposals.obstacles
        self.fields["decisions"].queryset = proposals.decisions
        # Data only, no translated words: the obstacle with its project's code, the decision with its meeting.
        self.fields["obstacles"].label_from_instance = lambda obj: f"{obj.description} · {obj.project.code}"
        self.fields["decisions"].label_from_instance = lambda obj: f"{obj.text} · {obj.meeting.name}"

    def clean(self):
        data = super().clean()
        if not data.get("obstacles") and not data.get("decisions"):
            raise forms.ValidationError(_("Tick at least one item to add to the agenda."))
        return data


class AttendanceForm(forms.ModelForm):
    """One person's attendance at a meeting, for an organization."""

    class Meta:
        model = Attendance
        fields = ["organization", "person_name", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localized_labels(self.fields["organization"])

    def _post_clean(self):
        pass
