from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"),
        help_text=_("PDF, PNG, JPEG, Word, Excel, PowerPoint or OpenDocument; checked by its content."),
        allow_empty_file=True,  # the service says why an empty file is refused
    )
