"""Search pages: results with facets, suggestions as one types, and the thesaurus the national unit keeps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_field_errors
from masar.search.forms import PAGE_SIZE, SearchForm, ThesaurusGroupForm
from masar.search.models import ThesaurusGroup
from masar.search.selectors import SearchFilters, search, suggest
from masar.search.services import thesaurus_group_create, thesaurus_group_delete, thesaurus_group_update

FACETS = (
    ("type", "kind", _lazy("Type")),
    ("organization", "organization", _lazy("Organization")),
    ("year", "year", _lazy("Year")),
    ("classification", "classification", _lazy("Classification")),
)


def _facets(request, results):
    """Return each facet with a link per value that narrows the results to it (and one that widens them)."""
    chosen = {
        "type": set(results.filters.kinds),
        "organization": {results.filters.organization},
        "year": {results.filters.year},
        "classification": {results.filters.classification},
    }
    out = []
    for param, key, title in FACETS:
        values = []
        for value in results.facets.get(key, ()):
            params = request.GET.copy()
            params.pop("page", None)
            params.setlist(param, [str(value.value)])
            values.append(
                {
                    "label": value.label,
                    "count": value.count,
                    "href": "?" + params.urlencode(),
                    "chosen": value.value in chosen[param],
                }
            )
        params = request.GET.copy()
        params.pop("page", None)
        params.pop(param, None)
        out.append({"name": param, "title": title, "values": values, "clear": "?" + params.urlencode()})
    return out


def search_page(request):
    """Search everything this reader may read; results grouped by facets, best first, matches highlighted."""
    form = SearchForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        results = search(request.reader, form.to_filters())
    else:
        status = 400 if form.is_bound else 200
        results = search(request.reader, SearchFilters())
    page = (form.cleaned_data.get("page") or 1) if form.is_bound and form.is_valid() else 1
    pages = max(1, -(-results.count // PAGE_SIZE))
    context = {
        "form": form,
        "results": results,
        "page": page,
        "pages": pages,
        "facets": _facets(request, results),
        "may_edit_thesaurus": policy.may_edit_thesaurus(request.reader),
    }
    return render(request, "search/search.html", context, status=status)


def search_suggest(request):
    """Return the few best records for what is typed so far, as a list of links (htmx)."""
    text = (request.GET.get("q") or "")[:200]
    hits = suggest(request.reader, text) if len(text.strip()) >= 2 else []
    return render(request, "search/_suggestions.html", {"hits": hits, "q": text})


@login_required
def thesaurus_page(request):
    """List the synonym groups search applies to queries; the national unit adds, changes and removes them."""
    if not policy.may_edit_thesaurus(request.reader):
        raise PermissionDenied
    form = ThesaurusGroupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                thesaurus_group_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_field_errors(form, getattr(error, "errors", None) or [(None, error.message)])
            else:
                messages.success(request, _("The synonym group was added: search applies it from now on."))
                return redirect("search-thesaurus")
    groups = ThesaurusGroup.objects.all()
    return render(request, "search/thesaurus.html", {"form": form, "groups": groups})


@login_required
def thesaurus_group_edit(request, pk):
    """Change one synonym group, refusing an edit made on a version someone else changed since."""
    if not policy.may_edit_thesaurus(request.reader):
        raise PermissionDenied
    group = get_object_or_404(ThesaurusGroup, pk=pk)
    form = ThesaurusGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            thesaurus_group_update(
                actor=request.user,
                group=group,
                terms=form.cleaned_data["terms"],
                note=form.cleaned_data["note"],
                expected_version=int(request.POST.get("version") or 0),
            )
        except StaleEditError:
            messages.error(request, _("Someone changed this group since you opened it: nothing was saved."))
        except DomainError as error:
            add_field_errors(form, getattr(error, "errors", None) or [(None, error.message)])
        else:
            messages.success(request, _("The synonym group was saved."))
            return redirect("search-thesaurus")
    return render(request, "search/thesaurus_edit.html", {"form": form, "group": group})


@login_required
@require_POST
def thesaurus_group_remove(request, pk):
    if not policy.may_edit_thesaurus(request.reader):
        raise PermissionDenied
    thesaurus_group_delete(actor=request.user, group=get_object_or_404(ThesaurusGroup, pk=pk))
    messages.success(request, _("The synonym group was removed."))
    return redirect("search-thesaurus")
