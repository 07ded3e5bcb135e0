from django.db.models import Count, Q
from django.shortcuts import render
from django.template.loader import render_to_string

from masar.core.fragments import kept, scoped_key
from masar.core.policy import get_for_reader
from masar.core.selectors import audit_trail_for
from masar.portfolio.models import Project
from masar.strategy.models import Strategy
from masar.strategy.selectors import phase_timeline, strategy_tree


def strategy_list(request):
    """List the visions, strategies and programs this reader may see."""
    projects = Project.objects.visible_to(request.user)
    strategies = (
        Strategy.objects.visible_to(request.user)
        .select_related("owner", "parent")
        .annotate(
            axis_count=Count("axes", distinct=True),
            project_count=Count("projects", filter=Q(projects__in=projects), distinct=True),
        )
        .order_by("-period_start", "code")
    )
    return render(request, "strategy/list.html", {"strategies": strategies})


def strategy_detail(request, pk):
    """Show a strategy: axes → programs → projects, and its phases on a timeline.

    The tree (thousands of projects at national size) is rendered once per reader scope, language, day and data
    version and kept (masar.core.fragments); whether the reader may see the strategy is asked on every request.
    """
    strategy = get_for_reader(Strategy.objects.select_related("owner", "parent"), request.user, pk)

    def render_body():
        context = {
            "strategy": strategy,
            "children": Strategy.objects.visible_to(request.user).filter(parent=strategy),
            "parent_visible": strategy.parent_id
            and Strategy.objects.visible_to(request.user).filter(pk=strategy.parent_id).exists(),
            "timeline": phase_timeline(strategy),
            "trail": audit_trail_for(strategy, request.user),
            **strategy_tree(strategy, request.user),
        }
        return render_to_string("strategy/_detail_body.html", context, request), 200

    body, _status = kept(scoped_key(request.user, "strategy", str(strategy.pk)), render_body)
    return render(request, "strategy/detail.html", {"strategy": strategy, "body": body})
