from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.forms import localized_labels
from masar.webhooks.models import EventType


class SubscriptionForm(forms.Form):
    """Where to send and which events; the client is chosen at creation only, among those one manages."""

    client = forms.ModelChoiceField(label=_("API client"), queryset=None)
    target_url = forms.URLField(
        label=_("Target address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https address of the receiving system; messages are signed (Standard Webhooks)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clients is None:
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
            localized_labels(self.fields["client"])
