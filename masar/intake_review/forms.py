"""The text to read: pasted, or a document of the library the reader may read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masar.intake import MAX_CHARS
from masar.intake_review.selectors import readable_documents

SCANNED = _(
    "This document is a scanned PDF without a text layer: Masar cannot read it. Paste its text below to read it."
)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Official text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 14}),
        help_text=_("A decree or mandate, a strategy or program, or a council communiqué."),
    )
    document = forms.ModelChoiceField(label=_("Or a document of the library"), queryset=None, required=False)

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = readable_documents(reader)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, document = data.get("text") or "", data.get("document")
        if document is not None and not text:
            if document.lacks_text_layer:
                raise forms.ValidationError(SCANNED, code="no_text_layer")
            text = document.text
        if len(text) > MAX_CHARS:
            raise forms.ValidationError(
                gettext("The text has %(count)s characters; Masar reads up to %(limit)s at a time.")
                % {"count": len(text), "limit": MAX_CHARS},
                code="too_long",
            )
        if not text.strip():
            raise forms.ValidationError(gettext("The text is empty: paste the official text to read."), code="empty")
        if "\x00" in text:
            raise forms.ValidationError(gettext("The text holds NUL characters, which no record can keep."))
        data["source"] = text
        if text != (document.text if document is not None else None):
            data["document"] = None  # a pasted text is its own source
        return data
