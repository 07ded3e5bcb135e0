from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from masar.core.selectors import audit_trail_for
from masar.organizations.models import Organization
from masar.portfolio.models import Project


def in_tree_order(organizations):
    """Return organizations depth-first, siblings by their order then Arabic name.

    Paths hold ids, so sorting by path would put /1/14/ before /1/2/; a national
    government has a few hundred organizations, so the walk is done here.
    """
    children = {}
    for organization in organizations:
        children.setdefault(organization.parent_id, []).append(organization)
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.order, o.name_ar))
    ordered, stack = [], list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return ordered


def organization_tree(request):
    """Show every organization in its place in the tree, with its number of missions."""
    organizations = in_tree_order(list(Organization.objects.annotate(mission_count=Count("missions"))))
    return render(request, "organizations/tree.html", {"organizations": organizations})


def organization_detail(request, pk):
    """Show an organization with its ordered missions, its units and the projects it owns."""
    organization = get_object_or_404(Organization.objects.select_related("parent"), pk=pk)
    subtree = Organization.objects.subtree_of(organization)
    projects = Project.objects.visible_to(request.user).filter(owner__in=subtree)
    context = {
        "organization": organization,
        "ancestors": Organization.objects.filter(pk__in=organization.ancestor_ids()[:-1]).order_by("depth"),
        "missions": organization.missions.all(),
        "children": organization.children.annotate(mission_count=Count("missions")).order_by("order", "name_ar"),
        "project_count": projects.count(),
        "own_project_count": projects.filter(owner=organization).count(),
        "project_status": projects.values("status").annotate(n=Count("id", filter=Q())).order_by("status"),
        "trail": audit_trail_for(organization, request.user),
    }
    return render(request, "organizations/detail.html", context)
