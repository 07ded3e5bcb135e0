"""The citizens' voice for the services' owners: complaints and suggestions to answer and close, comments to
moderate. Read by those who answer for a service (its owner's coordinators, the national unit) and by the
inspectorate, who sees no action button; the services refuse anyone else.

Every action carries the version the person read: an answer written against a request that changed since is
refused and shows what changed (`includes/stale_edit.html`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from masar.catalogue import voice
from masar.catalogue.forms import AnswerForm, FeedbackFilterForm, ModerationForm, VersionForm
from masar.catalogue.models import Feedback, FeedbackAction
from masar.catalogue.owner_selectors import (
    feedback_actions,
    moderation_target,
    with_moderation_actions,
)
from masar.catalogue.selectors import comments_to_moderate
from masar.catalogue.selectors import feedback_list as feedback_list_selector
from masar.core import policy
from masar.core.changes import with_change_rows
from masar.core.errors import DomainError, StaleEditError, http_status
from masar.core.pages import refuse_in_form, tell_refusal
from masar.core.selectors import audit_trail_for, paginate


def _require_voice_reader(request: HttpRequest) -> None:
    if not policy.may_hear_citizens(request.reader):
        raise PermissionDenied


@login_required
@require_safe
def feedback_list(request: HttpRequest) -> HttpResponse:
    """List the complaints and suggestions this reader answers (or reads, for the inspectorate), open first."""
    _require_voice_reader(request)
    form = FeedbackFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        rows = Feedback.objects.none()
    else:
        rows = feedback_list_selector(request.reader, form.to_filters())
    context = {
        "form": form,
        "page": paginate(rows, request.GET.get("page"), settings.PAGE_SIZE),
        "clear": reverse("catalogue-feedback-list"),
    }
    return render(request, "catalogue/feedback_list.html", context, status=status)


def _feedback(request: HttpRequest, pk: Any) -> Feedback:
    return policy.get_for_reader(Feedback.objects.select_related("service", "service__owner"), request.reader, pk)


def _feedback_page(
    request: HttpRequest, feedback: Feedback, *, form: AnswerForm | None = None, stale: Any = None, status: int = 200
) -> HttpResponse:
    actions = feedback_actions(request.reader, feedback)
    context = {
        "feedback": feedback,
        "may_answer": FeedbackAction.ANSWER in actions,
        "may_close": FeedbackAction.CLOSE in actions,
        "form": form or AnswerForm(initial={"version": feedback.version, "answer": feedback.answer}),
        "close_form": VersionForm(initial={"version": feedback.version}),
        "stale": stale,
        "again": request.path,
        "trail": audit_trail_for(feedback, request.user),
    }
    return render(request, "catalogue/feedback_detail.html", context, status=status)


def _stale(request: HttpRequest, error: StaleEditError) -> StaleEditError:
    error.entries = with_change_rows(error.changes_since, Feedback, request.user)  # type: ignore[attr-defined]
    return error


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a complaint or suggestion with its contact; answer it (POST) when the workflow and the policy allow."""
    feedback = _feedback(request, pk)
    if request.method != "POST":
        return _feedback_page(request, feedback)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _feedback_page(request, feedback, form=form, status=400)
    data = form.cleaned_data
    try:
        voice.feedback_answer(actor=request.user, feedback=feedback, answer=data["answer"], version=data["version"])
    except StaleEditError as error:
        form.add_error(None, error.message)
        return _feedback_page(request, _feedback(request, pk), form=form, stale=_stale(request, error), status=409)
    except DomainError as error:
        refuse_in_form(form, error)
        return _feedback_page(request, _feedback(request, pk), form=form, status=http_status(error))
    messages.success(request, _("The answer was saved: the citizen reads it with the tracking number."))
    return redirect("catalogue-feedback-detail", pk=feedback.pk)


@login_required
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a complaint or suggestion (its contact is erased); refused when it changed since it was read."""
    feedback = _feedback(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _feedback_page(request, feedback, status=400)
    try:
        voice.feedback_close(actor=request.user, feedback=feedback, version=form.cleaned_data["version"])
    except StaleEditError as error:
        return _feedback_page(request, _feedback(request, pk), stale=_stale(request, error), status=409)
    except DomainError as error:
        status = tell_refusal(request, error)
        return _feedback_page(request, _feedback(request, pk), status=status)
    messages.success(request, _("The request was closed and its contact erased."))
    return redirect("catalogue-feedback-detail", pk=feedback.pk)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """List the comments waiting for moderation; show one publicly or keep it hidden (POST)."""
    _require_voice_reader(request)
    status = 200
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if not form.is_valid():
            status = 400
            messages.error(request, _("Choose to show the comment or not."))
        else:
            data = form.cleaned_data
            rating = moderation_target(request.reader, data["rating"])
            try:
                voice.comment_moderate(
                    actor=request.user, rating=rating, action=data["action"], version=data["version"]
                )
            except DomainError as error:
                status = tell_refusal(request, error)
            else:
                messages.success(request, _("The moderation was recorded."))
                return redirect("catalogue-moderation")
    page = paginate(comments_to_moderate(request.reader), request.GET.get("page"), settings.PAGE_SIZE)
    context = {"page": page, "comments": with_moderation_actions(request.reader, page)}
    return render(request, "catalogue/moderation.html", context, status=status)
