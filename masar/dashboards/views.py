from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from masar.core.ids import parse_id
from masar.core.policy import Reader
from masar.dashboards.charts import ratings_by_axis_spec
from masar.dashboards.forms import DashboardFilterForm
from masar.dashboards.selectors import CACHE_SECONDS, NOT_RATED, cache_key, compute
from masar.decisions.models import Meeting
from masar.delivery.trends import changes_digest, changes_since_last_council
from masar.indicators.charts import embed_options
from masar.indicators.models import Indicator
from masar.indicators.views import vega_version
from masar.organizations.models import Organization, OrganizationKind
from masar.portfolio.models import Project
from masar.strategy.models import Strategy


def _body(request, form, *, reader, filters, sector, public, kind):
    """Render the filters and every figure of one dashboard (the part of the page kept in the cache)."""
    data = compute(reader, filters, public=public)
    context = {"form": form, "data": data, "sector": sector, "public": public, "kind": kind, "path": request.path}
    changes = changes_since_last_council(reader, filters=filters)
    if changes is not None:
        context.update(changes=changes, change_groups=changes_digest(changes))
    if data["axis_rows"]:
        # The same specification the council pack renders to PNG (masar.dashboards.charts).
        rows = [
            {
                "axis": row["name"] or str(_("No axis")),
                "rating": "" if cell["rating"] == NOT_RATED else cell["rating"],
                "n": cell["n"],
                "url": cell["url"],  # a click on the bar segment opens the list it counts
            }
            for row in data["axis_rows"]
            for cell in row["cells"]
            if cell["n"]
        ]
        # Links of the chart open in the same tab, as every other figure's link does.
        options = {**embed_options(), "loader": {"target": "_self"}}
        context.update(chart=ratings_by_axis_spec(rows), chart_options=options, vega_version=vega_version())
    # Without the request: the page's context processors (the reader's inbox, ...) are not the body's.
    return render_to_string("dashboards/_body.html", context)


def _render(request, *, reader, sector=None, public=False, template_kind):
    """Validate the filters (400 on an unknown or invisible choice) and render one dashboard.

    The filters and figures are rendered once per reader scope, filters asked for, language, day and
    data version (masar.dashboards.selectors.cache_key) and kept: a hit reads the cache, neither the
    choices of the filters (500 organizations) nor any figure. Filters are asked of the cache as they
    are written: only a valid filter is rendered and kept, for the readers who may see its choice.
    """
    page = {"sector": sector, "public": public, "kind": template_kind}
    asked = sorted((name, value) for name in DashboardFilterForm.base_fields for value in request.GET.getlist(name))
    key = cache_key(reader, f"{template_kind}:{sector.pk if sector else ''}:{int(public)}:{urlencode(asked)}")
    body = cache.get(key)
    if body is None:
        form = DashboardFilterForm(request.GET or None, user=reader, sector=sector)
        if form.is_bound and not form.is_valid():
            body = render_to_string("dashboards/_body.html", {**page, "form": form, "data": None, "path": request.path})
            return render(request, "dashboards/dashboard.html", {**page, "body": body}, status=400)
        filters = form.to_filters(sector=sector)
        body = _body(request, form, reader=reader, filters=filters, sector=sector, public=public, kind=template_kind)
        cache.set(key, body, CACHE_SECONDS)
    return render(request, "dashboards/dashboard.html", {**page, "body": body})


def national(request):
    """Show the national dashboard of the projects this reader may see."""
    return _render(request, reader=request.user, template_kind="national")


def sectoral(request, pk):
    """Show the dashboard of one organization's subtree; a malformed or unknown organization is a 404."""
    sector = get_object_or_404(Organization, pk=parse_id(pk))
    return _render(request, reader=request.user, sector=sector, template_kind="sectoral")


def public(request):
    """Show the dashboard as an anonymous visitor sees it: computed from public records only."""
    return _render(request, reader=Reader.public(), public=True, template_kind="public")


def home(request):
    """Show what the platform holds, as far as this reader may see."""
    user = request.user
    projects = Project.objects.visible_to(user)
    strategies = (
        Strategy.objects.visible_to(user)
        .select_related("owner", "parent")
        .annotate(project_count=Count("projects", filter=Q(projects__in=projects), distinct=True))
        .order_by("-period_start")
    )
    context = {
        "strategies": strategies,
        "project_count": projects.count(),
        "ministry_count": Organization.objects.filter(kind=OrganizationKind.MINISTRY).count(),
        "organization_count": Organization.objects.count(),
        "indicator_count": Indicator.objects.visible_to(user).count(),
        "meetings": Meeting.objects.visible_to(user).select_related("owner")[:5],
        "status_counts": projects.values("status").annotate(n=Count("id")).order_by("status"),
    }
    return render(request, "dashboards/home.html", context)
