from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.attachments.models import Attachment
from masar.attachments.services import attachment_add
from masar.core.errors import DomainError
from masar.core.pages import tell_refusal
from masar.core.policy import get_for_reader, may_follow_up, may_validate_closure
from masar.core.selectors import audit_trail_for, paginate
from masar.decisions.forms import ActionUpdateForm, ClosureRequestForm, ClosureReturnForm, DecisionFilterForm
from masar.decisions.models import (
    DECISION_WORKFLOW,
    ActionUpdate,
    AgendaItem,
    ClosureAction,
    Decision,
    DecisionClosure,
    DecisionStatus,
    Meeting,
)
from masar.decisions.selectors import closures_awaiting_validation, decisions_with_status
from masar.decisions.selectors import decision_list as decision_list_selector
from masar.decisions.services import (
    action_update_record,
    decision_closure_accept,
    decision_closure_request,
    decision_closure_return,
)
from masar.portfolio.models import Project


def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("owner")
    return render(request, "decisions/meeting_list.html", {"meetings": meetings})


def meeting_detail(request, pk):
    """Show a meeting: its agenda, its decisions with their status and action-taken history."""
    meeting = get_for_reader(Meeting.objects.select_related("owner"), request.user, pk)
    visible_projects = Project.objects.visible_to(request.user)
    decisions = list(
        decisions_with_status(request.user)
        .filter(meeting=meeting)
        .select_related("responsible")
        .prefetch_related(
            Prefetch(
                "action_updates", queryset=ActionUpdate.objects.visible_to(request.reader).select_related("author")
            ),
            Prefetch(
                "closures",
                queryset=DecisionClosure.objects.visible_to(request.reader).select_related(
                    "requested_by", "reviewed_by"
                ),
            ),
            Prefetch("action_updates__attachments", queryset=Attachment.objects.visible_to(request.reader)),
            Prefetch("projects", queryset=visible_projects.only("pk", "code", "name_ar", "name_fr", "name_en")),
        )
    )
    for decision in decisions:
        decision.can_follow_up = may_follow_up(request.user, decision)
        decision.is_overdue = decision.status == DecisionStatus.OVERDUE
        decision.can_request_closure = decision.can_follow_up and DECISION_WORKFLOW.allows(
            decision.closure_state, ClosureAction.REQUEST
        )
        decision.can_validate_closure = may_validate_closure(request.user, decision) and DECISION_WORKFLOW.allows(
            decision.closure_state, ClosureAction.ACCEPT
        )
    agenda = AgendaItem.objects.visible_to(request.reader).filter(meeting=meeting).select_related("project")
    context = {
        "meeting": meeting,
        "decisions": decisions,
        "agenda": agenda.order_by("order"),
        "trail": audit_trail_for(meeting, request.user),
        "form": ActionUpdateForm(),
        "closure_form": ClosureRequestForm(),
        "return_form": ClosureReturnForm(),
    }
    return render(request, "decisions/meeting_detail.html", context)


def decision_list(request):
    """All decisions the reader may see, filterable by computed status (e.g. overdue) and responsible organization."""
    form = DecisionFilterForm(request.GET or None, user=request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        decisions = Decision.objects.none()
        status = 400
    else:
        decisions = decision_list_selector(request.user, form.to_filters())
    page = paginate(decisions.select_related("meeting", "responsible"), request.GET.get("page"), settings.PAGE_SIZE)
    chosen = form.cleaned_data.get("status", "") if form.is_bound and status == 200 else ""
    return render(
        request,
        "decisions/decision_list.html",
        {
            "page": page,
            "status": chosen,
            "statuses": DecisionStatus.choices,
            "form": form,
            "closures_waiting": (
                closures_awaiting_validation(request.user).count() if may_validate_closure(request.user, None) else None
            ),
        },
        status=status,
    )


@login_required
@require_POST
def action_update_create(request, pk):
    decision = get_for_reader(decisions_with_status(request.user).select_related("responsible"), request.user, pk)
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The action-taken report is not valid: %(errors)s") % {"errors": form.errors.as_text()}
        )
    else:
        evidence = request.FILES.get("evidence")
        try:
            with transaction.atomic():  # the report and its evidence are kept together or not at all
                action = action_update_record(decision=decision, actor=request.user, **form.cleaned_data)
                if evidence is not None:
                    attachment_add(record=action, actor=request.user, upload=evidence)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The action taken was recorded."))
    return redirect(reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}")


def _decision_anchor(decision):
    return reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}"


def _next_or(request, fallback):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def closure_request(request, pk):
    """Report a decision done with its evidence; it then awaits the national unit's validation."""
    decision = get_for_reader(Decision.objects.select_related("responsible"), request.user, pk)
    form = ClosureRequestForm(request.POST)
    if not form.is_valid():
        if not may_follow_up(request.user, decision):
            raise PermissionDenied
        messages.error(request, _("Give the evidence that the decision is carried out."))
    else:
        try:
            decision_closure_request(decision=decision, actor=request.user, evidence=form.cleaned_data["evidence"])
        except DomainError as error:
            tell_refusal(request, error)
        else:
            messages.success(request, _("The decision was reported done; it awaits the national unit's validation."))
    return redirect(_decision_anchor(decision))


def _closure_for(request, pk):
    closure = get_for_reader(DecisionClosure.objects.select_related("decision"), request.user, pk)
    if not may_validate_closure(request.user, closure.decision):
        raise PermissionDenied
    return closure


@login_required
@require_POST
def closure_accept(request, pk):
    """Accept a decision reported done: it is done. Of two people deciding at once, the second is told."""
    closure = _closure_for(request, pk)
    try:
        decision_closure_accept(closure=closure, actor=request.user)
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The closure was accepted: the decision is done."))
    return redirect(_next_or(request, _decision_anchor(closure.decision)))


@login_required
@require_POST
def closure_return(request, pk):
    """Return a decision reported done, with the reason its requester will read."""
    closure = _closure_for(request, pk)
    form = ClosureReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the closure is returned."))
        return redirect(_next_or(request, _decision_anchor(closure.decision)))
    try:
        decision_closure_return(closure=closure, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The closure was returned to its requester with your reason."))
    return redirect(_next_or(request, _decision_anchor(closure.decision)))


@login_required
def closure_list(request):
    """The decisions reported done that wait for the national unit's validation."""
    if not may_validate_closure(request.user, None):
        raise PermissionDenied
    closures = closures_awaiting_validation(request.user)
    context = {"closures": closures, "count": closures.count(), "return_form": ClosureReturnForm()}
    return render(request, "decisions/closure_list.html", context)
