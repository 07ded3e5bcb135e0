from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from masar.core.errors import NotPermitted, StaleEditError
from masar.core.forms import add_service_errors
from masar.core.policy import get_for_reader, may_write
from masar.core.selectors import audit_trail_for, with_change_rows
from masar.decisions.models import Decision
from masar.delivery.models import Obstacle, ProgressUpdate, UpdateStatus
from masar.delivery.trends import project_rating_months
from masar.portfolio.forms import ProjectFilterForm, ProjectForm
from masar.portfolio.models import Project
from masar.portfolio.selectors import ProjectFilters, project_page, sort_links
from masar.portfolio.selectors import project_list as project_list_selector
from masar.portfolio.services import project_update


def project_list(request):
    """List the projects this reader may see, filtered and paginated; an invalid filter is a 400 listing nothing."""
    form = ProjectFilterForm(request.GET or None, user=request.user, sortable=True)
    status = 200
    filters = ProjectFilters()
    if form.is_bound and not form.is_valid():
        projects = Project.objects.none()
        status = 400
    else:
        filters = form.to_filters() if form.is_bound else filters
        projects = project_list_selector(request.user, filters)
    page = project_page(projects, request.GET.get("page"), settings.PAGE_SIZE)
    template = "portfolio/_project_rows.html" if request.htmx else "portfolio/project_list.html"
    context = {"form": form, "page": page, "sorting": sort_links(filters.sort)}
    return render(request, template, context, status=status)


def project_detail(request, pk):
    """Show a project with its milestones, partners, regions and audit trail."""
    project = get_for_reader(
        Project.objects.select_related("owner", "strategy", "axis", "program", "phase", "manager", "health"),
        request.user,
        pk,
    )
    context = {
        "project": project,
        "health": getattr(project, "health", None),
        "latest_update": ProgressUpdate.objects.visible_to(request.reader)
        .filter(project=project)
        .exclude(status=UpdateStatus.DRAFT)
        .order_by("-period")
        .first(),
        "obstacles": Obstacle.objects.visible_to(request.reader)
        .filter(project=project)
        .select_related("must_act")
        .order_by("status", "-reported_at"),
        "decisions": Decision.objects.visible_to(request.user).filter(projects=project).select_related("meeting"),
        "milestones": project.milestones.all(),
        "rating_months": project_rating_months(project),
        "partners": project.partners.all(),
        "regions": project.regions.all(),
        "can_edit": may_write(request.user, project),
        "trail": audit_trail_for(project, request.user),
    }
    return render(request, "portfolio/project_detail.html", context)


@login_required
def project_edit(request, pk):
    """Edit a project; an edit based on a stale version is refused and shows what changed meanwhile."""
    project = get_for_reader(Project.objects.all(), request.user, pk, write=True)
    stale = None
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                project_update(
                    project=project, actor=request.user, expected_version=form.cleaned_data["version"], **data
                )
            except StaleEditError as error:
                stale = error
                stale.entries = with_change_rows(error.changes_since, Project, request.user)
                form.add_error(None, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            except NotPermitted as error:
                form.add_error("classification", str(error.message))
            else:
                messages.success(request, _("The project was saved."))
                return redirect("portfolio-project-detail", pk=project.pk)
    else:
        form = ProjectForm(instance=project)
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(
        request, "portfolio/project_edit.html", {"project": project, "form": form, "stale": stale}, status=status
    )
