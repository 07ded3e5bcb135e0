"""What every page may ask the policy about its reader."""

from masar.core import policy


def reader(request):
    """Tell templates whether the reader sees the names of the staff behind internal material, and integrity alerts."""
    who = getattr(request, "reader", None)
    return {
        "show_staff": policy.may_see_staff(who) if who is not None else False,
        "show_integrity": policy.may_see_alerts(who) if who is not None else False,
    }
