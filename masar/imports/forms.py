from django import forms
from django.utils.translation import gettext_lazy as _

from masar.imports.models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File (CSV UTF-8, XLSX or JSON)"))
    dry_run = forms.TypedChoiceField(
        label=_("What to do"),
        choices=[("1", _("Check only (dry run): nothing is saved")), ("0", _("Save, if every row is correct"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
