from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.attachments.models import Attachment
from masar.attachments.services import attachment_add
from masar.core.errors import DomainError
from masar.core.policy import get_for_reader, may_follow_up
from masar.core.selectors import audit_trail_for, paginate
from masar.decisions.forms import ActionUpdateForm, DecisionFilterForm
from masar.decisions.models import ActionUpdate, AgendaItem, Decision, DecisionStatus, Meeting
from masar.decisions.selectors import decision_list as decision_list_selector
from masar.decisions.selectors import decisions_with_status
from masar.decisions.services import action_update_record
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
            Prefetch("action_updates__attachments", queryset=Attachment.objects.visible_to(request.reader)),
            Prefetch("projects", queryset=visible_projects.only("pk", "code", "name_ar", "name_fr", "name_en")),
        )
    )
    for decision in decisions:
        decision.can_follow_up = may_follow_up(request.user, decision)
    agenda = AgendaItem.objects.visible_to(request.reader).filter(meeting=meeting).select_related("project")
    context = {
        "meeting": meeting,
        "decisions": decisions,
        "agenda": agenda.order_by("order"),
        "trail": audit_trail_for(meeting, request.user),
        "form": ActionUpdateForm(),
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
        {"page": page, "status": chosen, "statuses": DecisionStatus.choices, "form": form},
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
