"""Forms of the public portal: they parse what a visitor sends and nothing more.

The directory's form parses into `ServiceFilters`; the rating and complaint forms hand the raw values to
`masar.catalogue.voice`, which owns every rule (the 1–5 scale, the lengths, markup), and carry its errors back
beside their fields. Both carry a honeypot field that people never see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.catalogue.models import Audience, Channel, DigitizationLevel, FeedbackKind
from masar.catalogue.selectors import ServiceFilters
from masar.catalogue.voice import COMMENT_MAX, CONTACT_MAX, FEEDBACK_MAX
from masar.core.forms import PlainSelect

QUERY_MAX = 200


def _choices(records: Iterable[Any], empty: Any) -> list[tuple[Any, Any]]:
    return [("", empty), *((record.pk, record.name) for record in records)]


class DirectoryForm(forms.Form):
    """The directory's search and filters, read from the address; invalid filters are dropped and said so."""

    q = forms.CharField(
        label=_("Search a service"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto", "maxlength": QUERY_MAX}),
    )
    life_event = forms.TypedChoiceField(
        label=_("Life event"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    organization = forms.TypedChoiceField(
        label=_("Ministry"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("Any channel")), *Channel.choices],
        widget=PlainSelect,
    )
    level = forms.TypedChoiceField(
        label=_("Digitization level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level")), *DigitizationLevel.choices],
        widget=PlainSelect,
    )
    min_level = forms.TypedChoiceField(
        label=_("At least level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level")), *DigitizationLevel.choices],
        widget=PlainSelect,
    )
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
        widget=PlainSelect,
    )

    def __init__(self, data: Any, *, life_events: Iterable[Any], categories: Iterable[Any], ministries: Iterable[Any]):
        super().__init__(data, auto_id="directory-%s")
        self.fields["life_event"].choices = _choices(life_events, _("Any life event"))  # type: ignore[attr-defined]
        self.fields["category"].choices = _choices(categories, _("Any category"))  # type: ignore[attr-defined]
        self.fields["organization"].choices = _choices(ministries, _("Any ministry"))  # type: ignore[attr-defined]

    def filters(self) -> ServiceFilters:
        """Return the filters the valid fields give (call after `is_valid`)."""
        data = getattr(self, "cleaned_data", {})
        return ServiceFilters(
            q=data.get("q") or "",
            life_event=data.get("life_event"),
            category=data.get("category"),
            organization=data.get("organization"),
            channel=data.get("channel") or None,
            level=data.get("level"),
            min_level=data.get("min_level"),
            audience=data.get("audience") or None,
        )


class HoneypotForm(forms.Form):
    """A form with a field people never see (hidden, out of the tab order, skipped by screen readers): only
    robots that fill every field fill it, and what they send is then accepted silently and stored nowhere."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_trap_filled(self) -> bool:
        return bool(str(self.data.get(self.add_prefix("website"), "")).strip())

    def add_errors(self, errors: Iterable[tuple[str | None, Any]]) -> None:
        """Show a service's errors beside the fields they name (the others above the form)."""
        for name, message in errors:
            self.add_error(name if name in self.fields else None, message)


# The score is read by the rating service, which refuses anything outside 1–5: the form only offers them.
SCORES = [
    ("1", _("1 — Very poor")),
    ("2", _("2 — Poor")),
    ("3", _("3 — Fair")),
    ("4", _("4 — Good")),
    ("5", _("5 — Very good")),
]


class RatingForm(HoneypotForm):
    score = forms.CharField(label=_("Your rating"), required=False, widget=forms.RadioSelect(choices=SCORES))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "maxlength": COMMENT_MAX}),
        help_text=_("Shown publicly once a moderator has read it. Plain text; write no personal data."),
    )

    field_order = ["score", "comment", "website"]

    def __init__(self, data: Any = None):
        super().__init__(data, auto_id="rating-%s")


class FeedbackForm(HoneypotForm):
    kind = forms.CharField(
        label=_("This is a"),
        required=False,
        initial=FeedbackKind.COMPLAINT,
        widget=forms.RadioSelect(choices=FeedbackKind.choices),
    )
    text = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto", "maxlength": FEEDBACK_MAX}),
    )
    contact = forms.CharField(
        label=_("A contact to be answered (optional)"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": CONTACT_MAX, "autocomplete": "email"}),
        help_text=_(
            "An e-mail address or a telephone number, only if you want the answer sent to you. It is used only "
            "to answer you and erased when your request is closed. Without it, follow your request with its "
            "tracking number."
        ),
    )

    field_order = ["kind", "text", "contact", "website"]

    def __init__(self, data: Any = None):
        super().__init__(data, auto_id="feedback-%s")


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false", "maxlength": 40}),
        help_text=_("The number shown when you sent your complaint or suggestion, e.g. ACDE-3479."),
    )

    def __init__(self, data: Any = None):
        super().__init__(data, auto_id="track-%s")
