from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.attachments.selectors import attachment_panel
from masar.core import policy
from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_service_errors
from masar.core.fragments import asked, kept, scoped_key
from masar.core.ids import parse_id
from masar.core.policy import get_for_reader, may_write
from masar.core.selectors import audit_trail_for, paginate, with_change_rows
from masar.decisions.models import AgendaItem
from masar.delivery import configuration
from masar.delivery.forms import (
    BaselineDecisionForm,
    BaselineRequestForm,
    DeliverySettingsForm,
    EscalateForm,
    ObstacleCommentForm,
    ObstacleForm,
    ReturnForm,
    UpdateForm,
)
from masar.delivery.models import (
    CONFIDENCE_DEFINITIONS,
    Baseline,
    BaselineAction,
    Confidence,
    Notification,
    Obstacle,
    ObstacleCategory,
    ObstacleComment,
    ProgressUpdate,
    UpdateAction,
)
from masar.delivery.notifications import notification_texts
from masar.delivery.plausibility import warning_text
from masar.delivery.rating import OBSTACLE_CAPS, REBASELINE_LEVEL
from masar.delivery.selectors import (
    baseline_proposal_changes,
    baseline_variances,
    blocked_matrix,
    blocked_projects,
    missing_updates_by_organization,
    roadmap_phases,
    roadmap_rows,
    update_review,
    update_start,
)
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import settings as settings_services
from masar.delivery.services import updates as update_services
from masar.delivery.trends import HEATMAP_ROWS, rating_heatmap
from masar.organizations.models import Organization
from masar.portfolio.forms import ProjectFilterForm
from masar.portfolio.models import Project
from masar.portfolio.selectors import ProjectFilters, project_list


def _form_errors(form, error, model=None):
    """Attach a service's ValidationError (beside its fields) or DomainError to the form."""
    if isinstance(error, ValidationError):
        add_service_errors(form, error, model=model)
    else:
        form.add_error(None, str(error.message))


# Progress updates ---------------------------------------------------------------------------


def project_updates(request, pk):
    """List a project's monthly updates."""
    project = get_for_reader(Project.objects.select_related("owner"), request.user, pk)
    updates = ProgressUpdate.objects.visible_to(request.reader).filter(project=project)
    updates = updates.select_related("submitted_by", "reviewed_by")
    return render(
        request,
        "delivery/update_list.html",
        {"project": project, "updates": updates, "can_write": may_write(request.user, project)},
    )


@login_required
def update_create(request, pk):
    project = get_for_reader(Project.objects.select_related("owner"), request.user, pk, write=True)
    return _update_form(request, project, None)


@login_required
def update_edit(request, pk):
    update = get_for_reader(ProgressUpdate.objects.select_related("project__owner"), request.user, pk, write=True)
    if not update.is_editable:
        messages.error(request, _("This update can no longer be changed."))
        return redirect("delivery-update-detail", pk=update.pk)
    return _update_form(request, update.project, update)


def _update_form(request, project, update):
    milestones = project.milestones.all()
    stale = None
    warnings = []
    if request.method == "POST":
        form = UpdateForm(request.POST, milestones=milestones)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update = update_services.update_save(
                    project=project,
                    actor=request.user,
                    update=update,
                    expected_version=data.get("version"),
                    period=data["period"],
                    percent_complete=data["percent_complete"],
                    spend_to_date=data["spend_to_date"],
                    declared_confidence=data["declared_confidence"],
                    narrative=data["narrative"],
                    milestone_dates=form.milestone_dates(),
                    figures_confirmed=form.figures_confirmed(),
                )
                if "submit" in request.POST:
                    update_services.update_submit(update=update, actor=request.user)
                    messages.success(request, _("The update was submitted for review."))
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("delivery-update-detail", pk=update.pk)
            except StaleEditError as error:
                stale = error
                stale.entries = with_change_rows(error.changes_since, ProgressUpdate, request.user)
                form.add_error(None, str(error.message))
            except update_services.UnconfirmedFiguresError as error:
                warnings = [warning_text(w, currency=project.currency) for w in error.warnings]
                form.ask_confirmation()
                form.add_error("confirm_figures", str(error.message))
            except (ValidationError, DomainError) as error:
                _form_errors(form, error, model=ProgressUpdate)
    else:
        initial = {}
        if update is not None:
            initial = {
                "version": update.version,
                "period": update.period,
                "percent_complete": update.percent_complete,
                "spend_to_date": update.spend_to_date,
                "declared_confidence": update.declared_confidence,
                "narrative": update.narrative,
            }
            for report in update.milestone_reports.all():
                initial[f"milestone_{report.milestone_id}"] = report.actual_date
        else:
            start = update_start(project)
            initial = {
                "period": start.period,
                "percent_complete": start.percent_complete,
                "spend_to_date": start.spend_to_date,
                "declared_confidence": start.declared_confidence,
            }
        form = UpdateForm(initial=initial, milestones=milestones)
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(
        request,
        "delivery/update_form.html",
        {"project": project, "update": update, "form": form, "stale": stale, "warnings": warnings},
        status=status,
    )


