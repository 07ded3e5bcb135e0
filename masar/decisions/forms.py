"""Forms about the council's decisions: reporting on an action, filtering the decision list and export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.decisions.models import ActionUpdate, DecisionStatus, Meeting
from masar.decisions.selectors import DecisionFilters
from masar.organizations.models import Organization


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
