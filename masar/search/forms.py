"""Parse what a reader asks search into the selector's filter object."""

from django import forms
from django.utils.translation import gettext_lazy as _

from masar.core.models import Classification
from masar.search.models import EntryKind, ThesaurusGroup
from masar.search.selectors import MAX_QUERY_CHARS, SearchFilters

PAGE_SIZE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS * 3, strip=True)
    type = forms.MultipleChoiceField(label=_("Type"), required=False, choices=EntryKind.choices)
    organization = forms.IntegerField(label=_("Organization"), required=False, min_value=1)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    classification = forms.ChoiceField(
        label=_("Classification"), required=False, choices=[("", "—"), *Classification.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def clean_q(self):
        # A query longer than any search is cut, not refused: the analyzer reads its first words only.
        return (self.cleaned_data.get("q") or "")[:MAX_QUERY_CHARS]

    def to_filters(self) -> SearchFilters:
        data = self.cleaned_data
        page = data.get("page") or 1
        return SearchFilters(
            q=data.get("q") or "",
            kinds=tuple(data.get("type") or ()),
            organization=data.get("organization"),
            year=data.get("year"),
            classification=data.get("classification") or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )


class ThesaurusGroupForm(forms.ModelForm):
    class Meta:
        model = ThesaurusGroup
        fields = ["terms", "note"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 5, "dir": "auto"})}
