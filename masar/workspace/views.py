"""My work: what waits for the signed-in person, and approving several submissions at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.core import policy
from masar.decisions.models import DecisionStatus
from masar.decisions.selectors import DecisionFilters
from masar.workspace.selectors import my_work as my_work_selector
from masar.workspace.services import review_items_approve


@login_required
def my_work(request):
    """Show what waits for this person, by what the policy says they do; a viewer is shown where to read."""
    overdue = DecisionFilters(status=DecisionStatus.OVERDUE)
    context = {
        "work": my_work_selector(request.user, review_page_number=request.GET.get("page")),
        "overdue_url": f"{reverse('decisions-decision-list')}?{urlencode(overdue.query())}",
    }
    return render(request, "workspace/my_work.html", context)


@login_required
@require_POST
def review_approve(request):
    """Approve the chosen submissions, each through its own service, and say what became of each."""
    if not policy.may_review_submissions(request.reader):
        raise PermissionDenied
    keys = request.POST.getlist("item")
    if not keys:
        messages.error(request, _("Choose the submissions to approve."))
        return redirect("workspace-my-work")
    for outcome in review_items_approve(actor=request.user, keys=keys):
        what = {
            "code": outcome.code or outcome.key,
            "period": outcome.period.strftime("%Y-%m") if outcome.period else "",
        }
        if outcome.approved:
            messages.success(request, _("Approved: %(code)s %(period)s.") % what)
        else:
            messages.error(
                request, _("Not approved: %(code)s %(period)s. %(reason)s") % {**what, "reason": outcome.reason}
            )
    return redirect("workspace-my-work")
