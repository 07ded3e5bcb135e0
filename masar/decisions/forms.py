"""Forms about the council's decisions: reporting on an action, filtering a decision export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import ArabicDigitsMixin
from masar.decisions.models import ActionUpdate, DecisionStatus


class ActionUpdateForm(ArabicDigitsMixin, forms.ModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["reported_on", "text", "completes"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }


class DecisionFilterForm(forms.Form):
    """The filters of a decision export: the computed status."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *DecisionStatus.choices], required=False)

    def __init__(self, *args, user, **kwargs):
        # Every export's form is built like ProjectFilterForm, with the reader.
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset
