from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.arabic import normalize_digits
from masar.attachments.models import Attachment
from masar.attachments.services import attachment_add
from masar.core.errors import DomainError, Invalid
from masar.core.forms import add_service_errors
from masar.core.fragments import asked, kept, scoped_key
from masar.core.pages import form_save, next_path, refuse_in_form, tell_refusal
from masar.core.policy import (
    get_for_reader,
    may_follow_up,
    may_manage_meetings,
    may_publish_decisions,
    may_validate_closure,
)
from masar.core.selectors import audit_trail_for, paginate
from masar.decisions import services
from masar.decisions.forms import (
    ActionUpdateForm,
    AgendaBuildForm,
    AttendanceForm,
    ClosureRequestForm,
    ClosureReturnForm,
    DecisionFilterForm,
    DecisionForm,
    MeetingForm,
)
from masar.decisions.models import (
    DECISION_WORKFLOW,
    ActionUpdate,
    AgendaItem,
    Attendance,
    ClosureAction,
    Decision,
    DecisionClosure,
    DecisionStatus,
    Meeting,
)
from masar.decisions.selectors import (
    agenda_proposals,
    attendance_of,
    closures_awaiting_validation,
    decisions_with_status,
)
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
    context = {"meetings": meetings, "can_manage": may_manage_meetings(request.user)}
    return render(request, "decisions/meeting_list.html", context)


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
    agenda = AgendaItem.objects.visible_to(request.reader).filter(meeting=meeting).select_related("project", "decision")
    can_manage = may_manage_meetings(request.user)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "can_publish": may_publish_decisions(request.user, meeting) and not meeting.decisions_published,
        "attendance": attendance_of(request.user, meeting),
        "decisions": decisions,
        "agenda": agenda.order_by("order"),
        "trail": audit_trail_for(meeting, request.user),
        "form": ActionUpdateForm(),
        "closure_form": ClosureRequestForm(),
        "return_form": ClosureReturnForm(),
    }
    return render(request, "decisions/meeting_detail.html", context)


def decision_list(request):
    """All decisions the reader may see, filterable by computed status (e.g. overdue) and responsible organization.

    Rendered once per reader scope, parameters asked, language, day and data version and kept (masar.core.fragments).
    """
    key = scoped_key(request.user, "decisions", asked(request.GET, [*DecisionFilterForm.base_fields, "page"]))
    body, status = kept(key, lambda: _decision_list_body(request))
    return render(request, "decisions/decision_list.html", {"body": body}, status=status)


def _decision_list_body(request):
    form = DecisionFilterForm(request.GET or None, user=request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        decisions = Decision.objects.none()
        status = 400
    else:
        decisions = decision_list_selector(request.user, form.to_filters())
    page = paginate(decisions.select_related("meeting", "responsible"), request.GET.get("page"), settings.PAGE_SIZE)
    chosen = form.cleaned_data.get("status", "") if form.is_bound and status == 200 else ""
    context = {
        "page": page,
        "status": chosen,
        "statuses": DecisionStatus.choices,
        "form": form,
        "closures_waiting": (
            closures_awaiting_validation(request.user).count() if may_validate_closure(request.user, None) else None
        ),
    }
    return render_to_string("decisions/_decision_list_body.html", context, request), status


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
    return redirect(next_path(request, _decision_anchor(closure.decision)))


@login_required
@require_POST
def closure_return(request, pk):
    """Return a decision reported done, with the reason its requester will read."""
    closure = _closure_for(request, pk)
    form = ClosureReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the closure is returned."))
        return redirect(next_path(request, _decision_anchor(closure.decision)))
    try:
        decision_closure_return(closure=closure, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The closure was returned to its requester with your reason."))
    return redirect(next_path(request, _decision_anchor(closure.decision)))


@login_required
def closure_list(request):
    """The decisions reported done that wait for the national unit's validation."""
    if not may_validate_closure(request.user, None):
        raise PermissionDenied
    closures = closures_awaiting_validation(request.user)
    context = {"closures": closures, "count": closures.count(), "return_form": ClosureReturnForm()}
    return render(request, "decisions/closure_list.html", context)


# Running the council: the national unit's pages -------------------------------------------------


def _check_manages(request):
    if not may_manage_meetings(request.user):
        raise PermissionDenied


def _managed_meeting(request, pk):
    _check_manages(request)
    return get_for_reader(Meeting.objects.select_related("owner"), request.user, pk, write=True)


def _render_form(request, form, stale, context):
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(request, "decisions/council_form.html", {"form": form, "stale": stale, **context}, status=status)


@login_required
def meeting_create(request):
    """Create a meeting (national unit)."""
    _check_manages(request)
    form = MeetingForm(request.POST or None)
    meeting, _stale = form_save(
        request, form, lambda data, _v: services.meeting_create(actor=request.user, **data), Meeting
    )
    if meeting is not None:
        messages.success(request, _("The meeting was created."))
        return redirect("decisions-meeting-detail", pk=meeting.pk)
    context = {"heading": _("New meeting"), "back": reverse("decisions-meeting-list")}
    return _render_form(request, form, None, context)


@login_required
def meeting_edit(request, pk):
    """Edit a meeting and its minutes; an edit based on a stale version is refused and shows what changed."""
    meeting = _managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)

    def save(data, version):
        return services.meeting_update(meeting=meeting, actor=request.user, expected_version=version, **data)

    saved, stale = form_save(request, form, save, Meeting)
    if saved is not None:
        messages.success(request, _("The meeting was saved."))
        return redirect("decisions-meeting-detail", pk=meeting.pk)
    back = reverse("decisions-meeting-detail", args=[meeting.pk])
    context = {"heading": _("Edit the meeting"), "back": back, "record": meeting, "again": request.path}
    return _render_form(request, form, stale, context)


@login_required
def decision_create(request, pk):
    """Add a decision to a meeting (national unit)."""
    meeting = _managed_meeting(request, pk)
    form = DecisionForm(request.POST or None, user=request.user)

    def save(data, _version):
        return services.decision_create(meeting=meeting, actor=request.user, **data)

    decision, _stale = form_save(request, form, save, Decision)
    if decision is not None:
        messages.success(request, _("The decision was added."))
        return redirect(_decision_anchor(decision))
    back = reverse("decisions-meeting-detail", args=[meeting.pk])
    return _render_form(request, form, None, {"heading": _("New decision"), "back": back, "record": meeting})


@login_required
def decision_edit(request, pk):
    """Edit a decision; an edit based on a stale version is refused and shows what changed."""
    _check_manages(request)
    decision = get_for_reader(Decision.objects.select_related("meeting"), request.user, pk, write=True)
    form = DecisionForm(request.POST or None, instance=decision, user=request.user)

    def save(data, version):
        return services.decision_update(decision=decision, actor=request.user, expected_version=version, **data)

    saved, stale = form_save(request, form, save, Decision)
    if saved is not None:
        messages.success(request, _("The decision was saved."))
        return redirect(_decision_anchor(saved))
    context = {
        "heading": _("Edit the decision"),
        "back": _decision_anchor(decision),
        "record": decision.meeting,
        "again": request.path,
    }
    return _render_form(request, form, stale, context)


def _agenda_numbers(request, items):
    numbers = {}
    for item in items:
        try:
            numbers[item.pk] = int(normalize_digits(request.POST.get(f"order-{item.pk}", "")).strip())
        except ValueError:
            raise Invalid([(None, _("Give each agenda item its own number, from 1."))]) from None
    return numbers


@login_required
def meeting_agenda(request, pk):
    """Prepare a meeting's agenda: tick proposed obstacles and decisions to add them; renumber the items."""
    meeting = _managed_meeting(request, pk)
    proposals = agenda_proposals(request.user, meeting)
    adding = request.method == "POST" and request.POST.get("step") != "reorder"
    form = AgendaBuildForm(request.POST if adding else None, proposals=proposals)
    status = 200
    if request.method == "POST":
        try:
            if adding:
                if not form.is_valid():
                    raise Invalid([(None, " ".join(form.non_field_errors()) or _("Tick items among those proposed."))])
                services.agenda_build(meeting=meeting, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The ticked items were added to the agenda."))
            else:
                orders = _agenda_numbers(request, proposals.on_agenda)
                services.agenda_reorder(meeting=meeting, actor=request.user, orders=orders)
                messages.success(request, _("The agenda was renumbered."))
        except DomainError as error:
            status = tell_refusal(request, error)
        else:
            return redirect("decisions-meeting-agenda", pk=meeting.pk)
        form = AgendaBuildForm(proposals=proposals)
    context = {"meeting": meeting, "proposals": proposals, "form": form}
    return render(request, "decisions/meeting_agenda.html", context, status=status)


@login_required
def meeting_attendance(request, pk):
    """Record who attended a meeting (national unit)."""
    meeting = _managed_meeting(request, pk)
    form = AttendanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.attendance_record(meeting=meeting, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error, model=Attendance)
            except DomainError as error:
                refuse_in_form(form, error)
            else:
                messages.success(request, _("The attendance was recorded."))
                return redirect("decisions-meeting-attendance", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "attendance": attendance_of(request.user, meeting)}
    return render(request, "decisions/meeting_attendance.html", context, status=status)


@login_required
@require_POST
def attendance_remove(request, pk):
    """Remove an attendance line recorded by mistake (national unit)."""
    _check_manages(request)
    attendance = get_for_reader(Attendance.objects.all(), request.user, pk, write=True)
    try:
        services.attendance_remove(attendance=attendance, actor=request.user)
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The attendance line was removed."))
    return redirect("decisions-meeting-attendance", pk=attendance.meeting_id)


@login_required
@require_POST
def meeting_publish(request, pk):
    """Publish a meeting's decisions list to its readers (national unit)."""
    meeting = get_for_reader(Meeting.objects.all(), request.user, pk)
    if not may_publish_decisions(request.user, meeting):
        raise PermissionDenied
    try:
        services.meeting_decisions_publish(meeting=meeting, actor=request.user)
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, _("The decisions of this meeting are published to its readers."))
    return redirect("decisions-meeting-detail", pk=meeting.pk)
