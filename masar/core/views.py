from django.db.models import Count, Q
from django.shortcuts import render

from masar.decisions.models import Meeting
from masar.indicators.models import Indicator
from masar.organizations.models import Organization, OrganizationKind
from masar.portfolio.models import Project
from masar.strategy.models import Strategy


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
    return render(request, "core/home.html", context)
