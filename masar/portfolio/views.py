from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from masar.core.errors import NotPermitted, StaleEditError
from masar.core.forms import add_service_errors
from masar.core.fragments import asked, kept, scoped_key
from masar.core.policy import get_for_reader, may_write
from masar.core.selectors import audit_trail_for, with_change_rows
from masar.decisions.models import Decision
from masar.delivery.models import Obstacle, ProgressUpdate, UpdateStatus
from masar.delivery.trends import project_rating_months
from masar.integrity.selectors import project_alert_summary
from masar.portfolio.forms import ProjectFilterForm, ProjectForm
from masar.portfolio.models import Project
from masar.portfolio.selectors import ProjectFilters, project_page, sort_links
from masar.portfolio.selectors import project_list as project_list_selector
from masar.portfolio.services import project_update


def project_list(request):
    """List the projects this reader may see, filtered and paginated; an invalid filter is a 400 listing nothing.

    The filters and rows are rendered once per reader scope, parameters asked, language, day and data version
    (masar.core.fragments) and kept: a hit neither validates the filters (500 organizations) nor reads a project.
    Only a valid filter is rendered and kept, for the readers who may see its choices.
    """
    template = "portfolio/_project_rows.html" if request.htmx else "portfolio/_project_list_body.html"
    key = scoped_key(
        request.user, "projects", f"{template}?{asked(request.GET, [*ProjectFilterForm.base_fields, 'page'])}"
    )

    def render_body():
        form = ProjectFilterForm(request.GET or None, user=request.user, sortable=True)
        filters = ProjectFilters()
        invalid = form.is_bound and not form.is_valid()
        if invalid:
            projects = Project.objects.none()
        else:
            filters = form.to_filters() if form.is_bound else filters
            projects = project_list_selector(request.user, filters)
        page = project_page(projects, request.GET.get("page"), settings.PAGE_SIZE)
        context = {"form": form, "page": page, "sorting": sort_links(filters.sort)}
        return render_to_string(template, context, request), 400 if invalid else 200

    body, status = kept(key, render_body)
    if request.htmx:
        return HttpResponse(body, status=status)
    return render(request, "portfolio/project_list.html", {"body": body}, status=status)


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
        "integrity": project_alert_summary(request.reader, project),
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
