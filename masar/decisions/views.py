from django.shortcuts import render

from masar.core.access import get_for_user
from masar.core.selectors import audit_trail_for
from masar.decisions.models import Decision, Meeting


def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("owner")
    return render(request, "decisions/meeting_list.html", {"meetings": meetings})


def meeting_detail(request, pk):
    """Show a meeting and the decisions this reader may see."""
    meeting = get_for_user(Meeting.objects.select_related("owner"), request.user, pk)
    decisions = Decision.objects.visible_to(request.user).filter(meeting=meeting).select_related("responsible")
    context = {"meeting": meeting, "decisions": decisions, "trail": audit_trail_for(meeting, request.user)}
    return render(request, "decisions/meeting_detail.html", context)
