from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# What a person pastes on a page: a news item or a communiqué runs to a few thousand characters.
PAGE_MAX_CHARS = 100_000


class FactcheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"),
        help_text=lazy(
            lambda: (
                gettext("Paste a news item or a communiqué (Arabic or French); up to %(limit)s characters.")
                % {"limit": number_format(PAGE_MAX_CHARS, force_grouping=True)}
            ),
            str,
        )(),
        max_length=PAGE_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("The text is empty: paste the news item or communiqué to check."))
        return text
