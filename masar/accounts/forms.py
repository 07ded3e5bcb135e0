from django import forms
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User


class ProfileForm(forms.ModelForm):
    """A person's own name, contact details, language and e-mail frequency."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "language", "email_frequency"]
        widgets = {
            "email_frequency": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        }
        help_texts = {
            "email_frequency": _("Notifications always wait in your inbox; this says when they are also e-mailed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass  # the service validates the model