def update_detail(request, pk):
    update = get_for_reader(
        ProgressUpdate.objects.select_related("project__owner", "submitted_by", "reviewed_by"), request.user, pk
    )
    project = update.project
    context = {
        "update": update,
        "project": project,
        "reports": update.milestone_reports.select_related("milestone"),
        "obstacles": Obstacle.objects.visible_to(request.reader).filter(update=update),
        "can_edit": update.is_editable and may_write(request.user, project),
        "can_review": update.is_under_review
        and policy.may_review(request.reader, project)
        and update.submitted_by_id != request.user.pk,
        "return_form": ReturnForm(),
        "definition": CONFIDENCE_DEFINITIONS.get(update.declared_confidence),
        "review": update_review(update),
        "panel": attachment_panel(request.reader, update),
    }
    return render(request, "delivery/update_detail.html", context)


@login_required
@require_POST
def update_action(request, pk, action):
    """Submit, approve or return an update; two reviewers at once: one wins, the other is told."""
    update = get_for_reader(ProgressUpdate.objects.select_related("project__owner"), request.user, pk)
    try:
        if action == UpdateAction.SUBMIT:
            update_services.update_submit(update=update, actor=request.user)
            messages.success(request, _("The update was submitted for review."))
        elif action == UpdateAction.APPROVE:
            update_services.update_approve(update=update, actor=request.user)
            messages.success(request, _("The update was approved; its period is now locked."))
        elif action == UpdateAction.RETURN:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the update is returned."))
                return redirect("delivery-update-detail", pk=update.pk)
            update_services.update_return(update=update, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The update was returned to its author."))
        else:
            raise PermissionDenied
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("delivery-update-detail", pk=update.pk)
    return redirect("delivery-update-detail", pk=update.pk)


# Baselines ----------------------------------------------------------------------------------


def baseline_list(request, pk):
    """Show every baseline of a project and the variances against the original and current plan."""
    project = get_for_reader(Project.objects.select_related("owner", "health"), request.user, pk)
    baselines = list(
        Baseline.objects.visible_to(request.reader).filter(project=project).select_related("requested_by", "decided_by")
    )
    form = None
    if may_write(request.user, project):
        form = BaselineRequestForm(
            request.POST or None,
            milestones=project.milestones.all(),
            initial={
                "planned_start": project.planned_start,
                "planned_end": project.planned_end,
                "planned_budget": project.planned_budget,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                baseline_services.baseline_request(
                    project=project,
                    actor=request.user,
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                    planned_budget=data["planned_budget"],
                    reason=data["reason"],
                    milestone_dates=form.milestone_dates(),
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The re-baseline request was sent to the national unit."))
                return redirect("delivery-baseline-list", pk=project.pk)
    elif request.method == "POST":
        raise PermissionDenied
    variances = baseline_variances(project, baselines, timezone.localdate())
    context = {
        "project": project,
        "baselines": baselines,
        "original": variances.original,
        "form": form,
        "variances": variances.milestones,
        "end_shift": variances.end_shift,
        "budget_shift": variances.budget_shift,
        "proposal": baseline_proposal_changes(project, baselines),
        "decision_form": BaselineDecisionForm() if policy.may_decide_baseline(request.reader) else None,
    }
    return render(request, "delivery/baseline_list.html", context, status=400 if form and form.errors else 200)


@login_required
@require_POST
def baseline_decide(request, pk, decision):
    baseline = get_for_reader(Baseline.objects.select_related("project"), request.user, pk)
    if not policy.may_decide_baseline(request.reader):
        raise PermissionDenied
    form = BaselineDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the re-baseline is approved or rejected: the requester reads it."))
        return redirect("delivery-baseline-list", pk=baseline.project_id)
    try:
        baseline_services.baseline_decide(
            baseline=baseline,
            actor=request.user,
            approve=decision == BaselineAction.APPROVE,
            note=form.cleaned_data.get("note", ""),
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, str(getattr(error, "message", None) or "; ".join(error.messages)))
    else:
        messages.success(request, _("The re-baseline was decided."))
    return redirect("delivery-baseline-list", pk=baseline.project_id)


# Obstacles ----------------------------------------------------------------------------------


@login_required
def obstacle_create(request, pk):
    project = get_for_reader(Project.objects.select_related("owner"), request.user, pk, write=True)
    form = ObstacleForm(
        request.POST or None, initial={"must_act": project.owner_id}, project=project, reader=request.reader
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            obstacle = obstacle_services.obstacle_report(project=project, actor=request.user, **data)
        except (ValidationError, DomainError) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The obstacle was recorded."))
            return redirect("delivery-obstacle-detail", pk=obstacle.pk)
    return render(
        request, "delivery/obstacle_form.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


def obstacle_detail(request, pk):
    """Show an obstacle with who reported it, its comment history, where it was escalated and its audit trail."""
    obstacle = get_for_reader(
        Obstacle.objects.select_related("project__owner", "must_act", "reported_by"), request.user, pk
    )
    project = obstacle.project
    editable = may_write(request.user, project)
    form = (
        ObstacleForm(request.POST or None, instance=obstacle, project=project, reader=request.reader)
        if editable
        else None
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                obstacle_services.obstacle_update(
                    obstacle=obstacle, actor=request.user, expected_version=form.cleaned_data["version"], **data
                )
            except StaleEditError as error:
                form.add_error(None, str(error.message))
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The obstacle was saved."))
                return redirect("delivery-obstacle-detail", pk=obstacle.pk)
    escalated = AgendaItem.objects.filter(obstacle=obstacle).exists()
    can_escalate = policy.may_escalate(request.reader, project) and not escalated
    context = {
        "obstacle": obstacle,
        "project": project,
        "form": form,
        "escalate_form": EscalateForm(user=request.user) if can_escalate else None,
        "escalated": escalated,
        "agenda": AgendaItem.objects.visible_to(request.reader).filter(obstacle=obstacle).select_related("meeting"),
        "panel": attachment_panel(request.reader, obstacle),
        "comments": ObstacleComment.objects.visible_to(request.reader)
        .filter(obstacle=obstacle)
        .select_related("author"),
        "comment_form": ObstacleCommentForm() if policy.may_comment_obstacle(request.reader, obstacle) else None,
        "trail": audit_trail_for(obstacle, request.user),
    }
    return render(request, "delivery/obstacle_detail.html", context, status=400 if form and form.errors else 200)


@login_required
@require_POST
def obstacle_comment(request, pk):
    """Add a comment to an obstacle's history."""
    obstacle = get_for_reader(Obstacle.objects.select_related("project__owner"), request.user, pk)
    form = ObstacleCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment."))
    else:
        try:
            obstacle_services.obstacle_comment_add(
                obstacle=obstacle, actor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The comment was added."))
    return redirect("delivery-obstacle-detail", pk=obstacle.pk)


@login_required
@require_POST
def obstacle_escalate(request, pk):
    obstacle = get_for_reader(Obstacle.objects.select_related("project__owner", "must_act"), request.user, pk)
    form = EscalateForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a meeting."))
    else:
        try:
            obstacle_services.obstacle_escalate(
                obstacle=obstacle, meeting=form.cleaned_data["meeting"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The obstacle was put on the meeting's agenda."))
    return redirect("delivery-obstacle-detail", pk=obstacle.pk)


# National views -----------------------------------------------------------------------------


def blocked(request):
    """Blocked projects grouped by obstacle category and by ministry (kept per reader scope: masar.core.fragments)."""
    key = scoped_key(request.user, "blocked", asked(request.GET, ["category", "organization", "page"]))
    body, status = kept(key, lambda: _blocked_body(request))
    return render(request, "delivery/blocked.html", {"body": body}, status=status)


def _blocked_body(request):
    category = request.GET.get("category") or ""
    if category and category not in ObstacleCategory.values:
        raise Http404
    projects = blocked_projects(request.user)
    if request.GET.get("organization"):
        org = get_object_or_404(Organization, pk=parse_id(request.GET["organization"]))
        projects = projects.filter(owner__path__startswith=org.path)
    if category:
        projects = projects.filter(
            Exists(Obstacle.objects.blocking().filter(project=OuterRef("pk"), category=category))
        )
    page = paginate(
        projects.select_related("owner", "health").order_by("code"), request.GET.get("page"), settings.PAGE_SIZE
    )
    context = {"matrix": blocked_matrix(request.user), "page": page, "category": category}
    return render_to_string("delivery/_blocked_body.html", context, request), 200


def due_updates(request):
    """Updates that are due and missing, per ministry."""
    by_organization, projects, period = missing_updates_by_organization(request.user)
    if request.GET.get("organization"):
        org = get_object_or_404(Organization, pk=parse_id(request.GET["organization"]))
        projects = projects.filter(owner__path__startswith=org.path)
    page = paginate(
        projects.select_related("owner", "manager").order_by("owner__path", "code"),
        request.GET.get("page"),
        settings.PAGE_SIZE,
    )
    return render(request, "delivery/due.html", {"rows": by_organization, "page": page, "period": period})


def roadmap(request):
    """A cross-project timeline of the projects the project list would show with the same filters.

    Rendered once per reader scope, parameters asked, language, day and data version and kept (masar.core.fragments).
    """
    key = scoped_key(request.reader, "roadmap", asked(request.GET, [*ProjectFilterForm.base_fields, "page"]))
    body, status = kept(key, lambda: _roadmap_body(request))
    return render(request, "delivery/roadmap.html", {"body": body}, status=status)


def _roadmap_body(request):
    form = ProjectFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "data": roadmap_rows(Project.objects.none()), "title": _("All projects"), "total": 0}
        return render_to_string("delivery/_roadmap_body.html", context, request), 400
    filters = form.to_filters() if form.is_bound else ProjectFilters()
    projects = project_list(request.reader, filters)
    scope = filters.axis or filters.strategy or filters.organization
    # A page of the roadmap at a time: an axis has thousands of projects, each bar and milestone a few elements.
    page = paginate(projects, request.GET.get("page"), settings.PAGE_SIZE)
    offset = page.start_index() - 1 if page.paginator.count else 0
    data = roadmap_rows(projects, limit=settings.PAGE_SIZE, offset=offset)
    target = filters.strategy or (filters.axis.strategy if filters.axis else None)
    phases = roadmap_phases(target.phases.all(), data["timeline"]) if target is not None and data["rows"] else []
    context = {
        "form": form,
        "data": data,
        "title": scope.name if scope is not None else _("All projects"),
        "total": page.paginator.count,
        "page": page,
        "phases": phases,
        "list_query": filters.query(),
    }
    return render_to_string("delivery/_roadmap_body.html", context, request), 200


def rating_rules(request):
    """The rules of the computed rating, written for the people they judge, with the values in force."""
    in_force = configuration.settings_in_force()
    rules = configuration.rating_rules(in_force)
    context = {
        "definitions": [(Confidence(c).label, CONFIDENCE_DEFINITIONS[c]) for c in Confidence.values],
        "schedule_bands": rules.schedule_bands,
        "cost_bands": [(int((limit - 1) * 100), level) for limit, level in rules.cost_bands],
        "freshness_caps": sorted(rules.freshness_caps, reverse=True),
        "obstacle_caps": OBSTACLE_CAPS.items(),
        "flag_gap": rules.flag_gap,
        "rebaseline_cap": rules.rebaseline_cap,
        "rebaseline_level": Confidence(REBASELINE_LEVEL),
        "settings": in_force,
        "can_edit_settings": policy.may_edit_delivery_settings(request.reader),
    }
    return render(request, "delivery/rules.html", context)


@login_required
def delivery_settings(request):
    """Edit the delivery unit's settings (national unit only); a stale edit is refused and shows what changed."""
    if not policy.may_edit_delivery_settings(request.reader):
        raise PermissionDenied
    current = configuration.settings_in_force()
    stale = None
    form = DeliverySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            settings_services.delivery_settings_update(
                actor=request.user, data=data, expected_version=form.cleaned_data["version"]
            )
        except StaleEditError as error:
            stale = error
            stale.entries = with_change_rows(error.changes_since, type(current))
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The settings were saved. Ratings follow at the next refresh, at the latest tonight.")
            )
            return redirect("delivery-settings")
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(request, "delivery/settings.html", {"form": form, "stale": stale}, status=status)


def heatmap(request):
    """Projects × the last twelve months of their ratings, for the projects the project list would show."""
    form = ProjectFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "data": rating_heatmap(Project.objects.none()), "total": 0}
        return render(request, "delivery/heatmap.html", context, status=400)
    filters = form.to_filters() if form.is_bound else ProjectFilters()
    projects = project_list(request.reader, filters)
    context = {
        "form": form,
        "data": rating_heatmap(projects, limit=HEATMAP_ROWS),
        "total": projects.count(),
    }
    return render(request, "delivery/heatmap.html", context)


@login_required
def inbox(request):
    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("delivery-inbox")
    page = paginate(request.user.notifications.select_related("user"), request.GET.get("page"), settings.PAGE_SIZE)
    notifications = list(page.object_list)
    for notification, text in zip(notifications, notification_texts(notifications), strict=True):
        notification.text = text
    return render(request, "delivery/inbox.html", {"notifications": notifications, "page": page})


@login_required
def notification_open(request, pk):
    """Go to what a notification is about; only opening it from the inbox (a POST) marks it read."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if request.method == "POST":
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notification.url or "delivery-inbox")
